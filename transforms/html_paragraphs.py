"""Turn the article's container into clean paragraphs (step 3 of ``extract_html``).

:func:`emit_paragraphs` walks the container in document order; each ``<p>``, ``<li>``,
heading (``h2``-``h6``), ``<blockquote>``, table cell and ``<br><br>``-separated run becomes
a paragraph, with the share of its text that sat in links. Skipped on the way: link-dense
lists, blocks whose class/id marks them as in-body junk (share bars, ad slots, "related"
boxes, bylines, image credits, subscription prompts) and the heading just above them,
captions (kept apart, see :func:`captions_of`) and the page's ``<h1>`` (the title).
:func:`keep_paragraph` then drops link-only lines and short "Read more:", "Share",
"Subscribe", "Advertisement" lines in several languages.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from transforms.deadline import Deadline
from transforms.html_clean import BLOCK_TAGS, Stats, class_id, link_density
from transforms.html_text import collapse, element_text

__all__ = ["captions_of", "emit_paragraphs", "keep_paragraph", "trim_trailing_labels"]

_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
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
_MAX_SMALL_PRINT_CHARS = 80
#: Captions are kept apart (``Extraction.captions``); the page's headline is the title.
_SKIPPED_TAGS = frozenset({"figcaption", "h1"})
_MAX_LABEL_CHARS = 60
_MAX_BLOCK_LINK_DENSITY = 0.5
_LINK_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "table", "dl"})
_MAX_PARAGRAPH_LINK_SHARE = 0.8


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


def _skip_block(element: Any, stats: Stats, container_chars: int) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIPPED_TAGS:
        return True
    text_chars = stats.get(element, (0, 0))[0]
    names = class_id(element)
    if names.strip() and text_chars < 0.5 * container_chars:
        if _BOILERPLATE.search(names):
            return True
        if text_chars < _MAX_SMALL_PRINT_CHARS and _SMALL_PRINT.search(names):
            return True
    return tag in _LINK_LIST_TAGS and link_density(stats, element) > _MAX_BLOCK_LINK_DENSITY


def emit_paragraphs(container: Any, stats: Stats, deadline: Deadline) -> list[tuple[str, float]]:
    writer = _ParagraphWriter()
    container_chars = stats.get(container, (0, 0))[0]
    walker = etree.iterwalk(container, events=("start", "end"))
    skipped = None
    link_depth = 0
    line_breaks = 0
    heading_at = -1
    for event, element in walker:
        deadline.check()
        tag = element.tag
        if event == "start":
            if element is not container and _skip_block(element, stats, container_chars):
                walker.skip_subtree()
                skipped = element
                if tag in BLOCK_TAGS:
                    writer.flush()
                    # A heading right before a dropped block ("Related stories") is its title.
                    if 0 <= heading_at == len(writer.paragraphs) - 1 and stats.get(element, (0, 0))[0]:
                        writer.paragraphs.pop()
                        heading_at = -1
                continue
            if tag in BLOCK_TAGS:
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
            if tag in BLOCK_TAGS:
                writer.flush()
            elif tag == "a":
                link_depth -= 1
        if element is not container:
            if element.tail and element.tail.strip():
                line_breaks = 0
            writer.add(element.tail, link_depth > 0)
    writer.flush()
    return writer.paragraphs


def keep_paragraph(text: str, link_share: float) -> bool:
    if link_share > _MAX_PARAGRAPH_LINK_SHARE and len(text) < 200:
        return False
    return not (len(text) < 120 and _BOILERPLATE_LINE.match(text))


def trim_trailing_labels(paragraphs: list[str]) -> list[str]:
    """Drop short "Contact:"/"More on this:" lines left at the end, whose list was dropped."""
    while paragraphs and len(paragraphs[-1]) < _MAX_LABEL_CHARS and paragraphs[-1].endswith(":"):
        paragraphs.pop()
    return paragraphs


def captions_of(container: Any) -> list[str]:
    return [text for text in (element_text(caption) for caption in container.iter("figcaption")) if text]
