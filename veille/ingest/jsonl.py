"""JSON Lines input: one article per line, `{"text": ..., "id"?, "url"?, "title"?, "published"?, "language"?}`.

A bad line becomes an IngestFailure naming the file and line (counted from 1); the other lines
go on. `Article.source` is the record's `id`, or `<path>:<line>` when it has none.
"""
from __future__ import annotations

import logging

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from veille.errors import Errors, InputError
from veille.ingest.text import article_from_text
from veille.models import Article, IngestFailure

__all__ = ["iter_jsonl", "looks_like_jsonl", "article_from_record"]

OPTIONAL_FIELDS = ("id", "url", "title", "published", "language")


log = logging.getLogger(__name__)

def looks_like_jsonl(head: str) -> bool:
    """True when the first non-blank line of `head` is a JSON object."""
    for line in head.split("\n"):
        line = line.strip()
        if not line:
            continue
        if not line.startswith("{"):
            return False
        try:
            return isinstance(json.loads(line), dict)
        except (ValueError, RecursionError):
            return False
    return False


def _bad(path: str, line: int, reason: str) -> InputError:
    return InputError(Errors.E106.format(path=path, line=line, reason=reason))


def _coerce_date(value: str) -> str | None:
    """ISO date of a free-form date string, or None. Only dates with a year are accepted."""
    import dateparser

    if not any(ch.isdigit() for ch in value) or len(value) > 80:
        return None
    settings = {"REQUIRE_PARTS": ["year", "month", "day"], "RETURN_AS_TIMEZONE_AWARE": False}
    parsed = dateparser.parse(value, settings=settings)
    if parsed is None:  # "Nov 22, 2016 4:30 PM MT": zone abbreviations dateparser does not know
        import re

        parsed = dateparser.parse(re.sub(r"\b[A-Z]{1,4}T\b", " ", value), settings=settings)
    return parsed.date().isoformat() if parsed is not None else None


def _valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def article_from_record(record: Any, path: str, line: int) -> Article:
    """Article from one decoded JSON Lines record; raises InputError (E106) when invalid."""
    if not isinstance(record, dict):
        raise _bad(path, line, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise _bad(path, line, "field 'text' is missing or not a string")
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            raise _bad(path, line, f"field '{name}' must be a string")
    published = record.get("published")
    if isinstance(published, str) and published and not _valid_date(published):
        # scrapers write dates in every format ("Dec 18, 2016 9:57 AM ET"): read it as a date
        # when it is one; otherwise keep the article, without a publication date, and say so
        iso = _coerce_date(published)
        if iso is None:
            log.warning(Errors.E106.format(path=path, line=line, reason=f"field 'published' is not a date: {published[:40]!r}; ignored"))
        record = {**record, "published": iso}
    rec_id = record.get("id")
    source = str(rec_id) if rec_id not in (None, "") else f"{path}:{line}"
    try:
        article = article_from_text(text, source)
    except InputError as exc:
        # "[E102] src: empty input" -> "[E106] path: line N: empty input"
        reason = str(exc).split(": ", 1)[-1]
        raise _bad(path, line, f"text: {reason}") from exc
    overrides: dict[str, Any] = {}
    for name in ("url", "title", "published", "language"):
        value = record.get(name)
        if isinstance(value, (str, int)) and str(value).strip():
            overrides[name] = str(value).strip()
    return dataclasses.replace(article, **overrides)


def iter_jsonl(text: str, path: str) -> Iterator[Article | IngestFailure]:
    """One Article or IngestFailure per non-blank line of `text`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            yield IngestFailure(f"{path}:{number}", str(_bad(path, number, "JSON nested too deeply")))
            continue
        except ValueError as exc:
            reason = f"invalid JSON: {exc}"
            yield IngestFailure(f"{path}:{number}", str(_bad(path, number, reason[:200])))
            continue
        try:
            yield article_from_record(record, path, number)
        except InputError as exc:
            yield IngestFailure(f"{path}:{number}", str(exc))
