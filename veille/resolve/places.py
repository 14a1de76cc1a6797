"""Toponym recognition and resolution against the offline gazetteer (a standalone geoparser).

Recognition joins NER spans with gazetteer matching under filters (capitalisation, stop lists,
person spans, locative cues). Resolution scores every candidate with evidence: population and
feature prior, the article's country votes, admin hierarchy mentions ("Najaf, chef-lieu de la
province de Nadjaf", "Springfield, Illinois"), proximity to other places. A name the gazetteer
lacks, or whose only readings lie far from the article's country, resolves to the division that
its sentence or context names (precision admin1), never to invented coordinates.
"""
from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from veille.models import Place
from veille.resolve.gazetteer import GazEntry, Gazetteer, normalize_name

__all__ = [
    "Toponym",
    "PlaceResolver",
    "attach_event_place",
    "place_from_entry",
    "haversine_km",
    "split_sentences",
]

_LEX = Path(__file__).resolve().parents[1] / "lexicons"
_LOC_LABELS = {"LOC", "GPE", "FAC"}
_PER_LABELS = {"PER", "PERSON"}
_OTHER_LABELS = {"ORG", "MISC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}


@dataclass(frozen=True)
class Toponym:
    """A place name in a text: char span, its resolution (None if unresolved) and a confidence."""

    start: int
    end: int
    text: str
    place: Place | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text,
                "place": self.place.to_dict() if self.place else None,
                "confidence": round(self.confidence, 3)}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _fold(name: str) -> str:
    """"Dhī Qār" -> "Dhi Qar" for Latin names; other scripts are kept."""
    base = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return base if base.isascii() else name


def place_from_entry(e: GazEntry, confidence: float = 1.0, precision: str | None = None) -> Place:
    return Place(
        name=_fold(e.name), geonameid=e.geonameid if e.geonameid > 0 else None, lat=e.lat, lon=e.lon,
        country=e.country3, admin1=_fold(e.admin1) if e.admin1 else None,
        precision=precision or e.precision, confidence=round(confidence, 3), feature=e.feature,
    )


@functools.lru_cache(maxsize=8)
def _lexicon(language: str) -> dict[str, Any]:
    lang = language if (_LEX / language / "admin_words.json").exists() else "en"
    words = json.loads((_LEX / lang / "admin_words.json").read_text(encoding="utf-8"))
    stops: set[str] = set()
    for lg in {lang, "en"}:
        p = _LEX / lg / "place_stopwords.txt"
        if p.exists():
            stops |= {normalize_name(w) for w in p.read_text(encoding="utf-8").splitlines()
                      if w.strip() and not w.startswith("#")}
    words["stopwords"] = stops
    words["connectors_set"] = {normalize_name(w) for w in words.get("connectors", [])}
    words["admin_nouns"] = {normalize_name(w): lvl for lvl in ("admin1", "admin2") for w in words.get(lvl, [])}
    before = sorted(words.get("before_name", []), key=len, reverse=True)
    words["before_re"] = re.compile(
        r"(?i)\b(?:" + "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in before) + r")\s*([^\W\d_][\w'’\-]*(?:\s+[A-ZÀ-Ý][\w'’\-]*){0,2})")
    after = sorted(words.get("after_name", []), key=len, reverse=True)
    words["after_re"] = re.compile(
        r"\b([A-ZÀ-Ý][\w'’\-]*(?:\s+[A-ZÀ-Ý][\w'’\-]*){0,2})\s+(?:" + "|".join(re.escape(a) for a in after) + r")\b", re.I)
    words["locative_set"] = {normalize_name(w) for w in words.get("locative", [])}
    words["admin1_after_set"] = {normalize_name(w) for w in words.get("admin1_after", [])}
    words["facility_set"] = {normalize_name(w) for w in words.get("facility_words", [])}
    words["direction_set"] = {normalize_name(w) for w in words.get("directions", [])} - {"outside", "near", "outskirts"}
    words["place_noun_set"] = {normalize_name(w) for w in words.get("place_nouns", [])}
    words["plural_admin"] = {normalize_name(w): lvl for lvl in ("admin1", "admin2")
                             for w in words.get(lvl + "_plural", [])}
    words["currency_votes"] = {sign: (cc, float(w)) for sign, (cc, w) in words.get("currency_votes", {}).items()}
    return words


