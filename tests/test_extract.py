"""Extraction rules on short articles written for the tests (real models and resolvers)."""
from __future__ import annotations

import pytest

from veille.models import Event
from veille.pipeline import Pipeline
from written import events, news  # tests/written.py

pytestmark = pytest.mark.slow


def test_claim_makes_the_claimant_the_actor_of_each_enumerated_attack(pipeline: Pipeline) -> None:
    text = ("Deux patrouilles de l'armée nigérienne ont été attaquées lundi dans la région de Tillabéri. "
            "La première a été visée à Ouallam et la seconde a été prise pour cible près de Téra.\n\n"
            "Les deux attaques ont été revendiquées par l'État islamique au Sahel.")
    attacks = news(events(pipeline, text, "fr"), "ASSAULT")
    places = sorted(e.location.name for e in attacks if e.location is not None)
    assert len(attacks) == 2, [(e.location, e.evidence.sentence) for e in attacks]
    assert all(e.actor is not None and e.actor.sector == "REB" for e in attacks)
    assert all(e.target is not None and e.target.country == "NER" for e in attacks)
    assert all(e.date == "2024-05-13" for e in attacks)
    assert len(set(places)) == 2


def test_visit_makes_the_visitor_the_actor_and_gives_the_place(pipeline: Pipeline) -> None:
    text = ("En visite à Nairobi, le ministre turc des Affaires étrangères a rencontré mardi "
            "le président kényan William Ruto.")
    (consult,) = news(events(pipeline, text, "fr"), "CONSULT")
    assert consult.actor.country == "TUR" and consult.actor.sector == "GOV"
    assert consult.target.country == "KEN"
    assert consult.location.name == "Nairobi" and consult.location.precision == "city"
    assert consult.mode == "visit" and consult.date == "2024-05-14"


@pytest.mark.parametrize("text, language", [
    ("L'armée n'a pas bombardé la ville de Kidal, a affirmé le porte-parole.", "fr"),
    ("The army did not shell the town of Kidal, a spokesman said.", "en"),
])
def test_negated_acts_are_not_coded(pipeline: Pipeline, text: str, language: str) -> None:
    assert news(events(pipeline, text, language), "ASSAULT") == []


def test_announced_sanctions_are_a_threat_not_sanctions(pipeline: Pipeline) -> None:
    evs = events(pipeline, "The European Union will impose sanctions on Iranian officials, its foreign policy chief said.", "en")
    assert news(evs, "SANCTION") == []
    assert [e.actor.sector for e in news(evs, "THREATEN")] == ["IGO"]


def test_passive_voice_with_agent(pipeline: Pipeline) -> None:
    (attack,) = news(events(pipeline, "Un convoi de l'armée malienne a été attaqué mardi par des jihadistes à Gao.", "fr"), "ASSAULT")
    assert attack.actor.sector == "REB"
    assert attack.target.country == "MLI" and attack.target.sector == "MIL"
    assert attack.location.name == "Gao"


def test_compound_actors_are_several_events(pipeline: Pipeline) -> None:
    evs = news(events(pipeline, "Hungarian and Romanian officials met in Budapest on Monday.", "en"), "CONSULT")
    assert {e.actor.country for e in evs} == {"HUN", "ROU"}


def test_background_history_is_flagged(pipeline: Pipeline) -> None:
    evs = events(pipeline, "Des rebelles ont attaqué jeudi la ville de Bunia. En 2003, des milices avaient déjà massacré "
                           "des centaines de civils dans la région.", "fr")
    assert [e.date for e in news(evs, "ASSAULT")] == ["2024-05-09"]
    old = [e for e in evs if e.type == "ASSAULT" and e.background]
    assert old and old[0].date == "2003" and old[0].date_precision == "year"


def test_quoted_first_person_speech_is_not_an_act(pipeline: Pipeline) -> None:
    assert events(pipeline, "« Nous ne céderons pas », a déclaré le ministre de l'Intérieur.", "fr") == []


