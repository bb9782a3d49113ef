"""The manifest counts failures apart from filters, and the summary says what a crawl held."""

from __future__ import annotations

from newsbeam.pipeline.running.manifest import counts_from_written
from newsbeam.pipeline.running.summary import format_summary


def _written(rejects: dict[str, int], pages: int) -> dict:
    lines = sum(rejects.values())
    return {
        "files": [
            {"file": "rejects/part-r-00000.jsonl", "kind": "rejects", "lines": lines, "labels": rejects},
            {
                "file": "articles/x.jsonl",
                "kind": "articles",
                "lines": pages - lines,
                "labels": {"national": pages - lines},
            },
        ],
        "read": {
            "files": 2,
            "pages_read": pages,
            "skipped_records": 12,
            "skipped_by_type": {"request": 9, "warcinfo": 2, "dns": 1},
            "not_html_types": {"image/png": 40, "text/css": 5, "none": 1},
            "http_statuses": {"404": 3, "301": 2},
        },
    }


REJECTS = {
    "not_html": 46,
    "http_error": 5,
    "not_article": 4,
    "dropped_by:spam_filter": 2,
    "truncated": 1,
    "step_failed:tagger": 1,
    "stale_cache": 1,  # a code this release does not know: a failure
}


def test_failures_are_counted_apart_from_filters():
    summary = counts_from_written(_written(REJECTS, 100))
    assert summary["counts"]["rejects"] == 60 and summary["counts"]["failures"] == 3
    assert summary["failure_ratio"] == 0.03
    assert summary["records_skipped_by_type"] == {"request": 9, "warcinfo": 2, "dns": 1}
    assert summary["not_html_by_media_type"]["image/png"] == 40
    assert summary["http_errors_by_status"] == {"404": 3, "301": 2}
    assert counts_from_written(_written({}, 0))["failure_ratio"] == 0.0


def test_the_summary_lists_media_types_failures_and_skipped_records():
    manifest = {
        "run_id": "night",
        "status": "succeeded",
        "output": "out",
        "timings": {"total_seconds": 10.0},
        **counts_from_written(_written(REJECTS, 100)),
        "duplicates_by_kind": {},
    }
    manifest["counts"]["duplicates"] = 0
    text = format_summary(manifest)
    assert "rejects       60  (not_html 46, http_error 5, not_article 4, dropped_by:spam_filter 2, " in text
    assert "1 more)" in text  # the six most frequent reasons, then how many more
    assert "  not_html    image/png 40, text/css 5, none 1" in text
    assert "  http_error  404 3, 301 2" in text
    assert "failures      3  (3.0% of pages read; --max-reject-ratio counts these" in text
    assert "skipped       12 archive records that are not pages: request 9, warcinfo 2, dns 1" in text
