"""User steps inside a pipeline: functions, step objects and PTransforms route articles and rejects."""

from __future__ import annotations

import functools

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from helpers import step_samples
from helpers.beam import TestPipeline
from helpers.builders import PARAGRAPHS

from newsbeam.transforms.model import Article, Provenance
from newsbeam.transforms.stages.user_steps import (
    ApplyUserStep,
)


def article(number: int, body: str = "\n\n".join(PARAGRAPHS), source: str = "lanternpost.example") -> Article:
    return Article(
        id=f"id{number}",
        input=Provenance(f"dumps/page-{number}.html", 0),
        body=body,
        title=f"Title {number}",
        source=source,
        language="en",
    )


def test_function_step_under_beam_routes_articles_and_rejects():
    with TestPipeline() as pipeline:
        out = (
            pipeline
            | beam.Create([article(1), article(2, body="Nothing to see here at all.")])
            | ApplyUserStep("no_shares", functools.partial(step_samples.drop_if, word="Shares"))
        )
        assert_that(out["articles"] | "ids" >> beam.Map(lambda a: a.id), equal_to(["id2"]), label="articles")
        assert_that(
            out["rejects"] | "reasons" >> beam.Map(lambda r: (r.input.path, r.reason)),
            equal_to([("dumps/page-1.html", "dropped_by:no_shares")]),
            label="rejects",
        )


def test_class_step_runs_setup_once_per_worker_before_process():
    with TestPipeline() as pipeline:
        out = (
            pipeline
            | beam.Create([article(1), article(2), article(3)])
            | ApplyUserStep("languages", step_samples.Lookup(suffix="!"))
        )
        assert_that(
            out["articles"] | beam.Map(lambda a: (a.extra["language_name"], a.extra["setups"])),
            equal_to([("English!", 1)] * 3),
        )


def test_transform_step_drops_are_recorded_and_its_rejects_kept():
    articles = [article(1), article(2), article(3, source="other.example")]
    with TestPipeline() as pipeline:
        out = pipeline | beam.Create(articles) | ApplyUserStep("first", step_samples.KeepFirstPerSource())
        assert_that(out["articles"] | beam.Map(lambda a: a.id), equal_to(["id1", "id3"]), label="kept")
        assert_that(
            out["rejects"] | beam.Map(lambda r: (r.input.path, r.reason, r.excerpt[:6])),
            equal_to([("dumps/page-2.html", "dropped_by:first", "Shares")]),
            label="dropped",
        )
    with TestPipeline() as pipeline:
        out = (
            pipeline
            | beam.Create(articles)
            | ApplyUserStep("first", step_samples.KeepFirstPerSource(reject_others=True))
        )
        assert_that(
            out["rejects"] | beam.Map(lambda r: (r.input.path, r.reason)),
            equal_to([("dumps/page-2.html", "not_first")]),
        )


def test_transform_step_that_returns_an_article_twice_fails_the_run():
    with (
        pytest.raises(Exception, match="step 'twice' returned one article 2 times"),
        TestPipeline() as pipeline,
    ):
        _ = pipeline | beam.Create([article(1)]) | ApplyUserStep("twice", step_samples.CopyTwice())
