"""Per-language event lexicons: PLOVER trigger words and extraction cues, loaded from data.

A language is a folder `veille/lexicons/<lang>/` holding `triggers.json` (verbs, nouns and
multi-word phrases per PLOVER type, as lemmas) and `cues.json` (negation, modality, claims,
background, case markers, counting words...). Adding a language means adding a folder: no
code knows which languages exist. Files are validated when loaded; a malformed file raises
ModelError with a coded message naming the file and the key.

Trigger values in triggers.json: `null` | "mode" | {"mode": str|null, "inverse": bool,
"weak": bool}. `inverse`: the grammatical subject is the recipient (host, victim);
`weak`: a polysemous word that is an event only with a suitable argument.

Keys are normalised with `normalise_lemma` (accents stripped, case folded), so look-ups
must normalise the model's lemma the same way.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from veille.errors import Errors, ModelError
from veille.extract.mappings import load_mappings
from veille.models import PLOVER_TYPES

__all__ = [
    "LEXICON_ROOT", "TriggerEntry", "Lexicon", "load_lexicon", "available_languages",
    "normalise_lemma",
]

LEXICON_ROOT = Path(__file__).resolve().parents[1] / "lexicons"
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?$")
_SECTIONS = ("verbs", "nouns", "phrases")
_ENTRY_KEYS = {"mode", "inverse", "weak"}
# cues.json keys the engine reads, with the JSON shape each must have; other keys are
# allowed (a language may carry more), but must be lists or objects.
_CUE_LISTS = ("agent_case", "location_case", "with_case", "against_case", "instrument_case",
              "target_nouns_generic", "casualty_nouns", "similar", "light_verbs", "attribution",
              "pronoun_subjects")
_CUE_GROUPS = ("negation", "hypothetical", "future", "claim", "denial", "report", "background",
               "visit", "counting", "mode_nouns")


def normalise_lemma(text: str) -> str:
    """Comparison form of a lemma or word: NFKD without accents, case-folded, one space."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(text.split())


#: the same, memoised: the extractor normalises the same few thousand words over and over
normalise_cached = lru_cache(maxsize=65536)(normalise_lemma)


