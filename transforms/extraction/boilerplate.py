"""Cross-page boilerplate: paragraphs a site repeats on many of its pages are not article text.

Extractors see one page at a time, so a sidebar teaser, a "Follow us" line or a footer
that looks like prose survives them; across a run, it gives itself away by recurring
verbatim on many different articles of the same source. This step learns those
paragraphs and drops them from bodies. It needs no markup, so it cleans text dumps too.

How it counts, so that a run fits in memory: every article sends one compact value to
its site, its identity (its title, else its first paragraph, so copies and re-crawls of
one article count once) and the 8-byte digests of its distinct paragraphs, one bytes
value. A ``GroupByKey`` per site gathers them, and :func:`repeated_paragraphs` counts,
per paragraph, the distinct identities it appears on. The paragraphs that reach
``min_pages`` are a small side input of the step that rewrites bodies, one set per site
that has any. One value per article crosses the shuffle, not a ``(site, paragraph)`` key
per paragraph (about twenty per article). The price is one group per site: a site's pages
of one run are counted on one worker, in memory proportional to its distinct paragraphs.

Each article's paragraphs are hashed once: the digests are parked with the article, so
the rewrite only looks them up, and an article of a site without repeated paragraphs is
passed on untouched.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable, Iterator

from xxhash import xxh3_64_digest

from newsbeam.transforms.extraction.page import PARAGRAPH_SEPARATOR, article_id, content_hash, word_count
from newsbeam.transforms.model import Article, Reject, replace_article

__all__ = [
    "paragraph_digest",
    "paragraph_digests",
    "repeated_paragraphs",
    "site_paragraphs",
    "strip_boilerplate",
]

#: A site's repeated paragraphs: the digests (:func:`paragraph_digest`) of each site that has any.
Boilerplate = dict[str, frozenset[bytes]]


#: An article with the digests of its paragraphs, in order, concatenated: computed once, read
#: by the count (:func:`site_paragraphs`) and by the strip (:func:`strip_boilerplate`).
HashedArticle = tuple[Article, bytes]


DIGEST_BYTES = 8  # xxh3_64


def site_of(article: Article) -> str:
    """The unit within which paragraphs repeat: the source, else the folder of the dump."""
    return article.source or posixpath.dirname(article.input.path)


def paragraph_digest(paragraph: str) -> bytes:
    # Verbatim up to whitespace: a template repeats its boilerplate byte for byte, and the
    # exact hash's case and punctuation folding costs more than all the rest of this step.
    # The digests live for one run only, so their function may change between releases.
    return xxh3_64_digest(" ".join(paragraph.split()).encode("utf-8"))


def paragraph_digests(body: str) -> bytes:
    """The digest of each paragraph of ``body``, in order, concatenated."""
    return b"".join(map(paragraph_digest, body.split(PARAGRAPH_SEPARATOR)))


def _split_digests(digests: bytes) -> list[bytes]:
    return [digests[start : start + DIGEST_BYTES] for start in range(0, len(digests), DIGEST_BYTES)]


def with_paragraph_digests(article: Article) -> HashedArticle:
    return article, paragraph_digests(article.body)


def site_paragraphs(hashed: HashedArticle) -> tuple[str, tuple[bytes, bytes]]:
    """``(site, (identity, digests))``: the article's distinct paragraph digests, concatenated.

    The identity is the digest of the title, else of the first paragraph, so that copies and
    re-crawls of one article count once.
    """
    article, digests = hashed
    identity = paragraph_digest(article.title) if article.title else digests[:DIGEST_BYTES]
    return site_of(article), (identity, b"".join(sorted(set(_split_digests(digests)))))


def repeated_paragraphs(
    site_values: tuple[str, Iterable[tuple[bytes, bytes]]], min_pages: int
) -> Iterator[tuple[str, frozenset[bytes]]]:
    """``(site, digests)``: the site's paragraphs found on ``min_pages`` articles or more, if any."""
    site, values = site_values
    by_identity: dict[bytes, set[bytes]] = {}
    for identity, digests in values:
        by_identity.setdefault(identity, set()).update(_split_digests(digests))
    counts = Counter(digest for digests in by_identity.values() for digest in digests)
    repeated = frozenset(digest for digest, articles in counts.items() if articles >= min_pages)
    if repeated:
        yield site, repeated


def strip_boilerplate(
    article: Article, boilerplate: Boilerplate, min_words: int, digests: bytes | None = None
) -> Article | Reject:
    """``article`` without its boilerplate paragraphs; a reject if too little is left.

    ``digests``: the article's :func:`paragraph_digests`, when they are known already.
    """
    site = site_of(article)
    repeated = boilerplate.get(site)
    if not repeated:
        return article
    paragraphs = article.body.split(PARAGRAPH_SEPARATOR)
    if digests is None:
        digests = paragraph_digests(article.body)
    kept = [
        paragraph
        for paragraph, digest in zip(paragraphs, _split_digests(digests), strict=True)
        if digest not in repeated
    ]
    if len(kept) == len(paragraphs):
        return article
    body = PARAGRAPH_SEPARATOR.join(kept)
    words = word_count(body)
    if words < max(min_words, 1):
        return Reject.of(
            article.input,
            "not_article",
            f"{words} words are left after removing {len(paragraphs) - len(kept)} paragraphs "
            f"that recur on other pages of {site}",
            article.body,
        )
    body_hash = content_hash(body)
    # A page without a URL is identified by its text, which has just become cleaner.
    return replace_article(
        article, id=article_id(article.url, body_hash), body=body, word_count=words, content_hash=body_hash
    )
