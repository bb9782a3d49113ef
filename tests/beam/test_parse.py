"""The parse stage on a TestPipeline: articles and rejects apart, a slow page a timeout reject."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import PARAGRAPHS, article_html

from newsbeam.transforms.model import Page, Provenance
from newsbeam.transforms.stages.parse import ParseArticles

SLOW_HTML = "<html><body>" + "<div><p>A sentence, with commas, on and on.</p></div>" * 3000 + "</body></html>"


WHERE = Provenance("/d/page.html", 0)


def page(**fields: object) -> Page:
    return Page(input=WHERE, **fields)  # type: ignore[arg-type]


def test_parse_step_splits_articles_and_rejects():
    html = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")
    good = page(html=html)
    with TestPipeline() as pipeline:
        parsed = pipeline | beam.Create([good, page(text="Too short.")]) | ParseArticles(min_words=20)
        assert_that(
            parsed["articles"] | "Titles" >> beam.Map(lambda a: a.title),
            equal_to(["Corrin Lines shares rise"]),
            label="articles",
        )
        assert_that(
            parsed["rejects"] | "Reasons" >> beam.Map(lambda r: r.reason),
            equal_to(["not_article"]),
            label="rejects",
        )


def test_parse_step_turns_a_slow_page_into_a_timeout_reject():
    with TestPipeline() as pipeline:
        parsed = pipeline | beam.Create([page(html=SLOW_HTML)]) | ParseArticles(20, timeout_seconds=1e-6)
        assert_that(parsed["rejects"] | beam.Map(lambda r: r.reason), equal_to(["timeout"]))
