"""Find the article in an HTML page: its body paragraphs and its metadata, in one parse.

>>> extraction = extract_html(page_html, url="https://example.org/news/1")
>>> extraction.title, extraction.paragraphs[0]

The page is parsed once with ``lxml.html`` (comments dropped by the parser); metadata comes
from :mod:`transforms.html_metadata` before anything is removed. The body is found in steps:

1. *Clean*: scripts, styles, ``nav``/``aside``/``footer``, hidden elements go; so do
   ``form``/``noscript``/site ``header`` elements without real paragraphs, and blocks whose
   class/id says comment, sidebar, share, related... (unless they also say content).
2. *Score* (readability's rule): each paragraph-like block gives points to its nearest
   ancestors, more for longer text and more commas; class/id words add or remove points,
   and every score shrinks with the share of link text. The best block is widened to an
   ancestor holding half again as much plain paragraph text with few links (text split
   over many boxes), to a container the page marks as the article body
   (``itemprop=articleBody``, ``entry-content``...) when that holds most of it, or to its
   ``<article>`` when that adds only lead and headings; siblings scoring nearly as well join.
3. *Emit*: the container is walked in document order; each ``<p>``, ``<li>``, heading
   (``h2``-``h6``), ``<blockquote>``, table cell and ``<br><br>``-separated run becomes a
   paragraph. Link-dense lists, boilerplate-marked blocks (and the heading just above
   them), captions, and short "Read more:"/"Share"/"Subscribe" lines are dropped.
4. *Fallback*: when that gives under 200 characters, every plain-text paragraph of the
   page is kept instead.

JSON-LD ``articleBody`` replaces the page text unless it is a teaser (much shorter) or one
block where the page has paragraphs. Never raises: a page with no content gives an
:class:`Extraction` with empty ``paragraphs``.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import lxml.html
from lxml import etree

from transforms.extraction import Extraction
from transforms.html_metadata import collapse, element_text, read_metadata

__all__ = ["extract_html"]

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    recover=True,
)

#: Never part of an article body, whatever their content.
_DROP_TAGS = (
    "script", "style", "iframe", "svg", "template", "button", "input", "select",
    "textarea", "object", "embed", "canvas", "nav", "aside", "footer", "menu", "dialog", "link", "meta",
)  # fmt: skip
#: Dropped unless they hold real paragraphs (some sites wrap the whole page in a form,
#: or serve it twice with the readable copy inside ``<noscript>``).
_DROP_IF_SMALL_TAGS = ("form", "header", "noscript")

_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
    "figure", "figcaption", "header", "footer", "address", "center", "hr", "details", "summary", "body",
})  # fmt: skip
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
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
#: Class/id words that mark a block inside the article as boilerplate, never as text.
_BOILERPLATE = re.compile(
    r"(?:^|\s)(?:ad|ads|advert\w*|ad[-_]\w+)(?:$|\s)|breadcrumb|comment(?!ary)|cookie|newsletter|outbrain|"
    r"promo(?!ted)|related|share|sharing|social|sponsor|subscribe|taboola|toolbar|popup|modal|"
    r"recommend|most-?read|trending|signup|login|pagination|pager\b|disqus|byline|post-?meta|"
    r"entry-?meta|article-?meta|sidebar|(?:^|\s)nav(?:bar|igation)?(?:$|\s|[-_])|menu|kommentar|"
    r"author-?box|about-?the-?author|author-?bio|abh_|rating|disclaimer|read-?more|see-?also|"
    r"lee-?tambien|lire-?aussi|mehr-?zum|more-?(?:stories|articles|news)|caption|credit|copyright|legend",
    re.I,
)
#: Class words of the small print around an article (dates, reading time, tags), skipped when short.
_SMALL_PRINT = re.compile(r"date|time|meta|tag|categor|author|source|byline", re.I)
#: Readability's "unlikely candidates": removed before scoring unless they also look like content.
_UNLIKELY = re.compile(
    r"-ad-|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|(?:^|\s)header|"
    r"legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|"
    r"agegate|pagination|pager\b|popup|cookie|newsletter|share|sharing",
    re.I,
)
_MAYBE_CONTENT = re.compile(r"and|article|body|column|content|main|shadow|entry|story|post", re.I)
_ARTICLE_MARKER = re.compile(
    r"article-?body|articlebody|article__body|article-?content|article__content|article-?text|"
    r"entry-?content|entry-?body|entry-?text|post-?content|post-?body|post-?entry|post-?text|"
    r"story-?body|story__body|story-?content|field-name-body|c-entry-content",
    re.I,
)
_CLASSED_XPATH = etree.XPath(".//*[@class or @itemprop]")
_HIDDEN_XPATH = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(@style, 'none') or contains(@style, 'idden')]"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BOILERPLATE_LINE = re.compile(
    r"^(?:read (?:more|also|next)|related(?: articles| stories| posts)?|see also|also read|more on this|"
    r"share (?:this|on|via)|share$|follow us|sign up|subscribe|advertisement|click here|tweet|"
    r"you (?:may|might) also like|recommended|more from|print$|pdf$|never miss|download (?:the|our)|"
    r"auch interessant|neueste (?:artikel|beiträge)|(?:das|dieses) thema könnte|könnte (?:sie|dich) auch|"
    r"all rights reserved|copyright|©|tags?:|filed under|posted in|leave a (?:comment|reply)|\d+ comments?|"
    r"lesen sie (?:auch|mehr)|auch lesen|schon gelesen|mehr zum thema|mehr zu |weiterlesen|"
    r"weitere (?:artikel|beiträge|informationen|infos|nachrichten|themen)|das könnte (?:sie|dich)|"
    r"jetzt teilen|artikel teilen|"
    r"(?:- )?anzeige\b|werbung\b|drucken$|teilen$|"
    r"lire (?:aussi|la suite)|à lire aussi|voir aussi|sur le même sujet|partager|"
    r"le puede interesar|vea también|lea también|temas relacionados|noticias relacionadas|compartir|"
    r"leggi anche|potrebbe interessarti|condividi|"
    r"czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)|udostępnij)",
    re.I,
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_MARKUP_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h\d)\s*/?\s*>", re.I)
_MARKUP_TAG = re.compile(r"<[^>]{0,400}>")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)

_SENTENCE_END = re.compile(r"[.!?。]( |$)")

_MIN_BLOCK_CHARS = 25
_MIN_BODY_CHARS = 200
#: Siblings of the best block scoring at least this share of its score are more of the article.
_SIBLING_SHARE = 0.2
#: JSON-LD articleBody is used when at least this long relative to the text found on the page.
_MIN_ARTICLE_BODY_SHARE = 0.8
_MAX_SMALL_PRINT_CHARS = 80
#: Captions are kept apart (``Extraction.captions``); the page's headline is the title.
_SKIPPED_TAGS = frozenset({"figcaption", "h1"})
_MAX_LABEL_CHARS = 60
_MAX_BLOCK_LINK_DENSITY = 0.5
_LINK_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "table", "dl"})
_MAX_PARAGRAPH_LINK_SHARE = 0.8
_WIDEN_GAIN = 1.5
_WIDEN_MAX_LINK_DENSITY = 0.3
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


def _class_id(element: Any) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _clean(body: Any) -> None:
    """Remove everything that can never be body text, in place."""
    etree.strip_elements(body, *_DROP_TAGS, with_tail=False)
    for element in _HIDDEN_XPATH(body):
        hidden_by_attribute = element.get("hidden") is not None or element.get("aria-hidden") == "true"
        if not hidden_by_attribute and not _HIDDEN_STYLE.search(element.get("style") or ""):
            continue
        if element is not body and element.getparent() is not None:
            element.drop_tree()
    for tag in _DROP_IF_SMALL_TAGS:
        for element in list(body.iter(tag)):
            if element.getparent() is None or len(element.findall(".//p")) >= 3:
                continue
            # An article's own <header> holds its standfirst; the site's header does not.
            if tag == "header" and _inside_article(element):
                continue
            element.drop_tree()


def _inside_article(element: Any) -> bool:
    return any(ancestor.tag in ("article", "main") for ancestor in element.iterancestors())


def _remove_unlikely(body: Any, stats: dict[Any, tuple[int, int]]) -> None:
    """Drop blocks whose class/id says boilerplate, unless they hold most of the page.

    ``stats`` is kept up to date (the removed text is taken off every ancestor).
    """
    body_chars = stats.get(body, (0, 0))[0]
    for element in list(body.iter("div", "section", "ul", "ol", "table", "span", "p", "dl", "li")):
        names = _class_id(element)
        text_chars, link_chars = stats.get(element, (0, 0))
        if (
            len(names) < 2
            or text_chars >= 0.3 * body_chars
            or not _UNLIKELY.search(names)
            or _MAYBE_CONTENT.search(names)
        ):
            continue
        ancestors = list(element.iterancestors())
        if body not in ancestors:
            continue  # inside a block removed already
        for ancestor in ancestors:
            ancestor_text, ancestor_links = stats.get(ancestor, (0, 0))
            stats[ancestor] = (ancestor_text - text_chars, ancestor_links - link_chars)
        element.drop_tree()


def _text_stats(root: Any) -> dict[Any, tuple[int, int]]:
    """Characters of text and of link text under every element (one walk)."""
    stats: dict[Any, tuple[int, int]] = {}
    stack: list[list[int]] = [[0, 0]]
    for event, element in etree.iterwalk(root, events=("start", "end")):
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


def _link_density(stats: dict[Any, tuple[int, int]], element: Any) -> float:
    text_chars, link_chars = stats.get(element, (0, 0))
    return link_chars / text_chars if text_chars else 0.0


def _class_weight(element: Any) -> int:
    names = _class_id(element)
    if not names.strip():
        return 0
    return (25 if _POSITIVE.search(names) else 0) - (25 if _NEGATIVE.search(names) else 0)


def _direct_text_chars(element: Any) -> int:
    """Characters of text directly in ``element`` (not inside a child block)."""
    total = len((element.text or "").strip())
    for child in element:
        if child.tag not in _BLOCK_TAGS:
            total += len(child.text_content().strip()) if isinstance(child.tag, str) else 0
        total += len((child.tail or "").strip())
    return total


def _score_candidates(
    body: Any, stats: dict[Any, tuple[int, int]], plain_chars: dict[Any, float]
) -> dict[Any, float]:
    """Readability-style scores: paragraphs give points to their nearest ancestors.

    Also fills ``plain_chars``: for every ancestor, the characters of paragraph text
    outside links below it (how much readable text widening to it would add).
    """
    scores: dict[Any, float] = {}
    for element in body.iter("p", "pre", "td", "blockquote", "div", "section", "li"):
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
        plain = chars * (1 - _link_density(stats, element))
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
    return {element: score * (1 - _link_density(stats, element)) for element, score in scores.items()}


def _initial_score(element: Any) -> float:
    return _TAG_BASE_SCORE.get(element.tag, 0) + _class_weight(element)


def _best_containers(body: Any, stats: dict[Any, tuple[int, int]]) -> list[Any]:
    plain_chars: dict[Any, float] = {}
    scores = _score_candidates(body, stats, plain_chars)
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


def _widen(top: Any, stats: dict[Any, tuple[int, int]], plain_chars: dict[Any, float]) -> Any:
    """The ancestor of ``top`` that adds much more plain paragraph text and few links.

    Pages that split their text over many small boxes (product pages, FAQs, old table
    layouts) have no single block that holds most of it.
    """
    parent = top.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if (
            plain_chars.get(parent, 0.0) >= _WIDEN_GAIN * plain_chars.get(top, 0.0)
            and _link_density(stats, parent) < _WIDEN_MAX_LINK_DENSITY
        ):
            top = parent
        parent = parent.getparent()
    return top


def _enclosing_article(top: Any, stats: dict[Any, tuple[int, int]]) -> Any:
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
            if chars <= 1.6 * top_chars + 200 and _link_density(stats, ancestor) < 0.3:
                return ancestor
            return top
        ancestor = ancestor.getparent()
    return top


def _with_siblings(top: Any, scores: dict[Any, float], stats: dict[Any, tuple[int, int]]) -> list[Any]:
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
            density = _link_density(stats, sibling)
            if (chars > 80 and density < 0.25) or (
                0 < chars <= 80 and density == 0 and _SENTENCE_END.search(sibling.text_content())
            ):
                kept.append(sibling)
    return kept


def _article_marker(body: Any, stats: dict[Any, tuple[int, int]], top: Any) -> Any | None:
    """A container the page marks as the article body, when it holds most of ``top``'s text."""
    top_chars = stats.get(top, (0, 0))[0]
    best, best_chars = None, 0
    for element in _CLASSED_XPATH(body):
        itemprop = element.get("itemprop")
        if itemprop not in ("articleBody", "text") and not _ARTICLE_MARKER.search(element.get("class") or ""):
            continue
        chars = stats.get(element, (0, 0))[0]
        if chars > best_chars and _link_density(stats, element) < 0.5:
            best, best_chars = element, chars
    if best is None or best_chars < 0.6 * top_chars or best_chars < 200:
        return None
    return best


