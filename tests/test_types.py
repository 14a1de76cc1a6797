"""Event types on short sentences written for the tests: what the modality, the clause and the
words around a trigger make of it (reported demands, announcements, ultimatums, refusals,
support nouns, the main event of a sentence). Real models and resolvers."""
from __future__ import annotations

import pytest

from veille.eval.adapters._common import top_event
from veille.models import Event
from veille.pipeline import Pipeline
from written import result  # tests/written.py

pytestmark = pytest.mark.slow


def _events(pipeline: Pipeline, text: str, language: str) -> tuple[Event | None, list[Event]]:
    res = result(pipeline, text, language)
    return top_event(res), list(res.events)


def _main_type(pipeline: Pipeline, text: str, language: str) -> str | None:
    top, _ = _events(pipeline, text, language)
    return top.type if top is not None else None


@pytest.mark.parametrize("text, language", [
    ("The Swedish foreign minister said on Monday that Belarus must free all political prisoners.", "en"),
    ("Le ministre allemand a affirmé mardi que la Serbie doit retirer ses troupes de la frontière.", "fr"),
])
def test_an_obligation_stated_of_another_party_is_a_demand(pipeline: Pipeline, text: str, language: str) -> None:
    top, evs = _events(pipeline, text, language)
    assert top is not None and top.type == "REQUEST"
    assert not [e for e in evs if e.type == "RETREAT"]  # the release / withdrawal is demanded, not done


@pytest.mark.parametrize("text, language", [
    ("Russia said it must respond to the provocation.", "en"),
    ("Le président doit se rendre mardi à Dakar, a annoncé l'Élysée.", "fr"),  # a schedule, not a demand
    ("Le ministre a affirmé que le Mali devrait organiser des élections.", "fr"),  # an expectation
])
def test_own_duties_schedules_and_expectations_are_no_demand(pipeline: Pipeline, text: str, language: str) -> None:
    _, evs = _events(pipeline, text, language)
    assert not [e for e in evs if e.type == "REQUEST"]


@pytest.mark.parametrize("text, language", [
    ("Farmers' unions said on Friday they would block the main roads into Madrid from Monday.", "en"),
    ("Les syndicats de taxis ont annoncé qu'ils bloqueraient l'aéroport de Dakar lundi.", "fr"),
])
def test_a_protest_announced_in_reported_speech_is_a_threat(pipeline: Pipeline, text: str, language: str) -> None:
    assert _main_type(pipeline, text, language) == "THREATEN"


@pytest.mark.parametrize("text, language", [
    ("Kenya announced that it will withdraw its troops from Somalia unless the African Union pays their salaries.", "en"),
    ("Le Tchad a annoncé qu'il retirera ses soldats du Mali à moins que l'ONU ne finance la mission.", "fr"),
])
def test_an_act_announced_unless_the_other_side_complies_is_an_ultimatum(pipeline: Pipeline, text: str,
                                                                         language: str) -> None:
    assert _main_type(pipeline, text, language) == "THREATEN"


@pytest.mark.parametrize("text, language", [
    ("The European Union may suspend its aid to Mali if the junta delays the elections.", "en"),
    ("Si les attaques se poursuivent, l'armée pourrait bombarder les positions rebelles, a prévenu le ministre.", "fr"),
])
def test_a_conditional_use_of_force_is_a_threat(pipeline: Pipeline, text: str, language: str) -> None:
    assert _main_type(pipeline, text, language) == "THREATEN"


def test_a_conditional_offer_stays_a_promise(pipeline: Pipeline) -> None:
    text = "The UN said on Tuesday it would send food aid to Gaza if the crossings reopen."
    assert _main_type(pipeline, text, "en") == "AGREE"


@pytest.mark.parametrize("text, language", [
    ("Poland said it will not accept any more migrants this year.", "en"),
    ("La Hongrie a déclaré qu'elle n'accepterait pas de nouveaux migrants.", "fr"),
])
def test_an_announced_refusal_to_cooperate_is_a_rejection(pipeline: Pipeline, text: str, language: str) -> None:
    assert _main_type(pipeline, text, language) == "REJECT"


@pytest.mark.parametrize("text, language", [
    ("The Kenyan government said it is prepared to impose a curfew in Nairobi.", "en"),
    ("Le gouvernement ivoirien se dit prêt à imposer un couvre-feu à Abidjan.", "fr"),
    ("La France va imposer de nouvelles sanctions contre le Niger.", "fr"),  # through the support verb
])
def test_a_readiness_or_intention_to_use_coercion_is_a_threat(pipeline: Pipeline, text: str, language: str) -> None:
    top, evs = _events(pipeline, text, language)
    assert top is not None and top.type == "THREATEN"
    assert not [e for e in evs if e.type in ("AGREE", "SANCTION", "COERCE")]


