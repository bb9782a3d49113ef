"""schema/article.schema.json: every record an end-to-end run writes validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cli import EXAMPLE_RUN_ID
from helpers.schema import validate_output, validator

from newsbeam.schema import load_schema
from newsbeam.transforms.model import ARTICLE_FIELDS, SCHEMA_VERSION


def test_every_record_of_the_example_run_validates(example_run: Path):
    manifest = json.loads((example_run / "_runs" / f"{EXAMPLE_RUN_ID}.json").read_text())
    checked = validate_output(example_run)
    counts = manifest["counts"]
    assert checked == {
        "article": counts["articles"],
        "duplicate": counts["duplicates"],
        "reject": counts["rejects"],
        "manifest": 1,
    }


def test_schema_matches_the_record_model():
    schema = load_schema()
    article = schema["$defs"]["article"]
    assert article["required"] == list(ARTICLE_FIELDS)
    assert article["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


@pytest.mark.parametrize(
    ("definition", "record"),
    [
        (
            "reject",
            {
                "input": {"path": "a", "record": 0},
                "reason": "Bad Reason",
                "detail": "x",
                "excerpt": None,
                "run_id": "r",
            },
        ),
        (
            "reject",
            {"input": {"path": "a"}, "reason": "not_article", "detail": "x", "excerpt": None, "run_id": "r"},
        ),
        (
            "duplicate",
            {
                "id": "a",
                "url": None,
                "duplicate_of": "b",
                "kind": "fuzzy",
                "similarity": 1.0,
                "input": {"path": "a", "record": 0},
                "run_id": "r",
            },
        ),
        ("manifest", {"run_id": "r", "status": "failed"}),
    ],
)
def test_the_schema_refuses_broken_records(definition: str, record: dict):
    assert list(validator(definition).iter_errors(record))
