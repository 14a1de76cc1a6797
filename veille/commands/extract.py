"""`veille extract`: events of articles printed to stdout, without a store."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from veille.models import ArticleResult, IngestFailure

NAME = "extract"
HELP = "print the events of articles (JSON Lines, JSON or a table); nothing is stored"
DESCRIPTION = """\
Read articles and print the PLOVER events they report, each with actor, target, date,
place and the evidence sentence (character offsets into the article's clean text).

Inputs: plain-text files (a title line, "(last modified ...)" and a dateline header are
understood), HTML pages, JSON Lines files of articles ({"text": ..., "id", "url", "title",
"published", "language"}), RSS/Atom files, folders (recursive) and "-" for stdin.

examples:
  veille extract article.txt                       one JSON line per article
  veille extract --format table examples/          a readable table
  cat page.html | veille extract - --format json   a JSON array
  veille extract corpus.jsonl --language fr        force the language

Unreadable inputs get one line on stderr and the others are still processed; the exit
status is non-zero only when nothing could be processed.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument("--format", choices=("jsonl", "json", "table"), default="jsonl",
                        help="output format (default: jsonl, one line per article)")
    parser.add_argument("--language", default=None,
                        help="language of every article (default: detected per article)")
    parser.add_argument("--published", default=None,
                        help="publication date (YYYY-MM-DD) for articles that carry none")
    parser.add_argument("--keep-modal", action="store_true",
                        help="also output negated and hypothetical events (flagged)")
    parser.add_argument("--max-bytes", type=int, default=None, help="size limit per input file")


def iter_results(args: argparse.Namespace, stderr: TextIO) -> tuple[list[ArticleResult], int]:
    """Ingest and process the inputs; failures are reported on stderr and counted."""
    from dataclasses import replace

    from veille.ingest import iter_inputs
    from veille.pipeline import Pipeline

    failures = 0
    articles = []
    kwargs: dict[str, Any] = {}
    if args.max_bytes:
        kwargs["max_bytes"] = args.max_bytes
    for item in iter_inputs(args.paths, stdin=sys.stdin.buffer, **kwargs):
        if isinstance(item, IngestFailure):
            print(item.message, file=stderr)
            failures += 1
            continue
        if args.language:
            item = replace(item, language=args.language)
        if args.published and not item.published:
            item = replace(item, published=args.published)
        articles.append(item)
    pipeline = Pipeline(keep_modal=args.keep_modal)
    results = []
    for res in pipeline.process_many(articles):
        for w in res.warnings:
            print(w, file=stderr)
        results.append(res)
    return results, failures


def format_table(results: list[ArticleResult]) -> str:
    lines = []
    for res in results:
        a = res.article
        lines.append(f"# {a.source}  [{a.language or '?'}] {a.published or ''}  {a.title or ''}".rstrip())
        if not res.events:
            lines.append("  (no events)")
        for e in res.events:
            actor = e.actor.name if e.actor else "-"
            target = e.target.name if e.target else "-"
            ac = f"{e.actor.country or '?'}/{e.actor.sector or '?'}" if e.actor else ""
            tc = f"{e.target.country or '?'}/{e.target.sector or '?'}" if e.target else ""
            place = f"{e.location.name} ({e.location.precision})" if e.location else "-"
            bg = " [background]" if e.background else ""
            mode = f":{e.mode}" if e.mode else ""
            lines.append(f"  {e.date or '?':10}  {e.type}{mode}{bg}")
            lines.append(f"      actor  {actor} {ac}")
            lines.append(f"      target {target} {tc}")
            lines.append(f"      place  {place}   confidence {e.confidence:.2f}")
            lines.append(f"      \"{_short(e.evidence.sentence)}\"")
    return "\n".join(lines)


def _short(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def run(args: argparse.Namespace) -> int:
    results, failures = iter_results(args, sys.stderr)
    out = sys.stdout
    if args.format == "jsonl":
        for res in results:
            out.write(json.dumps(res.to_dict(), ensure_ascii=False) + "\n")
    elif args.format == "json":
        json.dump([r.to_dict() for r in results], out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(format_table(results) + "\n")
    if not results and failures:
        return 1
    return 0
