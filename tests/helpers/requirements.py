"""Skipping a test for a missing tool or data set: a skip on a user's machine, a failure in CI.

``../shared`` (real pages and archives) and some tools exist only on the project's machines.
Where they are absent a test skips; with ``CI=true`` in the environment it fails instead,
so a broken install step cannot make CI pass by skipping what it was meant to run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

__all__ = ["in_ci", "missing", "require_path", "require_tool"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str) -> NoReturn:
    """Skip (or, in CI, fail) because ``reason``."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: what a test needs must be installed)", pytrace=False)
    pytest.skip(reason)


def require_path(path: Path, what: str) -> Path:
    """``path``, or skip (fail in CI) naming ``what`` is absent."""
    if not path.exists():
        missing(f"{what} is absent ({path})")
    return path


def require_tool(name: str) -> str:
    """The full path of the command ``name``, or skip (fail in CI)."""
    found = shutil.which(name)
    if found is None:
        missing(f"the command {name!r} is not installed")
    return found
