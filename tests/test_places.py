"""Place resolution: evidence rules on a fake gazetteer, and the reference article on the real one."""
from __future__ import annotations

from pathlib import Path

import pytest

from veille.resolve.gazetteer import GazEntry, normalize_name
from veille.resolve.places import PlaceResolver, Toponym, attach_event_place, split_sentences

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_df33abab451251a8.txt"


def _e(gid: int, name: str, kind: str, cc: str, cc3: str, pop: int, lat: float, lon: float,
       a1: str | None = None, a1code: str | None = None, match: str = "name") -> GazEntry:
    feature = {"country": "A.PCLI", "admin1": "A.ADM1", "city": "P.PPL"}[kind]
    return GazEntry(gid, name, kind, feature, cc, cc3, a1 if kind != "admin1" else name, a1code, None, pop, lat, lon, match)


class FakeGazetteer:
    """A handful of entries: enough to exercise every evidence rule without the real index."""

    def __init__(self) -> None:
        us = _e(1, "United States", "country", "US", "USA", 300_000_000, 39.8, -98.5)
        fr = _e(2, "France", "country", "FR", "FRA", 67_000_000, 46.0, 2.0)
        il = _e(10, "Illinois", "admin1", "US", "USA", 12_000_000, 40.0, -89.2, a1code="US.IL")
        mo = _e(11, "Missouri", "admin1", "US", "USA", 6_000_000, 38.3, -92.4, a1code="US.MO")
        self.names: dict[str, list[GazEntry]] = {
            "us": [us, _e(100, "Us", "city", "FR", "FRA", 1248, 49.1, 1.97, "Île-de-France", "FR.11")],
            "france": [fr],
            "illinois": [il],
            "missouri": [mo],
            "springfield": [
                _e(200, "Springfield", "city", "US", "USA", 166_000, 37.2, -93.3, "Missouri", "US.MO"),
                _e(201, "Springfield", "city", "US", "USA", 114_000, 39.8, -89.6, "Illinois", "US.IL"),
            ],
            "paris": [_e(300, "Paris", "city", "FR", "FRA", 2_100_000, 48.85, 2.35, "Île-de-France", "FR.11"),
                      _e(301, "Paris", "city", "US", "USA", 25_000, 33.66, -95.55, "Texas", "US.TX")],
        }
        self.countries = {"US": us, "FR": fr}

    def lookup(self, name: str) -> list[GazEntry]:
        return list(self.names.get(normalize_name(name), []))

    def lookup_fuzzy(self, name: str) -> list[GazEntry]:
        return []


@pytest.fixture()
def fake() -> PlaceResolver:
    return PlaceResolver(FakeGazetteer())  # type: ignore[arg-type]


def test_country_code_beats_tiny_homonym(fake: PlaceResolver) -> None:
    place = fake.resolve("US")
    assert place is not None and place.country == "USA" and place.precision == "country"


@pytest.mark.parametrize("state,expected_gid", [("Illinois", 201), ("Missouri", 200)])
def test_admin_hierarchy_after_comma_decides(fake: PlaceResolver, state: str, expected_gid: int) -> None:
    text = f"The mayor of Springfield, {state} said so."
    tops = fake.geoparse(text, "en")
    spring = next(t for t in tops if t.text == "Springfield")
    assert spring.place is not None and spring.place.geonameid == expected_gid


def test_country_context_picks_the_local_homonym(fake: PlaceResolver) -> None:
    tops = fake.geoparse("Police in Texas and the United States... Officials in Paris said the US would help.", "en")
    assert any(t.text == "Paris" for t in tops)
    alone = fake.geoparse("Officials in Paris met officials from France.", "en")
    paris = next(t for t in alone if t.text == "Paris")
    assert paris.place is not None and paris.place.country == "FRA"


def test_unknown_name_without_context_stays_unresolved(fake: PlaceResolver) -> None:
    assert fake.resolve("Nowhereville") is None


def test_stop_words_are_not_toponyms(fake: PlaceResolver) -> None:
    fake.gaz.names["may"] = [_e(400, "May", "city", "US", "USA", 500, 35.0, -97.0)]  # type: ignore[attr-defined]
    assert not any(t.text == "May" for t in fake.geoparse("May we go? It rained in May.", "en"))


