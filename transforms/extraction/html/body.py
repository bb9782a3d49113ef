"""Find the block of an lxml page that holds the article (step 2 of ``extract_html``).

Readability's rule, widened for today's pages: each paragraph-like block gives points to
its nearest ancestors, more for longer text and more commas; class/id words add or remove
points, and every score shrinks with the share of link text. Then :func:`best_containers`

* climbs from the best block while an ancestor scores better (text split over boxes),
* widens to an ancestor holding half again as much plain paragraph text with few links,
* prefers a container the page marks as the article body (``itemprop=articleBody``,
  ``entry-content``...) when that holds most of it, or its ``<article>`` when that adds
  only lead and headings,
* and adds siblings that score nearly as well or are plain paragraphs.

:func:`find_lead` then looks just before the container, inside the same article, for the
standfirst (``lead``, ``intro``, ``summary``, ``chapo``, ``perex``...) that many sites keep
apart from the body column.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from newsbeam.transforms.extraction.deadline import Deadline
from newsbeam.transforms.extraction.html.clean import BLOCK_TAGS, Stats, class_id, link_density

__all__ = ["best_containers", "find_lead"]

_TAG_BASE_SCORE = {
    "div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
    "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}  # fmt: skip
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|main|page|post|text|blog|story|news|single",
    re.I,
)
_NEGATIVE = re.compile(
    r"(?:^|[-_ ])ad(?:s|vert)?(?:$|[-_ ])|advert|banner|breadcrumb|combx|comment|contact|cookie|"
    r"foot|footnote|gdpr|masthead|menu|meta|nav|newsletter|outbrain|promo|related|share|sharing|shoutbox|sidebar|"
    r"skyscraper|social|sponsor|shopping|subscribe|tags|taboola|teaser|toolbar|widget|popup|modal|"
    r"header|aside|recommend|most-?read|trending|signup|login|pagination|pager|author-?bio|disqus",
    re.I,
)
_ARTICLE_MARKER = re.compile(
    r"article-?body|articlebody|article__body|article-?content|article__content|article-?text|"
    r"entry-?content|entry-?body|entry-?text|post-?content|post-?body|post-?entry|post-?text|"
    r"story-?body|story__body|story-?content|field-name-body|c-entry-content",
    re.I,
)
_LEAD = re.compile(
    r"lead|intro|summary|standfirst|chapo|chapeau|perex|vorspann|bajada|epigraph|excerpt|"
    r"(?:^|[-_ ])dek(?:$|[-_ ])|(?:^|[-_ ])deck(?:$|[-_ ])|sapo|entradilla|abstract|teaser-?text|subtitle|"
    r"subheadline|description",
    re.I,
)
_NOT_LEAD = re.compile(
    r"leader-?board|mislead|lead-?gen|image|img|photo|video|media|caption|credit|author|meta", re.I
)
#: Levels above the body container searched for a standfirst, and its size limits.
_LEAD_LEVELS = 4
_LEAD_MIN_CHARS, _LEAD_MAX_CHARS = 40, 1200
_CLASSED_XPATH = etree.XPath(".//*[@class or @itemprop]")
_SENTENCE_END = re.compile(r"[.!?。]( |$)")
_MIN_BLOCK_CHARS = 25
#: Siblings of the best block scoring at least this share of its score are more of the article.
_SIBLING_SHARE = 0.2
_WIDEN_GAIN = 1.5
_WIDEN_MAX_LINK_DENSITY = 0.3


def _class_weight(element: Any) -> int:
    return _names_weight(class_id(element))


@lru_cache(maxsize=8192)
def _names_weight(names: str) -> int:
    """Points for class/id words (cached: a page repeats the same few class strings)."""
    if not names.strip():
        return 0
    return (25 if _POSITIVE.search(names) else 0) - (25 if _NEGATIVE.search(names) else 0)


@lru_cache(maxsize=8192)
def _is_article_marker(names: str) -> bool:
    return _ARTICLE_MARKER.search(names) is not None


def _direct_text_chars(element: Any) -> int:
    """Characters of text directly in ``element`` (not inside a child block)."""
    total = len((element.text or "").strip())
    for child in element:
        if child.tag not in BLOCK_TAGS:
            total += len(child.text_content().strip()) if isinstance(child.tag, str) else 0
        total += len((child.tail or "").strip())
    return total


def _score_candidates(
    body: Any, stats: Stats, plain_chars: dict[Any, float], deadline: Deadline
) -> dict[Any, float]:
    """Readability-style scores: paragraphs give points to their nearest ancestors.

    Also fills ``plain_chars``: for every ancestor, the characters of paragraph text
    outside links below it (how much readable text widening to it would add).
    """
    scores: dict[Any, float] = {}
    for element in body.iter("p", "pre", "td", "blockquote", "div", "section", "li"):
        deadline.check()
        if element.tag in ("div", "section", "li", "td"):
            chars = _direct_text_chars(element)
            text = None
        else:
            chars = stats.get(element, (0, 0))[0]
            text = element.text_content()
        if chars < _MIN_BLOCK_CHARS:
            continue
        if text is None:
            text = element.text or ""
        commas = text.count(",") + text.count("，") + text.count("،") + text.count("、")
        points = 1.0 + commas + min(chars // 100, 3)
        if element.tag == "li":
            points *= 0.5
        if element.tag in ("div", "section", "td"):
            scores[element] = scores.get(element, _initial_score(element)) + points
        plain = chars * (1 - link_density(stats, element))
        ancestor = element
        while ancestor is not None:
            plain_chars[ancestor] = plain_chars.get(ancestor, 0.0) + plain
            ancestor = ancestor.getparent()
        ancestor = element.getparent()
        for level in range(5):
            if ancestor is None or ancestor.tag == "html":
                break
            if ancestor not in scores:
                scores[ancestor] = _initial_score(ancestor)
            scores[ancestor] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            ancestor = ancestor.getparent()
    return {element: score * (1 - link_density(stats, element)) for element, score in scores.items()}


def _initial_score(element: Any) -> float:
    return _TAG_BASE_SCORE.get(element.tag, 0) + _class_weight(element)


def best_containers(body: Any, stats: Stats, deadline: Deadline) -> list[Any]:
    plain_chars: dict[Any, float] = {}
    scores = _score_candidates(body, stats, plain_chars, deadline)
    if not scores:
        return []
    top = max(scores, key=scores.__getitem__)
    # Climb while an ancestor scores better: the article's paragraphs are often split
    # over several sibling divs that each score a little.
    last_score = scores[top]
    threshold = last_score / 3
    parent = top.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        parent_score = scores.get(parent)
        if parent_score is None:
            parent = parent.getparent()
            continue
        if parent_score < threshold:
            break
        if parent_score > last_score:
            top = parent
            break
        last_score = parent_score
        parent = parent.getparent()
    while (parent := top.getparent()) is not None and parent.tag not in ("body", "html") and len(parent) == 1:
        top = parent
    top = _widen(top, stats, plain_chars)
    marker = _article_marker(body, stats, top)
    if marker is not None:
        return [marker]
    top = _enclosing_article(top, stats)
    return _with_siblings(top, scores, stats)


def _widen(top: Any, stats: Stats, plain_chars: dict[Any, float]) -> Any:
    """The ancestor of ``top`` that adds much more plain paragraph text and few links.

    Pages that split their text over many small boxes (product pages, FAQs, old table
    layouts) have no single block that holds most of it.
    """
    parent = top.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if (
            plain_chars.get(parent, 0.0) >= _WIDEN_GAIN * plain_chars.get(top, 0.0)
            and link_density(stats, parent) < _WIDEN_MAX_LINK_DENSITY
        ):
            top = parent
        parent = parent.getparent()
    return top


def _enclosing_article(top: Any, stats: Stats) -> Any:
    """The ``<article>`` around ``top`` when it adds little besides the lead and headings.

    The best-scored block is often the text column alone, while the standfirst and
    subheadings sit beside it in the same ``<article>``.
    """
    top_chars = stats.get(top, (0, 0))[0]
    ancestor = top.getparent()
    for _ in range(6):
        if ancestor is None or ancestor.tag in ("body", "html"):
            return top
        if ancestor.tag == "article" or ancestor.get("itemprop") == "articleBody":
            chars = stats.get(ancestor, (0, 0))[0]
            if chars <= 1.6 * top_chars + 200 and link_density(stats, ancestor) < 0.3:
                return ancestor
            return top
        ancestor = ancestor.getparent()
    return top


def _with_siblings(top: Any, scores: dict[Any, float], stats: Stats) -> list[Any]:
    """``top`` and the siblings that look like more of the same article (readability's rule)."""
    parent = top.getparent()
    if parent is None:
        return [top]
    top_score = scores.get(top) or max(scores.values())
    threshold = max(10.0, top_score * _SIBLING_SHARE)
    top_class = top.get("class")
    kept = []
    for sibling in parent:
        if sibling is top:
            kept.append(sibling)
            continue
        if not isinstance(sibling.tag, str):
            continue
        bonus = top_score * 0.2 if top_class and sibling.get("class") == top_class else 0.0
        if sibling in scores and scores[sibling] + bonus >= threshold:
            kept.append(sibling)
        elif sibling.tag == "p":
            chars = stats.get(sibling, (0, 0))[0]
            density = link_density(stats, sibling)
            if (chars > 80 and density < 0.25) or (
                0 < chars <= 80 and density == 0 and _SENTENCE_END.search(sibling.text_content())
            ):
                kept.append(sibling)
    return kept


def _article_marker(body: Any, stats: Stats, top: Any) -> Any | None:
    """A container the page marks as the article body, when it holds most of ``top``'s text."""
    top_chars = stats.get(top, (0, 0))[0]
    best, best_chars = None, 0
    for element in _CLASSED_XPATH(body):
        itemprop = element.get("itemprop")
        if itemprop not in ("articleBody", "text") and not _is_article_marker(element.get("class") or ""):
            continue
        chars = stats.get(element, (0, 0))[0]
        if chars > best_chars and link_density(stats, element) < 0.5:
            best, best_chars = element, chars
    if best is None or best_chars < 0.6 * top_chars or best_chars < 200:
        return None
    return best


def find_lead(container: Any, stats: Stats) -> Any | None:
    """The standfirst of the article just before ``container`` and outside it, if any."""
    ancestor = container
    for _ in range(_LEAD_LEVELS):
        ancestor = ancestor.getparent()
        if ancestor is None or ancestor.tag in ("body", "html"):
            return None
        for element in ancestor.iter():
            if element is container:
                break  # only what comes before the body
            if not isinstance(element.tag, str) or element.tag in ("a", "span", "img", "h1"):
                continue
            names = class_id(element)
            if not _LEAD.search(names) or _NOT_LEAD.search(names):
                continue
            chars = stats.get(element, (0, 0))[0]
            if (
                _LEAD_MIN_CHARS <= chars <= _LEAD_MAX_CHARS
                and link_density(stats, element) < 0.3
                and container not in element.iterdescendants()
            ):
                return element
    return None
