"""veille.watch: a feed served on 127.0.0.1 by the test; new items picked up, old ones not re-ingested."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from veille.errors import VeilleError
from veille.models import Article, ArticleResult
from veille.store import Store
from veille.watch import FeedState, Watcher, parse_interval

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title>
<meta property="article:published_time" content="2023-03-14T10:00:00Z"></head>
<body><article><h1>{title}</h1>{paras}</article></body></html>"""

BODIES = {
    "a1": ("Mali : un poste attaqué", [
        "Des hommes armés ont attaqué lundi un poste de l'armée malienne près de Tessalit, dans la région de Kidal.",
        "Au moins quatre soldats ont été tués au cours de l'assaut, selon des sources sécuritaires locales.",
    ]),
    "a2": ("Sénégal : manifestation à Dakar", [
        "Des milliers de manifestants ont défilé mardi à Dakar pour réclamer la libération des détenus politiques.",
        "La police a dispersé la foule à coups de gaz lacrymogène près de la place de l'Indépendance.",
    ]),
}


class FeedServer:
    """A tiny site: /feed.xml (ETag, 304 on If-None-Match) and one HTML page per article."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.pages: dict[str, str] = {}
        self.log: list[tuple[str, int]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                status, body, headers = server.answer(self.path, self.headers.get("If-None-Match"))
                server.log.append((self.path, status))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add(self, name: str, page: str | None = None) -> None:
        title, paras = BODIES.get(name, BODIES["a1"])
        self.items.append(name)
        self.pages[name] = page if page is not None else PAGE.format(
            title=title, paras="".join(f"<p>{p}</p>" for p in paras))

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>{BODIES.get(n, BODIES['a1'])[0]}</title><link>{self.base}/{n}.html</link>"
            f"<guid>urn:test:{n}</guid><description>{BODIES.get(n, BODIES['a1'])[1][0]}</description>"
            f"<pubDate>Tue, 14 Mar 2023 10:00:00 GMT</pubDate></item>"
            for n in self.items)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title>'
                f"<link>{self.base}/</link><description>t</description><language>fr</language>"
                f"{entries}</channel></rss>").encode("utf-8")

    def answer(self, path: str, etag: str | None) -> tuple[int, bytes, dict[str, str]]:
        if path == "/feed.xml":
            body = self.feed()
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if etag == tag:
                return 304, b"", {"ETag": tag}
            return 200, body, {"ETag": tag, "Content-Type": "application/rss+xml"}
        name = path.strip("/").removesuffix(".html")
        if name in self.pages:
            return 200, self.pages[name].encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}
        return 404, b"not found", {"Content-Type": "text/plain"}

    def requests(self, path: str) -> int:
        return sum(1 for p, _s in self.log if p == path)

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RecordingPipeline:
    """A pipeline without models: no events, but it records what it was asked to process."""

    def __init__(self) -> None:
        self.seen: list[Article] = []

    def process_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ArticleResult]:
        for art in articles:
            self.seen.append(art)
            yield ArticleResult(article=art)


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def _watcher(store: Store, pipe: RecordingPipeline, srv: FeedServer, state: FeedState | None = None,
             allow_private: bool = True) -> Watcher:
    return Watcher(store, pipe, [f"{srv.base}/feed.xml"], state=state or FeedState(), allow_private=allow_private)


def test_new_item_is_picked_up_and_old_ones_are_not_reingested(server: FeedServer, tmp_path: Path) -> None:
    server.add("a1")
    pipe = RecordingPipeline()
    with Store(":memory:") as store:
        watcher = _watcher(store, pipe, server, FeedState(str(tmp_path / "state.json")))

        def add_second_item(_seconds: float) -> None:  # what happens "between" cycles 2 and 3
            if watcher.cycles == 2:
                server.add("a2")

        reports = watcher.run(every=0.01, max_cycles=4, sleep=add_second_item)
        assert [r.new for r in reports] == [1, 0, 1, 0]
        assert [r.not_modified for r in reports] == [0, 1, 0, 1]  # conditional requests answered 304
        assert reports[2].already_seen == 1 and reports[2].items == 2
        assert [a.url for a in pipe.seen] == [f"{server.base}/a1.html", f"{server.base}/a2.html"]
        assert server.requests("/a1.html") == 1 and server.requests("/a2.html") == 1
        assert store.counts()["articles"] == 2
        assert pipe.seen[0].title == "Mali : un poste attaqué" and pipe.seen[0].published


def test_restarted_watch_remembers_etag_and_items(server: FeedServer, tmp_path: Path) -> None:
    server.add("a1")
    state_file = str(tmp_path / "state.json")
    with Store(":memory:") as store:
        _watcher(store, RecordingPipeline(), server, FeedState(state_file)).poll_once()
        server.add("a2")
        pipe = RecordingPipeline()
        report = _watcher(store, pipe, server, FeedState(state_file)).poll_once()
    assert report.new == 1 and report.already_seen == 1
    assert [a.url for a in pipe.seen] == [f"{server.base}/a2.html"]


def test_same_content_under_another_link_is_not_processed_again(server: FeedServer) -> None:
    server.add("a1")
    pipe = RecordingPipeline()
    with Store(":memory:") as store:
        watcher = _watcher(store, pipe, server)
        watcher.poll_once()
        server.add("copy", page=server.pages["a1"])  # a mirror of a1: same text, new URL and guid
        report = watcher.poll_once()
    assert report.new == 0 and report.already_stored == 1
    assert len(pipe.seen) == 1


def test_loopback_feed_is_refused_without_allow_private(server: FeedServer) -> None:
    server.add("a1")
    pipe = RecordingPipeline()
    with Store(":memory:") as store:
        report = _watcher(store, pipe, server, allow_private=False).poll_once()
        assert store.counts()["articles"] == 0
    assert report.failed == 1 and report.new == 0
    assert any("[E202]" in m for m in report.messages)
    assert server.log == []  # not even one request went out


def test_unreachable_page_falls_back_to_the_feed_text(server: FeedServer) -> None:
    server.add("a1")
    del server.pages["a1"]  # the link answers 404
    pipe = RecordingPipeline()
    with Store(":memory:") as store:
        report = _watcher(store, pipe, server).poll_once()
    assert report.new == 1
    assert pipe.seen[0].text.startswith("Des hommes armés")
    assert any("HTTP 404" in m and "feed's text" in m for m in report.messages)


def test_feed_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.xml"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel><item>'
                    "<title>&a;</title><description>x</description></item></channel></rss>", encoding="utf-8")
    pipe = RecordingPipeline()
    with Store(":memory:") as store:
        report = Watcher(store, pipe, [str(evil)]).poll_once()
    assert report.failed == 1 and not pipe.seen
    assert any("[E110]" in m for m in report.messages)


def test_local_feed_file_is_reread_only_when_it_changes(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"

    def write(n: int) -> None:
        items = "".join(f"<item><title>t{i}</title><guid>g{i}</guid><description>{BODIES['a1'][1][0]} {i}"
                        f"</description></item>" for i in range(n))
        feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                        encoding="utf-8")

    write(1)
    pipe = RecordingPipeline()
    with Store(":memory:") as store:
        watcher = Watcher(store, pipe, [str(feed)])
        first, unchanged = watcher.poll_once(), watcher.poll_once()
        write(2)
        second = watcher.poll_once()
    assert (first.new, unchanged.not_modified, second.new, second.already_seen) == (1, 1, 1, 1)


@pytest.mark.parametrize("text,seconds", [("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("1h", 3600.0),
                                          ("1.5h", 5400.0), ("250ms", 0.25), (" 2 min ", 120.0)])
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5m", "0", "15 minutes"])
def test_parse_interval_refuses_nonsense(text: str) -> None:
    with pytest.raises(VeilleError, match=r"\[E602\] --every"):
        parse_interval(text)


@pytest.mark.slow
def test_watch_command_stores_events_from_a_local_feed(server: FeedServer, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from veille.cli import main

    server.add("a1")
    db = str(tmp_path / "w.duckdb")
    assert main(["watch", f"{server.base}/feed.xml", "--allow-private", "--once", "--db", db]) == 0
    assert "1 new" in capsys.readouterr().out
    server.add("a2")
    assert main(["watch", f"{server.base}/feed.xml", "--allow-private", "--max-cycles", "1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1 new, 1 already seen" in out
    with Store(db, read_only=True) as store:
        counts = store.counts()
    assert counts["articles"] == 2 and counts["events"] >= 1
    assert Path(db + ".watch.json").is_file()
