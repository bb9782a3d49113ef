"""Section classification: the cascade's order, the text fallback, abstention, taxonomy validation."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from builders import make_article

from pipeline.config import packaged_config_path
from transforms.classify import (
    ClassifyArticles,
    TaxonomyError,
    build_taxonomy,
    classify_article,
    load_taxonomy,
    url_segments,
)

TAXONOMY = load_taxonomy(packaged_config_path().parent / "sections.yaml")
SPORT_BODY = (
    "The striker scored twice in the second half as the home side won the league match, and the coach said "
    "the squad was ready for the cup final next season after a tournament of goals."
)


def decide(**fields: object):
    return classify_article(make_article(**fields), TAXONOMY, min_confidence=0.35)


def test_metadata_section_wins_over_breadcrumb_url_and_text():
    decision = decide(
        body=SPORT_BODY,
        url="https://x.example/business/2025/03/14/story",
        hints={"sections": ["Politics"], "breadcrumbs": ["Home", "World"]},
    )
    assert (decision.section, decision.signal, decision.confidence) == ("politics", "metadata", 0.95)


def test_breadcrumb_comes_before_url():
    decision = decide(
        body=SPORT_BODY, url="https://x.example/business/story", hints={"breadcrumbs": ["Home", "Health"]}
    )
    assert (decision.section, decision.signal) == ("health", "breadcrumb")


def test_url_segment_decides_when_there_is_no_metadata():
    decision = decide(body=SPORT_BODY, url="https://x.example/opinion/2025/03/14/why-ferries-matter")
    assert (decision.section, decision.signal) == ("opinion", "url")


def test_site_section_names_with_a_path_use_the_most_specific_part():
    assert decide(body="x", hints={"sections": ["News > Cricket"]}).section == "sport"


def test_text_fallback_finds_sport():
    decision = decide(title="Late goal wins the cup final", body=SPORT_BODY, url=None)
    assert decision.section == "sport" and decision.signal == "text"
    assert 0.35 <= decision.confidence <= 0.8


def test_weak_text_abstains_as_uncategorized():
    decision = decide(
        title="A day by the river", body="We walked along the water and watched the boats.", url=None
    )
    assert (decision.section, decision.signal, decision.confidence) == ("uncategorized", "default", 0.0)


def test_url_segments_skip_dates_ids_and_the_slug():
    assert url_segments("https://x.example/world/asia/2025/03/14/some-story-123") == ["world", "asia"]
    assert url_segments("https://x.example/sport/") == ["sport"]
    assert url_segments(None) == []


def test_duplicate_alias_is_refused_with_one_sentence():
    with pytest.raises(TaxonomyError, match="alias 'Markets' is given to both 'business' and 'money'"):
        build_taxonomy({"business": {"aliases": ["markets"]}, "money": {"aliases": ["Markets"]}})


def test_bad_slug_and_unknown_key_are_refused():
    with pytest.raises(TaxonomyError, match="not a usable section slug"):
        build_taxonomy({"Bad Slug": {}})
    with pytest.raises(TaxonomyError, match="unknown key 'parent_of'"):
        build_taxonomy({"sport": {"parent_of": "x"}})


def test_missing_taxonomy_file(tmp_path: Path):
    with pytest.raises(TaxonomyError, match="cannot be read"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_classify_step_sets_the_three_fields():
    articles = [
        make_article(id="m", body="x", hints={"sections": ["Sport"]}),
        make_article(id="u", body="nothing to go on here", url=None),
    ]
    with TestPipeline() as pipeline:
        decided = (
            pipeline
            | beam.Create(articles)
            | ClassifyArticles(TAXONOMY, 0.35)
            | beam.Map(lambda a: (a.id, a.section, a.section_signal))
        )
        assert_that(decided, equal_to([("m", "sport", "metadata"), ("u", "uncategorized", "default")]))