def test_focus_is_the_most_mentioned_country(fake: PlaceResolver) -> None:
    tops = fake.geoparse("In France, Paris and France again; the US too.", "en")
    focus = fake.focus(tops)
    assert focus is not None and focus.country == "FRA"


def test_split_sentences_keeps_abbreviations() -> None:
    text = "He went to the U.S. Army base. Then he left."
    assert len(split_sentences(text)) == 2


# ---------------------------------------------------------------- real gazetteer + spaCy
def _gaz_with(extra: dict[str, list[GazEntry]]) -> PlaceResolver:
    gaz = FakeGazetteer()
    gaz.names.update(extra)
    return PlaceResolver(gaz)  # type: ignore[arg-type]


_FLORIDA = {
    "florida": [_e(20, "Florida", "admin1", "US", "USA", 16_000_000, 28.0, -81.7, a1code="US.FL"),
                _e(400, "Florida", "city", "US", "USA", 2_800, 41.33, -74.36, "New York", "US.NY")],
    "new york": [_e(21, "New York", "admin1", "US", "USA", 19_000_000, 43.0, -75.0, a1code="US.NY"),
                 _e(500, "New York City", "city", "US", "USA", 8_800_000, 40.71, -74.0, "New York", "US.NY"),
                 _e(501, "Albany", "city", "US", "USA", 97_000, 42.65, -73.75, "New York", "US.NY", match="alt")],
    "quebec": [_e(22, "Quebec", "admin1", "CA", "CAN", 8_000_000, 52.0, -72.0, a1code="CA.10"),
               _e(600, "Quebec", "city", "CA", "CAN", 530_000, 46.8, -71.2, "Quebec", "CA.10")],
    "man": [_e(23, "Manitoba", "admin1", "CA", "CAN", 1_300_000, 55.0, -97.0, a1code="CA.03", match="abbr"),
            _e(700, "Man", "city", "CI", "CIV", 190_000, 7.4, -7.55)],
}


@pytest.mark.parametrize("text,surface,expected_gid", [
    ("An unnamed man in Florida won the New York lottery.", "Florida", 20),  # the state, not the NY village
    ("He was born in Churchill, Man. and moved away.", "Man.", 23),  # a dotted press abbreviation
    ("She said she will stay in Quebec until spring.", "Quebec", 22),  # a town named as its province
    ("Former New York Gov. Mario Cuomo died.", "New York", 21),  # "Gov." makes it the state
    ("Reporting by a correspondent in New York.", "New York", 500),  # a metropolis named as its state
])
def test_division_or_town_readings(text: str, surface: str, expected_gid: int) -> None:
    res = _gaz_with(_FLORIDA)
    s = text.index(surface)
    [top] = res.resolve_spans(text, "en", [(s, s + len(surface))])
    assert top.place is not None and top.place.geonameid == expected_gid


def test_by_name_of_another_town_yields_to_the_town_so_named() -> None:
    res = _gaz_with({"venice": [_e(800, "Venice", "city", "US", "USA", 40_000, 27.1, -82.4),
                                _e(801, "Dayton", "city", "US", "USA", 135_000, 39.76, -84.19, match="alt")]})
    [top] = res.resolve_spans("A prize at the Venice festival.", "en", [(15, 21)])
    assert top.place is not None and top.place.geonameid == 800


@pytest.mark.parametrize("text,surface,expected_gid", [
    ("Flights were cancelled at Paris's Orly Airport on Friday.", "Orly Airport", 300),  # "X's" names the town
    ("In Paris, delays at Paris-Charles de Gaulle Airport grew.", "Paris-Charles de Gaulle Airport", 300),  # a town opens the name
    ("Police in Paris said a man was taken to Hôtel-Dieu Hospital.", "Hôtel-Dieu Hospital", 300),  # nearest town
])
def test_given_spans_the_gazetteer_lacks_fall_back_to_the_town_named_nearby(fake: PlaceResolver, text: str,
                                                                          surface: str, expected_gid: int) -> None:
    spans = [(m, m + len(w)) for w in ("Paris", surface) for m in [text.find(w)] if m >= 0]
    tops = fake.resolve_spans(text, "en", sorted(set(spans)))
    top = next(t for t in tops if t.text == surface)
    assert top.place is not None and top.place.geonameid == expected_gid and top.confidence <= 0.3


