"""`veille actors`: resolve actor phrases to (name, country, sector), for debugging."""
from __future__ import annotations

import argparse
import json
import sys

NAME = "actors"
HELP = "resolve actor phrases to name, ISO3 country and PLOVER sector (debugging aid)"
DESCRIPTION = """\
Resolve each PHRASE the way the pipeline resolves an event's actor or target: a curated
knowledge base of organisations and office holders (aliases in many languages and scripts),
country names and demonyms, sector nouns ("ministre", "police", "rebels") and appositions
("X, président des Y").

examples:
  veille actors "Ali Hassan, porte-parole du Hezbollah"
  veille actors --language en "Sudan's Rapid Support Forces" "Hungarian and Romanian officials" --many
  veille actors --lookup "Daech"                 the knowledge-base entry of an exact alias
  veille actors --json "le Parlement irakien"    one JSON object per phrase

A bare nationality ("les Américains") gets a country but no sector: whether it is the
government or the army depends on the event. Exit status 1 when a phrase resolves to nothing.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("phrases", nargs="+", metavar="PHRASE", help="actor phrases to resolve")
    parser.add_argument("--language", default="fr", help="language of the phrases (default: fr)")
    parser.add_argument("--many", action="store_true",
                        help="split coordinated actors ('X and Y officials') into several")
    parser.add_argument("--lookup", action="store_true",
                        help="exact knowledge-base alias lookup instead of resolution")
    parser.add_argument("--json", action="store_true", help="print JSON lines")


def run(args: argparse.Namespace) -> int:
    from veille.resolve.actors import ActorResolver

    resolver = ActorResolver()
    missing = 0
    for phrase in args.phrases:
        if args.lookup:
            entry = resolver.lookup(phrase)
            found = [] if entry is None else [
                {"id": entry.id, "name": entry.name, "country": entry.country,
                 "sector": entry.sector, "kind": entry.kind, "wikidata": entry.wikidata}]
        else:
            actors = resolver.resolve_many(phrase, args.language) if args.many else \
                [a for a in [resolver.resolve(phrase, args.language)] if a is not None]
            found = [{**a.to_dict(), "wikidata": a.wikidata} for a in actors]
        if not found:
            missing += 1
        if args.json:
            print(json.dumps({"phrase": phrase, "actors": found}, ensure_ascii=False))
            continue
        if not found:
            print(f"{phrase}\n  -> (nothing)")
            continue
        print(phrase)
        for item in found:
            print(f"  -> {item['name']} | country={item['country']} | sector={item['sector']}"
                  + (f" | {item['wikidata']}" if item.get("wikidata") else ""))
    sys.stdout.flush()
    return 1 if missing else 0
