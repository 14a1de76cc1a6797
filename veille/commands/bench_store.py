"""`veille bench-store`: query latency on a large synthetic store, and an HTTP load test."""
from __future__ import annotations

import argparse
import json
import sys

NAME = "bench-store"
HELP = "measure GET /events latency on N synthetic events, and load-test a live server"
DESCRIPTION = """\
Build a store of N synthetic events (one mention and one article each, ten years of dates,
30 countries), then time typical GET /events requests (type, country, date range, bounding
box, actor, text search, deep offset) through the ASGI app and report p50/p95 per query and
overall. With --load-seconds, also start a real uvicorn server on 127.0.0.1 over that store
and drive it with --clients concurrent clients (GET /events and POST /articles) for that
long, then check the store's consistency.

examples:
  veille bench-store --events 1000000                      latency on one million events
  veille bench-store --events 100000 --load-seconds 30 --clients 16 --json
  veille bench-store --db big.duckdb --events 0            reuse a store built earlier
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", type=int, default=1_000_000, help="synthetic events to add (default 1000000)")
    parser.add_argument("--db", default=":memory:", help="store file (default: in memory)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the typical queries (default 20)")
    parser.add_argument("--load-seconds", type=float, default=0.0, help="run a load test this long (default: no)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load-test clients (default 8)")
    parser.add_argument("--pipeline", default="veille.pipeline:Pipeline", metavar="MODULE:FACTORY",
                        help="pipeline for the POST /articles of the load test")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    import time

    from veille.commands._store_options import load_pipeline_factory
    from veille.store import Store
    from veille.store.bench import build_synthetic, measure_queries

    out: dict[str, object] = {}
    with Store(args.db) as store:
        if args.events > 0:
            t0 = time.perf_counter()
            build_synthetic(store, args.events)
            out["build_seconds"] = round(time.perf_counter() - t0, 1)
        latency = measure_queries(store, rounds=args.rounds)
        out["latency"] = latency.to_dict()
        if not args.json:
            print(f"{latency.n_events} events; GET /events over {args.rounds} rounds of {len(latency.per_query)} "
                  f"typical queries: p50 {latency.p50_ms:.1f} ms, p95 {latency.p95_ms:.1f} ms, "
                  f"max {latency.max_ms:.1f} ms")
            for q, p50, p95 in latency.per_query:
                print(f"  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {q}")
        if args.load_seconds > 0:
            from veille.store.bench import serve_and_load

            report, problems = serve_and_load(store, load_pipeline_factory(args.pipeline), clients=args.clients,
                                              seconds=args.load_seconds)
            out["load"] = report.to_dict()
            out["consistency_problems"] = problems
            if not args.json:
                d = report.to_dict()
                print(f"load: {d['clients']} clients, {d['seconds']} s, {d['requests']} requests, "
                      f"{d['throughput_rps']} req/s, {d['errors']} errors; " + "; ".join(
                          f"{k}: {v['requests']} req, p95 {v['p95_ms']} ms" for k, v in d["per_kind"].items())
                      + f"; store consistency: {'ok' if not problems else problems}")
    if args.json:
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    load = out.get("load")
    return 1 if (isinstance(load, dict) and load["errors"]) or out.get("consistency_problems") else 0
