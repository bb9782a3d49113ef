"""End-to-end fixtures: one run of the bundled example dumps, shared by every test that reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli import DUMPS, EXAMPLE_RUN_ID, FAST, newsbeam


@pytest.fixture(scope="session")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of ``newsbeam run`` over examples/dumps (in_memory, run id ``e2e``)."""
    output = tmp_path_factory.mktemp("example") / "out"
    result = newsbeam(
        "run", "--input", str(DUMPS), "--output", str(output), "--run-id", EXAMPLE_RUN_ID, *FAST
    )
    assert result.returncode == 0, result.stderr
    assert f"newsbeam run {EXAMPLE_RUN_ID} succeeded" in result.stdout
    return output
