"""When and how an act is told: its date, whether it is background, negated, hypothetical,
announced or reported (the modality rules of `EventExtractor`, kept apart from roles and places).

`ModalityRules` is a mixin: it reads the extractor's language data (`self.neg_words`,
`self.hypo_verbs`, `self.hypo_markers`, ...) set up by `EventExtractor.__init__`.
"""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from spacy.tokens import Span, Token

from veille.extract.lexicon import normalise_cached as _norm

if TYPE_CHECKING:
    from veille.extract.events import TriggerHit

__all__ = ["ModalityRules"]

# acts whose promise is a threat ("vowed to strike", "is prepared to impose martial law")
_COERCIVE_ACTS = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}
# acts whose announced absence is a refusal ("will not accept refugees", "would not meet demands")
_COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"}
# subordinators of a clause that gives the cause or antecedent of the act it modifies
_CAUSE_MARKS = {"because", "parce", "puisque", "after", "apres", "since", "depuis", "following"}
_WHERE_WORDS = {"where", "ou"}  # "ou" is the normalised "où" here: a relative pronoun, never the conjunction
_ACHIEVE_VERBS = {"manage", "succeed", "reussir", "parvenir", "arriver"}  # negated: the act did not take place
_MODAL_AUX_EN = {"will", "would", "could", "may", "might", "should", "shall", "can"}
_INTENT_WORDS = {"plan", "prepare", "prepared", "intend", "ready", "willing", "vow", "pledge", "promise", "threaten", "aim",
                 "dispose",
                 "planifier", "projeter", "preparer", "pret", "apprêter", "appreter", "compter", "entendre",
                 "envisager", "promettre", "jurer", "menacer", "s'appreter"}


