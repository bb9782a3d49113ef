"""Author names of a page, cleaned of "By", roles and agency names.

:func:`clean_author` turns one byline into names: ``"By Ann Lee and Bo Kim | Staff"`` gives
``["Ann Lee", "Bo Kim"]``; job titles ("Staff Writer", "Correspondent"), news agencies
("Reuters", "AFP") after a comma, profile URLs, e-mail addresses and dates are dropped.
:func:`dom_authors` reads the visible page's byline elements (``rel=author``,
``itemprop=author``, ``class=byline``/``author``...) when JSON-LD and meta tags name no one.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from lxml import etree

from newsbeam.transforms.extraction.html.text import collapse, element_text

__all__ = ["clean_author", "dom_authors", "is_publisher", "visible_bylines"]

_BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|published|written|veröffentlicht|publiziert|geschrieben|verfasst|author|autor|"
    r"posted on|published on)\s*)?(?:by|von|par|por|door|di|av|af|am|on|:)?\s*:?\s+",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"\d|^(?:posted|published|written|veröffentlicht|publiziert|geschrieben|verfasst|by|von|on|am|"
    r"author|autor|admin|administrator|no author|unknown|anonymous|stand|datum|date|follow|folgen|auteurs?|"
    r"text|texte|artikel|beitrag|alle beiträge|all posts|agencies|agenturen|redaktion|jobs|hire|profil|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)(?:\s+(?:by|von|on|am|in))?$|^(?:please|bitte|afficher|view|see|mehr|more)\b",
    re.IGNORECASE,
)
_AUTHOR_ROLE = re.compile(
    r"\b(?:staff|reporter|correspondent|editor|writer|journalist|columnist|contributor|"
    r"redakteur|redaktion|news desk|desk|bureau)\b",
    re.IGNORECASE,
)
_AGENCIES = frozenset({"reuters", "ap", "afp", "dpa", "associated press", "bloomberg", "pti", "ians", "upi"})
_AUTHOR_SPLIT = re.compile(r"\s*(?:\band\b|\bund\b|\bet\b|&|;|/)\s*", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]{0,80}\)|\[[^]]{0,80}\]")
_PHOTO_CREDIT = re.compile(r"\s*\b(?:fotos?|photos?|bilder?|images?|illustrations?|grafik)\s*:", re.I)
#: Labels before a byline: "Redaktion:", "Text:", "Gespeichert von", "Ein Beitrag von", "Posted by".
_BYLINE_LABEL = re.compile(
    r"^(?:(?:redaktion|text|texte|interview|reporting|story|words|autor(?:in)?|author|written|verfasst|"
    r"von|by|par|por)\s*:\s*|(?:gespeichert|geschrieben|verfasst|erstellt|eingestellt|blog ?beitrag|"
    r"ein beitrag|beitrag|posted|written|published|reported|story|article|publié|escrito|publicado)\s+"
    r"(?:von|by|par|por)\s+)",
    re.I,
)
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)[a-zäé]*\.?"
)
#: A date or time after the name: "Ann Lee Feb 21, 2020", "rasos am 24. Juli 2017 - 18:55".
_TRAILING_DATE = re.compile(
    rf"\s*(?:,|\bam\b|\bon\b|\ble\b|\bel\b|\bupdated\b|\baktualisiert\b)?\s*(?:\d{{1,2}}\.?\s*{_MONTH}|"
    rf"{_MONTH}\s*\d{{1,2}}|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|\d{{1,2}}:\d{{2}}).*$",
    re.I,
)
_LEADING_DATE = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*(?:[-–|•,]\s*)?")
_DOMAIN = re.compile(r"\.(?:com|net|org|de|at|ch|fr|es|it|nl|pl|uk|co|info|eu|io|news)$|^www\.", re.I)
_NOT_BYLINE = re.compile(
    r"bio|box|avatar|image|img|photo|pic|desc|about|more|list|comment|social|email", re.I
)


def clean_author(raw: str) -> list[str]:
    """Names in one byline: "By Ann Lee and Bo Kim | Staff" -> ["Ann Lee", "Bo Kim"]."""
    text = collapse(html_lib.unescape(raw))
    if "://" in text or text.lower().startswith("www."):
        return []  # article:author is often the author's profile page
    text = _PARENTHESES.sub(" ", text)
    text = _PHOTO_CREDIT.split(text)[0]
    text = _LEADING_DATE.sub("", text)
    text = _BYLINE_LABEL.sub("", text)
    text = text.split("|")[0].split(" - ")[0].split(" – ")[0].split(" • ")[0].strip(" ,;:·")
    text = _TRAILING_DATE.sub("", text)
    text = _BYLINE_PREFIX.sub("", text)
    names = []
    for part in _AUTHOR_SPLIT.split(text):
        pieces = [piece.strip() for piece in part.split(",")]
        kept = [pieces[0]] + [
            piece
            for piece in pieces[1:]
            if piece and piece.lower() not in _AGENCIES and not _AUTHOR_ROLE.search(piece)
        ]
        for name in kept:
            name = _BYLINE_PREFIX.sub("", name).strip(" .,;:·")
            if (
                2 <= len(name) <= 60
                and not name.lower().startswith(("http", "www."))
                and "@" not in name
                and len(name.split()) <= 6
                and not _AUTHOR_ROLE.fullmatch(name)
                and not _NOT_A_NAME.search(name)
            ):
                names.append(name)
    return names


def dom_authors(candidates: list[Any]) -> list[str]:
    """Names from the first byline element that gives any (inner elements first)."""
    names: list[str] = []
    candidates = candidates[:20]
    inner = set(candidates)
    for element in candidates:
        if element.tag in ("html", "body", "meta", "link") or _NOT_BYLINE.search(element.get("class") or ""):
            continue
        # An outer byline ("Posted on <date> by <author>") holds a more precise inner one.
        if any(descendant in inner for descendant in element.iterdescendants()):
            continue
        name_element = element.find(".//*[@itemprop='name']")
        if name_element is None:
            name_element = element.find(".//*[@class='fn']")
        text = (name_element.get("content") or element_text(name_element)) if name_element is not None else ""
        text = text or element.get("content") or element_text(element)
        if text and len(text) <= 100:
            names += clean_author(text)
        if names:
            break
    return names


#: How a byline line starts ("By ...", "Von ...", "Autor: ..."), checked on short lines only.
_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|door|autor(?:in)?:|author:|text:|written by|posted by|ein beitrag von|text von)\s",
    re.I,
)
#: Elements after the page's ``<h1>`` searched for a "By ..." line, and the longest such line.
_FOLLOWING_XPATH = etree.XPath("following::*[position() <= 40]")
_MAX_BYLINE_CHARS = 120


def visible_bylines(document: Any) -> list[str]:
    """Names from a short "By ..."/"Von ..." line just after the page's ``<h1>``, if any."""
    heading = next(document.iter("h1"), None)
    if heading is None:
        return []
    for element in _FOLLOWING_XPATH(heading):
        if element.tag in ("script", "style") or _NOT_BYLINE.search(element.get("class") or ""):
            continue
        own = (element.text or "").strip()
        if not own or not _BYLINE_START.match(own):
            continue
        text = element_text(element)
        if len(text) > _MAX_BYLINE_CHARS:
            continue
        names = [name for name in clean_author(text) if name[:1].isupper()]
        if names:
            return names
    return []


def is_publisher(name: str, site_name: str | None) -> bool:
    """Whether ``name`` is the site rather than a person ("Die FURCHE", "stern.de")."""
    folded = name.casefold()
    if _DOMAIN.search(name) or folded in _AGENCIES:
        return True
    if not site_name:
        return False
    site = site_name.casefold()
    return folded == site or folded in site.split(" | ")
