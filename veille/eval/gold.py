"""Gold event files (FORMAT.md) and predictions, read into one comparable record shape.

Gold JSON, `veille extract --format jsonl` lines and pipeline `Event`s all become
`ScoredEvent`s, so the scorer compares like with like and never sees an anonymous dict.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.models import PLOVER_TYPES, PRECISIONS, Event

__all__ = [
    "ScoredActor", "ScoredPlace", "ScoredEvent", "GoldArticle",
    "load_gold", "gold_files", "is_gold_file", "find_text", "event_from_dict", "event_from_model",
    "date_start", "date_precision_of", "iter_jsonl",
]

DATE_PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class ScoredActor:
    name: str | None
    country: str | None
    sector: str | None


@dataclass(frozen=True)
class ScoredPlace:
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    precision: str = "city"

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class ScoredEvent:
    """One event as the scorer sees it (gold or predicted)."""

    type: str
    actor: ScoredActor | None
    target: ScoredActor | None
    date: str | None
    date_precision: str | None
    place: ScoredPlace | None
    background: bool = False
    optional: bool = False
    evidence: str | None = None
    mode: str | None = None


@dataclass(frozen=True)
class GoldArticle:
    id: str
    gold_path: Path
    text_path: Path
    language: str | None
    published: str | None
    events: tuple[ScoredEvent, ...]
    title: str | None = None


def date_precision_of(value: str | None, declared: str | None = None) -> str | None:
    """The precision of an ISO date string: the declared one, else from its length."""
    if value is None:
        return None
    if declared in DATE_PRECISIONS:
        return declared
    return {4: "year", 7: "month"}.get(len(value), "day")


def date_start(value: str, precision: str) -> Date:
    """First day of the period an ISO date string names ("2020-01" -> 2020-01-01)."""
    if precision == "year":
        return Date(int(value[:4]), 1, 1)
    if precision == "month":
        return Date(int(value[:4]), int(value[5:7]), 1)
    return Date.fromisoformat(value[:10])


def _actor(raw: Any) -> ScoredActor | None:
    if not isinstance(raw, Mapping):
        return None
    actor = ScoredActor(raw.get("name"), raw.get("country"), raw.get("sector"))
    if actor.name is None and actor.country is None and actor.sector is None:
        return None
    return actor


def _place(raw: Any) -> ScoredPlace | None:
    if not isinstance(raw, Mapping):
        return None
    precision = raw.get("precision") or "city"
    if precision not in PRECISIONS:
        raise ValueError(f"location precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    lat, lon = raw.get("lat"), raw.get("lon")
    return ScoredPlace(
        name=raw.get("name"),
        lat=float(lat) if lat is not None else None,
        lon=float(lon) if lon is not None else None,
        country=raw.get("country"),
        precision=precision,
    )


def _date(raw: Mapping[str, Any]) -> tuple[str | None, str | None]:
    value = raw.get("date")
    if value is None:
        return None, None
    value = str(value)
    precision = date_precision_of(value, raw.get("date_precision"))
    assert precision is not None
    cut = {"year": 4, "month": 7, "day": 10}[precision]
    value = value[:cut]
    date_start(value, precision)  # raises ValueError on a malformed date
    return value, precision


def event_from_dict(raw: Mapping[str, Any]) -> ScoredEvent:
    """A gold event or a predicted event in `Event.to_dict()` shape. Raises ValueError."""
    etype = raw.get("type")
    if etype not in PLOVER_TYPES:
        raise ValueError(f"event type {etype!r} is not a PLOVER type")
    date, precision = _date(raw)
    evidence = raw.get("evidence")
    if isinstance(evidence, Mapping):
        evidence = evidence.get("sentence")
    return ScoredEvent(
        type=etype,
        actor=_actor(raw.get("actor")),
        target=_actor(raw.get("target")),
        date=date,
        date_precision=precision,
        place=_place(raw.get("location")),
        background=bool(raw.get("background", False)),
        optional=bool(raw.get("optional", False)),
        evidence=evidence if isinstance(evidence, str) else None,
        mode=raw.get("mode"),
    )


def event_from_model(event: Event) -> ScoredEvent:
    """A pipeline `Event` as the scorer sees it."""
    return event_from_dict(event.to_dict())


def is_gold_file(path: Path) -> bool:
    """A JSON object with an "events" list (cheap check used for task detection)."""
    if path.suffix != ".json" or not path.is_file():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("events"), list)


def gold_files(path: Path) -> list[Path]:
    """The gold files of a path: the file itself, or every `*.json` under a folder."""
    if not path.exists():
        raise EvalError(Errors.E101.format(path=path))
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.json") if p.is_file())


def find_text(gold_path: Path, data: Mapping[str, Any]) -> Path:
    """The article text of a gold file: `text_file`, else `<id>.txt` beside it or in ../texts/."""
    folder = gold_path.parent
    tried: list[Path] = []
    if data.get("text_file"):
        tried.append((folder / str(data["text_file"])).resolve())
    ids = [str(data["id"])] if data.get("id") else []
    if gold_path.stem not in ids:
        ids.append(gold_path.stem)
    for ident in ids:
        tried.append(folder / f"{ident}.txt")
        tried.append(folder.parent / "texts" / f"{ident}.txt")
    for candidate in tried:
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(p) for p in tried)
    raise EvalError(Errors.E501.format(path=gold_path, reason=f"no article text found (looked for {looked})"))


def _load_one(path: Path) -> GoldArticle:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(Errors.E107.format(path=path, reason=exc)) from exc
    except json.JSONDecodeError as exc:
        raise EvalError(Errors.E501.format(path=path, reason=f"invalid JSON: {exc}")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise EvalError(Errors.E501.format(path=path, reason='not a gold file (no "events" list)'))
    events = []
    for i, raw in enumerate(data["events"]):
        try:
            if not isinstance(raw, Mapping):
                raise ValueError("not an object")
            events.append(event_from_dict(raw))
        except (ValueError, TypeError) as exc:
            raise EvalError(Errors.E501.format(path=path, reason=f"event {i}: {exc}")) from exc
    published = data.get("published")
    return GoldArticle(
        id=str(data.get("id") or path.stem),
        gold_path=path,
        text_path=find_text(path, data),
        language=data.get("language"),
        published=str(published)[:10] if published else None,
        events=tuple(events),
        title=data.get("title"),
    )


def load_gold(path: Path) -> tuple[list[GoldArticle], list[str]]:
    """Every gold article under `path`, and a warning for each JSON file that is not gold."""
    articles: list[GoldArticle] = []
    warnings: list[str] = []
    for file in gold_files(path):
        if path.is_dir() and not is_gold_file(file):
            warnings.append(f"{file}: skipped, not a gold file (no \"events\" list)")
            continue
        articles.append(_load_one(file))
    if not articles:
        raise EvalError(Errors.E501.format(path=path, reason="no gold event files found"))
    return articles, warnings


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON Lines file; coded error otherwise."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise EvalError(Errors.E101.format(path=path) if not path.exists()
                        else Errors.E107.format(path=path, reason=exc)) from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(Errors.E106.format(path=path, line=number, reason=f"invalid JSON: {exc.msg}")) from exc
            if not isinstance(obj, dict):
                raise EvalError(Errors.E106.format(path=path, line=number, reason="not a JSON object"))
            yield number, obj
