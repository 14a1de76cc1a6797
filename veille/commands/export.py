"""`veille export`: write stored events as JSON Lines, CSV, Parquet, GeoJSON or PLOVER JSON Lines."""
from __future__ import annotations

import argparse
import sys

from veille.commands._store_options import DEFAULT_DB, add_filter_arguments, filter_from_args

NAME = "export"
HELP = "export stored events (jsonl, csv, parquet, geojson, plover)"
DESCRIPTION = """\
Write every stored event matching the filters to a file (or stdout).

formats:
  jsonl    our event schema, one JSON object per line (FORMAT.md fields, id, cameo, acled,
           evidence offsets and the number of mentions, articles and sources)
  csv      the same fields, flattened (actor_country, place_name, lat, lon, ...)
  parquet  the same flat columns, typed
  geojson  a FeatureCollection of points (events without coordinates have a null geometry)
  plover   PLOVER's JSON field names (id, date, source, recipient, event, mode, event_loc,
           event_text, quad_code, text, text_info, coder, ...), one record per line

examples:
  veille export --format csv -o events.csv
  veille export --format geojson --type ASSAULT --since 2021-01-01 -o assaults.geojson
  veille export --format plover --country IRQ > irq.plover.jsonl
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from veille.export import FORMATS

    parser.add_argument("--db", default=DEFAULT_DB, help=f"store file (default: {DEFAULT_DB})")
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    parser.add_argument("-o", "--output", default="-", metavar="FILE", help="output file (default: stdout)")
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import os

    from veille.export import export_events
    from veille.store import Store

    with Store(args.db, read_only=True) as store:
        filters = filter_from_args(args)
        if args.output == "-":
            count = export_events(store, filters, args.format, sys.stdout.buffer)
            sys.stdout.flush()
        else:
            tmp = args.output + ".part"
            with open(tmp, "wb") as out:
                count = export_events(store, filters, args.format, out)
            os.replace(tmp, args.output)  # never leave a half-written export behind
    print(f"veille export: {count} event(s) as {args.format}"
          + ("" if args.output == "-" else f" to {args.output}"), file=sys.stderr)
    return 0
