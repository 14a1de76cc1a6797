"""The DuckDB store: one writer (a lock around every write transaction), concurrent readers.

Writes are idempotent: an article id is its content hash, a mention id hashes the article id,
the event's position and its span, and an event id is its first mention's id. A batch is one
transaction, so a process killed mid-batch leaves the store as it was before the batch and a
rerun stores the batch exactly once. Readers each use their own cursor and see only
committed transactions.
"""
from __future__ import annotations

import hashlib
import json
import threading
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from veille import dedup
from veille.dedup import EventMention, MergedEvent
from veille.errors import Errors, StoreError
from veille.models import Actor, Article, ArticleResult, Event, Evidence, Place
from veille.store.migrations import migrate
from veille.store.query import MAX_LIMIT, EventFilter, QueryError, decode_cursor, encode_cursor, where_clause
from veille.store.records import EventPage, Stats, StoredArticle, StoredEvent, StoredMention, WriteSummary

__all__ = ["Store", "event_to_json", "event_from_json", "mention_id"]

_NO_DATE = "0001-01-01"
_COLUMN_NAMES = (
    "id", "type", "mode", "actor_name", "actor_country", "actor_sector", "target_name", "target_country",
    "target_sector", "date", "date_precision", "place_name", "geonameid", "lat", "lon", "place_country", "admin1",
    "place_precision", "background", "negated", "hypothetical", "confidence", "trigger", "cameo", "acled",
    "evidence", "evidence_start", "evidence_end", "evidence_article", "n_mentions", "n_articles", "n_sources",
)
_EVENT_COLUMNS = ", ".join(_COLUMN_NAMES) + ", CAST(sort_date AS VARCHAR)"


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def mention_id(article_id: str, position: int, event: Event) -> str:
    """Stable id of the `position`-th event extracted from an article."""
    return "m" + _hash(article_id, position, event.evidence.start, event.evidence.end, event.type)


def event_to_json(event: Event) -> str:
    """Full, lossless JSON of an extracted event (for re-merging later)."""
    return json.dumps(asdict(event), ensure_ascii=False, sort_keys=True)


def event_from_json(text: str) -> Event:
    d = json.loads(text)
    for key, cls in (("actor", Actor), ("target", Actor), ("location", Place), ("evidence", Evidence)):
        if d.get(key) is not None:
            d[key] = cls(**d[key])
    return Event(**d)


def _actor_id(a: Actor | None) -> str | None:
    return None if a is None else "a" + _hash(a.name, a.country, a.sector)


def _place_id(p: Place | None) -> str | None:
    if p is None:
        return None
    return f"gn:{p.geonameid}" if p.geonameid is not None else "p" + _hash(p.name, p.lat, p.lon)


