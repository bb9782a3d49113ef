"""Input, output and state on a filesystem that is not the local disk.

Runs go through ``mem://`` (``tests/memfs.py``), an in-memory Beam filesystem with the
semantics of ``gs://`` and ``s3://`` (no folders, objects appear when closed), in this
process (``--direct_running_mode in_memory``: the objects live in this process's memory).
A run there must write what a run on local paths writes, publish its state, skip what the
ledger holds, match the articles of earlier runs, clean up after itself and after crashed
runs, and keep a second run off the output with its best-effort lock.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import memfs
from helpers.builders import REPO

from newsbeam.pipeline.cli import main
from newsbeam.pipeline.cli.runs import list_runs
from newsbeam.pipeline.config.loader import load_config
from newsbeam.pipeline.config.options import beam_options, parse_run_args
from newsbeam.pipeline.running import lock
from newsbeam.pipeline.running.execute import execute_run
from newsbeam.pipeline.running.lock import LockHeldError, OutputLock

DUMPS = REPO / "examples" / "dumps"
RECORD_FOLDERS = ("articles", "duplicates", "rejects")
MANIFEST_KEYS = ("counts", "rejects_by_reason", "duplicates_by_kind", "sections")
COPIED_PAGE = "harbourtimes/politics/2025-03-13-council-votes-to-freeze-rates.html"


@pytest.fixture()
def bucket(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh ``mem://`` bucket holding a copy of the example dumps (with their mtimes)."""
    monkeypatch.setattr(lock, "SETTLE_SECONDS", 0.05)  # the race itself is tested below
    root = f"{memfs.PREFIX}{uuid.uuid4().hex}"
    for path in sorted(DUMPS.rglob("*")):
        if path.is_file():
            memfs.put(
                f"{root}/dumps/{path.relative_to(DUMPS).as_posix()}", path.read_bytes(), path.stat().st_mtime
            )
    yield root
    memfs.clear(root + "/")


def _run(inputs: str, output: str, state: str, run_id: str) -> dict[str, Any]:
    options, _ = parse_run_args(
        ["--input", inputs, "--output", output, "--state", state, "--run-id", run_id, "--quiet"]
    )
    outcome = execute_run(
        options, load_config(), beam_options(["--direct_running_mode", "in_memory"]), say=lambda _: None
    )
    return outcome.manifest


def _local_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def _mem_files(root: str) -> dict[str, bytes]:
    return {path[len(root) + 1 :]: data for path, data in memfs.objects(root + "/").items()}


def _records(files: dict[str, bytes], inputs: str) -> dict[str, bytes]:
    """The record files, with the input root (in provenance and details) made neutral."""
    return {
        name: data.replace(inputs.encode(), b"DUMPS")
        for name, data in files.items()
        if name.split("/", 1)[0] in RECORD_FOLDERS
    }


@pytest.mark.slow
def test_a_run_on_an_object_store_writes_what_a_local_run_writes(bucket: str, tmp_path: Path):
    local_dumps = tmp_path / "dumps"
    shutil.copytree(DUMPS, local_dumps)  # keeps mtimes, as the bucket does
    local = _run(str(local_dumps), str(tmp_path / "out"), str(tmp_path / "state"), "r1")
    remote = _run(f"{bucket}/dumps", f"{bucket}/out", f"{bucket}/state", "r1")

    for key in MANIFEST_KEYS:
        assert remote[key] == local[key], key
    assert remote["counts"]["articles"] == 26 and remote["counts"]["files"] == 22
    assert [path.removeprefix(f"{bucket}/out/") for path in remote["part_files"]] == [
        path.removeprefix(f"{tmp_path}/out/") for path in local["part_files"]
    ]
    assert [path.removeprefix(f"{bucket}/state/") for path in remote["state_files"]] == [
        "dedup/shard-r1-00000.jsonl",
        "ledger/r1.jsonl",
    ]

    ours, theirs = _mem_files(f"{bucket}/out"), _local_files(tmp_path / "out")
    assert _records(ours, f"{bucket}/dumps") == _records(theirs, str(local_dumps))
    assert json.loads(ours["_runs/r1.json"])["counts"] == local["counts"]
    # Nothing staged, no journal, no lock left behind: only records and the manifest.
    assert {name.split("/", 1)[0] for name in ours} == {*RECORD_FOLDERS, "_runs"}
    state, local_state = _mem_files(f"{bucket}/state"), _local_files(tmp_path / "state")
    assert sorted(state) == sorted(local_state) == ["dedup/shard-r1-00000.jsonl", "ledger/r1.jsonl"]
    assert state["dedup/shard-r1-00000.jsonl"] == local_state["dedup/shard-r1-00000.jsonl"]
    assert state["ledger/r1.jsonl"].count(f'"{bucket}/dumps/'.encode()) == 22


