"""Running the CLI in a subprocess, small dump folders, and comparing output trees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from builders import REPO

DUMPS = REPO / "examples" / "dumps"
FAST = ("--direct_running_mode", "in_memory")
#: A few example dumps of every kind: HTML, text, JSONL with a duplicate and a bad line, garbage.
SMALL_SET = (
    "harbourtimes/politics/2025-03-13-council-votes-to-freeze-rates.html",
    "harbourtimes/health/2025-03-11-hospital-wait-lists-shrink-weekend-clinics.html",
    "dailycourier/2025-03-11-green-line-corridor-opens.txt",
    "dailycourier/2025-03-13-storm-bangladesh-coast.txt.gz",
    "broken/blob.html",
)


def newsbeam(
    *args: str, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsbeam", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def copy_dumps(target: Path, names: tuple[str, ...] = SMALL_SET) -> Path:
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(DUMPS / name, destination)
    return target


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path (hidden staging and journals included)."""
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


def manifest(output: Path, run_id: str) -> dict:
    return json.loads((output / "_runs" / f"{run_id}.json").read_text(encoding="utf-8"))


def stable_manifest(document: dict) -> dict:
    """A manifest without what differs between two runs of the same input: times and places."""
    volatile = {"started_at", "finished_at", "timings", "output", "state_files", "runner"}
    return {key: value for key, value in document.items() if key not in volatile}
