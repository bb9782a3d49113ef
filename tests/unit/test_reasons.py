"""One table of reject reasons: every code the source can emit is in it, and the docs list it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from helpers.builders import REPO

import newsbeam
import newsbeam.pipeline
import newsbeam.transforms
from newsbeam.transforms.reasons import FAILURE, FILTER, PREFIXES, REASONS, is_failure, reason_kind


def _module_files() -> list[Path]:
    """The source files of the installed package (its subpackages may live in other folders)."""
    files: set[Path] = set()
    for package in (newsbeam, newsbeam.pipeline, newsbeam.transforms):
        for folder in package.__path__:
            files.update(Path(folder).rglob("*.py"))
    return sorted(files)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level string constants, also from tuple assignments (``A, B = "a", "b"``)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (
                zip(target.elts, node.value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                else [(target, node.value)]
            )
            for name, value in pairs:
                if (
                    isinstance(name, ast.Name)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found[name.id] = value.value
    return found


def _reason_argument(call: ast.Call) -> ast.expr | None:
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "of"
        and isinstance(func.value, ast.Name)
        and func.value.id == "Reject"
    ):
        return (
            call.args[1]
            if len(call.args) > 1
            else next((k.value for k in call.keywords if k.arg == "reason"), None)
        )
    if isinstance(func, ast.Name) and func.id == "Reject":
        return next((k.value for k in call.keywords if k.arg == "reason"), None)
    return None


def emitted_codes() -> tuple[set[str], list[str]]:
    """Every reason code a ``Reject`` is made with in newsbeam's source, and what could not be read."""
    codes: set[str] = set()
    unknown: list[str] = []
    for path in _module_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (argument := _reason_argument(node)) is None:
                continue
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                codes.add(argument.value)
            elif isinstance(argument, ast.Name) and argument.id in constants:
                codes.add(constants[argument.id])
            elif (
                isinstance(argument, ast.JoinedStr)
                and isinstance(first := argument.values[0], ast.FormattedValue)
                and isinstance(first.value, ast.Name)
                and first.value.id in constants
            ):
                codes.add(constants[first.value.id] + ":<step>")
            elif not (path.name == "model.py" and isinstance(argument, ast.Name) and argument.id == "reason"):
                unknown.append(f"{path.name}:{node.lineno}")
    return codes, unknown


def test_every_code_the_source_emits_is_in_the_table():
    codes, unknown = emitted_codes()
    assert not unknown, f"reasons that are not a literal or a module constant: {unknown}"
    table = set(REASONS) | {reason.code for reason in PREFIXES.values()}
    assert codes - table == set(), "add these codes to newsbeam.transforms.reasons"
    # The readers, parse and user steps between them emit every code of the table.
    assert table - codes == set()


def test_the_contracts_page_lists_the_same_table():
    text = (REPO / "docs" / "contracts.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_:<>]+)` \| (failure|filter) \|", text, re.MULTILINE)
    documented = dict(rows)
    expected = {code: reason.kind for code, reason in REASONS.items()}
    expected |= {reason.code: reason.kind for reason in PREFIXES.values()}
    assert documented == expected


def test_failures_and_filters():
    assert [code for code, reason in REASONS.items() if reason.kind == FILTER] == [
        "empty_file",
        "empty_body",
        "http_error",
        "not_html",
        "not_article",
    ]
    assert reason_kind("step_failed:tag_people") == FAILURE and reason_kind("dropped_by:tag_people") == FILTER
    assert is_failure("truncated") and not is_failure("not_html")


def test_a_code_the_table_does_not_know_counts_as_a_failure():
    assert is_failure("stale_cache") and is_failure("gone:away") and is_failure("")
