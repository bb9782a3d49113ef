"""The dedup stage on a TestPipeline: one article per story, every copy recorded."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import make_article

from newsbeam.transforms.dedup.passes import (
    word_jaccard,
)
from newsbeam.transforms.stages.dedup import DeduplicateArticles

BODY = "The harbour council voted on Thursday to approve a new ferry terminal on the eastern quay."


def test_pipeline_keeps_one_per_story_and_records_every_copy():
    wire_a = make_article(id="a", body=BODY, url="https://harbour.example/a", title="Ferry", path="/d/a.html")
    wire_b = make_article(
        id="b",
        body=BODY.upper(),
        url="https://valley.example/b",
        title="Ferry",
        path="/d/b.html",
        published_at="2025-03-14",
    )
    recrawl_old = make_article(
        id="c",
        body="Old version of a story about trams in the city centre.",
        url="https://harbour.example/c",
        title="Trams",
        path="/d/c1.html",
    )
    recrawl_new = make_article(
        id="c",
        body="New version of a story about trams in the city centre today.",
        url="https://harbour.example/c",
        title="Trams",
        path="/d/c2.html",
    )
    other = make_article(
        id="d", body="A different story entirely.", url="https://harbour.example/d", path="/d/d.html"
    )
    recrawl_similarity = round(word_jaccard(recrawl_new.body, recrawl_old.body), 6)
    assert 0.5 < recrawl_similarity < 1.0
    with TestPipeline() as pipeline:
        result = (
            pipeline | beam.Create([wire_a, wire_b, recrawl_old, recrawl_new, other]) | DeduplicateArticles()
        )
        kept = result["articles"] | "Kept" >> beam.Map(lambda a: (a.id, a.input.path))
        dropped = result["duplicates"] | "Dropped" >> beam.Map(
            lambda d: (d.input.path, d.duplicate_of, d.kind, round(d.similarity, 6))
        )
        assert_that(
            kept, equal_to([("b", "/d/b.html"), ("c", "/d/c2.html"), ("d", "/d/d.html")]), label="kept"
        )
        assert_that(
            dropped,
            equal_to([("/d/a.html", "b", "exact", 1.0), ("/d/c1.html", "c", "near", recrawl_similarity)]),
            label="duplicates",
        )
