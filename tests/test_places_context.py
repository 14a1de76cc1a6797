"""Article-level place evidence: joint coherence of local names, population ratio against a division
named elsewhere, plural division lists, currency signs, landmark fallbacks, directional phrases.

Made-up places on a fake gazetteer (the real index is exercised in test_places.py / test_gazetteer.py)."""
from __future__ import annotations

import pytest

from veille.resolve.gazetteer import GazEntry, normalize_name
from veille.resolve.places import PlaceResolver

_FEATURE = {"country": "A.PCLI", "admin1": "A.ADM1", "admin2": "A.ADM2", "city": "P.PPL", "region": "L.RGN"}


def _e(gid: int, name: str, kind: str, cc: str | None, pop: int, lat: float, lon: float,
       a1: str | None = None, a1code: str | None = None, a2: str | None = None, match: str = "name") -> GazEntry:
    cc3 = {"US": "USA", "GB": "GBR", "AU": "AUS", None: None}[cc]
    return GazEntry(gid, name, kind, _FEATURE[kind], cc, cc3, name if kind == "admin1" else a1, a1code,
                    a2 if kind != "admin2" else name, pop, lat, lon, match)


US = _e(1, "United States", "country", "US", 300_000_000, 39.8, -98.5)
GB = _e(2, "United Kingdom", "country", "GB", 66_000_000, 54.0, -2.0)
AU = _e(3, "Australia", "country", "AU", 25_000_000, -25.0, 134.0)
NORTHLAND = _e(10, "Northland", "admin1", "US", 5_000_000, 46.0, -95.0, a1code="US.NL")
SOUTHLAND = _e(11, "Southland", "admin1", "US", 9_000_000, 33.0, -84.0, a1code="US.SL")
RIVERLAND = _e(12, "Riverland", "admin1", "US", 4_000_000, 38.2, -85.7, a1code="US.RL")
EASTSHIRE = _e(13, "Eastshire", "admin1", "GB", 3_000_000, 52.5, -1.5, a1code="GB.ES")
FARWEST = _e(14, "Far West", "admin1", "AU", 2_500_000, -26.0, 121.0, a1code="AU.FW")

NAMES: dict[str, list[GazEntry]] = {
    "united states": [US], "usa": [_e(1, "United States", "country", "US", 300_000_000, 39.8, -98.5, match="abbr")],
    "united kingdom": [GB], "australia": [AU],
    "northland": [NORTHLAND], "southland": [SOUTHLAND], "riverland": [RIVERLAND], "eastshire": [EASTSHIRE],
    # a county of Northland and towns inside it, each with a bigger homonym elsewhere
    "pine county": [_e(100, "Pine County", "admin2", "US", 30_000, 46.0, -95.4, "Northland", "US.NL"),
                    _e(101, "Pine County", "admin2", "US", 80_000, 42.0, -110.0, "Highmark", "US.HM"),
                    _e(102, "Pine County", "admin2", "US", 60_000, 40.0, -120.0, "Goldmark", "US.GM")],
    # (the bigger homonyms lie in other states, far apart)
    "millbrook": [_e(110, "Millbrook", "city", "US", 11_000, 45.9, -95.4, "Northland", "US.NL", "Pine County"),
                  _e(111, "Millbrook", "city", "US", 95_000, 31.0, -87.0, "Southland", "US.SL", "Oak County")],
    "ashford": [_e(120, "Ashford", "city", "US", 2_000, 45.95, -95.3, "Northland", "US.NL", "Pine County"),
                _e(121, "Ashford", "city", "US", 40_000, 38.5, -85.0, "Riverland", "US.RL", "Elm County")],
    # a city and a county of the same name, in Northland
    "cedar": [_e(130, "Cedar", "city", "US", 4_000, 44.0, -93.0, "Northland", "US.NL", "Birch County"),
              _e(131, "Cedar County", "admin2", "US", 12_000, 46.5, -96.0, "Northland", "US.NL", match="alt")],
    "birch": [_e(140, "Birch", "city", "US", 3_500, 45.0, -94.0, "Northland", "US.NL", "Fir County"),
              _e(141, "Birch County", "admin2", "US", 15_000, 46.8, -95.8, "Northland", "US.NL", match="alt")],
    # a big town and a 100 times smaller homonym
    "granton": [_e(150, "Granton", "city", "US", 650_000, 38.25, -85.75, "Riverland", "US.RL"),
                _e(151, "Granton", "city", "US", 6_000, 33.1, -89.0, "Southland", "US.SL")],
    # a British town and a smaller American one
    "kingsbury": [_e(160, "Kingsbury", "city", "GB", 170_000, 53.1, -1.2, "Eastshire", "GB.ES"),
                  _e(161, "Kingsbury", "city", "US", 60_000, 32.5, -97.1, "Southland", "US.SL")],
    # a small town named like a square of the article's city, and that city
    "harbor square": [_e(170, "Harbor Square", "city", "US", 9_000, 40.0, -75.3, "Southland", "US.SL")],
    "port royal": [_e(180, "Port Royal", "city", "US", 400_000, 29.95, -90.07, "Riverland", "US.RL")],
    "west coast": [_e(190, "Far West", "admin1", "AU", 2_500_000, -26.0, 121.0, a1code="AU.FW", match="alt")],
}


