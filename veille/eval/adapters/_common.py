"""Helpers shared by the adapters: finding a set's data file, running the pipeline on texts."""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.models import Article, ArticleResult, Event, content_id

__all__ = ["locate", "first_record", "load_data", "run_texts", "top_event", "require"]

DATA_DIR = Path(__file__).resolve().parents[1]


def locate(path: Path, pattern: str, accept: Callable[[Path], bool]) -> Path | None:
    """The data file: `path` itself, or the first file in the folder matching `pattern`, if accepted."""
    candidates = [path] if path.is_file() else sorted(path.glob(pattern)) if path.is_dir() else []
    return next((c for c in candidates if c.is_file() and accept(c)), None)


def require(path: Path, pattern: str, accept: Callable[[Path], bool], what: str) -> Path:
    found = locate(path, pattern, accept)
    if found is None:
        raise EvalError(Errors.E501.format(path=path, reason=f"no {what} file found"))
    return found


def first_record(path: Path) -> dict[str, Any] | None:
    """The first JSON object of a JSON Lines file, or None if it is not one."""
    try:
        with path.open(encoding="utf-8") as handle:
            line = handle.readline()
        obj = json.loads(line)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return obj if isinstance(obj, dict) else None


@cache
def load_data(name: str) -> dict[str, Any]:
    """A mapping file shipped in veille/eval/ (e.g. plover_legacy_types.json)."""
    path = DATA_DIR / name
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalError(Errors.E501.format(path=path, reason=str(exc))) from exc
    return data


def run_texts(items: Sequence[tuple[str, str | None, str | None, str]]) -> list[ArticleResult]:
    """Pipeline results for (text, language, published, source) items, in order, batched.

    Articles are built as `Pipeline.extract_text` builds them, but passed to `process_many`
    together so spaCy can batch them.
    """
    from veille.eval.context import shared_pipeline

    articles = [Article(id=content_id(text), source=source, text=text, published=published, language=language)
                for text, language, published, source in items]
    results = list(shared_pipeline().process_many(articles))
    if len(results) != len(articles):
        raise EvalError(Errors.E501.format(path="pipeline", reason=f"{len(results)} results for {len(articles)} articles"))
    return results


def top_event(result: ArticleResult) -> Event | None:
    """The main event of a result: the highest-confidence event told as news (the first one on a
    tie); a background event only when the sentence tells nothing else ("demonstrated on Tuesday
    in Serbia, where 24 people were killed last year" is a protest). None when there is none."""
    best: Event | None = None
    for event in result.events:
        if best is None or (event.background, -event.confidence) < (best.background, -best.confidence):
            best = event
    return best
