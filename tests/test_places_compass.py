"""A compass word before a country's name names a part of that country (real gazetteer)."""
from __future__ import annotations

import pytest

from veille.resolve.places import PlaceResolver


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver()


def _places(resolver: PlaceResolver, text: str) -> dict[str, tuple[str | None, str]]:
    return {t.text: (t.place.country, t.place.precision) for t in resolver.geoparse(text, "en", []) if t.place}


def test_a_compass_word_before_a_country_is_that_country_not_a_small_homonym(resolver: PlaceResolver) -> None:
    places = _places(resolver, "The last patrols withdrew from South Lebanon on Tuesday.")
    assert places["South Lebanon"] == ("LBN", "country")


@pytest.mark.parametrize("text, name, expected", [
    ("Talks resumed in North Korea.", "North Korea", ("PRK", "country")),
    ("Riots broke out in Northern Ireland.", "Northern Ireland", ("GBR", "admin1")),
    ("Floods hit West Virginia.", "West Virginia", ("USA", "admin1")),
])
def test_names_that_are_places_of_their_own_keep_their_reading(resolver: PlaceResolver, text: str, name: str,
                                                               expected: tuple[str, str]) -> None:
    assert _places(resolver, text)[name] == expected


@pytest.mark.parametrize("word, expected", [("north", True), ("northern", True), ("eastern", True),
                                            ("easter", False), ("western", True), ("west", True)])
def test_a_compass_adjective_is_its_word_plus_ern_only(word: str, expected: bool) -> None:
    from veille.resolve.places import _compass

    assert _compass(word, frozenset({"north", "south", "east", "west"})) is expected
