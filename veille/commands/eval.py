"""`veille eval`: score the system against gold data, print a table or JSON, pin the gate."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from veille.errors import Errors, EvalError

__all__ = ["NAME", "HELP", "DESCRIPTION", "add_arguments", "run"]

NAME = "eval"
HELP = "score events, types, places, dates, entities and arguments against gold data"
DESCRIPTION = """\
Score Veille against gold annotations and print the figures.

The task is recognised from the data: event gold files (../shared/eval/FORMAT.md) are scored
with the event rules (one-to-one matching, P/R/F1 for news and background events, per type and
language, field accuracies); public sets (PLOVER GSR, CASE 2021, WiNER-fr, WikiEvents,
TR-News/LGL/GeoWebNews, event_location, FR-TimeBank/TE3) by their adapters. GOLD may be a
folder or a file; give several to score them in one run. Metrics: docs/evaluation.md.

examples:
  veille eval ../shared/eval/seed                      table of event P/R/F1 and field accuracy
  veille eval ../shared/eval/seed ../shared/eval/winer_events --json
  veille eval ../shared/eval/winer_events --show-errors      misses, false alarms, wrong fields
  veille extract ../shared/eval/winer_events/*.txt --format jsonl > pred.jsonl
  veille eval ../shared/eval/winer_events --predictions pred.jsonl   score saved predictions
  veille eval ../shared/eval/public/plover_gsr --task types
  veille eval --all                                    every set under ../shared/eval, one line each
  veille eval --gate                                   check the pinned floors (exit 1 on a drop)
  veille eval --pin                                    raise the floors to today's figures
  veille eval --pin --allow-lower --reason "gold v2"   lower a floor, recorded in baseline.json

Exit status: 0 when every set was scored (and, with --gate, no floor was broken), 1 otherwise.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from veille.eval.registry import TASKS

    parser.add_argument("gold", nargs="*", type=Path, metavar="GOLD", help="gold folder or file")
    parser.add_argument("--task", choices=TASKS, help="the kind of gold data (default: recognised)")
    parser.add_argument("--json", action="store_true", help="print a stable JSON document")
    parser.add_argument("--show-errors", action="store_true",
                        help="list misses, false alarms and wrong fields with their evidence")
    parser.add_argument("--predictions", type=Path, metavar="FILE.jsonl",
                        help="score `veille extract --format jsonl` output instead of running the pipeline")
    parser.add_argument("--all", action="store_true", help="evaluate every set under --root")
    parser.add_argument("--root", type=Path, default=None,
                        help="where --all, --gate and --pin find the sets (default ../shared/eval)")
    parser.add_argument("--gate", action="store_true", help="check the figures against the pinned floors")
    parser.add_argument("--pin", action="store_true", help="write today's figures as floors in the baseline")
    parser.add_argument("--allow-lower", action="store_true", help="with --pin: allow a floor to go down")
    parser.add_argument("--reason", metavar="TEXT", help="with --allow-lower: why (kept in the baseline)")
    parser.add_argument("--baseline", type=Path, default=None, help=argparse.SUPPRESS)


def _print_results(results: list, args: argparse.Namespace) -> None:
    from veille.eval.runner import format_result

    if args.json:
        docs = [r.to_dict(show_errors=args.show_errors) for r in results]
        print(json.dumps(docs[0] if len(docs) == 1 else docs, indent=1, ensure_ascii=False))
    else:
        print("\n\n".join(format_result(r, show_errors=args.show_errors) for r in results))


def _gate(args: argparse.Namespace, root: Path) -> int:
    from veille.eval import gate

    baseline_path = args.baseline or gate.BASELINE_PATH
    baseline = gate.load_baseline(baseline_path)
    names = list(gate.GATED) if args.pin else list(baseline["sets"])
    measured = gate.measure(root, names)
    for name, why in measured.failures.items():
        print(f"veille: {name}: {why}", file=sys.stderr)
    if args.pin:
        if measured.failures:
            return 1
        new = gate.pin(baseline, measured.metrics, measured.hashes, gate.GATED, tasks=measured.tasks,
                       allow_lower=args.allow_lower, reason=args.reason)
        gate.save_baseline(new, baseline_path)
        for name, entry in new["sets"].items():
            floors = "  ".join(f"{k}={v:.4f}" for k, v in entry["floors"].items())
            print(f"{name:<28} {floors}")
        print(f"pinned in {baseline_path}")
        return 0
    problems = gate.check(baseline, measured.metrics, measured.hashes)
    for line in problems:
        print(f"gate: {line}", file=sys.stderr)
    if not problems and not measured.failures:
        print(f"gate: {len(baseline['sets'])} sets at or above their floors")
    return 1 if problems or measured.failures else 0


def run(args: argparse.Namespace) -> int:
    from veille.eval.runner import default_root, format_summary, run as run_eval, run_all

    root = args.root or default_root()
    if (args.allow_lower or args.reason) and not args.pin:
        raise EvalError(Errors.E501.format(path="baseline", reason="--allow-lower and --reason go with --pin"))
    if args.pin or args.gate:
        return _gate(args, root)
    if args.all:
        results = run_all(root, show_errors=args.show_errors)
        if args.json:
            _print_results(results, args)
        else:
            print(format_summary(results, root))
        return 1 if any(r.failure for r in results) else 0
    if not args.gold:
        raise EvalError(Errors.E501.format(path="veille eval", reason="give GOLD paths, or --all (see --help)"))
    if args.predictions is not None and not args.predictions.is_file():
        raise EvalError(Errors.E101.format(path=args.predictions))
    results = run_eval(args.gold, task=args.task, show_errors=args.show_errors, predictions=args.predictions)
    _print_results(results, args)
    return 0
