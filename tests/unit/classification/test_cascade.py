"""Section classification: the cascade's order, each signal, overrides, parents, opinion, abstention."""

from __future__ import annotations

import pytest
from helpers.builders import make_article

from newsbeam.pipeline.config.loader import packaged_config_path, packaged_model_path
from newsbeam.transforms.classification.cascade import classify_article, opinion_cues, url_segments
from newsbeam.transforms.classification.taxonomy import build_taxonomy, load_taxonomy
from newsbeam.transforms.classification.text_model import load_model
from newsbeam.transforms.stages.classify import ClassifyArticles

TAXONOMY = load_taxonomy(packaged_config_path().parent / "sections.yaml")
MODEL = load_model(packaged_model_path())
SPORT_BODY = (
    "The striker scored twice in the second half as the home side won the league match, and the coach said "
    "the squad was ready for the cup final next season after a tournament of goals."
)
RATES_BODY = (
    "The central bank held interest rates at five per cent on Thursday. Shares in lenders rose and the "
    "pound strengthened after inflation figures came in below what economists had forecast."
)


def decide(taxonomy=TAXONOMY, model=MODEL, **fields: object):
    return classify_article(make_article(**fields), taxonomy, min_confidence=0.35, model=model)


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
    assert (decision.section, decision.signal, decision.confidence) == ("health", "breadcrumb", 0.90)


def test_url_segment_decides_before_text():
    decision = decide(body=SPORT_BODY, url="https://x.example/science/2025/03/14/why-ferries-matter")
    assert (decision.section, decision.signal, decision.confidence) == ("science", "url", 0.80)


def test_innermost_url_segment_names_the_section():
    assert decide(body=SPORT_BODY, url="https://x.example/news/business/rates-held").section == "business"


def test_og_type_with_a_section_name_counts_as_metadata():
    decision = decide(body=RATES_BODY, url=None, hints={"og_type": "article:opinion"})
    assert (decision.section, decision.signal) == ("opinion", "metadata")


def test_site_section_names_with_a_path_use_the_most_specific_part():
    assert decide(body="x", hints={"sections": ["News > Cricket"]}).section == "sport"


def test_text_classifier_decides_without_structure():
    decision = decide(title="Late goal wins the cup final", body=SPORT_BODY, url=None)
    assert (decision.section, decision.signal) == ("sport", "text")
    assert 0.35 <= decision.confidence <= 1.0


def test_without_a_model_the_text_signal_abstains():
    decision = decide(model=None, title="Late goal wins the cup final", body=SPORT_BODY, url=None)
    assert (decision.section, decision.signal, decision.confidence) == ("uncategorized", "default", 0.0)


def test_weak_text_abstains_as_uncategorized():
    article = make_article(title="A day", body="We walked and watched the boats.", url=None)
    decision = classify_article(article, TAXONOMY, min_confidence=0.99, model=MODEL)
    assert (decision.section, decision.signal, decision.confidence) == ("uncategorized", "default", 0.0)


def test_structural_signals_below_min_confidence_are_ignored():
    article = make_article(body=SPORT_BODY, url="https://x.example/science/story", title="Cup final")
    decision = classify_article(article, TAXONOMY, min_confidence=0.85, model=None)
    assert decision.signal == "default"
    custom = classify_article(article, TAXONOMY, 0.85, model=None, confidence={"url": 0.9})
    assert (custom.section, custom.signal, custom.confidence) == ("science", "url", 0.9)


@pytest.mark.parametrize(
    ("fields", "signal"),
    [
        ({"url": "https://x.example/opinion/2025/03/14/rates"}, "url"),
        ({"hints": {"sections": ["Business"], "breadcrumbs": ["Comment", "Business"]}}, "breadcrumb"),
        ({"title": "Opinion: the central bank is wrong to wait"}, "metadata"),
        ({"body": RATES_BODY + "\n\nMaria Lopez is a columnist and a former central banker."}, "text"),
        ({"body": RATES_BODY + "\n\nThe views expressed in this column are the author's own."}, "text"),
    ],
)
def test_opinion_beats_the_topic_even_when_metadata_says_business(fields: dict, signal: str):
    base = {"body": RATES_BODY, "title": "Rates", "hints": {"sections": ["Business"]}, "url": None}
    decision = decide(**{**base, **fields})
    assert (decision.section, decision.signal) == ("opinion", signal)


