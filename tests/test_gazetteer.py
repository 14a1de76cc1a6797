"""Gazetteer: normalisation keys, and lookups on the real index (built once per machine)."""
from __future__ import annotations

import pytest

from veille.resolve.gazetteer import Gazetteer, name_keys, normalize_name, skeleton


@pytest.mark.parametrize("raw,expected", [
    ("Al-Ḥillah", "al hillah"), ("ÉTATS-UNIS", "etats unis"), ("U.S.", "us"), ("St. John's", "st johns"),
    ("  Bagdad  ", "bagdad"), ("بغداد", "بغداد"),
])
def test_normalize_name_folds_case_accents_and_punctuation(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_name_keys_strip_a_leading_article() -> None:
    assert name_keys("al-Hilla") == ("al hilla", "hilla")
    assert name_keys("Paris") == ("paris",)


@pytest.mark.parametrize("a,b", [("Baghdad", "Bagdad"), ("Hillah", "Hilla"), ("Babel", "Babil")])
def test_skeleton_merges_transliteration_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b) != ""


def test_skeleton_refuses_short_or_non_latin_names() -> None:
    assert skeleton("Us") == ""
    assert skeleton("بغداد") == ""


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.slow
@pytest.mark.parametrize("name,kind,country", [
    ("Bagdad", "city", "IRQ"), ("Baghdad", "city", "IRQ"), ("بغداد", "city", "IRQ"),
    ("Hilla", "city", "IRQ"), ("Al Hillah", "city", "IRQ"), ("al-Hilla", "city", "IRQ"),
    ("Moscou", "city", "RUS"), ("Irak", "country", "IRQ"), ("États-Unis", "country", "USA"),
    ("US", "country", "USA"), ("U.S.", "country", "USA"), ("UK", "country", "GBR"),
    ("Calif.", "admin1", "USA"), ("Ky.", "admin1", "USA"), ("B.C.", "admin1", "CAN"),
    ("Russian", "country", "RUS"), ("Britain", "country", "GBR"), ("Babil", "admin1", "IRQ"),
    ("Cook County", "admin2", "USA"), ("Europe", "continent", None),
    ("Man.", "admin1", "CAN"), ("Que.", "admin1", "CAN"), ("African", "continent", None),
    ("Southeast Asian", "region", None),
])
def test_lookup_finds_the_expected_reading(gaz: Gazetteer, name: str, kind: str, country: str | None) -> None:
    found = gaz.lookup(name)
    assert any(e.kind == kind and e.country3 == country for e in found), [(e.name, e.kind, e.country3) for e in found[:5]]


@pytest.mark.slow
def test_entries_carry_hierarchy_population_and_coordinates(gaz: Gazetteer) -> None:
    hilla = next(e for e in gaz.lookup("Al Hillah") if e.kind == "city")
    assert hilla.geonameid == 99347 and hilla.population > 100_000
    assert normalize_name(hilla.admin1 or "") == "babil"
    assert hilla.lat == pytest.approx(32.46, abs=0.05) and hilla.lon == pytest.approx(44.42, abs=0.05)
    babil = gaz.admin1_of(hilla)
    assert babil is not None and babil.lat is not None and abs(babil.lat - 32.5) < 1.0


@pytest.mark.slow
def test_unknown_name_has_no_candidates(gaz: Gazetteer) -> None:
    assert gaz.lookup("Qwzxptlk") == []
    assert gaz.lookup("") == []


@pytest.mark.slow
def test_by_id_and_nearest_city(gaz: Gazetteer) -> None:
    assert gaz.by_id(99347).name == "Al Hillah"  # type: ignore[union-attr]
    near = gaz.nearest_city(32.47, 44.42)
    assert near is not None and near.country3 == "IRQ"
