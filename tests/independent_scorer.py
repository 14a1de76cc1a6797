"""A second, deliberately plain scorer of FORMAT.md, written from the text, for cross-checking.

It works on raw dicts, enumerates every (gold, prediction) pair into a list, sorts the list by
(background flags differ, distance, day difference) and takes pairs greedily. It shares no code
with veille.eval.
"""
from __future__ import annotations

import math
from datetime import date

RADII = {"city": 40, "admin2": 60, "admin1": 150, "region": 300}
ORDER = ["city", "admin2", "admin1", "region", "country"]


def km(a, b):
    r = 6371.0
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def has_xy(p):
    return p.get("lat") is not None and p.get("lon") is not None


def places_ok(g, p):
    """(agree?, distance) for a gold and predicted location dict (or None)."""
    if g is None:
        return True, 0.0
    if p is None:
        return False, None
    gp, pp = g.get("precision") or "city", p.get("precision") or "city"
    coarse = gp if ORDER.index(gp) >= ORDER.index(pp) else pp
    d = km(g, p) if has_xy(g) and has_xy(p) else None
    if coarse == "country":
        if g.get("country") is not None and p.get("country") is not None:
            return g["country"] == p["country"], (d if d is not None else 0.0)
        return (d is not None and d <= 500), d
    if d is None:
        return False, None
    return d <= RADII[coarse], d


def precision_of(e):
    if e.get("date") is None:
        return None
    return e.get("date_precision") or {4: "year", 7: "month"}.get(len(e["date"]), "day")


def dates_ok(g, p):
    if g.get("date") is None:
        return True, 0
    if p.get("date") is None:
        return False, None
    gprec, pprec = precision_of(g), precision_of(p)
    if gprec == "day":
        if pprec != "day":
            return False, None
        diff = abs((date.fromisoformat(p["date"][:10]) - date.fromisoformat(g["date"])).days)
        return diff <= 1, diff
    n = 7 if gprec == "month" else 4
    return (len(p["date"]) >= n and p["date"][:n] == g["date"]), 0


def score_article(gold, pred):
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g["type"] != p["type"]:
                continue
            d_ok, ddiff = dates_ok(g, p)
            p_ok, dist = places_ok(g.get("location"), p.get("location"))
            if d_ok and p_ok:
                flag = 0 if bool(g.get("background")) == bool(p.get("background")) else 1
                pairs.append((flag, dist, ddiff, i, j))
    pairs.sort()
    gold_taken, pred_taken = {}, {}
    for flag, dist, ddiff, i, j in pairs:
        if i not in gold_taken and j not in pred_taken:
            gold_taken[i] = j
            pred_taken[j] = i
    counts = {"news": {"tp": 0, "fp": 0, "fn": 0}, "background": {"tp": 0, "fp": 0, "fn": 0}}
    for i, g in enumerate(gold):
        if g.get("optional"):
            continue
        side = "background" if g.get("background") else "news"
        counts[side]["tp" if i in gold_taken else "fn"] += 1
    for j, p in enumerate(pred):
        if j not in pred_taken:
            counts["background" if p.get("background") else "news"]["fp"] += 1
    return counts


def score(articles):
    """articles: list of (gold events, predicted events) -> {"news": {tp,fp,fn}, "background": {...}}."""
    total = {"news": {"tp": 0, "fp": 0, "fn": 0}, "background": {"tp": 0, "fp": 0, "fn": 0}}
    for gold, pred in articles:
        c = score_article(gold, pred)
        for side in total:
            for k in total[side]:
                total[side][k] += c[side][k]
    return total
