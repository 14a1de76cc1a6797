"""spaCy pipelines per language behind one interface.

A language is a folder `veille/lexicons/<lang>/` whose `language.json` names its spaCy
pipeline; adding a language needs data, not code. Each pipeline is loaded once per process
and gets a `veille_sentences` component before the parser: line breaks and sentence-final
punctuation fix sentence boundaries, which the statistical parser then respects (news pages
put headlines and paragraphs on separate lines with no final stop).
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from veille.errors import Errors, ModelError

__all__ = ["LanguageInfo", "language_info", "supported_languages", "load_pipeline", "parse", "LEXICON_ROOT"]

LEXICON_ROOT = Path(__file__).resolve().parent.parent / "lexicons"
_SENT_END = {".", "!", "?", "…", "»", "\u201d", '"'}
_lock = threading.Lock()


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str
    spacy_model: str
    folder: Path


def supported_languages(root: Path | None = None) -> tuple[str, ...]:
    """Languages with a `language.json` in the lexicon folder."""
    base = root or LEXICON_ROOT
    return tuple(sorted(p.parent.name for p in base.glob("*/language.json")))


@lru_cache(maxsize=None)
def language_info(code: str, root: Path | None = None) -> LanguageInfo | None:
    folder = (root or LEXICON_ROOT) / code
    meta = folder / "language.json"
    if not meta.is_file():
        return None
    data = json.loads(meta.read_text(encoding="utf-8"))
    return LanguageInfo(code=code, name=data.get("name", code), spacy_model=data["spacy_model"], folder=folder)


@Language.component("veille_sentences")
def veille_sentences(doc: Doc) -> Doc:
    """Pre-set sentence starts: after a newline, or after final punctuation + capital."""
    for i, tok in enumerate(doc):
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        if tok.is_space:
            tok.is_sent_start = False
        elif "\n" in prev.text_with_ws or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
        elif prev.text in _SENT_END and prev.i > 0 and doc[prev.i - 1].text not in {"M", "Mr", "Dr", "St", "Mme"} and (
            tok.is_title or tok.is_upper or tok.text in {"«", "\u201c", '"', "("} or tok.like_num
        ):
            # "M. Lavrov": an honorific abbreviation does not end a sentence
            tok.is_sent_start = prev.text != "." or len(doc[prev.i - 1].text) > 1 or not doc[prev.i - 1].is_upper
        else:
            tok.is_sent_start = False
    return doc


@lru_cache(maxsize=None)
def _load(model: str) -> Language:
    import spacy

    try:
        nlp = spacy.load(model, exclude=["textcat"])
    except OSError as exc:  # package missing
        raise ModelError(Errors.E302.format(name=model, reason=exc)) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("veille_sentences", before="parser")
    return nlp


def load_pipeline(language: str) -> Language:
    """The spaCy pipeline for a language code, loaded once per process."""
    info = language_info(language)
    if info is None:
        raise ModelError(Errors.E302.format(name=language, reason="no language.json for this language"))
    with _lock:
        return _load(info.spacy_model)


def parse(texts: Iterable[str], language: str, batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts of one language with nlp.pipe (batched)."""
    nlp = load_pipeline(language)
    yield from nlp.pipe(texts, batch_size=batch_size)
