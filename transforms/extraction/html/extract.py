"""Find the article in an HTML page: its body paragraphs and its metadata, in one parse.

>>> extraction = extract_html(page_html, url="https://example.org/news/1")
>>> extraction.title, extraction.paragraphs[0]

The page is parsed once with ``lxml.html`` (comments dropped by the parser); metadata comes
from :mod:`.metadata` before anything is removed. The body is found in steps,
each in its own module:

1. *Clean* (:mod:`.clean`): never-text elements, hidden elements and blocks
   whose class/id says boilerplate go; text and link-text counts are taken in one walk.
2. *Score* (:mod:`.body`): readability-style content scoring picks the
   container of the article, widened and joined by its siblings where the text is split.
3. *Emit* (:mod:`.paragraphs`): the container becomes paragraphs, without
   in-body junk (share bars, ad slots, "Read more:" lines, credits, related boxes).
4. *Fallback*: when that gives under 200 characters, every plain-text paragraph of the
   page is kept instead.

JSON-LD ``articleBody`` replaces the page text unless it is a teaser (much shorter) or one
block where the page has paragraphs. Never raises on bad input: a page with no content gives
an :class:`Extraction` with empty ``paragraphs``. The one exception is the time budget: with
a :class:`~newsbeam.transforms.extraction.deadline.Deadline`, a page that takes too long
raises :class:`~newsbeam.transforms.extraction.deadline.ExtractionTimeout` (the parse stage
makes it a reject ``timeout``).
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import lxml.html
from lxml import etree

from newsbeam.transforms.extraction.deadline import NO_DEADLINE, Deadline, ExtractionTimeout
from newsbeam.transforms.extraction.html.body import best_containers, find_lead
from newsbeam.transforms.extraction.html.clean import clean, remove_unlikely, text_stats
from newsbeam.transforms.extraction.html.metadata import read_metadata
from newsbeam.transforms.extraction.html.paragraphs import (
    captions_of,
    emit_paragraphs,
    keep_paragraph,
    select_paragraphs,
    trim_trailing_labels,
)
from newsbeam.transforms.extraction.html.text import collapse, dedupe
from newsbeam.transforms.extraction.result import Extraction

__all__ = ["ExtractionTimeout", "extract_html"]

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    recover=True,
    # Lifts libxml2's limits on nesting depth (256) and text node size; pages are already
    # bounded by read.max_page_bytes, and every loop over the tree checks the deadline.
    huge_tree=True,
)
# One element class for every tag, chosen in C: lxml.html's default lookup calls back into
# Python for each element the code touches (form/input classes newsbeam never uses).
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement))
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_MARKUP_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h\d)\s*/?\s*>", re.I)
_MARKUP_TAG = re.compile(r"<[^>]{0,400}>")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)

_MIN_BODY_CHARS = 200
#: Container tags removed to re-read a page nested deeper than the parser goes (libxml2 stops
#: at a few thousand levels and drops what is below).
_CONTAINER_TAG = re.compile(r"<\s*/?\s*(?:div|span|section|article|font|center|main)\b[^>]{0,2000}>", re.I)
_MIN_LOST_CHARS = 500
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
#: JSON-LD articleBody is used when at least this long relative to the text found on the page.
_MIN_ARTICLE_BODY_SHARE = 0.8
_MIN_FALLBACK_CHARS = 40


def _parse(html: str) -> Any | None:
    """The lxml document of ``html``, or None when nothing can be parsed."""
    if not html or not html.strip():
        return None
    data = _XML_DECLARATION.sub("", html.replace("\x00", "")).encode("utf-8", "replace")
    try:
        document = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return document


def _article_body_paragraphs(article_body: str) -> list[str]:
    text = article_body
    if "<" in text and ">" in text:
        text = _MARKUP_TAG.sub("", _MARKUP_BREAK.sub("\n\n", text))
    text = html_lib.unescape(text)
    parts = _PARAGRAPH_BREAK.split(text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [paragraph for paragraph in (collapse(part) for part in parts) if paragraph]


def _prefer_article_body(from_jsonld: list[str], from_page: list[str]) -> list[str]:
    """JSON-LD ``articleBody`` unless it is a teaser, or one block where the page has paragraphs."""
    jsonld_chars = sum(len(paragraph) for paragraph in from_jsonld)
    page_chars = sum(len(paragraph) for paragraph in from_page)
    if jsonld_chars < _MIN_ARTICLE_BODY_SHARE * page_chars:
        return from_page
    if len(from_jsonld) == 1 and len(from_page) > 2 and page_chars >= _MIN_ARTICLE_BODY_SHARE * jsonld_chars:
        return from_page
    return from_jsonld


def _lost_text(html: str, paragraphs: list[str]) -> bool:
    """Whether the parser dropped most of the page's text (markup nested too deep).

    Checked only when a page gave no paragraphs: it parses the page a second time.
    """
    if paragraphs or len(html) < _MIN_LOST_CHARS:
        return False
    visible = len(_MARKUP_TAG.sub("", _SCRIPT_OR_STYLE.sub("", html)).strip())
    document = _parse(html)
    if visible < _MIN_LOST_CHARS or document is None:
        return False
    return len(document.text_content()) < 0.2 * visible


def extract_html(html: str, url: str | None = None, deadline: Deadline = NO_DEADLINE) -> Extraction:
    """The article of one HTML page: body paragraphs and metadata (see the module docstring).

    ``url`` is where the page was fetched; it only makes a relative canonical URL absolute.
    ``deadline`` bounds the time spent; past it, :class:`ExtractionTimeout` is raised.
    """
    extraction, document = _extract(html, url, deadline)
    if document is not None and _lost_text(html, extraction.paragraphs):
        flat, _ = _extract(_CONTAINER_TAG.sub("", html), url, deadline)
        extraction.paragraphs = flat.paragraphs
    return extraction


def _extract(html: str, url: str | None, deadline: Deadline) -> tuple[Extraction, Any | None]:
    """The extraction of ``html`` and its parsed document (None when nothing could be parsed)."""
    document = _parse(html) if isinstance(html, str) else None
    if document is None:
        return Extraction(), None
    deadline.check_now()
    meta = read_metadata(document, url)
    body = document.find("body")
    if body is None:
        body = document
    clean(body, deadline)
    stats = text_stats(body, deadline)
    remove_unlikely(body, stats, deadline)
    containers = best_containers(body, stats, deadline)
    paragraphs: list[str] = []
    captions = []
    for container in containers:
        emitted = emit_paragraphs(container, stats, deadline)
        paragraphs += select_paragraphs(emitted)
        captions += captions_of(container)
    lead = find_lead(containers[0], stats) if containers else None
    if lead is not None:
        lead_paragraphs = select_paragraphs(emit_paragraphs(lead, stats, deadline))
        body_text = " ".join(paragraphs[:3])
        paragraphs = [text for text in lead_paragraphs if text not in body_text] + paragraphs
    if sum(len(paragraph) for paragraph in paragraphs) < _MIN_BODY_CHARS:
        # No block stands out (short pages, text spread over many small boxes): keep
        # every plain-text paragraph of the page instead.
        emitted = emit_paragraphs(body, stats, deadline)
        paragraphs = [
            text
            for text, link_share in emitted
            if link_share < 0.5 and len(text) >= _MIN_FALLBACK_CHARS and keep_paragraph(text, link_share)
        ] or paragraphs
    paragraphs = trim_trailing_labels(paragraphs)
    captions += meta.captions
    if meta.article_body:
        paragraphs = _prefer_article_body(_article_body_paragraphs(meta.article_body), paragraphs)
    extraction = Extraction(
        paragraphs=paragraphs,
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        updated_at=meta.updated_at,
        url=meta.url,
        site_name=meta.site_name,
        language=meta.language,
        captions=dedupe(captions),
        sections=meta.sections,
        breadcrumbs=meta.breadcrumbs,
        og_type=meta.og_type,
    )
    return extraction, document
