"""TODO docstring."""

from __future__ import annotations

from collections.abc import Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from newsbeam.transforms.extraction.page import parse_page
from newsbeam.transforms.model import Article, Page, Reject

__all__ = ["ParseArticles"]

ARTICLES, REJECTS = "articles", "rejects"


class ParseArticles(beam.PTransform):
    """Pages in; a dict of ``articles`` and ``rejects`` out."""

    def __init__(self, min_words: int, timeout_seconds: float | None = None) -> None:
        super().__init__()
        if min_words < 0:
            raise ValueError(f"min_words must not be negative, not {min_words}")
        if timeout_seconds is not None and timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, not {timeout_seconds}")
        self._min_words = min_words
        self._timeout_seconds = timeout_seconds

    def expand(self, pages: beam.PCollection[Page]) -> dict[str, beam.PCollection]:
        parse = _ParseFn(self._min_words, self._timeout_seconds)
        outputs = pages | "Parse" >> beam.ParDo(parse).with_outputs(REJECTS, main=ARTICLES)
        return {ARTICLES: outputs[ARTICLES], REJECTS: outputs[REJECTS]}


class _ParseFn(beam.DoFn):
    def __init__(self, min_words: int, timeout_seconds: float | None) -> None:
        self._min_words = min_words
        self._timeout_seconds = timeout_seconds
        self._articles = Metrics.counter("parse", "articles")
        self._rejects = Metrics.counter("parse", "rejects")
        self._timeouts = Metrics.counter("parse", "timeouts")

    def process(self, page: Page) -> Iterable[Article | TaggedOutput]:
        try:
            result = parse_page(page, self._min_words, self._timeout_seconds)
        except Exception as error:  # noqa: BLE001 - one bad page must not fail the run; it is recorded.
            result = Reject.of(
                page.input, "parse_failed", f"extraction raised {type(error).__name__}: {error}", page.content
            )
        if isinstance(result, Reject):
            self._rejects.inc()
            if result.reason == "timeout":
                self._timeouts.inc()
            yield TaggedOutput(REJECTS, result)
        else:
            self._articles.inc()
            yield result
