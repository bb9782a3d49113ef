"""The labelled pages (tests/fixtures/labelled): nine kinds of invented news site, field by field.

The pages and ``expected.jsonl`` are written by ``tests/fixtures/labelled/generate.py``;
``benchmarks/labelled.py`` prints the same scores per kind of site.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.benchmarks import load_benchmark

from newsbeam.transforms.extraction.page import parse_page
from newsbeam.transforms.model import Article, Page

_labelled = load_benchmark("labelled")
load_labelled, run, shingle_scores, summarize = (
    _labelled.load_labelled,
    _labelled.run,
    _labelled.shingle_scores,
    _labelled.summarize,
)

ITEMS = load_labelled()
#: Word 4-gram shingle F1 each page's body must reach against its expected text.
MIN_SHINGLE_F1 = 0.9


def test_there_are_at_least_forty_pages_of_at_least_eight_kinds() -> None:
    assert len(ITEMS) >= 40
    assert len({expected["kind"] for _, expected in ITEMS}) >= 8


@pytest.fixture(scope="module", params=ITEMS, ids=[expected["page"] for _, expected in ITEMS])
def parsed(request: pytest.FixtureRequest) -> tuple[Article, dict[str, Any]]:
    page, expected = request.param
    assert isinstance(page, Page)
    article = parse_page(page, min_words=20, timeout_seconds=10)
    assert isinstance(article, Article), f"{expected['page']} was rejected: {article}"
    return article, expected


def test_title(parsed: tuple[Article, dict[str, Any]]) -> None:
    article, expected = parsed
    assert article.title == expected["title"]


def test_published_at(parsed: tuple[Article, dict[str, Any]]) -> None:
    article, expected = parsed
    assert article.published_at == expected["published_at"]


def test_authors(parsed: tuple[Article, dict[str, Any]]) -> None:
    article, expected = parsed
    assert article.authors == expected["authors"]


def test_language(parsed: tuple[Article, dict[str, Any]]) -> None:
    article, expected = parsed
    assert article.language == expected["language"]


def test_body_has_first_and_last_paragraph_and_no_boilerplate(parsed: tuple[Article, dict[str, Any]]) -> None:
    article, expected = parsed
    body = " ".join(article.body.split())
    assert " ".join(expected["body"][0].split()) in body
    assert " ".join(expected["body"][-1].split()) in body
    for snippet in expected["boilerplate"]:
        assert snippet not in body


def test_body_shingle_f1(parsed: tuple[Article, dict[str, Any]]) -> None:
    article, expected = parsed
    precision, recall = shingle_scores(article.body, "\n\n".join(expected["body"]))
    assert 2 * precision * recall / (precision + recall) >= MIN_SHINGLE_F1


def test_benchmark_summary_over_all_pages() -> None:
    summary = summarize(run())
    assert summary["pages"] == len(ITEMS)
    assert summary["shingle_f1"] >= 0.95
    assert min(summary[name] for name in ("title", "published_at", "authors")) >= 0.9
