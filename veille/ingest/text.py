"""Plain-text articles: header recognition (title, last-modified, dateline, bullets, keywords).

The reference shape is

    Title line
    (last modified Wed, 07 Apr 2021 16:05:18 GMT )
    Apr 07, 2021 16:05 UTC
      • summary bullet
    <blank>
    body …
    Mots clés

The header block and the trailing keyword line are removed from the text and kept as metadata.
Text without that header is kept whole: a headline-like first line becomes the title but stays
in the text, and a leading dateline ("1er septembre 2016 . –") gives the publication date
without being removed. Month names come from CLDR (babel), labels from veille/data.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from veille.errors import EmptyInputError, Errors, InputError
from veille.models import Article, content_id
from veille.normalize import detect_language, normalize_text

__all__ = ["ParsedText", "parse_text", "parse_dateline", "article_from_text"]

MAX_TITLE_CHARS = 300
MAX_HEADLINE_CHARS = 200
MAX_KEYWORD_CHARS = 80
KEYWORD_TAIL_LINES = 12


@dataclass(frozen=True)
class ParsedText:
    """Result of splitting a normalised text into metadata and body."""

    text: str
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    keywords: tuple[str, ...] = ()
    header: bool = False


@dataclass(frozen=True)
class _Patterns:
    dateline_full: _FormSet
    dateline_lead: _FormSet
    last_modified: re.Pattern[str]
    keyword_line: re.Pattern[str]
    months: dict[str, int]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    from babel.dates import get_month_names

    labels = json.loads(
        resources.files("veille.data").joinpath("ingest_labels.json").read_text("utf-8")
    )
    months: dict[str, int] = {}
    ambiguous: set[str] = set()
    for loc in labels["month_locales"]:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for num, name in get_month_names(width, context=context, locale=loc).items():
                    for key in {name.lower().rstrip("."), _strip_accents(name.lower().rstrip("."))}:
                        if months.get(key, num) != num:
                            ambiguous.add(key)
                        months[key] = num
    for key in ambiguous:
        del months[key]
    alts = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    suffixes = "|".join(re.escape(s) for s in labels["ordinal_suffixes"])
    weekday = r"(?:[^\W\d_]{2,12}\.?,?\s+)?"
    mon = rf"(?P<mon>{alts})\.?"
    day = rf"(?P<day>\d{{1,2}})(?:{suffixes})?"
    year = r"(?P<year>\d{4})"
    time = r"(?:,?\s+(?:à\s+|at\s+|-\s+)?(?P<hh>\d{1,2})[:h](?P<mm>\d{2})(?::(?P<ss>\d{2}))?)?"
    tz = r"(?:\s*(?P<tz>UTC|GMT|Z|[+-]\d{2}:?\d{2}))?"
    forms = (
        rf"{weekday}{mon}\s+{day},?\s+{year}{time}{tz}",
        rf"{weekday}{day}\s+(?:de\s+)?{mon}\s+(?:de\s+)?{year}{time}{tz}",
        r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?)?" + tz,
    )
    # Python forbids one group name in several alternatives, so each form is compiled on its
    # own and the forms are tried in turn (_FormSet).
    lm_labels = sorted(
        {lab for group in labels["last_modified_labels"].values() for lab in group},
        key=len, reverse=True,
    )
    kw_labels = sorted(
        {lab for group in labels["keyword_labels"].values() for lab in group},
        key=len, reverse=True,
    )
    return _Patterns(
        dateline_full=_FormSet([re.compile(rf"^{f}\s*$", re.I) for f in forms]),
        dateline_lead=_FormSet(
            [re.compile(rf"^{f}(?:\s*[.,]?\s*[–—-]|\s*$)", re.I) for f in forms]
        ),
        last_modified=re.compile(
            r"^\(\s*(?:" + "|".join(re.escape(x) for x in lm_labels)
            + r")\s*:?\s*(?P<date>[^()]{4,80}?)\s*\)$",
            re.I,
        ),
        keyword_line=re.compile(
            r"^(?:" + "|".join(re.escape(x) for x in kw_labels) + r")\s*[:：]?\s*(?P<rest>.*)$",
            re.I,
        ),
        months=months,
    )


class _FormSet:
    """A few regexes tried in order; behaves like one pattern's `match`."""

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        self.patterns = patterns

    def match(self, line: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            found = pattern.match(line)
            if found:
                return found
        return None


def _date_from_match(found: re.Match[str], months: dict[str, int]) -> str | None:
    mon = found.group("mon")
    month = int(mon) if mon.isdigit() else months.get(mon.lower().rstrip("."))
    if month is None:
        return None
    try:
        return dt.date(int(found.group("year")), month, int(found.group("day"))).isoformat()
    except ValueError:
        return None


def parse_dateline(line: str, *, lead: bool = False) -> str | None:
    """ISO date of a dateline ("Apr 07, 2021 16:05 UTC", "7 avril 2021", "2021-04-07").

    With `lead=True` the date may be followed by a dash and more text ("6 juin 2017 . – …").
    """
    if len(line) > (MAX_TITLE_CHARS if not lead else 10_000):
        return None
    pats = _patterns()
    head = line[:120] if lead else line
    found = (pats.dateline_lead if lead else pats.dateline_full).match(head)
    return _date_from_match(found, pats.months) if found else None


def _parse_last_modified(line: str) -> tuple[bool, str | None]:
    """(is a last-modified line, ISO datetime or None)."""
    if len(line) > MAX_TITLE_CHARS:
        return False, None
    found = _patterns().last_modified.match(line)
    if not found:
        return False, None
    raw = found.group("date").strip()
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        day = parse_dateline(raw)
        return True, day
    return True, when.isoformat()


_BULLET_RE = re.compile(r"^[•·▪‣◦●○■□–—*-]\s+\S")
_SENTENCE_END_RE = re.compile(r"[.!?;:,]$")
_ELLIPSIS_RE = re.compile(r"(?:\.\.\.|…)$")
_KEYWORD_SPLIT_RE = re.compile(r"\s*[,;|•·]\s*")


def _is_keywordish(line: str) -> bool:
    return len(line) <= MAX_KEYWORD_CHARS and not _SENTENCE_END_RE.search(line)


def _split_keywords(lines: list[str]) -> tuple[str, ...]:
    words: list[str] = []
    for line in lines:
        for item in _KEYWORD_SPLIT_RE.split(line):
            item = item.strip()
            if item and len(item) <= MAX_KEYWORD_CHARS and item not in words:
                words.append(item)
    return tuple(words)


def _strip_keyword_tail(lines: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Remove a trailing 'Mots clés: …' / 'Keywords' block; return (lines, keywords)."""
    pattern = _patterns().keyword_line
    nonempty = [i for i, line in enumerate(lines) if line]
    tail = nonempty[-KEYWORD_TAIL_LINES:]
    for pos, idx in enumerate(tail):
        line = lines[idx]
        if len(line) > MAX_TITLE_CHARS:
            continue
        found = pattern.match(line)
        if not found:
            continue
        rest = found.group("rest").strip()
        after = [lines[j] for j in tail[pos + 1:]]
        if (rest and not _is_keywordish(rest)) or not all(_is_keywordish(a) for a in after):
            continue
        if not any(lines[:idx]):
            continue  # the keyword line is all there is: keep it as text
        return lines[:idx], _split_keywords(([rest] if rest else []) + after)
    return lines, ()


def _looks_like_headline(line: str) -> bool:
    if not (3 <= len(line) <= MAX_HEADLINE_CHARS) or len(line.split()) < 2:
        return False
    return bool(_ELLIPSIS_RE.search(line)) or not _SENTENCE_END_RE.search(line)


def parse_text(text: str) -> ParsedText:
    """Split normalised text into header metadata and body (see the module docstring)."""
    lines = text.split("\n")
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    header = False
    body_start = 0

    first = lines[0]
    if len(lines) > 1 and 0 < len(first) <= MAX_TITLE_CHARS and not parse_dateline(first):
        i = 1
        seen_date = False
        while i < len(lines) and lines[i]:
            line = lines[i]
            is_lm, when = _parse_last_modified(line)
            if is_lm:
                modified = modified or when
                seen_date = True
            elif (day := parse_dateline(line)) is not None:
                published = published or day
                seen_date = True
            elif not (seen_date and _BULLET_RE.match(line)):
                break
            i += 1
        if seen_date:
            header = True
            title = first
            body_start = i
        else:
            published = modified = None

    if header:
        body_lines = lines[body_start:]
    else:
        body_lines = lines
        nonempty = [line for line in lines[:6] if line][:3]
        if (
            len(lines) > 2 and _looks_like_headline(lines[0]) and lines[1] == ""
            and any(lines[2:])
        ):
            title = lines[0]
        candidates = nonempty[1:3] if title else nonempty[:2]
        for line in candidates:
            published = parse_dateline(line, lead=True)
            if published:
                break

    body_lines, keywords = _strip_keyword_tail(body_lines)
    body = "\n".join(body_lines).strip("\n")
    if published is None and modified:
        published = modified[:10]
    return ParsedText(
        text=body, title=title, published=published, modified=modified,
        keywords=keywords, header=header,
    )


def article_from_text(raw: str, source: str) -> Article:
    """Build an Article from plain text (header recognised and removed, text normalised).

    Raises EmptyInputError for empty or whitespace-only text, InputError (E108) when a
    header is followed by no text.
    """
    text = normalize_text(raw)
    if not text:
        raise EmptyInputError(Errors.E102.format(path=source))
    parsed = parse_text(text)
    if not parsed.text:
        raise InputError(Errors.E108.format(path=source))
    return Article(
        id=content_id(parsed.text),
        source=source,
        text=parsed.text,
        title=parsed.title,
        published=parsed.published,
        modified=parsed.modified,
        language=detect_language(parsed.text),
        keywords=parsed.keywords,
    )
