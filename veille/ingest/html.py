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
_SCRIPT_TAGS = ("script", "style", "noscript", "template")
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

    dates: list[str | None] = []
    for original in (True, False):
        try:
            found = find_date(copy.deepcopy(tree), extensive_search=False, original_date=original,
                              outputformat="%Y-%m-%d", url=url)
        except (ValueError, TypeError, lxml.etree.LxmlError):
            found = None  # a date is optional; the article is not
        dates.append(str(found) if found else None)
    return dates[0], dates[1]


# NUL and other control characters (raw or as character references) break lxml's tree API
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_BAD_REFS_RE = re.compile(
    r"&#(?:0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|127)|[xX]0*(?:[0-8]|[bBcCeEfF]|1[0-9a-fA-F]|7[fF]));?"
)


def _clean_markup(html: str | bytes) -> str:
    if isinstance(html, bytes):
        from trafilatura.utils import decode_file

        decoded = decode_file(html)
        html = decoded if isinstance(decoded, str) else decoded.decode("utf-8", errors="replace")
    return _BAD_REFS_RE.sub("", _BAD_CHARS_RE.sub("", html))


def _keywords(doc: object) -> tuple[str, ...]:
    raw = [*(getattr(doc, "tags", None) or []), *(getattr(doc, "categories", None) or [])]
    return tuple(dict.fromkeys(
        part.strip() for k in raw for part in _KEYWORD_SPLIT_RE.split(str(k or "")) if part.strip()
    ))


def article_from_html(html: str | bytes, source: str, url: str | None = None) -> Article:
    """Build an Article from an HTML page: main text, title, dates, language, keywords.

    Raises EmptyInputError for an empty page and InputError (E108) when no text is found.
    """
    markup = _clean_markup(html)
    if not markup.strip():
        raise EmptyInputError(Errors.E102.format(path=source))
    from trafilatura import bare_extraction

    tree = _parse(markup, source)
    for el in list(tree.iter(*_SCRIPT_TAGS)):
        el.drop_tree()  # before anything reads the tree: script text is never article text
    published, modified = _find_dates(tree, url)
    meta_lang = _meta_language(tree)
    fallback_tree = copy.deepcopy(tree)
    title_el = fallback_tree.find(".//title")
    page_title = normalize_text(title_el.text_content()) if title_el is not None else ""
    try:
        doc = bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                              include_tables=True, favor_recall=True)
    except (ValueError, TypeError, lxml.etree.LxmlError):
        doc = None  # fall back on the visible text below
    # trafilatura writes one block element per line: make each a paragraph
    text = normalize_text((getattr(doc, "text", None) or "").replace("\n", "\n\n"))
    title = normalize_text(getattr(doc, "title", None) or "")
    if not text:
        # trafilatura found no main text (very short pages): take all visible text instead
        _drop_non_text(fallback_tree)
        body = fallback_tree.find("body")
        text = normalize_text(_tree_text(body if body is not None else fallback_tree))
    if not text:
        raise InputError(Errors.E108.format(path=source))
    doc_date = getattr(doc, "date", None)
    published = published or (str(doc_date)[:10] if doc_date else None)
    return Article(
        id=content_id(text),
        source=source,
        text=text,
        title=title or page_title or None,
        url=url or getattr(doc, "url", None) or None,
        published=published,
        modified=modified if modified and modified != published else None,
        language=detect_language(text) or meta_lang,
        keywords=_keywords(doc) if doc is not None else (),
    )
