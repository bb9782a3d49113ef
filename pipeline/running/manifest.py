"""The run manifest (``_runs/<run_id>.json``): what a run read, wrote and dropped, and why.

:func:`build_manifest` derives every count from the part files the run wrote (the
writer's summary), so the manifest's counts equal the lines written. It checks the
invariant ``pages_read == articles + duplicates + rejects`` and, when the runner
reports Beam metrics, that the metrics agree; a run that fails either check is not
published (:class:`InconsistentRunError`).

Rejects are failures or filters (:mod:`newsbeam.transforms.reasons`): ``counts.failures``
and ``failure_ratio`` (failures over pages read) are what ``--max-reject-ratio`` judges.
The read stage adds the archive records it skipped by type, and the media types of the
``not_html`` rejects and statuses of the ``http_error`` ones.
"""

from __future__ import annotations

import platform
from collections import Counter
from importlib import metadata
from typing import Any

from newsbeam.transforms.reasons import is_failure

__all__ = ["InconsistentRunError", "build_manifest", "counts_from_written", "failure_ratio"]

_VERSIONED_PACKAGES = ("newsbeam", "apache-beam", "lxml", "orjson", "warcio", "charset-normalizer", "pyyaml")


class InconsistentRunError(RuntimeError):
    """The run's counts do not add up; nothing of it is published."""


def counts_from_written(written: dict[str, Any]) -> dict[str, Any]:
    lines: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = {"articles": Counter(), "duplicates": Counter(), "rejects": Counter()}
    for entry in written["files"]:
        lines[entry["kind"]] += entry["lines"]
        labels[entry["kind"]].update(entry["labels"])
    read = written["read"]
    rejects_by_reason = dict(sorted(labels["rejects"].items()))
    failures = sum(count for reason, count in rejects_by_reason.items() if is_failure(reason))
    return {
        "counts": {
            "files": read["files"],
            "pages_read": read["pages_read"],
            "articles": lines["articles"],
            "duplicates": lines["duplicates"],
            "rejects": lines["rejects"],
            "failures": failures,
            "warc_records_skipped": read["skipped_records"],
        },
        "failure_ratio": failure_ratio(failures, read["pages_read"]),
        "rejects_by_reason": rejects_by_reason,
        "duplicates_by_kind": dict(sorted(labels["duplicates"].items())),
        "sections": dict(sorted(labels["articles"].items())),
        "records_skipped_by_type": dict(read.get("skipped_by_type", {})),
        "not_html_by_media_type": dict(read.get("not_html_types", {})),
        "http_errors_by_status": dict(read.get("http_statuses", {})),
    }


def failure_ratio(failures: int, pages_read: int) -> float:
    """Failures over pages read, rounded to 4 places; 0 for a run that read nothing."""
    return round(failures / pages_read, 4) if pages_read else 0.0


def check_counts(counts: dict[str, int], metric_pages_read: int | None) -> None:
    total = counts["articles"] + counts["duplicates"] + counts["rejects"]
    if total != counts["pages_read"]:
        raise InconsistentRunError(
            f"the run read {counts['pages_read']} pages but wrote {total} records "
            f"({counts['articles']} articles, {counts['duplicates']} duplicates, {counts['rejects']} rejects)"
        )
    if metric_pages_read is not None and metric_pages_read != counts["pages_read"]:
        raise InconsistentRunError(
            f"Beam's metrics count {metric_pages_read} pages read, the written records {counts['pages_read']}"
        )


def build_manifest(
    *,
    run_id: str,
    started_at: str,
    finished_at: str,
    written: dict[str, Any],
    config_sha256: str,
    inputs: list[str],
    output: str,
    runner: str,
    timings: dict[str, float],
    metric_pages_read: int | None,
) -> dict[str, Any]:
    summary = counts_from_written(written)
    check_counts(summary["counts"], metric_pages_read)
    return {
        "run_id": run_id,
        "status": "succeeded",
        "started_at": started_at,
        "finished_at": finished_at,
        **summary,
        "part_files": [entry["file"] for entry in written["files"]],
        "config_sha256": config_sha256,
        "inputs": inputs,
        "output": output,
        "runner": runner,
        "timings": timings,
        "versions": versions(),
    }


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in _VERSIONED_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found
