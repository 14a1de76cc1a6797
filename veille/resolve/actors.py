"""Resolve an argument's surface text to an actor: (name, ISO3 country, PLOVER sector).

Three language-independent resources drive it, all loaded once: a curated knowledge base of
notable organisations and office holders (veille/data/actors.jsonl, aliases in many languages
and scripts), country names and demonyms per language (lexicons/<lang>/demonyms.json) and
sector nouns per language (lexicons/<lang>/sectors.json). Matching is exact on normalised
token sequences (case, accents, hyphens and apostrophes ignored; short all-capital acronyms
matched case-sensitively so that "UN" is not the French article "un"), longest match first.

Decisions, in order (see `ActorResolver.resolve`):
1. a knowledge-base person heading the phrase wins ("Sergueï Lavrov, ministre ...");
2. an unknown proper name followed by an apposition takes country and sector from the
   apposition ("Ali Hassan, porte-parole du Hezbollah" -> LBN, REB via the KB);
3. a knowledge-base organisation gives country and sector (a role noun such as "président",
   "porte-parole", "combattants" takes the organisation's sector; an international
   organisation with an explicit national owner, "Russia's UN envoy", gives that country);
4. otherwise the head sector noun and the best country mention: one in the head of the phrase
   or after a genitive ("de", "of") beats one after a place preposition ("en Irak");
   sponsors ("pro-iranien", "Iranian-backed") are not the actor's country.
A bare country name is the state (sector GOV); a bare nationality ("les Américains") gets the
country and sector None: whether it is the government or the army depends on the event, so the
caller decides.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from veille.errors import Errors, ModelError
from veille.models import SECTORS, Actor

__all__ = ["ActorResolver", "KBEntry", "normalize_text", "tokenize", "DEFAULT_KB", "DEFAULT_LEXICONS"]

PACKAGE = Path(__file__).resolve().parents[1]
DEFAULT_KB = PACKAGE / "data" / "actors.jsonl"
DEFAULT_LEXICONS = PACKAGE / "lexicons"

_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed"
_TOKEN = re.compile(rf"(?:[^\W\d_]\.){{2,}}|[^\W_](?:[^\W_]|[{_MARKS}])*")
_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "\u0640": ""})
_QUOTES = re.compile(r"«\s*([^»]+?)\s*»|“([^”]+)”|\"([^\"]+)\"|„([^“”]+)[“”]")
_CLAUSE_SPLIT = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|[;()\[\]])\s*|\s+[–—-]\s+")  # not "500,000"
_MAX_NAME = 120
_NONE: frozenset[int] = frozenset()


@lru_cache(maxsize=131072)
def _strip(token: str) -> str:
    """Accents and marks removed, dotted acronyms closed ("U.S." -> "US"), case kept."""
    token = token.replace(".", "") if "." in token else token
    decomposed = unicodedata.normalize("NFKD", token.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Token:
    orig: str  # accent-stripped, case kept
    fold: str  # casefolded
    start: int
    end: int


def tokenize(text: str) -> list[_Token]:
    """Word tokens of `text` with offsets; hyphens, apostrophes and punctuation separate."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for m in _TOKEN.finditer(text):
        orig = _strip(m.group())
        if orig:
            out.append(_Token(orig, orig.casefold(), m.start(), m.end()))
    return out


def normalize_text(text: str) -> str:
    """The matching key of a name: casefolded, accentless tokens joined by one space."""
    return " ".join(t.fold for t in tokenize(text))


