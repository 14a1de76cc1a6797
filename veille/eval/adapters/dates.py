"""Scores `veille.resolve.dates` on TIMEX3 gold: French TimeBank and TempEval-3 Platinum.

Two figures, both against the document creation time (DCT) as base date:
- value accuracy: each gold DATE timex whose value is a calendar date at one of our precisions
  (YYYY, YYYY-MM, YYYY-MM-DD) is resolved from its gold span with `DateResolver.resolve`; the
  value must be equal. Excluded, and counted under `excluded`: DATE values that are weeks
  (2013-W11, weekends), seasons (1999-SU), quarters/halves, decades and centuries (196X, 19),
  unspecified years (XXXX-06-15), PRESENT_REF/PAST_REF/FUTURE_REF, durations written as DATE
  (P9M); and every TIME, DURATION and SET timex.
- recognition: the spans of `DateResolver.find` over the whole text against all gold DATE
  timexes (whatever their value), by span overlap. A found span overlapping only a non-DATE
  timex (e.g. "dimanche soir", a TIME) counts as a false positive in `recognition_p`; it does
  not in `recognition_p_any`.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.metrics import round_metric
from veille.resolve.dates import DateResolver

__all__ = ["TASK", "NAMES", "detect", "evaluate", "gold_value_class"]

TASK = "dates"
NAMES = ("fr_timebank", "te3_platinum")
_LANGUAGE_BY_NAME = {"fr_timebank": "fr", "te3_platinum": "en"}
_CALENDAR = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


def gold_value_class(timex: dict[str, Any]) -> str:
    """'ok' for DATE values at our precisions, else the reason it is excluded."""
    kind = str(timex.get("type", "")).upper()
    if kind != "DATE":
        return kind.lower() or "untyped"
    value = str(timex.get("value", ""))
    if _CALENDAR.fullmatch(value):
        return "ok"
    if value.endswith("_REF"):
        return "ref"
    if value.startswith("P"):
        return "duration"
    if "W" in value[4:]:
        return "week"
    if re.search(r"-(SP|SU|FA|AU|WI)$", value):
        return "season"
    if re.search(r"-(Q\d|H\d)$", value):
        return "quarter"
    if value.startswith("XXXX") or "XX" in value:
        return "unspecified"
    if re.fullmatch(r"\d{1,3}X*", value):
        return "decade_century"
    return "other"


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(path.glob("*_timex.jsonl"))
    return []


def _looks_like_timex(file: Path) -> bool:
    try:
        with file.open(encoding="utf-8") as fh:
            first = json.loads(fh.readline() or "{}")
    except (OSError, ValueError):
        return False
    return isinstance(first, dict) and {"dct", "text", "timex3"} <= set(first)


def detect(path: Path) -> bool:
    """A folder or file holding `*_timex.jsonl` records {docid, dct, text, timex3: [...]}."""
    files = _files(Path(path))
    return bool(files) and all(f.name.endswith(".jsonl") and _looks_like_timex(f) for f in files)


def _language(file: Path, records: list[dict[str, Any]]) -> str:
    for name, lang in _LANGUAGE_BY_NAME.items():
        if file.name.startswith(name) or file.parent.name == name:
            return lang
    if records and isinstance(records[0].get("language"), str):
        return str(records[0]["language"])
    import py3langid  # only for sets named neither way

    lang, _score = py3langid.classify(" ".join(r.get("text", "") for r in records[:20])[:20000])
    return str(lang)


def _read(file: Path) -> list[dict[str, Any]]:
    records = []
    with file.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not {"dct", "text", "timex3"} <= set(record):
                    raise ValueError("expected an object with dct, text and timex3")
            except ValueError as exc:
                raise EvalError(Errors.E106.format(path=file, line=number, reason=exc)) from exc
            records.append(record)
    return records


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def evaluate(path: Path, *, show_errors: bool = False,
             resolver: DateResolver | None = None) -> dict[str, Any]:
    files = _files(Path(path))
    if not files:
        raise EvalError(Errors.E501.format(path=path, reason="no *_timex.jsonl file"))
    resolver = resolver or DateResolver()
    excluded: Counter[str] = Counter()
    value_n = value_ok = value_none = 0
    by_precision: Counter[str] = Counter()
    by_precision_ok: Counter[str] = Counter()
    n_pred = pred_hit = pred_hit_any = 0
    n_gold = gold_found = 0
    e2e_n = e2e_ok = 0
    errors: list[dict[str, Any]] = []
    languages = set()
    for file in files:
        records = _read(file)
        language = _language(file, records)
        languages.add(language)
        if not resolver.supports(language):
            raise EvalError(Errors.E501.format(path=file, reason=f"no date lexicon for '{language}'"))
        for record in records:
            text, dct = str(record["text"]), str(record["dct"])[:10]
            timexes = [t for t in record["timex3"] if isinstance(t, dict)]
            gold_dates = [t for t in timexes if str(t.get("type", "")).upper() == "DATE"]
            for t in timexes:
                cls = gold_value_class(t)
                if cls != "ok":
                    excluded[cls] += 1
                    continue
                value_n += 1
                precision = _PRECISION_BY_LENGTH[len(t["value"])]
                by_precision[precision] += 1
                got = resolver.resolve(str(t["text"]), language, dct)
                if got is not None and got.value == t["value"]:
                    value_ok += 1
                    by_precision_ok[precision] += 1
                else:
                    value_none += got is None or got.value is None
                    if show_errors:
                        errors.append({"kind": "value", "doc": record.get("docid"), "dct": dct,
                                       "text": t["text"], "gold": t["value"],
                                       "predicted": got.value if got else None})
            found = resolver.find(text, language, dct)
            n_pred += len(found)
            n_gold += len(gold_dates)
            for r in found:
                if any(_overlaps(r.start, r.end, int(t["start"]), int(t["end"])) for t in gold_dates):
                    pred_hit += 1
                    pred_hit_any += 1
                elif any(_overlaps(r.start, r.end, int(t["start"]), int(t["end"])) for t in timexes):
                    pred_hit_any += 1
                elif show_errors:
                    errors.append(_span_error("spurious", record, r.text, r.start, r.end, r.value, None))
            for t in gold_dates:
                hits = [r for r in found if _overlaps(r.start, r.end, int(t["start"]), int(t["end"]))]
                if hits:
                    gold_found += 1
                    if gold_value_class(t) == "ok":
                        e2e_n += 1
                        e2e_ok += any(r.value == t["value"] for r in hits)
                elif show_errors:
                    errors.append(_span_error("missed", record, t["text"], int(t["start"]),
                                              int(t["end"]), None, t["value"]))
    p = pred_hit / n_pred if n_pred else 0.0
    r = gold_found / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    p_any = pred_hit_any / n_pred if n_pred else 0.0
    metrics: dict[str, Any] = {
        "value_acc": round_metric(value_ok / value_n if value_n else 0.0),
        "value_n": value_n,
        "value_unresolved": value_none,
        **{f"value_acc_{k}": round_metric(by_precision_ok[k] / by_precision[k]) for k in sorted(by_precision)},
        **{f"value_n_{k}": by_precision[k] for k in sorted(by_precision)},
        "recognition_p": round_metric(p),
        "recognition_r": round_metric(r),
        "recognition_f1": round_metric(f1),
        "recognition_p_any": round_metric(p_any),
        "recognition_gold_n": n_gold,
        "recognition_pred_n": n_pred,
        "e2e_value_acc": round_metric(e2e_ok / e2e_n if e2e_n else 0.0),
        "e2e_value_n": e2e_n,
        "excluded_n": sum(excluded.values()),
        "excluded": dict(sorted(excluded.items())),
        "language": ",".join(sorted(languages)),
        "dateparser_calls": resolver.dateparser_calls,
    }
    return {"metrics": metrics, "errors": errors if show_errors else []}


def _span_error(kind: str, record: dict[str, Any], text: str, start: int, end: int,
                predicted: str | None, gold: str | None) -> dict[str, Any]:
    body = str(record["text"])
    context = body[max(0, start - 40):end + 40].replace("\n", " ")
    return {"kind": kind, "doc": record.get("docid"), "dct": str(record["dct"])[:10], "text": text,
            "gold": gold, "predicted": predicted, "context": context}
