"""Scores where events are placed, on Halterman's event_location gold (English sentences).

Each record is a sentence with a VERB span (the event trigger) and 0..n LOCATION spans where
that event happened (none: the sentence does not say). `accuracy`: share of records where the
predicted place of that event is right: no place when the gold has none; otherwise a place
matching a gold LOCATION (overlapping span, same normalised name, or resolved within 40 km).
Records whose LOCATION spans all lost their offsets in the export (empty or cut spans such as
"" or "g") are excluded and counted as `excluded_broken_span_n`.

The prediction is the location of the pipeline event whose trigger is the gold verb
(`veille.pipeline.Pipeline().extract_text`); when the pipeline gives no such event, the
syntactic attachment `veille.resolve.places.attach_event_place` from the gold trigger token.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.metrics import haversine_km, round_metric

__all__ = ["TASK", "NAMES", "detect", "evaluate"]

TASK = "event-places"
NAMES = ("event_location",)


def _data_file(path: Path) -> Path | None:
    cands = [path] if path.is_file() else sorted(path.glob("*.jsonl")) if path.is_dir() else []
    for c in cands:
        try:
            with c.open(encoding="utf-8") as fh:
                rec = json.loads(fh.readline())
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if isinstance(rec, dict) and "text" in rec and isinstance(rec.get("spans"), list) \
                and any(isinstance(s, dict) and s.get("label") == "VERB" for s in rec["spans"]):
            return c
    return None


def detect(path: Path) -> bool:
    """JSON Lines of sentences with VERB/LOCATION spans (Prodigy records)."""
    return _data_file(Path(path)) is not None


def _sound(text: str, span: dict[str, Any]) -> bool:
    """A LOCATION span whose offsets still cover a word (the export lost some: "", "g", " s")."""
    s, e = int(span["start"]), int(span["end"])
    piece = text[s:e]
    return e - s >= 3 and piece[:1].isalnum() and (s == 0 or not text[s - 1].isalnum())


def _pipeline_place(pipeline: Any, text: str, verb: str) -> tuple[bool, Any]:
    """(had a matching event, its location) from the event pipeline; (False, None) if it has none."""
    try:
        result = pipeline.extract_text(text, language="en")
    except (NotImplementedError, AttributeError):
        return False, None
    verb_n = verb.lower()
    for ev in result.events:
        trig = (ev.trigger or "").lower()
        if trig and (trig == verb_n or verb_n in trig.split() or trig in verb_n):
            return True, ev.location
    return False, None


def evaluate(path: Path, *, show_errors: bool = False, use_pipeline: bool = True) -> dict[str, Any]:
    from veille.nlp import load_pipeline
    from veille.resolve.gazetteer import normalize_name
    from veille.resolve.places import PlaceResolver, attach_event_place

    data = _data_file(Path(path))
    if data is None:
        raise EvalError(Errors.E501.format(path=path, reason="no event_location JSON Lines file found"))
    nlp = load_pipeline("en")
    resolver = PlaceResolver()
    pipeline = None
    if use_pipeline:
        from veille.eval.context import shared_pipeline

        pipeline = shared_pipeline()
    n = ok = n_loc = ok_loc = n_none = ok_none = from_pipeline = broken = 0
    errors: list[dict[str, Any]] = []
    with data.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for rec in records:
        text = str(rec["text"])
        verbs = [s for s in rec["spans"] if s.get("label") == "VERB"]
        if not verbs:
            continue
        verb = verbs[0]
        locs = [s for s in rec["spans"] if s.get("label") == "LOCATION"]
        gold = [s for s in locs if _sound(text, s)]
        if locs and not gold:
            broken += 1  # LOCATION spans whose offsets were lost: the gold place is unknown
            continue
        doc = nlp(text)
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        tops = resolver.geoparse(text, "en", ents)
        pred_span: tuple[int, int] | None = None
        pred_place = None
        had = False
        if pipeline is not None:
            had, pred_place = _pipeline_place(pipeline, text, str(verb.get("text", "")))
        if had:
            from_pipeline += 1
        else:
            tok = next((t for t in doc if t.idx <= int(verb["start"]) < t.idx + len(t.text)), None)
            topo = attach_event_place(doc, tok, toponyms=tops, resolver=resolver) if tok is not None else None
            if topo is not None:
                pred_span, pred_place = (topo.start, topo.end), topo.place
                if pred_place is None:
                    pred_place = topo  # an unresolved toponym still names a place
        predicted = pred_span is not None or pred_place is not None
        if not gold:
            n_none += 1
            right = not predicted or (pred_place is not None and getattr(pred_place, "precision", "") == "country")
            ok_none += right
        else:
            n_loc += 1
            right = False
            if pred_span is not None:
                right = any(int(g["start"]) < pred_span[1] and pred_span[0] < int(g["end"]) for g in gold)
            elif pred_place is not None and hasattr(pred_place, "lat"):
                names = {normalize_name(str(g["text"])) for g in gold}
                right = normalize_name(pred_place.name) in names
                if not right and pred_place.lat is not None:
                    for g in gold:
                        gp = resolver.resolve(str(g["text"]), context=tops)
                        if gp and gp.lat is not None and haversine_km(gp.lat, gp.lon, pred_place.lat, pred_place.lon) <= 40:
                            right = True
            ok_loc += right
        n += 1
        ok += right
        if show_errors and not right:
            errors.append({"id": rec.get("_id"), "text": text, "verb": verb.get("text"),
                           "gold": [g["text"] for g in gold],
                           "predicted": text[pred_span[0]:pred_span[1]] if pred_span else
                           (getattr(pred_place, "name", None) if pred_place is not None else None)})
    metrics = {
        "accuracy": round_metric(ok / n if n else 0.0), "n": n,
        "accuracy_with_location": round_metric(ok_loc / n_loc if n_loc else 0.0), "with_location_n": n_loc,
        "accuracy_no_location": round_metric(ok_none / n_none if n_none else 0.0), "no_location_n": n_none,
        "from_pipeline_n": from_pipeline,
        "excluded_broken_span_n": broken,
    }
    return {"metrics": metrics, "errors": errors if show_errors else []}
