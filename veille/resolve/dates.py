"""Find date expressions in news text and resolve them against the publication date.

Words and patterns come from `veille/lexicons/<lang>/dates.json`; this module only interprets
the named groups of those patterns (year, month, day, weekday, direction, relative phrase,
"N units ago"), so adding a language is a data change. Common expressions are resolved here
without any library call; `dateparser` is only a cached fallback for a recognised span this code
cannot resolve, and for `resolve()` on an expression no pattern recognises.

Resolution rules for news (the base is the publication date):
- weekday alone ("mercredi", "on Wednesday", "ce mercredi"): the most recent such day on or
  before the base (the base itself if it matches); "dernier"/"last": strictly before;
  "prochain"/"next": strictly after;
- day and month without a year ("le 7 avril", "ce mercredi 7 avril"): with a weekday, the year
  (base year or either neighbour) where that day falls on that weekday; otherwise the most
  recent such day on or before the base, unless the same day is at most `future_days` ahead
  (an announcement: "la réunion du 2 juin" written on 27 May); "dernier"/"prochain" decide;
- month without a year: the base month or the most recent earlier one, unless the month starts
  at most `future_days` ahead ("en mai" written on 7 April is this May); `future_days=0` gives
  "never after the base month";
- bare year: only 1900-2100 and only where it reads as a year (see `year_context` in the data);
- weeks ("cette semaine", "last week") are recognised but have no value at our precisions.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from veille.errors import Errors, InputError, LanguageError, ModelError

__all__ = ["ResolvedDate", "DateResolver", "background_hint", "parse_base", "LEXICON_DIR"]

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons"
_YEAR_ALONE_RANGE = (1900, 2100)
_HYPHENS = "-‐‑–"
_HYPH_CLS = r"\-‐‑–"  # the same, usable inside a regex character class


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression: its span in the text given to `find()`, its value and precision."""

    text: str
    start: int
    end: int
    value: str | None  # "2021-04-07", "2020-01" or "2020"; None when unresolvable
    precision: str | None  # "day" | "month" | "year"
    relative: bool  # the value depends on the base date
    since: bool = False  # it opens a period still running ("depuis lundi", "since 2011")


def parse_base(base: str | date | None) -> date | None:
    """The base date from "YYYY-MM-DD" (or a longer ISO string), a date or datetime, or None."""
    if base is None:
        return None
    if isinstance(base, datetime):
        return base.date()
    if isinstance(base, date):
        return base
    if isinstance(base, str):
        try:
            return date.fromisoformat(base.strip()[:10])
        except ValueError:
            pass
    raise InputError(Errors.E801.format(value=base))


def background_hint(value: str | None, precision: str | None, base: str | date | None) -> bool:
    """True when the date lies clearly before the base: a day more than 7 days earlier, or an
    earlier month or year at month or year precision. Unknown dates give False."""
    b = parse_base(base)
    if b is None or value is None or precision is None:
        return False
    try:
        if precision == "day":
            return (b - date.fromisoformat(value)).days > 7
        if precision == "month":
            year, month = int(value[:4]), int(value[5:7])
            return (year, month) < (b.year, b.month)
        if precision == "year":
            return int(value[:4]) < b.year
    except ValueError:
        return False
    return False


def _norm(word: str) -> str:
    """Lookup key of a matched word: NFKC, casefolded, one apostrophe, hyphens as spaces."""
    word = unicodedata.normalize("NFKC", word).casefold().replace("’", "'")
    return re.sub(rf"[\s{_HYPH_CLS}]+", " ", word).strip(" .")


def _char_regex(char: str) -> str:
    if char == "'":
        return "['’]"
    if char == " ":
        return r"\s+"
    if char in _HYPHENS:
        return f"[{_HYPH_CLS}\\s]"
    return re.escape(char)


def _alternation(entries: Iterable[str], case_sensitive: bool) -> str:
    """Regex for a word class; apostrophes and hyphens accept variants, longest match first."""
    forms: set[str] = set()
    for entry in entries:
        forms.add(entry)
        if case_sensitive:
            forms.add(entry[:1].upper() + entry[1:])
            forms.add(entry.upper())
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    body = "|".join("".join(_char_regex(c) for c in form) for form in ordered) if ordered else "(?!)"
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