class _ParagraphWriter:
    """Collects text pieces into paragraphs, remembering how much of each sat in links."""

    def __init__(self) -> None:
        self.paragraphs: list[tuple[str, float]] = []
        self._pieces: list[str] = []
        self._link_chars = 0

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self._pieces.append(text)
            if in_link:
                self._link_chars += len(text.strip())

    def flush(self) -> None:
        if self._pieces:
            paragraph = collapse("".join(self._pieces))
            if paragraph:
                self.paragraphs.append((paragraph, min(1.0, self._link_chars / len(paragraph))))
        self._pieces = []
        self._link_chars = 0

    @property
    def has_text(self) -> bool:
        return any(piece.strip() for piece in self._pieces)


def _skip_block(element: Any, stats: dict[Any, tuple[int, int]], container_chars: int) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIPPED_TAGS:
        return True
    text_chars = stats.get(element, (0, 0))[0]
    names = _class_id(element)
    if names.strip() and text_chars < 0.5 * container_chars:
        if _BOILERPLATE.search(names):
            return True
        if text_chars < _MAX_SMALL_PRINT_CHARS and _SMALL_PRINT.search(names):
            return True
    return tag in _LINK_LIST_TAGS and _link_density(stats, element) > _MAX_BLOCK_LINK_DENSITY


