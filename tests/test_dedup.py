"""Exact deduplication: the pure choice of the kept copy, and the Beam step."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from builders import make_article

from transforms.dedup import DeduplicateArticles, canonical_sort_key, resolve_group, word_jaccard

BODY = "The harbour council voted on Thursday to approve a new ferry terminal on the eastern quay."


def test_copy_with_url_and_metadata_is_kept_over_a_bare_copy():
    bare = make_article(id="b", body=BODY, url=None, path="/d/dump.txt")
    rich = make_article(
        id="r",
        body=BODY,
        url="https://harbour.example/a",
        title="Ferry terminal approved",
        published_at="2025-03-14",
    )
    kept, duplicates = resolve_group([bare, rich], "exact")
    assert kept.id == "r"
    assert [(d.id, d.duplicate_of, d.kind, d.similarity) for d in duplicates] == [("b", "r", "exact", 1.0)]


def test_earliest_published_copy_wins_between_equally_rich_copies():
    late = make_article(id="x1", body=BODY, title="T", published_at="2025-03-15T08:00:00+00:00")
    early = make_article(id="x2", body=BODY, title="T", published_at="2025-03-14T08:00:00+00:00")
    assert resolve_group([late, early], "exact")[0].id == "x2"


def test_choice_does_not_depend_on_input_order():
    copies = [make_article(id="same", body=BODY, path=f"/d/{n}.html") for n in range(5)]
    first = resolve_group(copies, "exact")[0]
    again = resolve_group(list(reversed(copies)), "exact")[0]
    assert first.input == again.input == copies[0].input
    assert canonical_sort_key(copies[0]) < canonical_sort_key(copies[1])


def test_word_jaccard():
    assert word_jaccard("a b c", "A, b; c!") == 1.0
    assert word_jaccard("a b c d", "a b") == 0.5


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
    with TestPipeline() as pipeline:
        result = (
            pipeline | beam.Create([wire_a, wire_b, recrawl_old, recrawl_new, other]) | DeduplicateArticles()
        )
        kept = result["articles"] | "Kept" >> beam.Map(lambda a: (a.id, a.input.path))
        dropped = result["duplicates"] | "Dropped" >> beam.Map(
            lambda d: (d.input.path, d.duplicate_of, d.kind)
        )
        assert_that(
            kept, equal_to([("b", "/d/b.html"), ("c", "/d/c2.html"), ("d", "/d/d.html")]), label="kept"
        )
        assert_that(
            dropped, equal_to([("/d/a.html", "b", "exact"), ("/d/c1.html", "c", "near")]), label="duplicates"
        )
