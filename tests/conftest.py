"""Shared fixtures: small dump folders built in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import PARAGRAPHS, article_html, gzip_bytes


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


@pytest.fixture(autouse=True)
def _run_test_pipelines_like_newsbeam(monkeypatch: pytest.MonkeyPatch) -> None:
    """TestPipeline runs on the DirectRunner, which would first try to download Prism.

    newsbeam runs DirectRunner pipelines on the FnApiRunner (``pipeline.runner.choose_runner``);
    tests do the same, so they test what users run and never reach for the network.
    """
    from apache_beam.runners.direct.direct_runner import DirectRunner

    from newsbeam.pipeline.running.runners import choose_runner

    def run_pipeline(self: DirectRunner, pipeline, options):  # noqa: ANN001 - Beam's signature
        return choose_runner(options).run_pipeline(pipeline, options)

    monkeypatch.setattr(DirectRunner, "run_pipeline", run_pipeline)
