"""A real-shaped crawl through the command: it exits 0, and the manifest and summary say what it held."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from helpers.archives import arc_file, crawl_records, http_response, per_record_gzip, story
from helpers.cli import FAST, manifest, newsbeam, read_records

from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
from newsbeam.transforms.model import Page


def _write_crawl(folder: Path) -> dict[str, list[str]]:
    """A crawl WARC, an ARC and garbage no reader makes sense of; each file's outcomes in order."""
    folder.mkdir()
    crawl = crawl_records(8)
    (folder / "crawl-20250506.warc.gz").write_bytes(per_record_gzip(crawl.records))
    records = [
        (url, "20250506041200", "text/html", http_response("200 OK", [("Content-Type", "text/html")], html))
        for url, html in (story(n) for n in (20, 21))
    ]
    (folder / "archive-2009.arc.gz").write_bytes(arc_file(records, gzipped=True))
    (folder / "scan.html").write_bytes(bytes(range(256)) * 40)
    outcomes = {}
    for path in sorted(folder.iterdir()):
        items = list(
            read_dump(io.BytesIO(path.read_bytes()), str(path), DumpSummary(path=str(path)), 20_000_000)
        )
        outcomes[str(path)] = ["page" if isinstance(item, Page) else item.reason for item in items]
    return outcomes


@pytest.mark.slow
def test_a_crawl_whose_responses_are_mostly_images_and_scripts_exits_0(tmp_path: Path):
    dumps = tmp_path / "dumps"
    outcomes = _write_crawl(dumps)
    output = tmp_path / "out"
    result = newsbeam("run", "--input", str(dumps), "--output", str(output), "--run-id", "night", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.count("Traceback") == 0 and "WARNING" not in result.stderr
    run = manifest(output, "night")
    counts = run["counts"]
    assert counts["pages_read"] == sum(len(found) for found in outcomes.values())
    assert counts["rejects"] > counts["pages_read"] / 2, "most responses are not pages"
    assert counts["failures"] == 1 and run["rejects_by_reason"]["undecodable"] == 1  # scan.html
    assert run["failure_ratio"] == round(1 / counts["pages_read"], 4)
    assert run["not_html_by_media_type"] == {
        "application/javascript": 1,
        "application/json": 1,
        "application/rss+xml": 1,
        "image/jpeg": 8,
        "image/png": 8,
        "none": 1,
        "text/css": 1,
    }
    assert run["http_errors_by_status"] == {"301": 1, "404": 1}
    assert run["records_skipped_by_type"] == {
        "dns": 1,
        "metadata": 8,
        "request": 8,
        "revisit": 1,
        "warcinfo": 2,
    }
    assert counts["warc_records_skipped"] == 20
    # Every article comes from a record the reader made a page.
    articles = read_records(output, "articles")
    assert len(articles) == 12  # 8 + 2 sniffed stories of the crawl, 2 of the ARC
    for article in articles:
        assert outcomes[article["input"]["path"]][article["input"]["record"]] == "page"
    summary = result.stdout
    assert "not_html    image/jpeg 8, image/png 8, application/javascript 1" in summary
    assert "http_error  301 1, 404 1" in summary
    assert f"failures      1  ({run['failure_ratio']:.1%} of pages read" in summary
    assert "skipped       20 archive records that are not pages: metadata 8, request 8, warcinfo 2" in summary

    # The ledger: the files were read; the garbage is recorded with the release that failed on it.
    ledger_file = output / "_state/ledger/night.jsonl"
    ledger = [json.loads(line) for line in ledger_file.read_text().splitlines()]
    assert {Path(entry["path"]).name: entry.get("reader") for entry in ledger} == {
        "archive-2009.arc.gz": None,
        "crawl-20250506.warc.gz": None,
        "scan.html": __import__("newsbeam").__version__,
    }
    again = newsbeam("run", "--input", str(dumps), "--output", str(output), "--run-id", "again", *FAST)
    assert again.returncode == 0 and manifest(output, "again")["counts"]["skipped_files"] == 3
    # A run of another release reads again what an earlier release's readers failed on, only that.
    ledger_file.write_text(
        ledger_file.read_text().replace(f'"reader":"{ledger[2]["reader"]}"', '"reader":"0.1.0"')
    )
    upgraded = newsbeam("run", "--input", str(dumps), "--output", str(output), "--run-id", "upgraded", *FAST)
    assert upgraded.returncode == 4, "it read only the garbage, a failure"
    counts = manifest(output, "upgraded")["counts"]
    assert (counts["files"], counts["skipped_files"], counts["failures"]) == (1, 2, 1)
