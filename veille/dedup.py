"""Deduplication: one event per happening, within an article and across articles and languages.

Pure functions over `veille.models.Event` and article ids. Two extracted events describe the
same happening when they are *compatible*:

- same PLOVER type, same negated/hypothetical flags, compatible modes (equal or one unknown);
- dates within one day at day precision, or the coarser date containing the finer one; an
  unknown date is compatible only inside one article (a summary sentence and its details);
- places within `MAX_KM` (25 km), or, when one side is coarser than a city, the same admin
  area at that coarser precision (same country, and same admin1 below country level); an
  unknown place is compatible with any place;
- actors and targets compatible: same country and sector, each field either equal or unknown.

Clustering is greedy and conservative: a mention joins the first cluster with which it is
compatible with *every* member, so that chains (A~B, B~C, A!~C) never merge A and C. The
merged event keeps every mention and takes, field by field, the best-supported value: the most
specific place, the most precise date, the most frequent actor and target values.
"""
from __future__ import annotations

import unicodedata

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from veille.models import Actor, Event, Place

__all__ = [
    "MAX_KM",
    "EventMention",
    "MergedEvent",
    "haversine_km",
    "date_range",
    "dates_compatible",
    "places_compatible",
    "actors_compatible",
    "compatible",
    "merge",
    "deduplicate",
]

MAX_KM = 25.0
_PLACE_RANK = {"city": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4}
_DATE_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class EventMention:
    """One extracted event in one article (`mention_id` is assigned by the store)."""

    article_id: str
    event: Event
    mention_id: str = ""


