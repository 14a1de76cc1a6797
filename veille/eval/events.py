"""The event scorer of FORMAT.md: one-to-one matching best first, then P/R/F1 and field accuracy.

`score(pairs)` is pure (gold articles + their predicted events -> metrics); `evaluate(paths)`
gets predictions by running the pipeline, or from a `veille extract --format jsonl` file.
"""
from __future__ import annotations

import dataclasses
import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.gold import (
    GoldArticle, ScoredActor, ScoredEvent, ScoredPlace, date_start, event_from_dict,
    event_from_model, gold_files, is_gold_file, iter_jsonl, load_gold,
)
from veille.eval.metrics import haversine_km, prf, ratio
from veille.models import Article, content_id

__all__ = [
    "TASK", "NAMES", "RADIUS_KM", "FIELDS", "Match", "detect", "place_agreement", "date_agreement",
    "match_events", "score", "evaluate", "predictions_from_jsonl", "read_article",
]

TASK = "events"
NAMES = ("seed", "winer_events")

#: Radius of the coarser precision of gold and prediction (FORMAT.md); country is by code.
RADIUS_KM: dict[str, float] = {"city": 40.0, "admin2": 60.0, "admin1": 150.0, "region": 300.0}
NULL_COUNTRY_RADIUS_KM = 500.0
PRECISION_RANK = {"city": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4}
NEAR_KM = 10.0

FIELDS = (
    "actor.country", "actor.sector", "target.country", "target.sector", "place<=10km",
    "place.country", "place.unstated", "date.exact", "background.flag",
)


@dataclass(frozen=True)
class Match:
    gold: int  # index into the article's gold events
    predicted: int  # index into its predicted events
    distance_km: float
    day_difference: int


def place_agreement(gold: ScoredPlace | None, pred: ScoredPlace | None) -> float | None:
    """Distance used for ordering when the places agree, None when they do not."""
    if gold is None:
        return 0.0
    if pred is None:
        return None
    distance = (haversine_km(gold.lat, gold.lon, pred.lat, pred.lon)  # type: ignore[arg-type]
                if gold.has_coordinates and pred.has_coordinates else None)
    coarser = max(gold.precision, pred.precision, key=PRECISION_RANK.__getitem__)
    if coarser == "country":
        if gold.country and pred.country:
            return (distance or 0.0) if gold.country == pred.country else None
        return distance if distance is not None and distance <= NULL_COUNTRY_RADIUS_KM else None
    if distance is None:
        return None
    return distance if distance <= RADIUS_KM[coarser] else None


def date_agreement(gold: ScoredEvent, pred: ScoredEvent) -> int | None:
    """Day difference used for ordering when the dates agree (0 at coarser gold precision)."""
    if gold.date is None:
        return 0
    if pred.date is None or pred.date_precision is None:
        return None
    assert gold.date_precision is not None
    if gold.date_precision == "day":
        if pred.date_precision != "day":
            return None  # a month or year cannot be within one day
        days = abs((date_start(pred.date, "day") - date_start(gold.date, "day")).days)
        return days if days <= 1 else None
    width = 7 if gold.date_precision == "month" else 4
    if len(pred.date) < width:
        return None  # a year cannot name a month
    return 0 if pred.date[:width] == gold.date else None