class Store:
    """A Veille store in one DuckDB file (or in memory with `":memory:"`)."""

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0]
            if "lock" in reason.lower():
                reason = "it is in use by another process (one writer at a time): " + reason
            raise StoreError(Errors.E401.format(path=self.path, reason=reason)) from exc
        except OSError as exc:
            raise StoreError(Errors.E401.format(path=self.path, reason=exc)) from exc
        if read_only:
            from veille.store.migrations import LATEST_VERSION, current_version

            if current_version(self._con) != LATEST_VERSION:
                raise StoreError(Errors.E401.format(path=self.path, reason="not a Veille store (run `veille run` first)"))
        else:
            migrate(self._con, self.path)
        self._write_lock = threading.Lock()
        self._local = threading.local()

    # -- plumbing -------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _reader(self) -> duckdb.DuckDBPyConnection:
        """A cursor per thread: readers run concurrently and see committed data only."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Run several reads in one read transaction (one consistent snapshot)."""
        cur = self._reader()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def _read(self, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
        try:
            return self._reader().execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise StoreError(Errors.E401.format(path=self.path, reason=str(exc).splitlines()[0])) from exc

    # -- writes ---------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", [article_id]))

    def write_results(self, results: Iterable[ArticleResult]) -> WriteSummary:
        """Store a batch of pipeline results in one transaction (all or nothing).

        Articles and their sources are written as they come; the events, mentions, actors and
        places the batch creates or changes are kept in memory (where later articles of the same
        batch are matched against them) and written in a few multi-row statements at the end.
        """
        if self.read_only:
            raise StoreError(Errors.E401.format(path=self.path, reason="opened read-only"))
        with self._write_lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                total = WriteSummary()
                pending = _Pending()
                for result in results:
                    total = total + self._write_one(con, result, pending)
                self._flush(con, pending)
                con.execute("COMMIT")
            except BaseException as exc:
                con.execute("ROLLBACK")
                if isinstance(exc, duckdb.Error):
                    raise StoreError(Errors.E401.format(path=self.path, reason=str(exc).splitlines()[0])) from exc
                raise
            return total

    def _write_one(self, con: duckdb.DuckDBPyConnection, result: ArticleResult, pending: "_Pending") -> WriteSummary:
        art = result.article
        known = con.execute("SELECT 1 FROM articles WHERE id = ?", [art.id]).fetchone() is not None
        added = self._add_source(con, art)
        if known:
            if added:
                con.execute(
                    "UPDATE events SET n_sources = (SELECT count(DISTINCT s.source) FROM mentions m "
                    "JOIN article_sources s ON s.article_id = m.article_id WHERE m.event_id = events.id) "
                    "WHERE id IN (SELECT event_id FROM mentions WHERE article_id = ?)",
                    [art.id],
                )
            return WriteSummary(articles_known=1, sources_added=int(added))
        con.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [art.id, art.title, art.url, art.published, art.modified, art.language, art.text,
             json.dumps(list(art.keywords), ensure_ascii=False)],
        )
        mentions = [EventMention(art.id, ev, mention_id(art.id, i, ev)) for i, ev in enumerate(result.events)]
        positions = {m.mention_id: i for i, m in enumerate(mentions)}
        new = merged = 0
        for group in dedup.deduplicate(mentions):
            match = self._find_match(con, group.event, pending)
            for m in group.mentions:
                ev = m.event
                pending.mentions.append([m.mention_id, match or "e" + group.mentions[0].mention_id[1:], m.article_id,
                                         positions[m.mention_id], ev.evidence.sentence, ev.evidence.start,
                                         ev.evidence.end, event_to_json(ev)])
            if match is None:
                pending.put("e" + group.mentions[0].mention_id[1:], group, insert=True)
                new += 1
            else:
                if match in pending.events:
                    before, insert = list(pending.events[match][0].mentions), pending.events[match][1]
                else:
                    before, insert = self._load_mentions(con, match), False
                everything = sorted([*before, *group.mentions], key=lambda m: m.mention_id)
                pending.put(match, dedup.merge(everything), insert=insert)
                merged += 1
        return WriteSummary(articles_new=1, sources_added=int(added), events_new=new,
                            events_merged=merged, mentions=len(mentions))

    @staticmethod
    def _add_source(con: duckdb.DuckDBPyConnection, art: Article) -> bool:
        before = con.execute(
            "SELECT 1 FROM article_sources WHERE article_id = ? AND source = ?", [art.id, art.source]
        ).fetchone()
        if before is not None:
            return False
        con.execute("INSERT INTO article_sources VALUES (?, ?, ?, current_timestamp)", [art.id, art.source, art.url])
        return True

    def _find_match(self, con: duckdb.DuckDBPyConnection, event: Event, pending: "_Pending") -> str | None:
        """The event (stored, or created earlier in this batch) that this one reports, if any."""
        rng = dedup.date_range(event.date, event.date_precision)
        if rng is None:
            return None  # undated events only merge within their article
        rows = con.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE type = ? AND negated = ? AND hypothetical = ? "
            "AND date_start <= CAST(? AS DATE) + 1 AND date_end >= CAST(? AS DATE) - 1 "
            "ORDER BY n_mentions DESC, id",
            [event.type, event.negated, event.hypothetical, rng[1].isoformat(), rng[0].isoformat()],
        ).fetchall()
        candidates = [st for st in map(_row_to_stored, rows) if st.id not in pending.events]
        lo, hi = rng[0] - timedelta(days=1), rng[1] + timedelta(days=1)
        for eid in pending.events:
            st = pending.view(eid)
            other = dedup.date_range(st.event.date, st.event.date_precision)
            if (other is not None and st.event.type == event.type and st.event.negated == event.negated
                    and st.event.hypothetical == event.hypothetical and other[0] <= hi and other[1] >= lo):
                candidates.append(st)
        candidates.sort(key=lambda st: (-st.n_mentions, st.id))
        for stored in candidates:
            if dedup.compatible(stored.event, event):
                return stored.id
        return None

    @staticmethod
    def _load_mentions(con: duckdb.DuckDBPyConnection, event_id: str) -> list[EventMention]:
        rows = con.execute(
            "SELECT article_id, record, id FROM mentions WHERE event_id = ? ORDER BY id", [event_id]
        ).fetchall()
        return [EventMention(a, event_from_json(r), i) for a, r, i in rows]

    def _flush(self, con: duckdb.DuckDBPyConnection, pending: "_Pending") -> None:
        """Write what the batch created or changed, a few statements per table."""
        if not pending.events and not pending.mentions:
            return
        articles = sorted({m.article_id for group, _ in pending.events.values() for m in group.mentions})
        sources: dict[str, set[str]] = {}
        if articles:
            for art_id, source in con.execute(
                    "SELECT article_id, source FROM article_sources WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                    [articles]).fetchall():
                sources.setdefault(art_id, set()).add(source)
        actors: dict[str, list[object]] = {}
        places: dict[str, list[object]] = {}
        inserts: list[list[object]] = []
        for event_id, (group, insert) in pending.events.items():
            ev = group.event
            for actor in (ev.actor, ev.target):
                if actor is not None:
                    actors.setdefault(_actor_id(actor) or "", [_actor_id(actor), actor.name, actor.country, actor.sector,
                                                               actor.wikidata])
            p = ev.location
            if p is not None:
                places.setdefault(_place_id(p) or "", [_place_id(p), p.name, p.geonameid, p.lat, p.lon, p.country,
                                                       p.admin1, p.precision, p.feature])
            n_sources = len(set().union(*(sources.get(a, set()) for a in {m.article_id for m in group.mentions})))
            values = {**pending.values(event_id), "n_sources": n_sources}  # (key order kept)
            if insert:
                inserts.append([event_id, *values.values()])
            else:
                sets = ", ".join(f"{k} = ?" for k in values)
                con.execute(f"UPDATE events SET {sets}, updated_at = current_timestamp WHERE id = ?",
                            [*values.values(), event_id])
        _insert_rows(con, "INSERT OR IGNORE INTO actors VALUES", list(actors.values()))
        _insert_rows(con, "INSERT OR IGNORE INTO places VALUES", list(places.values()))
        _insert_rows(con, "INSERT INTO mentions VALUES", pending.mentions)
        cols = ["id", *_EVENT_VALUE_NAMES, "created_at", "updated_at"]
        _insert_rows(con, f"INSERT INTO events ({', '.join(cols)}) VALUES", inserts,
                     tail=", current_timestamp, current_timestamp")

    # -- reads ----------------------------------------------------------------------------
    def query_events(self, f: EventFilter, *, limit: int = 50, offset: int = 0,
                     cursor: str | None = None) -> EventPage:
        """One page of events, newest first (then by id), with the total count."""
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if offset < 0:
            raise QueryError("offset must be >= 0")
        where, params = where_clause(f)
        page_where, page_params = where, list(params)
        if cursor:
            sort_date, last_id = decode_cursor(cursor)
            page_where += " AND (sort_date < CAST(? AS DATE) OR (sort_date = CAST(? AS DATE) AND id < ?))"
            page_params += [sort_date, sort_date, last_id]
            offset = 0
        with self._snapshot():  # the count and the page see the same committed state
            rows = self._read(
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE {page_where} ORDER BY sort_date DESC, id DESC "
                "LIMIT ? OFFSET ?",
                page_params + [limit, offset],
            )
            if not cursor and offset == 0 and len(rows) < limit:
                total = len(rows)  # a short first page is the whole result: no second scan
            else:
                total = int(self._read(f"SELECT count(*) FROM events WHERE {where}", params)[0][0])
        events = tuple(_row_to_stored(r) for r in rows)
        next_cursor = encode_cursor(rows[-1][-1], rows[-1][0]) if len(rows) == limit else None
        return EventPage(events=events, total=total, limit=limit, offset=offset, next_cursor=next_cursor)

    def iter_events(self, f: EventFilter, *, chunk: int = 5000) -> Iterator[StoredEvent]:
        """Every matching event, in page order (for exports)."""
        where, params = where_clause(f)
        cur = self._con.cursor()
        try:
            cur.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE {where} ORDER BY sort_date DESC, id DESC", params)
            while True:
                rows = cur.fetchmany(chunk)
                if not rows:
                    break
                yield from (_row_to_stored(r) for r in rows)
        finally:
            cur.close()

    def get_event(self, event_id: str) -> tuple[StoredEvent, tuple[StoredMention, ...]] | None:
        """An event and its mentions (one snapshot)."""
        with self._snapshot():
            return self._get_event(event_id)

    def _get_event(self, event_id: str) -> tuple[StoredEvent, tuple[StoredMention, ...]] | None:
        rows = self._read(f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", [event_id])
        if not rows:
            return None
        mrows = self._read(
            "SELECT m.id, m.event_id, m.article_id, a.title, m.record FROM mentions m "
            "LEFT JOIN articles a ON a.id = m.article_id WHERE m.event_id = ? ORDER BY m.article_id, m.span_start",
            [event_id],
        )
        mentions = tuple(StoredMention(i, e, a, t, event_from_json(r)) for i, e, a, t, r in mrows)
        return _row_to_stored(rows[0]), mentions

    def get_article(self, article_id: str) -> tuple[StoredArticle, tuple[StoredMention, ...]] | None:
        """An article, its sources and the mentions found in it (one snapshot)."""
        with self._snapshot():
            return self._get_article(article_id)

    def _get_article(self, article_id: str) -> tuple[StoredArticle, tuple[StoredMention, ...]] | None:
        rows = self._read(
            "SELECT id, title, url, published, modified, language, text, keywords, CAST(stored_at AS VARCHAR) "
            "FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        i, title, url, published, modified, language, text, keywords, stored_at = rows[0]
        sources = tuple(s for (s,) in self._read(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY added_at, source", [article_id]))
        article = Article(id=i, source=sources[0] if sources else "", text=text, title=title, url=url,
                          published=published, modified=modified, language=language,
                          keywords=tuple(json.loads(keywords or "[]")))
        mrows = self._read(
            "SELECT id, event_id, article_id, record FROM mentions WHERE article_id = ? ORDER BY span_start, id",
            [article_id])
        mentions = tuple(StoredMention(m, e, a, title, event_from_json(r)) for m, e, a, r in mrows)
        return StoredArticle(article, sources, stored_at), mentions

    def stats(self, f: EventFilter) -> Stats:
        where, params = where_clause(f)
        with self._snapshot():
            return self._stats(where, params)

    def _stats(self, where: str, params: list[object]) -> Stats:
        total = int(self._read(f"SELECT count(*) FROM events WHERE {where}", params)[0][0])
        day_where = f"{where} AND date_precision = 'day' AND date_start IS NOT NULL"
        by_day = self._read(
            f"SELECT CAST(date_start AS VARCHAR), count(*) FROM events WHERE {day_where} GROUP BY 1 ORDER BY 1", params)
        by_week = self._read(
            f"SELECT strftime(date_start, '%G-W%V'), count(*) FROM events WHERE {day_where} GROUP BY 1 ORDER BY 1",
            params)
        by_type = self._read(f"SELECT type, count(*) FROM events WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1", params)
        by_country = self._read(
            f"SELECT place_country, count(*) FROM events WHERE {where} AND place_country IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1", params)
        conv = lambda rows: tuple((str(k), int(n)) for k, n in rows)  # noqa: E731
        return Stats(total, conv(by_day), conv(by_week), conv(by_type), conv(by_country))

    def counts(self) -> dict[str, int]:
        """Row counts per table (for summaries and consistency checks)."""
        out = {}
        for table in ("articles", "article_sources", "events", "mentions", "actors", "places"):
            out[table] = int(self._read(f"SELECT count(*) FROM {table}")[0][0])
        return out

    def check_consistency(self) -> list[str]:
        """Invariants a healthy store keeps; returns the violations found (empty when healthy)."""
        problems = []
        checks = {
            "mention without event": "SELECT count(*) FROM mentions m LEFT JOIN events e ON e.id = m.event_id WHERE e.id IS NULL",
            "mention without article": "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL",
            "event without mention": "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.id)",
            "event with wrong mention count": "SELECT count(*) FROM events e WHERE n_mentions <> (SELECT count(*) FROM mentions m WHERE m.event_id = e.id)",
            "article without source": "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)",
        }
        for name, sql in checks.items():
            n = int(self._read(sql)[0][0])
            if n:
                problems.append(f"{n} {name}")
        return problems


def _row_to_stored(row: tuple[Any, ...]) -> StoredEvent:
    (eid, typ, mode, a_name, a_cty, a_sec, t_name, t_cty, t_sec, dt, dprec, p_name, gid, lat, lon, p_cty,
     adm1, p_prec, background, negated, hypothetical, conf, trigger, cameo, acled, ev_sent, ev_start, ev_end,
     ev_article, n_m, n_a, n_s, _sort) = row
    actor = Actor(a_name, a_cty, a_sec) if (a_name or a_cty or a_sec) else None
    target = Actor(t_name, t_cty, t_sec) if (t_name or t_cty or t_sec) else None
    place = Place(p_name, gid, lat, lon, p_cty, adm1, p_prec or "city") if p_name else None
    event = Event(type=typ, evidence=Evidence(ev_sent, ev_start, ev_end), mode=mode, actor=actor, target=target,
                  date=dt, date_precision=dprec, location=place, background=background, confidence=conf,
                  negated=negated, hypothetical=hypothetical, trigger=trigger, cameo=cameo, acled=acled)
    return StoredEvent(eid, event, ev_article, n_m, n_a, n_s)


_EVENT_VALUE_NAMES = (
    "type", "mode", "actor_id", "actor_name", "actor_country", "actor_sector", "target_id", "target_name",
    "target_country", "target_sector", "date", "date_precision", "date_start", "date_end", "sort_date", "place_id",
    "place_name", "geonameid", "lat", "lon", "place_country", "admin1", "place_precision", "background", "negated",
    "hypothetical", "confidence", "trigger", "cameo", "acled", "evidence", "evidence_article", "evidence_start",
    "evidence_end", "search_text", "n_mentions", "n_articles", "n_sources",
)


def _event_values(group: MergedEvent, n_sources: int) -> dict[str, object]:
    """The events-table columns (but id and timestamps) of a merged event, in _EVENT_VALUE_NAMES order."""
    ev = group.event
    p = ev.location
    rng = dedup.date_range(ev.date, ev.date_precision)
    a, t = ev.actor or Actor(None), ev.target or Actor(None)
    rep = next((m for m in group.mentions if m.event.evidence == ev.evidence), group.mentions[0])
    sentences = sorted({m.event.evidence.sentence.lower() for m in group.mentions})
    values: dict[str, object] = {
        "type": ev.type, "mode": ev.mode,
        "actor_id": _actor_id(ev.actor), "actor_name": a.name, "actor_country": a.country, "actor_sector": a.sector,
        "target_id": _actor_id(ev.target), "target_name": t.name, "target_country": t.country,
        "target_sector": t.sector,
        "date": ev.date, "date_precision": ev.date_precision,
        "date_start": rng[0] if rng else None, "date_end": rng[1] if rng else None,
        "sort_date": rng[0] if rng else date.fromisoformat(_NO_DATE),
        "place_id": _place_id(p), "place_name": p.name if p else None, "geonameid": p.geonameid if p else None,
        "lat": p.lat if p else None, "lon": p.lon if p else None, "place_country": p.country if p else None,
        "admin1": p.admin1 if p else None, "place_precision": p.precision if p else None,
        "background": ev.background, "negated": ev.negated, "hypothetical": ev.hypothetical,
        "confidence": ev.confidence, "trigger": ev.trigger, "cameo": ev.cameo, "acled": ev.acled,
        "evidence": ev.evidence.sentence, "evidence_article": rep.article_id,
        "evidence_start": ev.evidence.start, "evidence_end": ev.evidence.end,
        "search_text": "\n".join(sentences),
        "n_mentions": len(group.mentions), "n_articles": group.n_articles, "n_sources": n_sources,
    }
    assert tuple(values) == _EVENT_VALUE_NAMES
    return values


def _insert_rows(con: duckdb.DuckDBPyConnection, head: str, rows: list[list[object]], *, tail: str = "",
                 chunk: int = 256) -> None:
    """Insert many rows with one statement per `chunk` rows (DuckDB pays per statement, not per row)."""
    for k in range(0, len(rows), chunk):
        part = rows[k:k + chunk]
        one = "(" + ", ".join("?" for _ in part[0]) + tail + ")"
        con.execute(f"{head} {', '.join(one for _ in part)}", [v for row in part for v in row])


class _Pending:
    """What a write batch has created or changed so far, before it is written."""

    def __init__(self) -> None:
        self.events: dict[str, tuple[MergedEvent, bool]] = {}  # id -> (merged event, to insert?)
        self.mentions: list[list[object]] = []
        self._views: dict[str, StoredEvent] = {}
        self._values: dict[str, dict[str, object]] = {}  # id -> column values (n_sources set at flush)

    def put(self, event_id: str, group: MergedEvent, *, insert: bool) -> None:
        self.events[event_id] = (group, insert)
        self._views.pop(event_id, None)
        self._values.pop(event_id, None)

    def values(self, event_id: str) -> dict[str, object]:
        """The event's column values, computed once per change (for matching, then for writing)."""
        if event_id not in self._values:
            self._values[event_id] = _event_values(self.events[event_id][0], 0)
        return self._values[event_id]

    def view(self, event_id: str) -> StoredEvent:
        """The event as the events table will hold it (what stored events are matched on)."""
        if event_id not in self._views:
            v = self.values(event_id)
            row = tuple(event_id if name == "id" else v[name] for name in _COLUMN_NAMES) + (str(v["sort_date"]),)
            self._views[event_id] = _row_to_stored(row)
        return self._views[event_id]