class FakeGazetteer:
    def __init__(self) -> None:
        self.countries = {"US": US, "GB": GB, "AU": AU}

    def lookup(self, name: str) -> list[GazEntry]:
        return list(NAMES.get(normalize_name(name), []))

    def lookup_fuzzy(self, name: str) -> list[GazEntry]:
        return []


@pytest.fixture()
def fake() -> PlaceResolver:
    return PlaceResolver(FakeGazetteer())  # type: ignore[arg-type]


def _spans(text: str, *names: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for n in names:
        s = text.index(n, pos)
        out.append((s, s + len(n)))
        pos = s + len(n)
    return out


def _by_text(tops):  # type: ignore[no-untyped-def]
    return {t.text: t.place for t in tops}


def test_county_and_towns_inside_it_support_each_other(fake: PlaceResolver) -> None:
    text = ("A Millbrook man was hurt when his truck left the road near Ashford. "
            "Pine County deputies closed the road for two hours.")
    got = _by_text(fake.resolve_spans(text, "en", _spans(text, "Millbrook", "Ashford", "Pine County")))
    assert got["Millbrook"].geonameid == 110
    assert got["Ashford"].geonameid == 120
    assert got["Pine County"].geonameid == 100


def test_names_listed_before_a_plural_county_noun_are_counties(fake: PlaceResolver) -> None:
    text = "Flood warnings remain in force in Cedar and Birch counties until Friday."
    got = _by_text(fake.resolve_spans(text, "en", _spans(text, "Cedar", "Birch")))
    assert got["Cedar"].geonameid == 131 and got["Birch"].geonameid == 141


def test_division_named_elsewhere_does_not_beat_a_much_bigger_homonym(fake: PlaceResolver) -> None:
    text = "Southland beat Granton in the semifinal on Sunday night."
    got = _by_text(fake.resolve_spans(text, "en", _spans(text, "Granton")))
    assert got["Granton"].geonameid == 150


def test_division_said_beside_the_name_still_wins(fake: PlaceResolver) -> None:
    text = "The fair opened in Granton, Southland, on Sunday."
    got = _by_text(fake.resolve_spans(text, "en", _spans(text, "Granton", "Southland")))
    assert got["Granton"].geonameid == 151


def test_bare_dollar_amounts_point_to_the_united_states(fake: PlaceResolver) -> None:
    text = "Kingsbury council approves $1.2 million for new sidewalks. KINGSBURY - The council voted on Monday."
    got = fake.resolve_spans(text, "en", _spans(text, "Kingsbury", "KINGSBURY"))
    assert all(t.place is not None and t.place.geonameid == 161 for t in got)
    text2 = "Kingsbury council approves new sidewalks. KINGSBURY - The council voted on Monday."
    got2 = fake.resolve_spans(text2, "en", _spans(text2, "Kingsbury", "KINGSBURY"))
    assert all(t.place is not None and t.place.geonameid == 160 for t in got2)


def test_landmark_named_like_a_far_small_town_falls_back_to_the_article_city(fake: PlaceResolver) -> None:
    text = ("The Port Royal Transit Company ran its first line in 1890. The old depot faced Harbor Square, "
            "a few steps from the Old Mariners Church.")
    got = _by_text(fake.resolve_spans(text, "en", _spans(text, "Harbor Square", "Old Mariners Church")))
    assert got["Harbor Square"].geonameid == 180
    assert got["Old Mariners Church"].geonameid == 180
    assert got["Harbor Square"].confidence < 0.5


def test_unknown_name_takes_the_town_the_article_is_about(fake: PlaceResolver) -> None:
    text = ("Port Royal police said the fire started on Quayside Lane. Firefighters from Port Royal were on "
            "site within minutes. Russia condemned an unrelated attack.")
    got = _by_text(fake.resolve_spans(text, "en", _spans(text, "Port Royal", "Quayside Lane", "Port Royal")))
    assert got["Quayside Lane"].geonameid == 180


def test_directional_phrase_is_not_a_division_of_an_unmentioned_country(fake: PlaceResolver) -> None:
    text = ("Three horses from the USA ran. The colt, trained on the USA's West Coast, won easily. "
            "West Coast horses have done well here.")
    tops = fake.resolve_spans(text, "en", _spans(text, "West Coast", "West Coast"))
    assert all(t.place is not None and t.place.country == "USA" for t in tops)
