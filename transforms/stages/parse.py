"""The parse stage: a page in, an article or a reject out.

:class:`ParseArticles` applies :func:`newsbeam.transforms.extraction.page.parse_page` to every
page; an extractor that raises on one page turns that page into a reject ``parse_failed``
carrying the exception, never a failed run.
"""

from __future__ import annotations

from collections.abc import Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from newsbeam.transforms.coders import typed
from newsbeam.transforms.extraction.page import parse_page
from newsbeam.transforms.extraction.soup import HTML_HINT
from newsbeam.transforms.model import Article, Page, Reject

__all__ = ["ParseArticles"]

ARTICLES, REJECTS = "articles", "rejects"


@beam.typehints.with_input_types(Page)
class ParseArticles(beam.PTransform):
    """Pages in; a dict of ``articles`` and ``rejects`` out.

    ``keep_html``: each article carries its page's HTML in ``hints["html"]`` (not written), for
    the user steps that ask for the page's soup.
    """

    def __init__(self, min_words: int, timeout_seconds: float | None = None, keep_html: bool = False) -> None:
        super().__init__()
        if min_words < 0:
            raise ValueError(f"min_words must not be negative, not {min_words}")
        if timeout_seconds is not None and timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, not {timeout_seconds}")
        self._min_words = min_words
        self._timeout_seconds = timeout_seconds
        self._keep_html = keep_html

    def expand(self, pages: beam.PCollection[Page]) -> dict[str, beam.PCollection]:
        parse = _ParseFn(self._min_words, self._timeout_seconds, self._keep_html)
        outputs = pages | "Parse" >> beam.ParDo(parse).with_outputs(REJECTS, main=ARTICLES)
        return {ARTICLES: typed(outputs[ARTICLES], Article), REJECTS: typed(outputs[REJECTS], Reject)}


class _ParseFn(beam.DoFn):
    def __init__(self, min_words: int, timeout_seconds: float | None, keep_html: bool) -> None:
        self._min_words = min_words
        self._timeout_seconds = timeout_seconds
        self._keep_html = keep_html
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
        if self._keep_html and isinstance(result, Article) and page.html is not None:
            result.hints[HTML_HINT] = page.html  # a new article, not yet emitted
        if isinstance(result, Reject):
            self._rejects.inc()
            if result.reason == "timeout":
                self._timeouts.inc()
            yield TaggedOutput(REJECTS, result)
        else:
            self._articles.inc()
            yield result