def test_subject_pronoun_resolves_to_the_person_named_before(pipeline: Pipeline) -> None:
    text = ("Le ministre sénégalais de l'Intérieur, Antoine Diome, est arrivé lundi à Dakar. "
            "Il a condamné les violences commises pendant la nuit.")
    (accuse,) = news(events(pipeline, text, "fr"), "ACCUSE")
    assert accuse.actor.name == "Antoine Diome" and accuse.actor.country == "SEN"


def test_natural_disasters_are_not_attacks(pipeline: Pipeline) -> None:
    assert news(events(pipeline, "The earthquake killed at least eight people in eastern Turkey on Monday.", "en"), "ASSAULT") == []


# ---------------------------------------------------------------- actor and target roles
def _top(evs: list[Event]) -> Event:
    return max(evs, key=lambda e: e.confidence)


@pytest.mark.parametrize("text, language, actor, target", [
    ("The Danish government on Monday welcomed Chile's new proposal on fisheries.", "en", "DNK", "CHL"),
    ("Le Kremlin a salué mardi la déclaration du gouvernement chilien.", "fr", "RUS", "CHL"),
])
def test_welcoming_a_statement_is_support_by_the_subject(pipeline: Pipeline, text: str, language: str,
                                                         actor: str, target: str) -> None:
    (support,) = news(events(pipeline, text, language), "SUPPORT")
    assert support.actor.country == actor and support.target.country == target


@pytest.mark.parametrize("text, language, actor, target", [
    ("Ankara on Tuesday rejected an appeal by the Dutch government.", "en", "TUR", "NLD"),
    ("Ottawa a rejeté mardi l'appel du gouvernement néerlandais.", "fr", "CAN", "NLD"),
    ("The Kremlin urged Tokyo to resume the talks.", "en", "RUS", "JPN"),
    ("Le Kremlin a exhorté Tokyo à reprendre les négociations.", "fr", "RUS", "JPN"),
])
def test_a_capital_acting_or_addressed_is_its_government(pipeline: Pipeline, text: str, language: str,
                                                         actor: str, target: str) -> None:
    top = _top(events(pipeline, text, language))
    assert top.actor is not None and (top.actor.country, top.actor.sector) == (actor, "GOV")
    assert top.target is not None and top.target.country == target


@pytest.mark.parametrize("text, language", [
    ("Norway sent medicines to Yemen last week, the ministry said.", "en"),
    ("La Norvège a envoyé des médicaments au Yémen la semaine dernière, selon le ministère.", "fr"),
    ("Norway will give Yemen a grant of ten million crowns.", "en"),
    ("La Norvège a apporté son aide au Yémen.", "fr"),
])
def test_the_recipient_not_the_thing_given_is_the_target(pipeline: Pipeline, text: str, language: str) -> None:
    top = _top(events(pipeline, text, language))
    assert top.actor is not None and top.actor.country == "NOR"
    assert top.target is not None and top.target.country == "YEM", top.target


@pytest.mark.parametrize("text, language", [
    ("Austria welcomed Slovenia's efforts to join the alliance.", "en"),
    ("L'Autriche a salué les efforts de la Slovénie pour rejoindre l'alliance.", "fr"),
])
def test_a_thing_stands_for_its_owner_as_target(pipeline: Pipeline, text: str, language: str) -> None:
    (support,) = news(events(pipeline, text, language), "SUPPORT")
    assert support.actor.country == "AUT" and support.target.country == "SVN"


@pytest.mark.parametrize("text, language", [
    ("The finance minister said Ghana is committed to opening its markets.", "en"),
    ("Le ministre a déclaré que le Ghana est engagé à ouvrir ses marchés.", "fr"),
])
def test_a_stance_held_is_the_subjects_own(pipeline: Pipeline, text: str, language: str) -> None:
    agree = news(events(pipeline, text, language), "AGREE")
    assert agree and agree[0].actor is not None and agree[0].actor.country == "GHA"
