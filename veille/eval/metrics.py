"""Small, shared scoring arithmetic: P/R/F1 from counts, ratios with their counts, distances.

Every ratio with nothing to count is 0, reported with its count beside it, so a reader can
tell "0 of 0" from "0 of 40".
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "EARTH_RADIUS_KM", "haversine_km", "prf", "ratio", "macro_f1", "round_metric", "summary_value",
]

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def round_metric(value: float) -> float:
    """Four decimals: enough to compare runs, stable across platforms."""
    return round(float(value), 4)


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 (each 0 when undefined) with the counts they come from."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round_metric(p), "r": round_metric(r), "f1": round_metric(f1),
            "tp": tp, "fp": fp, "fn": fn}


def ratio(correct: int, count: int) -> dict[str, Any]:
    """An accuracy with its denominator: {"value": correct/count or 0, "count": count}."""
    return {"value": round_metric(correct / count) if count else 0.0, "count": count}


def macro_f1(gold: Iterable[str], predicted: Iterable[str], labels: Iterable[str] | None = None
             ) -> tuple[float, dict[str, dict[str, Any]]]:
    """Macro-averaged F1 over `labels` (default: the gold labels) and the per-label P/R/F1."""
    gold_l, pred_l = list(gold), list(predicted)
    label_set = sorted(set(labels) if labels is not None else set(gold_l))
    per: dict[str, dict[str, Any]] = {}
    for label in label_set:
        tp = sum(1 for g, p in zip(gold_l, pred_l) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold_l, pred_l) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold_l, pred_l) if g == label and p != label)
        per[label] = prf(tp, fp, fn)
    value = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return round_metric(value), per


def summary_value(metrics: Mapping[str, Any], dotted: str) -> float | None:
    """Look up "news.f1" or "fields.actor.country" style keys (values of ratios unwrapped)."""
    node: Any = metrics
    parts = dotted.split(".")
    i = 0
    while i < len(parts):
        if not isinstance(node, Mapping):
            return None
        # field names contain dots themselves ("actor.country"): try the longest key first
        for j in range(len(parts), i, -1):
            key = ".".join(parts[i:j])
            if key in node:
                node = node[key]
                i = j
                break
        else:
            return None
    if isinstance(node, Mapping) and "value" in node:
        node = node["value"]
    return float(node) if isinstance(node, (int, float)) else None
