"""Deduplication of hand-made events within and across articles (the lead adds an end-to-end version)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from veille.dedup import (
    EventMention,
    actors_compatible,
    compatible,
    date_range,
    deduplicate,
    haversine_km,
    merge,
    places_compatible,
)
from veille.models import Actor, Event, Evidence, Place

HILLA = Place("Hilla", 98182, 32.48, 44.42, "IRQ", "Babil", "city")
AL_HILLAH = Place("Al Hillah", 98182, 32.4637, 44.4196, "IRQ", "Babil", "city")  # same town, other spelling
BASRA = Place("Basra", 99532, 30.51, 47.78, "IRQ", "Basra", "city")
BABIL = Place("Babil", 99063, 32.5, 44.5, "IRQ", "Babil", "admin1")
IRAQ = Place("Iraq", 99237, 33.0, 44.0, "IRQ", None, "country")
MILITIA = Actor("Some group", "IRQ", "REB")
CONVOY = Actor("US military convoy", "USA", "MIL")


def ev(sentence: str = "s", *, type: str = "ASSAULT", place: Place | None = HILLA, date: str | None = "2021-04-07",
       precision: str | None = "day", actor: Actor | None = MILITIA, target: Actor | None = CONVOY,
       start: int = 0, **kw: object) -> Event:
    return Event(type=type, evidence=Evidence(sentence, start, start + len(sentence)), actor=actor, target=target,
                 date=date, date_precision=precision, location=place, confidence=0.6, **kw)  # type: ignore[arg-type]


def test_same_attack_in_french_and_english_articles_is_one_event_with_two_mentions() -> None:
    fr = EventMention("article-fr", ev("Un convoi logistique américain a été attaqué à Hilla ce mercredi 7 avril."))
    en = EventMention("article-en", ev("A US convoy was hit near Al Hillah on Wednesday.", place=AL_HILLAH,
                                       actor=None, date="2021-04-07"))
    merged = deduplicate([fr, en])
    assert len(merged) == 1
    assert len(merged[0].mentions) == 2
    assert merged[0].n_articles == 2
    assert merged[0].event.actor == Actor("Some group", "IRQ", "REB")  # the known actor wins over unknown
    assert {m.article_id for m in merged[0].mentions} == {"article-fr", "article-en"}


def test_two_attacks_on_the_same_day_in_two_towns_stay_two() -> None:
    merged = deduplicate([EventMention("a", ev("attack in Hilla")), EventMention("b", ev("attack in Basra", place=BASRA))])
    assert len(merged) == 2
    assert sorted(m.event.location.name for m in merged) == ["Basra", "Hilla"]  # type: ignore[union-attr]


def test_summary_sentence_joins_the_first_detail_and_a_second_town_stays_separate() -> None:
    summary = EventMention("a", ev("Two convoys were attacked on Wednesday.", place=None))
    hilla = EventMention("a", ev("The first was hit in Hilla.", start=40))
    basra = EventMention("a", ev("The second was hit in Basra.", place=BASRA, start=70))
    merged = deduplicate([summary, hilla, basra])
    assert [len(m.mentions) for m in merged] == [2, 1]
    assert merged[0].event.location == HILLA


def test_unknown_date_merges_within_an_article_but_not_across_articles() -> None:
    dated, undated = ev("attack in Hilla"), ev("the Hilla attack", date=None, precision=None)
    assert compatible(dated, undated, same_article=True)
    assert not compatible(dated, undated, same_article=False)


@pytest.mark.parametrize(
    ("other_date", "precision", "same"),
    [("2021-04-07", "day", True), ("2021-04-08", "day", True), ("2021-04-06", "day", True),
     ("2021-04-09", "day", False), ("2021-04", "month", True), ("2021-05", "month", False),
     ("2021", "year", True), ("2020", "year", False)],
)
def test_dates_within_a_day_or_containing(other_date: str, precision: str, same: bool) -> None:
    assert compatible(ev(), ev(date=other_date, precision=precision)) is same


@pytest.mark.parametrize(
    ("km_north", "same"), [(0.0, True), (10.0, True), (24.0, True), (26.0, False), (60.0, False)],
)
def test_places_within_25_km(km_north: float, same: bool) -> None:
    moved = replace(HILLA, name="nearby", geonameid=None, lat=HILLA.lat + km_north / 111.2)  # type: ignore[operator]
    assert places_compatible(HILLA, moved) is same


@pytest.mark.parametrize(
    ("coarse", "fine", "same"),
    [(BABIL, HILLA, True), (BABIL, BASRA, False), (IRAQ, BASRA, True),
     (replace(IRAQ, country="SYR", name="Syria"), HILLA, False), (None, BASRA, True)],
)
def test_coarser_places_match_inside_their_admin_area(coarse: Place | None, fine: Place, same: bool) -> None:
    assert places_compatible(coarse, fine) is same
    assert places_compatible(fine, coarse) is same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [(MILITIA, MILITIA, True), (MILITIA, None, True), (MILITIA, Actor("another name", "IRQ", "REB"), True),
     (MILITIA, Actor(None, "IRQ", None), True), (MILITIA, Actor("x", "IRQ", "UNK"), True),
     (MILITIA, Actor("x", "USA", "REB"), False), (MILITIA, Actor("x", "IRQ", "MIL"), False)],
)
def test_actor_compatibility(a: Actor | None, b: Actor | None, same: bool) -> None:
    assert actors_compatible(a, b) is same


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Nikolai Patrushev", "Mikhail Bogdanov", False),
    ("Faleh al-Fayyad", "Hadi al-Amiri", False),
    ("Group for the Support of Islam", "Islamic State in the Sahel", False),
    ("Au moins quatre soldats maliens", "Malian army post in Tessalit", True),  # descriptions, capitalised
    ("Soldiers of the garrison", "Malian army post", True),
])
def test_only_two_different_proper_names_keep_participants_apart(a: str, b: str, same: bool) -> None:
    assert actors_compatible(Actor(a, "MLI", "MIL"), Actor(b, "MLI", "MIL")) is same


@pytest.mark.parametrize(
    "change",
    [{"type": "PROTEST"}, {"negated": True}, {"hypothetical": True}, {"target": Actor("x", "IRQ", "GOV")},
     {"actor": Actor("x", "USA", "MIL")}],
)
def test_incompatible_fields_keep_events_apart(change: dict[str, object]) -> None:
    assert len(deduplicate([EventMention("a", ev()), EventMention("b", replace(ev(), **change))])) == 2


def test_merge_keeps_best_supported_values() -> None:
    mentions = [
        EventMention("a", ev("in Babil province", place=BABIL, date="2021-04", precision="month",
                             actor=Actor("the militia", "IRQ", "REB"))),
        EventMention("b", ev("in Hilla", place=HILLA, actor=Actor("Some group", "IRQ", None))),
        EventMention("c", ev("near Hilla", place=AL_HILLAH, actor=Actor("Some group", None, "REB"), mode="explosion")),
    ]
    merged = merge(mentions)
    assert merged.event.location is not None and merged.event.location.precision == "city"
    assert (merged.event.date, merged.event.date_precision) == ("2021-04-07", "day")
    assert merged.event.actor == Actor("Some group", "IRQ", "REB")  # most frequent name, country, sector
    assert merged.event.mode == "explosion"
    assert merged.event.confidence > 0.9  # three independent reports
    assert len(merged.mentions) == 3 and merged.n_articles == 3


def test_chains_do_not_merge_events_that_are_too_far_apart() -> None:
    # A~B (20 km) and B~C (20 km), but A and C are 40 km apart: C must not join A's cluster.
    b = replace(HILLA, name="B", geonameid=None, lat=HILLA.lat + 20 / 111.2)  # type: ignore[operator]
    c = replace(HILLA, name="C", geonameid=None, lat=HILLA.lat + 40 / 111.2)  # type: ignore[operator]
    merged = deduplicate([EventMention("1", ev(place=HILLA)), EventMention("2", ev(place=b)),
                          EventMention("3", ev(place=c))])
    assert [len(m.mentions) for m in merged] == [2, 1]


def test_helpers() -> None:
    assert haversine_km(HILLA.lat, HILLA.lon, BASRA.lat, BASRA.lon) == pytest.approx(390, abs=15)  # type: ignore[arg-type]
    assert date_range("2021-02", "month")[1].isoformat() == "2021-02-28"  # type: ignore[index]
    assert date_range("2021-12", "month")[1].isoformat() == "2021-12-31"  # type: ignore[index]
    assert date_range("garbage") is None
    with pytest.raises(ValueError):
        merge([])
