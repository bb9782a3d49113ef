"""build_article and parse_page: what turns an extraction into an article, or a reject."""

from __future__ import annotations

import pytest
from helpers.builders import PARAGRAPHS, article_html

from newsbeam.transforms.extraction.deadline import Deadline, ExtractionTimeout
from newsbeam.transforms.extraction.html.extract import extract_html
from newsbeam.transforms.extraction.page import (
    article_id,
    build_article,
    content_hash,
    normalize_for_hash,
    parse_page,
)
from newsbeam.transforms.extraction.result import Extraction
from newsbeam.transforms.model import Article, Page, Provenance, Reject
from newsbeam.transforms.stages.parse import ParseArticles


def page(**fields: object) -> Page:
    return Page(input=WHERE, **fields)  # type: ignore[arg-type]


WHERE = Provenance("/d/page.html", 0)


def test_normalized_hash_ignores_case_punctuation_and_spacing():
    assert normalize_for_hash("The  Quay, re-opened!\n\nToday.") == "the quay re opened today"
    assert content_hash("The quay reopened.") == content_hash("THE   QUAY REOPENED")
    assert content_hash("The quay reopened.") != content_hash("The quay closed.")


def test_article_id_is_stable_per_normalized_url_and_falls_back_to_content():
    assert article_id("https://www.a.example/x/?utm_source=mail#top", "h1") == article_id(
        "http://a.example/x", "h2"
    )
    assert article_id(None, "h1") == article_id(None, "h1") != article_id(None, "h2")


def test_short_page_is_not_an_article():
    result = build_article(
        page(html="<p>x</p>"), Extraction(paragraphs=["Tags: ferries, harbour"]), min_words=20
    )
    assert isinstance(result, Reject) and result.reason == "not_article"
    assert "fewer than parse.min_words" in result.detail


def test_page_with_no_article_text_is_not_an_article():
    result = build_article(
        page(html="<nav><a href='/'>Home</a></nav>"), Extraction(paragraphs=[]), min_words=20
    )
    assert isinstance(result, Reject) and result.reason == "not_article"
    assert result.detail == "no article text was found on the page"


def test_teaser_list_is_not_an_article_however_many_words():
    teasers = [f"Council backs plan number {n} for the quay" for n in range(12)] + ["12 March"] * 4
    result = build_article(
        page(html="<ul/>"), Extraction(paragraphs=teasers, og_type="website"), min_words=20
    )
    assert isinstance(result, Reject) and result.reason == "not_article" and "teasers" in result.detail


def test_build_article_derives_source_date_from_url_and_dateline():
    extraction = Extraction(
        paragraphs=[
            "WELLINGTON (Northwire) - The harbour reopened on Monday after the storm passed.",
            "More.",
        ],
        title="  Harbour   reopens ",
    )
    result = build_article(
        page(
            html="<p/>", url="https://www.northwire.example/world/2025/03/14/harbour-reopens", fetched_at="x"
        ),
        extraction,
        min_words=5,
    )
    assert isinstance(result, Article)
    assert result.source == "northwire.example"
    assert result.published_at == "2025-03-14"
    assert result.dateline == "WELLINGTON"
    assert result.title == "Harbour reopens"
    assert result.body.count("\n\n") == 1 and result.word_count == 12
    assert result.fetched_at == "x"


def test_parse_page_on_html():
    html = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")
    result = parse_page(page(html=html), min_words=20)
    assert isinstance(result, Article)
    assert result.title == "Corrin Lines shares rise"
    assert result.url == "https://lanternpost.example/business/corrin"
    assert result.body.startswith("Shares in the regional rail operator")
    assert "All rights reserved" not in result.body and "Home" not in result.body
    assert result.hints["sections"] == ["Business"]


# --- the per-page time budget ------------------------------------------------------------

#: A page big enough that its extraction cannot finish within a microsecond.
SLOW_HTML = "<html><body>" + "<div><p>A sentence, with commas, on and on.</p></div>" * 3000 + "</body></html>"


def test_page_over_its_time_budget_is_a_timeout_reject():
    result = parse_page(page(html=SLOW_HTML), min_words=20, timeout_seconds=1e-6)
    assert isinstance(result, Reject) and result.reason == "timeout"
    assert "parse.timeout_seconds" in result.detail


def test_page_within_its_time_budget_is_parsed():
    html = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")
    assert isinstance(parse_page(page(html=html), min_words=20, timeout_seconds=30), Article)


def test_extractor_raises_extraction_timeout_past_its_deadline():
    deadline = Deadline(1e-6)
    with pytest.raises(ExtractionTimeout):
        extract_html(SLOW_HTML, deadline=deadline)


def test_deadline_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        Deadline(0)
    with pytest.raises(ValueError, match="positive"):
        ParseArticles(min_words=1, timeout_seconds=-1)
