"""The short summary a run prints when it ends, made from its manifest.

Besides the counts it says how many rejects were failures (what ``--max-reject-ratio``
judges), the media types of the ``not_html`` rejects and the statuses of the ``http_error``
ones, and the archive records skipped by type, so that a crawl's images, scripts and
requests are seen for what they are.
"""

from __future__ import annotations

from typing import Any

__all__ = ["format_summary"]

_TOP = 6


def _breakdown(counts: dict[str, int], top: int | None = None) -> str:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ordered if top is None else ordered[:top]
    text = ", ".join(f"{name} {count}" for name, count in shown)
    if len(shown) < len(ordered):
        text += f", {len(ordered) - len(shown)} more"
    return text


def format_summary(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    seconds = manifest["timings"]["total_seconds"]
    rate = counts["pages_read"] / seconds if seconds else 0.0
    rows = [
        (
            "files read",
            f"{counts['files']}  ({counts['skipped_files']} skipped: read by earlier runs)"
            if counts.get("skipped_files")
            else f"{counts['files']}",
        ),
        ("pages read", f"{counts['pages_read']}  ({rate:.1f} pages/s)"),
        (
            "articles",
            f"{counts['articles']}  ({_breakdown(manifest['sections'])})" if counts["articles"] else "0",
        ),
        (
            "duplicates",
            f"{counts['duplicates']}  ({_breakdown(manifest['duplicates_by_kind'])})"
            if counts["duplicates"]
            else "0",
        ),
        (
            "rejects",
            f"{counts['rejects']}  ({_breakdown(manifest['rejects_by_reason'], _TOP)})"
            if counts["rejects"]
            else "0",
        ),
    ]
    for reason, key in (("not_html", "not_html_by_media_type"), ("http_error", "http_errors_by_status")):
        if manifest.get(key):
            rows.append((f"  {reason}", _breakdown(manifest[key], _TOP)))
    failures = counts.get("failures", 0)
    rows.append(
        (
            "failures",
            f"{failures}  ({manifest.get('failure_ratio', 0.0):.1%} of pages read; --max-reject-ratio "
            "counts these, not filters or duplicates)",
        )
    )
    if counts.get("warc_records_skipped"):
        skipped = manifest.get("records_skipped_by_type") or {}
        by_type = f": {_breakdown(skipped)}" if skipped else ""
        rows.append(
            ("skipped", f"{counts['warc_records_skipped']} archive records that are not pages{by_type}")
        )
    rows += [
        ("elapsed", f"{seconds:.1f} s"),
        ("output", f"{manifest['output']}  (manifest _runs/{manifest['run_id']}.json)"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"newsbeam run {manifest['run_id']} {manifest['status']}"]
    lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    return "\n".join(lines)
