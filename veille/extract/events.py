"""Event extraction: triggers from per-language lexicons, roles from dependencies.

One parsed article (a spaCy Doc) in, a list of `Candidate`s out. Language knowledge lives in
data (`veille/lexicons/<lang>/`); this module only knows Universal-Dependency-style roles
(see `veille.nlp.roles`), so French and English share every rule here.

Steps per article:
1. find trigger tokens (verb and noun lemmas, multi-word lemma phrases);
2. for each trigger, the actor and target phrases from its dependents (active/passive,
   "par X", "avec X", inverse verbs such as "recevoir"), with linear fall-backs when the
   parse is broken;
3. places syntactically closest to the trigger (one event per place of an enumeration),
   dates closest to the trigger (else inherited from the paragraph, else the publication day);
4. modality (negation, hypothetical), background cues (pluperfect, "similar", old dates);
5. claims of responsibility: the claimant becomes the actor of the attacks claimed.
Merging of summary and detail mentions happens in `veille.extract.merge`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from veille.extract.lexicon import normalise_cached as _norm
from veille.extract.modality import _COERCIVE_ACTS, ModalityRules
from veille.extract.placing import _PERSON_LABELS, PlaceRules
from veille.models import MATERIAL_TYPES, Actor, Place
from veille.nlp import LEXICON_ROOT
from veille.nlp.roles import SKIP_IN_PHRASE, case_of, dependents, is_passive

__all__ = ["Candidate", "EventExtractor", "TriggerHit"]

_ORG_LABELS = {"ORG", "NORP", "MISC"}
_PLACE_LABELS = {"LOC", "GPE", "FAC"}
#: entity labels of numbers and measures (spaCy, both pipelines): they do not make a phrase a name
_NUMERIC_LABELS = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL", "DATE", "TIME"}
_CAUSE_CASES = {"over", "after", "following", "suite a", "apres", "en raison de", "because of", "a la suite de",
                "en represailles a", "in retaliation for", "in response to", "en reponse a", "depuis", "since", "en marge de"}
_CLAUSE_LEVEL_CUES = {"avait", "avaient", "etait", "etaient", "had", "apres", "after", "depuis", "since", "following",
                      "suite a", "a la suite de", "a le suite de", "in the wake of", "prior to", "earlier", "once",
                      "en reponse a", "in response to", "en represaille a", "en riposte a", "en retorsion a",
                      "in retaliation for", "in revenge for", "to avenge", "pour venger", "at the time"}
_PAST_WORDS = re.compile(r"\b(derniere|dernier|passee|passe|precedente|last|previous|past)\b")
_DECISION_VERBS = {"decider", "decide", "choisir", "choose", "resoudre", "resolve", "opter", "opt"}
_VERBAL_GOVERNORS = {"ACCUSE", "REQUEST", "THREATEN", "REJECT", "AGREE"}
_SETTING_CASES = {"lors de", "lors d'", "au cours de", "au cours d'", "pendant", "durant", "during", "at", "en marge de",
                  "en marge d'", "a l'issue de", "a l'issue d'", "on the sidelines of", "in", "dans"}
_RECIPIENT_CASES = {"to", "for", "a", "au", "aux", "pour", "envers", "toward", "towards"}
_RECIPIENT_TYPES = {"AID", "AGREE", "SUPPORT", "CONCEDE", "REQUEST", "COOPERATE", "CONSULT"}
# acts addressed to a government, whose object may be its capital ("accused Moscow", "a exhorté Téhéran")
_ADDRESSED_TYPES = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "AGREE", "SANCTION", "CONCEDE", "COOPERATE"}
_ADDRESSEE_DEPS = {"obj", "dobj", "iobj", "dative", "nsubj:pass", "nsubjpass"}
# prepositions linking a thing to the participant it belongs to or goes to
_OWNER_CASES = {"of", "de", "du", "des", "d'", "by", "par", "with", "avec", "to", "a", "au", "aux", "for", "pour",
                "from", "envers", "toward", "towards"}
_COORD = re.compile(r"\s(?:et|and|&)\s")
_FUNCTION_WORDS = {"de", "des", "du", "d'", "la", "le", "les", "l'", "of", "the", "a", "an", "un", "une", "et", "and"}
_NEG_WORDS = {"pas", "jamais", "aucun", "aucune", "not", "n't", "never", "no", "ni", "nullement", "plus"}
_LIGHT_VERBS = {
    "fr": {"mener", "lancer", "perpétrer", "commettre", "effectuer", "conduire", "organiser", "avoir",
           "tenir", "faire", "réaliser", "entreprendre", "déclencher", "rendre", "exécuter", "signer",
           "conclure", "accorder", "apporter", "fournir", "revendiquer", "assumer", "prononcer", "imposer",
           "ordonner", "commander", "autoriser", "decreter"},
    "en": {"carry", "launch", "conduct", "hold", "stage", "have", "make", "pay", "mount", "perpetrate",
           "commit", "execute", "sign", "conclude", "grant", "provide", "claim", "impose", "give", "deliver",
           "order", "command", "authorize", "authorise", "decree"},
}


@dataclass(frozen=True)
class TriggerHit:
    """A lexicon match: the token that anchors it, the PLOVER type and mode."""

    token: Token
    type: str
    mode: str | None
    inverse: bool = False
    weak: bool = False
    length: int = 1  # tokens covered (multi-word phrases)
    lemma: str = ""
    covered: tuple[int, ...] = ()  # token indices of a multi-word phrase
    alts: tuple[Any, ...] = ()  # every sense the lexicon lists for the word (chosen once arguments are known)
    addressee: int | None = None  # token index of the party a reported obligation binds ("said X must ...")


@dataclass
class Candidate:
    """A mutable event under construction (converted to `veille.models.Event` at the end)."""

    type: str
    mode: str | None
    sent_index: int
    para_index: int
    sent_start: int
    sent_end: int
    trigger: str
    trigger_i: int
    actor: Actor | None = None
    target: Actor | None = None
    actor_text: str | None = None
    target_text: str | None = None
    actor_generic: bool = True  # no proper name behind the actor
    target_generic: bool = True
    location: Place | None = None
    place_text: str | None = None
    place_stated_coarse: bool = False  # the text itself names a province/country (absorbable)
    place_linked: bool = False  # place found through the trigger's own dependents
    date: str | None = None
    date_precision: str | None = None
    date_explicit: bool = False
    background: bool = False
    negated: bool = False
    hypothetical: bool = False
    future: bool = False  # stated intention ("will impose", "va envoyer"): a promise or a threat
    weak: bool = False
    noun_trigger: bool = False
    claim_summary: bool = False
    confidence: float = 0.5
    sources: list[int] = field(default_factory=list)


# the lexicon's comparison form (accents, case, apostrophes, spaces), cached: called per token


@lru_cache(maxsize=None)
def _coref_cues(language: str, root: Path | None = None) -> dict[str, Any]:
    path = (root or LEXICON_ROOT) / language / "coref.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _senses(language: str, root: Path | None = None) -> dict[str, dict[str, Any]]:
    """senses.json: constraints that pick one sense of a word listed under several types."""
    path = (root or LEXICON_ROOT) / language / "senses.json"
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for key, rule in raw.items():
        if key.startswith("_"):
            continue
        word, sep, sense = key.rpartition(">")  # "empêcher>COERCE": the word in its comparison form
        out[_norm(word) + sep + sense if sep else key] = {k: ({_norm(w) for w in v} if isinstance(v, list) else v)
                                                         for k, v in rule.items()}
    return out


def _cue_list(cues: dict[str, Any], *keys: str) -> set[str]:
    """Flatten cues[key1][key2] (list or dict keys) into a normalised set; missing -> empty."""
    node: Any = cues
    for k in keys:
        if not isinstance(node, dict) or k not in node:
            return set()
        node = node[k]
    if isinstance(node, dict):
        return {_norm(k) for k in node}
    if isinstance(node, (list, tuple)):
        return {_norm(str(k)) for k in node}
    return set()


class EventExtractor(ModalityRules, PlaceRules):
    """Extract candidate events from a parsed article.

    Resources are injected: `lexicon` (triggers + cues for the language), `actors`
    (ActorResolver-like), `places` (PlaceResolver-like), `dates` (DateResolver-like).
    """

    def __init__(self, language: str, lexicon: Any, actors: Any, places: Any, dates: Any,
                 lexicon_root: Path | None = None) -> None:
        self.language = language
        self.lexicon = lexicon
        self.actors = actors
        self.places = places
        self.dates = dates
        cues = getattr(lexicon, "cues", {}) or {}
        self.cues = cues
        coref = _coref_cues(language, lexicon_root)
        self.leader_titles = {_norm(t) for t in coref.get("leader_titles", [])}
        self.deputy_titles = {_norm(t) for t in coref.get("deputy_titles", [])}
        self.honorifics = {_norm(t) for t in coref.get("honorifics", [])}
        self.pronouns = {_norm(t) for t in coref.get("pronouns", [])}
        self.ordinals = {_norm(t) for t in coref.get("ordinals", [])}
        self.neg_words = _NEG_WORDS | _cue_list(cues, "negation", "tokens")
        self.hypo_verbs = _cue_list(cues, "hypothetical", "verbs")
        self.hypo_markers = _cue_list(cues, "hypothetical", "markers")
        self.hypo_nouns = _cue_list(cues, "hypothetical", "nouns")
        self.claim_verbs = _cue_list(cues, "claim", "verbs")
        self.claim_nouns = _cue_list(cues, "claim", "nouns")
        self.report_verbs = _cue_list(cues, "report", "verbs")
        self.speech_nouns = _cue_list(cues, "speech_nouns")
        self.obligation_aux = _cue_list(cues, "obligation", "aux")
        self.obligation_verbs = _cue_list(cues, "obligation", "verbs")
        self.ultimatum_markers = _cue_list(cues, "ultimatum", "markers")
        self.condition_markers = _cue_list(cues, "ultimatum", "conditions")
        self.conditional_endings = sorted(_cue_list(cues, "future", "conditional_endings"), key=len, reverse=True)
        # tense auxiliaries and causal connectives mark the clause they govern (handled by the
        # tense and cause rules), not the whole sentence: "X attacked Y after Z" is news about X
        self.class_adjectives = _cue_list(cues, "class_adjectives")  # "attaques similaires": a class of acts
        self.background_markers = {m for m in _cue_list(cues, "background", "markers") | _cue_list(cues, "similar")
                                   if m not in _CLAUSE_LEVEL_CUES and m not in _CAUSE_CASES}
        self.visit_nouns = _cue_list(cues, "visit", "nouns")
        # "cette attaque", "this attack": a demonstrative names again an act told before
        self.anaphoric_dets = _cue_list(cues, "anaphora", "determiners")
        # event nouns that name the act only in the plural ("les hostilités": fighting; "l'hostilité": an attitude)
        self.plural_only = _cue_list(cues, "plural_only")
        # "des manifestants étaient présents devant ...", "protesters gathered outside ...": a crowd
        # of protesters standing somewhere is a demonstration
        self.crowd_nouns = _cue_list(cues, "presence", "crowd_nouns")
        self.presence_words = _cue_list(cues, "presence", "predicates")
        # "ne se sont pas rendus à la réunion": the meeting of a verb of taking part that is negated did not happen
        self.participation_verbs = _cue_list(cues, "participation", "verbs")
        self.senses = _senses(language, lexicon_root)
        modes = cues.get("mode_nouns", {}) if isinstance(cues.get("mode_nouns"), dict) else {}
        # the means of an attack are the weapons named by ASSAULT's modes (not the troops or
        # police other types' modes name: "deux soldats ont été tués" has soldiers as target)
        assault_modes = modes.get("ASSAULT", {})
        self.weapon_nouns = {_norm(w) for w in assault_modes} if isinstance(assault_modes, dict) else set()
        self.speaker_pronouns = {_norm(t) for t in coref.get("speaker_pronouns", [])}
        self.person_pronouns = {_norm(t) for t in coref.get("person_pronouns", [])}
        self.thing_pronouns = {_norm(t) for t in coref.get("thing_pronouns", [])}
        self._word_kind: dict[str, bool] = {}  # word -> names a possible participant (role selection)
        self._nationality: dict[str, bool] = {}  # word -> a country's name or people (act agents)
        self.non_agents = {_norm(t) for t in coref.get("non_agents", [])}
        self.cause_cases = _CAUSE_CASES | _cue_list(cues, "cause_case")
        self.situation_cases = _cue_list(cues, "situation_case")
        self.purpose_marks = _cue_list(cues, "purpose_marks")
        self.attribution = _cue_list(cues, "attribution")
        self.sponsor_prefixes = _cue_list(cues, "sponsor_prefixes")
        # nouns whose complement is the act itself ("une série d'attaques", "wave of arrests")
        self.light_nouns = {"serie", "vague", "suite", "serie", "cas", "nombre", "dizaine", "centaine", "millier",
                            "series", "wave", "spate", "string", "number", "dozens", "hundreds", "thousands",
                            "auteur", "auteurs", "responsable", "perpetrator", "victime", "victim", "lieu"} | _cue_list(cues, "light_nouns")
        self.location_cases = {"a", "au", "aux", "dans", "en", "pres de", "in", "at", "near", "outside", "sur"} | _cue_list(cues, "location_case")
        self.place_nouns = {"province", "region", "ville", "village", "quartier", "aeroport", "chef-lieu", "district",
                            "city", "town", "region", "airport", "capital", "capitale", "localite", "commune",
                            "departement", "state", "county", "etat", "base", "port", "frontiere", "border",
                            "banlieue", "suburb", "area", "zone", "secteur"} | _cue_list(cues, "place_nouns")
        self.light_verbs = _LIGHT_VERBS.get(language, set()) | _cue_list(cues, "light_verbs")
        self.with_cases = {"avec", "with", "auprès de", "aupres de"} | _cue_list(cues, "with_case")
        self.against_cases = {"contre", "against", "on", "envers", "a l'encontre de", "upon"} | _cue_list(cues, "against_case")

    @property
    def toponyms(self) -> list[Any]:
        """The toponyms (with seats of power) of the last article given to `extract`."""
        return list(getattr(self, "_toponyms", []))

    @property
    def setting_toponyms(self) -> list[Any]:
        """The toponyms of the last article that name where things happen: a city name that is
        the subject of a verb stands for its government ("Madrid a choisi la manière forte",
        "Washington accuses ...") and says nothing about where the story is set."""
        acting = getattr(self, "_acting_places", {})
        return [t for t in getattr(self, "_toponyms", []) if t.start not in acting]

    # ------------------------------------------------------------------ triggers
    def find_triggers(self, sent: Span) -> list[TriggerHit]:
        lex = self.lexicon
        hits: list[TriggerHit] = []
        covered: set[int] = set()
        lemmas = [_norm(t.lemma_) for t in sent]
        phrases: dict[tuple[str, ...], Any] = getattr(lex, "phrases", {}) or {}
        max_len = max((len(p) for p in phrases), default=0)
        for i in range(len(sent)):
            for n in range(min(max_len, len(sent) - i), 1, -1):
                key = tuple(lemmas[i:i + n])
                entries = phrases.get(key)
                if entries:
                    # anchor on the first verb/noun of the phrase
                    span = sent[i:i + n]
                    # anchor on the phrase's syntactic head ("began a hunger strike": strike's governor)
                    inside = {t.i for t in span}
                    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
                    anchor = next((t for t in heads if t.pos_ in ("VERB", "NOUN", "AUX")),
                                  next((t for t in span if t.pos_ in ("VERB", "NOUN", "AUX")), span[0]))
                    if any(t.ent_iob_ == "I" and t.ent_type_ not in ("DATE", "TIME", "CARDINAL") for t in span):
                        break  # inside a name: "Group for the Support of Islam"
                    e = _best_senses(entries)[0]
                    hits.append(TriggerHit(anchor, e.type, e.mode, e.inverse, e.weak, n, " ".join(key),
                                           tuple(t.i for t in span), tuple(entries)))
                    covered.update(t.i for t in span)
                    break
        verbs: dict[str, Any] = getattr(lex, "verbs", {}) or {}
        nouns: dict[str, Any] = getattr(lex, "nouns", {}) or {}
        for tok, lem in zip(sent, lemmas):
            if tok.i in covered:
                continue
            entries = None
            if tok.pos_ in ("VERB",) or (tok.pos_ == "ADJ" and tok.tag_ in ("VBN",)):
                entries = verbs.get(lem) or verbs.get(_norm(tok.text))
            elif tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and lem in nouns):
                entries = nouns.get(lem) or nouns.get(_norm(tok.text))
                if entries and lem in self.plural_only and "Plur" not in tok.morph.get("Number") and not tok.text.endswith("s"):
                    entries = None
            if not entries and tok.pos_ == "ADJ" and tok.dep_ in ("acl", "amod") and lem in verbs:
                entries = verbs.get(lem)  # participles tagged as adjectives
            if not entries:
                continue
            if tok.text[:1].isupper() and tok.i != sent.start and not tok.is_upper and (
                    (tok.ent_type_ and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL"))
                    or (tok.i > sent.start + 1 and tok.doc[tok.i - 1].text[:1].isupper() and tok.doc[tok.i - 1].i != sent.start)
                    or (tok.i > sent.start + 1 and tok.doc[tok.i - 1].lower_ in ("the", "of", "de", "du", "des", "la", "le")
                        and tok.i + 2 < sent.end and (tok.doc[tok.i + 1].text[:1].isupper() or tok.doc[tok.i + 2].text[:1].isupper()))):
                continue  # a capitalised word inside a name ("Group for the Support of Islam") is no trigger
            e = _best_senses(entries)[0]
            hits.append(TriggerHit(tok, e.type, e.mode, e.inverse, e.weak, 1, lem, (), tuple(entries)))
        taken = covered | {h.token.i for h in hits}
        for tok in sent:
            if tok.i in taken or tok.pos_ not in ("ADJ", "VERB", "ADV") or _norm(tok.lemma_) not in self.presence_words:
                continue
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")), None)
            if subj is None or any(h.token.i == subj.i for h in hits):
                continue
            crowd = [subj] + [g for c in subj.children if c.dep_ in ("nmod", "prep")
                              for g in ([c] if c.dep_ == "nmod" else c.children) if g.pos_ == "NOUN"]
            if any(_norm(c.lemma_) in self.crowd_nouns or _norm(c.text) in self.crowd_nouns for c in crowd):
                hits.append(TriggerHit(tok, "PROTEST", "demo", lemma=_norm(tok.lemma_)))
                taken.add(tok.i)
        for tok in sent:
            bound = self._reported_obligation(tok) if tok.i not in taken else None
            if bound is not None:
                # "X said that Y must withdraw": X demands it of Y (the obliged act is not done); a
                # demand read from the modal, not named by a verb of demanding, is weaker evidence
                hits.append(TriggerHit(tok, "REQUEST", None, weak=True, lemma=_norm(tok.lemma_), addressee=bound.i))
        return hits

    def _reported_obligation(self, tok: Token) -> Token | None:
        """The subject of an obligation a report verb states ("declared that China must drop
        ...", "estime que Moscou doit retirer ..."): the party the speaker makes a demand of.
        A pronoun subject is left out ("Russia said it must respond": a duty the speaker owns)."""
        if tok.pos_ != "VERB" or not (self.obligation_aux or self.obligation_verbs):
            return None
        if _norm(tok.lemma_) not in self.report_verbs and _norm(tok.text) not in self.report_verbs:
            return None
        for clause in tok.children:
            if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX"):
                continue
            obliged = any(c.dep_ in ("aux", "aux:tense") and _norm(c.lemma_) in self.obligation_aux
                          for c in clause.children) or (
                _norm(clause.lemma_) in self.obligation_verbs and not self._conditional(clause)
                and any(c.dep_ == "xcomp" for c in clause.children))
            if not obliged:
                continue
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")), None)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN"):
                return subj
        return None

    # ------------------------------------------------------------------ phrases
    def phrase_span(self, head: Token, avoid: Token | None = None) -> tuple[int, int]:
        """Character span of a nominal: its subtree without coordinated/clausal dependents.

        Participial modifiers stay ("convois transportant du matériel pour l'armée X") unless
        they hold `avoid` (the trigger itself: "les convois visés").
        """
        excluded: set[int] = set()
        for child in head.children:
            if child.dep_ == "acl" and (avoid is None or avoid not in child.subtree) and child.pos_ == "VERB":
                continue
            if child.dep_ == "punct":
                continue  # commas around an apposition stay; edges are trimmed below
            if child.dep_ in SKIP_IN_PHRASE:
                excluded.update(t.i for t in child.subtree)
            elif (child.dep_ == "nmod" and head.ent_type_ not in _PERSON_LABELS
                  and _norm(head.lemma_) not in self.leader_titles
                  and any(t.ent_type_ in _PERSON_LABELS for t in child.subtree)):
                # "les Américains du général X": X is another participant, not part of the name
                excluded.update(t.i for t in child.subtree)
        def nested(t: Token) -> bool:
            # a coordination of common nouns inside a modifier is part of the name: "les forces de
            # défense et de sécurité burkinabés" (the nationality qualifies the whole phrase)
            c = t if t.dep_ == "conj" else t.head
            return c.dep_ == "conj" and c.head.i != head.i and c.pos_ == "NOUN" and c.head.pos_ == "NOUN"

        for t in head.subtree:
            if t.i != head.i and t.dep_ in ("conj", "cc") and t.ent_iob_ != "I" and t.head.pos_ != "ADJ" and not nested(t):
                # coordinated nouns are other participants; coordinated adjectives stay
                # ("Hungarian and Romanian officials" is split later into two actors)
                excluded.update(x.i for x in t.subtree)
        toks = [t for t in head.subtree if t.i not in excluded]
        # keep contiguous run around the head
        idx = {t.i for t in toks}
        lo = hi = head.i
        while lo - 1 in idx:
            lo -= 1
        while hi + 1 in idx:
            hi += 1
        doc = head.doc
        # trim punctuation at the edges, but keep closing quotes
        while lo < hi and ((doc[lo].is_punct and doc[lo].text not in "«\"“") or doc[lo].dep_ in ("case", "mark", "cc")
                           or (doc[lo].pos_ == "ADP" and doc[lo].i < head.i
                               and doc[lo].dep_ not in ("advmod", "quantmod", "nummod", "npadvmod"))):
            lo += 1
        while hi > lo and (doc[hi].is_punct and doc[hi].text not in "»\"”") or (hi > lo and doc[hi].is_space):
            hi -= 1
        if hi - lo > 30:  # runaway subtree from a bad parse: keep the head's neighbourhood
            lo, hi = max(lo, head.i - 3), min(hi, head.i + 12)
        return doc[lo].idx, doc[hi].idx + len(doc[hi].text)

    def _conjuncts(self, tok: Token) -> list[Token]:
        out = [tok]
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
                out.extend(self._conjuncts(c))
        return out

    # ------------------------------------------------------------------ main
    def extract(self, doc: Doc, published: str | None, title: str | None = None) -> list[Candidate]:
        text = doc.text  # rebuilt from tokens on every access: read it once
        self._text = text
        title_norm = _norm(title) if title else None
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        toponyms = list(self.places.geoparse(text, self.language, ents)) if self.places else []
        toponyms = self._with_seats(text, toponyms)
        dates = list(self.dates.find(text, self.language, published)) if self.dates else []
        registry = self._people_registry(doc)
        self._nominals = self._nominal_memory(doc)
        self._story_day: str | None = None
        self._past_week = False
        self._actor_heads_now: set[Token] = set()
        self._covered_now: set[int] = set()
        self._told_types: set[str] = set()  # types of the acts the article has told so far
        self._toponyms = toponyms
        self._acting_places = self._acting(doc, toponyms)
        self._text = text
        self._gaz = getattr(self.places, "gaz", None)
        self._registry = registry
        candidates: list[Candidate] = []
        para = 0
        prev_end = 0
        sents = [s for s in doc.sents if s.text.strip()]
        last_date: tuple[str, str, bool] | None = None  # value, precision, background
        for si, sent in enumerate(sents):
            gap = text[prev_end:sent.start_char + (len(sent.text) - len(sent.text.lstrip()))]
            if si > 0 and gap.count("\n") >= 2:
                para += 1
                last_date = None
            body = sent.text.rstrip()
            prev_end = sent.start_char + len(body)
            sent_dates = [d for d in dates if d.value and sent.start_char <= d.start < sent.end_char]
            past_week = any(d.value is None and sent.start_char <= d.start < sent.end_char
                            and _PAST_WORDS.search(_norm(d.text)) for d in dates)
            sent_topos = [t for t in toponyms if sent.start_char <= t.start < sent.end_char]
            if title_norm and _norm(sent.text) == title_norm:
                continue  # the headline repeats the story; its events come from the body
            hits = self.find_triggers(sent)
            claim_tokens = [t for t in sent if _norm(t.lemma_) in self.claim_verbs and t.pos_ in ("VERB", "ADJ")]
            self._past_week = past_week  # "la semaine dernière": told as what happened before
            new = self._sentence_candidates(sent, si, para, hits, sent_dates, sent_topos, published, last_date)
            self._apply_claims(sent, claim_tokens, new, candidates, si, para)
            candidates.extend(new)
            self._told_types.update(c.type for c in new if not c.negated and not c.hypothetical)
            for c in new:
                # the day the story is set on is the date of a reported (not background) act
                if c.date_explicit and c.date_precision == "day" and not c.background and (
                        published is None or c.date <= published[:10]):
                    self._story_day = c.date
            carried = [d for d in sent_dates if not getattr(d, "since", False)]
            if carried:
                # a date that opens a running period ("depuis le début de la guerre, il y a six
                # ans") dates its own sentence only
                d = carried[-1]
                last_date = (d.value, d.precision, self._old(d.value, d.precision, published))
            elif last_date is not None and last_date[2] and not sent_dates:
                # a past date told in a flashback dates the next undated sentence, not the rest
                # of the paragraph ("... le 4 mars à Salisbury. [undated]. Macron a exprimé ...")
                last_date = None

        return candidates

    # ------------------------------------------------------------------ people
    def _people_registry(self, doc: Doc) -> dict[str, Actor]:
        """Names and leader descriptions of the people the article introduces.

        "Ali Hassan, président des X" registers the surname "hassan", the full name, and the
        description key ("leader", <X resolved>), so "le numéro un des X" and "M. Hassan"
        resolve to him.
        """
        reg: dict[str, Actor] = {}
        self._people_order: list[tuple[int, Actor]] = []
        if not self.actors:
            return reg
        for ent in doc.ents:
            if ent.label_ not in _PERSON_LABELS:
                continue
            head = ent.root
            lo, hi = self.phrase_span(head)
            lo = min(lo, ent.start_char)
            hi = max(hi, ent.end_char)
            if head.dep_ in ("appos", "flat:name", "flat", "compound", "nmod") and head.head.pos_ == "NOUN" and head.head.i < head.i:
                # "le ministre sénégalais de l'Intérieur, Antoine Diome": the title comes first
                t_lo, _ = self.phrase_span(head.head)
                if ent.start_char - t_lo < 120:
                    lo = min(lo, t_lo)
            phrase = self._text[lo:hi]
            actor = self.actors.resolve(phrase, self.language)
            if actor is None or not actor.name:
                continue
            if actor.country is None and actor.sector is None:
                actor = Actor(ent.text, None, None)
            elif _norm(ent.text) not in _norm(actor.name or "") and not (
                    getattr(self.actors, "lookup", None) and self.actors.lookup(actor.name) is not None):
                actor = replace(actor, name=ent.text)  # the person, with the title's country and sector
            key_full = _norm(ent.text)
            if key_full not in reg or (reg[key_full].country is None and actor.country):
                reg[key_full] = actor
            self._people_order.append((ent.start_char, reg[key_full]))
            surname = _norm(ent.text.split()[-1]) if ent.text.split() else ""
            if len(surname) > 2 and (surname not in reg or reg[surname].country is None):
                reg[surname] = actor
            for part in re.split(r"[-\s]", ent.text):
                p = _norm(part)
                if len(p) > 3 and p not in reg:
                    reg["~" + p] = actor
            # description key: apposition with a leader title + an organisation
            appos = self._text[ent.end_char:hi]
            title = self._title_class(appos)
            if title == "leader":
                key = self._org_key(appos)
                if key:
                    reg.setdefault("leader:" + key, actor)
        return reg

    def _title_class(self, phrase: str) -> str | None:
        n = " " + _norm(phrase).replace(",", " ").replace("'", " ") + " "
        for t in self.deputy_titles:
            if f" {t} " in n:
                return "deputy"
        for t in self.leader_titles:
            if f" {t} " in n:
                return "leader"
        return None

    def _org_key(self, phrase: str) -> str:
        """What a leader description points at, without the title and function words:
        "secrétaire général du Hezbollah" and "le numéro un du Hezbollah" give one key."""
        n = " " + re.sub(r"[,;:«»\"()]", " ", _norm(phrase)).replace("'", "' ") + " "
        for t in sorted(self.leader_titles, key=len, reverse=True):
            n = n.replace(f" {t} ", " ")
        words = [w for w in n.split() if w not in _FUNCTION_WORDS]
        return " ".join(words[:6])

    def resolve_actor(self, phrase: str, head: Token | None) -> tuple[Actor | None, bool]:
        """Actor for a phrase, and whether it is generic (no proper name behind it)."""
        if not phrase or not phrase.strip():
            return None, True
        norm = _norm(phrase)
        words = norm.replace("'", " ").split()
        if not words:
            return None, True
        if head is not None and norm in self.person_pronouns | self.thing_pronouns:
            # "Hungary has said it will support ...": the subject of the verb that reports the clause
            gov = head.head
            while gov.dep_ in ("ccomp", "xcomp", "conj", "advcl") and gov.head != gov:
                gov = gov.head
                subj = next((c for c in gov.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")), None)
                if subj is not None and subj.i != head.i and _norm(subj.text) not in self.pronouns | self.person_pronouns | self.thing_pronouns:
                    lo, hi = self.phrase_span(subj)
                    return self.resolve_actor(self._text[lo:hi], subj)
        if norm in self.person_pronouns and head is not None:
            # "il réclame ...": the last person named before, within a few sentences
            before = [(pos, a) for pos, a in getattr(self, "_people_order", []) if pos < head.idx and head.idx - pos < 600]
            if before:
                return before[-1][1], False
            return None, True
        if norm in self.pronouns or (len(words) <= 2 and words[-1] in self.ordinals) or (
                len(words) <= 2 and words[0] in self.ordinals and head is not None and head.pos_ == "ADJ"):
            return None, True
        reg = self._registry
        has_person = head is not None and (head.ent_type_ in _PERSON_LABELS or any(
            t.ent_type_ in _PERSON_LABELS for t in head.subtree if t.i - head.i < 4 and t.i >= head.i))
        # surname after an honorific: "M. Lavrov"
        if words[0].rstrip(".") in {h.rstrip(".") for h in self.honorifics} and len(words) >= 2:
            key = words[-1]
            if key in reg:
                return reg[key], False
        if has_person or (head is not None and head.pos_ == "PROPN"):
            for key in (norm, words[-1]):
                if key in reg and reg[key].country:
                    # a later bare mention of a person introduced with a title
                    if len(words) <= 4:
                        return reg[key], False
        actor = self.actors.resolve(phrase, self.language) if self.actors else None
        generic = not has_person and not (head is not None and head.pos_ == "PROPN")
        # a description of a leader: "le numéro un des X"
        if not has_person:
            title = self._title_class(phrase)
            if title == "leader":
                person = reg.get("leader:" + self._org_key(phrase))
                if person is not None:
                    return person, False
        if actor is not None and actor.name and (actor.country or actor.sector):
            # a knowledge-base hit or an actor with a proper name is specific
            if head is not None and (head.pos_ == "PROPN" or (head.ent_type_ and head.ent_type_ not in _NUMERIC_LABELS)):
                generic = False  # ("thousands of people" is tagged CARDINAL: a number, not a name)
            elif any(ch.isupper() for ch in phrase[1:]) and "«" in phrase:
                generic = False
        return actor, generic

    # ------------------------------------------------------------------ per sentence
    def _sentence_candidates(self, sent: Span, si: int, para: int, hits: list[TriggerHit],
                             sent_dates: list[Any], sent_topos: list[Any], published: str | None,
                             last_date: tuple[str, str, bool] | None) -> list[Candidate]:
        out: list[Candidate] = []
        if not hits:
            return out
        doc = sent.doc
        # toponym token indices
        topo_tokens: list[tuple[Any, Token]] = []
        for tp in sent_topos:
            span = doc.char_span(tp.start, tp.end, alignment_mode="expand")
            if span is None or tp.place is None:
                continue
            topo_tokens.append((tp, span.root))
        trig_tokens = [h.token for h in hits]
        sent_norm = " " + _norm(sent.text) + " "
        bg_cue = self._past_week or any(
            f" {m} " in sent_norm or sent_norm.find(" " + m) >= 0 and len(m) > 6 for m in self.background_markers)
        visit = any(f" {v} " in sent_norm for v in self.visit_nouns)
        trig_ids = {h.token.i for h in hits}
        type_of = {h.token.i: h.type for h in hits}
        obligations = {h.token.i for h in hits if h.addressee is not None}
        # acts whose every sense is coercive ("impose sanctions", not "send": troops or aid)
        coercive_only = {h.token.i: "COERCIVE" for h in hits
                         if all(e.type in _COERCIVE_ACTS for e in (h.alts or [h]))}
        for k, h in enumerate(hits):
            if h.type == "AGREE" and self._promised_act(h, coercive_only) is not None:
                # "is prepared to impose martial law", "a promis de frapper": a promise of force is a threat
                hits[k] = TriggerHit(h.token, "THREATEN", None, False, h.weak, h.length, h.lemma, h.covered, ())
                type_of[h.token.i] = "THREATEN"
        suppressed: set[int] = set()  # acts only alleged, requested or threatened in this sentence
        class_acts = {h.token.i for h in hits if h.token.pos_ == "NOUN" and h.token.morph.get("Number") != ["Sing"]
                      and any(c.dep_ == "amod" and _norm(c.lemma_) in self.class_adjectives for c in h.token.children)}
        for hit in hits:
            tok = hit.token
            if hit.inverse and not _reads_inverse(hit):
                hit = replace(hit, inverse=False)
            roles = dependents(tok)
            if (hit.type, hit.mode) == ("SANCTION", "sever"):
                # "severed diplomatic ties with Niger", "rompu ses relations avec le Niger": the
                # other side hangs on the relations noun as often as on the verb
                nouns = set(hit.covered) | {c.i for c in tok.children if c.dep_ in ("obj", "dobj")}
                roles = roles + [r for i in sorted(nouns - {tok.i}) for r in dependents(tok.doc[i])
                                 if r[0] in ("obl", "nmod") and r[1] and _norm(r[1]) in self.with_cases]
            passive = is_passive(tok)
            gov_i = tok.head.head.i if tok.dep_ == "pobj" else tok.head.i
            gov_type = type_of.get(gov_i)
            walk = tok.doc[gov_i]
            for _ in range(2):  # "agreed to resume the talks": through a verb that is no trigger
                if gov_type is not None or walk.dep_ not in ("xcomp", "ccomp", "obj", "dobj", "acomp") or walk.head == walk:
                    break
                walk = walk.head
                if walk.i in type_of and type_of[walk.i] in _VERBAL_GOVERNORS:
                    gov_i, gov_type = walk.i, type_of[walk.i]
            if gov_type is None and tok.dep_ == "ccomp":
                # "reiterated its demand that Israel ease ...", "issued a warning that it would strike":
                # the clause is the content of the demand or threat the verb's object names
                said = next((c for c in tok.head.children if c.dep_ in ("obj", "dobj")
                             and type_of.get(c.i) in _VERBAL_GOVERNORS), None)
                if said is not None:
                    gov_i, gov_type = said.i, type_of[said.i]
            causative = (_norm(tok.doc[gov_i].lemma_) in self.light_verbs  # "a ordonné une frappe": it happened
                          and gov_i not in obligations)  # "declared that China must drop ...": it did not
            if gov_i != tok.i and not causative and ((gov_type in _VERBAL_GOVERNORS and gov_type != hit.type) or gov_i in suppressed) and (
                    tok.dep_ in ("xcomp", "ccomp", "obj", "obl", "obl:arg", "obl:mod", "nmod", "pobj", "dobj", "advcl", "acl")):
                suppressed.add(tok.i)  # and what depends on it: "urged both sides to agree to a ceasefire"
                continue  # "accusé la Chine de militariser", "demandé la libération": alleged or wished, not done
            if tok.pos_ == "VERB" and hit.type in MATERIAL_TYPES and not any(r in ("obj", "pass_subj") for r, _, _ in roles) and any(
                    c.dep_ in ("ccomp",) or (c.dep_ == "mark" and _norm(c.text) in ("que", "qu'", "that")) for c in tok.children):
                continue  # "X a rappelé que ...": a report, not the act
            # "staged protests to demand ...": the purpose of an act its support verb carries
            supported = tok.dep_ == "advcl" and _norm(tok.head.lemma_) in self.light_verbs and any(
                c.dep_ in ("obj", "dobj") and c.i in trig_ids for c in tok.head.children)
            if (tok.dep_ in ("advcl", "xcomp", "conj", "acl") and (tok.head.i in trig_ids or supported) and tok.pos_ == "VERB"
                    and ("Ger" in tok.morph.get("VerbForm") or tok.tag_ == "VBG"
                         or ("Inf" in tok.morph.get("VerbForm") or tok.tag_ == "VB")
                         and any(_norm(c.text) in self.purpose_marks for c in tok.children if c.dep_ in ("mark", "aux", "case")))
                    and not any(r in ("subj", "pass_subj") for r, _, _ in roles)):
                continue  # "imposed sanctions, freezing their assets": detail of the same act
            if tok.pos_ == "VERB" and _norm(tok.lemma_) in self.light_verbs and any(
                    child.i in trig_ids and child.i != tok.i for r, _, child in roles if r in ("obj", "pass_subj")):
                continue  # "a ordonné une frappe", "ont mené une attaque": the noun carries the event
            if tok.pos_ == "VERB" and _norm(tok.lemma_) in _DECISION_VERBS and any(
                    c.i in trig_ids for c in tok.children if c.dep_ in ("xcomp", "ccomp")):
                continue  # "ont décidé de rappeler leur ambassadeur": the decided act is the event
            if (tok.dep_ in ("acl", "amod") and hit.type not in ("ASSAULT", "COERCE") and tok.head.pos_ in ("NOUN", "PROPN")
                    and ("Part" in tok.morph.get("VerbForm") or tok.tag_ == "VBN" or tok.pos_ == "ADJ")
                    and _norm(tok.head.lemma_) not in self.speech_nouns):  # "a statement demanding that ..." is the act
                continue  # "militants backed by Ankara", "deployed police", "allied forces": a description
            if (tok.dep_ in ("acl", "amod") and ("Part" in tok.morph.get("VerbForm") or tok.tag_ == "VBN")
                    and any(tp.start <= tok.head.idx < tp.end for tp in self._toponyms)):
                continue  # "the Israeli-occupied West Bank", "la ville assiégée de X": a place's status
            if tok.pos_ == "VERB" and any(c.dep_ == "det" for c in tok.children):
                continue  # a participle used as a noun: "l'opposant X", "les manifestants"
            if (tok.pos_ == "NOUN" and hit.type not in MATERIAL_TYPES and tok.head.i in trig_ids and tok.head.i != tok.i
                    and tok.dep_ in ("obj", "obl", "obl:arg", "obl:mod", "nmod", "pobj", "dobj")):
                continue  # "protester contre la condamnation de X": the matter of another act
            if (tok.pos_ == "NOUN" and hit.type in ("CONSULT", "AGREE", "COOPERATE")
                    and self._case_text(tok) in _SETTING_CASES
                    and not any(r in ("obl", "nmod") and c and _norm(c) in self.with_cases for r, c, _ in roles)):
                continue  # "lors de la réunion du Conseil, ...": the setting of the act reported, not an act
            if (tok.pos_ == "NOUN" and hit.type == "CONSULT" and tok.head.i in trig_ids and type_of.get(tok.head.i) != "CONSULT"
                    and self._case_text(tok) in ("pour", "for") and not any(c.dep_ == "det" for c in tok.children)):
                continue  # "rappeler son ambassadeur pour consultations": the purpose of another act
            if (tok.pos_ == "NOUN" and hit.type in getattr(self, "_told_types", set())
                    and any(c.dep_ == "det" and _norm(c.text) in self.anaphoric_dets for c in tok.children)):
                continue  # "cette agression", "this attack": an act told already, named again
            if tok.i in class_acts:
                continue  # "beaucoup d'attaques similaires", "similar attacks": a class of acts, no one act
            if tok.pos_ == "VERB" and any(c.dep_.startswith("nsubj") and c.i in class_acts
                                          for w in (tok.head, tok.head.head) for c in w.children):
                continue  # "des frappes similaires ont eu lieu ..., toutes visant les convois": told of the class
            if (tok.pos_ == "NOUN" and tok.dep_ in ("obj", "dobj") and tok.head.i in trig_ids and tok.head.i != tok.i
                    and _norm(tok.head.lemma_) not in self.light_verbs):
                continue  # "will send humanitarian aid": the verb carries the act (and its modality)
            if tok.pos_ == "NOUN" and self._is_topic(tok, roles, trig_ids):
                continue  # "les dimensions d'une coopération": a topic, not an act
            if _norm(tok.lemma_) in self.claim_verbs and any(
                    child.i in trig_ids for r, _, child in roles if r in ("obj", "pass_subj")):
                continue  # "a revendiqué l'attaque": the claim is handled by _apply_claims
            actor_heads: list[Token] = []
            target_heads: list[Token] = []
            for role, case, child in roles:
                if role == "subj":
                    (target_heads if hit.inverse else actor_heads).append(child)
                elif role == "pass_subj":
                    if self._stative_commitment(tok, hit.type, roles):
                        actor_heads.append(child)  # "Vietnam is committed to", "X is opposed to": a stance, held by X
                    else:
                        (actor_heads if hit.inverse else target_heads).append(child)
                elif role == "agent":
                    (target_heads if hit.inverse else actor_heads).append(child)
                elif role in ("obj", "iobj"):
                    (actor_heads if hit.inverse else target_heads).append(child)
                elif role in ("obl", "nmod") and case:
                    c = _norm(case)
                    if c in self.with_cases and (hit.type in ("CONSULT", "AGREE", "COOPERATE", "REJECT", "SUPPORT")
                                                 or (hit.type, hit.mode) == ("SANCTION", "sever")):
                        target_heads.append(child)  # "a rompu ses relations avec le Qatar": the other side
                    elif c in self.against_cases and tok.pos_ == "NOUN" and child.ent_type_ not in _PLACE_LABELS:
                        target_heads.append(child)
                    elif c in ("de", "du", "des", "d'", "of") and tok.pos_ == "NOUN" and not self._is_place_token(child, topo_tokens):
                        target_heads.append(child)
                    elif c in _RECIPIENT_CASES and hit.type in _RECIPIENT_TYPES and self._named(child):
                        target_heads.append(child)  # "give aid to X", "appeal to X", "offer to X"
                elif role == "poss" and not self._possessive_pronoun(child):
                    actor_heads.append(child)  # "Turkey's offensive" (not "its offensive": see below)
            if hit.addressee is not None and not target_heads:
                target_heads.append(tok.doc[hit.addressee])  # "said China must ...": China is asked
            if not target_heads and tok.pos_ == "VERB" and hit.type in _RECIPIENT_TYPES | {"THREATEN"}:
                # "agreed to provide aid for Romania", "promised to continue aid to Mozambique"
                for x in tok.children:
                    if x.dep_ != "xcomp" or x.i in trig_ids:
                        continue
                    for role, case, child in dependents(x):
                        if (role in ("obl", "nmod") and case and _norm(case) in _RECIPIENT_CASES | self.with_cases
                                and self._named(child)) or (role in ("obj", "iobj") and self._named(child)):
                            target_heads.append(child)
            # participle modifying its patient: "les convois visés", "the convoy attacked"; when the
            # noun is itself the act ("Israeli airstrikes killed 12"), it names who acted
            if tok.dep_ in ("acl", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
                if type_of.get(tok.head.i) == hit.type:
                    if not actor_heads:
                        actor_heads.append(tok.head)
                elif not target_heads:
                    target_heads.append(tok.head)
            # conjoined verb without its own subject: inherit the first conjunct's
            if not actor_heads and not passive:
                subj = self._controlling_subject(tok)
                if subj is not None:
                    actor_heads.append(subj)
            # noun trigger as object of a light verb or claim verb: the verb's subject acts
            if tok.pos_ == "NOUN" and not actor_heads:
                head = tok.head
                if self._measure_of(tok) is not None:
                    # "launched a bombing campaign", "a mené une campagne d'arrestations"
                    head = self._measure_of(tok).head
                if tok.dep_ == "pobj" and head.dep_ == "prep" and _norm(head.head.lemma_) in self.participation_verbs:
                    head = head.head  # "took part in the attack", "engaged in ethnic cleansing"
                takes_part = tok.dep_ in ("pobj", "obl", "obl:arg") and _norm(head.lemma_) in self.participation_verbs
                if _norm(head.lemma_) in self.light_verbs or _norm(head.lemma_) in self.claim_verbs or takes_part:
                    recipients = []
                    for role, case, child in dependents(head):
                        if role == "subj" or role == "agent":
                            actor_heads.append(child)
                        elif child.i != tok.i and (role == "iobj" or (
                                role in ("obl", "nmod") and case and _norm(case) in _RECIPIENT_CASES
                                and hit.type in _RECIPIENT_TYPES and self._named(child))):
                            recipients.append(child)  # "will give Tanzania a grant", "accorder une aide au Niger"
                    if not any(self._is_participant_token(h) for h in target_heads):
                        target_heads.extend(recipients[:1])
                    if not actor_heads and tok.dep_ in ("obj", "dobj") and head.dep_ in ("xcomp", "conj"):
                        subj = _controller_subject(head.head)
                        if subj is not None:
                            actor_heads.append(subj)
                    elif not actor_heads and tok.dep_ in ("obj", "dobj") and head.dep_ == "acl" \
                            and _norm(head.head.lemma_) in self.speech_nouns and head.head.dep_ in ("obj", "dobj"):
                        # "a publié une lettre annonçant l'annulation", "issued a statement announcing
                        # sanctions": who issued the text took the act it announces
                        subj = _controller_subject(head.head.head)
                        if subj is not None:
                            actor_heads.append(subj)
                elif hit.type in ("CONSULT", "AGREE", "COOPERATE") and tok.dep_ in ("obl", "obl:mod", "nmod", "pobj") :
                    gov = head if head.pos_ in ("VERB", "AUX") else head.head
                    for role, case, child in dependents(gov):
                        if role == "subj":
                            actor_heads.append(child)
            if tok.pos_ == "NOUN" and not actor_heads and any(self._possessive_pronoun(c) for c in tok.children):
                # "Israel mounted its invasion", "ont achevé leur retrait": the possessor is the
                # subject of the clause the noun belongs to
                owner = self._possessor_antecedent(tok)
                if owner is not None and (self._named(owner) or self._state_or_body(owner)):
                    actor_heads.append(owner)  # (a generic "protesters ... their demand" adds no one)
            if tok.pos_ == "NOUN" and not [h for h in actor_heads if h.i != tok.i] and not hit.inverse and not hit.weak:
                # "Palestinian riots", "les frappes américaines", "US sanctions": the nationality of
                # an act is its agent (not "anti-French protests": a sponsor word makes it the aim;
                # nor a weak word, which may name the people acted on: "Palestinian detainees")
                agent = next((c for c in tok.children if self._nationality_modifier(c)), None)
                if agent is not None and agent not in target_heads:
                    actor_heads.append(agent)
            # linear fall-backs for broken parses
            if not actor_heads and not passive and tok.pos_ == "VERB" and not hit.inverse:
                left = self._nearest_unit(sent, tok, direction=-1, exclude=trig_tokens, topo=topo_tokens)
                if left is not None:
                    actor_heads.append(left)
            if not target_heads and tok.pos_ == "NOUN" and hit.type in ("ASSAULT", "COERCE"):
                target_heads.extend(self._right_units(sent, tok, exclude=trig_tokens, topo=topo_tokens, persons_only=True)[:1])
            if not target_heads and tok.pos_ == "VERB" and hit.type in ("CONSULT", "AGREE", "SUPPORT", "ACCUSE", "REJECT", "THREATEN", "SANCTION", "AID", "REQUEST", "COOPERATE"):
                target_heads.extend(self._right_units(sent, tok, exclude=trig_tokens, topo=topo_tokens))
            if hit.type == "PROTEST" and not actor_heads and target_heads and not any(r == "obj" for r, _, _ in roles):
                actor_heads, target_heads = target_heads, []  # protesters march; nobody is "protested"
            if hit.type == "ASSAULT" and any(_norm(h.lemma_) in self.non_agents for h in actor_heads):
                continue  # "the earthquake killed eight people": no one attacked
            if any(_norm(h.text) in self.speaker_pronouns and h.pos_ == "PRON" for h in actor_heads):  # not "the US"
                continue  # "nous sommes mobilisés", "je ne critique pas": quoted speech, not a coded act
            actor_heads = [h for h in actor_heads if h.i != tok.i and not self._is_date_token(h, sent_dates)]
            target_heads = [h for h in target_heads if h.i != tok.i and not self._is_date_token(h, sent_dates)]
            if hit.type == "ASSAULT" and target_heads and not any(e.type == "COERCE" for e in hit.alts):
                # (a word that can also mean seizing keeps its weapons for the sense: "seized weapons")
                weapons = [h for h in target_heads if any(_norm(t.lemma_) in self.weapon_nouns for t in h.subtree if t.i - h.i < 4)]
                if weapons:
                    # "fired rockets at Tel Aviv": the rockets are the means; the aim is the target
                    target_heads = [h for h in target_heads if h not in weapons]
                    for role, case, child in dependents(tok):
                        if role in ("obl", "nmod") and case and _norm(case) in self.against_cases | {"at", "sur", "vers", "toward", "towards"}:
                            target_heads.append(child)
            same_act = set(hit.covered) | {h.token.i for h in hits if h.type == hit.type}
            if tok.pos_ == "VERB" and any(h.i in same_act for h in target_heads):
                # "imposed sanctions on X", "a lancé une attaque contre X": the noun is the act
                target_heads = [h for h in target_heads if h.i not in same_act]
                for role, case, child in dependents(tok) + [d for t in tok.children if t.i in same_act for d in dependents(t)]:
                    if role in ("obl", "nmod") and case and (_norm(case) in self.against_cases | {"on", "sur"} or (
                            _norm(case) in _RECIPIENT_CASES and hit.type in _RECIPIENT_TYPES and self._named(child))):
                        # "a apporté son soutien au Mali": the recipient of the act
                        if not self._is_date_token(child, sent_dates) and child not in target_heads:
                            target_heads.append(child)
            sense_fits = False
            if len(hit.alts) > 1 or any(f"{hit.lemma}>{e.type}" in self.senses for e in hit.alts):
                sense = self._choose_sense(hit.alts, actor_heads, target_heads, sent, hit.lemma)
                if sense is None:
                    continue
                sense_fits = self._sense_fits
                if _reads_inverse(sense) != bool(hit.inverse):
                    # the chosen sense reads the roles the other way round: "X welcomed Y's
                    # statement" is X's support, not a visit X hosted
                    actor_heads, target_heads = target_heads, actor_heads
                if sense.type != hit.type or sense.mode != hit.mode or _reads_inverse(sense) != bool(hit.inverse):
                    hit = TriggerHit(tok, sense.type, sense.mode, _reads_inverse(sense), sense.weak, hit.length,
                                     hit.lemma, hit.covered, hit.alts)
            # an event noun is no participant: "would host a meeting" is hosted by its subject
            if hit.inverse and actor_heads and all(h.i in trig_ids for h in actor_heads):
                actor_heads, target_heads = [h for h in target_heads if h.i not in trig_ids], []
                if not actor_heads and tok.pos_ == "VERB":
                    subj = _controller_subject(tok)
                    if subj is not None:
                        actor_heads.append(subj)
            if tok.pos_ == "VERB" and hit.type in _RECIPIENT_TYPES and not any(self._is_participant_token(h) for h in target_heads):
                # "sent arms to Pakistan": the recipient, once the sense is known (a town is a place)
                for role, case, child in dependents(tok):
                    if role in ("obl", "nmod") and case and _norm(case) in _RECIPIENT_CASES and self._named(child) \
                            and child not in target_heads and (not self._is_place_token(child, topo_tokens)
                                                               or self._is_country_token(child, topo_tokens)):
                        target_heads.append(child)
            # a thing stands for its owner or addressee: "Turkey's efforts", "la déclaration du
            # président X", "des armes à l'Ukraine"; a thing beside a participant is no target
            owned = [o for h in target_heads if (o := self._owner_of(h)) is not h]
            target_heads = [self._owner_of(h) for h in target_heads]
            if len(target_heads) > 1 and any(self._is_participant_token(h) for h in target_heads):
                target_heads = [h for h in target_heads if self._is_participant_token(h)]
            # expand coordinations: "Lavrov ... et Choïgou" -> two targets
            actor_heads = self._expand(actor_heads)
            target_heads = self._expand(target_heads)
            # targets that are places make the place, not the target ("bombarder Alep")
            place_from_target = [h for h in target_heads if self._is_place_token(h, topo_tokens) and h.ent_type_ not in _PERSON_LABELS
                                 and not (hit.type in _ADDRESSED_TYPES and (h.dep_ in _ADDRESSEE_DEPS or h in owned)
                                          and self._is_seat_token(h, topo_tokens))]
            arg_spans: list[tuple[int, int]] = []
            actors = [self._actor_for(h, arg_spans, tok) for h in actor_heads if not self._is_place_token(h, topo_tokens)
                      or self._is_country_token(h, topo_tokens) or self._is_seat_token(h, topo_tokens)]
            targets = [self._actor_for(h, arg_spans, tok) for h in target_heads if h not in place_from_target or self._is_country_token(h, topo_tokens)]
            actors = self._compound([a for a in actors if a[0] is not None]) or [(None, True, None)]
            targets = [t for t in targets if t[0] is not None] or [(None, True, None)]
            self._current_type = hit.type
            self._actor_heads_now = set(actor_heads)
            self._covered_now = set(hit.covered)  # "prise pour cible près de X": X locates the phrase
            # a capital speaking for its government still says where it spoke ("Washington demanded")
            seat_actors = [h for h in actor_heads if hit.type not in MATERIAL_TYPES and self._is_place_token(h, topo_tokens)
                           and not self._is_country_token(h, topo_tokens) and self._is_seat_token(h, topo_tokens)]
            places = self._places_for(tok, sent, topo_tokens, arg_spans, trig_tokens, place_from_target + seat_actors)
            date, prec, explicit = self._date_for(tok, self._dates_of(tok, sent_dates, hits, sent), published, last_date)
            # a noun under a support verb takes the verb's modality: "plans to impose restrictions",
            # "va imposer de nouvelles sanctions", "did not hold talks"
            obj = self._measure_of(tok) or tok  # "will provide 25,000 tons of food aid"
            modal = obj.head if (tok.pos_ == "NOUN" and obj.dep_ in ("obj", "dobj") and obj.head.pos_ == "VERB"
                                 and _norm(obj.head.lemma_) in self.light_verbs) else tok
            negated = self._is_negated(tok) or (modal is not tok and self._is_negated(modal)) or self._negated_participation(tok)
            hypothetical = self._is_hypothetical(tok) or (modal is not tok and self._is_hypothetical(modal))
            future = self._is_future(tok) or (modal is not tok and self._is_future(modal))  # "va imposer": not done yet
            hypothetical = hypothetical or future
            announced = self._announcement(hit.type, modal, negated, future) if hypothetical else None
            if announced is not None:
                # what the announcement is: a threat, a refusal, or the promise itself
                if announced != hit.type:
                    hit = TriggerHit(tok, announced, None, False, hit.weak, hit.length, hit.lemma, hit.covered, ())
                negated = hypothetical = future = False
            background = self._is_background(tok, date, prec, published, bg_cue, last_date, explicit)
            if tok.pos_ == "NOUN" and self._is_cause(tok):
                background = True  # "sanctions over the crackdown", "suite à l'assassinat": the cause is context
            elif tok.pos_ == "VERB" and self._is_setting_clause(tok, trig_ids):
                # "expelled inspectors after officials alleged ...", "in Serbia, where 24 people were killed"
                background = True
            base_conf = 0.55 - (0.2 if hit.weak else 0.0) + (0.05 if tok.pos_ == "VERB" else 0.0)
            if self._is_situation(tok):
                base_conf -= 0.15  # the situation the sentence's act happens in ranks below the act
            for (a, a_gen, a_txt) in actors:
                for (t, t_gen, t_txt) in targets:
                    if a is not None and t is not None and a.name and t.name and _norm(a.name) == _norm(t.name):
                        continue
                    for place, place_text, coarse, linked in places:
                        conf = base_conf + (0.15 if a else 0) + (0.1 if t else 0) + (0.1 if linked else 0)
                        if ((hit.weak or (tok.pos_ == "NOUN" and (hit.type not in MATERIAL_TYPES or hit.type == "CONSULT")))
                                and not actor_heads and not target_heads):
                            continue  # a polysemous word, or a bare abstract noun, with no argument is not an event
                        if hit.weak and not sense_fits and not self._is_participant(a, actor_heads) \
                                and not self._is_participant(t, target_heads) \
                                and not any(_norm(h.text) in self.ordinals | self.pronouns for h in actor_heads + target_heads):
                            # "reçoit des soins": a weak word needs someone who acts or suffers (or
                            # arguments that fit its sense: "weapons were seized")
                            continue
                        if hit.type == "REQUEST" and tok.dep_ == "advcl" and "Fin" not in tok.morph.get("VerbForm") and a is None and t is None:
                            continue  # "en appelant à trouver des solutions": a statement of no one, to no one
                        mode = hit.mode
                        if hit.type == "CONSULT" and visit and not mode:
                            mode = "visit"
                        out.append(Candidate(
                            type=hit.type, mode=mode, sent_index=si, para_index=para,
                            sent_start=sent.start_char, sent_end=sent.end_char,
                            trigger=hit.lemma or tok.text, trigger_i=tok.i,
                            actor=a, target=t, actor_text=a_txt, target_text=t_txt,
                            actor_generic=a_gen, target_generic=t_gen,
                            location=place, place_text=place_text, place_stated_coarse=coarse,
                            place_linked=linked, date=date, date_precision=prec, date_explicit=explicit,
                            background=background, negated=negated, hypothetical=hypothetical, future=future,
                            weak=hit.weak, noun_trigger=tok.pos_ == "NOUN", confidence=min(conf, 0.95),
                        ))
        return out

    def _is_topic(self, tok: Token, roles: list[tuple[str, str | None, Token]], trig_ids: set[int]) -> bool:
        """A noun trigger that only names a subject matter (attached to another noun)."""
        if any(r in ("agent", "poss") for r, _, _ in roles):
            return False
        if any(r in ("nmod", "obl") and c and _norm(c) in self.against_cases | self.with_cases for r, c, _ in roles):
            return False
        head = tok.head
        if head == tok:
            return False
        if tok.dep_ in ("nmod", "amod", "pobj", "compound", "conj") and head.pos_ == "NOUN" and head.i not in trig_ids:
            # "sujets liés à ... coopérations", "dimensions d'une coopération", "law on sanctions"
            return _norm(head.lemma_) not in self.light_nouns
        if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "NOUN" and head.head.i not in trig_ids:
            return _norm(head.head.lemma_) not in self.light_nouns
        return False

    def _compound(self, actors: list[tuple[Actor | None, bool, str | None]]) -> list[tuple[Actor | None, bool, str | None]]:
        """"Hungarian and Romanian officials" are two actors: one event each."""
        many = getattr(self.actors, "resolve_many", None)
        if many is None:
            return actors
        out: list[tuple[Actor | None, bool, str | None]] = []
        for a, generic, text in actors:
            split = []
            if text and generic and _COORD.search(text) and len(text) < 120:
                split = [m for m in many(text, self.language) if m.country]
            if len(split) > 1 and len({m.country for m in split}) == len(split):
                out.extend((m, generic, text) for m in split)
            else:
                out.append((a, generic, text))
        return out

    @staticmethod
    def _named(tok: Token) -> bool:
        """A proper name or named entity (a country, person, organisation), not a common noun."""
        return tok.pos_ == "PROPN" or tok.ent_type_ in _PERSON_LABELS | _ORG_LABELS | _PLACE_LABELS

    @staticmethod
    def _is_participant(actor: Actor | None, heads: list[Token]) -> bool:
        if actor is not None and (actor.country or actor.sector):
            return True
        return any(h.ent_type_ in _PERSON_LABELS | _ORG_LABELS | {"GPE", "LOC"} for h in heads)

    def _choose_sense(self, alts: Sequence[Any], actor_heads: list[Token], target_heads: list[Token],
                      sent: Span, lemma: str = "") -> Any | None:
        """Pick the sense of a word listed under several types from its arguments.

        A sense with constraints in `senses.json` wins when they hold (a diplomat expelled is
        SANCTION, a migrant expelled COERCE); otherwise the unconstrained senses are the
        defaults; a word whose every sense is constrained and unmet is no event. A constraint
        keyed "word>TYPE" holds for that word's sense only (a blockade lifted is RETREAT, a
        curfew lifted CONCEDE), and applies even to a word with a single sense.
        """
        def words_of(heads: list[Token]) -> set[str]:
            heads = heads + [g for h in heads if _norm(h.lemma_) in self.light_nouns  # "700 kg of medicine"
                             for c in h.children
                             for g in ([c] if c.dep_ in ("nmod", "obl:arg") else c.children if c.dep_ == "prep" else [])
                             if g.pos_ == "NOUN"]
            heads = heads + [c for h in heads for c in h.children if c.dep_ == "compound" and c.pos_ == "NOUN"]  # "embassy staff"
            return {_norm(h.lemma_) for h in heads} | {_norm(h.text) for h in heads}

        actor_words, target_words = words_of(actor_heads), words_of(target_heads)
        words = None
        satisfied, free = [], []
        self._sense_fits = False  # chosen because its arguments fit (not by default, nor by a word nearby)
        for e in alts:
            # a word's own constraint ("lift>RETREAT": a blockade lifted), else its type's
            rule = (self.senses.get(f"{lemma}>{e.type}") or self.senses.get(f"{e.type}:{e.mode}")
                    or self.senses.get(e.type))
            if rule is None:
                free.append(e)
                continue
            if rule.get("never"):
                continue
            if target_words & rule.get("not_target_lemmas", set()):
                continue  # "rencontrer des difficultés": what is met is no party, so no meeting
            if not any(k in rule for k in ("target_lemmas", "actor_lemmas", "sentence_words")):
                free.append(e)  # only excluding constraints: a default sense otherwise
                continue
            ok = bool(target_words & rule.get("target_lemmas", set())) or bool(actor_words & rule.get("actor_lemmas", set()))
            fits = ok
            if not ok and rule.get("sentence_words"):
                if words is None:
                    words = {_norm(t.text) for t in sent}
                    words |= {_norm(t.lemma_) for t in sent}
                ok = bool(words & rule["sentence_words"])
            if ok:
                satisfied.append((e, fits))
        pool = [e for e, _ in satisfied] or free
        if not pool:
            return None
        best = _best_senses(pool)[0]
        self._sense_fits = any(e is best and fits for e, fits in satisfied)
        return best

    @staticmethod
    def _case_text(tok: Token) -> str | None:
        for c in tok.children:
            if c.dep_ == "case":
                return _norm(" ".join([c.text] + [g.text for g in c.children if g.dep_ == "fixed"]))
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            return _norm(tok.head.text)
        return None

    def _attributed(self, tok: Token) -> bool:
        """A name introduced as the source of the report ("selon le Pentagone", "according to
        Moscow", "d'après Washington")."""
        if self._case_text(tok) in self.attribution:
            return True
        h = tok.head
        return tok.dep_ == "pobj" and h.dep_ == "prep" and h.head.i != h.i and \
            _norm(h.head.text + " " + h.text) in self.attribution

    def _is_cause(self, tok: Token) -> bool:
        return self._case_text(tok) in self.cause_cases

    def _is_situation(self, tok: Token) -> bool:
        """A noun told as the situation of the sentence's act ("amid violent escalation")."""
        return tok.pos_ == "NOUN" and self._case_text(tok) in self.situation_cases

    @staticmethod
    def _is_date_token(tok: Token, sent_dates: list[Any]) -> bool:
        if tok.ent_type_ in ("DATE", "TIME"):
            return True
        return any(d.start <= tok.idx < d.end for d in sent_dates)

    def _expand(self, heads: list[Token]) -> list[Token]:
        """Coordinated participants become several events when they are named ("l'Égypte, le
        Bahreïn et les Émirats"); a list of common nouns ("les prisons, la justice et la police")
        stays one participant."""
        out: list[Token] = []
        for h in heads:
            conj = self._conjuncts(h)
            if h.dep_ in ("nsubj", "nsubj:pass", "nsubjpass"):
                conj = self._listed_before(h) + conj + [t for t in self._listed_after(h) if t not in conj]
            named = [c for c in conj if c.pos_ == "PROPN" or (c.ent_type_ and c.ent_type_ not in ("DATE", "TIME", "CARDINAL"))]
            for c in (conj if len(named) >= 2 else conj[:1]):
                if c not in out:
                    out.append(c)
        return out

    @staticmethod
    def _listed_before(h: Token) -> list[Token]:
        """Names listed with commas right before a subject that the parser hung elsewhere:
        "l'Arabie saoudite, l'Égypte, le Bahreïn, les Émirats ... et la Libye ont rompu" has
        six subjects. Each item is a determiner and proper nouns between commas, the first one
        opening the sentence or following a comma (never a preposition: "À Paris, les
        manifestants ..."); the subject must itself be coordinated or the list hold two items."""
        doc, start = h.doc, h.sent.start
        i = h.left_edge.i - 1
        items: list[Token] = []
        while i > start and doc[i].text == ",":
            j = i - 1
            words: list[Token] = []
            while j >= start and doc[j].text != "," and (doc[j].pos_ in ("PROPN", "DET") or doc[j].text in ("'", "’")):
                words.append(doc[j])
                j -= 1
            names = [w for w in words if w.pos_ == "PROPN"]
            if not names or len(words) > 5 or (j >= start and doc[j].text != ","):
                break
            items.append(min(names, key=lambda w: w.i))
            i = j
        coordinated = any(c.dep_ == "conj" for c in h.children)
        return list(reversed(items)) if items and (coordinated or len(items) >= 2) else []

    @staticmethod
    def _listed_after(h: Token) -> list[Token]:
        """The names of a clean list running from a subject to its verb ("la Guinée, le Sénégal,
        la Gambie, le Togo et le Mali ont rompu"), however the parser hung them (appositions of
        appositions): at least three items, nothing but names, commas and one conjunction."""
        doc, end = h.doc, h.sent.end
        verb = h.head
        items = [h]
        j = h.i + 1
        while True:
            while j < end and doc[j].pos_ == "PROPN":
                j += 1
            if j >= end or not (doc[j].text == "," or _norm(doc[j].text) in ("et", "and", "ou", "or")):
                break
            k = j + 1
            while k < end and (_norm(doc[k].text) in ("et", "and", "ou", "or") or doc[k].pos_ == "DET"
                               or doc[k].text in ("'", "’")):
                k += 1
            if k >= end or doc[k].pos_ != "PROPN":
                break
            items.append(doc[k])
            j = k
        closes = j < end and (doc[j] == verb or (doc[j].head == verb and doc[j].dep_.startswith("aux")))
        return items[1:] if closes and len(items) >= 3 else []

    def _actor_for(self, head: Token, arg_spans: list[tuple[int, int]], avoid: Token | None = None) -> tuple[Actor | None, bool, str | None]:
        lo, hi = self.phrase_span(head, avoid)
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            lo, hi = min(lo, ent.start_char), max(hi, ent.end_char)
        for e in head.doc.ents:
            if lo <= e.start_char < hi < e.end_char:
                hi = e.end_char  # a name is whole even when the parse cuts it ("Emmanuel / Macron")
        phrase = self._text[lo:hi]
        arg_spans.append((lo, hi))
        actor, generic = self.resolve_actor(phrase, head)
        if actor is not None and actor.name and generic:
            actor = replace(actor, name=self._short_name(actor.name, head, hi))
        if actor is not None and actor.name:
            # "la ministre française des Affaires étrangères, Catherine Colonna": the person named in
            # apposition to the head is the participant (not "le porte-parole d'Ali Bongo"'s Bongo)
            person = next((e for e in head.doc.ents if e.label_ in _PERSON_LABELS and lo <= e.start_char and e.end_char <= hi
                           and (e.root == head or (e.root.head == head and e.root.dep_ in ("appos", "flat:name", "compound", "flat")))), None)
            if person is not None and len(person.text.split()) >= 2:
                known = getattr(self.actors, "lookup", None)
                in_kb = known is not None and known(actor.name) is not None
                if not in_kb and _norm(person.text) not in _norm(actor.name) and _norm(actor.name) not in _norm(person.text):
                    actor = replace(actor, name=person.text)
                generic = False
        if actor is not None and actor.country is None and actor.sector not in (None, "IGO", "NGO") and head.pos_ == "NOUN" \
                and any(self._possessive_pronoun(c) for c in head.children):
            # "Bosnian Serbs said their forces had ...", "leurs forces": the owner's country
            owner = self._possessor_antecedent(head)
            if owner is not None:
                o_lo, o_hi = self.phrase_span(owner)
                known, _ = self.resolve_actor(self._text[o_lo:o_hi], owner)
                if known is not None and known.country:
                    actor = replace(actor, country=known.country)
        if generic and head.pos_ == "NOUN" and (actor is None or actor.country is None):
            # "un premier convoi" after "trois convois ... pour les militaires X": same referent
            known = self._nominals.get(_norm(head.lemma_))
            if known is not None:
                actor = replace(known, name=(actor.name if actor is not None and actor.name else phrase))
        elif generic and head.pos_ == "NOUN" and actor is not None and actor.country:
            self._nominals.setdefault(_norm(head.lemma_), actor)
        return actor, generic, phrase

    def _short_name(self, name: str, head: Token, hi: int) -> str:
        """A description's display name without where and when ("la police à Tunis mardi" ->
        "police"): the place and the date are fields of the event already."""
        cut = None
        for t in head.subtree:
            if t.i <= head.i or t.idx >= hi:
                continue
            is_place = any(tp.start <= t.idx < tp.end for tp in self._toponyms)
            is_date = t.ent_type_ in ("DATE", "TIME")
            if (is_place and t.dep_ in ("nmod", "pobj", "obl")) or is_date:
                first = min(x.idx for x in t.subtree)
                prev = t.doc[t.i - 1] if t.i > 0 else None
                if prev is not None and prev.dep_ in ("case", "prep") and prev.idx < first:
                    first = prev.idx
                cut = first if cut is None else min(cut, first)
        if cut is None:
            return name
        tail = self._text[cut:hi].strip()
        if tail and name.endswith(tail):
            short = name[: -len(tail)].strip(" ,;:")
            return short or name
        return name

    def _nominal_memory(self, doc: Doc) -> dict[str, Actor]:
        """Country/sector of common-noun participants described once with a nationality.

        Parses break long participles ("trois convois transportant ... pour les militaires X
        ... ont été visés"), so the description runs from the noun to the next finite verb.
        """
        memory: dict[str, Actor] = {}
        if not self.actors:
            return memory
        for tok in doc:
            if tok.pos_ != "NOUN" or tok.dep_ not in ("nsubj", "nsubj:pass", "obj", "nsubjpass", "dobj", "obl:agent", "pobj"):
                continue
            key = _norm(tok.lemma_)
            if key in memory:
                continue
            end = tok.i
            sent_end = tok.sent.end
            while end + 1 < sent_end and end - tok.i < 14:
                nxt = doc[end + 1]
                if (nxt.pos_ in ("AUX",) or (nxt.pos_ == "VERB" and "Fin" in nxt.morph.get("VerbForm"))
                        or nxt.text in (";", ":", ".", "!", "?")):
                    break
                end += 1
            if end == tok.i:
                continue
            lo = tok.left_edge.idx if tok.left_edge.i >= tok.sent.start else tok.idx
            phrase = self._text[lo:doc[end].idx + len(doc[end].text)]
            actor = self.actors.resolve(phrase, self.language)
            if actor is not None and actor.country and actor.sector:
                memory[key] = Actor(actor.name, actor.country, actor.sector)
        return memory

    @staticmethod
    def _stative_commitment(tok: Token, etype: str, roles: list[tuple[str, str | None, Token]]) -> bool:
        """A passive participle stating a stance toward something ("is committed to opening",
        "est opposé à la médiation"): no agent, a "to"/"à" complement, an AGREE/REJECT/SUPPORT verb."""
        if etype not in ("AGREE", "REJECT", "SUPPORT") or tok.pos_ != "VERB" or any(r == "agent" for r, _, _ in roles):
            return False
        if any(c and _norm(c) in ("to", "a", "au", "aux") for r, c, _ in roles if r in ("obl", "nmod")):
            return True
        return any(c.dep_ == "xcomp" and any(_norm(g.text) in ("to", "a", "de", "d'") for g in c.children
                                              if g.dep_ in ("aux", "mark")) for c in tok.children)

    def _participant_word(self, text: str) -> bool:
        """Does a word name someone who can act (a state, a body, a person, a group)?"""
        key = _norm(text)
        known = self._word_kind.get(key)
        if known is None:
            actor = self.actors.resolve(text, self.language) if self.actors and key else None
            known = actor is not None and bool(actor.country or actor.sector)
            self._word_kind[key] = known
        return known

    def _is_participant_token(self, tok: Token) -> bool:
        if tok.pos_ == "PROPN" or tok.ent_type_ in _PERSON_LABELS | _ORG_LABELS | _PLACE_LABELS:
            return True
        if tok.pos_ == "PRON" or _norm(tok.text) in self.pronouns | self.person_pronouns | self.thing_pronouns:
            return True
        return self._participant_word(tok.text) or self._participant_word(tok.lemma_)

    def _owner_of(self, head: Token) -> Token:
        """For a common noun naming a thing ("efforts", "arms", "déclaration"), the participant
        it belongs to or goes to, when one is attached; else the noun itself."""
        if head.pos_ != "NOUN" or head.ent_type_ or self._is_participant_token(head) or _norm(head.text) in self.ordinals:
            return head
        lo, hi = self.phrase_span(head)
        if self._title_class(self._text[lo:hi]) is not None:
            return head  # "le numéro un des X": a person described by an office
        for c in head.children:
            cand = None
            if c.dep_ in ("poss", "nmod:poss"):
                cand = c
            elif c.dep_ == "compound" and self._named(c):
                cand = c
            elif c.dep_ == "prep" and _norm(c.text) in _OWNER_CASES:
                cand = next((g for g in c.children if g.dep_ == "pobj"), None)
            elif c.dep_ == "nmod" and _norm(case_of(c) or "") in _OWNER_CASES:
                cand = c
            if cand is None or _norm(cand.text) in self.pronouns | self.person_pronouns | self.thing_pronouns:
                continue
            if cand.pos_ == "PRON" or not self._is_participant_token(cand):
                continue
            return cand
        return head

    def _possessive_pronoun(self, tok: Token) -> bool:
        """A possessive pronoun or determiner: "its", "their", "son", "leurs"."""
        if tok.dep_ in ("poss", "nmod:poss"):
            return tok.pos_ == "PRON" or _norm(tok.text) in self.pronouns
        return tok.dep_ == "det" and "Yes" in tok.morph.get("Poss")

    def _state_or_body(self, tok: Token) -> bool:
        """Does the phrase headed by `tok` name a country's actor or an international body?"""
        lo, hi = self.phrase_span(tok)
        actor = self.actors.resolve(self._text[lo:hi], self.language) if self.actors else None
        return actor is not None and (actor.country is not None or actor.sector in ("IGO", "NGO"))

    def _possessor_antecedent(self, noun: Token) -> Token | None:
        """Who "its"/"their"/"son"/"leur" on an event noun stands for: the subject of the verb
        the noun hangs on ("Israel mounted its invasion"), or of the verbs above it when that
        subject is itself a pronoun or owned by one ("Bosnian Serbs said their forces had
        completed their withdrawal" -> the Bosnian Serbs)."""
        verb = noun
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.head == verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        for _ in range(3):
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")), None)
            if subj is not None and noun not in subj.subtree and subj.pos_ != "PRON" \
                    and _norm(subj.text) not in self.pronouns \
                    and not any(self._possessive_pronoun(c) for c in subj.children):
                return subj
            if verb.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or verb.head == verb:
                return None
            verb = verb.head
        return None

    def _nearest_unit(self, sent: Span, tok: Token, direction: int, exclude: list[Token],
                      topo: list[tuple[Any, Token]]) -> Token | None:
        """Nearest nominal with a name (entity / proper noun) on one side of the trigger, same clause."""
        rng = range(tok.i - 1, sent.start - 1, -1) if direction < 0 else range(tok.i + 1, sent.end)
        for i in rng:
            t = sent.doc[i]
            if t in exclude or t.is_punct and t.text in ";:":
                break
            if t.pos_ == "VERB" and t.dep_ not in ("acl", "amod"):
                break
            if (t.ent_type_ in _PERSON_LABELS | _ORG_LABELS or t.pos_ == "PROPN") and not self._is_place_token(t, topo):
                # climb to the head of the name
                while t.head != t and t.head.ent_iob_ == "I" and t.head.ent_type_ == t.ent_type_:
                    t = t.head
                return t
        return None

    def _right_units(self, sent: Span, tok: Token, exclude: list[Token], topo: list[tuple[Any, Token]],
                     persons_only: bool = False) -> list[Token]:
        """Named participants after a verb whose object the parser lost (coordinated names)."""
        out: list[Token] = []
        seen_until = tok.i
        for ent in sent.ents:
            if ent.start <= tok.i or ent.label_ not in (_PERSON_LABELS if persons_only else _PERSON_LABELS | {"ORG"}):
                continue
            if any(e.i > tok.i and e.i < ent.start for e in exclude):
                break
            if ent.start < seen_until:
                continue
            if self._is_place_token(ent.root, topo):
                continue
            lo, hi = self.phrase_span(ent.root)
            out.append(ent.root)
            end_tok = sent.doc.char_span(lo, hi, alignment_mode="expand")
            seen_until = end_tok.end if end_tok is not None else ent.end
        return out

    def _controlling_subject(self, tok: Token) -> Token | None:
        """The subject a verb without its own takes from the verb it depends on: "promised to
        continue aid", "is prepared to lift the ban" (control), "converged on Lagos to protest",
        "mobilised groups to help support" (purpose), "was indicted ... and will resign" (the
        first conjunct's subject, passive or not)."""
        gov = tok
        for _ in range(3):
            if not (gov.dep_ in ("conj", "xcomp", "acomp") or self._purpose_clause(gov)) \
                    or gov.head.pos_ not in ("VERB", "AUX", "ADJ") or gov.head == gov:
                return None
            deps = ("nsubj", "nsubjpass", "nsubj:pass") if gov.dep_ == "conj" else ("nsubj",)
            gov = gov.head
            subj = next((c for c in gov.children if c.dep_ in deps), None)
            if subj is not None:
                return subj
        return None

    def _purpose_clause(self, tok: Token) -> bool:
        """An infinitive of purpose with no subject of its own ("came to protest", "pour manifester")."""
        if tok.dep_ != "advcl" or tok.pos_ != "VERB" or ("Inf" not in tok.morph.get("VerbForm") and tok.tag_ != "VB"):
            return False
        if any(c.dep_.startswith("nsubj") or c.dep_ == "expl" for c in tok.children):
            return False
        return any(_norm(c.text) in self.purpose_marks for c in tok.children if c.dep_ in ("mark", "aux"))

    def _nationality_modifier(self, tok: Token) -> bool:
        """A nationality adjective or a country's name modifying a noun ("Israeli", "américaines", "US")."""
        if tok.dep_ not in ("amod", "compound", "nmod"):
            return False
        if tok.dep_ != "amod" and tok.ent_type_ not in ("NORP", "GPE"):
            return False
        if tok.dep_ == "nmod" and any(c.dep_ == "case" for c in tok.children):
            return False  # "les frappes contre la Syrie" names a target, not an adjective
        doc = tok.doc
        before = {_norm(doc[k].text) for k in range(max(0, tok.i - 2), tok.i)}
        if before & self.sponsor_prefixes or any(_norm(c.text) in self.sponsor_prefixes for c in tok.children):
            return False
        if self.actors is None:
            return False
        key = _norm(tok.text)
        if key not in self._nationality:
            # a country's name or people, not its capital ("the Kabul attack" happened in Kabul)
            self._nationality[key] = self.actors.capital_country(tok.text, self.language) is None \
                and self.actors.country_of(tok.text, self.language) is not None \
                and self.actors.resolve(tok.text, self.language) is not None
        return self._nationality[key]

    def _measure_of(self, tok: Token) -> Token | None:
        """The light noun object a noun trigger completes ("a bombing campaign", "tons of aid",
        "une campagne d'arrestations"): it stands for the act in the clause."""
        if tok.pos_ != "NOUN":
            return None
        head = tok.head.head if tok.head.pos_ == "ADP" else tok.head
        if (head.pos_ == "NOUN" and head.i != tok.i and head.dep_ in ("obj", "dobj")
                and _norm(head.lemma_) in self.light_nouns):
            return head
        return None

    # ------------------------------------------------------------------ claims
    def _apply_claims(self, sent: Span, claim_tokens: list[Token], new: list[Candidate],
                      earlier: list[Candidate], si: int, para: int) -> None:
        """A claim of responsibility makes the claimant the actor of the attacks it claims."""
        for ct in claim_tokens:
            claimant: Token | None = None
            for role, case, child in dependents(ct):
                if role == "agent" or (role == "subj" and not is_passive(ct)):
                    claimant = child
                    break
            if claimant is None:
                continue
            actor, generic, text = self._actor_for(claimant, [])
            if actor is None:
                continue
            # events claimed in this very sentence (the noun "attaques" / "attentat")
            for c in new:
                if c.type == "ASSAULT" and (c.actor is None or c.actor_generic):
                    c.actor, c.actor_text, c.actor_generic = actor, text, generic
                    c.claim_summary = c.location is None or c.place_stated_coarse
                    if c.target is not None and c.target.name and _norm(c.target.name) == _norm(actor.name or ""):
                        c.target, c.target_text = None, None
            # earlier attacks of the article without an actor (the claim follows the report)
            for c in earlier:
                if c.type == "ASSAULT" and c.actor is None and not c.background and si - c.sent_index <= 8:
                    c.actor, c.actor_text, c.actor_generic = actor, text, generic


# when one word carries several senses, the more material reading wins ("attaquer": ASSAULT
# before ACCUSE); the parser gives no word-sense, and coders code the concrete act first
_TYPE_PRIORITY = ("ASSAULT", "COERCE", "PROTEST", "SANCTION", "MOBILIZE", "THREATEN", "CONSULT", "AGREE",
                  "AID", "SUPPORT", "COOPERATE", "REQUEST", "ACCUSE", "REJECT", "CONCEDE", "RETREAT")


def _best_senses(entries: Sequence[Any]) -> list[Any]:
    """One sense per word: strong senses beat weak ones, then the type priority decides."""
    strong = [e for e in entries if not getattr(e, "weak", False)]
    pool = strong or list(entries)
    pool.sort(key=lambda e: _TYPE_PRIORITY.index(e.type) if e.type in _TYPE_PRIORITY else 99)
    return pool[:1]


def _reads_inverse(entry: Any) -> bool:
    """Does the word's subject receive the act? A host is the source of the meeting he hosts
    (PLOVER codes "X hosted Y", "X a reçu Y", "X a accueilli Y" as X meeting Y), so the
    lexicon's mark on the CONSULT senses of host/receive/welcome, recevoir/accueillir does
    not swap the roles; it still does for "came under attack", "a été la cible de"."""
    return bool(entry.inverse) and entry.type != "CONSULT"


def _controller_subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, or of the verb that controls it ("X promised to continue ...")."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    if depth < 3 and verb.dep_ in ("xcomp", "conj", "acomp") and verb.head != verb:
        return _controller_subject(verb.head, depth + 1)
    return None