def test_news_with_a_quoted_expert_stays_news():
    body = RATES_BODY + "\n\nThe minister is a former banker, and said the decision was expected."
    assert (
        decide(body=body, title="Rates held", hints={"sections": ["Business"]}, url=None).section
        == "business"
    )


def test_editorial_is_told_apart_from_opinion():
    assert decide(body=RATES_BODY, url="https://x.example/opinion/editorials/rates").section == "editorial"
    by_board = decide(
        body=RATES_BODY, title="Rates", url="https://x.example/opinion/x", authors=["The Editorial Board"]
    )
    assert (by_board.section, by_board.signal) == ("editorial", "metadata")


def test_opinion_cues_of_plain_news_are_empty():
    assert opinion_cues(make_article(title="Rates held", body=RATES_BODY), TAXONOMY) == []


TREE = build_taxonomy(
    {
        "sport": {"aliases": ["sports"]},
        "cricket": {"parent": "sport", "aliases": ["the ashes"]},
        "business": {},
        "opinion": {"genre": True, "aliases": ["kaupapa"]},
    },
    {
        "harbourtimes.example": {
            "sections": {"Te Ao Hākinakina": "sport", "Pakihi": "business"},
            "url_prefixes": {"/features/money/": "business"},
        }
    },
)


def test_a_weaker_signal_naming_a_child_section_refines_the_parent():
    decision = decide(
        TREE, None, body="x", url="https://x.example/cricket/story", hints={"sections": ["Sport"]}
    )
    assert (decision.section, decision.signal) == ("cricket", "url")


def test_child_section_is_reported_with_its_own_slug():
    assert decide(TREE, None, body="x", hints={"breadcrumbs": ["Sports", "The Ashes"]}).section == "cricket"


def test_site_section_names_apply_to_their_site_only():
    fields = {"body": "x", "hints": {"sections": ["Pakihi"]}}
    assert decide(TREE, None, source="harbourtimes.example", **fields).section == "business"
    assert decide(TREE, None, source="other.example", **fields).section == "uncategorized"


def test_url_prefix_override_decides_before_everything():
    decision = decide(
        TREE,
        None,
        body="x",
        source="harbourtimes.example",
        url="https://www.harbourtimes.example/features/money/2025/a-story",
        hints={"sections": ["Kaupapa"]},
    )
    assert (decision.section, decision.signal, decision.confidence) == ("business", "url", 0.99)


def test_url_segments_skip_dates_ids_and_the_slug():
    assert url_segments("https://x.example/world/asia/2025/03/14/some-story-123") == ["world", "asia"]
    assert url_segments("https://x.example/sport/") == ["sport"]
    assert url_segments(None) == []


def test_classify_step_refuses_bad_arguments():
    with pytest.raises(ValueError, match="min_confidence"):
        ClassifyArticles(TAXONOMY, 1.5)
    with pytest.raises(ValueError, match="unknown signal 'txt'"):
        ClassifyArticles(TAXONOMY, 0.5, confidence={"txt": 0.3})


def test_taxonomy_keywords_tune_the_text_classifier():
    from newsbeam.transforms.classification.cascade import prepare_model

    body = (
        "The regatta drew crews from twelve harbours, and the skiff from Port Elway crossed the line first."
    )
    plain = load_taxonomy(packaged_config_path().parent / "sections.yaml")
    tuned = build_taxonomy({"sport": {"keywords": ["regatta", "skiff"]}, "lifestyle": {}, "world": {}})
    before = classify_article(make_article(body=body, url=None), plain, 0.0, prepare_model(MODEL, plain))
    after = classify_article(make_article(body=body, url=None), tuned, 0.0, prepare_model(MODEL, tuned))
    assert after.section == "sport" and after.signal == "text"
    assert before.section != "sport" or after.confidence > before.confidence


def test_text_classifier_falls_back_from_an_unsure_child_to_its_parent():
    import numpy as np

    from newsbeam.transforms.classification.text_model import TextModel

    labels = ("editorial", "opinion", "sport")
    # A model that always answers editorial 0.45, opinion 0.35, sport 0.2.
    unsure = TextModel(
        labels=labels,
        buckets=8,
        rows=np.empty(0, dtype=np.int64),
        weights=np.empty((0, 3), dtype=np.float32),
        log_prior=np.log(np.array([0.45, 0.35, 0.2])),
    )
    decision = classify_article(make_article(body="anything", url=None), TAXONOMY, 0.35, unsure)
    assert (decision.section, decision.signal) == ("opinion", "text")
    assert decision.confidence == pytest.approx(0.8)
