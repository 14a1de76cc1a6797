"""CASE 2021 task 2 snippets: event type per snippet after mapping ACLED-style subtypes to PLOVER.

A snippet's prediction is the pipeline's highest-confidence event type, or NONE; subtypes with
no PLOVER counterpart (disasters, crime) are gold NONE. Mapping: veille/eval/acled_subtypes.json.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.adapters._common import load_data, locate, require, run_texts, top_event
from veille.eval.metrics import macro_f1, round_metric

__all__ = ["TASK", "NAMES", "detect", "evaluate"]

TASK = "types"
NAMES = ("case2021_task2",)
NONE = "NONE"
HEADER = ["id", "EventSnippet", "SubType"]


def _accept(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\r\n").split("\t") == HEADER
    except (OSError, UnicodeDecodeError):
        return False


def detect(path: Path) -> bool:
    return locate(path, "*.tsv", _accept) is not None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for number, row in enumerate(rows, 2):
        if not row.get("EventSnippet") or not row.get("SubType"):
            raise EvalError(Errors.E106.format(path=path, line=number, reason="missing snippet or subtype"))
    return rows


def evaluate(path: Path, *, show_errors: bool = False) -> dict[str, Any]:
    data = require(path, "*.tsv", _accept, "CASE 2021 task 2 TSV")
    mapping = load_data("acled_subtypes.json")["subtypes"]
    rows = _rows(data)
    unknown = sorted({r["SubType"] for r in rows if r["SubType"] not in mapping})
    if unknown:
        raise EvalError(Errors.E501.format(path=data, reason=f"subtypes missing from acled_subtypes.json: {', '.join(unknown)}"))
    results = run_texts([(r["EventSnippet"], "en", None, f"case2021:{r['id']}") for r in rows])
    gold, pred, errors = [], [], []
    mode_ok = mode_n = 0
    for row, result in zip(rows, results):
        target = mapping[row["SubType"]]
        gold_type = target["type"] if target else NONE
        event = top_event(result)
        pred_type = event.type if event else NONE
        gold.append(gold_type)
        pred.append(pred_type)
        if target and target.get("mode") and pred_type == gold_type:
            mode_n += 1
            mode_ok += int(event is not None and event.mode == target["mode"])
        if show_errors and pred_type != gold_type:
            errors.append({"id": row["id"], "subtype": row["SubType"], "gold": gold_type,
                           "predicted": pred_type, "evidence": row["EventSnippet"]})
    correct = sum(g == p for g, p in zip(gold, pred))
    macro, per_type = macro_f1(gold, pred, labels={g for g in gold if g != NONE})
    return {"metrics": {
        "accuracy": round_metric(correct / len(gold)) if gold else 0.0,
        "count": len(gold),
        "macro_f1": macro,
        "none_gold": sum(g == NONE for g in gold),
        "no_event": sum(p == NONE for p in pred),
        "mode_acc": round_metric(mode_ok / mode_n) if mode_n else 0.0,
        "mode_count": mode_n,
        "per_type": per_type,
    }, "errors": errors}
