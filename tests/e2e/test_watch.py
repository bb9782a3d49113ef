"""``newsbeam watch``: runs when complete new files arrive, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.builders import REPO
from helpers.cli import DUMPS, FAST


def wait_for(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def manifests(output: Path) -> list[dict]:
    folder = output / "_runs"
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))] if folder.exists() else []


@pytest.mark.slow
def test_watch_runs_on_complete_new_files_and_stops_after_sigterm(tmp_path: Path):
    incoming, output = tmp_path / "incoming", tmp_path / "out"
    incoming.mkdir()
    command = [sys.executable, "-m", "newsbeam", "watch", "--input", str(incoming), "--output", str(output)]
    watcher = subprocess.Popen(
        [*command, "--every", "0.3", *FAST],
        cwd=REPO,
        env={**os.environ},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # A file that stays the same across two polls is complete.
        (incoming / "a.txt").write_bytes(
            (DUMPS / "dailycourier/2025-03-11-green-line-corridor-opens.txt").read_bytes()
        )
        wait_for(lambda: len(manifests(output)) == 1)
        # One still being written is not read; its marker makes it complete at once.
        (incoming / "b.jsonl").write_bytes(
            (DUMPS / "dailycourier/courier-text-2025-03-12.jsonl").read_bytes()
        )
        (incoming / "b.jsonl.done").write_text("")
        wait_for(lambda: len(manifests(output)) == 2)
        time.sleep(1.0)  # a few more polls: nothing new, no run
        assert len(manifests(output)) == 2
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=60) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    first, second = manifests(output)
    assert (first["counts"]["files"], second["counts"]["files"]) == (1, 1)
    assert second["counts"]["pages_read"] >= 1
    assert "SIGTERM received; stopping after the run in progress" in watcher.stderr.read()
    assert not (output / ".newsbeam.lock").exists()


@pytest.mark.slow
def test_sigterm_during_a_run_lets_that_run_publish_first(tmp_path: Path):
    incoming, output = tmp_path / "incoming", tmp_path / "out"
    incoming.mkdir()
    (incoming / "a.txt").write_bytes(
        (DUMPS / "dailycourier/2025-03-11-green-line-corridor-opens.txt").read_bytes()
    )
    (incoming / ".done").write_text("")  # the whole folder is complete
    command = [sys.executable, "-m", "newsbeam", "watch", "--input", str(incoming), "--output", str(output)]
    watcher = subprocess.Popen(
        [*command, "--every", "0.3", *FAST],
        cwd=REPO,
        env={**os.environ, "NEWSBEAM_TEST_PAUSE_AT": "pipeline-done:3"},
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: any(output.glob(".staging-*/_written.json")))
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=60) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    assert [m["counts"]["files"] for m in manifests(output)] == [1]
