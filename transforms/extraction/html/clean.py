"""Strip an lxml page of what can never be article text, and measure what is left.

Step 1 of :func:`.extract.extract_html`:

* :func:`clean` removes scripts, styles and other never-text elements; ``nav``/``aside``/
  ``footer``/``menu``/``dialog`` furniture and hidden elements, unless broken markup left most
  of the page's text inside them (or a ``<main>``); and ``form``/``noscript``/site ``header``
  elements that hold no real paragraphs (some sites wrap the whole page in a form);
* :func:`text_stats` counts, in one walk, the characters of text and of link text under
  every element; :func:`link_density` reads the share of link text from those counts;
* :func:`remove_unlikely` drops blocks whose class/id says boilerplate (comments, sidebar,
  share, related...) unless they also look like content or hold much of the page, keeping
  the counts up to date.

The functions check a :class:`~newsbeam.transforms.extraction.deadline.Deadline` in their
loops, so a huge or pathological page raises
:class:`~newsbeam.transforms.extraction.deadline.ExtractionTimeout` instead of stalling.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from newsbeam.transforms.extraction.deadline import Deadline

__all__ = ["BLOCK_TAGS", "Stats", "class_id", "clean", "link_density", "remove_unlikely", "text_stats"]

#: Characters of text and of link text under an element.
Stats = dict[Any, tuple[int, int]]

#: Never part of an article body, whatever their content.
_DROP_TAGS = (
    "script", "style", "iframe", "svg", "template", "button", "input", "select",
    "textarea", "object", "embed", "canvas", "link", "meta",
)  # fmt: skip
#: Page furniture, dropped unless broken markup left most of the page's text inside them.
_FURNITURE_TAGS = ("nav", "aside", "footer", "menu", "dialog")
#: Dropped unless they hold real paragraphs or most of the page (some sites wrap the
#: whole page in a form, or serve it twice with the readable copy inside ``<noscript>``).
_DROP_IF_SMALL_TAGS = ("form", "header", "noscript")
#: An element with at least this share of the page's text, mostly outside links, is the page.
_PAGE_SHARE = 0.5
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
    "figure", "figcaption", "header", "footer", "address", "center", "hr", "details", "summary", "body",
})  # fmt: skip
#: Readability's "unlikely candidates": removed before scoring unless they also look like content.
_UNLIKELY = re.compile(
    r"-ad-|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|(?:^|\s)header|"
    r"legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|"
    r"agegate|pagination|pager\b|popup|cookie|newsletter|share|sharing",
    re.I,
)
_MAYBE_CONTENT = re.compile(r"and|article|body|column|content|main|shadow|entry|story|post", re.I)
_HIDDEN_XPATH = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(@style, 'none') or contains(@style, 'idden')]"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def class_id(element: Any) -> str:
    """The class and id attributes of ``element``, as one string."""
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def clean(body: Any, deadline: Deadline) -> None:
    """Remove everything that can never be body text, in place."""
    etree.strip_elements(body, *_DROP_TAGS, with_tail=False)
    body_chars = len(body.text_content())
    for element in list(body.iter(*_FURNITURE_TAGS)):
        deadline.check()
        if element.getparent() is not None and not _holds_the_page(element, body_chars):
            element.drop_tree()
    for element in _HIDDEN_XPATH(body):
        deadline.check()
        hidden_by_attribute = element.get("hidden") is not None or element.get("aria-hidden") == "true"
        if not hidden_by_attribute and not _HIDDEN_STYLE.search(element.get("style") or ""):
            continue
        if element is body or element.getparent() is None:
            continue
        if not _holds_the_page(element, body_chars):
            element.drop_tree()
    for tag in _DROP_IF_SMALL_TAGS:
        for element in list(body.iter(tag)):
            deadline.check()
            if element.getparent() is None or len(element.findall(".//p")) >= 3:
                continue
            # An article's own <header> holds its standfirst; the site's header does not.
            if tag == "header" and _inside_article(element):
                continue
            if not _holds_the_page(element, body_chars):
                element.drop_tree()


@lru_cache(maxsize=8192)
def _unlikely(names: str) -> bool:
    """Class/id words of boilerplate without words of content (cached per class string)."""
    return _UNLIKELY.search(names) is not None and _MAYBE_CONTENT.search(names) is None


def _holds_the_page(element: Any, body_chars: int) -> bool:
    """Whether ``element`` holds most of the page's text, little of it in links (broken markup)."""
    if element.find(".//main") is not None:
        return True  # broken markup: the page's furniture was never closed
    chars = len(element.text_content())
    if chars < _PAGE_SHARE * body_chars or chars < 200:
        return False
    link_chars = sum(len(link.text_content()) for link in element.iter("a"))
    return link_chars < 0.5 * chars


def _inside_article(element: Any) -> bool:
    return any(ancestor.tag in ("article", "main") for ancestor in element.iterancestors())


def remove_unlikely(body: Any, stats: Stats, deadline: Deadline) -> None:
    """Drop blocks whose class/id says boilerplate, unless they hold most of the page.

    ``stats`` is kept up to date (the removed text is taken off every ancestor).
    """
    body_chars = stats.get(body, (0, 0))[0]
    for element in list(body.iter("div", "section", "ul", "ol", "table", "span", "p", "dl", "li")):
        deadline.check()
        names = class_id(element)
        text_chars, link_chars = stats.get(element, (0, 0))
        if len(names) < 2 or text_chars >= 0.3 * body_chars or not _unlikely(names):
            continue
        ancestors = list(element.iterancestors())
        if body not in ancestors:
            continue  # inside a block removed already
        for ancestor in ancestors:
            ancestor_text, ancestor_links = stats.get(ancestor, (0, 0))
            stats[ancestor] = (ancestor_text - text_chars, ancestor_links - link_chars)
        element.drop_tree()


def text_stats(root: Any, deadline: Deadline) -> Stats:
    """Characters of text and of link text under every element (one walk)."""
    stats: Stats = {}
    stack: list[list[int]] = [[0, 0]]
    for event, element in etree.iterwalk(root, events=("start", "end")):
        deadline.check()
        if event == "start":
            stack.append([len((element.text or "").strip()), 0])
            continue
        text_chars, link_chars = stack.pop()
        if element.tag == "a":
            link_chars = text_chars
        stats[element] = (text_chars, link_chars)
        parent = stack[-1]
        parent[0] += text_chars + len((element.tail or "").strip())
        parent[1] += link_chars
    return stats


def link_density(stats: Stats, element: Any) -> float:
    text_chars, link_chars = stats.get(element, (0, 0))
    return link_chars / text_chars if text_chars else 0.0
