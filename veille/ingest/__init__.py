"""Veille ingest stage: files, folders, stdin, HTML, JSON Lines, RSS/Atom and URLs -> Article.

    iter_inputs(paths, *, max_bytes=DEFAULT_MAX_BYTES, stdin=None)
        -> Iterator[Article | IngestFailure]     never raises for bad input
    article_from_text(raw, source) -> Article   plain text, seed header shape recognised
    article_from_html(html, source, url=None) -> Article
    article_from_url(url, *, allow_private=False, ...) -> Article

The single-item functions raise InputError subclasses with coded messages (veille.errors);
`iter_inputs` turns those into IngestFailure records and goes on with the batch.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from veille.ingest.files import DEFAULT_MAX_BYTES, iter_paths
from veille.ingest.html import article_from_html
from veille.ingest.text import article_from_text
from veille.ingest.urls import article_from_url
from veille.models import Article, IngestFailure

__all__ = [
    "DEFAULT_MAX_BYTES", "iter_inputs", "article_from_text", "article_from_html", "article_from_url",
]


def iter_inputs(
    paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Article | IngestFailure]:
    """One or more Articles or IngestFailures per input, in input order.

    Files are read by extension (.txt/.md/no extension: text, sniffed for HTML, feeds and
    JSON Lines when extensionless; .html/.htm; .jsonl/.ndjson; .xml/.rss/.atom); folders are
    walked recursively in sorted order, skipping hidden entries, each file's source being
    `os.path.join(folder_as_given, relative_path)`; `-` reads `stdin` (default: sys.stdin).
    Two inputs with the same content give two Articles with the same id.
    """
    return iter_paths(paths, max_bytes=max_bytes, stdin=stdin)