@dataclass(frozen=True)
class _Hit:
    """One pattern match: its kind, span and named groups (names as written in the data)."""

    kind: str
    start: int
    end: int
    text: str
    groups: dict[str, str | None]


class _Lexicon:
    """One language's date words and compiled patterns."""

    def __init__(self, language: str, data: Mapping[str, Any]) -> None:
        self.language = language
        classes: Mapping[str, Any] = data["classes"]
        self.order = str(data.get("numeric_order", "dmy"))
        case_sensitive = set(data.get("case_sensitive", ()))
        self.months = {_norm(k): int(v) for k, v in classes["month"].items()}
        self.months.update({_norm(k): int(v) for k, v in classes.get("month_abbr", {}).items()})
        self.weekdays = {_norm(k): int(v) for k, v in classes["weekday"].items()}
        self.directions = {_norm(k): str(v) for k, v in classes.get("direction", {}).items()}
        self.relative = {_norm(k): (str(v[0]), int(v[1])) for k, v in classes.get("relative", {}).items()}
        self.numbers = {_norm(k): int(v) for k, v in classes.get("number", {}).items()}
        self.units = {_norm(k): str(v) for k, v in classes.get("unit", {}).items()}
        ctx = data.get("year_context", {})
        self.strong_before = {_norm(w) for w in ctx.get("strong_before", ())}
        self.attributive_before = {_norm(w) for w in ctx.get("attributive_before", ())}
        self.blocked_before = {_norm(w) for w in ctx.get("blocked_before", ())}
        self.ok_after = {_norm(w) for w in ctx.get("ok_after", ())}
        self.blocked_after = {_norm(w) for w in ctx.get("blocked_after", ())}
        alone = data.get("month_alone", {})
        self.ambiguous_months = {_norm(w) for w in alone.get("ambiguous", ())}
        self.month_context = {_norm(w) for w in alone.get("context_before", ())}
        period = data.get("period_start", {})
        self.since_words = {_norm(w) for w in period.get("words", ())}
        self.since_window = int(period.get("window", 0))

        subs: dict[str, str] = {}
        for name, entries in classes.items():
            if name == "ordinal":
                continue
            subs[name] = _alternation(entries, name in case_sensitive)
        ordinal = _alternation(classes.get("ordinal", ()), False)
        subs["day"] = f"(?:3[01]|[12]\\d|0?[1-9])(?:{ordinal})?"
        subs["year"] = "(?:1[89]\\d\\d|20\\d\\d|2100)"
        # One alternation of all patterns, in data order: at each position the first pattern that
        # matches wins (so longer forms come first in the data); one scan instead of one per pattern.
        self.kinds: list[str] = []
        self.group_names: list[list[tuple[str, str]]] = []
        alternatives = []
        for i, spec in enumerate(data["patterns"]):
            body = re.sub(r"%(\w+)%", lambda m: subs[m.group(1)], spec["regex"])
            names = re.findall(r"\(\?P<(\w+)>", body)
            body = re.sub(r"\(\?P<(\w+)>", rf"(?P<p{i}_\1>", body)
            body = re.sub(r"\(\?P=(\w+)\)", rf"(?P=p{i}_\1)", body)
            # every pattern starts at a word start: that check is made once, before all of them
            if spec.get("guard") == "numeric":
                full = f"(?<![/.,:-])(?:{body})(?![\\w/]|[.,:-]\\d)"
            elif spec.get("guard") == "year":  # ranges such as 1982-1990 or 2002/2003 pass
                full = f"(?<![.,:])(?:{body})(?!\\w|[.,:]\\d)"
            else:
                full = f"(?:{body})(?!\\w)"
            re.compile(full, re.IGNORECASE)  # a broken pattern is reported on its own
            alternatives.append(f"(?P<p{i}>{full})")
            self.kinds.append(str(spec["kind"]))
            self.group_names.append([(name, f"p{i}_{name}") for name in names])
        self.regex = re.compile("(?<!\\w)(?=\\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)

    def hits(self, text: str) -> Iterator[_Hit]:
        for m in self.regex.finditer(text):
            if m.end() == m.start() or m.lastgroup is None:
                continue
            i = int(m.lastgroup[1:])
            groups = {name: m.group(full) for name, full in self.group_names[i]}
            yield _Hit(self.kinds[i], m.start(), m.end(), m.group(0), groups)


def _load_lexicon(language: str, directory: Path) -> _Lexicon:
    path = directory / language / "dates.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return _Lexicon(language, data)
    except FileNotFoundError as exc:
        raise ModelError(Errors.E803.format(path=path, reason="file not found")) from exc
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ModelError(Errors.E803.format(path=path, reason=f"{type(exc).__name__}: {exc}")) from exc


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _two_digit_year(yy: int, base: date | None) -> int:
    """'98 -> 1998, '05 -> 2005: the century that puts the year at most 10 years after the base."""
    limit = (base.year if base else 2030) + 10
    return 2000 + yy if 2000 + yy <= limit else 1900 + yy


class DateResolver:
    """Finds and resolves date expressions for the languages whose lexicons it loaded."""

    def __init__(self, languages: Iterable[str] = ("fr", "en"), *, future_days: int = 62,
                 lexicon_dir: Path | None = None, use_dateparser: bool = True) -> None:
        directory = lexicon_dir or LEXICON_DIR
        self._lexicons = {lang: _load_lexicon(lang, directory) for lang in languages}
        self.future_days = future_days
        self.use_dateparser = use_dateparser
        self.dateparser_calls = 0  # how often the fallback ran (for measuring)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._lexicons)

    def supports(self, language: str) -> bool:
        return language in self._lexicons

    @staticmethod
    def background_hint(value: str | None, precision: str | None, base: str | date | None) -> bool:
        """`background_hint` of this module, reachable from a resolver passed as a dependency."""
        return background_hint(value, precision, base)

    def _lexicon(self, language: str) -> _Lexicon:
        try:
            return self._lexicons[language]
        except KeyError:
            raise LanguageError(Errors.E802.format(
                lang=language, available=", ".join(self._lexicons) or "none")) from None

    # --- recognition -----------------------------------------------------------------------

    def find(self, text: str, language: str, base: str | date | None) -> list[ResolvedDate]:
        """Every date expression in `text`, left to right, non-overlapping. At one position the
        first pattern in the lexicon's order that matches wins (longer forms are listed first)."""
        lex = self._lexicon(language)
        b = parse_base(base)
        out: list[ResolvedDate] = []
        for hit in lex.hits(text):
            if self._accept(hit, text, lex):
                resolved = self._resolved(hit, lex, b, language)
                if _opens_period(text, hit.start, lex):
                    resolved = replace(resolved, since=True)
                out.append(resolved)
        return out

    def _accept(self, hit: _Hit, text: str, lex: _Lexicon) -> bool:
        """Context checks the patterns cannot express: bare years, ambiguous month names."""
        if hit.kind == "year":
            return self._is_year(hit.start, hit.end, text, lex)
        month = hit.groups.get("month")
        if hit.kind == "month" and month and not hit.groups.get("dir"):
            if _norm(month) in lex.ambiguous_months:
                return _previous_word(text, hit.start) in lex.month_context
        return True

    def _is_year(self, start: int, end: int, text: str, lex: _Lexicon) -> bool:
        year = int(text[start:end])
        if not _YEAR_ALONE_RANGE[0] <= year <= _YEAR_ALONE_RANGE[1]:
            return False
        before = text[max(0, start - 2):start]
        if (before and before[-1] in "$€£#+") or re.search(r"\d[\s\u00a0\u202f]$", before):
            return False
        after = text[end:end + 6]
        if re.match(r"[\s\u00a0\u202f]\d{3}(?!\d)", after):
            return False  # thousands group: "2 019 000", "2019 000"
        in_range = bool(re.match(rf"[{_HYPH_CLS}/](?:\d{{4}}|\d\d)(?!\d)", after)) or bool(
            re.search(rf"(?<!\d)\d{{4}}[{_HYPH_CLS}/]$", text[max(0, start - 6):start]))
        if in_range:
            return True
        prev = _previous_word(text, start)
        if prev in lex.blocked_before:
            return False
        nxt, nxt_raw = _next_word(text, end)
        if nxt in lex.blocked_after:
            return False
        if prev in lex.strong_before or prev in lex.attributive_before:
            return True
        if before and before[-1] in "([":
            return True
        if nxt is None:
            return True  # punctuation or the end of the text follows
        return nxt in lex.ok_after or nxt_raw[:1].isupper()

    def _resolved(self, hit: _Hit, lex: _Lexicon, base: date | None, language: str) -> ResolvedDate:
        value, precision, relative, final = _resolve_groups(hit.kind, hit.groups, lex, base, self.future_days)
        if value is None and not final and base is not None and self.use_dateparser:
            parsed = self._dateparser(hit.text, language, base)
            if parsed is not None:
                value, precision = parsed
                relative = True
        return ResolvedDate(hit.text, hit.start, hit.end, value, precision, relative)

    # --- single expressions ------------------------------------------------------------------

    def resolve(self, expr: str, language: str, base: str | date | None) -> ResolvedDate | None:
        """Resolve one expression (e.g. a gold span): the longest date found in it, else the
        dateparser fallback over the whole expression; None when neither understands it."""
        found = self.find(expr, language, base)
        if found:
            return max(found, key=lambda r: (r.end - r.start, r.value is not None))
        b = parse_base(base)
        if b is None or not self.use_dateparser or not expr.strip():
            return None
        parsed = self._dateparser(expr.strip(), language, b)
        if parsed is None:
            return None
        return ResolvedDate(expr, 0, len(expr), parsed[0], parsed[1],
                            relative=not re.search(r"\d{4}", expr))

    def _dateparser(self, expr: str, language: str, base: date) -> tuple[str, str] | None:
        misses = _dateparser_cached.cache_info().misses
        result = _dateparser_cached(expr, language, base)
        self.dateparser_calls += _dateparser_cached.cache_info().misses - misses
        return result


@lru_cache(maxsize=4096)
def _dateparser_cached(expr: str, language: str, base: date) -> tuple[str, str] | None:
    """dateparser on one short span, cached; period mapped to our precisions (weeks: None)."""
    import dateparser.date  # deferred: importing dateparser costs about half a second

    parser = dateparser.date.DateDataParser(languages=[language], settings={
        "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12, 0),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })
    try:
        data = parser.get_date_data(expr)
    except (ValueError, OverflowError, TypeError):
        return None
    when = data.date_obj if data else None
    if when is None:
        return None
    period = data.period or "day"
    if period in ("day", "time"):
        return when.strftime("%Y-%m-%d"), "day"
    if period == "month":
        return when.strftime("%Y-%m"), "month"
    if period == "year":
        return f"{when.year:04d}", "year"
    return None


def _opens_period(text: str, start: int, lex: _Lexicon) -> bool:
    """A period-start word ("depuis", "since") among the few words before the date, in the same
    clause: "depuis le début de la guerre, il y a six ans" dates the start of something still
    going on, not the act told next."""
    if not lex.since_words or lex.since_window <= 0:
        return False
    before = re.split(r"[.;:!?()«»\"“”]", text[max(0, start - 200):start])[-1]
    words = [_norm(w) for w in re.findall(r"[^\W\d_][\w'’-]*", before)][-lex.since_window:]
    return any(w in lex.since_words for w in words)


def _previous_word(text: str, start: int) -> str | None:
    m = re.search(r"(\S+)\s*$", text[max(0, start - 40):start])
    if m is None:
        return None
    word = m.group(1).rstrip(_HYPHENS)
    # "jusqu'en", "d'ici" are words of their own; "(l'année" loses the bracket
    return _norm(word.lstrip("([«\"“")) or None


def _next_word(text: str, end: int) -> tuple[str | None, str]:
    """The next word (normalised) and its raw form; None when punctuation or the end follows."""
    m = re.match(r"[ \t\u00a0\u202f]*([^\W\d_][\w'’]*|%)", text[end:end + 40])
    if m is None:
        return None, ""
    raw = m.group(1)
    return _norm(raw), raw


def _resolve_groups(kind: str, g: Mapping[str, str | None], lex: _Lexicon, base: date | None,
                    future_days: int) -> tuple[str | None, str | None, bool, bool]:
    """(value, precision, relative, final): final means no fallback can do better."""
    direction = None
    for key in ("dir", "dirpost"):
        if g.get(key):
            direction = lex.directions.get(_norm(g[key]))
            if direction is not None and direction != "this":
                break

    if kind == "relative":
        unit, offset = lex.relative.get(_norm(g["rel"]), ("", 0))
        return (*_offset(base, unit, offset), True, True)
    if kind == "ago":
        raw = _norm(g["num"])
        n = int(raw) if raw.isdigit() else lex.numbers.get(raw)
        unit = lex.units.get(_norm(g["unit"]), "")
        if n is None:
            return None, None, True, False
        if unit == "week":
            unit, n = "day", 7 * n
        return (*_offset(base, unit, -n), True, True)

    year: int | None = int(g["year"]) if g.get("year") else None
    if year is None and g.get("yy"):
        year = _two_digit_year(int(g["yy"]), base)
    month = lex.months.get(_norm(g["month"])) if g.get("month") else None
    if g.get("monthnum"):
        month = int(g["monthnum"])
    day = int(re.match(r"\d+", g["day"]).group()) if g.get("day") else None  # type: ignore[union-attr]
    if kind == "numeric":
        a, b2 = int(g["n1"]), int(g["n2"])
        day, month = (a, b2) if lex.order == "dmy" else (b2, a)
        if month > 12 and day <= 12:
            day, month = month, day
    weekday = lex.weekdays.get(_norm(g["weekday"])) if g.get("weekday") else None

    if month is None and weekday is not None:  # weekday alone
        if base is None:
            return None, None, True, True
        return _weekday_before(base, weekday, direction).isoformat(), "day", True, True
    if month is None:
        if year is None:
            return None, None, False, False
        return f"{year:04d}", "year", False, True
    if day is None:
        if year is not None:
            return f"{year:04d}-{month:02d}", "month", False, True
        if base is None:
            return None, None, True, True
        y, mo = _month_before(base, month, direction, future_days)
        return f"{y:04d}-{mo:02d}", "month", True, True
    if year is not None:
        d = _safe_date(year, month, day)
        return (d.isoformat(), "day", False, True) if d else (None, None, False, False)
    if base is None:
        return None, None, True, True
    d = _infer_year(base, month, day, weekday, direction, future_days)
    return (d.isoformat(), "day", True, True) if d else (None, None, True, False)


def _offset(base: date | None, unit: str, offset: int) -> tuple[str | None, str | None]:
    if base is None:
        return None, None
    try:
        if unit == "day":
            return (base + timedelta(days=offset)).isoformat(), "day"
        if unit == "month":
            y, mo = _shift_month(base.year, base.month, offset)
            return f"{y:04d}-{mo:02d}", "month"
        if unit == "year":
            return f"{base.year + offset:04d}", "year"
    except OverflowError:
        return None, None
    return None, None  # weeks have no value at day/month/year precision


def _weekday_before(base: date, weekday: int, direction: str | None) -> date:
    if direction == "future":
        return base + timedelta(days=(weekday - base.weekday()) % 7 or 7)
    back = (base.weekday() - weekday) % 7
    if direction == "past" and back == 0:
        back = 7
    return base - timedelta(days=back)


def _month_before(base: date, month: int, direction: str | None, future_days: int) -> tuple[int, int]:
    if direction == "future":
        return (base.year, month) if month > base.month else (base.year + 1, month)
    if direction == "past":
        return (base.year, month) if month < base.month else (base.year - 1, month)
    if month <= base.month:
        return base.year, month
    if (date(base.year, month, 1) - base).days <= future_days:
        return base.year, month  # a coming month, announced
    return base.year - 1, month


def _infer_year(base: date, month: int, day: int, weekday: int | None, direction: str | None,
                future_days: int) -> date | None:
    options = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _safe_date(y, month, day))]
    if weekday is not None:
        matching = [d for d in options if d.weekday() == weekday]
        if matching:
            return min(matching, key=lambda d: abs((d - base).days))
    past = max((d for d in options if d <= base), default=None)
    future = min((d for d in options if d >= base), default=None)
    if direction == "past":
        return past
    if direction == "future":
        return future
    if future is not None and (future - base).days <= future_days:
        return future
    return past or future