def _is_acronym(form: str) -> bool:
    """Short all-capital forms ("UN", "US", "EI", "PKK") are matched with their case."""
    letters = [c for c in _strip(form) if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and not any(c.islower() for c in letters) and \
        len(tokenize(form)) == 1


@dataclass(frozen=True)
class KBEntry:
    """One knowledge-base actor."""

    id: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str
    kind: str  # "org" | "person"
    wikidata: str | None = None

    def actor(self) -> Actor:
        return Actor(self.name, self.country, self.sector, self.wikidata)


# ---------------------------------------------------------------- index
# Payload kinds stored in the index.
KB, COUNTRY, DEMONYM, CAPITAL, PREFIX, SECTOR, PATRON_B, PATRON_A = (
    "kb", "country", "demonym", "capital", "prefix", "sector", "patron_b", "patron_a")
_CATEGORY = {KB: "kb", COUNTRY: "geo", DEMONYM: "geo", CAPITAL: "geo", PREFIX: "geo",
             SECTOR: "sector", PATRON_B: "patron", PATRON_A: "patron"}


@dataclass(frozen=True)
class _Hit:
    start: int  # token index
    end: int  # exclusive
    kind: str
    value: Any  # KBEntry | ISO3 | _Sector | None


@dataclass(frozen=True)
class _Sector:
    term: str
    sector: str
    role: bool
    keep: bool


class _Index:
    """Token-sequence dictionary, case-insensitive plus a case-sensitive one for acronyms."""

    def __init__(self) -> None:
        self.ci: dict[tuple[str, ...], list[tuple[str, Any]]] = {}
        self.cs: dict[tuple[str, ...], list[tuple[str, Any]]] = {}
        self.ci_len: dict[str, set[int]] = {}
        self.cs_len: dict[str, set[int]] = {}

    def add(self, form: str, kind: str, value: Any) -> None:
        toks = tokenize(form)
        if not toks:
            return
        if _is_acronym(form):
            variants = {(toks[0].orig,)}
            if len(toks[0].orig) >= 4:
                variants.add((toks[0].orig.title(),))
            for key in variants:
                self._put(self.cs, self.cs_len, key, kind, value)
        else:
            self._put(self.ci, self.ci_len, tuple(t.fold for t in toks), kind, value)

    @staticmethod
    def _put(table: dict, lengths: dict, key: tuple[str, ...], kind: str, value: Any) -> None:
        slot = table.setdefault(key, [])
        if (kind, value) not in slot:
            slot.append((kind, value))
        lengths.setdefault(key[0], set()).add(len(key))

    def merged(self, other: _Index) -> _Index:
        out = _Index()
        for src in (self, other):
            for key, vals in src.ci.items():
                for kind, value in vals:
                    out._put(out.ci, out.ci_len, key, kind, value)
            for key, vals in src.cs.items():
                for kind, value in vals:
                    out._put(out.cs, out.cs_len, key, kind, value)
        return out

    def scan(self, toks: list[_Token]) -> list[_Hit]:
        """Leftmost-longest non-overlapping matches, separately per category."""
        n = len(toks)
        folds = [t.fold for t in toks]
        origs = [t.orig for t in toks]
        free = {"kb": 0, "geo": 0, "sector": 0, "patron": 0}
        hits: list[_Hit] = []
        for i in range(n):
            lengths = sorted(self.ci_len.get(folds[i], _NONE) | self.cs_len.get(origs[i], _NONE),
                             reverse=True)
            for length in lengths:
                if i + length > n:
                    continue
                found = self.ci.get(tuple(folds[i:i + length]), []) + \
                    self.cs.get(tuple(origs[i:i + length]), [])
                for kind, value in found:
                    cat = _CATEGORY[kind]
                    if free[cat] <= i:
                        free[cat] = i + length
                        hits.append(_Hit(i, i + length, kind, value))
        return hits


@dataclass
class _Lexicon:
    language: str
    index: _Index
    display: dict[str, str]
    prepositions: frozenset[str]
    genitive: frozenset[str]
    location: frozenset[str]
    conjunctions: tuple[str, ...]
    determiners: frozenset[str]
    particles: frozenset[str]
    relatives: frozenset[str] = field(default_factory=frozenset)
    abroad: frozenset[str] = field(default_factory=frozenset)
    quantity: re.Pattern[str] | None = None  # a count opening a phrase ("up to 100", "des milliers d'")
    minority: frozenset[str] = field(default_factory=frozenset)  # "ethnic", "d'origine"
    #: ("gunmen", "assaillants"), ("men", "individus"), ("armed", "armés"), all words allowed
    unnamed: tuple[frozenset[str], ...] = (frozenset(), frozenset(), frozenset(), frozenset())
    head_last: bool = False  # English: the head noun ends the pre-modifier sequence


_RELATIVES = {"fr": {"qui", "que", "dont", "lequel", "laquelle", "lesquels", "lesquelles"},
              "en": {"who", "which", "that", "whose", "whom"}}


def _plural_fr(term: str, preps: frozenset[str]) -> str:
    words = term.split(" ")
    out = []
    before_prep = True
    for w in words:
        if normalize_text(w) in preps or "'" in w:
            before_prep = False
        if before_prep and not w.endswith(("s", "x", "z")):
            w = w[:-2] + "aux" if w.endswith("al") else w + "s"
        out.append(w)
    return " ".join(out)


def _plural_en(term: str, preps: frozenset[str]) -> str:
    words = term.split(" ")
    last = len(words) - 1
    for k, w in enumerate(words):
        if k > 0 and normalize_text(w) in preps:
            last = k - 1
            break
    w = words[last]
    if w.isupper():
        w = w + "s"
    elif w.endswith(("s", "sh", "ch", "x", "z")):
        w = w + "es"
    elif w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        w = w[:-1] + "ies"
    elif w.endswith("man"):
        w = w[:-3] + "men"
    else:
        w = w + "s"
    words[last] = w
    return " ".join(words)


# ---------------------------------------------------------------- analysis of one clause
@dataclass
class _Analysis:
    toks: list[_Token]
    kb: list[_Hit]
    geo: list[_Hit]
    sectors: list[_Hit]
    hidden_sectors: list[_Hit]  # sector nouns inside a KB name ("Conseil de sécurité")
    head_end: int
    scope: list[str]  # per token: "head" | "gen" | "loc" | "other"
    patron: set[int]  # token indexes of hits marked as sponsors
    possessive: set[int]  # token index of a possessive "s" (English "Sudan's")


class ActorResolver:
    """Names and descriptions -> `Actor`; loads its resources once (see module docstring)."""

    def __init__(self, kb_path: str | Path | None = None, lexicon_dir: str | Path | None = None,
                 languages: tuple[str, ...] | None = None) -> None:
        self.kb_path = Path(kb_path) if kb_path else DEFAULT_KB
        self.lexicon_dir = Path(lexicon_dir) if lexicon_dir else DEFAULT_LEXICONS
        self.entries: dict[str, KBEntry] = {}
        self._fuzzy: dict[str, tuple[dict[str, set[str]], dict[str, set[tuple[tuple[str, ...], int]]]]] = {}
        self._kb_index = _Index()
        self._load_kb()
        self._lexicons: dict[str, _Lexicon] = {}
        langs = languages or tuple(sorted(p.name for p in self.lexicon_dir.iterdir()
                                          if (p / "demonyms.json").exists()
                                          and (p / "sectors.json").exists()))
        names_only = _Index()
        for lang in langs:
            lex = self._load_language(lang)
            self._lexicons[lang] = lex
            for key, vals in lex.index.ci.items():
                for kind, value in vals:
                    if kind in (COUNTRY,):
                        names_only._put(names_only.ci, names_only.ci_len, key, kind, value)
            for key, vals in lex.index.cs.items():
                for kind, value in vals:
                    if kind in (COUNTRY,):
                        names_only._put(names_only.cs, names_only.cs_len, key, kind, value)
        display = next(iter(self._lexicons.values())).display if self._lexicons else {}
        # Languages without lexicons: knowledge base plus country names of every language.
        self._fallback = _Lexicon("*", self._kb_index.merged(names_only), display,
                                  frozenset(), frozenset(), frozenset(), (), frozenset(),
                                  frozenset())

    # -------------------------------------------------------------- loading
    def _read_json(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(Errors.E702.format(path=path, reason="file not found")) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(Errors.E702.format(path=path, reason=exc)) from None
        if not isinstance(data, dict):
            raise ModelError(Errors.E703.format(path=path, key="(top)", reason="expected a JSON object"))
        return data

    def _load_kb(self) -> None:
        path = self.kb_path
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise ModelError(Errors.E702.format(path=path, reason="file not found")) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelError(Errors.E702.format(path=path, reason=exc)) from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            key = f"line {number}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ModelError(Errors.E703.format(path=path, key=key, reason=exc)) from None
            try:
                entry = KBEntry(
                    id=str(rec["id"]), name=str(rec["name"]),
                    aliases=tuple(str(a) for a in rec.get("aliases", [])),
                    country=rec.get("country"), sector=str(rec["sector"]),
                    kind=str(rec.get("kind", "org")), wikidata=rec.get("wikidata"))
            except (KeyError, TypeError) as exc:
                raise ModelError(Errors.E703.format(path=path, key=key,
                                                    reason=f"missing field {exc}")) from None
            if entry.sector not in SECTORS:
                raise ModelError(Errors.E703.format(path=path, key=key,
                                                    reason=f"unknown sector {entry.sector!r}"))
            if entry.kind not in ("org", "person"):
                raise ModelError(Errors.E703.format(path=path, key=key,
                                                    reason=f"unknown kind {entry.kind!r}"))
            if entry.id in self.entries:
                raise ModelError(Errors.E703.format(path=path, key=key,
                                                    reason=f"duplicate id {entry.id!r}"))
            self.entries[entry.id] = entry
            for form in (entry.name, *entry.aliases):
                self._kb_index.add(form, KB, entry)
                # "al-Shabaab" is also written "Shabaab": index the name without the article.
                toks = tokenize(form)
                if len(toks) >= 2 and toks[0].fold in ("al", "el") and len(toks[1].fold) >= 4 \
                        and not _is_acronym(form):
                    self._kb_index.add(form[toks[1].start:], KB, entry)

    def _load_language(self, lang: str) -> _Lexicon:
        folder = self.lexicon_dir / lang
        dem = self._read_json(folder / "demonyms.json")
        sec = self._read_json(folder / "sectors.json")
        index = _Index()
        for section, kind in (("countries", COUNTRY), ("demonyms", DEMONYM),
                              ("capitals", CAPITAL), ("prefixes", PREFIX)):
            table = dem.get(section, {})
            if not isinstance(table, dict):
                raise ModelError(Errors.E703.format(path=folder / "demonyms.json", key=section,
                                                    reason="expected an object ISO3 -> forms"))
            for code, forms in table.items():
                for form in forms:
                    index.add(form, kind, code)
        preps = frozenset(normalize_text(p) for p in sec.get("prepositions", []))
        roles = {normalize_text(r) for r in sec.get("roles", [])}
        keep = {normalize_text(k) for k in sec.get("keep", [])}
        plurals = sec.get("plurals", {})
        sectors = sec.get("sectors", {})
        if not isinstance(sectors, dict):
            raise ModelError(Errors.E703.format(path=folder / "sectors.json", key="sectors",
                                                reason="expected an object SECTOR -> terms"))
        plural = _plural_fr if lang == "fr" else _plural_en
        for code, terms in sectors.items():
            if code not in SECTORS:
                raise ModelError(Errors.E703.format(path=folder / "sectors.json", key=code,
                                                    reason="unknown sector"))
            for term in terms:
                key = normalize_text(term)
                value = _Sector(key, code, key in roles, key in keep)
                index.add(term, SECTOR, value)
                extra = plurals.get(term) or plural(term, preps)
                index.add(extra, SECTOR, value)
        for form in sec.get("patron_before", []):
            index.add(form, PATRON_B, None)
        for form in sec.get("patron_after", []):
            index.add(form, PATRON_A, None)
        return _Lexicon(
            language=lang, index=index.merged(self._kb_index),
            display={k: str(v) for k, v in dem.get("display", {}).items()},
            prepositions=preps,
            genitive=frozenset(normalize_text(p) for p in sec.get("genitive", [])),
            location=frozenset(normalize_text(p) for p in sec.get("location", [])),
            conjunctions=tuple(sec.get("conjunctions", [])),
            determiners=frozenset(normalize_text(d) for d in sec.get("determiners", [])),
            particles=frozenset(normalize_text(p) for p in sec.get("name_particles", [])),
            relatives=frozenset(_RELATIVES.get(lang, ())),
            abroad=frozenset(normalize_text(t) for t in sec.get("abroad", [])),
            quantity=_quantity_pattern(sec.get("quantity_lead", [])),
            minority=frozenset(normalize_text(w) for w in sec.get("minority_markers", [])),
            unnamed=tuple(frozenset(normalize_text(w) for w in sec.get("unidentified", {}).get(k, []))
                          for k in ("nouns", "persons", "describing", "modifiers")),
            head_last=(lang == "en"),
        )

    def _lex(self, language: str | None) -> _Lexicon:
        return self._lexicons.get((language or "").lower()[:2], self._fallback)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._lexicons)

    # -------------------------------------------------------------- public API
    def lookup(self, name: str) -> KBEntry | None:
        """The KB entry one of whose aliases is exactly `name` (normalised; no fuzzy match)."""
        toks = tokenize(name)
        if not toks:
            return None
        for kind, value in self._kb_index.ci.get(tuple(t.fold for t in toks), []):
            if kind == KB:
                return value
        if len(toks) == 1:
            for kind, value in self._kb_index.cs.get((toks[0].orig,), []):
                if kind == KB:
                    return value
        return None

    def country_of(self, text: str, language: str) -> str | None:
        """ISO3 of the best country name or demonym in `text` (sponsors excluded)."""
        lex = self._lex(language)
        a = self._analyse(text, lex)
        best = self._best_country(a)
        return best[0] if best else None

    def names_minority(self, phrase: str, language: str) -> bool:
        """Does the phrase name a people as a minority ("ethnic Albanians", "des Turcs d'origine
        kurde")? Such a people is coded with the state it lives in, as CAMEO does."""
        lex = self._lex(language)
        if not lex.minority:
            return False
        folded = " " + " ".join(t.fold for t in tokenize(phrase)) + " "
        return any(f" {m} " in folded for m in lex.minority)

    def says_no_one(self, phrase: str, language: str) -> bool:
        """Does the phrase only say that someone acted ("des hommes armés", "unidentified
        gunmen", "two attackers")? Then the text does not say who acted."""
        lex = self._lex(language)
        nouns, persons, describing, modifiers = lex.unnamed
        words = [t.fold for t in tokenize(_drop_count(" ".join(phrase.split()), lex))]
        words = [w for w in words if w not in lex.determiners and not w.isdigit()]
        if not words or not all(w in nouns or w in persons or w in describing or w in modifiers for w in words):
            return False
        # "gunmen" alone says it; "men" needs a word saying they were armed or unknown
        return any(w in nouns for w in words) or (any(w in persons for w in words) and any(w in describing for w in words))

    def capital_country(self, text: str, language: str) -> str | None:
        """ISO3 of the state whose seat `text` names ("Tehran", "le Kremlin"), else None.

        A capital acting or addressed ("Washington demanded", "a exhorté Téhéran") is the
        government; callers decide when the name is a place instead.
        """
        lex = self._lex(language)
        a = self._analyse(" ".join((text or "").split()), lex)
        content = [i for i, t in enumerate(a.toks) if t.fold not in lex.determiners]
        caps = [h for h in a.geo if h.kind == CAPITAL]
        if not content or len(caps) != 1 or a.kb or a.sectors:
            return None
        h = caps[0]
        return h.value if all(h.start <= i < h.end for i in content) else None

    def resolve(self, phrase: str, language: str, *, head: str | None = None) -> Actor | None:
        """`Actor` for an argument's surface text (appositions included), or None."""
        text = " ".join((phrase or "").split())
        if not text:
            return None
        lex = self._lex(language)
        counted = text
        text = _drop_count(text, lex)
        count = counted[: len(counted) - len(text)]  # kept in the name: "22 people" says how many
        clauses = [c for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]
        if not clauses:
            return None
        main = self._resolve_clause(clauses[0], lex, head)
        if main is not None and count and main.name and text.startswith(main.name):
            main = replace(main, name=count + main.name)
        if main is not None and main.strength == "kb_person":
            return main.actor()
        if main is None or main.country is None or main.sector is None:
            for extra in clauses[1:]:
                app = self._resolve_clause(extra, lex, None, apposition=True)
                if app is None or (app.country is None and app.sector is None):
                    continue
                if main is None:
                    main = app
                elif main.strength == "name":
                    # An unknown name described by its apposition: the person, the
                    # apposition's country and sector.
                    main = _Result(main.name, app.country, app.sector, None, "combined")
                else:
                    main = _Result(main.name, main.country or app.country,
                                   main.sector or app.sector, main.wikidata, main.strength)
                break
        return main.actor() if main else None

    def resolve_many(self, phrase: str, language: str) -> list[Actor]:
        """Every actor of a coordinated phrase ("Hungarian and Romanian officials" -> 2)."""
        text = " ".join((phrase or "").split())
        if not text:
            return []
        lex = self._lex(language)
        parts = self._split_conjuncts(text, lex)
        if len(parts) <= 1:
            one = self.resolve(text, language)
            return [one] if one else []
        results: list[tuple[str, Actor | None]] = [(p, self.resolve(p, language)) for p in parts]
        # Pieces that resolve to nothing belong to their neighbour ("le Moyen-Orient et l'Afrique").
        merged: list[tuple[str, Actor | None]] = []
        for piece, actor in results:
            if actor is None and merged:
                prev_text = merged[-1][0] + " " + piece
                merged[-1] = (prev_text, merged[-1][1])
            else:
                merged.append((piece, actor))
        # A bare nationality borrows the head noun of a sibling ("Hungarian and Romanian officials").
        noun_sector = None
        noun_text = None
        order = merged if not lex.head_last else list(reversed(merged))
        for piece, actor in order:
            a = self._analyse(piece, lex)
            head = self._head_sector(a, lex)
            if head is not None:
                noun_sector = head.value.sector
                noun_text = piece[a.toks[head.start].start:a.toks[head.end - 1].end]
                break
        out: list[Actor] = []
        for piece, actor in merged:
            if actor is None:
                continue
            if actor.sector is None and actor.country and noun_sector and \
                    self._is_bare_geo(piece, lex):
                label = _clean_geo_label(piece, lex)
                name = f"{label} {noun_text}" if lex.head_last else f"{noun_text} {label}"
                actor = Actor(name, actor.country, noun_sector, actor.wikidata)
            out.append(actor)
        return out

    # -------------------------------------------------------------- internals
    def _split_conjuncts(self, text: str, lex: _Lexicon) -> list[str]:
        if not lex.conjunctions:
            return [text]
        conj = "|".join(re.escape(c) for c in sorted(lex.conjunctions, key=len, reverse=True))
        pattern = re.compile(rf"(,?)\s+(?:{conj})\s+", re.IGNORECASE)
        protected = self._protected_spans(text, lex)
        pieces: list[str] = []
        last = 0
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in protected):
                continue
            before = text[last:m.start()]
            # Inside an apposition ("X, représentant pour le Moyen-Orient et l'Afrique") a
            # conjunction joins modifiers, not actors, unless a comma closes the apposition
            # or the commas list entities ("Saudi Arabia, Egypt and the UAE").
            if "," in before and not m.group(1) and not all(
                    self._is_entity(i, lex) for i in before.split(",") if i.strip()):
                continue
            pieces.append(text[last:m.start()])
            last = m.end()
        pieces.append(text[last:])
        pieces = [p.strip(" ,") for p in pieces if p.strip(" ,")]
        # "Saudi Arabia, Egypt, Bahrain and the UAE": commas list entities.
        expanded: list[str] = []
        for p in pieces:
            items = [i.strip() for i in p.split(",") if i.strip()]
            if len(items) > 1 and all(self._is_entity(i, lex) for i in items):
                expanded.extend(items)
            else:
                expanded.append(p)
        return expanded

    def _protected_spans(self, text: str, lex: _Lexicon) -> list[tuple[int, int]]:
        toks = tokenize(text)
        spans = []
        for h in lex.index.scan(toks):
            if h.kind in (KB, COUNTRY) or (h.kind == SECTOR and h.end - h.start > 1):
                spans.append((toks[h.start].start, toks[h.end - 1].end))
        return spans

    def _is_entity(self, text: str, lex: _Lexicon) -> bool:
        a = self._analyse(text, lex)
        content = [i for i, t in enumerate(a.toks) if t.fold not in lex.determiners]
        covered = set()
        for h in a.kb + [g for g in a.geo if g.kind in (COUNTRY, CAPITAL)]:
            covered.update(range(h.start, h.end))
        return bool(content) and all(i in covered for i in content)

    def _is_bare_geo(self, text: str, lex: _Lexicon) -> bool:
        a = self._analyse(text, lex)
        content = [i for i, t in enumerate(a.toks) if t.fold not in lex.determiners]
        covered = set()
        for h in a.geo:
            covered.update(range(h.start, h.end))
        return bool(content) and all(i in covered for i in content) and not a.sectors

    def _analyse(self, text: str, lex: _Lexicon) -> _Analysis:
        toks = tokenize(text)
        # A relative clause is not part of the actor ("the militia that attacked Iraqi troops").
        for i, t in enumerate(toks):
            if i > 0 and t.fold in lex.relatives:
                toks = toks[:i]
                break
        hits = lex.index.scan(toks)
        fixed = self._respell(toks, hits, lex)
        if fixed is not None:
            toks = fixed
            hits = lex.index.scan(toks)
        kb = [h for h in hits if h.kind == KB]
        in_kb = set()
        for h in kb:
            in_kb.update(range(h.start, h.end))

        def inside(h: _Hit) -> bool:
            return any(i in in_kb for i in range(h.start, h.end))

        geo = [h for h in hits if _CATEGORY[h.kind] == "geo" and not inside(h)]
        in_geo = {i for h in geo for i in range(h.start, h.end)}
        sectors_all = [h for h in hits if h.kind == SECTOR
                       and not any(i in in_geo for i in range(h.start, h.end))]  # "États-Unis"
        sectors = [h for h in sectors_all if not inside(h)]
        hidden = [h for h in sectors_all if inside(h)]
        covered = set(in_kb)
        for h in geo + sectors:
            if h.end - h.start > 1:
                covered.update(range(h.start, h.end))
        n = len(toks)
        head_end = n
        scope = ["head"] * n
        current = "head"
        for i, t in enumerate(toks):
            if i > 0 and i not in covered and t.fold in lex.prepositions:
                if head_end == n:
                    head_end = i
                if t.fold in lex.location:
                    current = "loc"
                elif t.fold in lex.genitive:
                    current = "gen"
                else:
                    current = "other"
            scope[i] = current
        possessive = {i for i, t in enumerate(toks) if t.fold == "s" and i > 0
                      and lex.head_last and toks[i - 1].end == t.start - 1}
        patron: set[int] = set()
        for p in (h for h in hits if h.kind in (PATRON_B, PATRON_A)):
            # only the nearest name is the sponsor: "the pro-Iranian Hezbollah" is Hezbollah
            # backed by Iran, not Hezbollah as a sponsor
            after = [h for h in kb + geo if p.kind == PATRON_B and 0 <= h.start - p.end <= 2]
            if after:
                patron.add(min(h.start for h in after))
            for h in kb + geo:
                # "Iranian-backed", "US-armed": right after the name; not "Burundian militiamen
                # armed with machetes", where the word describes the head noun between them
                if p.kind == PATRON_A and 0 <= p.start - h.end <= 1 \
                        and not any(s.start == h.end for s in sectors):
                    patron.add(h.start)
        return _Analysis(toks, kb, geo, sectors, hidden, head_end, scope, patron, possessive)

    # -------------------------------------------------------------- misspellings
    def _fuzzy_tables(self, lex: _Lexicon) -> tuple[dict[str, set[str]], dict[str, set[tuple[tuple[str, ...], int]]]]:
        """Deletion neighbourhoods of country and capital names (one word, 5+ letters) and of
        the words of knowledge-base people's names (5+ letters), built once per language."""
        cached = self._fuzzy.get(lex.language)
        if cached is not None:
            return cached
        geo: dict[str, set[str]] = {}
        people: dict[str, set[tuple[tuple[str, ...], int]]] = {}
        for key, vals in lex.index.ci.items():
            if len(key) == 1 and len(key[0]) >= 5 and any(k in (COUNTRY, CAPITAL) for k, _ in vals):
                for v in _deletions(key[0]):
                    geo.setdefault(v, set()).add(key[0])
            if len(key) >= 2 and any(k == KB and v.kind == "person" for k, v in vals):
                for j, word in enumerate(key):
                    if len(word) >= 5 and word not in lex.particles:
                        for v in _deletions(word):
                            people.setdefault(v, set()).add((key, j))
        self._fuzzy[lex.language] = (geo, people)
        return geo, people

    def _respell(self, toks: list[_Token], hits: list[_Hit], lex: _Lexicon) -> list[_Token] | None:
        """Tokens with a misspelt country, capital or known person's name corrected
        ("Ethopia", "Quatar", "Francois Mitterand"), or None when nothing is corrected.

        Only capitalised words outside every match (6+ letters for places), one letter dropped,
        added, swapped with its neighbour or one vowel changed; a person's other name words
        must match exactly."""
        covered = {i for h in hits for i in range(h.start, h.end)}
        out: list[_Token] | None = None
        folds = [x.fold for x in toks]
        for i, t in enumerate(toks):
            if i in covered or len(t.fold) < 5 or not t.orig[:1].isupper() or t.orig.isupper():
                continue
            geo, people = self._fuzzy_tables(lex)
            variants = _deletions(t.fold)
            fix = None
            words = {w for v in variants for w in geo.get(v, ()) if _near(t.fold, w)} if len(t.fold) >= 6 else set()
            if len(words) == 1:
                fix = words.pop()
            else:
                names = set()
                for v in variants:
                    for key, j in people.get(v, ()):
                        lo = i - j
                        if lo < 0 or lo + len(key) > len(toks) or not _near(t.fold, key[j]):
                            continue
                        if all(folds[lo + k] == key[k] for k in range(len(key)) if k != j):
                            names.add(key[j])
                if len(names) == 1:
                    fix = names.pop()
            if fix is not None:
                out = list(toks) if out is None else out
                out[i] = _Token(fix.title(), fix, t.start, t.end)
        return out

    @staticmethod
    def _heads(a: _Analysis, h: _Hit, lex: _Lexicon) -> bool:
        """Is this KB match the phrase's head rather than an owner or a place?"""
        if h.start in a.patron or h.end in a.possessive:
            return False
        if h.start < a.head_end:
            return True
        # "le général iranien Qassem Soleimani": a name after its title, not after "de".
        return h.value.kind == "person" and a.toks[h.start - 1].fold not in lex.prepositions

    @staticmethod
    def _rank(a: _Analysis, h: _Hit) -> int:
        if h.start < a.head_end:
            return 1
        return {"gen": 2, "other": 2, "head": 1}.get(a.scope[h.start], 3)

    def _best_country(self, a: _Analysis) -> tuple[str, int, _Hit] | None:
        best = None
        for h in a.geo:
            if h.start in a.patron:
                continue
            r = self._rank(a, h)
            if best is None or r < best[1]:
                best = (h.value, r, h)
        return best

    def _head_sector(self, a: _Analysis, lex: _Lexicon, hint: str | None = None) -> _Hit | None:
        usable = [h for h in a.sectors if a.scope[h.start] != "loc" and h.start not in a.patron]
        if hint:
            key = normalize_text(hint)
            for h in usable:
                surface = " ".join(t.fold for t in a.toks[h.start:h.end])
                if key in (h.value.term, surface) or key in surface.split(" "):
                    return h
        head = [h for h in usable if h.start < a.head_end]
        if head:
            return head[-1] if lex.head_last else head[0]
        return usable[0] if usable else None

    def _resolve_clause(self, clause: str, lex: _Lexicon, hint: str | None,
                        apposition: bool = False) -> _Result | None:
        quoted = None
        m = _QUOTES.search(clause)
        if m:
            quoted = next(g for g in m.groups() if g).strip()
            entry = self.lookup(quoted)
            if entry:
                return _Result.of(entry)
            clause = (clause[:m.start()] + " " + clause[m.end():]).strip()
        a = self._analyse(clause, lex)
        if not a.toks and not quoted:
            return None
        heads = [h for h in a.kb if self._heads(a, h, lex)]
        # "le secrétaire général de l'ONU António Guterres": the person, not the office.
        kb_head = next((h for h in heads if h.value.kind == "person"), heads[0] if heads else None)
        if kb_head and kb_head.value.kind == "person" and not apposition:
            return _Result.of(kb_head.value, "kb_person")
        noun = self._head_sector(a, lex, hint)
        best = self._best_country(a)
        org = kb_head or next((h for h in a.kb if a.scope[h.start] != "loc"
                               and h.start not in a.patron), None)
        name = quoted or self._display_name(clause, a, lex)
        if org is not None:
            entry: KBEntry = org.value
            sector = noun.value.sector if noun else None
            if noun and noun.value.role:
                other = self._governed_sector(a, noun)
                sector = other.value.sector if other else None
            if entry.kind == "person":
                # "porte-parole de Vladimir Poutine": the person lends the country.
                return _Result(name, entry.country, sector or entry.sector, None, "described")
            own_country = best if best and best[1] <= 2 else None
            if entry.country is None or entry.sector in ("IGO", "NGO"):
                # "Russia's UN envoy", "le Conseil de sécurité russe": a national body.
                if own_country:
                    if noun is not None:
                        national: str | None = sector or noun.value.sector
                    else:
                        national = self._hidden_sector(a, org)
                    if national is None and entry.sector == "NGO":
                        national = "NGO"
                    if national:
                        return _Result(name, own_country[0], national, None, "described")
                return self._org_result(entry, org, a, lex, name, quoted)
            if noun and noun.value.keep and noun.start != org.start:
                return _Result(name, entry.country, noun.value.sector, None, "described")
            return self._org_result(entry, org, a, lex, name, quoted)
        if best is not None and best[1] >= 3 and (noun is None or noun.value.term in lex.abroad):
            # Only a place ("l'unité en Irak", "l'ambassadeur en Russie"): not the actor's country.
            best = None
        if noun is None and best is None:
            if quoted:
                return _Result(quoted, None, None, None, "name")
            if self._looks_like_name(a, lex):
                return _Result(name, None, None, None, "name")
            return None
        sector = None
        if noun is not None:
            sector = noun.value.sector
            if noun.value.role:
                other = self._governed_sector(a, noun)
                if other is not None:
                    sector = other.value.sector
        country = best[0] if best else None
        home = self._residence(a, best, noun)
        if home is not None:
            country = home
        if noun is None and best is not None and self._only_geo(a, lex):
            h = best[2]
            label = lex.display.get(country, name)
            if h.kind in (COUNTRY, CAPITAL):
                return _Result(label, country, "GOV", None, "country")
            return _Result(label, country, None, None, "nationality")
        return _Result(name, country, sector, None, "described")

    @staticmethod
    def _residence(a: _Analysis, best: tuple[str, int, _Hit] | None, noun: _Hit | None) -> str | None:
        """Where a people named with a country lives: "ethnic Albanians in south Serbia", "les
        Kurdes de Syrie" are coded with the state they live in (as CAMEO codes minorities)."""
        if best is None or best[2].kind != DEMONYM or best[1] != 1:
            return None
        if noun is not None and noun.value.sector != "CVL":
            return None  # "Iranian diplomats in Iraq" serve abroad; they stay Iranian
        if noun is None and best[2].end != a.head_end:
            return None  # the people must be the head: not "the Greek sides of ... Cyprus"
        for h in a.geo:
            if h.kind == COUNTRY and h.start > best[2].start and a.scope[h.start] in ("loc", "gen") \
                    and h.start not in a.patron:
                return h.value
        return None

    def _org_result(self, entry: KBEntry, org: _Hit, a: _Analysis, lex: _Lexicon,
                    name: str, quoted: str | None) -> _Result:
        extra = [i for i, t in enumerate(a.toks)
                 if not (org.start <= i < org.end) and t.fold not in lex.determiners
                 and i not in a.possessive and not any(g.start <= i < g.end for g in a.geo)]
        display = entry.name if not extra and not quoted else name
        return _Result(display, entry.country, entry.sector, entry.wikidata, "kb_org")

    @staticmethod
    def _hidden_sector(a: _Analysis, org: _Hit) -> str | None:
        for h in a.hidden_sectors:
            if org.start <= h.start < org.end:
                return h.value.sector
        return None

    @staticmethod
    def _governed_sector(a: _Analysis, role: _Hit) -> _Hit | None:
        """The non-role sector noun a role noun goes with ("porte-parole de la police")."""
        for h in a.sectors:
            if h is role or h.value.role or a.scope[h.start] == "loc" or h.start in a.patron:
                continue
            return h
        return None

    def _only_geo(self, a: _Analysis, lex: _Lexicon) -> bool:
        covered = set()
        for h in a.geo:
            covered.update(range(h.start, h.end))
        conj = {normalize_text(c) for c in lex.conjunctions}
        return all(i in covered or t.fold in lex.determiners or i in a.possessive
                   or t.fold in conj for i, t in enumerate(a.toks))

    def _looks_like_name(self, a: _Analysis, lex: _Lexicon) -> bool:
        content = [t for t in a.toks if t.fold not in lex.determiners]
        if not content:
            return False
        def capital(t: _Token) -> bool:
            first = t.orig[:1]
            return first.isupper() or (first.isalpha() and not first.islower())

        caps = [t for t in content if capital(t)]
        return bool(caps) and all(capital(t) or t.fold in lex.particles for t in content)

    def _display_name(self, clause: str, a: _Analysis, lex: _Lexicon) -> str:
        """The clause without leading determiners; a proper name after a title if any."""
        if not a.toks:
            return clause.strip()
        covered = set()
        for h in a.kb + a.geo + a.sectors:
            covered.update(range(h.start, h.end))
        # "Iraqi Foreign Minister John Doe": the capitalised run closing the head is the name.
        run: list[int] = []
        best: list[int] = []
        for i, t in enumerate(a.toks[:a.head_end]):
            cap = t.orig[:1].isupper()
            if i not in covered and (cap or (run and t.fold in lex.particles)):
                run.append(i)
            else:
                if len(run) >= 2:
                    best = run
                run = []
        if len(run) >= 2:
            best = run
        while best and a.toks[best[-1]].fold in lex.particles:
            best.pop()
        # Only a run that closes the head is a name; "Islamic Salvation Front" is one name.
        closes = bool(best) and all(t.fold in lex.determiners or i in a.possessive
                                    for i, t in enumerate(a.toks[best[-1] + 1:a.head_end],
                                                          best[-1] + 1))
        if len(best) >= 2 and covered and closes and best[0] > 0:
            return clause[a.toks[best[0]].start:a.toks[best[-1]].end]
        start = 0
        while start < len(a.toks) - 1 and a.toks[start].fold in lex.determiners:
            start += 1
        text = clause[a.toks[start].start:].strip(" ,.;:")
        return text[:_MAX_NAME].rstrip()


