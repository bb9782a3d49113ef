"""Running the ``newsbeam`` command in tests: in this process, or in a child process when it must be.

:func:`newsbeam` calls the command's ``main(argv)`` here, its output captured: no interpreter
start and no imports to pay for, which made most of the suite's time when every run was a
subprocess. :func:`newsbeam_process` starts ``python -m newsbeam`` for what needs a process of
its own: a test that kills it, signals it or holds its lock from outside. Small dump folders,
output trees and manifests for comparing runs are here too.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.builders import REPO

DUMPS = REPO / "examples" / "dumps"
FAST = ("--direct_running_mode", "in_memory")
#: The run id of the example run that end-to-end tests share (tests/e2e/conftest.py).
EXAMPLE_RUN_ID = "e2e"
#: A few example dumps of every kind: HTML, text, JSONL with a duplicate and a bad line, garbage.
SMALL_SET = (
    "harbourtimes/politics/2025-03-13-council-votes-to-freeze-rates.html",
    "harbourtimes/health/2025-03-11-hospital-wait-lists-shrink-weekend-clinics.html",
    "dailycourier/2025-03-11-green-line-corridor-opens.txt",
    "dailycourier/2025-03-13-storm-bangladesh-coast.txt.gz",
    "broken/blob.html",
)


@dataclass(frozen=True)
class Completed:
    """What a run of the command returned and printed (the fields of ``subprocess.CompletedProcess``)."""

    returncode: int
    stdout: str
    stderr: str


def newsbeam(*args: str, env: dict[str, str] | None = None, pythonpath: Sequence[Path] = ()) -> Completed:
    """``newsbeam ARGS`` in this process; ``env`` is set and ``pythonpath`` prepended while it runs."""
    from newsbeam.pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env or {}),
        _paths(pythonpath),
        _logging_as_it_was(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(list(args))
    return Completed(code, out.getvalue(), err.getvalue())


def newsbeam_process(
    *args: str, env: dict[str, str] | None = None, pythonpath: Sequence[Path] = (), timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """``python -m newsbeam ARGS`` in a child process (for kills, signals and concurrent runs)."""
    return subprocess.run(
        newsbeam_command(*args),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=process_env(env, pythonpath),
    )


def newsbeam_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbeam", *args]


def process_env(env: dict[str, str] | None = None, pythonpath: Sequence[Path] = ()) -> dict[str, str]:
    """The environment of a child ``newsbeam``: this one, ``env``, and ``pythonpath`` plus tests/ in front."""
    paths = [*map(str, pythonpath), str(REPO / "tests")]
    return {**os.environ, **(env or {}), "PYTHONPATH": os.pathsep.join(paths)}


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _logging_as_it_was() -> Iterator[None]:
    """A run configures logging for its process; the next in-process run starts as a fresh process would."""
    loggers = [logging.getLogger(name) for name in ("", "newsbeam", "apache_beam")]
    saved = [(logger.handlers[:], logger.level) for logger in loggers]
    try:
        yield
    finally:
        for logger, (handlers, level) in zip(loggers, saved, strict=True):
            logger.handlers[:] = handlers
            logger.setLevel(level)


@contextlib.contextmanager
def _paths(paths: Sequence[Path]) -> Iterator[None]:
    import importlib

    saved = list(sys.path)
    sys.path[:0] = [str(path) for path in paths]
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved


def read_records(output: Path, folder: str) -> list[dict]:
    """Every record of ``output/folder`` (all part files, in path order)."""
    import orjson

    return [
        orjson.loads(line)
        for path in sorted((output / folder).rglob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]


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
