"""The short summary a run prints when it ends, made from its manifest."""

from __future__ import annotations

from typing import Any

__all__ = ["format_summary"]


def _breakdown(counts: dict[str, int]) -> str:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{name} {count}" for name, count in ordered)


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
            f"{counts['rejects']}  ({_breakdown(manifest['rejects_by_reason'])})"
            if counts["rejects"]
            else "0",
        ),
        ("elapsed", f"{seconds:.1f} s"),
        ("output", f"{manifest['output']}  (manifest _runs/{manifest['run_id']}.json)"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"newsbeam run {manifest['run_id']} {manifest['status']}"]
    lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    return "\n".join(lines)
