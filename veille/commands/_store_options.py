"""Helpers shared by the store commands: pipeline factories and filter options."""
from __future__ import annotations

import argparse
import importlib
from typing import Any

from veille.errors import Errors, VeilleError
from veille.models import PLOVER_TYPES
from veille.store import EventFilter

__all__ = ["DEFAULT_DB", "load_pipeline_factory", "add_filter_arguments", "filter_from_args"]

DEFAULT_DB = "veille.duckdb"


def load_pipeline_factory(spec: str) -> Any:
    """`module:callable` -> the callable (called with no arguments to build a pipeline)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise VeilleError(Errors.E602.format(what="--pipeline", reason=f"expected MODULE:FACTORY, got {spec!r}"))
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise VeilleError(Errors.E602.format(what="--pipeline", reason=f"cannot load {spec!r}: {exc}")) from exc


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("filters")
    g.add_argument("--type", action="append", choices=PLOVER_TYPES, metavar="TYPE",
                   help="PLOVER type (repeatable): " + ", ".join(PLOVER_TYPES))
    g.add_argument("--mode", help="PLOVER mode")
    g.add_argument("--actor", help="substring of the actor's name")
    g.add_argument("--actor-country", help="actor's ISO3 country")
    g.add_argument("--target-country", help="target's ISO3 country")
    g.add_argument("--country", help="ISO3 country of the actor, the target or the place")
    g.add_argument("--place", help="substring of the place or admin1 name")
    g.add_argument("--bbox", help="min_lon,min_lat,max_lon,max_lat")
    g.add_argument("--since", help="YYYY[-MM[-DD]]: events overlapping this date or later")
    g.add_argument("--until", help="YYYY[-MM[-DD]]: events overlapping this date or earlier")
    bg = g.add_mutually_exclusive_group()
    bg.add_argument("--background", dest="background", action="store_const", const=True, default=None,
                    help="only history mentioned as context")
    bg.add_argument("--news", dest="background", action="store_const", const=False,
                    help="only news events (not background)")
    g.add_argument("--text", dest="q", help="text in the evidence sentences")


def filter_from_args(args: argparse.Namespace) -> EventFilter:
    from veille.store import QueryError

    bbox = None
    if args.bbox:
        try:
            parts = [float(p) for p in args.bbox.split(",")]
            if len(parts) != 4:
                raise ValueError
        except ValueError as exc:
            raise QueryError("--bbox must be min_lon,min_lat,max_lon,max_lat") from exc
        bbox = (parts[0], parts[1], parts[2], parts[3])
    return EventFilter(types=tuple(args.type or ()), mode=args.mode, actor=args.actor,
                       actor_country=args.actor_country, target_country=args.target_country,
                       country=args.country, place=args.place, bbox=bbox, since=args.since,
                       until=args.until, background=args.background, q=args.q)
