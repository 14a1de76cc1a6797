"""WiNER-fr named entities: P/R/F1 per type (PER, ORG, LOC) of spaCy NER after our place overrides.

Entities come from the French spaCy pipeline that Veille loads; where the place resolver
(`veille.resolve.places.PlaceResolver.geoparse`) resolves a span to a place, the span is
labelled LOC (relabelled when spaCy found the same span, added when it found nothing there).
Gold Date/Hour/Event/Product entities have no spaCy counterpart and are not scored.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from veille.eval.adapters._common import first_record, locate, require
from veille.eval.gold import iter_jsonl
from veille.eval.metrics import prf

__all__ = ["TASK", "NAMES", "GOLD_LABELS", "SPACY_LABELS", "detect", "evaluate", "apply_place_overrides", "score_spans"]

TASK = "entities"
NAMES = ("winer_fr",)
GOLD_LABELS = {"Person": "PER", "Organization": "ORG", "Location": "LOC"}
SPACY_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}
Span = tuple[int, int, str]


def _accept(path: Path) -> bool:
    rec = first_record(path)
    return rec is not None and {"doc", "text", "entities"} <= set(rec)


def detect(path: Path) -> bool:
    return locate(path, "*.jsonl", _accept) is not None


def apply_place_overrides(spans: Sequence[Span], places: Iterable[tuple[int, int]]) -> tuple[list[Span], int]:
    """Spans with resolved places labelled LOC; returns the spans and how many were changed."""
    out = list(spans)
    changed = 0
    for start, end in places:
        exact = [i for i, (s, e, _) in enumerate(out) if s == start and e == end]
        if exact:
            for i in exact:
                if out[i][2] != "LOC":
                    out[i] = (start, end, "LOC")
                    changed += 1
        elif not any(s < end and start < e for s, e, _ in out):
            out.append((start, end, "LOC"))
            changed += 1
    return sorted(out), changed


def score_spans(gold: Sequence[set[Span]], pred: Sequence[set[Span]], labels: Iterable[str]) -> dict[str, Any]:
    """Exact-span P/R/F1 per label and micro over all labels."""
    per_type: dict[str, Any] = {}
    totals = [0, 0, 0]
    for label in labels:
        tp = fp = fn = 0
        for g, p in zip(gold, pred):
            gl = {s for s in g if s[2] == label}
            pl = {s for s in p if s[2] == label}
            tp += len(gl & pl)
            fp += len(pl - gl)
            fn += len(gl - pl)
        per_type[label] = prf(tp, fp, fn)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    return {**prf(*totals), "per_type": per_type}


def _place_resolver() -> Any:
    try:
        from veille.resolve.places import PlaceResolver
    except ImportError:
        return None
    return PlaceResolver()


def evaluate(path: Path, *, show_errors: bool = False) -> dict[str, Any]:
    from veille.nlp import load_pipeline

    data = require(path, "*.jsonl", _accept, "WiNER-fr jsonl")
    docs = [rec for _, rec in iter_jsonl(data)]
    nlp = load_pipeline("fr")
    resolver = _place_resolver()
    gold_sets: list[set[Span]] = []
    raw_sets: list[set[Span]] = []
    pred_sets: list[set[Span]] = []
    overrides = 0
    # the sentence components change NER at sentence edges: keep what the pipeline runs
    enable = [name for name in ("tok2vec", "veille_sentences", "parser", "ner") if name in nlp.pipe_names]
    with nlp.select_pipes(enable=enable):
        parsed = list(nlp.pipe((str(d["text"]) for d in docs), batch_size=16))
    for rec, doc in zip(docs, parsed):
        gold_sets.append({(int(s), int(e), GOLD_LABELS[label]) for label, s, e, *_ in rec["entities"]
                          if label in GOLD_LABELS})
        raw = sorted({(ent.start_char, ent.end_char, SPACY_LABELS[ent.label_]) for ent in doc.ents
                      if ent.label_ in SPACY_LABELS})
        raw_sets.append(set(raw))
        if resolver is not None:
            toponyms = resolver.geoparse(
                doc.text, "fr", ents=tuple((e.start_char, e.end_char, e.label_) for e in doc.ents))
            spans, changed = apply_place_overrides(
                raw, ((t.start, t.end) for t in toponyms if getattr(t, "place", None) is not None))
            overrides += changed
            pred_sets.append(set(spans))
        else:
            pred_sets.append(set(raw))
    labels = ("PER", "ORG", "LOC")
    scored = score_spans(gold_sets, pred_sets, labels)
    spacy_only = score_spans(gold_sets, raw_sets, labels)
    errors = []
    if show_errors:
        for rec, g, p in zip(docs, gold_sets, pred_sets):
            text = str(rec["text"])
            errors += [{"kind": "miss", "doc": rec["doc"], "label": s[2], "text": text[s[0]:s[1]]} for s in sorted(g - p)]
            errors += [{"kind": "false_alarm", "doc": rec["doc"], "label": s[2], "text": text[s[0]:s[1]]}
                       for s in sorted(p - g)]
    metrics = {
        "f1": scored["f1"], "p": scored["p"], "r": scored["r"],
        "tp": scored["tp"], "fp": scored["fp"], "fn": scored["fn"],
        "spacy_f1": spacy_only["f1"],
        "place_overrides": overrides,
        "place_resolver": resolver is not None,
        "per_type": scored["per_type"],
    }
    return {"metrics": metrics, "errors": errors}
