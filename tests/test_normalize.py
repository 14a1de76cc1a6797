"""Text normalisation and language identification (veille.normalize)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.normalize import control_ratio, detect_language, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("e\u0301t\u00e9", "\u00e9t\u00e9"),  # NFC
        ("un  deux\u00a0\u00a0trois\u202fquatre", "un deux trois quatre"),
        ("mot\u200bcoupé\ufeff", "motcoupé"),
        ("soft\u00adhyphen", "softhyphen"),
        ("bidi\u202eoverride\u202c", "bidioverride"),
        ("nul\x00byte\x07bell", "nulbytebell"),
        ("tab\tkept", "tab\tkept"),
        ("para one.\n\n\n\n\npara two.", "para one.\n\npara two."),
        ("  indented line  \n  next  ", "indented line\nnext"),
        ("\n\n  \n text \n\n", "text"),
        ("line\u2028sep\u2029para", "line\nsep\npara"),
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
    ],
    ids=["line-ends", "nfc", "spaces", "zero-width", "soft-hyphen", "bidi", "controls", "tab",
         "blank-lines", "line-edges", "outer-blank", "unicode-separators", "persian-zwnj-kept"],
)
def test_normalize_text_cases(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_keeps_paragraph_breaks_and_sentences() -> None:
    raw = "Première phrase. Deuxième phrase !\n\nSecond paragraphe, « citée ».\nLigne suivante."
    assert normalize_text(raw) == raw


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent_and_clean(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert "\x00" not in once and "\r" not in once
    assert not any(ord(c) < 32 and c not in "\n\t" for c in once)
    assert "\n\n\n" not in once and "  " not in once


@settings(max_examples=100, deadline=None)
@given(st.lists(st.from_regex(r"[a-zà-ÿ]{1,12}", fullmatch=True), min_size=1, max_size=30))
def test_normalize_never_changes_words(words: list[str]) -> None:
    raw = "  ".join(words)
    assert normalize_text(raw).split(" ") == [normalize_text(w) for w in words]


def test_control_ratio() -> None:
    assert control_ratio("") == 0.0
    assert control_ratio("abcd") == 0.0
    assert control_ratio("ab\x00\x01") == 0.5
    assert control_ratio("a\nb\tc") == 0.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le numéro un des Hachd al-Chaabi s’est entretenu avec les responsables russes.", "fr"),
        ("The prime minister met his Russian counterpart in Moscow on Wednesday.", "en"),
        ("El presidente se reunió con el ministro de Defensa en Madrid el miércoles.", "es"),
        ("Der Bundeskanzler traf am Mittwoch den russischen Außenminister in Berlin.", "de"),
        ("قال رئيس الوزراء العراقي إن الحكومة ستعمل على تعزيز الأمن في البلاد", "ar"),
        ("Премьер-министр встретился с российским коллегой в Москве в среду.", "ru"),
        ("Başbakan çarşamba günü Ankara'da Rus mevkidaşıyla bir araya geldi.", "tr"),
        ("نخست وزیر روز چهارشنبه با همتای روسی خود در تهران دیدار کرد.", "fa"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   ", "12345 !!! 678", "ok", "hello"])
def test_detect_language_abstains_on_short_or_empty(text: str) -> None:
    assert detect_language(text) is None
