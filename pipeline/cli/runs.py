"""``newsbeam runs --output DIR``: the runs an output folder holds, from their manifests.

Committed runs are read from ``_runs/<run_id>.json``. The table also shows what is not
(yet) a run: a publish that was interrupted (``publish-interrupted``: the next run on the
folder completes it), and a staging folder, which is either the run holding the lock
(``running``) or one that was stopped before it published (``crashed``: nothing of it is
visible, and the next run removes it).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

import orjson
from apache_beam.io.filesystems import FileSystems

from newsbeam.pipeline.cli.common import EXIT_OK, EXIT_USAGE
from newsbeam.pipeline.running.lock import live_holder
from newsbeam.pipeline.running.publish import child_names, pending_journals

__all__ = ["format_runs", "list_runs", "main"]

_COLUMNS = (
    "run_id",
    "status",
    "started_at",
    "files",
    "skipped",
    "pages",
    "articles",
    "dups",
    "rejects",
    "secs",
)


def list_runs(output: str) -> list[dict[str, Any]]:
    """One row per run, oldest first (by start time, then run id)."""
    rows: list[dict[str, Any]] = []
    try:
        found = FileSystems.match([f"{output}/_runs/*.json"])[0].metadata_list
    except Exception:  # noqa: BLE001 - no _runs folder: no runs.
        found = []
    for metadata in found:
        with FileSystems.open(metadata.path) as handle:
            manifest = orjson.loads(handle.read())
        counts = manifest.get("counts", {})
        rows.append(
            {
                "run_id": manifest.get("run_id"),
                "status": manifest.get("status", "unknown"),
                "started_at": manifest.get("started_at"),
                "finished_at": manifest.get("finished_at"),
                "counts": counts,
                "total_seconds": manifest.get("timings", {}).get("total_seconds"),
            }
        )
    committed = {row["run_id"] for row in rows}
    for plan in pending_journals(output):
        if plan["run_id"] not in committed:
            rows.append({"run_id": plan["run_id"], "status": "publish-interrupted", "counts": {}})
    owner = live_holder(output)
    holder = owner.get("run_id") if owner else None
    for name in child_names(output, ".staging-"):
        run_id = name.removeprefix(".staging-")
        if run_id not in {row["run_id"] for row in rows}:
            rows.append(
                {"run_id": run_id, "status": "running" if run_id == holder else "crashed", "counts": {}}
            )
    return sorted(rows, key=lambda row: (row.get("started_at") or "~", str(row["run_id"])))


def format_runs(rows: list[dict[str, Any]]) -> str:
    table = [_COLUMNS]
    for row in rows:
        counts = row["counts"]
        seconds = row.get("total_seconds")
        table.append(
            (
                str(row["run_id"]),
                row["status"],
                row.get("started_at") or "-",
                *(
                    str(counts[key]) if key in counts else "-"
                    for key in ("files", "skipped_files", "pages_read", "articles", "duplicates", "rejects")
                ),
                f"{seconds:.1f}" if isinstance(seconds, (int, float)) else "-",
            )
        )
    widths = [max(len(line[column]) for line in table) for column in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


def main(argv: Sequence[str]) -> int:
    """``newsbeam runs``; the exit status."""
    parser = argparse.ArgumentParser(prog="newsbeam runs", description="List the runs of an output folder.")
    parser.add_argument("--output", required=True, metavar="DIR")
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    try:
        known = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    rows = list_runs(known.output.rstrip("/") or "/")
    if known.json:
        for row in rows:
            print(json.dumps(row, sort_keys=True))
    else:
        print(format_runs(rows))
    return EXIT_OK
