"""PLOVER gold-standard records: sentence-level event type, source/target country and sector.

Each sentence is run through the pipeline (English, published = the record's date) and its
highest-confidence event is compared with the record, after mapping the record's older type
names and CAMEO codes with veille/eval/plover_legacy_types.json.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from veille.eval.adapters._common import first_record, load_data, require, run_texts, top_event
from veille.eval.gold import iter_jsonl
from veille.eval.metrics import macro_f1, round_metric
from veille.models import Actor

__all__ = ["TASK", "NAMES", "detect", "evaluate", "gold_actor_codes"]

TASK = "types"
NAMES = ("plover_gsr",)
NONE = "NONE"


def _accept(path: Path) -> bool:
    rec = first_record(path)
    return rec is not None and "event" in rec and "textInfo" in rec and "text" in rec


def detect(path: Path) -> bool:
    from veille.eval.adapters._common import locate

    return locate(path, "*.jsonl", _accept) is not None


def _iso3(code: str) -> str | None:
    import pycountry

    legacy = load_data("plover_legacy_types.json")["countries"]
    code = legacy.get(code, code)
    return code if len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None else None


def gold_actor_codes(sides: Any) -> tuple[set[str | None], set[str]]:
    """Acceptable (countries, sectors) for one side of a record; empty sets when not scorable."""
    mapping = load_data("plover_legacy_types.json")
    countries: set[str | None] = set()
    sectors: set[str] = set()
    if isinstance(sides, Mapping):
        sides = [sides]
    for side in sides if isinstance(sides, list) else []:
        if not isinstance(side, Mapping):
            continue
        code = str(side.get("code") or "")
        if code in mapping["organisations"]:
            countries.add(None)
            sectors.add(mapping["organisations"][code])
        elif (iso := _iso3(code)) is not None:
            countries.add(iso)
        sector = mapping["sectors"].get(str(side.get("sector") or "")[:3])
        if sector is not None:
            sectors.add(sector)
    return countries, sectors


def _side_scores(pred: Actor | None, gold: Any, tallies: dict[str, list[int]], role: str) -> bool:
    countries, sectors = gold_actor_codes(gold)
    wrong = False
    if countries:
        ok = pred is not None and pred.country in countries
        tallies[f"{role}_country"][0] += int(ok)
        tallies[f"{role}_country"][1] += 1
        wrong |= not ok
    if sectors:
        ok = pred is not None and pred.sector in sectors
        tallies[f"{role}_sector"][0] += int(ok)
        tallies[f"{role}_sector"][1] += 1
        wrong |= not ok
    return wrong


def evaluate(path: Path, *, show_errors: bool = False) -> dict[str, Any]:
    data = require(path, "*.jsonl", _accept, "PLOVER GSR jsonl")
    types = load_data("plover_legacy_types.json")["types"]
    records = [rec for _, rec in iter_jsonl(data)]
    results = run_texts([(str(r["text"]), "en", r.get("date"), str(r.get("id", ""))) for r in records])
    gold_labels, pred_labels = [], []
    tallies = {k: [0, 0] for k in ("actor_country", "actor_sector", "target_country", "target_sector")}
    errors = []
    unmapped = 0
    for rec, result in zip(records, results):
        gold_type = types.get(str(rec.get("event")))
        if gold_type is None:
            unmapped += 1
            continue
        event = top_event(result)
        pred_type = event.type if event else NONE
        gold_labels.append(gold_type)
        pred_labels.append(pred_type)
        wrong = _side_scores(event.actor if event else None, rec.get("source"), tallies, "actor")
        wrong |= _side_scores(event.target if event else None, rec.get("target"), tallies, "target")
        if show_errors and (pred_type != gold_type or wrong):
            errors.append({
                "id": rec.get("id"), "gold": gold_type, "predicted": pred_type,
                "gold_source": [s.get("code") for s in rec.get("source") or [] if isinstance(s, Mapping)],
                "predicted_actor": event.actor.to_dict() if event and event.actor else None,
                "gold_target": [s.get("code") for s in rec.get("target") or [] if isinstance(s, Mapping)],
                "predicted_target": event.target.to_dict() if event and event.target else None,
                "evidence": rec.get("text"),
            })
    correct = sum(g == p for g, p in zip(gold_labels, pred_labels))
    macro, per_type = macro_f1(gold_labels, pred_labels)
    metrics: dict[str, Any] = {
        "accuracy": round_metric(correct / len(gold_labels)) if gold_labels else 0.0,
        "count": len(gold_labels),
        "macro_f1": macro,
        "no_event": sum(p == NONE for p in pred_labels),
        "unmapped_gold": unmapped,
    }
    for key, (ok, n) in tallies.items():
        metrics[f"{key}_acc"] = round_metric(ok / n) if n else 0.0
        metrics[f"{key}_count"] = n
    metrics["per_type"] = per_type
    return {"metrics": metrics, "errors": errors}
