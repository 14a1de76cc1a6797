"""Tests for veille.resolve.dates (finding and resolving dates) and its TIMEX3 eval adapter."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.errors import InputError, LanguageError, ModelError
from veille.eval.adapters import dates as dates_adapter
from veille.resolve.dates import DateResolver, ResolvedDate, background_hint, parse_base

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_df33abab451251a8.txt"


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver()


def _one(resolver: DateResolver, text: str, language: str, base: str | None) -> ResolvedDate:
    found = resolver.find(text, language, base)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("language", "text", "base", "span", "value", "precision", "relative"),
    [
        # French: explicit, relative, year inference
        ("fr", "a rencontré, ce mercredi 7 avril, le ministre", "2021-04-07", "ce mercredi 7 avril", "2021-04-07", "day", True),
        ("fr", "attaqués mercredi 7 avril en passant", "2021-04-07", "mercredi 7 avril", "2021-04-07", "day", True),
        ("fr", "a ratifié, en janvier 2020, une loi", "2021-04-07", "janvier 2020", "2020-01", "month", False),
        ("fr", "Il est arrivé hier à Paris.", "2021-04-07", "hier", "2021-04-06", "day", True),
        ("fr", "Il est arrivé avant-hier.", "2021-04-07", "avant-hier", "2021-04-05", "day", True),
        ("fr", "Aujourd’hui, la ville est calme.", "2021-04-07", "Aujourd’hui", "2021-04-07", "day", True),
        ("fr", "Il était venu la veille.", "2021-04-07", "la veille", "2021-04-06", "day", True),
        ("fr", "Ce matin, un attentat a eu lieu.", "2021-04-07", "Ce matin", "2021-04-07", "day", True),
        ("fr", "Ils se réuniront demain.", "2021-04-07", "demain", "2021-04-08", "day", True),
        ("fr", "le mois dernier, la police", "2021-04-07", "le mois dernier", "2021-03", "month", True),
        ("fr", "le mois dernier, la police", "2021-01-15", "le mois dernier", "2020-12", "month", True),
        ("fr", "l'an dernier, la police", "2021-04-07", "l'an dernier", "2020", "year", True),
        ("fr", "cette année, la police", "2021-04-07", "cette année", "2021", "year", True),
        ("fr", "le 7 avril, la police", "2021-01-10", "le 7 avril", "2020-04-07", "day", True),
        ("fr", "le 15 avril, la police", "2021-04-07", "le 15 avril", "2021-04-15", "day", True),
        ("fr", "le 6 mai dernier", "2021-04-07", "le 6 mai dernier", "2020-05-06", "day", True),
        ("fr", "le 1er septembre prochain", "2021-04-07", "le 1er septembre prochain", "2021-09-01", "day", True),
        ("fr", "le samedi 5 juin", "1999-05-22", "le samedi 5 juin", "1999-06-05", "day", True),
        ("fr", "Mercredi, les manifestants", "2021-04-07", "Mercredi", "2021-04-07", "day", True),
        ("fr", "mardi, les manifestants", "2021-04-07", "mardi", "2021-04-06", "day", True),
        ("fr", "jeudi, les manifestants", "2021-04-07", "jeudi", "2021-04-01", "day", True),
        ("fr", "mercredi dernier, les manifestants", "2021-04-07", "mercredi dernier", "2021-03-31", "day", True),
        ("fr", "lundi prochain, les manifestants", "2021-04-07", "lundi prochain", "2021-04-12", "day", True),
        ("fr", "en septembre, la police", "2021-04-07", "septembre", "2020-09", "month", True),
        ("fr", "en mars, la police", "2021-04-07", "mars", "2021-03", "month", True),
        ("fr", "en mai, la police", "2021-04-07", "mai", "2021-05", "month", True),
        ("fr", "en avril dernier", "2021-04-07", "avril dernier", "2020-04", "month", True),
        ("fr", "en 2019, la police", "2021-04-07", "2019", "2019", "year", False),
        ("fr", "il y a trois jours, la police", "2021-04-07", "il y a trois jours", "2021-04-04", "day", True),
        ("fr", "il y a deux ans, la police", "2021-04-07", "il y a deux ans", "2019", "year", True),
        ("fr", "le 10 novembre 93.", "2002-01-21", "le 10 novembre 93", "1993-11-10", "day", False),
        ("fr", "signé le 07/04/2021 à Bagdad", "2021-05-01", "07/04/2021", "2021-04-07", "day", False),
        ("fr", "signé le 2021-04-07 à Bagdad", "2021-05-01", "2021-04-07", "2021-04-07", "day", False),
        ("fr", "DIMANCHE 4 AVRIL 2021", None, "DIMANCHE 4 AVRIL 2021", "2021-04-04", "day", False),
        # English
        ("en", "The talks ended last Tuesday in Geneva.", "2021-04-07", "last Tuesday", "2021-04-06", "day", True),
        ("en", "The talks ended on Wednesday in Geneva.", "2021-04-07", "Wednesday", "2021-04-07", "day", True),
        ("en", "The talks ended on Friday in Geneva.", "2021-04-07", "Friday", "2021-04-02", "day", True),
        ("en", "The talks will resume next Monday.", "2021-04-07", "next Monday", "2021-04-12", "day", True),
        ("en", "The law was passed in 2019.", "2021-04-07", "2019", "2019", "year", False),
        ("en", "Rebels attacked the town yesterday.", "2021-04-07", "yesterday", "2021-04-06", "day", True),
        ("en", "Rebels attacked the town today.", "2021-04-07", "today", "2021-04-07", "day", True),
        ("en", "He resigned last month.", "2021-04-07", "last month", "2021-03", "month", True),
        ("en", "He resigned last year.", "2021-04-07", "last year", "2020", "year", True),
        ("en", "It happened in January 2020.", "2021-04-07", "January 2020", "2020-01", "month", False),
        ("en", "It happened on April 7, 2021.", None, "April 7, 2021", "2021-04-07", "day", False),
        ("en", "It happened on 7 April 2021.", None, "7 April 2021", "2021-04-07", "day", False),
        ("en", "It happened on Wednesday, April 7.", "2021-04-20", "Wednesday, April 7", "2021-04-07", "day", True),
        ("en", "It happened on Feb. 28.", "2013-03-21", "Feb. 28", "2013-02-28", "day", True),
        ("en", "It happened on 04/07/2021.", None, "04/07/2021", "2021-04-07", "day", False),
        ("en", "It happened on 25/12/2020.", None, "25/12/2020", "2020-12-25", "day", False),
        ("en", "It happened last June.", "2013-03-22", "last June", "2012-06", "month", True),
        ("en", "It happened in May.", "2013-07-22", "May", "2013-05", "month", True),
        ("en", "It happened two years ago.", "2013-03-22", "two years ago", "2011", "year", True),
        ("en", "It happened in May '98.", "2013-03-22", "May '98", "1998-05", "month", False),
    ],
)
def test_find_resolves_expression(resolver: DateResolver, language: str, text: str, base: str | None,
                                  span: str, value: str, precision: str, relative: bool) -> None:
    found = _one(resolver, text, language, base)
    assert (found.text, found.value, found.precision, found.relative) == (span, value, precision, relative)
    assert text[found.start:found.end] == found.text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "2019 personnes ont manifesté."),
        ("fr", "Plus de 2000 manifestants."),
        ("fr", "les années 1990 ont été dures"),
        ("fr", "Il a payé 1500 euros."),
        ("fr", "Le Champ-de-Mars était plein."),
        ("fr", "un score de 2 019 000 voix"),
        ("en", "You may go now."),
        ("en", "May we ask a question?"),
        ("en", "About 2000 people marched."),
        ("en", "It cost $2019 in fees."),
        ("en", "The 1990s were hard."),
        ("en", "they march on the capital"),
    ],
)
def test_find_ignores_non_dates(resolver: DateResolver, language: str, text: str) -> None:
    assert resolver.find(text, language, "2021-04-07") == []


@pytest.mark.parametrize(
    ("language", "text", "years"),
    [
        ("fr", "entre 1982 et 1990, la population", ["1982", "1990"]),
        ("fr", "la période 1982-1990 a vu", ["1982", "1990"]),
        ("fr", "la saison 2002/2003 commence", ["2002", "2003"]),
        ("fr", "son album (1998) est sorti", ["1998"]),
        ("fr", "Depuis 2015, la ville", ["2015"]),
        ("en", "the pandemic of 2009-2010, when", ["2009", "2010"]),
        ("en", "during a 2010 commando raid", ["2010"]),
        ("en", "the war ended in 1953 and", ["1953"]),
    ],
)
def test_bare_years_read_as_years_in_context(resolver: DateResolver, language: str, text: str,
                                             years: list[str]) -> None:
    found = resolver.find(text, language, "2013-03-22")
    assert [(f.value, f.precision) for f in found] == [(y, "year") for y in years]


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "la semaine dernière"), ("fr", "cette semaine"), ("en", "last week"), ("en", "this week")],
)
def test_weeks_are_found_without_value(resolver: DateResolver, language: str, text: str) -> None:
    found = _one(resolver, text, language, "2021-04-07")
    assert (found.value, found.precision, found.relative) == (None, None, True)


def test_relative_dates_without_base_have_no_value(resolver: DateResolver) -> None:
    found = resolver.find("hier, mercredi, le 7 avril et en janvier 2020", "fr", None)
    assert [(f.text, f.value) for f in found] == [
        ("hier", None), ("mercredi", None), ("le 7 avril", None), ("janvier 2020", "2020-01")]


@pytest.mark.parametrize("base", ["2021-04-07", "2021-04-07T16:05:18Z", date(2021, 4, 7),
                                  datetime(2021, 4, 7, 16, 5)])
def test_base_accepts_iso_strings_dates_and_datetimes(resolver: DateResolver, base: object) -> None:
    assert _one(resolver, "hier", "fr", base).value == "2021-04-06"  # type: ignore[arg-type]


@pytest.mark.parametrize("base", ["yesterday", "2021-13-01", "", 20210407])
def test_bad_base_is_a_coded_input_error(resolver: DateResolver, base: object) -> None:
    with pytest.raises(InputError, match=r"^\[E801\]"):
        resolver.find("hier", "fr", base)  # type: ignore[arg-type]


def test_unknown_language_is_a_coded_language_error(resolver: DateResolver) -> None:
    with pytest.raises(LanguageError, match=r"^\[E802\] .*'de'"):
        resolver.find("gestern", "de", "2021-04-07")
    assert resolver.supports("fr") and not resolver.supports("de")


def test_missing_or_broken_lexicon_is_a_coded_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"^\[E803\] .*file not found"):
        DateResolver(("xx",), lexicon_dir=tmp_path)
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "dates.json").write_text('{"classes": {}}', encoding="utf-8")
    with pytest.raises(ModelError, match=r"^\[E803\] .*KeyError"):
        DateResolver(("xx",), lexicon_dir=tmp_path)


def test_seed_article_dates(resolver: DateResolver) -> None:
    text = SEED.read_text(encoding="utf-8")
    found = {(f.text, f.value, f.precision) for f in resolver.find(text, "fr", "2021-04-07")}
    assert ("ce mercredi 7 avril", "2021-04-07", "day") in found
    assert ("mercredi 7 avril", "2021-04-07", "day") in found
    assert ("janvier 2020", "2020-01", "month") in found
    for f in resolver.find(text, "fr", "2021-04-07"):
        assert text[f.start:f.end] == f.text


def test_common_case_never_calls_dateparser() -> None:
    resolver = DateResolver()
    text = SEED.read_text(encoding="utf-8") + " Hier, le 3 mars, en 2019, il y a deux jours, mardi."
    assert resolver.find(text, "fr", "2021-04-07")
    assert resolver.dateparser_calls == 0


@pytest.mark.parametrize(
    ("language", "expr", "value"),
    [
        ("fr", "ce mercredi 7 avril", "2021-04-07"),
        ("fr", "le premier trimestre", None),
        ("en", "the day before yesterday", "2021-04-05"),
        ("fr", "dans deux jours", "2021-04-09"),  # no pattern: the dateparser fallback answers
    ],
)
def test_resolve_single_expression(resolver: DateResolver, language: str, expr: str,
                                   value: str | None) -> None:
    got = resolver.resolve(expr, language, "2021-04-07")
    assert (got.value if got else None) == value


def test_impossible_day_is_found_without_value_and_fallback_is_cached() -> None:
    resolver = DateResolver()
    for _ in range(2):
        found = _one(resolver, "le 31 février, rien", "fr", "2021-04-07")
        assert (found.text, found.value, found.precision) == ("le 31 février", None, None)
    assert resolver.dateparser_calls == 1


def test_resolve_without_fallback_returns_none_for_unknown_expression() -> None:
    assert DateResolver(use_dateparser=False).resolve("dans deux jours", "fr", "2021-04-07") is None


@pytest.mark.parametrize(
    ("value", "precision", "base", "expected"),
    [
        ("2021-04-06", "day", "2021-04-07", False),
        ("2021-03-31", "day", "2021-04-07", False),
        ("2021-03-30", "day", "2021-04-07", True),
        ("2021-04", "month", "2021-04-07", False),
        ("2021-03", "month", "2021-04-07", True),
        ("2021", "year", "2021-04-07", False),
        ("2020", "year", "2021-04-07", True),
        ("2021-05-01", "day", "2021-04-07", False),
        (None, None, "2021-04-07", False),
        ("2020", "year", None, False),
    ],
)
def test_background_hint(value: str | None, precision: str | None, base: str | None, expected: bool) -> None:
    assert background_hint(value, precision, base) is expected
    assert DateResolver.background_hint(value, precision, base) is expected


def test_parse_base_none_is_none() -> None:
    assert parse_base(None) is None


RESOLVER = DateResolver(use_dateparser=False)  # hypothesis runs many examples: no fallback
DATEISH = st.sampled_from([
    "le", "ce", "mercredi", "7", "1er", "avril", "2021", "21", "'98", "hier", "dernier", "prochain",
    "il y a", "trois", "jours", "ans", "May", "April", "last", "Tuesday", "ago", "two", "years",
    "07/04/2021", "2021-04-07", "31", "février", "29", "Feb.", "-", "/", ",", ".", "(", ")", "\n",
    "2019-2020", "années", "personnes", "ſeptembre", "İ", "’", "en", "in", "mi-mars",
])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(DATEISH, st.text(max_size=8)), max_size=25),
       language=st.sampled_from(["fr", "en"]),
       base=st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))))
def test_find_never_raises_and_spans_slice_text(parts: list[str], language: str, base: date | None) -> None:
    text = " ".join(parts)
    found = RESOLVER.find(text, language, base)
    last_end = 0
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert f.start >= last_end  # left to right, no overlap
        last_end = f.end
        assert (f.value is None) == (f.precision is None)
        if f.precision is not None:
            assert len(f.value or "") == {"day": 10, "month": 7, "year": 4}[f.precision]



# --- eval adapter -------------------------------------------------------------------------------

def _timex(tid: str, kind: str, value: str, text: str, body: str) -> dict[str, object]:
    start = body.index(text)
    return {"tid": tid, "type": kind, "value": value, "start": start, "end": start + len(text), "text": text}


def _write_set(folder: Path) -> Path:
    body = "Le ministre est arrivé hier soir, pas mardi. Il repart cette semaine, en 2019 ou en mai."
    record = {"docid": "d1", "dct": "2021-04-07", "text": body, "timex3": [
        _timex("t1", "DATE", "2021-04-06", "hier", body),            # ok, found, right
        _timex("t2", "DATE", "2021-04-13", "mardi", body),           # ok, found, wrong (future)
        _timex("t3", "DATE", "2021-W14", "cette semaine", body),     # excluded: week
        _timex("t4", "DATE", "2019", "2019", body),                  # ok, found, right
        _timex("t5", "DURATION", "P1D", "soir", body),               # excluded: duration
    ]}
    folder.mkdir()
    path = folder / "fr_timebank_timex.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def test_adapter_detects_timex_sets(tmp_path: Path) -> None:
    folder = _write_set(tmp_path / "fr_timebank")
    assert dates_adapter.detect(folder)
    assert dates_adapter.detect(folder / "fr_timebank_timex.jsonl")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.json").write_text("{}", encoding="utf-8")
    assert not dates_adapter.detect(tmp_path / "other")
    assert dates_adapter.TASK == "dates" and "te3_platinum" in dates_adapter.NAMES


def test_adapter_scores_values_and_recognition(tmp_path: Path) -> None:
    out = dates_adapter.evaluate(_write_set(tmp_path / "fr_timebank"), show_errors=True)
    m = out["metrics"]
    assert (m["value_n"], m["value_acc"]) == (3, round(2 / 3, 4))
    assert m["excluded"] == {"duration": 1, "week": 1} and m["excluded_n"] == 2
    # found: "hier soir", "mardi", "cette semaine", "2019", "mai"; gold DATEs: 4 (all overlapped)
    assert (m["recognition_pred_n"], m["recognition_gold_n"]) == (5, 4)
    assert (m["recognition_p"], m["recognition_r"]) == (0.8, 1.0)
    kinds = sorted(e["kind"] for e in out["errors"])
    assert kinds == ["spurious", "value"]


@pytest.mark.parametrize(("timex", "cls"), [
    ({"type": "DATE", "value": "1999-05-17"}, "ok"),
    ({"type": "DATE", "value": "1999-05"}, "ok"),
    ({"type": "DATE", "value": "1999"}, "ok"),
    ({"type": "DATE", "value": "PRESENT_REF"}, "ref"),
    ({"type": "DATE", "value": "2013-W11"}, "week"),
    ({"type": "DATE", "value": "2003-W05-WE"}, "week"),
    ({"type": "DATE", "value": "1999-SU"}, "season"),
    ({"type": "DATE", "value": "2013-Q1"}, "quarter"),
    ({"type": "DATE", "value": "XXXX-06"}, "unspecified"),
    ({"type": "DATE", "value": "196X"}, "decade_century"),
    ({"type": "DATE", "value": "P9M"}, "duration"),
    ({"type": "TIME", "value": "1999-05-23TEV"}, "time"),
])
def test_gold_value_classes(timex: dict[str, str], cls: str) -> None:
    assert dates_adapter.gold_value_class(timex) == cls


def test_adapter_rejects_malformed_line(tmp_path: Path) -> None:
    folder = tmp_path / "fr_timebank"
    folder.mkdir()
    (folder / "fr_timebank_timex.jsonl").write_text('{"dct": "2021-04-07", "text": "x", "timex3": []}\nnot json\n',
                                                    encoding="utf-8")
    from veille.errors import EvalError
    with pytest.raises(EvalError, match=r"^\[E106\] .*line 2"):
        dates_adapter.evaluate(folder)