def _days_between(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days
    except ValueError:
        return 0


class ModalityRules:
    """Date, background and modality of a trigger (see the module docstring)."""

    @staticmethod
    def _dates_of(tok: Token, sent_dates: list[Any], hits: list[TriggerHit], sent: Span) -> list[Any]:
        """The dates of one trigger: a date that directly modifies another act noun belongs to
        it alone ("a ordonné une frappe ... l'attaque chimique de mardi": Tuesday is the chemical
        attack's); every other date of the sentence is shared."""
        if len(hits) < 2 or not sent_dates:
            return sent_dates
        nouns = {h.token.i for h in hits if h.token.pos_ == "NOUN"}
        out = []
        for d in sent_dates:
            span = sent.doc.char_span(d.start, d.end, alignment_mode="expand")
            root = span.root if span is not None else None
            owner = None
            if root is not None:
                gov = root.head.head if root.dep_ == "pobj" else root.head
                if gov.i in nouns and root.dep_ in ("nmod", "pobj", "obl", "amod", "compound"):
                    owner = gov.i
            if owner is None or owner == tok.i:
                out.append(d)
        return out

    def _date_for(self, tok: Token, sent_dates: list[Any], published: str | None,
                  last_date: tuple[str, str, bool] | None) -> tuple[str | None, str | None, bool]:
        if published:
            # a date after publication is when something is scheduled ("le référendum du 1er
            # octobre"), not when the reported act happened
            pub = published[:10]
            sent_dates = [d for d in sent_dates if d.value[:len(pub)] <= pub[:len(d.value)] or
                          (d.precision == "day" and _days_between(pub, d.value) <= 1)]
        if sent_dates:
            best = min(sent_dates, key=lambda d: abs(d.start - tok.idx))
            return best.value, best.precision, True
        if last_date is not None and (last_date[1] == "day" or last_date[2]):
            # a day carries over to the next sentence; a month or year only when it sets the
            # story in the past ("en janvier 2020 ... cette loi a été adoptée suite à ...")
            return last_date[0], last_date[1], False
        if self._story_day is not None:
            # the day the story is set on ("ont entamé jeudi des négociations ..."), told once
            return self._story_day, "day", False
        if published:
            return published[:10], "day", False
        return None, None, False

    def _old(self, value: str | None, precision: str | None, published: str | None) -> bool:
        if not value or not published:
            return False
        hint = getattr(self.dates, "background_hint", None)
        if hint is not None:
            try:
                return bool(hint(value, precision, published[:10]))
            except (TypeError, ValueError):
                return False
        return value[:7] < published[:7] if precision in ("day", "month") else value[:4] < published[:4]

    def _promised_act(self, hit: TriggerHit, type_of: dict[int, str]) -> str | None:
        """The type (in `type_of`) of the act an intent word announces ("vowed to strike", "is
        ready to impose sanctions", "se dit prêt à frapper"), when that act is a trigger there."""
        if not set(re.split(r"[\s']+", hit.lemma or _norm(hit.token.lemma_))) & _INTENT_WORDS:
            return None
        anchors = [hit.token] + [hit.token.doc[i] for i in hit.covered]
        for a in anchors:
            for c in a.children:
                if c.dep_ not in ("xcomp", "advcl", "acl", "ccomp") or c.i == hit.token.i:
                    continue
                if c.i in type_of:
                    return type_of[c.i]
                if _norm(c.lemma_) in self.light_verbs:
                    obj = next((g for g in c.children if g.dep_ in ("obj", "dobj") and g.i in type_of), None)
                    if obj is not None:
                        return type_of[obj.i]
        return None

    def _is_setting_clause(self, tok: Token, trig_ids: set[int]) -> bool:
        """A clause that gives the context of another act: its cause or antecedent ("after
        officials alleged ...", "après que Washington a accusé ...") or what a place went through
        ("in Serbia, where 24 people were killed", "à Goma, où ...")."""
        if tok.dep_ == "advcl" and tok.head.i in trig_ids:  # the context of the act it modifies
            for m in tok.children:
                if m.dep_ != "mark":
                    continue
                words = _norm(" ".join([m.text] + [g.text for g in m.children if g.dep_ == "fixed"]))
                if words in self.cause_cases or words in _CAUSE_MARKS:
                    return True
        if tok.dep_ in ("relcl", "acl:relcl") and tok.head.pos_ == "PROPN":
            return any(_norm(c.text) in _WHERE_WORDS and c.dep_ in ("advmod", "iobj", "obl", "obl:mod", "nmod")
                       for c in tok.children)
        return False

    def _negated_participation(self, tok: Token) -> bool:
        """An event noun that a negated verb of taking part governs ("ne se sont pas rendus à la
        réunion", "did not attend the summit"): the event, for them, did not take place."""
        if tok.pos_ != "NOUN" or tok.dep_ not in ("obj", "dobj", "obl", "obl:arg", "obl:mod", "pobj"):
            return False
        gov = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
        return (gov.i != tok.i and gov.pos_ in ("VERB", "AUX") and _norm(gov.lemma_) in self.participation_verbs
                and self._is_negated(gov))

    def _is_negated(self, tok: Token, depth: int = 0) -> bool:
        has_ne = any(_norm(c.text) in ("ne", "n'") for c in tok.children)
        if any(_norm(c.text) in self.neg_words and c.dep_ in ("advmod", "neg", "det")
               and (_norm(c.text) != "plus" or has_ne) for c in tok.children) or (  # "plus de 1 000": more
                "Neg" in tok.morph.get("Polarity")):
            return True
        if tok.dep_ == "xcomp" and tok.head != tok and depth == 0:
            # "failed to reach an agreement", "n'ont pas réussi à s'entendre": it did not happen
            gov = _norm(tok.head.lemma_)
            return gov in self.neg_words or (gov in _ACHIEVE_VERBS and self._is_negated(tok.head, 1))
        return False

    def _reported(self, tok: Token) -> bool:
        """Is the clause what a report verb says ("said they would ...", "a annoncé qu'il ...")?"""
        steps = 0
        while tok.dep_ == "conj" and tok.head != tok and steps < 3:  # "would prohibit ... and would deny"
            tok = tok.head
            steps += 1
        return tok.dep_ == "ccomp" and (_norm(tok.head.lemma_) in self.report_verbs or _norm(tok.head.text) in self.report_verbs)

    def _reported_future(self, tok: Token) -> bool:
        """The future of the past in reported speech: "said they would boycott", "a annoncé qu'il
        imposerait" (a simple conditional; "would have", "aurait imposé" are no announcement)."""
        if not self._reported(tok):
            return False
        if any(c.dep_ in ("aux", "aux:tense") and _norm(c.lemma_) in ("have", "avoir", "etre") for c in tok.children):
            return False
        if self._conditional(tok):
            return True
        return any(c.dep_ == "aux" and _norm(c.text) in ("would", "'d") for c in tok.children)

    def _conditional(self, tok: Token) -> bool:
        """A verb in the conditional mood: the tagger's Mood=Cnd, or (the tagger often says
        indicative) a conditional ending on the infinitive stem ("bloquer-aient", "prendr-ait"),
        which the imperfect ("bloquaient") lacks."""
        if "Cnd" in tok.morph.get("Mood"):
            return True
        if not self.conditional_endings or tok.pos_ not in ("VERB", "AUX"):
            return False
        text, lemma = _norm(tok.text), _norm(tok.lemma_)
        for end in self.conditional_endings:
            if text.endswith(end) and len(text) > len(end) + 2:
                base = text[: -len(end)]
                return base == lemma or base == lemma[:-1]
        return False

    def _announcement(self, etype: str, modal: Token, negated: bool, future: bool) -> str | None:
        """The type of an announced act, when the announcement itself is the event: an act
        announced "unless" the other side complies is an ultimatum (THREATEN); an announced
        protest is a threat of protest; a promise not to cooperate is a refusal (REJECT); a
        promise, demand or refusal in the future is stated now. None: left to the pipeline."""
        if not future:
            # "may halt its mediation if ...", "pourrait frapper si ...": a conditional use of force is a threat
            return "THREATEN" if etype in _COERCIVE_ACTS and not negated and self._ultimatum(modal, conditions=True) else None
        if negated:
            return "REJECT" if etype in _COOPERATIVE else None
        if etype not in ("THREATEN", "REQUEST", "REJECT", "ACCUSE") and self._ultimatum(modal):
            return "THREATEN"
        if etype == "PROTEST":
            return "THREATEN"
        if etype in ("AGREE", "THREATEN", "REQUEST", "REJECT") and self._stated_future(modal):
            return etype  # "said it would agree to talks": the promise is made now ("aiming to push": no)
        return None

    def _stated_future(self, tok: Token) -> bool:
        """A future the clause itself states ("will", future tense, "would" in reported speech),
        not one lent by a governing intent word ("aiming to ...", "plans to ...")."""
        if self._reported_future(tok) or "Fut" in tok.morph.get("Tense"):
            return True
        return any(c.dep_ in ("aux", "aux:tense") and (_norm(c.text) in ("will", "shall", "'ll") or "Fut" in c.morph.get("Tense"))
                   for c in tok.children)

    def _ultimatum(self, tok: Token, conditions: bool = False) -> bool:
        """A condition clause of an ultimatum ("will withdraw unless ...", "à moins que ..."), or
        with `conditions`, any condition clause ("if ...", "si ...")."""
        markers = self.ultimatum_markers | (self.condition_markers if conditions else set())
        if not markers:
            return False
        clauses = list(tok.children) + (list(tok.head.children) if tok.dep_ == "xcomp" else [])  # "pourrait frapper si ..."
        for c in clauses:
            if c.dep_ not in ("advcl", "obl", "advmod", "cc", "conj"):
                continue
            marks = [m for m in c.children if m.dep_ in ("mark", "case", "advmod", "cc")] + [c]
            for m in marks:
                words = " ".join([m.text] + [g.text for g in m.children if g.dep_ == "fixed"])
                if _norm(words) in markers or _norm(m.text) in markers:
                    return True
        return False

    def _is_future(self, tok: Token) -> bool:
        """An announced action (future tense, "will", "aller" + infinitive), not a condition."""
        if self._reported_future(tok):
            return True
        if "Cnd" in tok.morph.get("Mood"):
            return False
        if "Fut" in tok.morph.get("Tense"):
            return True
        for c in tok.children:
            if c.dep_ in ("aux", "aux:tense") and "Cnd" in c.morph.get("Mood"):
                return False
            if c.dep_ == "aux" and _norm(c.text) in ("will", "shall", "'ll"):
                return True
            if c.dep_ in ("aux", "aux:tense") and "Fut" in c.morph.get("Tense"):
                return True
        head = tok.head
        if tok.dep_ == "xcomp" and _norm(head.lemma_) in ("aller", "going") and "Cnd" not in head.morph.get("Mood"):
            return True
        if tok.dep_ in ("xcomp", "acl") and _norm(head.lemma_) in _INTENT_WORDS and not any(
                c.dep_ == "neg" or _norm(c.text) in ("not", "pas", "never", "jamais") for c in head.children):
            return True  # "plans to impose", "is prepared to impose", "s'apprête à frapper": an announcement
        return False

    def _is_hypothetical(self, tok: Token) -> bool:
        if tok.pos_ == "NOUN" and tok.dep_ in ("nmod", "pobj"):
            owner = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
            if _norm(owner.lemma_) in self.hypo_nouns:
                return True  # "ouvert à l'idée d'une rencontre", "the prospect of talks"
        if tok.dep_ in ("xcomp", "acl") and _norm(tok.head.lemma_) in _INTENT_WORDS:
            return True
        if self._conditional(tok) or "Fut" in tok.morph.get("Tense"):
            return True
        for c in tok.children:
            if c.dep_ in ("aux", "aux:tense") and (self._conditional(c) or "Fut" in c.morph.get("Tense")):
                return True
            if c.dep_ == "aux" and _norm(c.text) in _MODAL_AUX_EN:
                return True
            if c.dep_ == "mark" and _norm(c.text) in self.hypo_markers:
                return True
        head = tok.head
        steps = 0
        while head != tok and steps < 3 and tok.dep_ in ("xcomp", "ccomp", "obj", "dobj", "acl", "advcl", "pobj", "prep"):
            if _norm(head.lemma_) in self.hypo_verbs:  # "foiled an attack"
                return True
            if head.dep_ == "advcl" and any(c.dep_ == "mark" and _norm(c.text) in self.hypo_markers for c in head.children):
                return True  # "if the United States goes ahead with the deployment"
            if "Cnd" in head.morph.get("Mood"):
                return True
            tok, head = head, head.head
            steps += 1
        return False

    def _is_background(self, tok: Token, date: str | None, prec: str | None, published: str | None,
                       bg_cue: bool, last_date: tuple[str, str, bool] | None, explicit: bool) -> bool:
        if explicit and self._old(date, prec, published):
            return True
        if explicit and prec == "day" and date and published and abs(_days_between(published[:10], date)) <= 2:
            return bg_cue  # "plus tôt dans la journée, la Russie avait mis en garde": a dated act of the news days
        if not explicit and last_date is not None and last_date[2]:
            return True
        # pluperfect: auxiliary in the imperfect + past participle ("avait attaqué", "had attacked"),
        # also of the verb that governs an infinitive ("s'était engagée à soutenir")
        heads = [tok] + ([tok.head] if tok.dep_ in ("xcomp", "ccomp", "obl:arg") and tok.head.pos_ == "VERB" else [])
        for c in (c for h in heads for c in h.children):
            tok = c.head
            if c.dep_ in ("aux", "aux:tense") and "Imp" in c.morph.get("Tense") and "Part" in tok.morph.get("VerbForm"):
                return True
            if c.dep_ == "aux" and _norm(c.text) == "had" and tok.tag_ == "VBN":
                return True
        return bg_cue
