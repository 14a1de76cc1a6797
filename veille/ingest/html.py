"""HTML pages and fragments -> Article: trafilatura for the main text and title, htmldate for dates.

Inputs are always parsed from memory: neither library is ever handed something it could take
for a URL to download. Script, style and template content never reaches the article text.
"""
from __future__ import annotations

import copy
import re

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from veille.errors import EmptyInputError, Errors, InputError
from veille.models import Article, content_id
from veille.normalize import detect_language, normalize_text

__all__ = ["article_from_html", "html_fragment_to_text", "looks_like_html"]

_NON_TEXT_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
                  "math", "head", "button", "select", "textarea")
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "li", "ul",
    "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
    "tr", "figure", "figcaption", "address", "hr",
})
_HTML_SNIFF_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.I | re.S,
)
_KEYWORD_SPLIT_RE = re.compile(r"[,;|]")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_].*)?$", re.I)


def looks_like_html(head: str) -> bool:
    """True when the beginning of a text looks like an HTML document."""
    return bool(_HTML_SNIFF_RE.match(head[:4096]))


def _drop_non_text(root: HtmlElement) -> None:
    for el in list(root.iter(*_NON_TEXT_TAGS)):
        el.drop_tree()  # keeps the element's tail text
    for el in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        parent = el.getparent()
        if parent is not None:
            tail = el.tail or ""
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(el)


def _tree_text(root: HtmlElement) -> str:
    """Visible text of a (cleaned) tree with paragraph breaks after block elements."""
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
    return str(root.text_content())


def html_fragment_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (feed summaries, content:encoded), normalised."""
    if "<" not in fragment and "&" not in fragment:
        return normalize_text(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return normalize_text(fragment)
    _drop_non_text(root)
    return normalize_text(_tree_text(root))


def _parse(html: str | bytes, source: str) -> HtmlElement:
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        # trafilatura refuses documents it finds dubious; lxml still gives a usable tree
        try:
            tree = lxml.html.document_fromstring(html)
        except (lxml.etree.ParserError, ValueError) as exc:
            raise InputError(Errors.E108.format(path=source)) from exc
    return tree


def _meta_language(tree: HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang and _LANG_RE.match(lang.strip()):
        return lang.strip()[:2].lower()
    return None


def _find_dates(tree: HtmlElement, url: str | None) -> tuple[str | None, str | None]:
    from htmldate import find_date

    published = find_date(copy.deepcopy(tree), extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%d", url=url)
    modified = find_date(copy.deepcopy(tree), extensive_search=False, original_date=False,
                         outputformat="%Y-%m-%d", url=url)
    return published, modified


def article_from_html(html: str | bytes, source: str, url: str | None = None) -> Article:
    """Build an Article from an HTML page: main text, title, dates, language, keywords.

    Raises EmptyInputError for an empty page and InputError (E108) when no text is found.
    """
    if not (html.strip() if isinstance(html, str) else html.strip()):
        raise EmptyInputError(Errors.E102.format(path=source))
    from trafilatura import bare_extraction

    tree = _parse(html, source)
    published, modified = _find_dates(tree, url)
    meta_lang = _meta_language(tree)
    fallback_tree = copy.deepcopy(tree)
    title_el = fallback_tree.find(".//title")
    page_title = normalize_text(title_el.text_content()) if title_el is not None else ""
    doc = bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                          include_tables=True, favor_recall=True)
    # trafilatura writes one block element per line: make each a paragraph
    text = normalize_text((doc.text or "").replace("\n", "\n\n")) if doc is not None else ""
    title = normalize_text(doc.title or "") if doc is not None else ""
    keywords: tuple[str, ...] = ()
    if doc is not None:
        keywords = tuple(dict.fromkeys(
            part.strip()
            for k in [*(doc.tags or []), *(doc.categories or [])]
            for part in _KEYWORD_SPLIT_RE.split(k or "")
            if part.strip()
        ))
    if not text:
        # trafilatura found no main text (very short pages): take all visible text instead
        _drop_non_text(fallback_tree)
        body = fallback_tree.find("body")
        text = normalize_text(_tree_text(body if body is not None else fallback_tree))
    title = title or page_title
    if not text:
        raise InputError(Errors.E108.format(path=source))
    if doc is not None and doc.date and not published:
        published = str(doc.date)[:10]
    return Article(
        id=content_id(text),
        source=source,
        text=text,
        title=title or None,
        url=url or (doc.url if doc is not None and doc.url else None),
        published=published,
        modified=modified if modified and modified != published else None,
        language=detect_language(text) or meta_lang,
        keywords=keywords,
    )
