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

from transforms.html_text import collapse, element_text

__all__ = ["clean_author", "dom_authors"]

_BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|published|written|veröffentlicht|publiziert|geschrieben|verfasst|author|autor|"
    r"posted on|published on)\s*)?(?:by|von|par|por|door|di|av|af|am|on|:)?\s*:?\s+",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"\d|^(?:posted|published|written|veröffentlicht|publiziert|geschrieben|verfasst|by|von|on|am|"
    r"author|autor|admin|administrator|no author|unknown|anonymous)(?:\s+(?:by|von|on|am|in))?$",
    re.IGNORECASE,
)
_AUTHOR_ROLE = re.compile(
    r"\b(?:staff|reporter|correspondent|editor|writer|journalist|columnist|contributor|"
    r"redakteur|redaktion|news desk|desk|bureau)\b",
    re.IGNORECASE,
)
_AGENCIES = frozenset({"reuters", "ap", "afp", "dpa", "associated press", "bloomberg", "pti", "ians", "upi"})
_AUTHOR_SPLIT = re.compile(r"\s*(?:\band\b|\bund\b|\bet\b|&|;|/)\s*", re.IGNORECASE)
_NOT_BYLINE = re.compile(
    r"bio|box|avatar|image|img|photo|pic|desc|about|more|list|comment|social|email", re.I
)


def clean_author(raw: str) -> list[str]:
    """Names in one byline: "By Ann Lee and Bo Kim | Staff" -> ["Ann Lee", "Bo Kim"]."""
    text = collapse(html_lib.unescape(raw))
    if "://" in text or text.lower().startswith("www."):
        return []  # article:author is often the author's profile page
    text = text.split("|")[0].split(" - ")[0].strip(" ,;:·")
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