@dataclass(frozen=True)
class TriggerEntry:
    """One reading of a trigger word: PLOVER type, mode, and how to read its arguments."""

    type: str
    mode: str | None = None
    inverse: bool = False
    weak: bool = False


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Triggers and cues of one language. Look-up keys are `normalise_lemma` forms.

    `verbs` / `nouns`: lemma -> entries; `phrases`: tuple of lemmas -> entries (a word or
    phrase may have readings in several types). `cues` is the parsed cues.json (a plain
    dict shared by every user of the cached lexicon: read it, never change it).
    """

    language: str
    verbs: Mapping[str, tuple[TriggerEntry, ...]]
    nouns: Mapping[str, tuple[TriggerEntry, ...]]
    phrases: Mapping[tuple[str, ...], tuple[TriggerEntry, ...]]
    cues: dict[str, Any]
    path: Path

    @property
    def triggers(self) -> Mapping[str, Mapping[Any, tuple[TriggerEntry, ...]]]:
        """The three look-up tables by section name: "verbs", "nouns", "phrases"."""
        return MappingProxyType({"verbs": self.verbs, "nouns": self.nouns, "phrases": self.phrases})

    @property
    def max_phrase_length(self) -> int:
        return max((len(p) for p in self.phrases), default=0)

    def verb(self, lemma: str) -> tuple[TriggerEntry, ...]:
        return self.verbs.get(normalise_lemma(lemma), ())

    def noun(self, lemma: str) -> tuple[TriggerEntry, ...]:
        return self.nouns.get(normalise_lemma(lemma), ())

    def phrase(self, lemmas: tuple[str, ...] | list[str]) -> tuple[TriggerEntry, ...]:
        return self.phrases.get(tuple(normalise_lemma(x) for x in lemmas), ())

    def types(self) -> frozenset[str]:
        """PLOVER types that have at least one trigger in this language."""
        found: set[str] = set()
        for table in (self.verbs, self.nouns, self.phrases):
            for entries in table.values():
                found.update(e.type for e in entries)
        return frozenset(found)


def available_languages(root: Path | None = None) -> tuple[str, ...]:
    """Languages with a triggers.json under `root` (default: the package's lexicons)."""
    root = root or LEXICON_ROOT
    if not root.is_dir():
        return ()
    return tuple(sorted(p.parent.name for p in root.glob("*/triggers.json")
                        if _LANGUAGE_RE.match(p.parent.name)))


def load_lexicon(language: str, root: Path | None = None) -> Lexicon:
    """Load, validate and cache the lexicon of `language` from `root/<language>/`.

    Raises ModelError: [E701] no such language folder/file, [E702] unreadable or not JSON,
    [E703] a key or value of the wrong shape (unknown type, unknown mode, bad value...).
    """
    return _load(language, (root or LEXICON_ROOT).resolve())


@lru_cache(maxsize=32)
def _load(language: str, root: Path) -> Lexicon:
    folder = root / language
    triggers_path, cues_path = folder / "triggers.json", folder / "cues.json"
    if not _LANGUAGE_RE.match(language):
        raise ModelError(Errors.E701.format(lang=language, path=folder))
    for path in (triggers_path, cues_path):
        if not path.is_file():
            raise ModelError(Errors.E701.format(lang=language, path=path))
    triggers = _read_json(triggers_path)
    cues = _read_json(cues_path)
    verbs, nouns, phrases = _parse_triggers(triggers, triggers_path)
    _check_cues(cues, cues_path)
    return Lexicon(language, verbs, nouns, phrases, cues, folder)


def _duplicate_guard(path: Path):  # type: ignore[no-untyped-def]
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ModelError(Errors.E703.format(path=path, key=key, reason="duplicate key"))
            out[key] = value
        return out
    return hook


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_duplicate_guard(path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(Errors.E702.format(path=path, reason=exc)) from None
    if not isinstance(data, dict):
        raise ModelError(Errors.E703.format(path=path, key="(top)", reason="expected a JSON object"))
    if data.get("_format") != 1:
        raise ModelError(Errors.E703.format(path=path, key="_format",
                                            reason="expected \"_format\": 1"))
    return data


def _entry(value: Any, ptype: str, modes: tuple[str, ...], path: Path, key: str) -> TriggerEntry:
    def bad(reason: str) -> ModelError:
        return ModelError(Errors.E703.format(path=path, key=key, reason=reason))

    inverse = weak = False
    if value is None or isinstance(value, str):
        mode = value
    elif isinstance(value, dict):
        extra = set(value) - _ENTRY_KEYS
        if extra:
            raise bad(f"unknown field(s) {', '.join(sorted(extra))} (allowed: mode, inverse, weak)")
        mode = value.get("mode")
        inverse, weak = value.get("inverse", False), value.get("weak", False)
        if not isinstance(inverse, bool) or not isinstance(weak, bool):
            raise bad("'inverse' and 'weak' must be true or false")
        if mode is not None and not isinstance(mode, str):
            raise bad("'mode' must be a string or null")
    else:
        raise bad("expected null, a mode string or {\"mode\", \"inverse\", \"weak\"}")
    if mode is not None and mode not in modes:
        known = ", ".join(modes) or "none"
        raise bad(f"'{mode}' is not a PLOVER mode of {ptype} (known: {known})")
    return TriggerEntry(ptype, mode, inverse, weak)


def _parse_triggers(data: dict[str, Any], path: Path) -> tuple[
        Mapping[str, tuple[TriggerEntry, ...]], Mapping[str, tuple[TriggerEntry, ...]],
        Mapping[tuple[str, ...], tuple[TriggerEntry, ...]]]:
    table = load_mappings()
    words: dict[str, dict[str, list[TriggerEntry]]] = {"verbs": {}, "nouns": {}}
    phrases: dict[tuple[str, ...], list[TriggerEntry]] = {}
    for ptype, sections in data.items():
        if ptype.startswith("_"):
            continue
        if ptype not in PLOVER_TYPES:
            raise ModelError(Errors.E703.format(path=path, key=ptype, reason="unknown PLOVER type"))
        if not isinstance(sections, dict):
            raise ModelError(Errors.E703.format(path=path, key=ptype, reason="expected an object"))
        modes = table.types[ptype].modes
        for section, entries in sections.items():
            where = f"{ptype}.{section}"
            if section not in _SECTIONS:
                raise ModelError(Errors.E703.format(
                    path=path, key=where, reason="unknown section (expected verbs, nouns, phrases)"))
            if not isinstance(entries, dict):
                raise ModelError(Errors.E703.format(path=path, key=where, reason="expected an object"))
            for raw_key, value in entries.items():
                key = normalise_lemma(raw_key) if isinstance(raw_key, str) else ""
                where_key = f"{where}.{raw_key}"
                if not key:
                    raise ModelError(Errors.E703.format(path=path, key=where_key, reason="empty key"))
                entry = _entry(value, ptype, modes, path, where_key)
                tokens = tuple(key.split(" "))
                if section == "phrases":
                    if len(tokens) < 2:
                        raise ModelError(Errors.E703.format(
                            path=path, key=where_key, reason="a phrase needs two or more lemmas"))
                    bucket = phrases.setdefault(tokens, [])
                else:
                    if len(tokens) != 1:
                        raise ModelError(Errors.E703.format(
                            path=path, key=where_key,
                            reason="verbs and nouns are single lemmas; put multi-word entries in phrases"))
                    bucket = words[section].setdefault(key, [])
                if any(e.type == ptype for e in bucket):
                    raise ModelError(Errors.E703.format(
                        path=path, key=where_key, reason=f"listed twice for {ptype} (after normalisation)"))
                bucket.append(entry)

    def freeze(d: dict[Any, list[TriggerEntry]]) -> Mapping[Any, tuple[TriggerEntry, ...]]:
        return MappingProxyType({k: tuple(v) for k, v in d.items()})

    return freeze(words["verbs"]), freeze(words["nouns"]), freeze(phrases)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_cues(cues: dict[str, Any], path: Path) -> None:
    def bad(key: str, reason: str) -> ModelError:
        return ModelError(Errors.E703.format(path=path, key=key, reason=reason))

    for key, value in cues.items():
        if key.startswith("_"):
            continue
        if key in _CUE_LISTS:
            if not _strings(value):
                raise bad(key, "expected a list of non-empty strings")
        elif key in _CUE_GROUPS:
            if not isinstance(value, dict):
                raise bad(key, "expected an object")
            if key == "mode_nouns":
                _check_mode_nouns(value, path)
                continue
            for sub, item in value.items():
                if isinstance(item, dict):
                    if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                               for k, v in item.items()):
                        raise bad(f"{key}.{sub}", "expected an object of word -> integer")
                elif isinstance(item, int) and not isinstance(item, bool):
                    continue
                elif not _strings(item):
                    raise bad(f"{key}.{sub}", "expected a list of non-empty strings")
        elif not isinstance(value, (list, dict)):
            raise bad(key, "expected a list or an object")


def _check_mode_nouns(value: dict[str, Any], path: Path) -> None:
    table = load_mappings()
    for ptype, nouns in value.items():
        key = f"mode_nouns.{ptype}"
        if ptype not in PLOVER_TYPES:
            raise ModelError(Errors.E703.format(path=path, key=key, reason="unknown PLOVER type"))
        if not isinstance(nouns, dict):
            raise ModelError(Errors.E703.format(path=path, key=key, reason="expected an object"))
        modes = table.types[ptype].modes
        for noun, mode in nouns.items():
            if mode not in modes:
                raise ModelError(Errors.E703.format(
                    path=path, key=f"{key}.{noun}",
                    reason=f"{mode!r} is not a PLOVER mode of {ptype} (known: {', '.join(modes) or 'none'})"))
