"""The classify stage on a TestPipeline: the three section fields, and a model file shipped with the step."""

from __future__ import annotations

import shutil

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import make_article

from newsbeam.pipeline.config.loader import packaged_config_path, packaged_model_path
from newsbeam.transforms.classification.taxonomy import load_taxonomy
from newsbeam.transforms.stages.classify import ClassifyArticles

SPORT_BODY = (
    "The striker scored twice in the second half as the home side won the league match, and the coach said "
    "the squad was ready for the cup final next season after a tournament of goals."
)


TAXONOMY = load_taxonomy(packaged_config_path().parent / "sections.yaml")


def test_classify_step_sets_the_three_fields():
    articles = [
        make_article(id="m", body="x", hints={"sections": ["Sport"]}),
        make_article(id="t", title="Late goal wins the cup final", body=SPORT_BODY, url=None),
        make_article(id="u", body="nothing to go on here", url=None),
    ]
    with TestPipeline() as pipeline:
        decided = (
            pipeline
            | beam.Create(articles)
            | ClassifyArticles(TAXONOMY, 0.5, packaged_model_path())
            | beam.Map(lambda a: (a.id, a.section, a.section_signal))
        )
        assert_that(
            decided,
            equal_to([("m", "sport", "metadata"), ("t", "sport", "text"), ("u", "uncategorized", "default")]),
        )


def test_a_model_file_travels_with_the_step_to_the_workers(tmp_path):
    """Workers on a cluster cannot read the driver's files: the model goes into the graph."""
    model = tmp_path / "mine.npz"
    shutil.copy(packaged_model_path(), model)
    article = make_article(id="t", title="Late goal wins the cup final", body=SPORT_BODY, url=None)
    pipeline = TestPipeline()
    decided = (
        pipeline
        | beam.Create([article])
        | ClassifyArticles(TAXONOMY, 0.5, model)
        | beam.Map(lambda a: (a.id, a.section, a.section_signal))
    )
    assert_that(decided, equal_to([("t", "sport", "text")]))
    model.unlink()  # the graph is built; the workers start after this
    pipeline.run().wait_until_finish()
