"""The records' compact forms: what crosses a shuffle must come back field for field."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from newsbeam.transforms.coders import pack_article, unpack_article
from newsbeam.transforms.model import Article, Provenance, replace_article


def _article() -> Article:
    paragraphs = [
        f"Paragraph {n}: the harbour board of Port Emberly voted on the dredging plan for the {n}th time."
        for n in range(12)
    ]
    return Article(
        id="3f1c0a9e",
        input=Provenance("dumps/emberly/2025-03-14.jsonl", record=41, chunk=2),
        body="\n\n".join(paragraphs),
        url="https://emberly-tidings.example/harbour/dredging-vote",
        source="emberly-tidings.example",
        title="Harbour board backs dredging plan",
        authors=["Ines Halvorsen", "Tomasz Wierzba"],
        published_at="2025-03-14T09:30:00+00:00",
        updated_at=None,
        dateline="PORT EMBERLY",
        captions=["The north quay at low tide."],
        language="en",
        section="business",
        section_confidence=0.83,
        section_signal="text",
        word_count=210,
        content_hash="a" * 32,
        fetched_at="2025-03-14T10:00:00Z",
        hints={"sections": ["Harbour"], "copies": 2, "copy_urls": ["https://mirror.example/x"]},
        extra={"duplicate_count": 2, "desk": {"name": "coast"}},
    )


def test_a_packed_article_comes_back_equal() -> None:
    article = _article()
    assert unpack_article(pack_article(article)) == article


def test_an_article_pickles_field_for_field() -> None:
    article = _article()
    assert pickle.loads(pickle.dumps(article)) == article


def test_replacing_fields_gives_what_dataclasses_replace_gives_and_leaves_the_original() -> None:
    article = _article()
    changes = {"section": "world", "section_confidence": 0.5, "extra": {"duplicate_count": 0}}
    replaced = replace_article(article, **changes)
    assert replaced == dataclasses.replace(article, **changes)
    assert replaced is not article
    assert article == _article()


def test_replacing_an_unknown_field_fails() -> None:
    with pytest.raises(AttributeError):
        replace_article(_article(), headline="Harbour board backs dredging plan")
