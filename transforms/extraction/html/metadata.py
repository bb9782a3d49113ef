"""Metadata of an HTML news page: title, authors, dates, canonical URL, language, site words.

Used by :func:`.extract.extract_html`, which parses the page once and hands
the tree here before it strips the boilerplate. Every function takes an already parsed
``lxml.html`` document and never raises on odd markup; each value comes from the most
reliable source the page offers, in this order:

* JSON-LD (``<script type="application/ld+json">``, the article object of a list or ``@graph``),
* OpenGraph / ``article:*`` / Dublin Core ``<meta>`` tags,
* the visible page (``<h1>``, ``rel=author``, bylines, ``<time datetime>``, ``<title>``).

Dates are read by :mod:`.dates`, author names by :mod:`.authors`
(both re-exported here: ``normalize_date``, ``clean_author``).

>>> meta = read_metadata(lxml.html.document_fromstring(page))
>>> meta.title, meta.authors, meta.published_at
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

import orjson
from lxml import etree

from newsbeam.transforms.extraction.html.authors import (
    clean_author,
    dom_authors,
    is_publisher,
    visible_bylines,
)
from newsbeam.transforms.extraction.html.dates import (
    class_date,
    dom_date,
    guess_date,
    normalize_date,
    prefer_url_date,
    time_element_date,
    visible_date,
)
from newsbeam.transforms.extraction.html.text import collapse, dedupe, element_text
from newsbeam.transforms.extraction.html.title import pick_title, strip_site_name
from newsbeam.transforms.extraction.urls import date_from_url

__all__ = [
    "PageMetadata",
    "read_metadata",
    "normalize_date",
    "normalize_language",
    "clean_author",
    "collapse",
    "element_text",
]

#: JSON-LD ``@type`` values (lowercased) of the object that describes the article.
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "socialmediaposting", "scholarlyarticle", "techarticle", "report", "review",
})  # fmt: skip

_LANGUAGE = re.compile(r"^\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*\s*$")
_JSONLD_XPATH = etree.XPath("//script[contains(translate(@type, 'JSONLD', 'jsonld'), 'ld+json')]")
_HINT_NAME = re.compile(r"breadcrumb|byline|author|autor", re.I)
#: Class/id words of an element that shows the publication date.
_DATE_HINT = re.compile(
    r"(?:^|[-_ ])(?:date|datum|fecha|data|published|pubdate|posted|dateline)|post-?date", re.I
)
_NOT_DATE_HINT = re.compile(r"update|modif|comment|expir|event|birth", re.I)
_HOME_WORDS = frozenset({"home", "start", "startseite", "accueil", "inicio", "homepage", "front page"})


@dataclass(slots=True)
class PageMetadata:
    """What the page says about the article, apart from its body."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None
    url: str | None = None
    site_name: str | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    breadcrumbs: list[str] = field(default_factory=list)
    og_type: str | None = None
    article_body: str | None = None


def normalize_language(value: str | None) -> str | None:
    """The lowercase ISO 639-1 code of a language tag (``en-GB`` -> ``en``), or None."""
    match = _LANGUAGE.match(value or "")
    return match.group(1).lower() if match else None


def _meta_tags(document: Any) -> dict[str, list[str]]:
    """Contents of ``<meta>`` tags by lowercased name/property/itemprop/http-equiv."""
    tags: dict[str, list[str]] = {}
    for meta in document.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                tags.setdefault(key.strip().lower(), []).append(collapse(content))
    return tags


