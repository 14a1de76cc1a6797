"""`veille events`: query the store and print events as a table or JSON Lines."""
from __future__ import annotations

import argparse
import json
import sys

from veille.commands._store_options import DEFAULT_DB, add_filter_arguments, filter_from_args

NAME = "events"
HELP = "list stored events matching filters (table or JSON Lines)"
DESCRIPTION = """\
Print the events of a store, newest first, filtered by type, country, dates, place, actor
or evidence text. One line per event: date, type, actor, target, place, number of mentions
and the evidence sentence.

examples:
  veille events --db veille.duckdb
  veille events --type ASSAULT --country IRQ --since 2021-04-01 --until 2021-04-30
  veille events --actor "hezbollah" --format jsonl --limit 1000 > events.jsonl
  veille events --bbox 38,29,49,38 --news
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, help=f"store file (default: {DEFAULT_DB})")
    add_filter_arguments(parser)
    parser.add_argument("--limit", type=int, default=50, help="at most N events (default 50, max 500)")
    parser.add_argument("--offset", type=int, default=0, help="skip the first N events")
    parser.add_argument("--format", choices=("table", "jsonl"), default="table",
                        help="output format (default: table)")


def _cut(value: object, width: int) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _actor(a: object) -> str:
    if a is None:
        return "-"
    name = getattr(a, "name", None) or "?"
    tags = "/".join(x for x in (getattr(a, "country", None), getattr(a, "sector", None)) if x)
    return f"{name} ({tags})" if tags else name


def run(args: argparse.Namespace) -> int:
    from veille import service
    from veille.store import Store

    with Store(args.db, read_only=True) as store:
        page = service.query_events(store, filter_from_args(args), limit=args.limit, offset=args.offset)
    out = sys.stdout
    if args.format == "jsonl":
        for se in page.events:
            out.write(json.dumps(se.to_dict(), ensure_ascii=False) + "\n")
        return 0
    cols = (("date", 10), ("type", 9), ("actor", 28), ("target", 28), ("place", 18), ("n", 3), ("evidence", 60))
    out.write("  ".join(name.ljust(w) for name, w in cols).rstrip() + "\n")
    for se in page.events:
        ev = se.event
        values = (ev.date or "-", ev.type, _actor(ev.actor), _actor(ev.target),
                  ev.location.name if ev.location else "-", se.n_mentions, ev.evidence.sentence.replace("\n", " "))
        out.write("  ".join(_cut(v, w).ljust(w) for v, (_, w) in zip(values, cols)).rstrip() + "\n")
    shown = len(page.events)
    out.write(f"{shown} of {page.total} event(s)" + (f"; more with --offset {args.offset + shown}" if
                                                      page.total > args.offset + shown else "") + "\n")
    return 0
