"""Measurements of the store and the HTTP API: query latency on a large synthetic store, and load.

`build_synthetic` fills a store with N synthetic events (one mention and one article each,
dates over ten years, 30 countries) with set-based SQL; `measure_queries` times typical
`GET /events` requests through the ASGI app; `run_load` drives a running server with N
concurrent clients (GET /events and POST /articles) for T seconds.
"""
from __future__ import annotations

import random
import statistics
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from veille.models import PLOVER_TYPES
from veille.store.db import Store

__all__ = ["TYPICAL_QUERIES", "LatencyReport", "LoadReport", "build_synthetic", "measure_queries", "run_load",
           "percentile"]

# (iso3, lat, lon) of the synthetic places
_COUNTRIES = (
    ("IRQ", 33.3, 44.4), ("SYR", 35.0, 38.5), ("FRA", 46.6, 2.4), ("USA", 39.8, -98.6), ("RUS", 55.7, 37.6),
    ("UKR", 49.0, 31.4), ("NGA", 9.1, 8.7), ("MLI", 17.6, -4.0), ("AFG", 34.5, 69.2), ("YEM", 15.6, 48.5),
    ("LBY", 27.0, 17.0), ("SOM", 5.2, 46.2), ("IND", 22.0, 79.0), ("PAK", 30.4, 69.3), ("COL", 4.6, -74.1),
    ("MEX", 23.6, -102.5), ("BRA", -14.2, -51.9), ("CHN", 35.9, 104.2), ("IRN", 32.4, 53.7), ("ISR", 31.0, 34.9),
    ("LBN", 33.9, 35.9), ("EGY", 26.8, 30.8), ("ETH", 9.1, 40.5), ("SDN", 12.9, 30.2), ("COD", -4.0, 21.8),
    ("MMR", 21.9, 95.9), ("PHL", 12.9, 121.8), ("TUR", 39.0, 35.2), ("DEU", 51.2, 10.5), ("GBR", 55.4, -3.4),
)
_SECTORS = ("GOV", "MIL", "COP", "REB", "CVL", "PTY", "JRN", "BUS")
_ACTORS = ("army", "police", "militia", "protesters", "government", "rebels", "ministry", "party")