def _emit_paragraphs(container: Any, stats: dict[Any, tuple[int, int]]) -> list[tuple[str, float]]:
    writer = _ParagraphWriter()
    container_chars = stats.get(container, (0, 0))[0]
    walker = etree.iterwalk(container, events=("start", "end"))
    skipped = None
    link_depth = 0
    line_breaks = 0
    heading_at = -1
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if element is not container and _skip_block(element, stats, container_chars):
                walker.skip_subtree()
                skipped = element
                if tag in _BLOCK_TAGS:
                    writer.flush()
                    # A heading right before a dropped block ("Related stories") is its title.
                    if 0 <= heading_at == len(writer.paragraphs) - 1 and stats.get(element, (0, 0))[0]:
                        writer.paragraphs.pop()
                        heading_at = -1
                continue
            if tag in _BLOCK_TAGS:
                writer.flush()
                line_breaks = 0
                if tag in _HEADING_TAGS:
                    heading_at = len(writer.paragraphs)
            elif tag == "br":
                line_breaks += 1
                if line_breaks >= 2 and writer.has_text:
                    writer.flush()
                else:
                    writer.add(" ", False)
            elif tag == "a":
                link_depth += 1
            if element.text and element.text.strip():
                line_breaks = 0
            writer.add(element.text, link_depth > 0)
            continue
        if element is skipped:
            skipped = None
        else:
            if tag in _BLOCK_TAGS:
                writer.flush()
            elif tag == "a":
                link_depth -= 1
        if element is not container:
            if element.tail and element.tail.strip():
                line_breaks = 0
            writer.add(element.tail, link_depth > 0)
    writer.flush()
    return writer.paragraphs