_VOWELS = frozenset("aeiouy")


def _quantity_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """One pattern for a count at the start of a phrase: a listed expression or a figure, and
    any that follow ("up to 100", "some 500,000", "des dizaines de milliers d'")."""
    alts = []
    for p in sorted({" ".join(str(p).split()) for p in phrases if str(p).strip()}, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in p.split())
        # French "de" elides before a vowel: "des milliers d'opposants"
        alts.append(body[:-2] + r"(?:de\s+|d['’]\s*)" if p.endswith(" de") else body + r"\s+")
    figure = r"\d[\d,.\u202f\u00a0 ]*(?:\s*(?:million|millions|billion|milliards?)\s+)?"
    unit = "|".join(alts + [figure]) if alts else figure
    return re.compile(rf"^(?:(?:{unit}))+", re.IGNORECASE)


def _drop_count(text: str, lex: _Lexicon) -> str:
    """The phrase without the count that opens it, unless nothing would be left."""
    if lex.quantity is None:
        return text
    m = lex.quantity.match(text)
    if not m or m.end() >= len(text):
        return text
    rest = text[m.end():].lstrip()
    return rest if any(ch.isalpha() for ch in rest) else text


def _deletions(word: str) -> set[str]:
    """The word and every form of it with one letter removed."""
    return {word} | {word[:k] + word[k + 1:] for k in range(len(word))}


def _near(a: str, b: str) -> bool:
    """One typing slip apart: a letter dropped or added, two neighbours swapped, or one
    vowel for another ("Ethopia", "Quatar", "Isreal", "Sontas")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if len(diff) == 1:
        return a[diff[0]] in _VOWELS and b[diff[0]] in _VOWELS
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


@dataclass(frozen=True)
class _Result:
    name: str | None
    country: str | None
    sector: str | None
    wikidata: str | None
    strength: str  # kb_person | kb_org | country | nationality | described | name | combined

    @classmethod
    def of(cls, entry: KBEntry, strength: str | None = None) -> _Result:
        return cls(entry.name, entry.country, entry.sector, entry.wikidata,
                   strength or ("kb_person" if entry.kind == "person" else "kb_org"))

    def actor(self) -> Actor:
        return Actor(self.name, self.country, self.sector, self.wikidata)


def _clean_geo_label(text: str, lex: _Lexicon) -> str:
    toks = tokenize(text)
    start = 0
    while start < len(toks) - 1 and toks[start].fold in lex.determiners:
        start += 1
    return text[toks[start].start:].strip() if toks else text.strip()
