"""The parse stage: a page in, an :class:`Article` or a :class:`Reject` out.

:func:`parse_page` picks the extractor for the page's kind (``extract_html`` for HTML,
``extract_text`` for plain-text dumps) and :func:`build_article` turns what it found
into an article: body text, word count, content hash, a stable id, the source site,
a publication date from the URL when the page gives none, and the dateline. Pages with
fewer words than ``min_words``, or that read as lists of teasers, are not articles
(section fronts, tag listings, error pages) and become rejects ``not_article``. A page
that declares no language, or declares one its text clearly is not in, gets the one
detected from its body (:func:`.language.choose_language`).

:class:`ParseArticles` is the Beam step; an extractor that raises on one page turns
that page into a reject ``parse_failed`` carrying the exception, never a failed run.

Each page has a time budget (``parse.timeout_seconds``). It is enforced cooperatively, as
signals do not work in Beam's worker threads: :func:`parse_page` gives the extractor a
:class:`~.deadline.Deadline`, the extractor's loops check it and raise
:class:`~.deadline.ExtractionTimeout` once it has passed, and the page becomes
a reject ``timeout``. The run goes on with the next page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from newsbeam.transforms.extraction.dateline import split_dateline
from newsbeam.transforms.extraction.deadline import NO_DEADLINE, Deadline, ExtractionTimeout
from newsbeam.transforms.extraction.html.extract import extract_html
from newsbeam.transforms.extraction.language import choose_language
from newsbeam.transforms.extraction.result import Extraction
from newsbeam.transforms.extraction.text_dump import extract_text
from newsbeam.transforms.extraction.urls import date_from_url, normalize_url, source_of
from newsbeam.transforms.model import Article, Page, Reject

__all__ = ["article_id", "build_article", "content_hash", "normalize_for_hash", "parse_page", "word_count"]

PARAGRAPH_SEPARATOR = "\n\n"


#: A listing has at least this many paragraphs, most of them shorter than LISTING_SHORT_WORDS.
LISTING_MIN_PARAGRAPHS = 6


LISTING_SHORT_WORDS = 12


LISTING_SHORT_SHARE = 0.85


LISTING_SHORT_SHARE_WEBSITE = 0.6


_WORD = re.compile(r"\w+", re.UNICODE)


_SPACES = re.compile(r"\s+")


def normalize_for_hash(text: str) -> str:
    """Case-folded, punctuation dropped, whitespace collapsed: what counts as "the same text"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(folded))


def content_hash(body: str) -> str:
    return hashlib.blake2b(normalize_for_hash(body).encode("utf-8"), digest_size=16).hexdigest()


def article_id(url: str | None, body_hash: str) -> str:
    """Stable across runs: from the normalized URL when there is one, else from the content."""
    normalized = normalize_url(url)
    key = f"url:{normalized}" if normalized else f"content:{body_hash}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def looks_like_listing(paragraphs: list[str], og_type: str | None) -> bool:
    """A section front or tag page: many short teaser lines and hardly a sentence among them.

    Articles have paragraphs of sentences; listings have headlines, blurbs and dates. A page
    that says it is a ``website`` (not an ``article``) needs less evidence.
    """
    if len(paragraphs) < LISTING_MIN_PARAGRAPHS:
        return False
    # Whitespace-separated words are close enough to tell a teaser line from a paragraph, and cheap.
    short = sum(1 for paragraph in paragraphs if len(paragraph.split()) < LISTING_SHORT_WORDS)
    share = short / len(paragraphs)
    return share >= (LISTING_SHORT_SHARE_WEBSITE if og_type == "website" else LISTING_SHORT_SHARE)


def parse_page(page: Page, min_words: int, timeout_seconds: float | None = None) -> Article | Reject:
    """Extract the article of ``page``; see the module docstring.

    A page whose extraction takes longer than ``timeout_seconds`` gives a reject ``timeout``.
    """
    deadline = Deadline(timeout_seconds) if timeout_seconds is not None else NO_DEADLINE
    try:
        if page.html is not None:
            extraction = extract_html(page.html, page.url, deadline)
        else:
            extraction = extract_text(page.text or "")
            deadline.check_now()
    except ExtractionTimeout as timeout:
        return Reject.of(page.input, "timeout", f"{timeout} (parse.timeout_seconds)", page.content)
    return build_article(page, extraction, min_words)


def build_article(page: Page, extraction: Extraction, min_words: int) -> Article | Reject:
    paragraphs = [_SPACES.sub(" ", p).strip() for p in extraction.paragraphs]
    paragraphs = [p for p in paragraphs if p]
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    words = word_count(body)
    if words == 0:
        return Reject.of(page.input, "not_article", "no article text was found on the page", page.content)
    if looks_like_listing(paragraphs, extraction.og_type):
        return Reject.of(
            page.input,
            "not_article",
            f"the page reads as a list of teasers ({len(paragraphs)} short paragraphs), not an article",
            body,
        )
    if words < min_words:
        return Reject.of(
            page.input,
            "not_article",
            f"the page's main text has {words} words, fewer than parse.min_words ({min_words})",
            body,
        )
    url = extraction.url or page.url
    body_hash = content_hash(body)
    dateline = extraction.dateline
    if dateline is None:
        dateline, _ = split_dateline(paragraphs[0])
    return Article(
        id=article_id(url, body_hash),
        input=page.input,
        body=body,
        url=url,
        source=source_of(url) or source_of(page.url) or _clean(extraction.site_name),
        title=_clean(extraction.title),
        authors=list(extraction.authors),
        published_at=extraction.published_at or date_from_url(url) or date_from_url(page.url),
        updated_at=extraction.updated_at,
        dateline=dateline,
        captions=list(extraction.captions),
        language=choose_language(extraction.language, body),
        word_count=words,
        content_hash=body_hash,
        fetched_at=page.fetched_at,
        hints={
            "sections": list(extraction.sections),
            "breadcrumbs": list(extraction.breadcrumbs),
            "og_type": extraction.og_type,
        },
    )


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", text).strip()
    return cleaned or None