TYPICAL_QUERIES: tuple[str, ...] = (
    "/events?limit=50",
    "/events?type=ASSAULT&limit=50",
    "/events?country=IRQ&since=2021-01-01&until=2021-12-31",
    "/events?type=PROTEST&actor_country=FRA&limit=100",
    "/events?bbox=38,29,49,38&since=2020-01-01",
    "/events?actor=militia&type=ASSAULT",
    "/events?q=convoy&country=SYR",
    "/events?since=2023-06-01&until=2023-06-30&limit=500",
    "/events?place=town%2017&limit=20",
    "/events?type=AGREE&offset=2000&limit=50",
)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def build_synthetic(store: Store, n_events: int, *, seed: int = 7) -> None:
    """Add `n_events` synthetic events, each with one mention in its own article (set-based SQL)."""
    con = store._con  # the single writer, used directly for a bulk load
    countries = ", ".join(f"('{c}', {lat}, {lon}, {i})" for i, (c, lat, lon) in enumerate(_COUNTRIES))
    types = ", ".join(f"'{t}'" for t in PLOVER_TYPES)
    sectors = ", ".join(f"'{s}'" for s in _SECTORS)
    actors = ", ".join(f"'{a}'" for a in _ACTORS)
    con.execute("BEGIN TRANSACTION")
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute(f"""
        CREATE TEMP TABLE syn AS
        WITH c(iso, lat, lon, k) AS (VALUES {countries})
        SELECT i,
               'syn' || lpad(CAST(i AS VARCHAR), 13, '0') AS id,
               [{types}][1 + CAST(floor(random() * 16) AS INTEGER)] AS type,
               c.iso AS iso, c.lat + (random() - 0.5) * 6 AS lat, c.lon + (random() - 0.5) * 8 AS lon,
               DATE '2015-01-01' + CAST(floor(i * 3650.0 / {n_events}) AS INTEGER) AS day,
               [{actors}][1 + CAST(floor(random() * {len(_ACTORS)}) AS INTEGER)] AS actor,
               [{sectors}][1 + CAST(floor(random() * {len(_SECTORS)}) AS INTEGER)] AS sector,
               (SELECT iso FROM c c2 WHERE c2.k = CAST(floor(random() * {len(_COUNTRIES)}) AS INTEGER)) AS tcountry,
               1 + CAST(floor(random() * 3) AS INTEGER) AS n
        FROM range({n_events}) t(i)
        JOIN c ON c.k = i % {len(_COUNTRIES)}
    """)
    con.execute("""
        INSERT INTO articles
        SELECT 'a' || id, 'Synthetic report ' || i, NULL, CAST(day AS VARCHAR), NULL, 'en',
               'Synthetic report ' || i || '. The ' || actor || ' carried out a ' || lower(type) ||
               ' action against a convoy near town ' || (i % 1000) || '.', '[]', current_timestamp
        FROM syn
    """)
    con.execute("INSERT INTO article_sources SELECT 'a' || id, 'synthetic/' || id, NULL, current_timestamp FROM syn")
    con.execute("""
        INSERT INTO events
        SELECT 'e' || id, type, NULL, NULL, 'the ' || actor, iso, sector, NULL, 'convoy', tcountry, 'MIL',
               CAST(day AS VARCHAR), 'day', day, day, day, NULL, 'town ' || (i % 1000), NULL, lat, lon, iso, NULL,
               'city', false, false, false, 0.5, NULL, NULL, NULL,
               'The ' || actor || ' carried out a ' || lower(type) || ' action against a convoy near town '
                   || (i % 1000) || '.',
               'a' || id, 20, 100,
               lower('The ' || actor || ' carried out a ' || lower(type) || ' action against a convoy near town '
                   || (i % 1000) || '.'),
               n, n, n, current_timestamp, current_timestamp
        FROM syn ORDER BY day
    """)
    con.execute("""
        INSERT INTO mentions
        SELECT 'm' || syn.id, 'e' || syn.id, 'a' || syn.id, 0, e.evidence, 20, 100,
               json_object('type', e.type, 'evidence', json_object('sentence', e.evidence, 'start', 20, 'end', 100),
                           'mode', NULL, 'actor', json_object('name', e.actor_name, 'country', e.actor_country,
                           'sector', e.actor_sector, 'wikidata', NULL), 'target', NULL, 'date', e.date,
                           'date_precision', 'day', 'location', json_object('name', e.place_name, 'geonameid', NULL,
                           'lat', e.lat, 'lon', e.lon, 'country', e.place_country, 'admin1', NULL,
                           'precision', 'city', 'confidence', 1.0, 'feature', NULL), 'background', false,
                           'confidence', 0.5, 'negated', false, 'hypothetical', false, 'trigger', NULL,
                           'cameo', NULL, 'acled', NULL)
        FROM syn JOIN events e ON e.id = 'e' || syn.id
    """)
    con.execute("UPDATE events SET n_mentions = 1, n_articles = 1, n_sources = 1 WHERE id LIKE 'esyn%'")
    con.execute("DROP TABLE syn")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")


@dataclass(frozen=True)
class LatencyReport:
    """Latency of each typical query (milliseconds) over `rounds` rounds."""

    n_events: int
    rounds: int
    per_query: tuple[tuple[str, float, float], ...]  # (query, p50, p95)
    p50_ms: float
    p95_ms: float
    max_ms: float

    def to_dict(self) -> dict[str, Any]:
        return {"events": self.n_events, "rounds": self.rounds, "p50_ms": round(self.p50_ms, 1),
                "p95_ms": round(self.p95_ms, 1), "max_ms": round(self.max_ms, 1),
                "per_query": [{"query": q, "p50_ms": round(a, 1), "p95_ms": round(b, 1)} for q, a, b in self.per_query]}


