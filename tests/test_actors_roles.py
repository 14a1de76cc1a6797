"""Actor coding rules: hosts of meetings, possessive pronouns, peoples named by a demonym,
sector nouns of non-state groups (short texts written for the tests, real models)."""
from __future__ import annotations

import pytest

from veille.pipeline import Pipeline
from written import events  # tests/written.py
from veille.resolve.actors import ActorResolver

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


@pytest.mark.parametrize("text, language, host, guest", [
    ("The Kenyan president hosted the Ethiopian prime minister in Nairobi on Monday.", "en", "KEN", "ETH"),
    ("Ghana's president received the Togolese foreign minister on Tuesday.", "en", "GHA", "TGO"),
    ("Le président sénégalais a reçu le Premier ministre malien mardi.", "fr", "SEN", "MLI"),
    ("Le Maroc a accueilli une délégation algérienne lundi.", "fr", "MAR", "DZA"),
    ("Le ministre malien a été reçu par le président ivoirien à Abidjan.", "fr", "CIV", "MLI"),
])
def test_the_host_is_the_source_of_the_meeting(pipeline: Pipeline, text: str, language: str,
                                               host: str, guest: str) -> None:
    meetings = [e for e in events(pipeline, text, language) if e.type == "CONSULT"]
    assert meetings, text
    assert meetings[0].actor is not None and meetings[0].actor.country == host, meetings
    assert meetings[0].target is not None and meetings[0].target.country == guest, meetings


@pytest.mark.parametrize("text, language, country", [
    ("Kenya on Friday completed its withdrawal from the disputed border town.", "en", "KEN"),
    ("Ghanaian officials said their troops had completed their withdrawal from the border.", "en", "GHA"),
    ("Le Kenya a achevé vendredi son retrait de la ville frontalière.", "fr", "KEN"),
])
def test_a_possessive_pronoun_on_an_event_noun_is_the_clause_subject(pipeline: Pipeline, text: str,
                                                                    language: str, country: str) -> None:
    acts = [e for e in events(pipeline, text, language) if e.type == "RETREAT"]
    assert acts and acts[0].actor is not None and acts[0].actor.country == country, acts


@pytest.mark.parametrize("phrase, language, country, sector", [
    ("Yoruba traditional elders", "en", "NGA", "CVL"),
    ("les notables yoruba", "fr", "NGA", "CVL"),
    ("Chechen rebels", "en", "RUS", "REB"),
    ("les rebelles tchétchènes", "fr", "RUS", "REB"),
    ("Israeli settlers", "en", "ISR", "CVL"),
    ("des colons israéliens", "fr", "ISR", "CVL"),
    ("ethnic Hungarians", "en", "HUN", "CVL"),
    ("les Hongrois de souche", "fr", "HUN", "CVL"),
    ("Congolese militiamen armed with machetes", "en", "COD", "REB"),
    ("des miliciens congolais armés de machettes", "fr", "COD", "REB"),
])
def test_peoples_and_group_nouns(resolver: ActorResolver, phrase: str, language: str,
                                 country: str, sector: str) -> None:
    actor = resolver.resolve(phrase, language)
    assert actor is not None and (actor.country, actor.sector) == (country, sector), actor


def test_a_sponsor_right_after_the_name_is_still_a_sponsor(resolver: ActorResolver) -> None:
    actor = resolver.resolve("Iranian-backed militias", "en")
    assert actor is not None and actor.country is None and actor.sector == "REB"


@pytest.mark.parametrize("text, language", [
    ("Thousands of young Ghanaians marched in Accra on Monday to protest against fuel prices.", "en"),
    ("Des milliers de jeunes Ghanéens ont manifesté lundi à Accra contre la hausse des prix.", "fr"),
])
def test_people_of_a_nationality_who_demonstrate_are_civilians(pipeline: Pipeline, text: str, language: str) -> None:
    protests = [e for e in events(pipeline, text, language) if e.type == "PROTEST"]
    assert protests and protests[0].actor is not None, protests
    assert (protests[0].actor.country, protests[0].actor.sector) == ("GHA", "CVL"), protests