@dataclass(frozen=True)
class MergedEvent:
    """A happening: the merged event and every mention that reports it."""

    event: Event
    mentions: tuple[EventMention, ...]

    @property
    def n_articles(self) -> int:
        """Number of distinct articles (sources) reporting the happening."""
        return len({m.article_id for m in self.mentions})


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def date_range(value: str | None, precision: str | None = None) -> tuple[date, date] | None:
    """First and last day covered by an ISO date at day, month or year precision (None if unparsable)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
        if len(parts) >= 3 and precision not in ("month", "year"):
            d = date(parts[0], parts[1], parts[2])
            return d, d
        if len(parts) >= 2 and precision != "year":
            first = date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, IndexError):
        return None


def _precision(ev: Event) -> str:
    if ev.date_precision in _DATE_RANK:
        return ev.date_precision
    n = len((ev.date or "").split("-"))
    return {3: "day", 2: "month"}.get(n, "year")


def dates_compatible(a: Event, b: Event, *, same_article: bool = False) -> bool:
    """Within a day at day precision; containment at coarser precision; unknown only in one article."""
    ra, rb = date_range(a.date, a.date_precision), date_range(b.date, b.date_precision)
    if ra is None or rb is None:
        return same_article
    if _precision(a) == "day" and _precision(b) == "day":
        return abs((ra[0] - rb[0]).days) <= 1
    # the coarser range must contain the finer one (with a day of slack at its edges)
    (c0, c1), (f0, f1) = (ra, rb) if (ra[1] - ra[0]) >= (rb[1] - rb[0]) else (rb, ra)
    return c0 - timedelta(days=1) <= f0 and f1 <= c1 + timedelta(days=1)


def _coarser(p: Place, q: Place) -> Place:
    return p if _PLACE_RANK.get(p.precision, 0) >= _PLACE_RANK.get(q.precision, 0) else q


def places_compatible(a: Place | None, b: Place | None, *, max_km: float = MAX_KM) -> bool:
    """Within `max_km`, or the same admin area at the coarser of the two precisions."""
    if a is None or b is None:
        return True
    coarse = _coarser(a, b)
    rank = _PLACE_RANK.get(coarse.precision, 0)
    if rank == 0:  # both cities: distance decides
        if None in (a.lat, a.lon, b.lat, b.lon):
            return _same_text(a.name, b.name) and _eq_or_unknown(a.country, b.country)
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= max_km  # type: ignore[arg-type]
    if a.country and b.country and a.country != b.country:
        return False
    if rank >= _PLACE_RANK["region"]:
        return bool(a.country and b.country) or _same_text(a.name, b.name)
    # admin1/admin2: the finer place must lie in the coarser one's first-level division
    if a.admin1 and b.admin1:
        return _same_text(a.admin1, b.admin1)
    if None not in (a.lat, a.lon, b.lat, b.lon):
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= (150.0 if rank == 2 else 60.0)  # type: ignore[arg-type]
    return False


def _same_text(x: str | None, y: str | None) -> bool:
    return bool(x and y and x.casefold().strip() == y.casefold().strip())


def _eq_or_unknown(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x == y


def _proper(name: str | None) -> str | None:
    """A participant's proper name, normalised ("Nikolai Patrushev", "Group for the Support of
    Islam"), or None for a description, capitalised or not ("Au moins quatre soldats maliens",
    "Malian army post"): in a proper name every word but short function words is capitalised."""
    if not name or not name[:1].isupper() or len(name.split()) > 8:
        return None
    words = re.findall(r"[^\W\d_][\w'’-]*", name)
    # "al-Fayyad", "el-Assad": a particle joined to a capitalised name is part of the name
    if any(len(w) > 3 and all(part[:1].islower() for part in re.split(r"[-'’]", w) if part) for w in words):
        return None
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def actors_compatible(a: Actor | None, b: Actor | None) -> bool:
    """Same country and sector, each field equal or unknown on one side; two different proper
    names are two participants (two meetings with two hosts are two events)."""
    if a is None or b is None:
        return True
    sa = None if a.sector == "UNK" else a.sector
    sb = None if b.sector == "UNK" else b.sector
    na, nb = _proper(a.name), _proper(b.name)
    if na and nb and na != nb and na not in nb and nb not in na:
        return False
    return _eq_or_unknown(a.country, b.country) and _eq_or_unknown(sa, sb)


def compatible(a: Event, b: Event, *, same_article: bool = False, max_km: float = MAX_KM) -> bool:
    """Whether two extracted events can describe the same happening."""
    return (
        a.type == b.type
        and a.negated == b.negated
        and a.hypothetical == b.hypothetical
        and _eq_or_unknown(a.mode, b.mode)
        and dates_compatible(a, b, same_article=same_article)
        and places_compatible(a.location, b.location, max_km=max_km)
        and actors_compatible(a.actor, b.actor)
        and actors_compatible(a.target, b.target)
    )


def _most_common(values: Iterable[object]) -> object | None:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    # ties: first seen wins (Counter keeps insertion order)
    return next(v for v, c in counts.items() if c == best)


def _merge_actor(actors: Sequence[Actor | None]) -> Actor | None:
    known = [a for a in actors if a is not None]
    if not known:
        return None
    sectors = [a.sector for a in known if a.sector not in (None, "UNK")]
    name_counts = Counter(a.name for a in known if a.name)
    name = None
    if name_counts:
        top = max(name_counts.values())
        name = max((n for n, c in name_counts.items() if c == top), key=len)
    return Actor(
        name=name,
        country=_most_common(a.country for a in known),  # type: ignore[arg-type]
        sector=_most_common(sectors) or _most_common(a.sector for a in known),  # type: ignore[arg-type]
        wikidata=_most_common(a.wikidata for a in known),  # type: ignore[arg-type]
    )


def _merge_place(places: Sequence[Place | None]) -> Place | None:
    known = [p for p in places if p is not None]
    if not known:
        return None
    freq = Counter((p.geonameid, p.name) for p in known)
    return min(
        known,
        key=lambda p: (_PLACE_RANK.get(p.precision, 9), -freq[(p.geonameid, p.name)], -p.confidence),
    )


def merge(mentions: Sequence[EventMention]) -> MergedEvent:
    """One event from compatible mentions, each field from its best-supported value."""
    if not mentions:
        raise ValueError("merge() needs at least one mention")
    events = [m.event for m in mentions]
    first = max(events, key=lambda e: e.confidence)
    dated = [e for e in events if date_range(e.date, e.date_precision)]
    if dated:
        date_counts = Counter(e.date for e in dated)
        best_date = min(dated, key=lambda e: (_DATE_RANK[_precision(e)], -date_counts[e.date]))
        date_value, date_prec = best_date.date, _precision(best_date)
    else:
        date_value, date_prec = None, None
    not_conf = 1.0
    for e in events:
        not_conf *= 1.0 - max(0.0, min(1.0, e.confidence))
    merged = replace(
        first,
        mode=_most_common(e.mode for e in events),  # type: ignore[arg-type]
        actor=_merge_actor([e.actor for e in events]),
        target=_merge_actor([e.target for e in events]),
        date=date_value,
        date_precision=date_prec,
        location=_merge_place([e.location for e in events]),
        background=all(e.background for e in events),
        confidence=round(1.0 - not_conf, 6),  # noisy-or: independent reports raise confidence
        trigger=_most_common(e.trigger for e in events),  # type: ignore[arg-type]
        cameo=_most_common(e.cameo for e in events),  # type: ignore[arg-type]
        acled=_most_common(e.acled for e in events),  # type: ignore[arg-type]
    )
    return MergedEvent(event=merged, mentions=tuple(mentions))


def deduplicate(mentions: Iterable[EventMention], *, max_km: float = MAX_KM) -> list[MergedEvent]:
    """Group mentions into happenings (within and across articles), in first-seen order."""
    clusters: list[list[EventMention]] = []
    for m in mentions:
        for cluster in clusters:
            if all(
                compatible(m.event, other.event, same_article=m.article_id == other.article_id, max_km=max_km)
                for other in cluster
            ):
                cluster.append(m)
                break
        else:
            clusters.append([m])
    return [merge(c) for c in clusters]