def match_events(gold: Sequence[ScoredEvent], predicted: Sequence[ScoredEvent]) -> list[Match]:
    """One-to-one matching, best pair first: background flags agreeing, then distance, then days."""
    heap: list[tuple[int, float, int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if g.type != p.type:
                continue
            days = date_agreement(g, p)
            if days is None:
                continue
            distance = place_agreement(g.place, p.place)
            if distance is None:
                continue
            heapq.heappush(heap, (0 if g.background == p.background else 1, distance, days, gi, pi))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches: list[Match] = []
    while heap:
        _, distance, days, gi, pi = heapq.heappop(heap)
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        matches.append(Match(gi, pi, distance, days))
    return matches


def _same_actor_field(gold: ScoredActor | None, pred: ScoredActor | None, attr: str) -> bool:
    if gold is None:
        return pred is None
    return pred is not None and getattr(pred, attr) == getattr(gold, attr)


def _field_outcomes(g: ScoredEvent, p: ScoredEvent) -> dict[str, bool]:
    """Which field checks apply to a matched pair, and whether each is right."""
    out: dict[str, bool] = {}
    for role in ("actor", "target"):
        for attr in ("country", "sector"):
            out[f"{role}.{attr}"] = _same_actor_field(getattr(g, role), getattr(p, role), attr)
    if g.place is None:
        out["place.unstated"] = p.place is None or p.place.precision == "country"
    else:
        out["place.country"] = p.place is not None and p.place.country == g.place.country
        if g.place.precision == "city":
            out["place<=10km"] = (
                p.place is not None and p.place.has_coordinates and g.place.has_coordinates
                and haversine_km(g.place.lat, g.place.lon, p.place.lat, p.place.lon) <= NEAR_KM  # type: ignore[arg-type]
            )
    if g.date is not None:
        width = {"day": 10, "month": 7, "year": 4}[g.date_precision or "day"]
        out["date.exact"] = p.date is not None and len(p.date) >= width and p.date[:width] == g.date
    out["background.flag"] = g.background == p.background
    return out


def _describe(event: ScoredEvent) -> dict[str, Any]:
    place = event.place
    return {
        "type": event.type,
        "date": event.date,
        "place": (place.name or f"{place.lat},{place.lon}") if place else None,
        "actor": (event.actor.name or event.actor.country) if event.actor else None,
        "target": (event.target.name or event.target.country) if event.target else None,
        "background": event.background,
        "evidence": event.evidence,
    }


def _why_missed(g: ScoredEvent, predicted: Sequence[ScoredEvent]) -> str:
    """The closest reason a gold event found no partner, for --show-errors."""
    same_type = [p for p in predicted if p.type == g.type]
    if not same_type:
        return "no predicted event of this type"
    reasons = []
    for p in same_type:
        if date_agreement(g, p) is None:
            reasons.append(f"date {p.date} vs {g.date}")
        elif place_agreement(g.place, p.place) is None:
            if p.place is None:
                reasons.append("no predicted place")
            elif g.place and g.place.has_coordinates and p.place.has_coordinates:
                km = haversine_km(g.place.lat, g.place.lon, p.place.lat, p.place.lon)  # type: ignore[arg-type]
                reasons.append(f"place {p.place.name} is {km:.0f} km away")
            else:
                reasons.append(f"place {p.place.name} ({p.place.country}) does not agree")
        else:
            reasons.append("its partner was taken by a better pair")
    return "; ".join(sorted(set(reasons)))


def score(
    articles: Sequence[tuple[GoldArticle, Sequence[ScoredEvent]]], *, show_errors: bool = False
) -> dict[str, Any]:
    """Metrics of FORMAT.md over (gold article, predicted events) pairs, and the errors."""
    totals = {"news": [0, 0, 0], "background": [0, 0, 0]}  # tp, fp, fn
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    fields = {name: [0, 0] for name in FIELDS}  # correct, count
    errors: list[dict[str, Any]] = []
    matched_pairs = 0
    for article, predicted in articles:
        gold = article.events
        matches = match_events(gold, predicted)
        matched_pairs += len(matches)
        gold_partner = {m.gold: m.predicted for m in matches}
        pred_partner = {m.predicted: m.gold for m in matches}
        language = article.language or "unknown"
        for gi, g in enumerate(gold):
            if g.optional:
                continue
            kind = "background" if g.background else "news"
            hit = 0 if gi in gold_partner else 2
            totals[kind][hit] += 1
            if kind == "news":
                per_type[g.type][hit] += 1
                per_language[language][hit] += 1
            if hit and show_errors:
                errors.append({"kind": "miss", "article": article.id, "category": kind,
                               **_describe(g), "why": _why_missed(g, predicted)})
        for pi, p in enumerate(predicted):
            if pi in pred_partner:
                continue
            kind = "background" if p.background else "news"
            totals[kind][1] += 1
            if kind == "news":
                per_type[p.type][1] += 1
                per_language[language][1] += 1
            if show_errors:
                errors.append({"kind": "false_alarm", "article": article.id, "category": kind,
                               **_describe(p)})
        for m in matches:
            g, p = gold[m.gold], predicted[m.predicted]
            for name, right in _field_outcomes(g, p).items():
                fields[name][1] += 1
                fields[name][0] += int(right)
                if not right and show_errors:
                    errors.append({"kind": "field", "article": article.id, "field": name,
                                   "gold": _describe(g), "predicted": _describe(p)})
    metrics: dict[str, Any] = {
        "news": prf(*totals["news"]),
        "background": prf(*totals["background"]),
        "per_type": {t: prf(*c) for t, c in sorted(per_type.items())},
        "per_language": {lang: prf(*c) for lang, c in sorted(per_language.items())},
        "fields": {name: ratio(*fields[name]) for name in FIELDS},
        "articles": len(articles),
        "gold_events": sum(len(a.events) for a, _ in articles),
        "predicted_events": sum(len(p) for _, p in articles),
        "matched_pairs": matched_pairs,
    }
    return {"metrics": metrics, "errors": errors}


# --- getting predictions ------------------------------------------------------------------

def detect(path: Path) -> bool:
    """A gold event file, or a folder holding at least one."""
    if path.is_file():
        return is_gold_file(path)
    if path.is_dir():
        return any(is_gold_file(p) for p in gold_files(path))
    return False


def _minimal_article(raw: str, source: str) -> Article:
    """Used only while `veille.ingest.article_from_text` does not exist: the text as given."""
    text = raw.strip()
    first = text.splitlines()[0].strip() if text else None
    return Article(id=content_id(text), source=source, text=text, title=first or None)


def read_article(gold: GoldArticle) -> Article:
    """The gold article's text ingested as the CLI would, with the gold's date and language."""
    try:
        raw = gold.text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(Errors.E107.format(path=gold.text_path, reason=exc)) from exc
    try:
        from veille.ingest import article_from_text
    except ImportError:
        article = _minimal_article(raw, str(gold.text_path))
    else:
        article = article_from_text(raw, str(gold.text_path))
    changes: dict[str, Any] = {}
    if gold.published:
        changes["published"] = gold.published
    if gold.language:
        changes["language"] = gold.language
    return dataclasses.replace(article, **changes)


def _article_keys(gold: GoldArticle, article: Article | None) -> set[str]:
    keys = {f"id:{gold.id}", f"name:{gold.text_path.name}", f"name:{gold.gold_path.name}",
            f"stem:{gold.text_path.stem}", f"stem:{gold.gold_path.stem}"}
    if article is not None:
        keys |= {f"id:{article.id}", f"text:{article.text.strip()}"}
    return keys


def predictions_from_jsonl(
    path: Path, golds: Sequence[GoldArticle], articles: Sequence[Article | None]
) -> tuple[list[list[ScoredEvent]], list[str]]:
    """Predicted events per gold article from `veille extract --format jsonl` output."""
    index: dict[str, int] = {}
    for i, (gold, article) in enumerate(zip(golds, articles)):
        for key in _article_keys(gold, article):
            index.setdefault(key, i)
    found: list[list[ScoredEvent] | None] = [None] * len(golds)
    warnings: list[str] = []
    for number, obj in iter_jsonl(path):
        art = obj.get("article")
        events = obj.get("events")
        if not isinstance(art, Mapping) or not isinstance(events, list):
            raise EvalError(Errors.E106.format(path=path, line=number,
                                               reason='expected {"article": {...}, "events": [...]}'))
        source = str(art.get("source") or "")
        name = Path(source).name if source else ""
        keys = [f"id:{art.get('id')}", f"text:{str(art.get('text') or '').strip()}",
                f"name:{name}", f"stem:{Path(name).stem}"]
        target = next((index[k] for k in keys if k in index), None)
        if target is None:
            warnings.append(f"{path}: line {number}: matches no gold article (source {source or '?'}); ignored")
            continue
        try:
            scored = [event_from_dict(e) for e in events]
        except (ValueError, TypeError, AttributeError) as exc:
            raise EvalError(Errors.E106.format(path=path, line=number, reason=str(exc))) from exc
        found[target] = (found[target] or []) + scored
    result: list[list[ScoredEvent]] = []
    for gold, events in zip(golds, found):
        if events is None:
            warnings.append(f"{gold.gold_path}: no line of {path} is about this article; scored as no events")
        result.append(events or [])
    return result, warnings


def evaluate(
    paths: Path | Iterable[Path], *, show_errors: bool = False, predictions: Path | None = None,
    pipeline: Any = None,
) -> dict[str, Any]:
    """Score the pipeline (or a predictions file) on gold event files; {"metrics", "errors", "warnings"}."""
    path_list = [paths] if isinstance(paths, Path) else list(paths)
    golds: list[GoldArticle] = []
    warnings: list[str] = []
    for path in path_list:
        found, warns = load_gold(path)
        golds.extend(found)
        warnings.extend(warns)
    articles = [read_article(g) for g in golds]
    if predictions is not None:
        predicted, warns = predictions_from_jsonl(predictions, golds, articles)
        warnings.extend(warns)
    else:
        if pipeline is None:
            from veille.eval.context import shared_pipeline
            pipeline = shared_pipeline()
        results = list(pipeline.process_many(articles))
        predicted = [[event_from_model(e) for e in r.events] for r in results]
    result = score(list(zip(golds, predicted)), show_errors=show_errors)
    result["warnings"] = warnings
    return result
