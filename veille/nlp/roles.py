"""One table from dependency labels to argument roles, for UD (French) and ClearNLP (English).

spaCy's French pipelines emit Universal Dependencies (`nsubj:pass`, `obl:agent`, `obl` + case),
its English ones ClearNLP labels (`nsubjpass`, `agent` + `pobj`, `prep` + `pobj`, `dobj`).
`dependents()` turns both into (role, case, token) triples so the rules above stay shared.
"""
from __future__ import annotations

from spacy.tokens import Token

__all__ = ["dependents", "is_passive", "case_of", "ROLE_OF_LABEL", "SKIP_IN_PHRASE"]

# label -> role; roles: subj, pass_subj, obj, iobj, agent, obl, nmod, poss, appos, conj
ROLE_OF_LABEL: dict[str, str] = {
    # UD
    "nsubj": "subj", "nsubj:pass": "pass_subj", "csubj": "subj", "obj": "obj", "iobj": "iobj",
    "obl:agent": "agent", "obl": "obl", "obl:arg": "obl", "obl:mod": "obl", "nmod": "nmod",
    "appos": "appos", "conj": "conj", "nmod:poss": "poss",
    # ClearNLP
    "nsubjpass": "pass_subj", "dobj": "obj", "dative": "iobj", "poss": "poss", "npadvmod": "obl",
    "attr": "obj", "oprd": "obj",
}
# children whose subtrees do not belong to a noun phrase's text
SKIP_IN_PHRASE = {"conj", "cc", "acl:relcl", "relcl", "advcl", "parataxis", "punct", "dep", "acl"}
_PASSIVE_AUX = {"aux:pass", "auxpass"}


def case_of(tok: Token) -> str | None:
    """The preposition governing a nominal in UD (its `case` children), lower-cased."""
    parts = []
    for child in tok.children:
        if child.dep_ == "case" and child.i < tok.i:
            parts.append(child.text.lower())
            parts.extend(g.text.lower() for g in child.children if g.dep_ == "fixed")
    if not parts:
        return None
    return " ".join(parts).replace("’", "'")


def _mislabelled_active(tok: Token) -> bool:
    """A passive subject with no passive auxiliary and a direct object is a parser slip on an
    active clause ("Moscou a vivement critiqué la décision": `nsubj:pass` without `aux:pass`)."""
    deps = {c.dep_ for c in tok.children}
    return not deps & _PASSIVE_AUX and bool(deps & {"obj", "dobj"})


def is_passive(tok: Token) -> bool:
    if any(c.dep_ in _PASSIVE_AUX for c in tok.children):
        return True
    return any(c.dep_ in ("nsubj:pass", "nsubjpass") for c in tok.children) and not _mislabelled_active(tok)


def dependents(tok: Token) -> list[tuple[str, str | None, Token]]:
    """(role, case, nominal) for each argument-like child of a trigger token."""
    out: list[tuple[str, str | None, Token]] = []
    for child in tok.children:
        dep = child.dep_
        if dep == "prep":  # ClearNLP: trigger -prep-> in -pobj-> Kabul
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    out.append(("obl" if tok.pos_ in ("VERB", "AUX") else "nmod", child.lemma_.lower(), pobj))
            continue
        if dep == "agent":  # ClearNLP: hit -agent-> by -pobj-> bomb
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.append(("agent", "by", pobj))
            continue
        if dep == "advmod" and child.pos_ == "ADV" and tok.pos_ in ("VERB", "AUX"):
            # "rencontre beaucoup d'opposition", "a reçu peu de soutien": an adverb of quantity
            # with a "de" complement is the object's determiner, the complement is the object
            for g in child.children:
                if g.dep_ in ("obl:arg", "obl", "nmod") and g.pos_ == "NOUN" and case_of(g) in ("de", "d'"):
                    out.append(("obj", None, g))
            continue
        role = ROLE_OF_LABEL.get(dep)
        if role is None:
            continue
        case = case_of(child)
        if role == "nmod" and tok.pos_ in ("VERB", "AUX"):
            role = "obl"
        if role in ("obl", "nmod") and case in ("par", "by"):
            role = "agent" if tok.pos_ in ("VERB", "AUX") or role == "nmod" else role
        if role == "obj" and case is not None:  # "pour cible" mis-tagged
            role = "obl"
        if role == "pass_subj" and _mislabelled_active(tok):
            role = "subj"
        out.append((role, case, child))
    return out
