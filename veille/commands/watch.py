"""`veille watch`: poll RSS/Atom feeds and store the events of their new articles, until stopped."""
from __future__ import annotations

import argparse
import sys

from veille.commands._store_options import DEFAULT_DB, load_pipeline_factory

NAME = "watch"
HELP = "poll RSS/Atom feeds, fetch new articles and store their events (runs until stopped)"
DESCRIPTION = """\
Poll RSS or Atom feeds (URLs or local feed files) every --every, fetch each new item's page,
extract its events and store them, like `veille run` does for files. Feeds are fetched with
conditional requests (ETag / Last-Modified), so an unchanged feed costs one short answer.
An item already seen (same guid or link) is skipped, and an article whose content is already
stored is not processed again. What was seen is kept in a state file beside the store
(<db>.watch.json), so a restarted watch goes on where it stopped.

Fetching from private, loopback and link-local addresses is refused unless --allow-private
is given (for feeds on your own network or on this machine).

examples:
  veille watch https://example.org/rss.xml --every 15m --db news.duckdb
  veille watch feeds/world.xml https://example.org/atom --once          one cycle, then exit
  veille watch http://127.0.0.1:8000/feed.xml --allow-private --max-cycles 3 --every 30s

One line per cycle (feeds, items, new, already seen, events); one line on stderr per item
that could not be fetched or read. Stop with Ctrl-C: the current cycle's work is kept.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("feeds", nargs="+", metavar="FEED_OR_URL", help="feed URLs or local RSS/Atom files")
    parser.add_argument("--every", default="15m", metavar="DURATION",
                        help="time between cycles: 90s, 15m, 1h (default: 15m)")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"store file (default: {DEFAULT_DB})")
    parser.add_argument("--state", metavar="FILE", help="state file (default: <db>.watch.json)")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow feeds and articles on private or loopback addresses")
    parser.add_argument("--once", action="store_true", help="run one cycle and exit")
    parser.add_argument("--max-cycles", type=int, metavar="N", help="stop after N cycles")
    parser.add_argument("--no-fetch", action="store_true",
                        help="use the feed's own item text instead of fetching each article's page")
    parser.add_argument("--batch-size", type=int, default=16, metavar="N",
                        help="articles per pipeline batch and per store transaction (default: 16)")
    parser.add_argument("--pipeline", default="veille.pipeline:Pipeline", metavar="MODULE:FACTORY",
                        help="pipeline factory (default: veille.pipeline:Pipeline)")


def run(args: argparse.Namespace) -> int:
    from veille.store import Store
    from veille.watch import CycleReport, FeedState, Watcher, default_state_path, parse_interval

    every = parse_interval(args.every)
    max_cycles = 1 if args.once else args.max_cycles
    if max_cycles is not None and max_cycles < 1:
        print("veille: --max-cycles must be at least 1", file=sys.stderr)
        return 2
    if args.batch_size < 1:
        print("veille: --batch-size must be at least 1", file=sys.stderr)
        return 2
    pipeline = load_pipeline_factory(args.pipeline)()
    state = FeedState(args.state or default_state_path(args.db))
    failures = 0
    stored = 0

    def on_cycle(report: CycleReport) -> None:
        nonlocal failures, stored
        for message in report.messages:
            print(message, file=sys.stderr)
        failures += report.failed
        stored += report.new + report.already_stored
        print(f"veille watch: {report.line()}", flush=True)

    with Store(args.db) as store:
        watcher = Watcher(store, pipeline, args.feeds, state=state, allow_private=args.allow_private,
                          batch_size=args.batch_size, fetch_articles=not args.no_fetch)
        try:
            watcher.run(every=every, max_cycles=max_cycles, on_cycle=on_cycle)
        except KeyboardInterrupt:
            print(f"veille watch: stopped after {watcher.cycles} cycles; store {args.db}", file=sys.stderr)
            return 0
    # a bounded run in which something failed and nothing at all could be stored is a failure
    return 1 if failures and not stored else 0
