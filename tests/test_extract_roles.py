"""Who did what to whom in sentences the parser finds hard (short texts written for the
tests, real models and resolvers)."""
from __future__ import annotations

import pytest

from veille.pipeline import Pipeline
from written import events  # tests/written.py

pytestmark = pytest.mark.slow


def test_a_long_list_of_subject_countries_gives_one_event_each(pipeline: Pipeline) -> None:
    text = ("Dans la nuit de lundi, la Guinée, le Sénégal, la Gambie, le Togo et le Mali ont rompu leurs "
            "relations diplomatiques avec le Niger.")
    cuts = [e for e in events(pipeline, text, "fr") if e.type == "SANCTION"]
    assert sorted(e.actor.country for e in cuts if e.actor) == ["GIN", "GMB", "MLI", "SEN", "TGO"], cuts
    assert all(e.target is not None and e.target.country == "NER" for e in cuts)
    assert all(e.location is None or e.location.country not in ("GIN", "SEN") for e in cuts)


@pytest.mark.parametrize("text, language", [
    ("Le Bénin a rompu ses relations diplomatiques avec le Niger.", "fr"),
    ("Benin severed diplomatic ties with Niger on Monday.", "en"),
])
def test_breaking_relations_with_a_country_targets_it(pipeline: Pipeline, text: str, language: str) -> None:
    (cut,) = [e for e in events(pipeline, text, language) if e.type == "SANCTION"]
    assert cut.actor is not None and cut.actor.country == "BEN"
    assert cut.target is not None and cut.target.country == "NER"


def test_a_place_opening_the_sentence_is_not_a_listed_subject(pipeline: Pipeline) -> None:
    evs = events(pipeline, "À Dakar, Thiès et Kaolack, les étudiants ont manifesté contre la hausse des frais.", "fr")
    protests = [e for e in evs if e.type == "PROTEST"]
    assert protests and all(e.actor is None or e.actor.sector != "GOV" for e in protests), protests


@pytest.mark.parametrize("text, language", [
    ("Deux soldats ont été tués lundi à Gao.", "fr"),
    ("Two soldiers were killed on Monday in Gao.", "en"),
    ("Des hommes armés ont tué trois policiers à Gao.", "fr"),
])
def test_soldiers_and_police_killed_are_the_target_not_the_weapon(pipeline: Pipeline, text: str,
                                                                  language: str) -> None:
    (attack,) = [e for e in events(pipeline, text, language) if e.type == "ASSAULT"]
    assert attack.target is not None and attack.target.sector in ("MIL", "COP"), attack.target


@pytest.mark.parametrize("text, language, country, sector", [
    ("Un missionnaire canadien a été arrêté mardi à Beyrouth.", "fr", "LBN", "COP"),
    ("A Canadian missionary was arrested on Tuesday in Beirut.", "en", "LBN", "COP"),
])
def test_an_arrest_told_without_its_agent_is_made_by_the_local_authorities(
        pipeline: Pipeline, text: str, language: str, country: str, sector: str) -> None:
    (arrest,) = [e for e in events(pipeline, text, language) if e.type == "COERCE"]
    assert arrest.actor is not None and (arrest.actor.country, arrest.actor.sector) == (country, sector)


def test_an_attack_told_without_its_agent_keeps_no_actor(pipeline: Pipeline) -> None:
    (attack,) = [e for e in events(pipeline, "Deux soldats ont été tués lundi à Gao.", "fr") if e.type == "ASSAULT"]
    assert attack.actor is None
