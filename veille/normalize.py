"""Text clean-up and language identification shared by every ingest path.

`normalize_text` makes article text predictable for the NLP stage (NFC, `\\n` line ends, no
invisible or control characters, single spaces) while keeping paragraphs and words intact;
`detect_language` names the language with py3langid, or says it cannot tell.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from py3langid.langid import LanguageIdentifier

__all__ = ["LANGUAGES", "normalize_text", "detect_language", "control_ratio"]

# Languages py3langid may answer with: those Veille has pipelines for plus the languages news
# in our region of interest is commonly written in. Restricting the model avoids exotic
# answers (e.g. "la" or "wa") for short or noisy text.
LANGUAGES: tuple[str, ...] = (
    "fr", "en", "es", "de", "it", "pt", "nl", "ar", "fa", "ru", "uk", "tr", "zh", "ja", "ko",
    "pl", "he", "hi", "ur", "id", "sv", "ro", "el", "cs", "hu", "ku", "ps", "sw", "vi", "th",
)
MIN_LETTERS = 10  # below this, py3langid guesses are noise
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 20_000  # language id looks at the beginning of long texts only

# Invisible characters removed from text. ZWNJ (U+200C) and ZWJ (U+200D) are kept: they are
# spelling in Persian, Kurdish and Indic scripts, not noise. Bidi embeddings/overrides/isolates
# are removed because they change how text displays without changing what it says
# ("Trojan source"); LRM/RLM/ALM likewise.
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero-width space
    "\u200e\u200f"  # LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings/overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero-width no-break space
)
# C0 and C1 controls except \t and \n (\r is turned into \n before this runs), DEL, lone
# surrogates (from surrogateescape decoding), and the invisible characters above.
_STRIP_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + _INVISIBLE + "]"
)
_LINE_SEP_RE = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# Every Unicode space separator (Zs) becomes a plain space; runs collapse to one.
_SPACES_RE = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_EDGE_RE = re.compile(r"[ \t]*\n[ \t]*")
_MANY_BLANKS_RE = re.compile(r"\n{3,}")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def normalize_text(raw: str) -> str:
    """Return `raw` cleaned for NLP; idempotent.

    NFC; CRLF, CR, U+2028/2029, VT and FF become `\\n`; control and invisible characters are
    removed (tabs and newlines stay); runs of spaces (any Unicode space) become one space;
    lines lose leading/trailing spaces; at most one blank line separates paragraphs; the
    result has no leading or trailing blank lines. Words and sentences are never altered.
    """
    text = _LINE_SEP_RE.sub("\n", raw)
    text = _STRIP_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    # NFC can produce nothing new to strip, but it can join characters; strip again is cheap
    # insurance for idempotence on pathological combining sequences.
    text = _STRIP_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _LINE_EDGE_RE.sub("\n", text)
    text = _MANY_BLANKS_RE.sub("\n\n", text)
    return text.strip(" \t\n")


def control_ratio(text: str, sample: int = 65_536) -> float:
    """Share of control characters (and U+FFFD) in the first `sample` characters."""
    head = text[:sample]
    if not head:
        return 0.0
    return len(_CONTROL_RE.findall(head)) / len(head)


_IDENTIFIER: LanguageIdentifier | None = None
_LOCK = threading.Lock()


def _identifier() -> LanguageIdentifier:
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            ident.set_languages(list(LANGUAGES))
            _IDENTIFIER = ident
        return _IDENTIFIER


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when too short or too uncertain."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER_RE.findall(sample[:2000])) < MIN_LETTERS:
        return None
    lang, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return str(lang)
