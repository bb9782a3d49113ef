"""The boilerplate stage: paragraphs a site repeats on many of its pages leave the bodies.

:class:`RemoveRepeatedParagraphs` counts, per site, on how many distinct articles each
paragraph appears (:mod:`newsbeam.transforms.extraction.boilerplate` holds the logic), and
strips those seen on ``min_pages`` or more. The articles wait for the counts through the
run's :class:`~newsbeam.transforms.runtime.shuffle.Shuffle`.
"""

from __future__ import annotations

from collections.abc import Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from newsbeam.transforms.coders import pack_article, typed, unpack_article
from newsbeam.transforms.extraction.boilerplate import (
    Boilerplate,
    HashedArticle,
    repeated_paragraphs,
    site_paragraphs,
    strip_boilerplate,
    with_paragraph_digests,
)
from newsbeam.transforms.model import Article, Reject
from newsbeam.transforms.runtime.parking import BATCHES, RECORD_LENGTH, ParkedBatch, read_batch
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, Shuffle

__all__ = ["RemoveRepeatedParagraphs"]

ARTICLES, REJECTS = "articles", "rejects"


def pack_hashed(hashed: HashedArticle) -> bytes:
    """The digests, framed as parked records are (their length first), then the packed article."""
    article, digests = hashed
    return RECORD_LENGTH.pack(len(digests)) + digests + pack_article(article)


def unpack_hashed(packed: bytes) -> HashedArticle:
    (length,) = RECORD_LENGTH.unpack_from(packed)
    start = RECORD_LENGTH.size
    return unpack_article(packed[start + length :]), packed[start : start + length]


@beam.typehints.with_input_types(Article)
class RemoveRepeatedParagraphs(beam.PTransform):
    """Articles in; a dict of cleaned ``articles`` and ``rejects`` (nothing left) out.

    ``shuffle``: how the articles wait for the counts (the runner's own shuffle by default).
    """

    def __init__(self, min_pages: int, min_words: int, shuffle: Shuffle | None = None) -> None:
        super().__init__()
        if min_pages < 2:
            raise ValueError(f"min_pages must be at least 2, not {min_pages}")
        self._min_pages = min_pages
        self._min_words = min_words
        self._shuffle = shuffle or InRunnerShuffle()

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        hashed = articles | "Hash paragraphs" >> beam.Map(with_paragraph_digests)
        repeated = (
            hashed
            | "Paragraphs by site" >> beam.Map(site_paragraphs)
            | "Group by site" >> beam.GroupByKey()
            | "Seen often" >> beam.FlatMap(repeated_paragraphs, min_pages=self._min_pages)
        )
        # Every article waits here until the counts are complete.
        parked = hashed | "Park" >> self._shuffle.park(pack_hashed)
        strip = _StripFn(self._min_words)
        outputs = parked[BATCHES] | "Strip" >> beam.ParDo(
            strip, boilerplate=beam.pvalue.AsDict(repeated)
        ).with_outputs(REJECTS, main=ARTICLES)
        return {ARTICLES: typed(outputs[ARTICLES], Article), REJECTS: typed(outputs[REJECTS], Reject)}


class _StripFn(beam.DoFn):
    def __init__(self, min_words: int) -> None:
        self._min_words = min_words
        self._cleaned = Metrics.counter("boilerplate", "articles_cleaned")

    def process(self, batch: ParkedBatch, boilerplate: Boilerplate) -> Iterable[Article | TaggedOutput]:
        for packed in read_batch(batch):
            article, digests = unpack_hashed(packed)
            result = strip_boilerplate(article, boilerplate, self._min_words, digests)
            if isinstance(result, Reject):
                yield TaggedOutput(REJECTS, result)
                continue
            if result is not article:
                self._cleaned.inc()
            yield result