def _keep_paragraph(text: str, link_share: float) -> bool:
    if link_share > _MAX_PARAGRAPH_LINK_SHARE and len(text) < 200:
        return False
    return not (len(text) < 120 and _BOILERPLATE_LINE.match(text))


def _trim_trailing_labels(paragraphs: list[str]) -> list[str]:
    """Drop short "Contact:"/"More on this:" lines left at the end, whose list was dropped."""
    while paragraphs and len(paragraphs[-1]) < _MAX_LABEL_CHARS and paragraphs[-1].endswith(":"):
        paragraphs.pop()
    return paragraphs


def _captions(container: Any) -> list[str]:
    return [text for text in (element_text(caption) for caption in container.iter("figcaption")) if text]


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


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def extract_html(html: str, url: str | None = None) -> Extraction:
    """The article of one HTML page: body paragraphs and metadata (see the module docstring).

    ``url`` is where the page was fetched; it only makes a relative canonical URL absolute.
    """
    document = _parse(html) if isinstance(html, str) else None
    if document is None:
        return Extraction()
    meta = read_metadata(document, url)
    body = document.find("body")
    if body is None:
        body = document
    _clean(body)
    stats = _text_stats(body)
    _remove_unlikely(body, stats)
    containers = _best_containers(body, stats)
    paragraphs: list[str] = []
    captions = []
    for container in containers:
        emitted = _emit_paragraphs(container, stats)
        paragraphs += [text for text, link_share in emitted if _keep_paragraph(text, link_share)]
        captions += _captions(container)
    if sum(len(paragraph) for paragraph in paragraphs) < _MIN_BODY_CHARS:
        # No block stands out (short pages, text spread over many small boxes): keep
        # every plain-text paragraph of the page instead.
        emitted = _emit_paragraphs(body, stats)
        paragraphs = [
            text
            for text, link_share in emitted
            if link_share < 0.5 and len(text) >= _MIN_FALLBACK_CHARS and _keep_paragraph(text, link_share)
        ] or paragraphs
    paragraphs = _trim_trailing_labels(paragraphs)
    captions += meta.captions
    if meta.article_body:
        paragraphs = _prefer_article_body(_article_body_paragraphs(meta.article_body), paragraphs)
    return Extraction(
        paragraphs=paragraphs,
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        updated_at=meta.updated_at,
        url=meta.url,
        site_name=meta.site_name,
        language=meta.language,
        captions=_dedupe(captions),
        sections=meta.sections,
        breadcrumbs=meta.breadcrumbs,
        og_type=meta.og_type,
    )
