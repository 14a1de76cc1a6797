"""WikiEvents (KAIROS) event arguments: attacker, target and place of the events we extract.

Each document runs through the pipeline (English). A gold event of a mapped KAIROS type is
paired with the predicted event whose evidence sentence contains the gold trigger (same PLOVER
type first, then a matching trigger word, then confidence); each gold argument role, mapped to
attacker/target/place by veille/eval/kairos_roles.json, is right when the paired event's
actor/target/location name and one of the gold argument texts contain each other.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from veille.eval.adapters._common import first_record, load_data, locate, require, run_texts
from veille.eval.gold import iter_jsonl
from veille.eval.metrics import round_metric
from veille.models import Event

__all__ = ["TASK", "NAMES", "SLOTS", "detect", "evaluate", "names_agree", "pair_event"]

TASK = "arguments"
NAMES = ("wikievents_test",)
SLOTS = ("attacker", "target", "place")
_ARTICLE = re.compile(r"^(the|a|an)\s+")
_PUNCT = re.compile(r"[^\w\s]")


def _accept(path: Path) -> bool:
    rec = first_record(path)
    return rec is not None and {"doc_id", "text", "event_mentions", "entity_mentions"} <= set(rec)


def detect(path: Path) -> bool:
    return locate(path, "*.jsonl", _accept) is not None


def _norm(text: str) -> str:
    return _ARTICLE.sub("", " ".join(_PUNCT.sub(" ", text.lower()).split()))


def names_agree(predicted: str | None, gold: Sequence[str]) -> bool:
    """True when the predicted name and one gold argument text contain each other (normalised)."""
    if not predicted:
        return False
    p = _norm(predicted)
    return bool(p) and any((g := _norm(text)) and (g in p or p in g) for text in gold)


def pair_event(trigger: Mapping[str, Any], plover_type: str, events: Sequence[Event]) -> Event | None:
    """The predicted event whose evidence holds the gold trigger, best first."""
    start = int(trigger["start"])
    word = _norm(str(trigger.get("text", "")))
    candidates = [e for e in events if e.evidence.start <= start < e.evidence.end]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (
        e.type != plover_type,
        not (e.trigger and word and (_norm(e.trigger) in word or word in _norm(e.trigger))),
        -e.confidence,
    ))


def _slot_value(event: Event, slot: str) -> str | None:
    if slot == "attacker":
        return event.actor.name if event.actor else None
    if slot == "target":
        return event.target.name if event.target else None
    return event.location.name if event.location else None


def evaluate(path: Path, *, show_errors: bool = False) -> dict[str, Any]:
    data = require(path, "*.jsonl", _accept, "WikiEvents jsonl")
    mapping = load_data("kairos_roles.json")
    docs = [rec for _, rec in iter_jsonl(data)]
    results = run_texts([(str(d["text"]), "en", None, str(d["doc_id"])) for d in docs])
    tallies = {slot: [0, 0] for slot in SLOTS}
    scored = paired = same_type = 0
    errors = []
    for doc, result in zip(docs, results):
        for mention in doc["event_mentions"]:
            plover = mapping["types"].get(".".join(str(mention["event_type"]).split(".")[:2]))
            if plover is None:
                continue
            scored += 1
            gold: dict[str, list[str]] = {}
            for arg in mention.get("arguments", []):
                slot = mapping["roles"].get(arg.get("role"))
                if slot:
                    gold.setdefault(slot, []).append(str(arg.get("text", "")))
            event = pair_event(mention["trigger"], plover, result.events)
            paired += event is not None
            same_type += event is not None and event.type == plover
            for slot, texts in gold.items():
                predicted = _slot_value(event, slot) if event else None
                ok = names_agree(predicted, texts)
                tallies[slot][0] += int(ok)
                tallies[slot][1] += 1
                if show_errors and not ok:
                    errors.append({"doc": doc["doc_id"], "event": mention["id"], "type": plover,
                                   "trigger": mention["trigger"].get("text"), "slot": slot, "gold": texts,
                                   "predicted": predicted, "paired": event is not None,
                                   "evidence": event.evidence.sentence if event else None})
    metrics: dict[str, Any] = {}
    for slot, (ok, n) in tallies.items():
        metrics[f"{slot}_acc"] = round_metric(ok / n) if n else 0.0
        metrics[f"{slot}_count"] = n
    metrics.update({
        "events_scored": scored,
        "event_pairing": round_metric(paired / scored) if scored else 0.0,
        "type_acc": round_metric(same_type / scored) if scored else 0.0,
    })
    return {"metrics": metrics, "errors": errors}
