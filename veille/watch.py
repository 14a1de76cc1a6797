"""Continuous feeds: poll RSS/Atom feeds, fetch the new articles, process and store them.

Each cycle, every feed is fetched with a conditional request (ETag / Last-Modified from the
previous answer), so an unchanged feed costs one 304. A feed's bytes go through
`veille.ingest.feeds.check_xml_safe` before feedparser reads them. Each new item's page is
fetched with `veille.ingest.article_from_url` (the same address checks as every fetch:
private and loopback addresses are refused unless `allow_private`); when the page cannot be
fetched or read, the item's own text from the feed is used, and the reason is reported.

An item is new when neither its id (guid) nor its link has been seen on an earlier cycle; an
article whose content is already stored (same content hash) is not processed again, only its
source is recorded. What was seen, and each feed's ETag and Last-Modified, are kept in a small
JSON state file beside the store (`<db>.watch.json`), written after each cycle's store write.
"""
from __future__ import annotations

import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from veille.errors import Errors, FetchError, InputError, VeilleError
from veille.models import Article, IngestFailure

__all__ = ["FeedState", "CycleReport", "Watcher", "parse_interval", "default_state_path"]

MAX_SEEN_PER_FEED = 20_000  # older keys are forgotten first; a feed rarely lists more than 100 items
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$", re.I)
_UNITS = {None: 1.0, "ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def parse_interval(text: str) -> float:
    """"90", "90s", "15m", "1h", "1.5h" -> seconds; raises VeilleError (E602) otherwise."""
    m = _INTERVAL.match(text or "")
    if not m:
        raise VeilleError(Errors.E602.format(what="--every", reason=f"expected a duration like 90s, 15m or 1h, got {text!r}"))
    seconds = float(m.group(1)) * _UNITS[(m.group(2) or "").lower() or None]
    if seconds <= 0:
        raise VeilleError(Errors.E602.format(what="--every", reason="must be more than zero"))
    return seconds


def default_state_path(db: str) -> str | None:
    """`<db>.watch.json` beside a store file; None (state in memory) for an in-memory store."""
    return None if db == ":memory:" else f"{db}.watch.json"


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class FeedState:
    """Per feed: ETag, Last-Modified (or a local file's size and mtime) and the item keys seen."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.feeds: dict[str, dict[str, Any]] = {}
        if path and os.path.exists(path):
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise VeilleError(Errors.E602.format(what=f"watch state {path}", reason=f"cannot read: {exc}")) from exc
            feeds = data.get("feeds") if isinstance(data, dict) else None
            if not isinstance(feeds, dict):
                raise VeilleError(Errors.E602.format(what=f"watch state {path}", reason="not a veille watch state file"))
            self.feeds = feeds
        self._seen: dict[str, set[str]] = {k: set(v.get("seen", [])) for k, v in self.feeds.items()}

    def feed(self, name: str) -> dict[str, Any]:
        entry = self.feeds.setdefault(name, {"seen": []})
        self._seen.setdefault(name, set(entry.get("seen", [])))
        return entry

    def seen(self, name: str, keys: Iterable[str]) -> bool:
        known = self._seen.get(name, set())
        return any(k in known for k in keys)

    def remember(self, name: str, keys: Iterable[str]) -> None:
        entry = self.feed(name)
        for key in keys:
            if key and key not in self._seen[name]:
                self._seen[name].add(key)
                entry["seen"].append(key)
        if len(entry["seen"]) > MAX_SEEN_PER_FEED:
            drop = entry["seen"][: len(entry["seen"]) - MAX_SEEN_PER_FEED]
            entry["seen"] = entry["seen"][len(drop):]
            self._seen[name].difference_update(drop)

    def save(self) -> None:
        if not self.path:
            return
        tmp = f"{self.path}.tmp"
        Path(tmp).write_text(json.dumps({"version": 1, "feeds": self.feeds}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
        os.replace(tmp, self.path)


@dataclass(frozen=True)
class CycleReport:
    """What one polling cycle did."""

    cycle: int
    feeds: int
    not_modified: int
    items: int
    new: int
    already_seen: int
    already_stored: int
    failed: int
    events_new: int
    events_merged: int
    mentions: int
    seconds: float
    messages: tuple[str, ...] = field(default=())

    def line(self) -> str:
        return (f"cycle {self.cycle} at {time.strftime('%Y-%m-%d %H:%M:%S')}: {self.feeds} feeds "
                f"({self.not_modified} not modified), {self.items} items: {self.new} new, "
                f"{self.already_seen} already seen, {self.already_stored} already stored, {self.failed} failed; "
                f"{self.mentions} mentions -> {self.events_new} new events, {self.events_merged} merged; "
                f"{self.seconds:.1f} s")


@dataclass
class _Entry:
    keys: tuple[str, ...]
    link: str | None
    fallback: Article | IngestFailure | None


class Watcher:
    """Polls `feeds` (URLs or local feed files) into `store` with `pipeline`.

    `fetcher` (veille.fetch.fetch's signature) is the seam for tests; `allow_private` lets
    feeds and articles on private or loopback addresses be fetched (refused by default).
    """

    def __init__(self, store: Any, pipeline: Any, feeds: Sequence[str], *, state: FeedState | None = None,
                 allow_private: bool = False, fetcher: Callable[..., Any] | None = None,
                 batch_size: int = 16, max_bytes: int | None = None, fetch_articles: bool = True) -> None:
        from veille.fetch import DEFAULT_MAX_BYTES, fetch

        self.store = store
        self.pipeline = pipeline
        self.feeds = list(dict.fromkeys(feeds))
        self.state = state or FeedState()
        self.allow_private = allow_private
        self.fetcher = fetcher or fetch
        self.batch_size = batch_size
        self.max_bytes = max_bytes or DEFAULT_MAX_BYTES
        self.fetch_articles = fetch_articles
        self.cycles = 0

    # ------------------------------------------------------------------ one feed
    def _feed_bytes(self, feed: str) -> bytes | None:
        """The feed's bytes, or None when unchanged since the last cycle (or unreadable)."""
        entry = self.state.feed(feed)
        if _is_url(feed):
            result = self.fetcher(feed, allow_private=self.allow_private, max_bytes=self.max_bytes,
                                  etag=entry.get("etag"), last_modified=entry.get("last_modified"))
            if result.not_modified:
                return None
            entry["etag"] = result.etag
            entry["last_modified"] = result.last_modified
            return bytes(result.content)
        from veille.ingest.files import read_limited

        try:
            st = os.stat(feed)
        except OSError as exc:
            raise InputError(Errors.E101.format(path=feed) if isinstance(exc, FileNotFoundError)
                             else Errors.E107.format(path=feed, reason=exc.strerror or exc)) from None
        stamp = [st.st_size, st.st_mtime_ns]
        if entry.get("file_stamp") == stamp:
            return None
        data = read_limited(feed, self.max_bytes)
        entry["file_stamp"] = stamp
        return data

    def _entries(self, feed: str, data: bytes) -> list[_Entry]:
        import feedparser

        from veille.ingest.feeds import check_xml_safe, iter_feed

        check_xml_safe(data, feed)  # before feedparser sees a byte
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
        entries = parsed.get("entries", [])
        if not entries:
            if parsed.get("bozo") and not parsed.get("feed"):
                reason = f"malformed feed: {parsed.get('bozo_exception')}"
                raise InputError(Errors.E107.format(path=feed, reason=reason[:200]))
            return []  # a feed with no items yet
        fallbacks = list(iter_feed(data, feed))
        out: list[_Entry] = []
        for number, item in enumerate(entries, start=1):
            link = str(item.get("link") or "").strip() or None
            if link and _is_url(feed):
                link = urljoin(feed, link)
            guid = str(item.get("id") or "").strip()
            fallback = fallbacks[number - 1] if number - 1 < len(fallbacks) else None
            keys = [k for k in (guid, link) if k]
            if not keys and isinstance(fallback, Article):
                keys = [f"sha:{fallback.id}"]
            out.append(_Entry(tuple(dict.fromkeys(keys)), link, fallback))
        return out

    def _article(self, entry: _Entry, messages: list[str]) -> Article | None:
        from veille.ingest import article_from_url

        feed_item = entry.fallback if isinstance(entry.fallback, Article) else None
        if entry.link and _is_url(entry.link) and self.fetch_articles:
            try:
                page = article_from_url(entry.link, allow_private=self.allow_private, max_bytes=self.max_bytes,
                                        fetcher=self.fetcher)
            except (FetchError, InputError) as exc:
                if feed_item is None:
                    messages.append(str(exc))
                    return None
                messages.append(f"{exc} (using the feed's text of the item)")
            else:
                if feed_item is not None:  # the feed's metadata fills what the page lacks
                    page = replace(page, title=page.title or feed_item.title,
                                   published=page.published or feed_item.published,
                                   keywords=page.keywords or feed_item.keywords)
                return page
        if feed_item is None:
            reason = entry.fallback.message if isinstance(entry.fallback, IngestFailure) else "no text and no link"
            messages.append(reason)
        return feed_item

    # ------------------------------------------------------------------ one cycle
    def poll_once(self) -> CycleReport:
        from veille import service

        started = time.perf_counter()
        self.cycles += 1
        messages: list[str] = []
        not_modified = items = seen = failed = 0
        new: list[tuple[str, tuple[str, ...], Article]] = []
        for feed in self.feeds:
            try:
                data = self._feed_bytes(feed)
                if data is None:
                    not_modified += 1
                    continue
                entries = self._entries(feed, data)
            except (FetchError, InputError) as exc:
                messages.append(str(exc))
                failed += 1
                continue
            for entry in entries:
                items += 1
                if self.state.seen(feed, entry.keys):
                    seen += 1
                    continue
                article = self._article(entry, messages)
                if article is None:
                    failed += 1
                    self.state.remember(feed, entry.keys)  # reported once, not on every cycle
                    continue
                new.append((feed, entry.keys, article))
        articles = [a for _f, _k, a in new]

        def on_item(item: object) -> None:
            if isinstance(item, IngestFailure):
                messages.append(item.message)

        summary = service.run_paths(self.store, [], self.pipeline, batch_size=self.batch_size,
                                    reader=lambda _paths, **_kw: articles, on_item=on_item)
        failed += summary.failed
        for feed, keys, _a in new:
            self.state.remember(feed, keys)
        self.state.save()
        w = summary.write
        return CycleReport(
            cycle=self.cycles, feeds=len(self.feeds), not_modified=not_modified, items=items,
            new=summary.processed, already_seen=seen, already_stored=summary.already_stored, failed=failed,
            events_new=w.events_new, events_merged=w.events_merged, mentions=w.mentions,
            seconds=time.perf_counter() - started, messages=tuple(messages),
        )

    def run(self, *, every: float, max_cycles: int | None = None, sleep: Callable[[float], None] = time.sleep,
            on_cycle: Callable[[CycleReport], None] | None = None) -> list[CycleReport]:
        """Poll every `every` seconds until `max_cycles` cycles are done (forever when None)."""
        reports: list[CycleReport] = []
        while max_cycles is None or len(reports) < max_cycles:
            began = time.monotonic()
            report = self.poll_once()
            reports.append(report)
            if on_cycle is not None:
                on_cycle(report)
            if max_cycles is not None and len(reports) >= max_cycles:
                break
            sleep(max(0.0, every - (time.monotonic() - began)))
        return reports
