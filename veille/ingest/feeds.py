"""RSS/Atom feed files -> one Article per item (from its content, else its summary).

The bytes are first parsed by defusedxml with entity declarations and external references
forbidden, so "billion laughs" and XXE documents are refused before feedparser sees them;
feedparser then reads them from memory (never from a path or URL it could open itself).
`Article.source` of an item is `<path>#<n>` (items counted from 1); `url` is the item's link.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from veille.errors import Errors, InputError
from veille.ingest.html import html_fragment_to_text
from veille.models import Article, IngestFailure, content_id
from veille.normalize import detect_language, normalize_text

__all__ = ["iter_feed", "looks_like_feed", "check_xml_safe"]

_FEED_SNIFF_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*"
    r"(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)[\s>]",
    re.I | re.S,
)
_ENTITY_DECL_RE = re.compile(rb"<!ENTITY", re.I)


def looks_like_feed(head: str) -> bool:
    """True when the beginning of a text looks like an RSS or Atom document."""
    return bool(_FEED_SNIFF_RE.match(head[:4096]))


def check_xml_safe(data: bytes, path: str) -> None:
    """Refuse XML with entity declarations or external references (raises InputError E110).

    Malformed XML without entity declarations passes: feedparser's tolerant parser may still
    read it, and it never expands declared entities on its own.
    """
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        kind = "external entity" if exc.sysid or exc.pubid else "entity declaration"
        raise InputError(Errors.E110.format(path=path, reason=f"{kind} '{exc.name}' forbidden")) from exc
    except (ExternalReferenceForbidden, DTDForbidden) as exc:
        raise InputError(Errors.E110.format(path=path, reason="external reference forbidden")) from exc
    except ET.ParseError:
        if _ENTITY_DECL_RE.search(data):
            raise InputError(Errors.E110.format(
                path=path, reason="malformed XML with entity declarations")) from None


def _iso_day(value: Any) -> str | None:
    if isinstance(value, time.struct_time):
        try:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
        except ValueError:
            return None
    return None


def _entry_text(entry: Any) -> str:
    parts = [c.get("value", "") for c in entry.get("content", []) if isinstance(c, dict)]
    raw = "\n\n".join(p for p in parts if p) or entry.get("summary", "") or ""
    return html_fragment_to_text(str(raw))


def iter_feed(data: bytes, path: str) -> Iterator[Article | IngestFailure]:
    """One Article (or IngestFailure) per feed item; raises InputError for a refused feed."""
    import feedparser

    check_xml_safe(data, path)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo"):
            reason = f"malformed feed: {parsed.get('bozo_exception')}"
            raise InputError(Errors.E107.format(path=path, reason=reason[:200]))
        raise InputError(Errors.E108.format(path=path))
    feed_lang = str(parsed.get("feed", {}).get("language", "") or "")[:2].lower() or None
    for number, entry in enumerate(entries, start=1):
        source = f"{path}#{number}"
        text = _entry_text(entry)
        if not text:
            yield IngestFailure(source, Errors.E108.format(path=source))
            continue
        title = normalize_text(html_fragment_to_text(str(entry.get("title", "") or "")))
        yield Article(
            id=content_id(text),
            source=source,
            text=text,
            title=title or None,
            url=str(entry.get("link")) if entry.get("link") else None,
            # dict.get: FeedParserDict.get would alias the two dates (with a warning)
            published=_iso_day(dict.get(entry, "published_parsed"))
            or _iso_day(dict.get(entry, "updated_parsed")),
            modified=_iso_day(dict.get(entry, "updated_parsed")),
            language=detect_language(text) or feed_lang,
            keywords=tuple(
                str(t.get("term")) for t in entry.get("tags", []) if isinstance(t, dict) and t.get("term")
            ),
        )