_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_](?:[\w’'\-]*[^\W_])?")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans: newlines and [.!?] before a capital (not after short dotted abbreviations)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"\n+|(?<=[.!?…])[\"»”]?\s+(?=[«\"“A-ZÀ-Ý0-9])", text):
        prev = text[max(start, m.start() - 5):m.start()]
        if m.group().strip() == "" and "\n" not in m.group() and re.search(r"(?:\b[A-Z][a-z]?|(?:[A-Z]\.){1,3})\.$", prev):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass
class _Span:
    start: int
    end: int
    text: str
    cands: list[GazEntry]
    label: str | None = None
    sent: int = 0
    fuzzy: bool = False
    chosen: GazEntry | None = None
    score: float = 0.0
    conf: float = 0.0
    fallback: Place | None = None
    votes: Counter[str] = field(default_factory=Counter)
    cue: bool = True  # may fall back to the division named by the context (False: no locative cue)
    scores: list[float] = field(default_factory=list)
    hint: str | None = None  # "admin1" when the words after the name make it a division ("New York Gov.")
    ctx: bool = False  # a place found in the text around the given spans: context only, not returned


class PlaceResolver:
    """Geoparser over a `Gazetteer` (injected; `None` -> `Gazetteer.default()`)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or Gazetteer.default()

    # ------------------------------------------------------------------ public API
    def geoparse(self, text: str, language: str, ents: Sequence[tuple[int, int, str]] = ()) -> list[Toponym]:
        """All toponyms of an article, with char offsets into `text`, resolved with article context."""
        spans = self._recognize(text, language, ents)
        return self._resolve_spans(text, language, spans)

    def resolve_spans(self, text: str, language: str, spans: Sequence[tuple[int, int]]) -> list[Toponym]:
        """Resolve given toponym spans (e.g. gold spans) with the same article-level evidence."""
        sents = split_sentences(text)
        items = []
        for s, e in spans:
            surface = text[s:e]
            items.append(self._make_span(s, e, surface, None, sents, allow_weak=True))
        # the places the rest of the text names (a town in an organisation's name, a country in a
        # possessive) are evidence too, though not returned
        for sp in self._recognize(text, language, ()):
            if self._plain_mention(sp) and not any(a < sp.end and sp.start < b for a, b in spans):
                sp.ctx = True
                items.append(sp)
        items.sort(key=lambda sp: sp.start)
        return [t for sp, t in zip(items, self._resolve_spans(text, language, items, fill=True)) if not sp.ctx]

    def resolve(self, name: str, *, context: Sequence[Toponym] = (), country: str | None = None,
                sentence: str | None = None, language: str = "en") -> Place | None:
        """Resolve one name given the article's toponyms as context (and optionally its sentence)."""
        sp = self._make_span(0, len(name), name, None, [(0, len(name))], allow_weak=True)
        votes = self._votes_from_places([t.place for t in context if t.place], extra_country=country)
        admin1s = {p.admin1 for t in context if (p := t.place) and p.admin1}
        anchors = [(p.lat, p.lon) for t in context if (p := t.place) and p.lat is not None and p.precision == "city"]
        self._score(sp, votes, admin1_names={normalize_name(a) for a in admin1s}, sent_admin1=set(), anchors=anchors,
                    language=language)
        fb_sentence = sentence or ""
        province = self._province_from_text(fb_sentence, language, votes) or self._province_from_context(context, votes)
        return self._final_place(sp, votes, province)

    def focus(self, toponyms: Sequence[Toponym]) -> Place | None:
        """The article's focus: the country most mentioned (weighted by confidence)."""
        votes: Counter[str] = Counter()
        for t in toponyms:
            if t.place and t.place.country:
                votes[t.place.country] += max(t.confidence, 0.1)
        if not votes:
            return None
        iso3 = votes.most_common(1)[0][0]
        for e in self.gaz.countries.values():
            if e.country3 == iso3:
                return place_from_entry(e, confidence=votes[iso3] / sum(votes.values()))
        return None

    # ------------------------------------------------------------------ recognition
    @staticmethod
    def _plain_mention(sp: _Span) -> bool:
        """A name found without NER that is safe as context: a country by name (or a 3-letter code), a
        city of 100,000 or more or a first-level division by its own name, not written in capitals."""
        bare = sp.text.replace(".", "").strip()
        for c in sp.cands:
            if c.kind == "country" and (c.match in ("name", "alt") or (c.match == "abbr" and len(bare) >= 3)):
                return True
            if c.kind in ("city", "admin1") and c.match == "name" and c.population >= 100_000 and not bare.isupper():
                return True
        return False

    def _make_span(self, s: int, e: int, surface: str, label: str | None, sents: list[tuple[int, int]],
                   allow_weak: bool) -> _Span:
        clean = re.sub(r"(?:['’]s|['’])$", "", surface.strip())
        clean = re.sub(r"(?i)^(?:(?:the|la|le|les)\s+|l['’]\s*)", "", clean) or clean
        cands = self.gaz.lookup(clean)
        fuzzy = False
        if not cands and allow_weak:
            cands = self.gaz.lookup_fuzzy(clean)
            fuzzy = bool(cands)
        sent = next((i for i, (a, b) in enumerate(sents) if a <= s < b), 0)
        return _Span(s, e, surface, list(cands), label, sent, fuzzy)

    def _recognize(self, text: str, language: str, ents: Sequence[tuple[int, int, str]]) -> list[_Span]:
        lex = _lexicon(language)
        sents = split_sentences(text)
        sent_starts = {a for a, _ in sents}
        out: list[_Span] = []
        loc_ents = [(s, e, lab) for s, e, lab in ents if lab in _LOC_LABELS]
        cleaned = []
        for s, e, lab in loc_ents:
            seg = re.split(r"[\n•·|]+", text[s:e])[-1]
            s2 = e - len(seg)
            s2 += len(seg) - len(seg.lstrip())
            if e > s2 and text[s2:e].strip():
                cleaned.append((s2, e, lab))
        for s, e, lab in cleaned:
            sp = self._make_span(s, e, text[s:e], lab, sents, allow_weak=True)
            sp.cue = self._locative_before(text, s, lex)
            if " " not in sp.text.strip() and normalize_name(sp.text) in lex["stopwords"]:
                sp.cands = []
            out.append(sp)
        taken = [(s, e) for s, e, _ in cleaned]
        tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
        i = 0
        while i < len(tokens):
            ts, te = tokens[i]
            if not text[ts].isupper() or any(a <= ts < b for a, b in taken):
                i += 1
                continue
            hit = None
            for n in range(min(6, len(tokens) - i), 0, -1):
                js, je = tokens[i + n - 1]
                if not text[js].isupper() and not text[js].isdigit():
                    continue
                if any(a < je and ts < b for a, b in taken):
                    continue
                inner = tokens[i:i + n]
                if any(not re.fullmatch(r"[\s\-]*", text[a_end:b_start]) for (_, a_end), (b_start, _) in zip(inner, inner[1:])):
                    continue
                if any(not text[a].isupper() and normalize_name(text[a:b]) not in lex["connectors_set"] for a, b in inner[1:-1]):
                    continue
                surface = text[ts:je]
                if je < len(text) and text[je] == "." and n == 1 and len(surface) <= 5:
                    dotted = self.gaz.lookup(surface + ".")
                    if dotted and any(c.match == "abbr" for c in dotted):
                        surface, je = surface + ".", je + 1
                cands = self.gaz.lookup(surface)
                if cands:
                    hit = self._make_span(ts, je, surface, None, sents, allow_weak=False)
                    hit.cands = list(cands)
                    break
            if hit is None:
                i += 1
                continue
            label = next((lab for s, e, lab in ents if s <= hit.start and hit.end <= e), None)
            outer = next(((s, e) for s, e, lab in ents if s <= hit.start and hit.end <= e), None)
            if self._accept(text, hit, label, outer, lex, sent_starts):
                hit.label = label
                out.append(hit)
                taken.append((hit.start, hit.end))
            i += max(1, sum(1 for a, _ in tokens[i:] if a < hit.end))
        out.sort(key=lambda sp: sp.start)
        return out

    def _accept(self, text: str, sp: _Span, label: str | None, outer: tuple[int, int] | None,
                lex: dict[str, Any], sent_starts: set[int]) -> bool:
        surface = sp.text
        key = normalize_name(surface)
        upper = surface.replace(".", "").isupper()
        usable = [c for c in sp.cands if c.match in ("name", "alt") or (c.match == "abbr" and (upper or "." in surface))]
        if not usable:
            return False
        if key in lex["stopwords"] and not upper:
            return False
        if upper and len(surface.replace(".", "")) <= 3 and not any(c.match == "abbr" or c.kind in ("country", "admin1") for c in usable):
            return False
        best = max(usable, key=_prior)
        score = 0.1 + 0.6 * _prior(best)
        if " " in surface.strip() or "-" in surface:
            score += 0.1
        if label in _PER_LABELS and not self._locative_before(text, sp.start, lex):
            score -= 0.2  # a person name, unless a locative preposition says otherwise ("à Hilla", "in Tessalit")
        elif label in _OTHER_LABELS:
            score -= 0.15
        if outer and (outer[0] < sp.start or sp.end < outer[1]):
            score -= 0.25
        if self._locative_before(text, sp.start, lex):
            sp.cue = True
            score += 0.3
        elif self._admin_around(text, sp, lex):
            # "the Kidal region", "la province de Babil": a division named as such
            sp.cue = True
            score += 0.3
        if sp.start in sent_starts or sp.start == 0:
            score -= 0.15
        after = text[sp.end:sp.end + 40]
        if after.startswith(",") and sp.end + 2 < len(text) and text[sp.end + 2:sp.end + 3].isupper():
            score += 0.1
        tail = normalize_name(after.lstrip(", "))
        if after.startswith(",") and any(tail.startswith(normalize_name(w) + " ") for w in lex.get("seat_of", []) if len(w) > 3):
            score += 0.2
        return score >= 0.5

    @staticmethod
    def _admin_around(text: str, sp: _Span, lex: dict[str, Any]) -> bool:
        after = text[sp.end:sp.end + 20].split()
        before = text[max(0, sp.start - 30):sp.start].split()
        nouns = lex["admin_nouns"]
        if after and normalize_name(after[0].strip(",.;")) in nouns:
            return True
        return len(before) >= 2 and normalize_name(before[-2]) in nouns and normalize_name(before[-1]) in ("de", "d", "du", "of")

    @staticmethod
    def _admin_level_around(text: str, sp: _Span, lex: dict[str, Any]) -> str | None:
        """The division level a noun right around the name gives it ("X province", "province of X")."""
        after = text[sp.end:sp.end + 20].split()
        before = text[max(0, sp.start - 30):sp.start].split()
        nouns = lex["admin_nouns"]
        if after and normalize_name(after[0].strip(",.;")) in nouns:
            return nouns[normalize_name(after[0].strip(",.;"))]
        if len(before) >= 2 and normalize_name(before[-1]) in ("de", "d", "du", "of"):
            return nouns.get(normalize_name(before[-2]))
        return None

    @staticmethod
    def _locative_before(text: str, start: int, lex: dict[str, Any]) -> bool:
        before = text[max(0, start - 25):start].split()
        return bool(before) and normalize_name(before[-1]) in lex["locative_set"]

    # ------------------------------------------------------------------ resolution
    def _resolve_spans(self, text: str, language: str, spans: list[_Span], fill: bool = False) -> list[Toponym]:
        sents = split_sentences(text)
        keys = [normalize_name(sp.text) for sp in spans]
        phrase_admin1: dict[int, set[str]] = defaultdict(set)
        for k, (a, b) in enumerate(sents):
            for nm in self._admin_phrases(text[a:b], language):
                phrase_admin1[k].add(normalize_name(nm))
        asserted: list[set[str]] = [
            set() if sp.ctx else {normalize_name(c.name) for c in sp.cands if c.kind == "admin1" and c.match != "fuzzy"}
            for sp in spans]
        anchors: list[tuple[int, tuple[float, float]]] = []
        areas: list[tuple[int, str]] = []  # (span index, admin1 code) of confidently placed towns
        lex = _lexicon(language)
        for sp in spans:
            after = normalize_name(text[sp.end:sp.end + 30])
            if any(after == w or after.startswith(w + " ") for w in lex["admin1_after_set"]):
                sp.hint = "admin1"
            elif self._admin_level_around(text, sp, lex) == "admin1":
                sp.hint = "admin1"  # "the province of Aleppo", "Kidal region"
        self._list_hints(text, spans, lex)
        contrib = [Counter() if sp.ctx else self._votes([sp]) for sp in spans]
        doc_votes = self._text_votes(text, lex)
        coherence: dict[int, dict[GazEntry, float]] = {}
        for _round in range(2):
            total: Counter[str] = Counter()
            for c in contrib:
                total.update(c)
            for idx, sp in enumerate(spans):
                votes = Counter(total)
                for j, other in enumerate(spans):
                    if keys[j] == keys[idx]:
                        votes.subtract(contrib[j])
                votes = +votes
                for cc, w in doc_votes.items():
                    votes[cc] += w
                article = set().union(*(asserted[j] for j in range(len(spans)) if keys[j] != keys[idx]), *phrase_admin1.values())
                local = set(phrase_admin1.get(sp.sent, set())).union(
                    *(asserted[j] for j in range(len(spans)) if keys[j] != keys[idx] and spans[j].sent == sp.sent))
                nxt = spans[idx + 1] if idx + 1 < len(spans) else None  # a context name said beside it counts too
                adjacent: set[str] = set()
                if nxt and text[sp.end:nxt.start].strip() in (",", "(") and nxt.start - sp.end <= 3:
                    adjacent = {normalize_name(c.name) for c in nxt.cands if c.kind == "admin1"}
                    local |= adjacent
                own_anchors = [a for j, a in anchors if keys[j] != keys[idx]]
                own_areas = {code for j, code in areas if keys[j] != keys[idx]}
                self._score(sp, votes, admin1_names=article, sent_admin1=local, anchors=own_anchors, language=language,
                            areas=own_areas, adjacent=adjacent, coherence=coherence.get(idx))
                sp.votes = votes
            real = [(j, sp) for j, sp in enumerate(spans) if not sp.ctx]
            anchors = [(j, (sp.chosen.lat, sp.chosen.lon)) for j, sp in real
                       if sp.chosen and sp.chosen.lat is not None and sp.chosen.kind in ("city", "admin2", "admin1") and sp.conf >= 0.6]
            areas = [(j, sp.chosen.admin1_code) for j, sp in real
                     if sp.chosen and sp.chosen.kind in ("city", "admin2") and sp.chosen.admin1_code and sp.conf >= 0.6]
            contrib = [Counter() if sp.ctx else self._votes([sp], resolved=True) for sp in spans]
            for j, sp in real:
                c = sp.chosen
                if c is not None and sp.conf >= 0.6 and c.kind in ("city", "admin2") and c.admin1:
                    asserted[j] = asserted[j] | {normalize_name(c.admin1)}
            coherence = self._coherence(spans, keys)
        for sp in spans:
            if sp.chosen is not None and self._directional(sp, lex) and not sp.votes.get(sp.chosen.country or "", 0):
                sp.chosen, sp.cands, sp.scores = None, [], []  # the "West Coast" of a country the article never names
        out: list[Toponym] = []
        for sp in spans:
            a, b = sents[sp.sent] if sents else (0, len(text))
            votes = sp.votes
            province = self._province_from_text(text[a:b], language, votes)
            if province is None:
                province = self._province_near(spans, sp, votes)
            place = self._final_place(sp, votes, province)
            part = self._country_part(sp, lex)
            if part is not None and (sp.chosen is None or (
                    sp.chosen.kind == "city" and sp.chosen.population < 100_000 and sp.chosen.country3 != part.country3)):
                place = place_from_entry(part, confidence=0.6)  # "South Lebanon": a part of Lebanon, not Ohio's town
            out.append(Toponym(sp.start, sp.end, sp.text, place, place.confidence if place else 0.0))
        if fill:
            out = self._fill_unplaced(text, language, spans, out)
        return out

    def _country_part(self, sp: _Span, lex: dict[str, Any]) -> GazEntry | None:
        """The country a compass word qualifies ("South Lebanon", "Sud-Liban", "northern Mali"),
        or None when the name is not a compass word and a country's name."""
        words = [w for w in re.split(r"[\s\-‐]+", normalize_name(re.sub(r"(?i)^the\s+", "", sp.text))) if w]
        dirs = lex["direction_set"]
        if len(words) < 2 or not _compass(words[0], dirs):
            return None
        return next((e for e in self.gaz.lookup(" ".join(words[1:])) if e.kind == "country"), None)

    @staticmethod
    def _directional(sp: _Span, lex: dict[str, Any]) -> bool:
        """A compass word and a generic place noun ("West Coast", "the north region"): a part of some
        country, named like a division only in some gazetteer."""
        words = normalize_name(re.sub(r"(?i)^the\s+", "", sp.text)).split()
        dirs = lex["direction_set"]
        return len(words) == 2 and _compass(words[0], dirs) and words[1] in lex["place_noun_set"]

    @staticmethod
    def _list_hints(text: str, spans: Sequence[_Span], lex: dict[str, Any]) -> None:
        """Names listed before a plural division noun are divisions of that level: "in Lake, Cook and
        Will counties", "the Kandahar and Helmand provinces"."""
        plural: dict[str, str] = lex["plural_admin"]
        if not plural:
            return
        real = [sp for sp in spans if not sp.ctx]
        for k, sp in enumerate(real):
            m = re.match(r"\s+([^\W\d_]+)", text[sp.end:sp.end + 30])
            if not m or normalize_name(m.group(1)) not in plural:
                continue
            level = plural[normalize_name(m.group(1))]
            sp.hint = sp.hint or level
            j = k
            while j > 0 and re.fullmatch(r"\s*(?:,|,?\s*(?:and|or|&|et|ou))\s*", text[real[j - 1].end:real[j].start]):
                real[j - 1].hint = real[j - 1].hint or level
                j -= 1

    @staticmethod
    def _text_votes(text: str, lex: dict[str, Any]) -> Counter[str]:
        """Weak country evidence from the text itself: amounts in a currency only one country writes
        bare ("$5 million" in an English paper is US dollars; "A$", "C$" are written out)."""
        votes: Counter[str] = Counter()
        for sign, (cc, weight) in lex["currency_votes"].items():
            pat = r"(?<![A-Za-z$])" + re.escape(sign) + r"\s?\d"
            if re.search(pat, text):
                votes[cc] += weight
        return votes

    @staticmethod
    def _affinity(c: GazEntry, d: GazEntry) -> float:
        """How much two readings of two names support each other: a county and a town inside it, two
        towns of one county, two places a short drive apart."""
        if c.country != d.country or c.lat is None or d.lat is None or c.kind not in ("city", "admin2") \
                or d.kind not in ("city", "admin2") or c.geonameid == d.geonameid:
            return 0.0
        if c.admin1_code and c.admin1_code == d.admin1_code and c.admin2 and c.admin2 == d.admin2:
            return 1.0 if c.kind != d.kind else 0.6
        return 0.6 * math.exp(-haversine_km(c.lat, c.lon, d.lat, d.lon) / 50.0)

    def _coherence(self, spans: Sequence[_Span], keys: Sequence[str], top: int = 10) -> dict[int, dict[GazEntry, float]]:
        """Joint evidence for ambiguous local names: each town or county reading gets the support of the
        other names' plausible readings near it (weighted by how plausible they are now)."""
        plaus: list[list[tuple[GazEntry, float]]] = []
        for sp in spans:
            if sp.ctx or not sp.scores:
                plaus.append([])
                continue
            best = max(sp.scores)
            ranked = sorted(zip(sp.scores, range(len(sp.cands))), reverse=True)[:top]
            plaus.append([(sp.cands[k], math.exp((sc - best) / 0.15)) for sc, k in ranked
                          if sp.cands[k].kind in ("city", "admin2") and sp.cands[k].match != "fuzzy"])
        out: dict[int, dict[GazEntry, float]] = {}
        for i, sp in enumerate(spans):
            if not plaus[i] or len(sp.cands) < 2 or any(c.kind == "admin1" and c.match == "name" for c in sp.cands):
                continue  # a name that is also a division's ("New York") is left to the division rules
            seen: set[str] = set()
            support: dict[GazEntry, float] = {}
            for j, other in enumerate(spans):
                if j == i or not plaus[j] or keys[j] == keys[i] or keys[j] in seen:
                    continue
                seen.add(keys[j])
                for c, _ in plaus[i]:
                    best = max((p * self._affinity(c, d) for d, p in plaus[j]), default=0.0)
                    if best > 0.05:
                        support[c] = support.get(c, 0.0) + best
            if support:
                out[i] = support
        return out

    def _fill_unplaced(self, text: str, language: str, spans: Sequence[_Span], out: list[Toponym]) -> list[Toponym]:
        """Given spans the gazetteer cannot place ("Pearson International Airport", "Faubourg X") get the
        place their context names: the place in "Toronto's ...", a known town opening the name
        ("Montreal-Pierre Elliott Trudeau International Airport"), a town the rest of a landmark's name
        names near the article's places ("Lake Springfield"), a confidently placed town of the same
        sentence, the article's dominant town, the nearest placed town of the 2 sentences around, else
        the article's main country. A landmark name ("Union Square") that the gazetteer only knows as a
        small town far from every other place of the article is placed the same way. Low confidence;
        the mentions of one name share the best-evidenced fill."""
        lex = _lexicon(language)
        sure = [(sp, t) for sp, t in zip(spans, out) if t.place is not None and t.confidence >= 0.5
                and t.place.precision in ("city", "admin2", "admin1") and t.place.lat is not None]
        suspect = {id(sp) for sp, t in zip(spans, out) if self._landmark_homonym(sp, t, sure, lex)}
        sure = [(sp, t) for sp, t in sure if id(sp) not in suspect]
        placed = [(sp, t) for sp, t in zip(spans, out) if t.place is not None and id(sp) not in suspect
                  and t.place.precision in ("city", "admin2", "admin1") and (not sp.ctx or t.confidence >= 0.5)]
        by_key: dict[str, Place] = {}
        for sp, t in placed:
            by_key.setdefault(normalize_name(sp.text), t.place)  # type: ignore[arg-type]
        owners = dict(by_key)  # "the USA's West Coast": a country may own a place too
        for sp, t in zip(spans, out):
            if t.place is not None and t.place.precision == "country" and t.confidence >= 0.5 and sp.chosen is not None:
                owners.setdefault(normalize_name(sp.text), t.place)
        weight: dict[int, float] = defaultdict(float)
        city_of: dict[int, Place] = {}
        for _sp, t in sure:
            p = t.place
            if p is not None and p.precision == "city" and p.geonameid:
                weight[p.geonameid] += t.confidence
                city_of[p.geonameid] = p
        focus = self.focus([t for sp, t in zip(spans, out) if not sp.ctx])
        dominant = city_of[max(weight, key=lambda g: weight[g])] if weight else None
        if dominant is not None and focus is not None and dominant.country != focus.country:
            dominant = None  # the article is about a country, not about this town
        fills: list[tuple[int, Place] | None] = []
        for sp, t in zip(spans, out):
            words = normalize_name(sp.text).split()
            facility = len(words) > 1 and words[-1] in lex["facility_set"] and not any(
                c.match in ("name", "alt") for c in sp.cands)
            if sp.ctx or (t.place is not None and not facility and id(sp) not in suspect):
                fills.append(None)
                continue
            found: tuple[int, Place] | None = None
            m = re.search(r"([A-ZÀ-Ý][\w.\-]*(?:\s+[A-ZÀ-Ý][\w.\-]*){0,2})['’]s\s+$", text[max(0, sp.start - 40):sp.start])
            if m and normalize_name(m.group(1)) in owners:
                found = (5, owners[normalize_name(m.group(1))])
            if found is None:
                toks = re.findall(r"[^\W\d_][\w'’]*", sp.text)
                for k in range(len(toks) - 1, 0, -1):
                    head = normalize_name(" ".join(toks[:k]))
                    if head in by_key:
                        found = (4, by_key[head])
                        break
            if found is None:
                town = self._landmark_town(sp, sure, lex)
                if town is not None:
                    found = (4, town)
            if found is None:
                same = [(abs(sp.start - o.start), tp.place) for o, tp in sure
                        if o.sent == sp.sent and tp.place is not None and tp.place.precision == "city"]
                if same:
                    found = (3, min(same, key=lambda x: x[0])[1])
            if found is None and dominant is not None:
                found = (2, dominant)
            if found is None:
                near = [(abs(sp.sent - o.sent) + (0.5 if o.sent > sp.sent else 0.0), abs(sp.start - o.start), tp.place)
                        for o, tp in placed if abs(sp.sent - o.sent) <= 2 and tp.place is not None
                        and tp.place.precision == "city"]
                if near:
                    found = (1, min(near, key=lambda x: (x[0], x[1]))[2])
            if found is None and focus is not None:
                found = (0, focus)
            if found is not None and t.place is not None and id(sp) not in suspect and found[1].precision == "country":
                found = None
            fills.append(found)
        best: dict[str, tuple[int, Place]] = {}
        for sp, f in zip(spans, fills):
            k = normalize_name(sp.text)
            if f is not None and (k not in best or f[0] > best[k][0]):
                best[k] = f
        filled: list[Toponym] = []
        for sp, t, f in zip(spans, out, fills):
            k = normalize_name(sp.text)
            if sp.ctx or k not in best or (f is None and t.place is not None):
                filled.append(t)
                continue
            place = best[k][1]
            conf = 0.2
            filled.append(Toponym(t.start, t.end, t.text, replace(place, confidence=conf), conf))
        return filled

    @staticmethod
    def _landmark_words(sp: _Span, lex: dict[str, Any]) -> list[str] | None:
        """The words of a landmark-like name minus its landmark noun ("Lake X" -> [x], "X Square" -> [x])."""
        words = normalize_name(sp.text).split()
        if len(words) < 2:
            return None
        if words[-1] in lex["facility_set"]:
            return words[:-1]
        if words[0] in lex["facility_set"]:
            return words[1:]
        return None

    def _landmark_homonym(self, sp: _Span, t: Toponym, sure: Sequence[tuple[_Span, Toponym]],
                          lex: dict[str, Any]) -> bool:
        """A landmark-like name ("Union Square") read as a small town far from every other confidently
        placed toponym of the article (and outside their divisions)."""
        p, c = t.place, sp.chosen
        if sp.ctx or p is None or c is None or c.kind != "city" or c.population >= 50_000 or p.lat is None:
            return False
        if self._landmark_words(sp, lex) is None:
            return False
        others = [tp.place for o, tp in sure if o is not sp and normalize_name(o.text) != normalize_name(sp.text)]
        if not others:
            return False
        for q in others:
            if q is None or q.lat is None:
                continue
            if (q.admin1 and q.admin1 == p.admin1 and q.country == p.country) or haversine_km(p.lat, p.lon, q.lat, q.lon) <= 150:
                return False
        return True

    def _landmark_town(self, sp: _Span, sure: Sequence[tuple[_Span, Toponym]], lex: dict[str, Any]) -> Place | None:
        """"Lake Springfield", "Springfield Reservoir": the town the rest of the name names, if one of
        its readings lies within 100 km of a confidently placed toponym of the article."""
        rest = self._landmark_words(sp, lex)
        if not rest:
            return None
        anchors = [tp.place for _o, tp in sure if tp.place is not None and tp.place.lat is not None
                   and tp.place.precision in ("city", "admin2")]
        best: tuple[float, GazEntry] | None = None
        for c in self.gaz.lookup(" ".join(rest)):
            if c.kind != "city" or c.lat is None or c.match not in ("name", "alt"):
                continue
            for q in anchors:
                d = haversine_km(c.lat, c.lon, q.lat, q.lon)  # type: ignore[arg-type]
                if d <= 100 and (best is None or d < best[0]):
                    best = (d, c)
        return place_from_entry(best[1], confidence=0.2) if best else None

    def _votes(self, spans: Sequence[_Span], resolved: bool = False) -> Counter[str]:
        votes: Counter[str] = Counter()
        for sp in spans:
            if resolved and sp.chosen is not None:
                if sp.chosen.country:
                    votes[sp.chosen.country] += sp.conf * (1.0 if sp.chosen.kind != "country" else 1.2)
                continue
            usable = [c for c in sp.cands if c.country and c.match != "fuzzy"]
            if not usable:
                continue
            weights = [math.exp(4 * _prior(c)) for c in usable]
            tot = sum(weights)
            per: Counter[str] = Counter()
            for c, w in zip(usable, weights):
                per[c.country] += w / tot  # type: ignore[index]
            for cc, w in per.items():
                votes[cc] += w
        return votes

    def _votes_from_places(self, places: Sequence[Place], extra_country: str | None) -> Counter[str]:
        by3 = {e.country3: e.country for e in self.gaz.countries.values() if e.country3}
        votes: Counter[str] = Counter()
        for p in places:
            if p.country and p.country in by3:
                votes[by3[p.country]] += max(p.confidence, 0.3)
        if extra_country:
            cc = by3.get(extra_country.upper(), extra_country.upper() if len(extra_country) == 2 else None)
            if cc:
                votes[cc] += 3.0
        return votes

    def _score(self, sp: _Span, votes: Counter[str], *, admin1_names: set[str], sent_admin1: set[str],
               anchors: Sequence[tuple[float, float]], language: str, areas: set[str] | frozenset[str] = frozenset(),
               adjacent: set[str] | frozenset[str] = frozenset(), coherence: dict[GazEntry, float] | None = None) -> None:
        if not sp.cands:
            sp.chosen, sp.conf, sp.score = None, 0.0, 0.0
            return
        surface = sp.text
        upper = surface.replace(".", "").replace(" ", "").isupper()
        total_votes = sum(votes.values()) or 1.0
        type_word = normalize_name(surface.split()[-1]) if surface.split() else ""
        admin_nouns = _lexicon(language)["admin_nouns"]
        # "Man.", "Que.": a short dotted form is an abbreviation, not the word it spells
        dotted = surface.endswith(".") and surface.count(".") == 1 and len(surface) <= 7 and any(c.match == "abbr" for c in sp.cands)
        key = normalize_name(re.sub(r"(?:['’]s|['’])$", "", surface.strip()))
        has_name = any(c.match == "name" for c in sp.cands)
        has_admin1 = any(c.match == "name" and c.kind == "admin1" for c in sp.cands)
        lead = votes.most_common(1)[0][0] if votes else None
        top_pop = max((c.population for c in sp.cands if c.kind == "city" and c.match in ("name", "alt")), default=0)
        scores = []
        for c in sp.cands:
            s = _prior(c)
            if dotted and c.match != "abbr":
                s -= 0.4
            if c.match == "alt" and has_name and c.kind in ("city", "admin2") and key not in normalize_name(c.name):
                s -= 0.12  # a by-name of another town ("Venice" for Dayton) yields to the places so named
            if c.match == "abbr":
                s -= 0.05 if (upper or "." in surface) else 0.5
            elif c.match == "demonym":
                s -= 0.1
            elif c.match == "fuzzy":
                s -= 0.35
            elif c.match == "alt":
                s -= 0.03
            if c.country:
                own = sum(w for cc, w in votes.items() if cc == c.country)
                s += 0.45 * own / total_votes
                if total_votes >= 1.0 and own <= 0 and c.kind in ("admin1", "admin2"):
                    s -= 0.08  # a division of a country the article never mentions
            a1 = normalize_name(c.admin1) if c.admin1 else ""
            if c.kind == "city" and a1 and a1 == normalize_name(c.name):
                # a town named as its own division (Quebec, New York): the division, unless the town is a metropolis
                s += 0.1 if c.population >= 1_000_000 else -0.05
            elif c.kind in ("city", "admin2") and a1:
                # a homonym 50 times smaller than the name's main town needs its division said beside it
                dwarfed = c.kind == "city" and c.population * 50 < top_pop
                if a1 in adjacent:
                    s += 0.8  # "Lewisburg, West Virginia": the division said beside the name settles it
                elif a1 in sent_admin1 and not dwarfed:
                    s += 0.5
                elif a1 in admin1_names and not dwarfed:
                    s += 0.2
            if has_admin1 and c.kind == "city" and c.population < 100_000 and a1 not in sent_admin1:
                s -= 0.2  # a small town named after a state ("Florida") needs its state said beside it
            if c.kind == "admin2" and (admin_nouns.get(type_word) == "admin2" or sp.hint == "admin2"):
                s += 0.35
            if c.kind == "admin1" and admin_nouns.get(type_word) == "admin1":
                s += 0.2
            if c.kind == "admin1" and sp.hint == "admin1":
                s += 0.4
            if c.kind == "admin1" and c.admin1_code in areas:
                s += 0.2  # other towns of the article lie in this division
            if anchors and c.lat is not None and c.kind in ("city", "admin2"):
                near = max(math.exp(-haversine_km(c.lat, c.lon, la, lo) / 150.0) for la, lo in anchors)
                s += 0.25 * near
            if coherence and c in coherence and (not votes or c.country == lead):
                s += 0.3 * min(coherence[c], 1.0)  # local coherence, for places of the article's main country
            if c.lat is None:
                s -= 0.3
            scores.append(s)
        best = max(range(len(scores)), key=lambda k: scores[k])
        exps = [math.exp((x - scores[best]) / 0.12) for x in scores]
        sp.chosen, sp.score = sp.cands[best], scores[best]
        sp.conf = exps[best] / sum(exps) * (0.6 if sp.cands[best].match == "fuzzy" else 1.0)
        sp.scores = scores

    def _weak(self, sp: _Span, votes: Counter[str]) -> bool:
        """A reading far from the article's focus country, with no strong prior of its own."""
        c = sp.chosen
        if c is None:
            return True
        if not votes or c.kind in ("country", "continent", "region"):
            return c.match == "fuzzy" and c.kind != "country"
        focus, fw = votes.most_common(1)[0]
        share = fw / (sum(votes.values()) or 1.0)
        if c.country == focus:
            return False
        if c.match == "fuzzy":
            return True
        strong = c.feature == "P.PPLC" or c.population >= 500_000
        return share >= 0.5 and not strong and (c.population < 50_000 or c.kind == "admin1")

    def _final_place(self, sp: _Span, votes: Counter[str], province: GazEntry | None) -> Place | None:
        ranked = [c for _, c in sorted(zip(sp.scores, sp.cands), key=lambda t: -t[0])] if sp.chosen else []
        if sp.chosen is not None and sp.chosen.kind in ("country", "admin1"):
            # "Tunis", "Alger": a national capital named like its province, or like its country in
            # some other language, is the capital (an admin phrase around it is read by the caller)
            capital = next((c for c in sp.cands if c.feature == "P.PPLC" and c.country3 == sp.chosen.country3
                            and c.match in ("name", "alt") and c.match != "fuzzy"), None)
            if capital is not None and (sp.chosen.kind == "admin1" or sp.chosen.match != "name"):
                return place_from_entry(capital, confidence=sp.conf)
        if sp.chosen is not None and not self._weak(sp, votes):
            return place_from_entry(sp.chosen, confidence=sp.conf)
        if province is not None and sp.cue:
            inside = [c for c in ranked if c.admin1_code == province.admin1_code and c.kind == "city"]
            if inside:
                return place_from_entry(inside[0], confidence=0.5)
            return place_from_entry(province, confidence=0.4, precision="admin1")
        for c in ranked:
            if c.match == "fuzzy":
                continue
            probe = _Span(sp.start, sp.end, sp.text, sp.cands, chosen=c)
            if not self._weak(probe, votes):
                return place_from_entry(c, confidence=sp.conf * 0.8)
        real = [c for c in ranked if c.match != "fuzzy"]
        return place_from_entry(real[0], confidence=sp.conf * 0.5) if real else None

    # ------------------------------------------------------------------ admin phrases
    def _admin_phrases(self, sentence: str, language: str) -> list[str]:
        lex = _lexicon(language)
        names = [m.group(1) for m in lex["before_re"].finditer(sentence)]
        names += [m.group(1) for m in lex["after_re"].finditer(sentence)]
        out = []
        for nm in names:
            words = nm.split()
            for k in range(len(words), 0, -1):
                cand = " ".join(words[:k])
                if cand[:1].isupper():
                    out.append(cand)
                    break
        return out

    def _admin1_entry(self, name: str, votes: Counter[str]) -> GazEntry | None:
        cands = [c for c in self.gaz.lookup(name) if c.kind == "admin1"]
        if not cands:
            cands = [c for c in self.gaz.lookup_fuzzy(name) if c.kind == "admin1"]
        if not cands:
            return None
        return max(cands, key=lambda c: (votes.get(c.country or "", 0.0), c.population))

    def _province_from_text(self, sentence: str, language: str, votes: Counter[str]) -> GazEntry | None:
        for nm in self._admin_phrases(sentence, language):
            e = self._admin1_entry(nm, votes)
            if e is not None and (not votes or votes.get(e.country or "", 0) > 0):
                return e
        return None

    def _province_near(self, spans: Sequence[_Span], sp: _Span, votes: Counter[str]) -> GazEntry | None:
        """The admin1 toponym in the same sentence, else the nearest one in the 3 sentences before."""
        best: tuple[int, GazEntry] | None = None
        for other in spans:
            c = other.chosen
            if other is sp or other.ctx or c is None or c.kind != "admin1" or other.sent > sp.sent or sp.sent - other.sent > 3:
                continue
            if votes and votes.most_common(1)[0][0] != c.country:
                continue
            d = sp.sent - other.sent
            if best is None or d < best[0]:
                best = (d, c)
        return best[1] if best else None

    def _province_from_context(self, context: Sequence[Toponym], votes: Counter[str]) -> GazEntry | None:
        for t in reversed(context):
            p = t.place
            if p and p.precision == "admin1" and p.geonameid:
                for c in self.gaz.lookup(p.name):
                    if c.kind == "admin1" and c.geonameid == p.geonameid:
                        return c
        return None


def _compass(word: str, dirs: set[str] | frozenset[str]) -> bool:
    """A compass word, or its adjective ("north", "northern"; "sud")."""
    return word in dirs or word.removesuffix("ern") in dirs


def _prior(c: GazEntry) -> float:
    """How likely a reading is before any context: countries and capitals over homonymous villages."""
    if c.kind == "country":
        return 0.95
    if c.kind == "continent":
        return 0.85
    if c.kind == "region":
        return 0.7
    pop = math.log10(max(c.population, 0) + 1) / 7.0
    if c.kind == "admin1":
        return 0.55 + 0.2 * min(pop, 1.0)
    if c.kind == "admin2":
        return 0.25 + 0.15 * min(pop, 1.0)
    base = 0.15 + 0.55 * min(pop, 1.0)
    return base + (0.15 if c.feature == "P.PPLC" else 0.0)


# ---------------------------------------------------------------------- event attachment
def attach_event_place(doc: Any, trigger_token: Any, toponyms: Sequence[Toponym] | None = None,
                       resolver: PlaceResolver | None = None) -> Toponym | None:
    """The toponym syntactically attached to an event trigger as its location.

    Follows obl/nmod (UD) or prep/pobj (ClearNLP) links from the trigger (or its head when the
    trigger is a noun or participle) to a toponym introduced by a locative preposition
    ("attaqué à Mossoul", "killed in Aleppo", "en visite à Pékin"). `toponyms` defaults to
    geoparsing the doc's text with its entities.
    """
    lang = getattr(doc, "lang_", "en") or "en"
    lex = _lexicon(lang)
    locs = {normalize_name(w) for w in lex.get("event_locative", [])}
    if toponyms is None:
        resolver = resolver or PlaceResolver()
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        toponyms = resolver.geoparse(doc.text, lang, ents)
    if not toponyms:
        return None
    sent = trigger_token.sent
    nouns = {normalize_name(w) for w in lex.get("place_nouns", [])}
    dirs = {normalize_name(w) for w in lex.get("directions", [])}

    def topo_of(tok: Any) -> Toponym | None:
        for t in toponyms:
            if t.start <= tok.idx < t.end:
                return t
        return None

    def marker(tok: Any) -> str | None:
        """The preposition introducing a token (UD `case` child, or ClearNLP prep head)."""
        for ch in tok.children:
            if ch.dep_ == "case":
                return normalize_name(ch.text)
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            return normalize_name(tok.head.text)
        return None

    def search(root: Any, depth: int, located: bool, seen: set[int]) -> tuple[int, Toponym] | None:
        best: tuple[int, Toponym] | None = None
        for ch in root.children:
            if ch.i in seen or ch.sent != sent or depth > 6:
                continue
            seen.add(ch.i)
            dep = ch.dep_
            if dep in ("nsubj", "nsubjpass", "nsubj:pass", "csubj", "aux", "auxpass", "punct", "det", "cc", "mark"):
                continue
            mk = marker(ch)
            head_word = normalize_name(root.lemma_ if hasattr(root, "lemma_") else root.text)
            of_place = mk in ("of", "de", "d") and (head_word in nouns or head_word in dirs
                                                    or normalize_name(root.head.text) in nouns)
            loc_here = located or (mk in locs) or of_place or (dep == "prep" and normalize_name(ch.text) in locs)
            t = topo_of(ch)
            if t is not None:
                direct_obj = dep in ("dobj", "obj") and depth == 0
                if loc_here or direct_obj or (located and dep in ("compound", "amod", "appos", "conj", "flat", "nmod")):
                    rank = depth * 2 + (0 if loc_here else 3)
                    if best is None or rank < best[0]:
                        best = (rank, t)
            if dep == "prep" and normalize_name(ch.text) not in locs and normalize_name(ch.text) not in ("of", "de"):
                continue
            r = search(ch, depth + 1, loc_here and dep not in ("relcl", "acl:relcl", "ccomp"), seen)
            if r is not None and (best is None or r[0] < best[0]):
                best = r
        return best

    found = search(trigger_token, 0, False, {trigger_token.i})
    if found is None and trigger_token.dep_ not in ("ROOT",) and trigger_token.head is not trigger_token:
        found = search(trigger_token.head, 1, False, {trigger_token.i, trigger_token.head.i})
    return found[1] if found else None
