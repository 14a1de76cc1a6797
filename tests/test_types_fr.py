"""Event types of invented French (and English) sentences: what is met (a party, not an
obstacle), negated participation, protest crowds, apologies, concessions, interceptions,
cancelled summits, surrender, and statements of no one. Real models and resolvers."""
from __future__ import annotations

import pytest

from veille.pipeline import Pipeline
from written import events  # tests/written.py

pytestmark = pytest.mark.slow


def _types(pipeline: Pipeline, text: str, language: str) -> list[str]:
    return [e.type for e in events(pipeline, text, language)]


@pytest.mark.parametrize("text, language", [
    ("Le gouvernement a rencontré des difficultés pour financer le projet.", "fr"),
    ("The reform met with fierce opposition in parliament.", "en"),
])
def test_meeting_an_obstacle_is_no_meeting(pipeline: Pipeline, text: str, language: str) -> None:
    assert "CONSULT" not in _types(pipeline, text, language)


def test_a_meeting_not_attended_did_not_take_place(pipeline: Pipeline) -> None:
    text = "Les délégués iraniens ne se sont pas rendus à la réunion prévue à Genève."
    assert "CONSULT" not in _types(pipeline, text, "fr")


@pytest.mark.parametrize("text, language", [
    ("Des centaines de grévistes se sont massés devant la préfecture de Rennes.", "fr"),
    ("Plusieurs milliers de manifestants étaient présents devant le siège du parlement à Dakar.", "fr"),
    ("Un rassemblement pacifique de 300 personnes a eu lieu samedi à Lyon.", "fr"),
    ("Hundreds of protesters gathered outside the parliament in Nairobi.", "en"),
])
def test_protest_crowds_and_gatherings(pipeline: Pipeline, text: str, language: str) -> None:
    types = _types(pipeline, text, language)
    assert "PROTEST" in types
    assert "MOBILIZE" not in types and "COERCE" not in types


@pytest.mark.parametrize("text, language", [
    ("Le gouvernement s'est excusé auprès des habitants de Mayotte.", "fr"),
    ("The president apologized to the families of the victims.", "en"),
])
def test_an_apology_is_support(pipeline: Pipeline, text: str, language: str) -> None:
    assert "SUPPORT" in _types(pipeline, text, language)  # PLOVER (CAMEO 055)


@pytest.mark.parametrize("text", [
    "Le gouvernement a acté la création d'une université à Cayenne.",
    "Le ministre a suspendu la privatisation du port de Dakar.",
])
def test_granting_or_suspending_a_contested_measure_is_a_concession(pipeline: Pipeline, text: str) -> None:
    assert "CONCEDE" in _types(pipeline, text, "fr")


@pytest.mark.parametrize("text, language", [
    ("Deux chasseurs russes ont intercepté un avion de patrouille norvégien au-dessus de la mer de Barents.", "fr"),
    ("La marine iranienne a arraisonné un pétrolier britannique dans le détroit d'Ormuz.", "fr"),
    ("Two Russian fighter jets intercepted a Norwegian patrol plane over the Barents Sea.", "en"),
])
def test_intercepting_a_craft_is_coercion(pipeline: Pipeline, text: str, language: str) -> None:
    assert "COERCE" in _types(pipeline, text, language)


@pytest.mark.parametrize("text, language", [
    ("Le président américain a annulé le sommet prévu avec son homologue russe à Helsinki.", "fr"),
    ("The US president cancelled the summit with his Russian counterpart.", "en"),
])
def test_calling_off_a_summit_is_a_rejection(pipeline: Pipeline, text: str, language: str) -> None:
    types = _types(pipeline, text, language)
    assert "REJECT" in types and "SANCTION" not in types


def test_surrendering_to_the_authorities_is_retreat(pipeline: Pipeline) -> None:
    types = _types(pipeline, "Le rebelle s'est rendu aux autorités maliennes à Gao.", "fr")
    assert "RETREAT" in types and "CONSULT" not in types


def test_a_call_in_an_aside_with_no_party_is_no_request(pipeline: Pipeline) -> None:
    text = "Le ministre a affiché sa solidarité avec les grévistes en appelant à trouver des solutions."
    assert "REQUEST" not in _types(pipeline, text, "fr")


def test_announcing_a_decision_is_taking_it(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Le gouvernement malien a annoncé mardi l'expulsion de l'ambassadeur de France à Bamako.", "fr")
    expulsions = [e for e in evs if e.type == "SANCTION" and not e.background]
    assert expulsions, evs
    assert expulsions[0].actor is not None and expulsions[0].actor.country == "MLI"
    assert expulsions[0].target is not None and expulsions[0].target.country == "FRA"


def test_meeting_a_quantity_of_opposition_is_no_meeting(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Le projet de loi rencontre encore beaucoup d'opposition au Parlement.", "fr")
    assert not [e for e in evs if e.type == "CONSULT"], evs


def test_the_source_of_a_report_is_not_where_the_act_happened(pipeline: Pipeline) -> None:
    text = "Selon le Pentagone, la manœuvre a été dangereuse, ce qui a été nié mardi par le ministère chinois des Affaires étrangères."
    denials = [e for e in events(pipeline, text, "fr") if e.type == "REJECT"]
    assert denials, text
    assert denials[0].location is None or denials[0].location.country == "CHN", denials


@pytest.mark.parametrize("text, language", [
    ("Le président reste ouvert à l'idée d'une rencontre avec le dirigeant nord-coréen.", "fr"),
    ("The president remains open to the idea of a meeting with the North Korean leader.", "en"),
])
def test_an_act_only_considered_is_no_event(pipeline: Pipeline, text: str, language: str) -> None:
    assert not [e for e in events(pipeline, text, language) if e.type == "CONSULT" and not e.hypothetical], text