def test_given_span_without_any_context_stays_unresolved(fake: PlaceResolver) -> None:
    [top] = fake.resolve_spans("Nowhereville is quiet.", "en", [(0, 12)])
    assert top.place is None


@pytest.fixture(scope="module")
def seed_toponyms() -> tuple[str, list[Toponym], PlaceResolver]:
    from veille.nlp import load_pipeline

    text = SEED.read_text(encoding="utf-8")
    doc = load_pipeline("fr")(text)
    resolver = PlaceResolver()
    tops = resolver.geoparse(text, "fr", [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    return text, tops, resolver


def _first(tops: list[Toponym], surface: str) -> Toponym:
    return next(t for t in tops if t.text == surface)


@pytest.mark.slow
@pytest.mark.parametrize("surface,name,country,precision", [
    ("Moscou", "Moscow", "RUS", "city"), ("Hilla", "Al Hillah", "IRQ", "city"),
    ("Bagdad", "Baghdad", "IRQ", "city"), ("Irak", "Iraq", "IRQ", "country"),
    ("Babil", "Babil", "IRQ", "admin1"), ("Babel", "Babil", "IRQ", "admin1"),
])
def test_reference_article_places(seed_toponyms, surface: str, name: str, country: str, precision: str) -> None:
    _, tops, _ = seed_toponyms
    place = _first(tops, surface).place
    assert place is not None
    assert (place.name, place.country, place.precision) == (name, country, precision)


@pytest.mark.slow
def test_reference_article_hilla_is_in_babil(seed_toponyms) -> None:
    _, tops, _ = seed_toponyms
    assert _first(tops, "Hilla").place.admin1 == "Babil"  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Jibla", "al-Nile"])
def test_unknown_towns_fall_back_to_the_province_named_in_context(seed_toponyms, name: str) -> None:
    text, tops, resolver = seed_toponyms
    sentence = next(s for s in text.split("\n") if name in s)
    place = resolver.resolve(name, context=tops, sentence=sentence, language="fr")
    assert place is not None and place.country == "IRQ"
    assert place.admin1 == "Babil"
    if place.precision == "admin1":
        assert place.name == "Babil" and place.lat is not None


@pytest.mark.slow
def test_group_name_tagged_loc_is_not_given_coordinates(seed_toponyms) -> None:
    _, tops, _ = seed_toponyms
    group = [t for t in tops if t.text.startswith("Qassem")]
    assert all(t.place is None for t in group)


@pytest.mark.slow
@pytest.mark.parametrize("sentence,trigger,expected", [
    ("En visite à Moscou, le président a rencontré le ministre.", "rencontré", "Moscou"),
    ("Un premier convoi a été attaqué à Hilla, chef-lieu de la province de Babil.", "attaqué", "Hilla"),
])
def test_attach_event_place_follows_locative_links(sentence: str, trigger: str, expected: str) -> None:
    from veille.nlp import load_pipeline

    doc = load_pipeline("fr")(sentence)
    tok = next(t for t in doc if t.text == trigger)
    found = attach_event_place(doc, tok)
    assert found is not None and found.text == expected


@pytest.mark.slow
def test_attach_event_place_ignores_a_subject_country() -> None:
    from veille.nlp import load_pipeline

    doc = load_pipeline("en")("U.S. forces captured four suspected insurgents yesterday.")
    tok = next(t for t in doc if t.text == "captured")
    assert attach_event_place(doc, tok) is None


@pytest.mark.slow
@pytest.mark.parametrize("text, name", [
    ("Les manifestants ont été dispersés par la police à Tunis mardi.", "Tunis"),
    ("La police a arrêté trois journalistes à Alger lundi.", "Algiers"),
])
def test_a_capital_named_like_its_province_or_country_is_the_capital(text: str, name: str) -> None:
    """'Tunis' is also Tunisia's name in some languages, 'Alger' also a wilaya: news means the city."""
    tops = PlaceResolver().geoparse(text, "fr")
    (top,) = [t for t in tops if t.place is not None]
    assert top.place.name == name and top.place.precision == "city" and top.place.feature == "P.PPLC"
