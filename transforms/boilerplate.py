"""Cross-page boilerplate: paragraphs a site repeats on many of its pages are not article text.

Extractors see one page at a time, so a sidebar teaser, a "Follow us" line or a footer
that looks like prose survives them; across a run, it gives itself away by recurring
verbatim on many different articles of the same source. This step learns those
paragraphs and drops them from bodies. It needs no markup, so it cleans text dumps too.

How it counts, so that a run fits in memory: every article sends one compact value to
its site, its identity (its title, else its first paragraph, so copies and re-crawls of
one article count once) and the hashes of its distinct paragraphs, one string of fixed
width. A ``GroupByKey`` per site gathers them, and :func:`repeated_paragraphs` counts,
per paragraph, the distinct identities it appears on. The paragraphs that reach
``min_pages`` are a small side input of the step that rewrites bodies. One value per
article crosses the shuffle, where a ``(site, paragraph)`` key per paragraph (about
twenty per article) did before: the read stage of a 20,000-page ``in_memory`` run, which
holds these values until it ends, peaked at 394 MB instead of 477 MB. The price is one
group per site: a site's pages of one run are counted on one worker, in memory
proportional to its distinct paragraphs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections import Counter
from collections.abc import Iterable, Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.parking import BATCHES, Park, ParkedBatch, read_batch
from transforms.parse import PARAGRAPH_SEPARATOR, article_id, content_hash, word_count
from transforms.records import Article, Reject, pack_article, unpack_article

__all__ = ["RemoveRepeatedParagraphs", "repeated_paragraphs", "site_paragraphs", "strip_boilerplate"]

ARTICLES, REJECTS = "articles", "rejects"
BoilerplateKey = tuple[str, str]


def site_of(article: Article) -> str:
    """The unit within which paragraphs repeat: the source, else the folder of the dump."""
    return article.source or posixpath.dirname(article.input.path)


_HASH_BYTES = 8
_HASH_CHARS = 2 * _HASH_BYTES  # hex


def paragraph_hash(paragraph: str) -> str:
    # Verbatim up to whitespace: a template repeats its boilerplate byte for byte, and the
    # exact hash's case and punctuation folding costs more than all the rest of this step.
    return hashlib.blake2b(" ".join(paragraph.split()).encode("utf-8"), digest_size=_HASH_BYTES).hexdigest()


def article_identity(article: Article) -> str:
    first = article.body.split(PARAGRAPH_SEPARATOR, 1)[0]
    return paragraph_hash(article.title or first)


def site_paragraphs(article: Article) -> tuple[str, tuple[str, str]]:
    """``(site, (identity, hashes))``: the article's distinct paragraph hashes, concatenated."""
    hashes = {paragraph_hash(paragraph) for paragraph in article.body.split(PARAGRAPH_SEPARATOR)}
    return site_of(article), (article_identity(article), "".join(sorted(hashes)))


def repeated_paragraphs(
    site_values: tuple[str, Iterable[tuple[str, str]]], min_pages: int
) -> Iterator[tuple[BoilerplateKey, int]]:
    """``((site, paragraph hash), articles)`` for each paragraph on ``min_pages`` articles or more."""
    site, values = site_values
    by_identity: dict[str, set[str]] = {}
    for identity, hashes in values:
        found = by_identity.setdefault(identity, set())
        found.update(hashes[start : start + _HASH_CHARS] for start in range(0, len(hashes), _HASH_CHARS))
    counts = Counter(digest for hashes in by_identity.values() for digest in hashes)
    for digest, articles in counts.items():
        if articles >= min_pages:
            yield (site, digest), articles


def strip_boilerplate(
    article: Article, boilerplate: set[BoilerplateKey] | dict, min_words: int
) -> Article | Reject:
    """``article`` without its boilerplate paragraphs; a reject if too little is left."""
    site = site_of(article)
    paragraphs = article.body.split(PARAGRAPH_SEPARATOR)
    kept = [paragraph for paragraph in paragraphs if (site, paragraph_hash(paragraph)) not in boilerplate]
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
    return dataclasses.replace(
        article, id=article_id(article.url, body_hash), body=body, word_count=words, content_hash=body_hash
    )


class RemoveRepeatedParagraphs(beam.PTransform):
    """Articles in; a dict of cleaned ``articles`` and ``rejects`` (nothing left) out.

    ``park_folder``: where the articles wait for the counts (:mod:`transforms.parking`);
    without it they wait in the runner.
    """

    def __init__(self, min_pages: int, min_words: int, park_folder: str | None = None) -> None:
        super().__init__()
        if min_pages < 2:
            raise ValueError(f"min_pages must be at least 2, not {min_pages}")
        self._min_pages = min_pages
        self._min_words = min_words
        self._park_folder = park_folder

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        repeated = (
            articles
            | "Paragraphs by site" >> beam.Map(site_paragraphs)
            | "Group by site" >> beam.GroupByKey()
            | "Seen often" >> beam.FlatMap(repeated_paragraphs, min_pages=self._min_pages)
        )
        # Every article waits here until the counts are complete, parked on disk, not in the runner.
        parked = articles | "Park" >> Park(self._park_folder, pack_article)
        strip = _StripFn(self._min_words)
        outputs = parked[BATCHES] | "Strip" >> beam.ParDo(
            strip, boilerplate=beam.pvalue.AsDict(repeated)
        ).with_outputs(REJECTS, main=ARTICLES)
        return {ARTICLES: outputs[ARTICLES], REJECTS: outputs[REJECTS]}


class _StripFn(beam.DoFn):
    def __init__(self, min_words: int) -> None:
        self._min_words = min_words
        self._cleaned = Metrics.counter("boilerplate", "articles_cleaned")

    def process(
        self, batch: ParkedBatch, boilerplate: dict[BoilerplateKey, int]
    ) -> Iterable[Article | TaggedOutput]:
        for packed in read_batch(batch):
            article = unpack_article(packed)
            result = strip_boilerplate(article, boilerplate, self._min_words)
            if isinstance(result, Reject):
                yield TaggedOutput(REJECTS, result)
                continue
            if result is not article:
                self._cleaned.inc()
            yield result
