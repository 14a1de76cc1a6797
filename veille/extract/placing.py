"""Where an act happened: the places of a trigger among the sentence's toponyms, seats of
power named for their government ("la Maison Blanche a déploré"), provinces read from their
context (the place rules of `EventExtractor`, kept apart from roles and modality).

`PlaceRules` is a mixin: it reads the extractor's state (`self.places`, `self._toponyms`,
`self.location_cases`, ...) set up by `EventExtractor.__init__` and `extract`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from veille.extract.lexicon import normalise_cached as _norm
from veille.models import MATERIAL_TYPES, Place
from veille.nlp import LEXICON_ROOT

__all__ = ["PlaceRules"]

_PERSON_LABELS = {"PER", "PERSON"}
# acts done where their target is, not where the government ordering them sits
_AWAY_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "AID", "RETREAT"}
_ADMIN_NOUNS = re.compile(
    r"\b(province|provinces|region|regions|gouvernorat|governorate|etat|state|county|comte|district|wilaya|"
    r"oblast|departement|canton|prefecture|territoire|territory|emirat|land)\b")


@lru_cache(maxsize=1)
def _seats() -> tuple[re.Pattern[str] | None, dict[str, tuple[str, str]]]:
    path = LEXICON_ROOT.parent / "data" / "seats.json"
    if not path.is_file():
        return None, {}
    raw = json.loads(path.read_text(encoding="utf-8"))["seats"]
    seats = {_norm(k): (v[0], v[1]) for k, v in raw.items()}
    names = sorted(raw, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    return pattern, seats


def _stated_coarse(text: str, place: Place, gazetteer: Any = None, context: str = "") -> bool:
    """Does the text itself name a country, region or administrative division?

    A town missing from the gazetteer resolves to its province (precision admin1) but is
    still a town: only a name that the gazetteer knows as that very division counts.
    """
    if place.precision in ("country", "region"):
        return True
    if place.precision not in ("admin1", "admin2"):
        return False
    if _norm(text) in {_norm(place.name), _norm(place.admin1 or "")}:
        return True
    if context and _ADMIN_NOUNS.search(_norm(context)):
        return True  # "la province de Babel", "Kaduna state"
    if gazetteer is not None and place.geonameid is not None:
        try:
            return any(e.geonameid == place.geonameid for e in gazetteer.lookup(text))
        except (AttributeError, TypeError):
            return False
    return False


def _tree_distance(a: Token, b: Token) -> int:
    """Number of edges between two tokens of the same sentence."""
    if a.i == b.i:
        return 0
    anc_a = [a] + list(a.ancestors)
    pos = {t.i: k for k, t in enumerate(anc_a)}
    steps = 0
    for t in [b] + list(b.ancestors):
        if t.i in pos:
            return pos[t.i] + steps
        steps += 1
    return 99


class PlaceRules:
    """Places of a trigger and seats of government (see the module docstring)."""

    def _names_government(self, tp: Any, root: Token, tok: Token, triggers: Sequence[Token]) -> bool:
        """A capital acting as its government is not the scene of what it does or decides:
        "Madrid a choisi la manière forte : confiscation du matériel électoral ...". A statement
        or a meeting it hosts may well be there, and acts it only reports or blames ("Bogota
        blames the group for the bombing") keep the place they are given."""
        if root in self._actor_heads_now and self._current_type in MATERIAL_TYPES - {"CONSULT"}:
            return True
        verb_i = self._acting_places.get(tp.start)
        if verb_i is None or self._current_type not in _AWAY_TYPES:
            return False
        verb = tok.doc[verb_i]
        return verb.i == tok.i or (verb.i not in {t.i for t in triggers} and verb in tok.ancestors)

    def _acting(self, doc: Doc, toponyms: list[Any]) -> dict[int, int]:
        """Start of each city name that is the subject of a verb -> that verb's token index."""
        out: dict[int, int] = {}
        for t in toponyms:
            if t.place is None or t.place.precision != "city":
                continue  # "Israel captured ...": a country acting is still where its acts may happen
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if root.dep_ in ("nsubj", "nsubj:pass", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
                out[t.start] = root.head.i
        return out

    def _with_seats(self, text: str, toponyms: list[Any]) -> list[Any]:
        """Seats of power as places: "la Maison Blanche a déploré" was said in Washington."""
        pattern, seats = _seats()
        if pattern is None or self.places is None:
            return toponyms
        gaz = getattr(self.places, "gaz", None)
        extra = []
        for m in pattern.finditer(text):
            city, iso3 = seats[_norm(m.group(0))]
            place = self._seat_place(gaz, city, iso3)
            if place is None:
                continue
            from veille.resolve.places import Toponym

            extra.append(Toponym(m.start(), m.end(), m.group(0), place, 0.6))
        if not extra:
            return toponyms
        kept = [t for t in toponyms if not any(e.start < t.end and t.start < e.end for e in extra)]
        return sorted(kept + extra, key=lambda t: t.start)

    @staticmethod
    @lru_cache(maxsize=64)
    def _seat_place_cached(gaz: Any, city: str, iso3: str) -> Place | None:
        from veille.resolve.places import place_from_entry

        cands = [e for e in gaz.lookup(city) if e.country3 == iso3 and e.kind == "city"]
        if not cands:
            return None
        best = max(cands, key=lambda e: e.population)
        return place_from_entry(best, confidence=0.6)

    def _seat_place(self, gaz: Any, city: str, iso3: str) -> Place | None:
        if gaz is None:
            return None
        try:
            return self._seat_place_cached(gaz, city, iso3)
        except (AttributeError, TypeError, ImportError):
            return None

    def _is_place_token(self, tok: Token, topo_tokens: list[tuple[Any, Token]]) -> bool:
        for tp, root in topo_tokens:
            if tp.start <= tok.idx < tp.end:
                return True
        return False

    def _is_seat_token(self, tok: Token, topo_tokens: list[tuple[Any, Token]]) -> bool:
        """A capital standing for its government ("Washington a exigé", "urged Tehran")."""
        seat = getattr(self.actors, "capital_country", None)
        if seat is None:
            return False
        for tp, root in topo_tokens:
            if tp.start <= tok.idx < tp.end:
                name = self._text[tp.start:tp.end]
                return _norm(name) in _seats()[1] or seat(name, self.language) is not None
        return False

    def _is_country_token(self, tok: Token, topo_tokens: list[tuple[Any, Token]]) -> bool:
        for tp, root in topo_tokens:
            if tp.start <= tok.idx < tp.end and tp.place is not None and tp.place.precision == "country":
                return True
        return False

    def _places_for(self, tok: Token, sent: Span, topo_tokens: list[tuple[Any, Token]],
                    arg_spans: list[tuple[int, int]], triggers: list[Token],
                    place_from_target: list[Token]) -> list[tuple[Place | None, str | None, bool, bool]]:
        """Places for one trigger: closest in the tree (conjoined places split the event).

        A toponym that only modifies a participant ("les convois des États-Unis", "la
        souveraineté en Irak") ranks after those that locate the act ("attaqué à Goma").
        """
        topo_tokens = [(self._admin_reading(tp), root) for tp, root in topo_tokens]
        topo_tokens = topo_tokens + self._unknown_toponyms(tok, sent, topo_tokens)
        cands = []
        for tp, root in topo_tokens:
            if self._names_government(tp, root, tok, triggers) or self._attributed(root):
                continue  # ("selon le Pentagone", "according to Moscow": who says it, not where)
            inside_arg = any(lo <= tp.start and tp.end <= hi for lo, hi in arg_spans)
            if inside_arg and root not in place_from_target and tp.place.precision not in ("city", "admin2"):
                continue  # "secrétaire du Conseil de sécurité de la fédération de Russie"
            d = _tree_distance(tok, root)
            best = min(triggers, key=lambda t: (_tree_distance(t, root), 0 if t.i < root.i else 1, abs(t.i - root.i)))
            mine = best.i == tok.i
            penalty = 1.0 if (self._modifies_participant(root, tok, triggers) or inside_arg) and root not in place_from_target else 0.0
            if penalty and any(_norm(c.text) in ("de", "du", "des", "d'", "of") for c in root.children if c.dep_ == "case"):
                penalty += 0.5  # "les convois des États-Unis": a possessor, least likely the scene
            cands.append((penalty, d, mine, tp, root))
        if not cands:
            return [(None, None, False, False)]
        top = min(c[0] for c in cands)
        seat = [c for c in cands if c[3].confidence == 0.6 and c[3].place is not None and c[3].place.precision == "city"
                and any(lo <= c[3].start and c[3].end <= hi for lo, hi in arg_spans[:1])]
        if top >= 1 and seat and self._current_type not in MATERIAL_TYPES:
            c = seat[0]
            return [(c[3].place, c[3].text, False, True)]  # "la Maison Blanche a déploré": said in Washington
        if top >= 1 and tok.pos_ == "VERB" and self._current_type not in MATERIAL_TYPES:
            # a statement's only place describes its topic ("la souveraineté en Irak"), not where it was made
            return [(None, None, False, False)]
        cands = [c for c in cands if c[0] == top]
        mine = [c for c in cands if c[2]]
        pool = mine or [c for c in cands if c[1] <= 4]
        linked = bool(mine) and top == 0
        if not pool:
            pool = cands
            linked = False
        rank = {"city": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4}
        coarse: dict[int, bool] = {}

        def stated(c: tuple[Any, ...]) -> bool:  # one gazetteer look-up per toponym
            key = c[3].start
            if key not in coarse:
                coarse[key] = _stated_coarse(c[3].text, c[3].place, self._gaz, self._admin_context(c[3]))
            return coarse[key]

        pool.sort(key=lambda c: (rank.get(c[3].place.precision, 5) if stated(c) else 0, c[1]))
        best = pool[0]
        if stated(best):
            # "à Tessalit, dans la région de Kidal": the province locates the town, the town is the scene
            inside = [c for c in cands if c is not best and c[3].place.precision == "city"
                      and c[3].place.country == best[3].place.country
                      and (best[3].place.precision == "country" or _norm(c[3].place.admin1) == _norm(best[3].place.admin1)
                           or _norm(c[3].place.admin1) == _norm(best[3].place.name))]
            if inside:
                best = min(inside, key=lambda c: (c[0], c[1]))
        chosen = [best]
        for c in pool[1:]:  # enumeration: "à Goma, Bunia et Beni"
            if c[4].dep_ == "conj" and (c[4].head == best[4] or c[4].head.head == best[4]):
                chosen.append(c)
        return [(c[3].place, c[3].text, stated(c), linked) for c in chosen]

    def _admin_reading(self, tp: Any) -> Any:
        """"la région de Kidal", "Kaduna state": the division, not the homonymous town; and
        "à Gao": the town, not the homonymous division (French "à" introduces towns)."""
        pl = tp.place
        if pl is None or self._gaz is None:
            return tp
        if pl.precision in ("admin1", "admin2") and _norm(self._text[max(0, tp.start - 3):tp.start]).strip() in ("a", "au"):
            try:
                from veille.resolve.places import place_from_entry

                towns = [e for e in self._gaz.lookup(tp.text) if e.kind == "city" and e.country3 == pl.country]
                if towns:
                    best = max(towns, key=lambda e: e.population)
                    return type(tp)(tp.start, tp.end, tp.text, place_from_entry(best, confidence=pl.confidence), tp.confidence)
            except (AttributeError, ImportError, TypeError):
                return tp
            return tp
        if pl.precision != "city":
            return tp
        ctx = self._admin_context(tp)
        if not ctx or not _ADMIN_NOUNS.search(_norm(ctx)):
            return tp
        try:
            from veille.resolve.places import place_from_entry

            for e in self._gaz.lookup(tp.text):
                if e.kind in ("admin1", "admin2") and e.country3 == pl.country:
                    return type(tp)(tp.start, tp.end, tp.text, place_from_entry(e, confidence=pl.confidence), tp.confidence)
        except (AttributeError, ImportError, TypeError):
            return tp
        return tp

    def _admin_context(self, tp: Any) -> str:
        """The words right around a toponym, where "province de" / "state" would stand."""
        text = self._text
        before = text[max(0, tp.start - 20):tp.start]
        after = text[tp.end:tp.end + 12]
        before = before.split(",")[-1].split(".")[-1]
        after = after.split(",")[0].split(".")[0]
        return before + " " + after

    def _modifies_participant(self, root: Token, trigger: Token, triggers: Sequence[Token] = ()) -> bool:
        """Is the toponym attached to a noun other than the trigger (a possessor/attribute)?"""
        head = root
        steps = 0
        while head.dep_ in ("flat:name", "flat", "compound", "appos", "conj", "fixed") and head.head != head and steps < 4:
            head = head.head
            steps += 1
        gov = head.head
        if gov == head or gov.i == trigger.i or any(gov.i == t.i for t in triggers) or gov.i in self._covered_now:
            return False  # "en visite à Moscou, X a rencontré": the place of a co-event
        if head.dep_ in ("nmod", "pobj", "amod") and gov.pos_ in ("NOUN",) and _norm(gov.lemma_) not in self.place_nouns:
            if gov.dep_ == "prep":
                return False
            return True
        if head.dep_ == "pobj" and gov.dep_ == "prep" and gov.head.pos_ == "NOUN" and gov.head.i != trigger.i and _norm(gov.head.lemma_) not in self.place_nouns:
            return True
        return False

    def _unknown_toponyms(self, tok: Token, sent: Span, known: list[tuple[Any, Token]]) -> list[tuple[Any, Token]]:
        """Capitalised names the gazetteer missed, attached to the trigger as a location.

        "attaqué à X", "en traversant X": X goes to the place resolver with the article's
        toponyms as context (an unknown town in a known province resolves to the province).
        """
        if self.places is None or not hasattr(self.places, "resolve"):
            return []
        out: list[tuple[Any, Token]] = []
        known_idx = {r.i for _, r in known}
        frontier = [tok] + [c for c in tok.children if c.pos_ in ("VERB",) and c.dep_ in ("advcl", "ccomp", "xcomp")]
        if self._current_type in MATERIAL_TYPES:
            # "attacked a post in X": where the target stood is where the act happened
            frontier += [c for c in tok.children if c.dep_ in ("obj", "dobj", "nsubj:pass", "nsubjpass") and c.pos_ == "NOUN"]
        for gov in frontier:
            for child in gov.children:
                if child.dep_ == "prep" and _norm(child.text) in self.location_cases:
                    # ClearNLP: post -prep-> in -pobj-> X
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if pobj is None:
                        continue
                    child, case, motion = pobj, _norm(child.text), False
                else:
                    case = None
                    for c in child.children:
                        if c.dep_ == "case":
                            case = _norm(c.text)
                    motion = gov is not tok and gov.pos_ == "VERB" and child.dep_ in ("obj", "dobj")
                    if not (motion or (case is not None and case in self.location_cases and child.dep_.startswith(("obl", "nmod")))):
                        continue
                if child.i in known_idx or child.i == sent.start or not child.text[:1].isupper():
                    continue
                if child.ent_type_ in ("ORG", "NORP", "DATE", "TIME") or (child.ent_type_ in _PERSON_LABELS and case is None):
                    continue  # a person named after a locative preposition is still a place ("à Hilla")
                lo, hi = child.idx, child.idx + len(child.text)
                for t in child.subtree:
                    if t.dep_ != "case" and t.i >= child.i:
                        hi = max(hi, t.idx + len(t.text))
                name = self._text[lo:hi]
                if len(name) > 40:
                    continue
                place = self.places.resolve(name, context=self._toponyms, sentence=sent.text, language=self.language)
                if place is None:
                    continue
                from veille.resolve.places import Toponym

                out.append((Toponym(lo, hi, name, place, min(0.5, getattr(place, "confidence", 0.5))), child))
        return out
