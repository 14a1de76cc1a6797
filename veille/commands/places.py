"""`veille places`: every toponym of articles, with its span, resolution, precision and confidence."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from veille.models import IngestFailure

NAME = "places"
HELP = "geoparse articles: toponyms with spans, GeoNames resolution, precision and confidence"
DESCRIPTION = """\
A standalone geoparser. For each article, find the place names (spaCy NER joined with
gazetteer matching), resolve each one against the offline GeoNames gazetteer using the
article's context (its dominant country, admin divisions named nearby, proximity to other
places), and print them with character offsets into the article's clean text.

Precision is city, admin2, admin1, region or country. A town the gazetteer lacks, in a
province that its sentence or context names, resolves to that province (precision admin1).

examples:
  veille places article.txt                   one JSON line per toponym
  veille places --format table examples/      a readable table
  veille places --language fr news.jsonl      force the language

The gazetteer index is built on first use into $VEILLE_DATA_DIR (default
~/.local/share/veille); see `veille gazetteer --help`.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                        help="jsonl: one JSON object per toponym (default); table: aligned columns")
    parser.add_argument("--language", default=None, help="language of every article (default: detected)")


def _language(text: str) -> str:
    try:
        from veille.normalize import detect_language
    except ImportError:
        import py3langid

        return str(py3langid.classify(text)[0])
    return detect_language(text) or "en"


def _ents(text: str, language: str) -> list[tuple[int, int, str]]:
    from veille.nlp import load_pipeline

    nlp = load_pipeline(language)
    return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]


def run(args: argparse.Namespace) -> int:
    from veille.errors import LanguageError
    from veille.ingest import iter_inputs
    from veille.resolve.places import PlaceResolver

    resolver = PlaceResolver()
    failures = done = 0
    for item in iter_inputs(args.paths, stdin=sys.stdin.buffer):
        if isinstance(item, IngestFailure):
            print(item.message, file=sys.stderr)
            failures += 1
            continue
        lang = args.language or item.language or _language(item.text)
        try:
            ents = _ents(item.text, lang)
        except LanguageError as exc:
            print(f"veille: {exc}", file=sys.stderr)
            ents = []
        tops = resolver.geoparse(item.text, lang, ents)
        done += 1
        for t in tops:
            row: dict[str, Any] = {"article": item.id, "source": item.source, **t.to_dict()}
            if args.format == "jsonl":
                print(json.dumps(row, ensure_ascii=False))
            else:
                p = t.place
                where = (f"{p.name} ({p.country or '-'}, {p.admin1 or '-'}) {p.precision}"
                         f" {p.lat:.3f},{p.lon:.3f}" if p and p.lat is not None else
                         (f"{p.name} {p.precision}" if p else "unresolved"))
                print(f"{item.source[:28]:28}  {t.start:>6}-{t.end:<6} {t.text[:28]:28}  {where}  {t.confidence:.2f}")
    return 0 if done or not failures else 1
