"""Paths, folders and stdin -> bytes -> decoded text -> the right reader (text, HTML, JSON Lines, feed).

Every input yields at least one Article or IngestFailure; nothing raises out of `iter_paths`.
Bytes are decoded by evidence, not by guessing: a BOM, then strict UTF-8 (a multi-byte
character cut at the very end is dropped), then charset-normalizer's detection; binary content
(NUL bytes that are not UTF-16/32, many control characters) is refused.
"""
from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from veille.errors import (
    BinaryInputError,
    DecodeError,
    EmptyInputError,
    Errors,
    InputError,
    TooLargeError,
)
from veille.ingest.feeds import iter_feed, looks_like_feed
from veille.ingest.html import article_from_html, looks_like_html
from veille.ingest.jsonl import iter_jsonl, looks_like_jsonl
from veille.ingest.text import article_from_text
from veille.models import Article, IngestFailure
from veille.normalize import control_ratio

__all__ = [
    "DEFAULT_MAX_BYTES", "STDIN", "decode_bytes", "read_limited", "kind_for", "iter_paths",
    "items_from_bytes",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN = "-"
MAX_CONTROL_RATIO = 0.05

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", "": "sniff",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
Item = Article | IngestFailure


def read_limited(path: str, max_bytes: int) -> bytes:
    """Bytes of a regular file, refusing files over `max_bytes` before reading them."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(Errors.E101.format(path=path)) from None
    except OSError as exc:
        raise InputError(Errors.E107.format(path=path, reason=exc.strerror or exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(Errors.E107.format(path=path, reason="is a folder"))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(Errors.E107.format(path=path, reason="not a regular file"))
    if info.st_size > max_bytes:
        raise TooLargeError(Errors.E104.format(path=path, size=info.st_size, limit=max_bytes))
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(Errors.E107.format(path=path, reason=exc.strerror or exc)) from None
    if len(data) > max_bytes:  # the file grew while we looked
        raise TooLargeError(Errors.E104.format(path=path, size=f"more than {max_bytes}", limit=max_bytes))
    return data


def read_stream(stream: BinaryIO, max_bytes: int, name: str = STDIN) -> bytes:
    """Up to `max_bytes` from a binary stream; TooLargeError beyond."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(Errors.E107.format(path=name, reason=exc.strerror or exc)) from None
    if len(data) > max_bytes:
        raise TooLargeError(Errors.E104.format(path=name, size=f"more than {max_bytes}", limit=max_bytes))
    return data


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # only an incomplete character at the very end (a truncated file) is forgiven
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            return data[:exc.start].decode("utf-8", errors="strict")
        return None


def decode_bytes(data: bytes, path: str) -> str:
    """Decode `data` to text; raises EmptyInputError, BinaryInputError or DecodeError."""
    if not data.strip():
        raise EmptyInputError(Errors.E102.format(path=path))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise DecodeError(Errors.E105.format(path=path)) from None
    text: str | None = None
    if b"\x00" not in data:
        text = _decode_utf8(data)
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            if b"\x00" in data:
                raise BinaryInputError(Errors.E103.format(path=path))
            raise DecodeError(Errors.E105.format(path=path))
        if b"\x00" in data and not best.encoding.startswith(("utf_16", "utf_32")):
            raise BinaryInputError(Errors.E103.format(path=path))
        text = str(best)
    if control_ratio(text) > MAX_CONTROL_RATIO:
        raise BinaryInputError(Errors.E103.format(path=path))
    return text


def kind_for(path: str) -> str:
    """Reader for a path by its extension: text, html, jsonl, feed, sniff or unknown."""
    ext = os.path.splitext(path)[1].lower()
    return EXTENSIONS.get(ext, "unknown")


def _sniff(text: str) -> str | None:
    head = text[:4096]
    if looks_like_feed(head):
        return "feed"
    if looks_like_html(head):
        return "html"
    if looks_like_jsonl(text[:65_536]):
        return "jsonl"
    return None


def items_from_bytes(data: bytes, source: str, kind: str) -> Iterator[Item]:
    """Decode and read one input's bytes; every problem becomes an IngestFailure."""
    try:
        if kind == "feed":
            yield from iter_feed(data, source)
            return
        text = decode_bytes(data, source)
        if kind in ("sniff", "unknown"):
            sniffed = _sniff(text)
            if sniffed is None and kind == "unknown":
                ext = os.path.splitext(source)[1].lower()
                raise InputError(Errors.E109.format(path=source, ext=ext))
            kind = sniffed or "text"
        if kind == "feed":
            yield from iter_feed(data, source)
        elif kind == "html":
            yield article_from_html(text, source)
        elif kind == "jsonl":
            yield from iter_jsonl(text, source)
        else:
            yield article_from_text(text, source)
    except InputError as exc:
        yield IngestFailure(source, str(exc))
    except RecursionError:
        yield IngestFailure(source, Errors.E107.format(path=source, reason="structure nested too deeply"))
    except MemoryError:
        yield IngestFailure(source, Errors.E107.format(path=source, reason="out of memory"))
    except Exception as exc:  # noqa: BLE001 - third-party parsers on hostile input: record, go on
        reason = f"unexpected {type(exc).__name__}: {exc}"[:200]
        yield IngestFailure(source, Errors.E107.format(path=source, reason=reason))


def _iter_file(path: str, max_bytes: int) -> Iterator[Item]:
    try:
        data = read_limited(path, max_bytes)
    except InputError as exc:
        yield IngestFailure(path, str(exc))
        return
    yield from items_from_bytes(data, path, kind_for(path))


def _iter_folder(folder: str, max_bytes: int) -> Iterator[Item]:
    errors: list[OSError] = []
    found = False
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append, followlinks=False):
        for err in errors:
            where = err.filename or dirpath
            yield IngestFailure(str(where), Errors.E107.format(path=where, reason=err.strerror or err))
        errors.clear()
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in list(dirnames):
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                dirnames.remove(name)  # never follow folder links (loops); say so
                yield IngestFailure(full, Errors.E107.format(path=full, reason="link to a folder, not followed"))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            found = True
            yield from _iter_file(os.path.join(dirpath, name), max_bytes)
    for err in errors:
        where = err.filename or folder
        yield IngestFailure(str(where), Errors.E107.format(path=where, reason=err.strerror or err))
    if not found:
        yield IngestFailure(folder, Errors.E111.format(path=folder))


def iter_paths(
    paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Articles and failures from files, folders (recursive, sorted) and `-` (stdin), in order."""
    for path in paths:
        if path == STDIN:
            if stdin is None:
                import sys

                stdin = sys.stdin.buffer
            try:
                data = read_stream(stdin, max_bytes)
            except InputError as exc:
                yield IngestFailure(STDIN, str(exc))
                continue
            yield from items_from_bytes(data, STDIN, "sniff")
        elif os.path.isdir(path):
            yield from _iter_folder(path, max_bytes)
        else:
            yield from _iter_file(path, max_bytes)
