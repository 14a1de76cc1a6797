"""Event filters and their translation into parameterised SQL (values never enter the SQL text)."""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass

from veille.errors import VeilleError

__all__ = ["EventFilter", "QueryError", "MAX_LIMIT", "where_clause", "encode_cursor", "decode_cursor"]

MAX_LIMIT = 500
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QueryError(VeilleError):
    """A filter value is malformed (bad date, bounding box or cursor)."""


@dataclass(frozen=True)
class EventFilter:
    """Which events to return. Text fields match case-insensitively as substrings."""

    types: tuple[str, ...] = ()
    mode: str | None = None
    actor: str | None = None  # substring of the actor's name
    actor_country: str | None = None
    target_country: str | None = None
    country: str | None = None  # actor, target or place country
    place: str | None = None  # substring of the place name or its admin1
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    since: str | None = None  # YYYY[-MM[-DD]]: events whose dates overlap [since, until]
    until: str | None = None
    background: bool | None = None
    q: str | None = None  # substring of any evidence sentence
    article_id: str | None = None


def _day(value: str, *, end: bool) -> str:
    if not _DATE_RE.match(value):
        raise QueryError(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    from veille.dedup import date_range

    rng = date_range(value, {1: "year", 2: "month", 3: "day"}[len(value.split("-"))])
    if rng is None:
        raise QueryError(f"invalid date {value!r}")
    return (rng[1] if end else rng[0]).isoformat()


def where_clause(f: EventFilter) -> tuple[str, list[object]]:
    """SQL condition over `events` (alias-free) and its parameters."""
    cond: list[str] = []
    params: list[object] = []
    if f.types:
        cond.append("type IN (" + ", ".join("?" for _ in f.types) + ")")
        params.extend(f.types)
    if f.mode:
        cond.append("mode = ?")
        params.append(f.mode)
    if f.actor:
        cond.append("contains(lower(actor_name), ?)")
        params.append(f.actor.lower())
    if f.actor_country:
        cond.append("actor_country = ?")
        params.append(f.actor_country.upper())
    if f.target_country:
        cond.append("target_country = ?")
        params.append(f.target_country.upper())
    if f.country:
        cond.append("(place_country = ? OR actor_country = ? OR target_country = ?)")
        params.extend([f.country.upper()] * 3)
    if f.place:
        cond.append("(contains(lower(place_name), ?) OR contains(lower(admin1), ?))")
        params.extend([f.place.lower()] * 2)
    if f.bbox:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise QueryError("invalid bbox: expected min_lon,min_lat,max_lon,max_lat in degrees")
        cond.append("lat BETWEEN ? AND ?")
        params.extend([min_lat, max_lat])
        if min_lon <= max_lon:
            cond.append("lon BETWEEN ? AND ?")
            params.extend([min_lon, max_lon])
        else:  # crosses the antimeridian
            cond.append("(lon >= ? OR lon <= ?)")
            params.extend([min_lon, max_lon])
    if f.since:
        cond.append("date_end >= CAST(? AS DATE)")
        params.append(_day(f.since, end=False))
    if f.until:
        cond.append("date_start <= CAST(? AS DATE)")
        params.append(_day(f.until, end=True))
    if f.background is not None:
        cond.append("background = ?")
        params.append(f.background)
    if f.q:
        cond.append("contains(search_text, ?)")
        params.append(f.q.lower())
    if f.article_id:
        cond.append("id IN (SELECT event_id FROM mentions WHERE article_id = ?)")
        params.append(f.article_id)
    return (" AND ".join(cond) if cond else "TRUE"), params


def encode_cursor(sort_date: str, event_id: str) -> str:
    """Opaque keyset cursor: the sort key of the last event of a page."""
    raw = json.dumps([sort_date, event_id]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort_date, event_id = json.loads(raw.decode("utf-8"))
        if not (isinstance(sort_date, str) and isinstance(event_id, str) and _DATE_RE.match(sort_date)):
            raise ValueError("bad cursor fields")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise QueryError(f"invalid cursor: {exc}") from exc
    return sort_date, event_id
