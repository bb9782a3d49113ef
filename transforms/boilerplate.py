"""Cross-page boilerplate: paragraphs a site repeats on many of its pages are not article text.

Extractors see one page at a time, so a sidebar teaser, a "Follow us" line or a footer
that looks like prose survives them; across a run, it gives itself away by recurring
verbatim on many different articles of the same source. This step learns those
paragraphs and drops them from bodies. It needs no markup, so it cleans text dumps too.

How it counts, so that a run scales: every article emits one ``(source, paragraph
hash)`` key per distinct paragraph, with the article's identity (its title, else its
first paragraph, so copies and re-crawls of one article count once) as the value.
A combiner (:class:`DistinctUpTo`) counts distinct identities per key and stops at
``min_pages``: a footer line is a hot key with one value per page, and a combiner
keeps that to a few small partial counts instead of one huge group. The keys that
reach ``min_pages`` are a small side input of the step that rewrites bodies.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections.abc import Iterable, Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.parse import PARAGRAPH_SEPARATOR, article_id, content_hash, word_count
from transforms.records import Article, Reject

__all__ = ["DistinctUpTo", "RemoveRepeatedParagraphs", "paragraph_keys", "strip_boilerplate"]

ARTICLES, REJECTS = "articles", "rejects"
BoilerplateKey = tuple[str, str]


def site_of(article: Article) -> str:
    """The unit within which paragraphs repeat: the source, else the folder of the dump."""
    return article.source or posixpath.dirname(article.input.path)


def paragraph_hash(paragraph: str) -> str:
    # Verbatim up to whitespace: a template repeats its boilerplate byte for byte, and the
    # exact hash's case and punctuation folding costs more than all the rest of this step.
    return hashlib.blake2b(" ".join(paragraph.split()).encode("utf-8"), digest_size=8).hexdigest()


def article_identity(article: Article) -> str:
    first = article.body.split(PARAGRAPH_SEPARATOR, 1)[0]
    return paragraph_hash(article.title or first)


def paragraph_keys(article: Article) -> Iterator[tuple[BoilerplateKey, str]]:
    """One ``((site, paragraph hash), identity)`` per distinct paragraph of the article."""
    site = site_of(article)
    identity = article_identity(article)
    for digest in {paragraph_hash(paragraph) for paragraph in article.body.split(PARAGRAPH_SEPARATOR)}:
        yield (site, digest), identity


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


class DistinctUpTo(beam.CombineFn):
    """Counts distinct values, stopping at ``cap`` so accumulators stay small on hot keys."""

    def __init__(self, cap: int) -> None:
        self._cap = cap

    def create_accumulator(self) -> set[str]:
        return set()

    def add_input(self, seen: set[str], value: str) -> set[str]:
        if len(seen) < self._cap:
            seen.add(value)
        return seen

    def merge_accumulators(self, accumulators: Iterable[set[str]]) -> set[str]:
        merged: set[str] = set()
        for seen in accumulators:
            for value in seen:
                if len(merged) >= self._cap:
                    return merged
                merged.add(value)
        return merged

    def extract_output(self, seen: set[str]) -> int:
        return len(seen)


class RemoveRepeatedParagraphs(beam.PTransform):
    """Articles in; a dict of cleaned ``articles`` and ``rejects`` (nothing left) out."""

    def __init__(self, min_pages: int, min_words: int) -> None:
        super().__init__()
        if min_pages < 2:
            raise ValueError(f"min_pages must be at least 2, not {min_pages}")
        self._min_pages = min_pages
        self._min_words = min_words

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        repeated = (
            articles
            | "Paragraph keys" >> beam.FlatMap(paragraph_keys)
            | "Count pages" >> beam.CombinePerKey(DistinctUpTo(self._min_pages))
            | "Seen often" >> beam.Filter(lambda key_count, low: key_count[1] >= low, low=self._min_pages)
        )
        outputs = articles | "Strip" >> beam.ParDo(
            _StripFn(self._min_words), boilerplate=beam.pvalue.AsDict(repeated)
        ).with_outputs(REJECTS, main=ARTICLES)
        return {ARTICLES: outputs[ARTICLES], REJECTS: outputs[REJECTS]}


class _StripFn(beam.DoFn):
    def __init__(self, min_words: int) -> None:
        self._min_words = min_words
        self._cleaned = Metrics.counter("boilerplate", "articles_cleaned")

    def process(
        self, article: Article, boilerplate: dict[BoilerplateKey, int]
    ) -> Iterable[Article | TaggedOutput]:
        result = strip_boilerplate(article, boilerplate, self._min_words)
        if isinstance(result, Reject):
            yield TaggedOutput(REJECTS, result)
            return
        if result is not article:
            self._cleaned.inc()
        yield result
