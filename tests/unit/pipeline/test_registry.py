"""The registry of steps: resolving `use`, checking parameters and placement at start, one sentence each."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import pytest
from helpers import step_samples

import newsbeam.pipeline.registry.user_steps as steps
from newsbeam.pipeline.config.loader import ConfigError, load_config
from newsbeam.pipeline.registry.builtin import BUILTIN_STEPS
from newsbeam.pipeline.registry.params import check_value, describe
from newsbeam.pipeline.registry.user_steps import StepError, plan_steps

BUILTIN = ("parse", "boilerplate", "dedup", "classify")


def plan(*items: Any) -> steps.StepPlan:
    return plan_steps(list(items), BUILTIN)


def user(use: str, **more: Any) -> dict[str, Any]:
    return {"use": use, **more}


def test_three_kinds_are_told_apart_and_named_after_use():
    result = plan(
        "parse",
        user("helpers.step_samples:mark"),
        user("helpers.step_samples:Lookup", name="languages", **{"with": {"suffix": "!"}}),
        "dedup",
        "classify",
        user("helpers.step_samples:KeepFirstPerSource"),
    )
    assert result.names == ("parse", "mark", "languages", "dedup", "classify", "KeepFirstPerSource")
    kinds = {name: step.kind for name, step in result.user_steps.items()}
    assert kinds == {"mark": "function", "languages": "class", "KeepFirstPerSource": "transform"}
    assert result.user_steps["languages"].params == {"suffix": "!"}
    assert result.user_steps["languages"].instantiate().suffix == "!"
    bound = result.user_steps["mark"].instantiate()
    assert bound.func is step_samples.mark


def test_a_ptransform_without_constructor_takes_no_parameters():
    declared, open_ended = steps.step_parameters(step_samples.Passthrough, "transform")
    assert declared == [] and not open_ended
    with pytest.raises(StepError, match="has no parameter 'label'"):
        plan("parse", user("helpers.step_samples:Passthrough", **{"with": {"label": "x"}}))


def test_read_and_write_are_implicit_but_may_be_listed_at_the_ends():
    assert plan("read", "parse", "dedup", "write").names == ("parse", "dedup")
    with pytest.raises(StepError, match="'read' only first and 'write' only last"):
        plan("parse", "read", "dedup")


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["parse", "translate"], "steps holds 'translate', which is not a known step"),
        (["parse", user("no_such_step")], "unknown step 'no_such_step': not an import path"),
        (["parse", user("no_such_module:thing")], "cannot import 'no_such_module'"),
        (["parse", user("helpers.step_samples:nothing")], "module 'helpers.step_samples' has no 'nothing'"),
        (["parse", user("helpers.step_samples:NotAStep")], "is a class without a process(article) method"),
        (["parse", user("helpers.step_samples:AlsoADoFn")], "is a beam.DoFn"),
        (
            ["parse", user("helpers.step_samples:drop_if")],
            "step 'drop_if' needs the parameter 'word' under `with`",
        ),
        (
            ["parse", user("helpers.step_samples:drop_if", **{"with": {"word": "x", "colour": 1}})],
            "step 'drop_if' has no parameter 'colour' (its parameters: word)",
        ),
        (
            ["parse", user("helpers.step_samples:typed", **{"with": {"count": "many"}})],
            "step 'typed' parameter 'count' must be a whole number, not 'many'",
        ),
        (
            ["parse", user("helpers.step_samples:typed", **{"with": {"count": 1, "mode": "quick"}})],
            "parameter 'mode' must be one of 'fast', 'slow', not 'quick'",
        ),
        (
            ["parse", user("helpers.step_samples:typed", **{"with": {"count": 1, "names": ["a", 2]}})],
            "parameter 'names' must be a list of strings or null",
        ),
        (
            ["parse", user("helpers.step_samples:Lookup", **{"with": {"suffix": "bad"}})],
            "step 'Lookup' refuses its parameters: ValueError: suffix must not be 'bad'",
        ),
        (["parse", user("helpers.step_samples:mark", on_error="ignore")], "on_error of step 'mark' must be"),
        (
            ["parse", user("helpers.step_samples:KeepFirstPerSource", on_error="fail")],
            "on_error does not apply",
        ),
        (["parse", user("helpers.step_samples:mark", colour="red")], "unknown key 'colour'"),
        (
            ["parse", user("helpers.step_samples:mark", **{"with": [1]})],
            "`with` of step 'mark' must be a mapping",
        ),
        (["parse", user("helpers.step_samples:mark", name="dedup")], "cannot be named 'dedup'"),
        (
            ["parse", user("helpers.step_samples:mark", name="a b")],
            "user step name 'a b' must start with a letter",
        ),
        (["parse", user("dedup")], "'dedup' is a built-in step; list it by its name"),
        (
            ["parse", user("helpers.step_samples:mark"), user("helpers.step_samples:mark")],
            "steps lists 'mark' twice",
        ),
        ([user("helpers.step_samples:mark"), "parse"], "user step 'mark' must come after 'parse'"),
        (
            ["parse", "dedup", user("helpers.step_samples:mark"), "classify"],
            "user step 'mark' sits after 'dedup' but not after 'classify'",
        ),
        (
            ["parse", "dedup", user("helpers.step_samples:mark")],
            "user steps go before 'dedup' or after 'classify'",
        ),
    ],
)
def test_bad_steps_are_one_sentence(items: list[Any], message: str):
    with pytest.raises(StepError) as error:
        plan_steps(items, BUILTIN)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "items",
    [
        ["parse", user("helpers.step_samples:mark"), "boilerplate", "dedup", "classify"],
        ["parse", "boilerplate", user("helpers.step_samples:mark"), "dedup", "classify"],
        ["parse", "boilerplate", "dedup", "classify", user("helpers.step_samples:mark")],
        ["parse", user("helpers.step_samples:mark")],
        ["parse", "classify", user("helpers.step_samples:mark")],
    ],
)
def test_user_steps_go_after_parse_before_dedup_or_after_classify(items: list[Any]):
    assert "mark" in plan_steps(items, BUILTIN).names


def test_entry_points_are_found_by_name(monkeypatch: pytest.MonkeyPatch):
    installed = [
        metadata.EntryPoint("tag", "helpers.step_samples:Lookup", steps.ENTRY_POINT_GROUP),
        metadata.EntryPoint("broken", "no_such_module:thing", steps.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(steps, "_entry_points", lambda: installed)
    result = plan("parse", user("tag"))
    assert result.user_steps["tag"].target is step_samples.Lookup
    with pytest.raises(StepError, match=r"step 'broken' \(no_such_module:thing\) cannot be loaded"):
        plan("parse", user("broken"))
    with pytest.raises(StepError, match="installed: broken, tag"):
        plan("parse", user("missing"))
    installed.append(metadata.EntryPoint("tag", "helpers.step_samples:mark", steps.ENTRY_POINT_GROUP))
    with pytest.raises(StepError, match="registered by more than one package"):
        plan("parse", user("tag"))


def test_config_carries_user_steps_and_reports_errors_as_config_errors(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text(
        "steps:\n  - parse\n  - use: helpers.step_samples:drop_if\n"
        "    name: no_ferries\n    with: {word: ferry}\n"
        "  - dedup\n  - classify\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.steps == ("parse", "no_ferries", "dedup", "classify")
    assert config.user_steps["no_ferries"].params == {"word": "ferry"}
    assert tuple(BUILTIN_STEPS) == BUILTIN
    path.write_text("steps:\n  - parse\n  - use: helpers.step_samples:drop_if\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs the parameter 'word'"):
        load_config(path)


@pytest.mark.parametrize(
    ("value", "hint", "fits"),
    [
        (3, int, True),
        (True, int, False),
        (3, float, True),
        ("3", float, False),
        (None, int | None, True),
        (["a"], list[str], True),
        (["a", 1], list[str], False),
        ({"a": True}, dict[str, bool], True),
        ({"a": 1}, dict[str, bool], False),
        ("fast", Literal["fast", "slow"], True),
        ([1, "a"], tuple[int, str], True),
        ([1, 2, 3], tuple[int, ...], True),
        ("anything", Any, True),
        (Path("x"), Path, True),
    ],
)
def test_check_value(value: Any, hint: Any, fits: bool):
    assert check_value(value, hint) is fits


def test_describe():
    assert describe(list[int]) == "a list of whole numbers"
    assert describe(dict[str, float]) == "a mapping of strings to numbers"
    assert describe(str | None) == "a string or null"


def test_a_step_asks_for_the_soup_by_a_parameter_named_soup_which_is_not_a_setting():
    result = plan(
        "parse",
        user("helpers.step_samples:first_heading", **{"with": {"field": "h"}}),
        user("helpers.step_samples:HeadingCount"),
        user("helpers.step_samples:mark"),
        "dedup",
    )
    wanted = {name: step.wants_soup for name, step in result.user_steps.items()}
    assert wanted == {"first_heading": True, "HeadingCount": True, "mark": False}
    declared, _ = steps.step_parameters(step_samples.first_heading, "function")
    assert [parameter.name for parameter in declared] == ["field"]
