"""User steps inside the pipeline: drops, failures, extra fields, and the three kinds under Beam."""

from __future__ import annotations

import functools
from datetime import datetime

import pytest
from helpers import step_samples
from helpers.builders import PARAGRAPHS

from newsbeam.transforms.model import Article, Provenance, Reject
from newsbeam.transforms.stages.user_steps import (
    ApplyUserStep,
    UserStepError,
    apply_article_step,
    extra_problem,
)


def article(number: int, body: str = "\n\n".join(PARAGRAPHS), source: str = "lanternpost.example") -> Article:
    return Article(
        id=f"id{number}",
        input=Provenance(f"dumps/page-{number}.html", 0),
        body=body,
        title=f"Title {number}",
        source=source,
        language="en",
    )


def test_a_returned_article_passes_and_none_is_a_dropped_by_reject():
    kept = apply_article_step("no_x", functools.partial(step_samples.drop_if, word="xyzzy"), article(1))
    assert isinstance(kept, Article)
    dropped = apply_article_step(
        "no_shares", functools.partial(step_samples.drop_if, word="Shares"), article(2)
    )
    assert isinstance(dropped, Reject)
    assert dropped.reason == "dropped_by:no_shares" and dropped.input == Provenance("dumps/page-2.html", 0)
    assert dropped.excerpt and dropped.excerpt.startswith("Shares in the regional rail operator")


def test_an_exception_is_a_step_failed_reject_with_the_traceback():
    reject = apply_article_step("boom", functools.partial(step_samples.explode_if, word="Shares"), article(1))
    assert isinstance(reject, Reject) and reject.reason == "step_failed:boom"
    first, *rest = reject.detail.splitlines()
    assert first == "step 'boom' raised ValueError: found 'Shares'"
    assert (
        "Traceback" in rest[0] and "step_samples.py" in reject.detail and "raise ValueError" in reject.detail
    )
    assert "apply_article_step" not in reject.detail, "newsbeam's own frame is left out"


def test_on_error_fail_raises_naming_step_and_page():
    with pytest.raises(UserStepError, match=r"step 'boom' failed on dumps/page-1.html record 0: ValueError"):
        apply_article_step(
            "boom", functools.partial(step_samples.explode_if, word="Shares"), article(1), on_error="fail"
        )


def test_a_return_value_that_is_not_an_article_fails_the_step():
    reject = apply_article_step("text", step_samples.returns_text, article(1))
    assert isinstance(reject, Reject) and reject.reason == "step_failed:text"
    assert reject.detail == "step 'text' returned a str, not an Article or None"


def test_extra_fields_must_be_json_and_must_not_shadow_contract_fields():
    reject = apply_article_step("stamp", step_samples.add_timestamp, article(1))
    assert isinstance(reject, Reject) and reject.reason == "step_failed:stamp"
    assert "extra field 'seen_at' holds a datetime, which is not JSON-serializable" in reject.detail
    with pytest.raises(
        UserStepError, match="step 'shadow' added the extra field 'section', which is a contract"
    ):
        apply_article_step("shadow", functools.partial(step_samples.mark, field="section"), article(1))
    assert extra_problem({"a": [1, {"b": None, "c": [1.5, True]}]}) is None
    assert "'a[1].b'" in (extra_problem({"a": [1, {"b": {1, 2}}]}) or "")
    assert "key 1" in (extra_problem({"a": {1: "x"}}) or "")
    assert "nan" in (extra_problem({"a": float("nan")}) or "")
    assert "named by a int" in (extra_problem({3: "x"}) or "")
    assert extra_problem({"when": datetime(2025, 1, 1).isoformat()}) is None


def test_apply_user_step_refuses_what_is_no_step():
    with pytest.raises(ValueError, match="neither a function"):
        ApplyUserStep("x", 42)
    with pytest.raises(ValueError, match="on_error must be"):
        ApplyUserStep("x", step_samples.mark, on_error="ignore")
