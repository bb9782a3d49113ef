"""A run over the 30 real archives of ``../shared/realwarc``: exit 0, and no article from a non-page."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.benchmarks import load_benchmark
from helpers.cli import FAST, manifest, newsbeam, read_records
from helpers.requirements import require_path

from newsbeam.transforms.formats.sniff import declared_decision, sniff_kind
from newsbeam.transforms.model import Page

realwarc = load_benchmark("realwarc")


@pytest.mark.slow
def test_every_article_of_the_real_archives_comes_from_an_html_record(tmp_path: Path):
    folder = require_path(realwarc.FOLDER, "the real web archives of ../shared/realwarc")
    output = tmp_path / "out"
    archives = str(folder / "*" / "*")  # the archives, not the README beside them
    result = newsbeam("run", "--input", archives, "--output", str(output), "--run-id", "real", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "Remainder:" not in result.stderr, "no raw warcio text"
    counts = manifest(output, "real")["counts"]
    read = {path: realwarc.newsbeam_view(path).items for path in realwarc.archive_files(folder)}
    assert counts["pages_read"] == sum(len(items) for items in read.values())
    articles = read_records(output, "articles")
    assert articles, "the real archives hold articles"
    for article in articles:
        page = read[Path(article["input"]["path"])][article["input"]["record"]]
        assert isinstance(page, Page)
        declared = page.headers.get("content-type")
        assert declared_decision(declared) == "page" or (
            declared_decision(declared) == "sniff" and sniff_kind((page.html or "").encode()) == "text/html"
        ), f"{article['url']} comes from a {declared} record"
