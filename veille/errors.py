"""Veille's exception tree and coded messages.

    VeilleError                 base of everything Veille raises on purpose
    ├── InputError              an input cannot be read or parsed (one file/record; the batch goes on)
    │   ├── EmptyInputError     empty or whitespace-only input
    │   ├── BinaryInputError    input looks binary, not text
    │   ├── TooLargeError       input over the configured size limit
    │   └── DecodeError         text whose encoding cannot be determined
    ├── FetchError              a URL could not be fetched (network, limits)
    │   └── BlockedAddressError the URL points at a private/loopback/link-local address
    ├── LanguageError           no pipeline for the article's language
    ├── ModelError              a spaCy pipeline or data file is missing
    ├── StoreError              the store cannot be opened or written
    └── EvalError               gold data is malformed or missing

Messages carry a code (`[E101] ...`) so users can search for them.
"""
from __future__ import annotations

__all__ = [
    "VeilleError", "InputError", "EmptyInputError", "BinaryInputError", "TooLargeError",
    "DecodeError", "FetchError", "BlockedAddressError", "LanguageError", "ModelError",
    "StoreError", "EvalError", "Errors",
]


class Errors:
    """Coded message catalogue. Use `.format(...)` on the strings."""

    E101 = "[E101] {path}: no such file or directory"
    E102 = "[E102] {path}: empty input"
    E103 = "[E103] {path}: binary content, not text"
    E104 = "[E104] {path}: {size} bytes is over the size limit of {limit} bytes"
    E105 = "[E105] {path}: cannot determine the text encoding"
    E106 = "[E106] {path}: line {line}: {reason}"
    E107 = "[E107] {path}: cannot read: {reason}"
    E108 = "[E108] {path}: no article text could be extracted"
    E109 = "[E109] {path}: unsupported file type '{ext}' (expected text, HTML, JSON Lines or RSS/Atom)"
    E110 = "[E110] {path}: XML refused: {reason}"
    E111 = "[E111] {path}: folder holds no readable files"
    E201 = "[E201] {url}: fetch failed: {reason}"
    E202 = "[E202] {url}: refused: {reason} (use --allow-private for local addresses)"
    E203 = "[E203] {url}: refused: only http and https URLs are fetched"
    E301 = "[W301] {source}: language '{lang}' has no pipeline; no events extracted"
    E302 = "[E302] spaCy pipeline '{name}' is not installed: {reason}"
    E401 = "[E401] store {path}: {reason}"
    E501 = "[E501] {path}: {reason}"
    E601 = "[E601] {source}: processing failed: {reason}"
    E602 = "[E602] {what}: {reason}"
    E701 = "[E701] no event lexicon for language '{lang}': {path} not found"
    E702 = "[E702] {path}: cannot read lexicon: {reason}"
    E703 = "[E703] {path}: {key}: {reason}"
    E704 = "[E704] mapping table {path}: {key}: {reason}"
    E801 = "[E801] invalid base date {value!r}: expected YYYY-MM-DD, a date or None"
    E802 = "[E802] no date lexicon for language '{lang}' (loaded: {available})"
    E803 = "[E803] date lexicon {path}: {reason}"


class VeilleError(Exception):
    """Base class for errors Veille raises deliberately."""


class InputError(VeilleError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class TooLargeError(InputError):
    pass


class DecodeError(InputError):
    pass


class FetchError(VeilleError):
    pass


class BlockedAddressError(FetchError):
    pass


class LanguageError(VeilleError):
    pass


class ModelError(VeilleError):
    pass


class StoreError(VeilleError):
    pass


class EvalError(VeilleError):
    pass
