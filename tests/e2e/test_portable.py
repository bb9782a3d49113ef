"""Beam's portable submission path (that of Flink, Spark and Dataflow), against the DirectRunner.

The tests start Beam's local job service once and submit runs through ``--runner
PortableRunner --environment_type LOOPBACK`` (the pipeline is translated to Beam's portable
representation, user code is pickled and shipped to an SDK worker, as on a cluster): the
full default pipeline twice with one state (cross-run dedup), and a run with the three
example user steps. Each must write exactly what the in-process DirectRunner writes, although
the portable run shuffles through the runner and the DirectRunner through files (parking
and spilling, which the portable run must not use). They skip (fail in CI) when the job
service cannot start.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apache_beam.io.filesystems import FileSystems
from helpers.cli import newsbeam
from helpers.plugins import DUMPS, EXAMPLE_CONFIG, install_example_plugin
from helpers.requirements import missing
from helpers.schema import validate_output

STARTUP_SECONDS = 30
RECORD_FOLDERS = ("articles", "duplicates", "rejects")
#: What a manifest says about the records; the rest (times, runner, output path) is the run's own.
MANIFEST_KEYS = ("counts", "rejects_by_reason", "duplicates_by_kind", "sections", "config_sha256")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("localhost", port)) == 0


@pytest.fixture(scope="module")
def job_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("job-service") / "job_service.log"
    with log.open("wb") as handle:
        service = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "apache_beam.runners.portability.local_job_service_main",
                "--port",
                str(port),
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if service.poll() is not None or time.monotonic() > deadline:
                missing(f"Beam's local job service did not start: {log.read_text(errors='replace')[-300:]}")
            time.sleep(0.2)
        yield f"localhost:{port}"
    finally:
        service.terminate()
        try:
            service.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()


def _run(output: Path, plugin: Path, *runner_args: str) -> None:
    result = newsbeam(
        "run",
        "--input",
        str(DUMPS),
        "--output",
        str(output),
        "--config",
        str(EXAMPLE_CONFIG),
        "--run-id",
        "portable",
        "--quiet",
        *runner_args,
        pythonpath=[plugin],
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.slow
def test_user_steps_run_on_the_portable_runner(job_endpoint: str, tmp_path: Path):
    plugin = install_example_plugin(tmp_path / "site-packages")
    portable, direct = tmp_path / "portable", tmp_path / "direct"
    _run(
        portable,
        plugin,
        "--runner",
        "PortableRunner",
        "--job_endpoint",
        job_endpoint,
        "--environment_type",
        "LOOPBACK",
    )
    _run(direct, plugin, "--direct_running_mode", "in_memory")

    manifest = (portable / "_runs" / "portable.json").read_text(encoding="utf-8")
    assert '"runner": "PortableRunner"' in manifest
    assert '"dropped_by:drop_press_releases": 1' in manifest
    validate_output(portable)
    for folder in ("articles", "duplicates", "rejects"):
        ours = sorted(p.relative_to(portable) for p in (portable / folder).rglob("*.jsonl"))
        theirs = sorted(p.relative_to(direct) for p in (direct / folder).rglob("*.jsonl"))
        assert ours == theirs
        for relative in ours:
            assert (portable / relative).read_bytes() == (direct / relative).read_bytes(), relative
    lines = b"".join(p.read_bytes() for p in (portable / "articles").rglob("*.jsonl"))
    assert b'"people":["Rosalind Parata"],"places":["Cook Strait","Wellington"]' in lines


def _portable_args(job_endpoint: str) -> list[str]:
    return ["--runner", "PortableRunner", "--job_endpoint", job_endpoint, "--environment_type", "LOOPBACK"]


def _default_run(output: Path, run_id: str, *args: str) -> dict:
    result = newsbeam(
        "run",
        "--input",
        str(DUMPS),
        "--output",
        str(output),
        "--run-id",
        run_id,
        "--quiet",
        *args,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((output / "_runs" / f"{run_id}.json").read_text(encoding="utf-8"))


def _files(root: Path, folders: tuple[str, ...]) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in folders
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def _lines(root: Path, folder: str, run_id: str) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((root / folder).rglob(f"part-{run_id}-*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]


@pytest.mark.slow
def test_the_default_pipeline_on_the_portable_runner_matches_the_direct_runner(
    job_endpoint: str, tmp_path: Path
):
    """read, parse, boilerplate, dedup (exact, near, against the state), classify, write; twice."""
    portable, direct = tmp_path / "portable", tmp_path / "direct"
    runs = {}
    # The second run reads the same dumps again (--reprocess: the ledger would skip them all),
    # so every page meets the articles the first run put into the state.
    for run_id, extra in (("first", ()), ("second", ("--reprocess",))):
        with files_created() as portable_files:
            ours = _default_run(portable, run_id, *extra, *_portable_args(job_endpoint))
        with files_created() as direct_files:
            theirs = _default_run(direct, run_id, *extra, "--direct_running_mode", "in_memory")
        # The shuffle strategy: parked batches and spilled groupings on the DirectRunner only.
        assert not [path for path in portable_files if "/_parked/" in path], "the portable run parked records"
        assert [path for path in direct_files if "/_parked/" in path], "the DirectRunner run parks records"
        assert ours["runner"] == "PortableRunner"
        for key in MANIFEST_KEYS:
            assert ours[key] == theirs[key], (run_id, key)
        for key in ("part_files", "state_files"):
            assert [path.removeprefix(f"{portable}/") for path in ours[key]] == [
                path.removeprefix(f"{direct}/") for path in theirs[key]
            ], (run_id, key)
        runs[run_id] = ours["counts"]

    # Same run ids on both sides: the records, the dedup state and the ledger are byte-identical.
    ours, theirs = _files(portable, (*RECORD_FOLDERS, "_state")), _files(direct, (*RECORD_FOLDERS, "_state"))
    assert sorted(ours) == sorted(theirs)
    for name, data in ours.items():
        assert data == theirs[name], name
    assert "_state/dedup/shard-first-00000.jsonl" in ours

    first, second = runs["first"], runs["second"]
    assert (first["articles"], first["duplicates"], first["rejects"]) == (26, 3, 8)
    assert (second["articles"], second["duplicates"], second["rejects"]) == (0, 29, 8)
    kept = {article["id"] for article in _lines(portable, "articles", "first")}
    again = _lines(portable, "duplicates", "second")
    # Each article of the first run is now an exact duplicate of itself; each page that was a
    # duplicate points at the same article as before.
    assert {duplicate["duplicate_of"] for duplicate in again} == kept
    assert kept <= {d["id"] for d in again if d["duplicate_of"] == d["id"] and d["kind"] == "exact"}
    before = {_where(d): d["duplicate_of"] for d in _lines(portable, "duplicates", "first")}
    assert before and before == {_where(d): d["duplicate_of"] for d in again if _where(d) in before}


@contextlib.contextmanager
def files_created() -> Iterator[list[str]]:
    """Every path created through Beam's FileSystems in this process (LOOPBACK workers run here too)."""
    created: list[str] = []
    create = FileSystems.create

    def recording(path: str, *args: Any, **kwargs: Any) -> Any:
        created.append(path)
        return create(path, *args, **kwargs)

    FileSystems.create = recording  # type: ignore[method-assign]
    try:
        yield created
    finally:
        FileSystems.create = create  # type: ignore[method-assign]


def _where(record: dict) -> tuple[str, int]:
    return record["input"]["path"], record["input"]["record"]
