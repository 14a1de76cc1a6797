"""`veille eval GOLD --predictions F --json` agrees with tests/independent_scorer.py on real gold.

The gold is ../shared/eval/seed and ../shared/eval/winer_events; predictions are synthetic
(perfect, shifted dates, missing places, extra events, moved places, random perturbations).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import random
import sys
from pathlib import Path

import pytest

from veille.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import independent_scorer  # noqa: E402

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SETS = ["seed", "winer_events"]
KM_PER_DEG = 6371.0 * 3.141592653589793 / 180


def gold_articles(name):
    out = []
    for path in sorted((EVAL / name).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = (path.parent / data["text_file"]).resolve() if data.get("text_file") else path.with_suffix(".txt")
        out.append((text, data["events"]))
    return out


def shift(e, days):
    if e.get("date") and len(e["date"]) == 10:
        e["date"] = (dt.date.fromisoformat(e["date"]) + dt.timedelta(days=days)).isoformat()
    return e


def move(e, km):
    if e.get("location") and e["location"].get("lat") is not None:
        e["location"]["lat"] += km / KM_PER_DEG
    return e


def as_prediction(e):
    e = copy.deepcopy(e)
    e.pop("optional", None)
    return e


def perturb(events, rng):
    out = []
    for e in events:
        if rng.random() < 0.2:
            continue
        e = as_prediction(e)
        shift(e, rng.choice([0, 0, 1, -1, 2]))
        move(e, rng.choice([0, 5, 35, 45, 140, 160, 290, 600]))
        if rng.random() < 0.15:
            e["background"] = not e.get("background")
        if rng.random() < 0.1:
            e["type"] = rng.choice(["ASSAULT", "ACCUSE", "SANCTION"])
        if rng.random() < 0.1 and e.get("location"):
            e["location"]["precision"] = rng.choice(["admin1", "country", "region"])
        if rng.random() < 0.1:
            e["location"] = None
        if rng.random() < 0.1 and e.get("date") and len(e["date"]) == 10:
            e["date"], e["date_precision"] = e["date"][:7], "month"
        out.append(e)
        if rng.random() < 0.15:
            out.append(move(copy.deepcopy(e), 20))
    return out


VARIANTS = {
    "perfect": lambda ev, rng: [as_prediction(e) for e in ev],
    "shift+1": lambda ev, rng: [shift(as_prediction(e), 1) for e in ev],
    "shift+2": lambda ev, rng: [shift(as_prediction(e), 2) for e in ev],
    "no-places": lambda ev, rng: [dict(as_prediction(e), location=None) for e in ev],
    "moved-50km": lambda ev, rng: [move(as_prediction(e), 50) for e in ev],
    "extra": lambda ev, rng: [as_prediction(e) for e in ev] + [dict(as_prediction(e), type="PROTEST") for e in ev]
    + [move(as_prediction(e), 10) for e in ev],
    "country-level": lambda ev, rng: [
        dict(as_prediction(e), location=dict(e["location"], precision="country") if e.get("location") else None)
        for e in ev],
    "background-flipped": lambda ev, rng: [dict(as_prediction(e), background=not e.get("background")) for e in ev],
    "empty": lambda ev, rng: [],
    **{f"random-{i}": (lambda i: lambda ev, rng: perturb(ev, random.Random(i * 1000 + len(ev))))(i)
       for i in range(12)},
}


@pytest.mark.parametrize("set_name", SETS)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_cli_agrees_with_independent_scorer(set_name, variant, tmp_path, capsys):
    articles = gold_articles(set_name)
    lines, pairs = [], []
    for text, events in articles:
        pred = VARIANTS[variant](events, None)
        lines.append(json.dumps({"article": {"id": "x", "source": str(text), "text": ""}, "events": pred}))
        pairs.append((events, pred))
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["eval", str(EVAL / set_name), "--predictions", str(pred_file), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    expected = independent_scorer.score(pairs)
    for side in ("news", "background"):
        got = {k: doc["metrics"][side][k] for k in ("tp", "fp", "fn")}
        assert got == expected[side], (side, variant)
    if variant == "perfect":
        assert doc["metrics"]["news"]["f1"] == 1.0
        assert all(v["value"] == 1.0 for k, v in doc["metrics"]["fields"].items() if v["count"])