def _load_json(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--") or text.startswith("//<![CDATA["):
        text = re.sub(r"^(?:<!--|//<!\[CDATA\[)|(?:-->|//\]\]>)$", "", text).strip()
    for candidate in (text, html_lib.unescape(text)):
        try:
            return orjson.loads(candidate)
        except orjson.JSONDecodeError:
            continue
    return None


def _json_objects(value: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every dict in a JSON-LD value, flattening lists and ``@graph`` (bounded depth)."""
    if depth > 6:
        return []
    if isinstance(value, list):
        return [obj for item in value for obj in _json_objects(item, depth + 1)]
    if isinstance(value, dict):
        found = [value]
        graph = value.get("@graph")
        if graph is not None:
            found += _json_objects(graph, depth + 1)
        main_entity = value.get("mainEntity")
        if isinstance(main_entity, (dict, list)):
            found += _json_objects(main_entity, depth + 1)
        return found
    return []


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(item).rsplit("/", 1)[-1].lower() for item in kinds if item}


def _json_text(value: Any) -> str:
    """A JSON-LD value (string, or dict with name/text, or list of those) as plain text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("text") or value.get("@value")
    return collapse(html_lib.unescape(str(value))) if isinstance(value, (str, int, float)) else ""


def _json_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Author names of a JSON-LD value; ``{"@id": ...}`` references are looked up in ``by_id``."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if "name" not in item and isinstance(item.get("@id"), str):
                item = by_id.get(item["@id"], item)
            item = item.get("name")
        if isinstance(item, str):
            names += clean_author(item)
    return names


def _read_jsonld(document: Any) -> tuple[dict[str, Any], list[str], dict[str, dict[str, Any]]]:
    """The page's article object (empty if none), its BreadcrumbList names, and objects by ``@id``."""
    article: dict[str, Any] = {}
    crumbs: list[str] = []
    by_id: dict[str, dict[str, Any]] = {}
    for script in _JSONLD_XPATH(document):
        data = _load_json(script.text or "")
        for obj in _json_objects(data):
            if isinstance(obj.get("@id"), str):
                by_id.setdefault(obj["@id"], obj)
            kinds = _types(obj)
            if not article and kinds & ARTICLE_TYPES:
                article = obj
            elif "breadcrumblist" in kinds and not crumbs:
                elements = obj.get("itemListElement")
                for element in elements if isinstance(elements, list) else []:
                    if isinstance(element, dict):
                        name = _json_text(element.get("name") or element.get("item"))
                        crumbs.append(name)
    return article, crumbs, by_id


def _first(tags: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        for value in tags.get(name, ()):
            if value:
                return value
    return None


@dataclass(slots=True)
class _PageHints:
    """Elements of the visible page that name authors, breadcrumbs and dates (one pass)."""

    bylines: list[Any] = field(default_factory=list)
    breadcrumbs: list[Any] = field(default_factory=list)
    dates: dict[str, list[Any]] = field(default_factory=dict)
    dated: list[Any] = field(default_factory=list)


def _page_hints(document: Any) -> _PageHints:
    """One pass over the elements: itemprop dates, bylines and breadcrumbs by attribute."""
    hints = _PageHints()
    for element in document.iter():
        attributes = element.attrib
        if not attributes:
            continue
        get = attributes.get
        itemprop = get("itemprop")
        if itemprop in ("datePublished", "dateModified"):
            hints.dates.setdefault(itemprop, []).append(element)
        kind = _hint_kind(f"{get('class') or ''} {get('id') or ''} {get('aria-label') or ''}")
        if kind == "date":
            hints.dated.append(element)
        elif kind == "breadcrumb":
            hints.breadcrumbs.append(element)
        elif kind or get("rel") == "author" or itemprop == "author":
            hints.bylines.append(element)
    return hints


@lru_cache(maxsize=8192)
def _hint_kind(names: str) -> str | None:
    """ "breadcrumb", "byline" (author words), or None for a class/id/aria-label string."""
    match = _HINT_NAME.search(names)
    if match is None:
        return "date" if _DATE_HINT.search(names) and not _NOT_DATE_HINT.search(names) else None
    return "breadcrumb" if match.group().lower() == "breadcrumb" else "byline"


def _dom_breadcrumbs(containers: list[Any]) -> list[str]:
    """The item texts of the first breadcrumb element that has items."""
    for container in containers[:3]:
        items = container.findall(".//li") or container.findall(".//a")
        if items:
            return [element_text(item) for item in items]
    return []


def _clean_breadcrumbs(crumbs: list[str]) -> list[str]:
    return dedupe(
        [crumb for crumb in crumbs if crumb and len(crumb) <= 80 and crumb.lower() not in _HOME_WORDS]
    )


def _as_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [collapse(html_lib.unescape(item)) for item in items if isinstance(item, str)]


def _published_date(
    document: Any,
    article: dict[str, Any],
    tags: dict[str, list[str]],
    hints: Callable[[], _PageHints],
    skip_guessing: bool,
) -> str | None:
    """The publication date the page states, most reliable source first.

    htmldate's searches (slow) are skipped when ``skip_guessing`` (the URL names the day).
    """
    return (
        normalize_date(article.get("datePublished"))
        or normalize_date(_first(tags, "article:published_time", "og:published_time"))
        or normalize_date(_first(tags, "date", "pubdate", "publishdate", "dc.date.issued", "dc.date"))
        or normalize_date(_first(tags, "datepublished"))
        or dom_date(hints().dates.get("datePublished", []))
        or time_element_date(document)
        or visible_date(document)
        or (None if skip_guessing else guess_date(document))
        or class_date(hints().dated)
    )


def read_metadata(document: Any, url: str | None = None) -> PageMetadata:
    """All metadata of a parsed page (call before any element is removed from it)."""
    tags = _meta_tags(document)
    found_hints: list[_PageHints] = []

    def hints() -> _PageHints:
        """The visible-page hints, looked for only when the metadata tags fall short."""
        if not found_hints:
            found_hints.append(_page_hints(document))
        return found_hints[0]

    article, jsonld_crumbs, by_id = _read_jsonld(document)
    meta = PageMetadata()

    site_name = _first(tags, "og:site_name") or _json_text(article.get("publisher"))
    meta.title = pick_title(
        document,
        _json_text(article.get("headline"))
        or strip_site_name(_first(tags, "og:title", "twitter:title") or "", site_name),
        site_name,
    )

    publisher = _json_text(article.get("publisher")) or None

    def people(names: list[str]) -> list[str]:
        return [
            name for name in names if not (is_publisher(name, site_name) or is_publisher(name, publisher))
        ]

    authors = people(_json_names(article.get("author"), by_id))
    for source in (tags.get("author", []), tags.get("article:author", []), tags.get("dc.creator", [])):
        if not authors:
            authors = people([name for value in source for name in clean_author(value)])
    authors = authors or people(dom_authors(hints().bylines)) or people(visible_bylines(document))
    meta.authors = dedupe(authors)

    canonical = None
    for link in document.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href").strip()
            break
    canonical = canonical or _first(tags, "og:url")
    if canonical:
        canonical = urljoin(url, canonical) if url else canonical
        meta.url = canonical if canonical.startswith(("http://", "https://")) else None

    url_date = date_from_url(meta.url) or date_from_url(url)
    meta.published_at = prefer_url_date(
        _published_date(document, article, tags, hints, skip_guessing=url_date is not None), url_date
    )
    meta.updated_at = (
        normalize_date(article.get("dateModified"))
        or normalize_date(_first(tags, "article:modified_time", "og:updated_time", "datemodified"))
        or dom_date(hints().dates.get("dateModified", []))
    )
    meta.site_name = site_name or None

    html_element = document if document.tag == "html" else document.getroottree().getroot()
    meta.language = (
        normalize_language(html_element.get("lang") or html_element.get("xml:lang"))
        or normalize_language(_first(tags, "content-language"))
        or normalize_language(_first(tags, "og:locale"))
    )

    image = article.get("image")
    for item in image if isinstance(image, list) else [image]:
        if isinstance(item, dict) and isinstance(item.get("caption"), str):
            meta.captions.append(collapse(html_lib.unescape(item["caption"])))

    meta.sections = dedupe(
        _as_list(article.get("articleSection"))
        or [value for name in ("article:section", "section", "category") for value in tags.get(name, [])]
    )
    meta.breadcrumbs = _clean_breadcrumbs(jsonld_crumbs) or _clean_breadcrumbs(
        _dom_breadcrumbs(hints().breadcrumbs)
    )
    meta.og_type = _first(tags, "og:type")
    body = article.get("articleBody")
    meta.article_body = body if isinstance(body, str) and body.strip() else None
    return meta
