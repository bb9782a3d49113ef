"""The headline of an HTML page, chosen among what the page offers.

Candidates are the metadata title (JSON-LD ``headline``, else ``og:title``/``twitter:title``),
the ``<title>`` element and the page's ``<h1>`` headings. Social titles are often rewritten
for sharing, so the visible ``<h1>`` wins when it agrees with a metadata or ``<title>`` title
(shares at least :data:`MIN_OVERLAP` of its words); an ``<h1>`` that is the site's name
(a logo, or a part of ``<title>`` beside a longer part) never does. Blogs that keep the
site name in ``<h1>`` and the post's headline in ``<h2>`` are read from ``<title>``.

>>> pick_title(document, metadata_title="Council backs quay plan", site_name="Gazette")
"""

from __future__ import annotations

import re
from typing import Any

from newsbeam.transforms.extraction.html.text import collapse, element_text

__all__ = ["MIN_OVERLAP", "pick_title", "strip_site_name"]

#: Share of the shorter title's words found in the other for two titles to agree.
MIN_OVERLAP = 0.5
_TITLE_SUFFIX = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+[^|\-–—:·»]{2,60}$")
_TITLE_PARTS = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")
_WORD = re.compile(r"\w+")
_MIN_HEADLINE_CHARS, _MAX_HEADLINE_CHARS = 6, 300
_LOGO = re.compile(r"logo|brand|site-?(?:title|name)|masthead", re.I)


def _strip_site_suffix(title: str) -> str:
    stripped = _TITLE_SUFFIX.sub("", title).strip()
    return stripped if len(stripped) >= 10 else title


def strip_site_name(title: str, site_name: str | None) -> str:
    """``title`` without a trailing " - Site" when "Site" is the site's name."""
    if site_name and title.casefold().endswith(site_name.casefold()):
        stripped = _TITLE_SUFFIX.sub("", title).strip()
        return stripped or title
    return title


def _overlap(one: str, other: str) -> float:
    """Share of the words of the shorter title that the other has."""
    first, second = set(_WORD.findall(one.casefold())), set(_WORD.findall(other.casefold()))
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _is_site_name(text: str, page_title: str, site_name: str | None) -> bool:
    folded = text.casefold()
    if site_name and folded == site_name.casefold():
        return True
    parts = [part.casefold() for part in _TITLE_PARTS.split(page_title)]
    return len(parts) > 1 and folded in parts and any(len(part) > len(folded) for part in parts)


def _headings(document: Any, page_title: str, site_name: str | None) -> list[str]:
    """Texts of the page's ``<h1>`` elements that can be a headline, those inside ``<article>`` first."""
    inside: list[str] = []
    outside: list[str] = []
    for heading in document.iter("h1"):
        text = element_text(heading)
        if not _MIN_HEADLINE_CHARS <= len(text) <= _MAX_HEADLINE_CHARS:
            continue
        ancestors = list(heading.iterancestors())
        if any(
            _LOGO.search(f"{node.get('class') or ''} {node.get('id') or ''}")
            for node in [heading, *ancestors[:2]]
        ):
            continue
        if _is_site_name(text, page_title, site_name):
            continue
        (inside if any(node.tag in ("article", "main") for node in ancestors) else outside).append(text)
    return inside + outside


def _visible_title(document: Any, page_title: str) -> str:
    """The first ``<h1>``/``<h2>`` that agrees with ``<title>``, else ``<title>`` without its suffix."""
    stripped = _strip_site_suffix(page_title)
    folded = stripped.casefold()
    for tag in ("h1", "h2"):
        for heading in document.iter(tag):
            text = element_text(heading)
            if text and (
                not folded
                and tag == "h1"
                or (folded and (text.casefold() in folded or folded in text.casefold()))
            ):
                return text
    return stripped


def pick_title(document: Any, metadata_title: str | None, site_name: str | None) -> str | None:
    """The page's headline (see the module docstring), or None."""
    title_element = document.find(".//title")
    page_title = element_text(title_element) if title_element is not None else ""
    metadata_title = collapse(metadata_title) or None
    headings = _headings(document, page_title, site_name)
    for heading in headings[:3]:
        for other in (metadata_title, _strip_site_suffix(page_title)):
            if other and _overlap(heading, other) >= MIN_OVERLAP:
                return heading
    if metadata_title:
        return metadata_title
    return _visible_title(document, page_title) or (headings[0] if headings else None)
