"""Within-article merging: one event per (type, actor, target, place, day).

News stories announce an event in a summary sentence ("three convoys were attacked") and
then detail it ("the first at A, the second at B ..."); they name a person, then call him
"the leader of X". Mentions that describe the same happening are merged here: a less
specific mention is absorbed into every compatible, more specific one and lends them the
fields they lack (actor, target country, date); duplicates collapse into one.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from veille.extract.events import Candidate
from veille.extract.lexicon import normalise_lemma
from veille.models import Actor, Place

__all__ = ["merge_candidates", "fill_missing_places", "haversine_km"]

_RANK = {"city": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 1}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _norm(s: str | None) -> str:
    return normalise_lemma(s) if s else ""


def _actor_compatible(a: Actor | None, a_generic: bool, b: Actor | None, b_generic: bool) -> bool:
    if a is None or b is None:
        return True
    if a.name and b.name and _norm(a.name) == _norm(b.name):
        return True
    if not a_generic and not b_generic:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.sector and b.sector and a.sector != b.sector and not (a_generic or b_generic):
        return False
    if a.sector and b.sector and a.sector != b.sector and {a.sector, b.sector} - {"GOV", "MIL", "COP", "UNK"}:
        return False
    return True


def _date_compatible(x: Candidate, y: Candidate) -> bool:
    if not x.date_explicit or not y.date_explicit or not x.date or not y.date:
        return True
    n = min(len(x.date), len(y.date))
    if x.date[:n] == y.date[:n]:
        return True
    if len(x.date) == 10 and len(y.date) == 10:
        from datetime import date

        try:
            return abs((date.fromisoformat(x.date) - date.fromisoformat(y.date)).days) <= 1
        except ValueError:
            return False
    return False


def _place_within(x: Candidate, y: Candidate) -> bool:
    """Is mention x's place compatible with (and no more specific than) y's?

    A place the text states as a province or country contains the towns in it; two places
    named differently in the text are different places, even when a town unknown to the
    gazetteer was resolved to its province.
    """
    xp, yp = x.location, y.location
    if xp is None:
        return True
    if yp is None:
        return False
    if x.place_stated_coarse:
        if xp.precision in ("country", "region"):
            return xp.country is not None and xp.country == yp.country
        return xp.country == yp.country and (
            _norm(xp.admin1) == _norm(yp.admin1) or _norm(xp.name) == _norm(yp.admin1))
    if y.place_stated_coarse:
        return False
    if _norm(x.place_text) == _norm(y.place_text) or (xp.geonameid is not None and xp.geonameid == yp.geonameid
                                                      and xp.precision == "city"):
        return True
    if (xp.precision == "city" and yp.precision == "city" and None not in (xp.lat, xp.lon, yp.lat, yp.lon)
            and haversine_km(xp.lat, xp.lon, yp.lat, yp.lon) <= 25):  # type: ignore[arg-type]
        return True
    return False


def _specificity(c: Candidate) -> float:
    s = 0.0
    if c.location is not None:
        s += _RANK.get(c.location.precision, 0) * (0.5 if c.place_stated_coarse else 1.0)
        if not c.place_stated_coarse:
            s += 1
    s += 0 if c.target is None or c.target_generic else 1.5
    s += 0 if c.actor is None or c.actor_generic else 1.0
    s += 0.5 if c.date_explicit else 0
    s += 0 if c.noun_trigger else 0.25
    return s


def _near(x: Candidate, y: Candidate) -> bool:
    """Mentions can only be one event when told close together or tied by a named participant."""
    if x.para_index == y.para_index or abs(x.sent_index - y.sent_index) <= 2:
        return True
    for a, ag, b, bg in ((x.actor, x.actor_generic, y.actor, y.actor_generic),
                         (x.target, x.target_generic, y.target, y.target_generic)):
        if a is not None and b is not None and not ag and not bg and a.name and _norm(a.name) == _norm(b.name):
            return True
    return False


def _retold(x: Candidate, y: Candidate) -> bool:
    """A mention told in a past tense ("les sources avaient fait état de 28 morts après
    l'attaque") about the very day of a news event of the same kind retells that event."""
    return x.background and not y.background and bool(x.date) and len(x.date or "") == 10 and x.date == y.date


def _compatible(x: Candidate, y: Candidate) -> bool:
    return (
        x.type == y.type
        and _near(x, y)
        and (x.background == y.background or _retold(x, y))
        and x.negated == y.negated
        and x.hypothetical == y.hypothetical
        and _date_compatible(x, y)
        and _actor_compatible(x.actor, x.actor_generic, y.actor, y.actor_generic)
        and _actor_compatible(x.target, x.target_generic, y.target, y.target_generic)
        and _place_within(x, y)
    )


def _lend(x: Candidate, y: Candidate) -> None:
    """Fill y's missing fields from x."""
    if y.actor is None or (y.actor_generic and not x.actor_generic and x.actor is not None) or (
            x.actor is not None and y.actor.country is None and x.actor.country):
        if x.actor is not None:
            y.actor, y.actor_text, y.actor_generic = x.actor, x.actor_text, x.actor_generic
    if y.target is None or (x.target is not None and y.target.country is None and x.target.country) or (
            y.target_generic and not x.target_generic and x.target is not None):
        if x.target is not None:
            y.target, y.target_text, y.target_generic = x.target, x.target_text, x.target_generic
    if not y.date_explicit and x.date_explicit:
        y.date, y.date_precision, y.date_explicit = x.date, x.date_precision, True
    if y.mode is None and x.mode is not None:
        y.mode = x.mode
    if y.location is None and x.location is not None:
        y.location, y.place_text, y.place_stated_coarse = x.location, x.place_text, x.place_stated_coarse
    y.confidence = min(0.97, max(y.confidence, x.confidence) + 0.05)
    y.sources.append(x.sent_index)


def merge_candidates(cands: Sequence[Candidate]) -> list[Candidate]:
    """Absorb less specific mentions into compatible more specific ones; drop duplicates.

    Of two equally specific mentions the later goes into the earlier, unless only the other
    way is possible (the earlier one states no place, the later one does)."""
    items = list(cands)
    order = sorted(range(len(items)), key=lambda i: (_specificity(items[i]), -items[i].sent_index))
    alive = [True] * len(items)
    for i in order:
        x = items[i]
        targets = [j for j in range(len(items))
                   if j != i and alive[j] and _compatible(x, items[j])
                   and (_specificity(items[j]) > _specificity(x)
                        or (_specificity(items[j]) == _specificity(x)
                            and (j < i or not _compatible(items[j], x))))]
        if not targets:
            continue
        # a mention with its own named place never lends itself to a different named place
        for j in targets:
            _lend(x, items[j])
        alive[i] = False
    return [c for c, keep in zip(items, alive) if keep]


def fill_missing_places(cands: list[Candidate], focus: Place | None) -> None:
    """An event with no place takes the place of the nearest event of its paragraph, else the
    article's focus (history told in a news story mostly happened where the story is set)."""
    for c in cands:
        if c.location is not None:
            continue
        same_para = [o for o in cands if o is not c and o.location is not None and o.para_index == c.para_index
                     and o.background == c.background]
        if same_para:
            nearest = min(same_para, key=lambda o: (abs(o.sent_index - c.sent_index), o.sent_index > c.sent_index))
            c.location, c.place_text = nearest.location, nearest.place_text
            c.confidence = max(0.1, c.confidence - 0.1)
        elif focus is not None:
            c.location, c.place_text = focus, focus.name
            c.confidence = max(0.1, c.confidence - 0.15)
