"""When events happen: dates that open a running period, and mentions merged across sentences
(short articles written for the tests, real models and resolvers)."""
from __future__ import annotations

import pytest

from veille.pipeline import Pipeline
from written import events  # tests/written.py
from veille.resolve.dates import DateResolver

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text, language, since", [
    ("Depuis le début du conflit, il y a cinq ans, la ville est encerclée.", "fr", True),
    ("Depuis lundi, les routes sont coupées.", "fr", True),
    ("Il y a cinq ans, la ville a été encerclée.", "fr", False),
    ("Lundi, les routes ont été coupées. Depuis, rien n'a bougé.", "fr", False),
    ("Since the war began in 2011, the town has been besieged.", "en", True),
    ("In 2011 the town was besieged.", "en", False),
])
def test_a_date_after_since_opens_a_period(text: str, language: str, since: bool) -> None:
    (d,) = DateResolver().find(text, language, "2024-05-15")
    assert d.since is since, d


@pytest.mark.parametrize("text, language", [
    ("Pour la première fois depuis le début du conflit, il y a 4 ans, l'armée nigérienne est intervenue au Mali. "
     "Le ministre de la Défense a ordonné un raid aérien contre un camp qu'il tient pour responsable de "
     "l'embuscade de lundi.", "fr"),
    ("For the first time since the conflict began 4 years ago, the Nigerien army stepped in. "
     "The defence minister ordered an air raid on a camp he blames for Monday's ambush.", "en"),
])
def test_the_start_of_a_running_period_does_not_date_the_next_sentence(pipeline: Pipeline, text: str,
                                                                        language: str) -> None:
    strikes = [e for e in events(pipeline, text, language, "2024-05-15") if e.type == "ASSAULT"]
    assert strikes, "the raid is found"
    assert all(not e.background and e.date and e.date.startswith("2024-05") for e in strikes), strikes


def test_a_placeless_mention_joins_an_equally_specific_later_one_that_states_the_place() -> None:
    """Two mentions of one strike, equally specific: the first names who ordered it, the second
    (later) says where; the tie-break "later into earlier" is impossible (the earlier one has no
    place to hold the later one's), so the earlier one goes into the later one."""
    from veille.extract.events import Candidate
    from veille.extract.merge import merge_candidates
    from veille.models import Actor, Place

    mali = Place("Mali", 2453866, 17.0, -4.0, "MLI", None, "country", 1.0, "A.PCLI")
    ordered = Candidate("ASSAULT", "aerial", 3, 1, 0, 80, "frappe", 5, actor=Actor("Emmanuel Macron", "FRA", "GOV"),
                        actor_generic=False, date="2024-05-15", date_precision="day", noun_trigger=True)
    quoted = Candidate("ASSAULT", None, 4, 1, 81, 160, "frappe", 20, location=mali, place_text="Mali",
                       place_stated_coarse=True, date="2024-05-15", date_precision="day", date_explicit=True,
                       noun_trigger=True)
    (merged,) = merge_candidates([ordered, quoted])
    assert merged.location == mali and merged.actor == Actor("Emmanuel Macron", "FRA", "GOV")


def test_a_capital_acting_as_its_government_is_not_where_its_arrests_happen(pipeline: Pipeline) -> None:
    text = ("Catalogne : tension avant le vote\n\n"
            "Madrid a choisi la manière forte, notamment la confiscation du matériel électoral. "
            "Plusieurs organisateurs du scrutin ont été arrêtés mercredi.")
    evs = [e for e in events(pipeline, text, "fr", "2024-05-15") if e.type == "COERCE"]
    assert evs, "the seizure and the arrests are found"
    assert all(e.location is None or e.location.name != "Madrid" for e in evs), [
        (e.location, e.evidence.sentence) for e in evs]


def test_a_capital_speaking_for_its_government_still_says_where_it_spoke(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Moscou a vivement critiqué mardi la décision du gouvernement letton.", "fr",
                  "2024-05-15")
    said = [e for e in evs if e.type in ("ACCUSE", "DISAPPROVE", "REJECT")]
    assert said and said[0].location is not None and said[0].location.name == "Moscow"


@pytest.mark.parametrize("text, language", [
    ("Plus tôt dans la journée, le Tchad avait mis en garde le Soudan contre toute incursion armée.", "fr"),
    ("Earlier in the day, Chad had warned Sudan against any armed incursion.", "en"),
])
def test_a_pluperfect_act_dated_today_is_news(pipeline: Pipeline, text: str, language: str) -> None:
    warnings = [e for e in events(pipeline, text, language, "2024-05-15") if e.type == "THREATEN"]
    assert warnings and all(not e.background and e.date == "2024-05-15" for e in warnings), warnings


@pytest.mark.parametrize("text, language", [
    ("Le Tchad avait mis en garde le Soudan contre toute incursion armée.", "fr"),
    ("Chad had warned Sudan against any armed incursion.", "en"),
])
def test_an_undated_pluperfect_act_stays_background(pipeline: Pipeline, text: str, language: str) -> None:
    warnings = [e for e in events(pipeline, text, language, "2024-05-15") if e.type == "THREATEN"]
    assert warnings and all(e.background for e in warnings), warnings


def test_a_past_tense_retelling_of_the_days_attack_joins_it() -> None:
    from veille.extract.events import Candidate
    from veille.extract.merge import merge_candidates
    from veille.models import Place

    town = Place("Gao", 2457163, 16.27, -0.04, "MLI", "Gao", "city", 1.0, "P.PPLA")
    attack = Candidate("ASSAULT", None, 1, 0, 0, 60, "attaque", 3, location=town, place_text="Gao",
                       date="2024-05-14", date_precision="day", date_explicit=True)
    retold = Candidate("ASSAULT", None, 3, 0, 200, 280, "attaque", 40, date="2024-05-14", date_precision="day",
                       background=True)
    older = Candidate("ASSAULT", None, 12, 6, 900, 980, "attaque", 160, date="2023-05-14", date_precision="day",
                      date_explicit=True, background=True)
    merged = merge_candidates([attack, retold, older])
    assert [(c.sent_index, c.background) for c in merged] == [(1, False), (12, True)]


@pytest.mark.parametrize("text, language", [
    ("Des frappes similaires ont eu lieu ces derniers mois, toutes visant des convois de l'armée malienne.", "fr"),
    ("Similar strikes took place in recent months, all targeting Malian army convoys.", "en"),
])
def test_a_class_of_similar_acts_is_no_event_nor_are_its_participles(pipeline: Pipeline, text: str,
                                                                     language: str) -> None:
    assert [e for e in events(pipeline, text, language, "2024-05-15") if e.type == "ASSAULT"] == []


def test_a_flashback_date_dates_the_next_sentence_not_the_rest_of_the_paragraph(pipeline: Pipeline) -> None:
    text = ("Le 4 mars 2018, un ancien espion a été empoisonné à Salisbury. Il a été hospitalisé à Londres. "
            "Le président français a exprimé son soutien entier à Theresa May.")
    support = [e for e in events(pipeline, text, "fr", published="2018-03-24") if e.type == "SUPPORT"]
    assert support and not support[0].background, support