def measure_queries(store: Store, *, rounds: int = 20, queries: Sequence[str] = TYPICAL_QUERIES) -> LatencyReport:
    """Time each query `rounds` times through the ASGI app (after one warm-up round)."""
    import warnings

    from veille.api import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    client = TestClient(create_app(store, token=None))
    timings: dict[str, list[float]] = {q: [] for q in queries}
    for r in range(rounds + 1):
        for q in queries:
            t0 = time.perf_counter()
            response = client.get(q)
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{q}: HTTP {response.status_code}: {response.text[:200]}")
            if r:
                timings[q].append(elapsed)
    every = [t for ts in timings.values() for t in ts]
    n = store.counts()["events"]
    return LatencyReport(n, rounds, tuple((q, statistics.median(ts), percentile(ts, 95)) for q, ts in timings.items()),
                         statistics.median(every), percentile(every, 95), max(every))


@dataclass
class LoadReport:
    """Outcome of a load run: requests, errors, throughput and latency per kind."""

    clients: int
    seconds: float
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"GET /events": [], "POST /articles": []})
    posted_ids: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        per_kind = {k: {"requests": len(v), "p50_ms": round(statistics.median(v), 1) if v else None,
                        "p95_ms": round(percentile(v, 95), 1) if v else None} for k, v in self.latencies.items()}
        return {"clients": self.clients, "seconds": round(self.seconds, 2), "requests": self.requests,
                "throughput_rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
                "errors": len(self.errors), "first_errors": self.errors[:5], "per_kind": per_kind,
                "articles_posted": len(self.posted_ids)}


def run_load(base_url: str, *, clients: int = 8, seconds: float = 5.0, token: str | None = None,
             post_share: float = 0.2, seed: int = 11) -> LoadReport:
    """N clients in threads, each looping GET /events (varied filters) and POST /articles for T seconds."""
    import httpx

    report = LoadReport(clients=clients, seconds=seconds)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    gets = TYPICAL_QUERIES[:8]

    def client_loop(k: int) -> None:
        rng = random.Random(seed + k)
        with httpx.Client(base_url=base_url, timeout=30.0) as http:
            first = True
            while first or time.perf_counter() < stop_at:
                first = False
                posting = token is not None and rng.random() < post_share
                t0 = time.perf_counter()
                try:
                    if posting:
                        text = (f"Load test {uuid.UUID(int=rng.getrandbits(128))}\n\nA convoy came under attack "
                                f"near the border on Tuesday, report {k}.\n")
                        r = http.post("/articles", json={"text": text, "source": f"load/{k}"},
                                      headers={"Authorization": f"Bearer {token}"})
                        ok = r.status_code in (200, 201)
                    else:
                        r = http.get(rng.choice(gets))
                        ok = r.status_code == 200
                    detail = f"{r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    report.requests += 1
                    report.latencies["POST /articles" if posting else "GET /events"].append(elapsed)
                    if not ok:
                        report.errors.append(detail)
                    elif posting:
                        report.posted_ids.add(r.json()["article_id"])

    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report.seconds = time.perf_counter() - started
    return report


def serve_and_load(store: Store, pipeline: Any, *, clients: int, seconds: float,
                   token: str = "load-test-token") -> tuple[LoadReport, list[str]]:
    """Start uvicorn on a free loopback port over `store`, run the load, stop; returns the report
    and the store's consistency problems (empty when healthy)."""
    import socket

    import uvicorn

    from veille.api import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(store, pipeline=pipeline, token=token)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        # warm-up (not timed): loads the language identifier and the pipeline once
        warm = run_load(f"http://127.0.0.1:{port}", clients=1, seconds=0.0, token=token, post_share=1.0, seed=0)
        report = run_load(f"http://127.0.0.1:{port}", clients=clients, seconds=seconds, token=token)
        report.posted_ids |= warm.posted_ids
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    problems = store.check_consistency()
    missing = [i for i in report.posted_ids if not store.has_article(i)]
    if missing:
        problems.append(f"{len(missing)} posted articles missing")
    return report, problems
