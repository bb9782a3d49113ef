"""The boilerplate stage on a TestPipeline: paragraphs repeated across a site's stories are removed."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import make_article

from newsbeam.transforms.stages.boilerplate import RemoveRepeatedParagraphs

FOOTER = "Follow the Valley Herald on social media for the latest news from the valley."


def story(n: int, **fields: object):
    body = "\n\n".join(
        [
            f"Story {n} opens with its own first paragraph about the river crossing number {n}.",
            f"Its second paragraph adds detail {n} that no other story shares with it at all.",
            FOOTER,
        ]
    )
    return make_article(
        id=f"s{n}",
        body=body,
        url=f"https://valleyherald.example/news/{n}",
        title=f"Story {n}",
        source="valleyherald.example",
        path=f"/d/{n}.html",
        **fields,
    )


def test_footer_on_three_stories_is_removed_but_copies_of_one_story_do_not_count():
    stories = [story(1), story(2), story(3)]
    copies = [story(9) for _ in range(4)]  # four crawls of one story: one identity
    with TestPipeline() as pipeline:
        cleaned = pipeline | "Three" >> beam.Create(stories) | "Strip three" >> RemoveRepeatedParagraphs(3, 5)
        footers = cleaned["articles"] | "Has footer" >> beam.Map(lambda a: (a.title, FOOTER in a.body))
        assert_that(
            footers,
            equal_to([("Story 1", False), ("Story 2", False), ("Story 3", False)]),
            label="three stories",
        )

        kept = pipeline | "Copies" >> beam.Create(copies) | "Strip copies" >> RemoveRepeatedParagraphs(3, 5)
        intact = kept["articles"] | "Intact" >> beam.Map(lambda a: a.body.count("\n\n"))
        assert_that(intact, equal_to([2, 2, 2, 2]), label="copies of one story")
