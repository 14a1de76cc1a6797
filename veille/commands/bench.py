"""`veille bench`: pipeline throughput and memory against a bare spaCy parse, in one run."""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from collections.abc import Iterator
from typing import Any

NAME = "bench"
HELP = "measure articles/s per core, words/s, peak memory and cold start against a bare spaCy parse"
DESCRIPTION = """\
Build a corpus of N articles in a temporary folder (the examples, the shared reference and
news texts beside the repository, and variants made by recombining their paragraphs), then
measure over the same articles:

  bare_parse            spaCy nlp.pipe alone (the pipelines Veille loads), grouped by language
  pipeline              the full pipeline: read the files, detect languages, parse, extract
                        and resolve events (store excluded)
  pipeline_with_store   the same, written to a fresh DuckDB store (veille run's path)
  ratio                 pipeline / bare_parse in articles per core-second (1.0: the pipeline
                        costs no more than the parse)
  peak_rss_mb           peak resident memory of this process
  cold_start_s          from starting a new Python process to its first event out

"Per core" rates divide by the CPU time used (user + system), so other busy processes do not
lower them; wall-clock rates are given beside them. With --scaling, the same corpus also goes
through 1 and 2 worker processes and a 2-worker local Dask cluster (wall-clock throughput,
after the workers have loaded their models).

examples:
  veille bench                         300 articles, a short table
  veille bench --articles 600 --json   one JSON object (stable keys)
  veille bench --scaling --json        with the worker and Dask scaling runs

A progress bar is shown on a terminal only.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=300, metavar="N", help="articles in the corpus (default 300)")
    parser.add_argument("--batch-size", type=int, default=16, metavar="N", help="nlp.pipe batch size (default 16)")
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="alternate bare parse and pipeline N times, keep each one's best (default 2)")
    parser.add_argument("--no-store", action="store_true", help="skip the run with the store")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold-start measurement")
    parser.add_argument("--scaling", action="store_true",
                        help="also measure 1 and 2 worker processes and a 2-worker local Dask cluster")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


@contextmanager
def _bar(label: str, total: int) -> Iterator[Any]:
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit=" art", disable=not sys.stderr.isatty(), file=sys.stderr,
               leave=False, dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()


def _table(report: dict[str, Any]) -> str:
    lines = [f"{report['articles']} articles, {report['words']} words ({report['languages']}); "
             f"{report['cores']} cores, load average {report['load_average']}"]
    for key in ("bare_parse", "pipeline", "pipeline_with_store"):
        r = report.get(key)
        if r:
            lines.append(f"  {key:20s} {r['articles_per_s_per_core']:7.2f} articles/s/core "
                         f"{r['words_per_s_per_core']:9.1f} words/s/core   (wall: {r['articles_per_s']:.2f} articles/s)")
    lines.append(f"  ratio pipeline/bare  {report['ratio']:.3f} (per core), {report['ratio_wall']:.3f} (wall)")
    lines.append(f"  peak memory          {report['peak_rss_mb']:.0f} MB")
    lines.append(f"  cold start           {report['cold_start_s']} s to the first event")
    scaling = report.get("scaling")
    if scaling:
        for run in scaling["runs"]:
            extra = f", speedup {run['speedup']:.2f}, efficiency {run['efficiency']:.2f}" if "speedup" in run else ""
            lines.append(f"  {run['kind']:12s} x{run['workers']}: {run['articles_per_s']:.2f} articles/s"
                         f" (start-up {run['startup_s']:.1f} s){extra}")
        lines.append(f"  identical results across runs: {scaling['identical_results']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from veille.bench import run_bench

    if args.articles < 1 or args.batch_size < 1 or args.repeat < 1:
        print("veille: --articles, --batch-size and --repeat must be at least 1", file=sys.stderr)
        return 2
    report = run_bench(args.articles, batch_size=args.batch_size, repeat=args.repeat, store=not args.no_store,
                       cold_start=not args.no_cold_start, scaling=args.scaling, make_progress=_bar).to_dict()
    print(json.dumps(report, indent=2) if args.json else _table(report))
    return 0