@pytest.mark.slow
def test_a_second_run_on_an_object_store_skips_old_files_and_matches_old_articles(bucket: str):
    output, state = f"{bucket}/out", f"{bucket}/state"
    _run(f"{bucket}/dumps", output, state, "r1")
    original = f"{bucket}/dumps/{COPIED_PAGE}"
    kept = next(
        json.loads(line)
        for name, data in _mem_files(f"{output}/articles").items()
        for line in data.splitlines()
        if json.loads(line)["input"]["path"] == original
    )
    memfs.put(f"{bucket}/dumps/late/copy.html", memfs.read(original))
    # What a run killed before it published leaves, in the output and in the state.
    memfs.put(f"{output}/.staging-crashed/rejects/part-crashed-00000.jsonl", b"{}\n")
    memfs.put(f"{state}/.staging-crashed/ledger/crashed.jsonl", b"{}\n")

    second = _run(f"{bucket}/dumps", output, state, "r2")

    assert second["counts"]["files"] == 1 and second["counts"]["skipped_files"] == 22
    assert (second["counts"]["articles"], second["counts"]["duplicates"]) == (0, 1)
    (line,) = memfs.read(f"{output}/duplicates/part-r2-00000.jsonl").splitlines()
    duplicate = json.loads(line)
    assert (duplicate["duplicate_of"], duplicate["kind"]) == (kept["id"], "exact")
    assert duplicate["input"]["path"] == f"{bucket}/dumps/late/copy.html"
    leftovers = [path for path in memfs.objects(bucket + "/") if "/.staging-" in path or "/.publish-" in path]
    assert leftovers == [] and not memfs.objects(f"{output}/{lock.LOCK_NAME}")
    assert [(row["run_id"], row["status"]) for row in list_runs(output)] == [
        ("r1", "succeeded"),
        ("r2", "succeeded"),
    ]


def test_a_live_lock_on_an_object_store_keeps_a_run_off_and_a_stale_one_is_taken_over(bucket: str):
    output = f"{bucket}/out"
    lock_file = f"{output}/{lock.LOCK_NAME}"
    live = {"host": socket.gethostname(), "pid": os.getpid(), "run_id": "other", "token": "x"}
    memfs.put(lock_file, json.dumps(live).encode())
    with pytest.raises(LockHeldError, match=r"another newsbeam run \(run id other"):
        _run(f"{bucket}/dumps/broken", output, f"{output}/_state", "r1")
    assert memfs.read(lock_file) == json.dumps(live).encode(), "the holder's lock is left alone"
    assert list(_mem_files(output)) == [lock.LOCK_NAME]

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    memfs.put(lock_file, json.dumps({**live, "pid": int(gone.stdout)}).encode())
    manifest = _run(f"{bucket}/dumps/broken", output, f"{output}/_state", "r1")
    assert manifest["counts"]["pages_read"] == 2
    assert not memfs.objects(lock_file)

    memfs.put(lock_file, json.dumps({**live, "host": "elsewhere.example"}).encode())
    with pytest.raises(LockHeldError, match=f"on host elsewhere.example.*delete {lock_file}"):
        _run(f"{bucket}/dumps/broken", output, f"{output}/_state", "r2")


def test_of_two_runs_that_write_the_lock_at_once_the_overwritten_one_backs_off(
    bucket: str, monkeypatch: pytest.MonkeyPatch
):
    lock_file = f"{bucket}/out/{lock.LOCK_NAME}"
    rival = json.dumps({"host": "elsewhere.example", "pid": 1, "run_id": "rival", "token": "theirs"}).encode()

    def rival_writes_meanwhile(_: float) -> None:
        memfs.put(lock_file, rival)

    monkeypatch.setattr(
        lock, "time", types.SimpleNamespace(sleep=rival_writes_meanwhile, time=lock.time.time)
    )
    with pytest.raises(LockHeldError, match="at the same time"), OutputLock(f"{bucket}/out", "mine"):
        pass
    assert memfs.read(lock_file) == rival, "the winner's lock is not removed by the loser"


def test_the_drivers_own_file_access_sees_the_filesystem_options(bucket: str):
    """Lock, listing, ledger and publish run before Beam builds the pipeline (and sets its options)."""
    options = beam_options(["--direct_running_mode", "in_memory", "--s3_endpoint_url", "http://minio:9000"])
    run, _ = parse_run_args(["--input", f"{bucket}/dumps/broken", "--output", f"{bucket}/out"])
    with OutputLock(run.output, run.run_id):
        seen = memfs.MemoryFileSystem.last_options
    assert seen is options and seen.get_all_options()["s3_endpoint_url"] == "http://minio:9000"


def test_what_only_works_locally_fails_in_one_sentence(capsys: pytest.CaptureFixture[str]):
    args = ["run", "--input", str(DUMPS), "--direct_running_mode", "in_memory"]
    assert main([*args, "--output", "nosuchfs://bucket/out"]) == 2
    assert main([*args, "--output", "/tmp/unused", "--config", "mem://bucket/config.yaml"]) == 2
    assert main(["sections", "train", "--input", "mem://bucket/articles", "--out", "model.npz"]) == 2
    assert main([*args, "--output", "hdfs://namenode/out"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "newsbeam: error: --output 'nosuchfs://bucket/out': Beam has no filesystem for nosuchfs:// here "
        "(gs:// needs apache-beam[gcp], s3:// apache-beam[aws])",
        "newsbeam: error: --config 'mem://bucket/config.yaml' must be a local file; "
        "copy it to this machine first",
        "newsbeam: error: newsbeam sections reads and writes local files only, not 'mem://bucket/articles'; "
        "copy it to this machine first",
        "newsbeam: error: --output 'hdfs://namenode/out': hdfs:// is not supported: Beam's HDFS "
        "filesystem does not list folders recursively, which newsbeam needs",
    ]
