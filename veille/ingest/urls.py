"""URLs -> Article: fetched with veille.fetch (address checks, limits), read as HTML or text."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from veille.errors import Errors, InputError
from veille.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchResult, fetch
from veille.ingest.files import decode_bytes
from veille.ingest.html import article_from_html, looks_like_html
from veille.ingest.text import article_from_text
from veille.models import Article

__all__ = ["article_from_url"]


def article_from_url(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    fetcher: Callable[..., FetchResult] = fetch,
    **fetch_options: Any,
) -> Article:
    """Fetch `url` and read it as an HTML page (or plain text when served as text/plain).

    Raises FetchError / BlockedAddressError from the fetch, InputError for unusable content.
    `Article.source` and `Article.url` are the final URL after redirects.
    """
    result = fetcher(url, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout,
                     **fetch_options)
    if result.not_modified:
        raise InputError(Errors.E108.format(path=url) + " (304 Not Modified)")
    source = result.final_url
    if result.content_type == "text/plain":
        return article_from_text(decode_bytes(result.content, source), source)
    if result.content_type in ("text/html", "application/xhtml+xml", ""):
        return article_from_html(result.content, source, url=source)
    text = decode_bytes(result.content, source)
    if looks_like_html(text):
        return article_from_html(result.content, source, url=source)
    raise InputError(Errors.E109.format(path=source, ext=result.content_type))
