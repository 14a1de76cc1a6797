"""Who a people, a crowd or a nationality is (short texts written for the tests, real models):
counts before the people they count, minorities coded where they live, the nationality of an
act as its agent, and subjects carried into purpose and conjoined clauses."""
from __future__ import annotations

import pytest

from veille.pipeline import Pipeline
from veille.resolve.actors import ActorResolver
from written import events, news  # tests/written.py

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


@pytest.mark.parametrize("phrase, language, name, country, sector", [
    ("Up to 100 ethnic Albanians", "en", "Up to 100 ethnic Albanians", "ALB", "CVL"),
    ("Hundreds of thousands of people", "en", "Hundreds of thousands of people", None, "CVL"),
    ("the 2,000 soldiers", "en", "2,000 soldiers", None, "MIL"),
    ("A group of Kenyan soldiers", "en", "A group of Kenyan soldiers", "KEN", "MIL"),
    ("des milliers d'opposants", "fr", "des milliers d'opposants", None, "PTY"),
    ("plus de 200 manifestants", "fr", "plus de 200 manifestants", None, "CVL"),
])
def test_a_count_opening_a_phrase_is_kept_in_the_name_but_not_read_as_its_head(
        resolver: ActorResolver, phrase: str, language: str, name: str, country: str | None, sector: str) -> None:
    actor = resolver.resolve(phrase, language)
    assert actor is not None
    assert (actor.name, actor.country, actor.sector) == (name, country, sector)


@pytest.mark.parametrize("phrase, language, country", [
    ("ethnic Albanians in south Serbia", "en", "SRB"),
    ("the Albanians of southern Serbia", "en", "SRB"),
    ("les Kurdes de Syrie", "fr", "SYR"),
    ("Iranian diplomats in Iraq", "en", "IRN"),  # posted abroad: still Iranian
    ("the Greek side of the island of Cyprus", "en", "GRC"),  # not a people: no residence
])
def test_a_people_named_with_the_state_it_lives_in_belongs_to_that_state(
        resolver: ActorResolver, phrase: str, language: str, country: str) -> None:
    actor = resolver.resolve(phrase, language)
    assert actor is not None and actor.country == country, actor


@pytest.mark.parametrize("text, language, etype, country", [
    ("Ethnic Albanians demonstrated in Serbia on Tuesday.", "en", "PROTEST", "SRB"),
    ("Hundreds of thousands of people marched in Nairobi on Monday.", "en", "PROTEST", "KEN"),
    ("Palestinian riots continued in Hebron on Monday.", "en", "PROTEST", "PSE"),
    ("Les frappes américaines ont visé mardi des positions à Raqqa.", "fr", "ASSAULT", "USA"),
    ("The United States speeded up the withdrawal of its forces from Panama on Wednesday.", "en", "RETREAT", "USA"),
    ("Saudi Arabia has mobilised pressure groups to help support the Palestinian cause.", "en", "SUPPORT", "SAU"),
])
def test_the_actor_of_the_act(pipeline: Pipeline, text: str, language: str, etype: str, country: str) -> None:
    acts = news(events(pipeline, text, language), etype)
    assert acts, text
    assert acts[0].actor is not None and acts[0].actor.country == country, acts


def test_a_sponsor_word_makes_a_nationality_the_aim_not_the_agent(pipeline: Pipeline) -> None:
    acts = news(events(pipeline, "Hundreds of anti-French protesters marched in Bamako on Friday.", "en"), "PROTEST")
    assert acts and all(e.actor is None or e.actor.country != "FRA" for e in acts), acts


def test_a_participle_describing_a_place_is_no_act(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Teachers of the Israeli-occupied West Bank met the minister on Monday.", "en")
    assert not [e for e in evs if e.type in ("COERCE", "PROTEST")], evs


def test_willingness_is_an_offer_not_the_act(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Syria says it is willing to withdraw its troops from Lebanon.", "en")
    assert not news(evs, "RETREAT"), evs
    offers = news(evs, "AGREE")
    assert offers and offers[0].actor is not None and offers[0].actor.country == "SYR"


def test_an_act_under_if_is_not_reported_as_done(pipeline: Pipeline) -> None:
    text = ("Russia has threatened to stop the talks if the United States goes ahead with the deployment "
            "of new missiles in Europe.")
    evs = events(pipeline, text, "en")
    assert not news(evs, "MOBILIZE"), evs
    assert news(evs, "THREATEN")


def test_a_conjoined_verb_takes_the_passive_subject_of_the_first(pipeline: Pipeline) -> None:
    text = "Montenegro's prime minister has been indicted by a court and will resign."
    offers = news(events(pipeline, text, "en"), "AGREE")
    assert offers and offers[0].actor is not None and offers[0].actor.country == "MNE", offers


@pytest.mark.parametrize("text, language", [
    ("Unidentified gunmen attacked a police post near Gao on Monday.", "en"),
    ("Un journaliste a été enlevé lundi à Gao par des hommes armés.", "fr"),
])
def test_an_attack_by_people_the_text_does_not_name_has_no_actor(pipeline: Pipeline, text: str, language: str) -> None:
    attacks = news(events(pipeline, text, language), "ASSAULT")
    assert attacks, text
    assert attacks[0].actor is None, attacks


def test_a_named_group_of_gunmen_keeps_its_name(pipeline: Pipeline) -> None:
    attacks = news(events(pipeline, "Taliban gunmen attacked a police post in Kandahar on Monday.", "en"), "ASSAULT")
    assert attacks and attacks[0].actor is not None and attacks[0].actor.country == "AFG", attacks


def test_a_capital_before_an_act_is_where_it_happened_not_who_acted(pipeline: Pipeline) -> None:
    ex = pipeline.extractor("en")
    doc = pipeline.nlp("en")("The Kabul bombing was condemned by the United Nations.")
    ex.extract(doc, "2024-05-15", None)
    kabul = next(t for t in doc if t.text == "Kabul")
    assert not ex._nationality_modifier(kabul)
    us = pipeline.nlp("en")("US sanctions were announced on Monday.")
    ex.extract(us, "2024-05-15", None)
    assert ex._nationality_modifier(us[0])


@pytest.mark.parametrize("text, language, etype, country", [
    ("Le gouvernement tchadien a publié jeudi un communiqué annonçant l'expulsion de l'ambassadeur de France.",
     "fr", "SANCTION", "TCD"),
    ("Donald Trump a publié jeudi une lettre annonçant l'annulation du sommet avec la Corée du Nord.",
     "fr", "REJECT", "USA"),
])
def test_who_issues_a_text_takes_the_act_it_announces(pipeline: Pipeline, text: str, language: str,
                                                      etype: str, country: str) -> None:
    acts = news(events(pipeline, text, language), etype)
    assert acts, text
    assert acts[0].actor is not None and acts[0].actor.country == country, acts


def test_a_name_the_parse_cuts_in_two_stays_whole(pipeline: Pipeline) -> None:
    text = "Le président français Emmanuel Macron a exprimé son soutien entier à May, en parlant d'une « atteinte »."
    support = [e for e in events(pipeline, text, "fr") if e.type == "SUPPORT"]
    assert support and support[0].actor is not None and support[0].actor.name == "Emmanuel Macron", support
