"""Shared fixtures and the suite's own rules (markers, property-test profile).

Tests mirror the code: ``unit/`` plain functions, ``beam/`` each composite on a
``TestPipeline``, ``e2e/`` whole runs of the command, ``compat/`` the Beam canaries. Every
test under ``e2e/`` is marked ``e2e``; ``slow`` marks the ones that take more than a few
seconds (``pytest -m "not slow"`` leaves them out). ``pytest-timeout`` bounds every test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.builders import PARAGRAPHS, article_html, gzip_bytes
from hypothesis import HealthCheck, settings

# Property tests: a fixed, derandomized profile with a bounded number of examples and no
# example database, so CI runs the same examples in a bounded time.
settings.register_profile(
    "newsbeam",
    derandomize=True,
    max_examples=60,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("newsbeam")

E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture()
def dumps_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    (folder / "nested").mkdir(parents=True)
    html = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")
    (folder / "page.html").write_text(html, encoding="utf-8")
    (folder / "nested" / "page-copy.html.gz").write_bytes(gzip_bytes(html.encode("utf-8")))
    (folder / "empty.html").write_bytes(b"")
    (folder / ".hidden.html").write_text(html, encoding="utf-8")
    return folder
