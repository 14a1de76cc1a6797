"""The web page in headless Chromium: map markers, timeline brushing, evidence highlighting, inert <script>.

Drives Debian's `chromium` through `chromedriver` with the W3C WebDriver HTTP protocol (plain
httpx, no extra dependency). Chromium missing is a failure, not a skip. With
VEILLE_SCREENSHOT=docs/screenshot.png it refreshes the documentation's screenshot.
"""
from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from veille.models import Actor, Article, ArticleResult, Event, Evidence, IngestFailure, Place
from veille.store import Store
from veille.web.basemap import project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_df33abab451251a8.txt"
FR_SMALL = "Attaque à Mossoul\n\nUn convoi de l'armée irakienne a été attaqué à Mossoul le 7 avril 2021.\n"
EN_SCRIPT = ("Protest in Basra\n\nHundreds of residents protested in Basra on 8 April 2021 "
             "<script>window.__xss = 1; document.title = 'pwned'</script> against the power cuts.\n")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


def span(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def hand_made(article: Article) -> tuple[Event, ...]:
    """Events for our three articles, used only when the real pipeline yields none (yet)."""
    day = {"date": "2021-04-07", "date_precision": "day", "confidence": 0.7}
    if "Mossoul" in article.text:
        return (Event("ASSAULT", span(article, "Un convoi de l'armée irakienne a été attaqué à Mossoul le 7 avril 2021."),
                      target=Actor("armée irakienne", "IRQ", "MIL"),
                      location=Place("Mosul", 99072, 36.335, 43.119, "IRQ", "Nineveh", "city"), **day),)
    if "Basra" in article.text:
        return (Event("PROTEST", span(article, article.text.split("\n\n", 1)[1].strip()),
                      actor=Actor("residents", "IRQ", "CVL"), date="2021-04-08", date_precision="day",
                      location=Place("Basra", 99532, 30.508, 47.783, "IRQ", "Basra", "city")),)
    return (
        Event("CONSULT", span(article, next(s for s in article.text.split("\n") if s.startswith("En visite"))
                              .strip().split(". ")[0].rstrip(".") + "."),
              actor=Actor("Hachd al-Chaabi", "IRQ", "MIL"), target=Actor("Russia", "RUS", "GOV"),
              location=Place("Moscow", 524901, 55.752, 37.616, "RUS", "Moscow", "city"), **day),
        Event("ASSAULT", span(article, "Un premier convoi a été attaqué à Hilla, chef-lieu de la province de Babil."),
              actor=Actor("Qassem al-Jabbarin", "IRQ", "REB"), target=Actor("US military convoy", "USA", "MIL"),
              location=Place("Hilla", 98182, 32.48, 44.42, "IRQ", "Babil", "city"), **day),
    )


def fill_store(db: Path, tmp: Path) -> tuple[str, list[ArticleResult]]:
    """Process the seed and two small articles: the real pipeline when it yields events, else hand-made ones."""
    from veille.ingest import iter_inputs

    (tmp / "fr_small.txt").write_text(FR_SMALL, encoding="utf-8")
    (tmp / "en_script.txt").write_text(EN_SCRIPT, encoding="utf-8")
    items = list(iter_inputs([str(SEED), str(tmp / "fr_small.txt"), str(tmp / "en_script.txt")]))
    assert not [i for i in items if isinstance(i, IngestFailure)], items
    articles = [i for i in items if isinstance(i, Article)]
    mode = "pipeline"
    try:
        from veille.pipeline import Pipeline

        results = list(Pipeline().process_many(articles))
        if sum(len(r.events) for r in results) == 0:
            raise ValueError("the pipeline found no events")
        if not all("<script>" not in r.article.text or r.events for r in results):
            raise ValueError("no event in the <script> article")
    except Exception as exc:  # noqa: BLE001 - the page is under test here, not the extraction
        mode = f"hand-made events ({type(exc).__name__}: {str(exc)[:80]})"
        results = [ArticleResult(a, hand_made(a)) for a in articles]
    with Store(db) as store:
        store.write_results(results)
    return mode, results


class WebDriver:
    """The few W3C WebDriver commands we need, over HTTP."""

    def __init__(self, port: int, user_data_dir: str) -> None:
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60.0)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium"), "args": CHROME_FLAGS + [f"--user-data-dir={user_data_dir}"]}}}}
        response = self.http.post("/session", json=caps).json()
        assert "sessionId" in response.get("value", {}), response
        self.sid = response["value"]["sessionId"]

    def cmd(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, f"/session/{self.sid}{path}", json=body)
        value = response.json().get("value")
        assert response.status_code == 200, value
        return value

    def js(self, script: str, *args: Any) -> Any:
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait(self, script: str, timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for: {script}")

    def click(self, css: str) -> None:
        element = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        self.cmd("POST", f"/element/{next(iter(element.values()))}/click", {})

    def close(self) -> None:
        self.http.delete(f"/session/{self.sid}")
        self.http.close()


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[tuple[WebDriver, str, list[ArticleResult], str]]:
    assert shutil.which("chromium"), "chromium is not installed (apt-get install chromium chromium-driver)"
    assert shutil.which("chromedriver"), "chromedriver is not installed (apt-get install chromium-driver)"
    db = tmp_path / "web.duckdb"
    mode, results = fill_store(db, tmp_path)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "VEILLE_TOKEN"}
    server = subprocess.Popen([sys.executable, "-m", "veille", "serve", "--db", str(db), "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    driver_port = free_port()
    chromedriver = subprocess.Popen(["chromedriver", f"--port={driver_port}"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix="veille-chromium-")
    driver = None
    try:
        wait_http(f"http://127.0.0.1:{port}/health")
        wait_http(f"http://127.0.0.1:{driver_port}/status")
        driver = WebDriver(driver_port, profile)
        yield driver, f"http://127.0.0.1:{port}", results, mode
    finally:
        if driver is not None:
            driver.close()
        for proc in (chromedriver, server):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def test_map_timeline_panel_and_inert_script(browser: tuple[WebDriver, str, list[ArticleResult], str]) -> None:
    driver, base, results, mode = browser
    print(f"store filled with {mode}")
    driver.cmd("POST", "/url", {"url": base + "/"})
    driver.wait("return document.body.dataset.ready === '1'")

    # every located event is a marker, placed by the same projection as veille.web.basemap
    markers = driver.js("return [...document.querySelectorAll('circle.marker')].map(c => "
                        "({id: c.dataset.id, type: c.dataset.type, x: +c.getAttribute('cx'), y: +c.getAttribute('cy')}))")
    events = httpx.get(base + "/events?limit=500").json()["events"]
    located = {e["id"]: e for e in events if e["location"] and e["location"]["lat"] is not None}
    assert len(markers) == len(located) >= 3
    for m in markers:
        loc = located[m["id"]]["location"]
        x, y = project(loc["lon"], loc["lat"])
        assert abs(m["x"] - x) < 0.5 and abs(m["y"] - y) < 0.5
    assert driver.js("return document.querySelectorAll('#events-table tbody tr').length") == len(events)

    # the timeline has bars; brushing over its first day filters the events to that day
    bars = driver.js("return [...document.querySelectorAll('#timeline rect.bar')].map(b => b.dataset.day)")
    assert bars and bars == sorted(bars)
    first_day = bars[0]
    driver.js("""
        const svg = document.getElementById('timeline');
        const bar = svg.querySelector('rect.bar').getBoundingClientRect();
        // MouseEvent coordinates are whole pixels: stay 3 px inside the bar
        const fire = (type, x) => svg.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: x, clientY: bar.top + 2}));
        fire('mousedown', bar.left + 3); fire('mousemove', bar.right - 3); fire('mouseup', bar.right - 3);
    """)
    got = driver.js("return [document.getElementById('f-since').value, document.getElementById('f-until').value]")
    assert got == [first_day, first_day], (got, bars[:3])
    driver.wait("return document.querySelectorAll('#timeline rect.brush').length === 1")
    until = driver.js("return document.getElementById('f-until').value")
    assert until == first_day, (first_day, until)
    expected = {e["id"] for e in httpx.get(base + f"/events?since={first_day}&until={first_day}").json()["events"]}
    driver.wait("return document.querySelectorAll('#events-table tbody tr').length === %d" % len(expected))
    shown = set(driver.js("return [...document.querySelectorAll('#events-table tbody tr')].map(r => r.dataset.id)"))
    assert shown == expected and 0 < len(shown) < len(events)
    driver.click("#brush-clear")
    driver.wait("return document.querySelectorAll('#events-table tbody tr').length === %d" % len(events))

    # clicking a marker shows the event and its evidence highlighted in the article text
    target = next(e for e in events if e["location"] and "<script>" not in e["evidence"]["sentence"])
    driver.click(f"circle.marker[data-id='{target['id']}']")
    driver.wait(f"return document.getElementById('event-panel').dataset.loaded === '{target['id']}'")
    marks = driver.js("return [...document.querySelectorAll('#event-panel mark.evidence')].map(m => m.textContent)")
    assert target["evidence"]["sentence"] in marks
    assert driver.js("return document.querySelector('circle.marker.selected').dataset.id") == target["id"]

    # an article whose text carries <script> is shown as text, and the script never runs
    script_article = next(r for r in results if "<script>" in r.article.text)
    script_event = next(e for e in events if e["evidence"]["article_id"] == script_article.article.id)
    driver.click(f"#events-table tbody tr[data-id='{script_event['id']}']")
    driver.wait(f"return document.getElementById('event-panel').dataset.loaded === '{script_event['id']}'")
    panel_text = driver.js("return document.getElementById('event-panel').textContent")
    assert "<script>window.__xss = 1;" in panel_text
    assert driver.js("return document.querySelectorAll('#event-panel script').length") == 0
    assert driver.js("return typeof window.__xss") == "undefined"
    assert driver.js("return document.title") != "pwned"

    # screenshot of the page with the Hilla event open when present
    hilla = next((e for e in events if e["location"] and e["location"]["name"] == "Hilla"), target)
    driver.click(f"#events-table tbody tr[data-id='{hilla['id']}']")
    driver.wait(f"return document.getElementById('event-panel').dataset.loaded === '{hilla['id']}'")
    png = base64.b64decode(driver.cmd("GET", "/screenshot"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    # the documentation's picture is refreshed only on request, so a test run leaves the tree clean:
    # VEILLE_SCREENSHOT=docs/screenshot.png make test
    out = os.environ.get("VEILLE_SCREENSHOT")
    if out:
        (ROOT / out).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / out).write_bytes(png)
