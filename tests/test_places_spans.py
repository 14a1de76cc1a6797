"""Resolving given name spans (the pipeline's NER spans, gold spans in evaluation) with the real
gazetteer: a leading article is a word of its own, and a division said beside a town settles it."""
from __future__ import annotations

import pytest

from veille.resolve.places import PlaceResolver


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver()


def _resolved(resolver: PlaceResolver, text: str, name: str) -> tuple[str, str | None, str | None]:
    i = text.index(name)
    (t,) = resolver.resolve_spans(text, "en", [(i, i + len(name))])
    assert t.place is not None
    return t.place.name, t.place.country, t.place.admin1


@pytest.mark.parametrize("text, name, country", [
    ("Lebanon protested to the council on Tuesday.", "Lebanon", "LBN"),
    ("Thousands marched in Lagos on Monday.", "Lagos", "NGA"),
    ("Laos closed the border crossing.", "Laos", "LAO"),
    ("Lesotho held an election.", "Lesotho", "LSO"),
])
def test_names_that_begin_like_an_article_keep_their_first_letters(resolver: PlaceResolver, text: str, name: str,
                                                                   country: str) -> None:
    assert _resolved(resolver, text, name)[1] == country


@pytest.mark.parametrize("text, name, expected", [
    ("The race was held in Le Mans on Sunday.", "Le Mans", "Le Mans"),
    ("An earthquake struck near L'Aquila.", "L'Aquila", "L'Aquila"),
])
def test_a_separate_leading_article_is_still_dropped(resolver: PlaceResolver, text: str, name: str, expected: str) -> None:
    assert _resolved(resolver, text, name)[0] == expected


def test_a_division_said_beside_a_town_settles_it_even_when_it_is_not_a_given_span(resolver: PlaceResolver) -> None:
    text = ("Officers in Oxford and Granville County stopped the car. Two police officers from the town of "
            "Lewisburg, West Virginia, pulled over a white SUV with North Carolina plates.")
    assert _resolved(resolver, text, "Lewisburg") == ("Lewisburg", "USA", "West Virginia")
