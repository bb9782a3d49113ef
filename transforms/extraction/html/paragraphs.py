"""Turn the article's container into clean paragraphs (step 3 of ``extract_html``).

:func:`emit_paragraphs` walks the container in document order; each ``<p>``, ``<li>``,
heading (``h2``-``h6``), ``<blockquote>``, table cell and ``<br><br>``-separated run becomes
a paragraph, with the share of its text that sat in links. Skipped on the way: link-dense
lists, blocks whose class/id marks them as in-body junk (share bars, ad slots, "related"
boxes, bylines, image credits, subscription prompts) and the heading just above them,
captions and figures (kept apart, see :func:`captions_of`), ``<address>`` blocks and the
page's ``<h1>`` (the title). Inline markup inside a ``<p>`` is never skipped for its class.

:func:`select_paragraphs` then keeps a paragraph that is one link only inside running text
(a run of them is a teaser list), and :func:`keep_paragraph` drops, in several languages:

* short labels and prompts ("Read more:", "Share", "Lesen Sie auch", "Lea también:"...);
* promotion and small print anywhere in a short line (follow us on..., get the app,
  subscribe to read on, newsletter sign-up, affiliate notices, donation asks, copyright);
* image credits ("Photo: ...", "... /Getty Images", "aja/PAP") that are not sentences;
* stamps: lines that are only a date or time, or "key | key" metadata with a date.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from newsbeam.transforms.extraction.deadline import Deadline
from newsbeam.transforms.extraction.html.clean import BLOCK_TAGS, Stats, class_id, link_density
from newsbeam.transforms.extraction.html.text import collapse, element_text

__all__ = ["captions_of", "emit_paragraphs", "keep_paragraph", "select_paragraphs", "trim_trailing_labels"]

_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Class/id words that mark a block inside the article as boilerplate, never as text.
_BOILERPLATE = re.compile(
    r"(?:^|\s)(?:ad|ads|advert\w*|ad[-_]\w+)(?:$|\s)|breadcrumb|comment(?!ary)|cookie|newsletter|outbrain|"
    r"promo(?!ted)|related|share|sharing|social|sponsor|subscribe|taboola|toolbar|popup|modal|"
    r"recommend|most-?read|trending|signup|login|pagination|pager\b|disqus|byline|post-?meta|"
    r"entry-?meta|article-?meta|sidebar|(?:^|\s)nav(?:bar|igation)?(?:$|\s|[-_])|menu|kommentar|"
    r"author-?box|about-?the-?author|author-?bio|abh_|rating|disclaimer|read-?more|see-?also|"
    r"lee-?tambien|lire-?aussi|mehr-?zum|more-?(?:stories|articles|news)|caption|credit|copyright|legend|"
    r"saiba-?mais|leia-?tamb|callout|flyout|subvert|donation|reward|"
    r"(?:author|autor)(?:[-_]?section|[-_]?info|[-_]?text|[-_]?desc|[-_]?about|__)|contact-?box|"
    r"(?:entry|post|article)-?footer|(?:^|[-_ ])(?:img|image|photo|bild)[-_]?(?:inline|desc|credit)",
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
    r"czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)|udostępnij|dowiedz się więcej|drukuj$|"
    r"kontakt:?$|contact:?$|zum weiterlesen|vous aimerez aussi|mehr interessantes|"
    r"(?:über|about) (?:den|the) autor|fragen an den autor|permali(?:nk|en)|rezept drucken|"
    r"print (?:this|recipe)|"
    r"kommentare? (?:schreiben|geschlossen)|comments? (?:are )?closed|externer inhalt|"
    r"quellen (?:ausblenden|anzeigen)|(?:sie|du) könnte(?:n|st)? auch|"
    r"bild anzeigen|if you (?:enjoyed|liked) (?:this|reading)|we want to hear|lust auf mehr|zum newsletter|"
    r"inhaltsverzeichnis$|table of contents$|aktualisiert am|last (?:modified|updated)|release date:|"
    r"categor(?:y|ies) ?:|kategorien? ?:|schlagworte?:|stichworte?:|nos siga|s[ií]guenos|"
    r"lea(?: m[aá]s| tambi[eé]n)?:|puedes ver:|mira:|ver tambi[eé]n|notas relacionadas|"
    r"leia (?:tamb[eé]m|mais)|veja (?:tamb[eé]m|mais)|verwandte (?:beiträge|artikel|themen)|"
    r"ähnliche (?:beiträge|artikel)|read:|watch:|"
    r"more:|mehr:|lesen sie:|zum thema:|lire:|à voir aussi|leggi:|czytaj:)",
    re.I,
)
#: Promotion and small print found anywhere in a short line: follow us, get the app, subscribe
#: to read on, copyright notices.
_PROMO_LINE = re.compile(
    r"\b(?:follow|find|like|join|connect with|siga|s[ií]guenos|suivez|folg(?:en sie|e|t) uns|[úu]nete|"
    r"obserwuj)\b"
    r"[^.]{0,80}\b(?:twitter|facebook|instagram|telegram|whatsapp|youtube|tiktok|linkedin)\b|"
    r"\bdownload\b[^.]{0,60}\bapps?\b|\bapps? (?:for|on) (?:ios|android|iphone)|"
    r"\bto (?:view|read|continue|see)\b[^.]{0,50}\b(?:subscribe|subscriber|log ?in|sign ?in|register)\b|"
    r"\balready a (?:subscriber|member)\b|\bsubscribe (?:now|today)\b|"
    r"\bcopyrighted (?:property|material)\b|\bwritten permission\b|\ball rights reserved\b|"
    r"\b(?:may|must) not be (?:re)?(?:published|broadcast|rewritten|redistributed)\b|"
    r"\bnewsletter\b[^.]{0,60}\b(?:sign up|subscribe|anmelden|abonnieren|inscri)|"
    r"\b(?:sign up|anmelden|abonnieren|inscrivez-vous)\b[^.]{0,40}\bnewsletter\b|"
    r"\b(?:artikel|article|beitrag|story|post|nota)\b[^.]{0,30}\b(?:teilen|share|partager|compartir)\b|"
    r"\b(?:teilen|share|partagez|comparte)\b[^.]{0,20}\b(?:artikel|article|beitrag|story)\b|"
    r"\b(?:enter|gib|geben sie) (?:your|deine|ihre) e-?mail|"
    r"\b(?:we|wir) (?:respect|respektieren) (?:your|deine|ihre)|"
    r"\bnot responsible for (?:the )?(?:opinions|content|views)|"
    r"\b(?:warning|notice|deprecated|fatal error)\b: .{0,200} on line \d+|"
    r"\b(?:must|müssen|need to) (?:be )?(?:logged in|log in|sign in|sich (?:einloggen|anmelden))\b|"
    r"\bbitte registrieren sie sich\b|\bpour lire la suite\b|\bsign up (?:here|now|today)\b|"
    r"\bwe (?:may )?receive (?:a )?compensation\b|\baffiliate links?\b|\bohne gewähr\b|"
    r"\b(?:im abo|als e-?paper|jetzt abonnieren|do subskrypcji)\b|\bn'engagent que\b|"
    r"\b(?:unterstützen sie (?:uns|unsere|diese)|support (?:our|us|independent) (?:journalism|work)|"
    r"jetzt spenden|donate now)\b|\b(?:pdf|download)\b.{0,40}\b\d+ ?(?:kb|mb)\b|\bals pdf herunterladen\b|"
    r"^(?:>>(?!>)|►|→)\s|^suggested citation",
    re.I,
)
_MAX_PROMO_CHARS = 250
#: Every alternative of _PROMO_LINE needs one of these words (or starts with an arrow).
#: Looking them up first is many times cheaper than the regex, which then runs on few lines.
_PROMO_WORDS = frozenset(
    (  # noqa: SIM905 - one word list reads better than seventy quoted lines
        "twitter facebook instagram telegram whatsapp youtube tiktok linkedin download app apps subscribe "
        "subscriber login log signin sign register already copyrighted written reserved published "
        "republished broadcast rebroadcast rewritten redistributed newsletter teilen share partager "
        "compartir partagez comparte mail email respect respektieren responsible line logged einloggen "
        "anmelden registrieren lire compensation affiliate gewähr abo paper epaper abonnieren subskrypcji "
        "engagent unterstützen support spenden donate pdf suggested"
    ).split()
)
_PROMO_ARROWS = (">>", "►", "→")
#: A short line naming a photographer or picture agency: an image credit, not text.
_CREDIT_LINE = re.compile(
    r"^\(?(?:foto|fotos|photo|photos|bild|bilder|image|images|credit|credits|crédits?(?: photos?)?|titelbild|"
    r"beitragsbild|abbildung|grafik|quelle|source|fuente|fonte|źródło|zdjęcie)\s*:|"
    r"\((?:foto|fotos|photo|photos|bild|image|credit)\s*:|getty\b|shutterstock|istock|imago\b|"
    r"picture[- ]alliance|wenn\.com|bestimage|unsplash|"
    r"pixabay|^[\w.]{1,10}\s*/\s*(?:pap|dpa|afp|apa|kna|epd|ap|reuters|ansa|efe)$|\b(?:afp|reuters|dpa|ap|epa|anp|pap|ansa)\s*(?:/|photo\b|foto\b)|/\s*(?:afp|reuters|dpa|ap|epa)\b",
    re.I,
)
_MAX_CREDIT_CHARS = 90
#: Dates, times and numbers, removed to see whether a short line says anything else.
_STAMP_PARTS = re.compile(
    r"\d{1,4}(?:[./:-]\d{1,4}){1,2}\.?|\b\d+\b|\b(?:am|pm|uhr|h)\b|\b(?:jan|feb|mär|mar|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz])[a-zäé]*\.?",
    re.I,
)
_WORD = re.compile(r"\w+")
_DATE_OR_TIME = re.compile(
    r"\d{1,4}[./-][01]?\d[./-]\d{2,4}|\b\d{1,2}:\d{2}\b|\b\d{1,2}\.? [A-ZÄÖÜ][a-zäé]+ \d{4}\b"
)
_MAX_STAMP_CHARS = 70
_SENTENCE_END = re.compile(r"[.!?…。]\s*$")
_MAX_SMALL_PRINT_CHARS = 80
#: Captions are kept apart (``Extraction.captions``); the page's headline is the title.
_SKIPPED_TAGS = frozenset({"figcaption", "h1", "address"})
#: Image boxes: their text is a caption or a credit, unless they are long (some sites wrap text).
_FIGURE_TAGS = frozenset({"figure", "picture"})
_MAX_FIGURE_CHARS = 400
_MAX_LABEL_CHARS = 60
_MAX_BLOCK_LINK_DENSITY = 0.5
_LINK_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "table", "dl"})
_MAX_PARAGRAPH_LINK_SHARE = 0.8
#: A lone link paragraph shorter than this is a button ("More", "Next"), not a reference.
_MIN_LINK_PARAGRAPH_CHARS = 25


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


_QUIET, _BOILERPLATE_BLOCK = 1, 2


@lru_cache(maxsize=8192)
def _is_boilerplate(names: str) -> bool:
    return _BOILERPLATE.search(names) is not None


@lru_cache(maxsize=8192)
def _is_small_print(names: str) -> bool:
    return _SMALL_PRINT.search(names) is not None


def _skip_block(element: Any, stats: Stats, container_chars: int) -> int:
    """0 to emit ``element``; _QUIET to skip it alone; _BOILERPLATE_BLOCK to skip it and its heading."""
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIPPED_TAGS:
        return _QUIET
    text_chars = stats.get(element, (0, 0))[0]
    if tag in _FIGURE_TAGS and text_chars < _MAX_FIGURE_CHARS:
        return _QUIET
    names = class_id(element)
    # Inline markup inside a paragraph (a "dateline" or "author" span) is part of its sentence.
    inline_in_text = (
        tag not in BLOCK_TAGS and element.getparent() is not None and element.getparent().tag == "p"
    )
    if names.strip() and text_chars < 0.5 * container_chars and not inline_in_text:
        if _is_boilerplate(names):
            return _BOILERPLATE_BLOCK
        if text_chars < _MAX_SMALL_PRINT_CHARS and _is_small_print(names):
            return _QUIET
    if tag in _LINK_LIST_TAGS and link_density(stats, element) > _MAX_BLOCK_LINK_DENSITY:
        return _BOILERPLATE_BLOCK
    return 0


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
            skip = _skip_block(element, stats, container_chars) if element is not container else 0
            if skip:
                walker.skip_subtree()
                skipped = element
                if tag in BLOCK_TAGS:
                    writer.flush()
                    # A heading right before a dropped block ("Related stories") is its title.
                    if (
                        skip == _BOILERPLATE_BLOCK
                        and 0 <= heading_at == len(writer.paragraphs) - 1
                        and stats.get(element, (0, 0))[0]
                    ):
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


def select_paragraphs(emitted: list[tuple[str, float]]) -> list[str]:
    """The emitted paragraphs that are text (see :func:`keep_paragraph`).

    A paragraph that is one link is kept inside running text (a reference the author
    made) but not in a run of such paragraphs (a list of teasers).
    """
    linky = [share > _MAX_PARAGRAPH_LINK_SHARE and len(text) < 200 for text, share in emitted]
    kept = []
    for index, (text, share) in enumerate(emitted):
        if linky[index] and (
            len(text) < _MIN_LINK_PARAGRAPH_CHARS
            or index == 0
            or index + 1 == len(emitted)
            or linky[index - 1]
            or linky[index + 1]
        ):
            continue
        if keep_paragraph(text, 0.0 if linky[index] else share):
            kept.append(text)
    return kept


def keep_paragraph(text: str, link_share: float) -> bool:
    """Whether an emitted paragraph is text: not links, a label, promotion or an image credit."""
    if link_share > _MAX_PARAGRAPH_LINK_SHARE and len(text) < 200:
        return False
    if len(text) < 120 and _BOILERPLATE_LINE.match(text):
        return False
    if len(text) < _MAX_PROMO_CHARS and _may_promote(text) and _PROMO_LINE.search(text):
        return False
    is_credit = len(text) < _MAX_CREDIT_CHARS and _CREDIT_LINE.search(text) and not _SENTENCE_END.search(text)
    return not is_credit and not _is_stamp(text)


def _may_promote(text: str) -> bool:
    return text.startswith(_PROMO_ARROWS) or not _PROMO_WORDS.isdisjoint(_WORD.findall(text.lower()))


def _is_stamp(text: str) -> bool:
    """A short line that is a date, a time or "key: value | key: value" metadata, not a sentence."""
    if len(text) > _MAX_STAMP_CHARS or not any(char.isdigit() for char in text):
        return False
    if not _DATE_OR_TIME.search(text):
        return False
    return not _WORD.findall(_STAMP_PARTS.sub(" ", text)) or (
        " | " in text and not _SENTENCE_END.search(text)
    )


def trim_trailing_labels(paragraphs: list[str]) -> list[str]:
    """Drop short "Contact:"/"More on this:" lines left at the end, whose list was dropped."""
    while paragraphs and len(paragraphs[-1]) < _MAX_LABEL_CHARS and paragraphs[-1].endswith(":"):
        paragraphs.pop()
    return paragraphs


def captions_of(container: Any) -> list[str]:
    return [text for text in (element_text(caption) for caption in container.iter("figcaption")) if text]
