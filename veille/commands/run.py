"""`veille run`: process articles into the store (resumable, one transaction per batch)."""
from __future__ import annotations

import argparse
import sys

from veille.commands._store_options import DEFAULT_DB, load_pipeline_factory

NAME = "run"
HELP = "process articles into the store (events deduplicated across articles)"
DESCRIPTION = """\
Read articles (files, folders, JSON Lines, HTML, RSS/Atom, - for stdin), extract their
events and store them in a DuckDB file, merging reports of the same happening (same type,
dates within a day, places within 25 km, compatible actors) into one event with many
mentions.

Re-running is safe: an article already stored (same content) is not processed again, only
its new source is recorded. Each batch is one transaction, so a run that is interrupted
(even killed) can simply be started again: it resumes after the last stored batch.

examples:
  veille run examples/ --db veille.duckdb
  veille run feed.xml more/*.html --db news.duckdb --batch-size 32
  cat article.txt | veille run - --db veille.duckdb
  veille run big-folder/ --workers 2                   two worker processes, same results
  veille run big-folder/ --dask-local 4                a local Dask cluster of 4 workers
  veille run big-folder/ --scheduler tcp://10.0.0.5:8786 --shards /shared/veille-shards

A progress bar is shown on a terminal; each unreadable input gets one line on stderr; a
summary line ends the run. The exit status is non-zero only when nothing could be processed.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"store file (default: {DEFAULT_DB})")
    parser.add_argument("--batch-size", type=int, default=16, metavar="N",
                        help="articles per pipeline batch and per store transaction (default: 16)")
    parser.add_argument("--max-bytes", type=int, default=None, help="size limit per input file")
    parser.add_argument("--pipeline", default="veille.pipeline:Pipeline", metavar="MODULE:FACTORY",
                        help="pipeline factory (default: veille.pipeline:Pipeline)")
    par = parser.add_argument_group("parallel processing (veille.batch; results identical to one process)")
    par.add_argument("--workers", type=int, default=1, metavar="N",
                     help="worker processes on this machine, each loading the models once (default: 1)")
    par.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://HOST:PORT)")
    par.add_argument("--dask-local", type=int, metavar="N", help="start a local Dask cluster of N worker processes")
    par.add_argument("--shards", metavar="DIR",
                     help="folder for the Dask Parquet shards; shared by the workers and this machine "
                          "when the cluster is remote (default: a temporary folder)")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from tqdm import tqdm

    from veille import service
    from veille.ingest import iter_inputs
    from veille.models import IngestFailure
    from veille.store import Store

    if args.batch_size < 1:
        print("veille: --batch-size must be at least 1", file=sys.stderr)
        return 2
    pipeline = load_pipeline_factory(args.pipeline)()
    reader = iter_inputs
    if args.max_bytes or "-" in args.paths:
        reader = partial(iter_inputs, **({"max_bytes": args.max_bytes} if args.max_bytes else {}),
                         **({"stdin": sys.stdin.buffer} if "-" in args.paths else {}))
    bar = tqdm(unit=" articles", disable=not sys.stderr.isatty(), file=sys.stderr, dynamic_ncols=True)

    def on_item(item: object) -> None:
        bar.update(1)
        if isinstance(item, IngestFailure):
            bar.write(item.message, file=sys.stderr)

    with Store(args.db) as store:
        try:
            if args.workers > 1 or args.scheduler or args.dask_local:
                from veille.batch import run_paths_parallel

                summary = run_paths_parallel(store, args.paths, workers=args.workers, scheduler=args.scheduler,
                                             dask_local=args.dask_local, shard_dir=args.shards,
                                             pipeline_spec=args.pipeline, batch_size=args.batch_size,
                                             reader=reader, on_item=on_item)
            else:
                summary = service.run_paths(store, args.paths, pipeline, batch_size=args.batch_size,
                                            reader=reader, on_item=on_item)
        finally:
            bar.close()
    print(f"veille run: {summary.line()}; store {args.db}")
    return 0 if summary.processed + summary.already_stored > 0 else 1