@pytest.mark.parametrize("text, language", [
    ("Sudan and South Sudan failed to reach an agreement on oil fees.", "en"),
    ("Le Soudan et le Soudan du Sud ne sont pas parvenus à conclure un accord sur le pétrole.", "fr"),
])
def test_an_agreement_not_reached_is_no_agreement(pipeline: Pipeline, text: str, language: str) -> None:
    _, evs = _events(pipeline, text, language)
    assert not [e for e in evs if e.type == "AGREE"]


@pytest.mark.parametrize("text, language, etype", [
    ("The army launched a bombing campaign against rebel positions.", "en", "ASSAULT"),
    ("La police a mené une campagne d'arrestations à Bamako.", "fr", "COERCE"),
    ("The European Union gave Niger 20 million euros of aid.", "en", "AID"),
    ("L'Union européenne a accordé au Niger 20 millions d'euros d'aide.", "fr", "AID"),
])
def test_an_act_named_through_a_measure_or_undertaking_noun(pipeline: Pipeline, text: str, language: str,
                                                             etype: str) -> None:
    _, evs = _events(pipeline, text, language)
    assert [e for e in evs if e.type == etype and e.actor is not None]


def test_weapons_seized_without_a_named_agent_are_a_seizure(pipeline: Pipeline) -> None:
    assert _main_type(pipeline, "A large quantity of weapons was seized during the raid.", "en") == "COERCE"


def test_the_us_is_no_first_person_pronoun(pipeline: Pipeline) -> None:
    assert _main_type(pipeline, "The US on Monday rejected the Iranian proposal.", "en") == "REJECT"


def test_a_statement_demanding_is_the_demand(pipeline: Pipeline) -> None:
    text = "The rebels issued a statement demanding the release of their leader."
    assert _main_type(pipeline, text, "en") == "REQUEST"


@pytest.mark.parametrize("text, language, main", [
    ("Hundreds of people marched on Sunday in Goma, where rebels have killed dozens of civilians.", "en", "PROTEST"),
    ("Des centaines de personnes ont manifesté dimanche à Goma, où les rebelles ont tué des dizaines de civils.", "fr",
     "PROTEST"),
    ("Mali expelled the French ambassador after France criticised the junta.", "en", "SANCTION"),
])
def test_a_clause_giving_the_setting_or_the_cause_is_background(pipeline: Pipeline, text: str, language: str,
                                                                 main: str) -> None:
    _, evs = _events(pipeline, text, language)
    assert [e for e in evs if e.type == main and not e.background]
    others = [e for e in evs if e.type != main]
    assert others and all(e.background for e in others)


@pytest.mark.parametrize("text, language, etype", [
    ("The army lifted on Friday a week-old blockade on the northern villages.", "en", "RETREAT"),
    ("Serbia lifted a night curfew in the province.", "en", "CONCEDE"),
    ("L'armée a levé vendredi le blocus des villages du nord.", "fr", "RETREAT"),
    ("Swiss doctors handed over two tonnes of medicine to the Red Crescent.", "en", "AID"),
    ("The police handed over the suspect to the French authorities.", "en", "COOPERATE"),
    ("La Croix-Rouge a remis des médicaments aux autorités locales.", "fr", "AID"),
    ("Riot police prevented the demonstration planned by the students.", "en", "COERCE"),
    ("La police a empêché la manifestation des étudiants.", "fr", "COERCE"),
])
def test_a_words_own_sense_follows_what_it_acts_on(pipeline: Pipeline, text: str, language: str, etype: str) -> None:
    assert _main_type(pipeline, text, language) == etype


@pytest.mark.parametrize("text, language", [
    ("The police prevented the attack on the embassy.", "en"),  # a thwarted attack is no coercion
    ("La police a empêché l'attentat contre l'ambassade.", "fr"),
])
def test_a_word_sense_unmet_is_no_event_of_that_type(pipeline: Pipeline, text: str, language: str) -> None:
    _, evs = _events(pipeline, text, language)
    assert not [e for e in evs if e.type == "COERCE"]


def test_the_situation_an_act_happens_amid_ranks_below_the_act(pipeline: Pipeline) -> None:
    res = result(pipeline, "Shells were fired from Syria and hit a military position near Quneitra on Tuesday, "
                           "amid a violent escalation at the Israel-Syria border.", "en")
    assert top_event(res).type == "ASSAULT"


def test_a_report_s_source_is_not_the_place_of_the_denial(pipeline: Pipeline) -> None:
    text = ("According to the Pentagon, the interception was unsafe, which was denied on Tuesday "
            "by the Chinese foreign ministry.")
    denials = [e for e in result(pipeline, text, "en").events if e.type == "REJECT"]
    assert denials, text
    assert denials[0].location is None or denials[0].location.country == "CHN", denials
