"""Nightly operation end to end through the CLI: incremental input, all-or-nothing publishing
under kills at several points, the lock, failures that name their stage and file, date runs,
JSON logs and ``newsbeam runs``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from helpers.builders import REPO
from helpers.cli import (
    FAST,
    copy_dumps,
    manifest,
    newsbeam,
    newsbeam_command,
    newsbeam_process,
    process_env,
    stable_manifest,
    tree,
)

from newsbeam.pipeline.cli.runs import list_runs
from newsbeam.pipeline.config.dates import runs_for_dates, yesterday_utc
from newsbeam.pipeline.config.options import UsageError, parse_run_args

VISIBLE = ("articles", "duplicates", "rejects", "_runs", "_state")


def run(inputs: Path | str, output: Path, *extra: str, env: dict[str, str] | None = None):
    return newsbeam("run", "--input", str(inputs), "--output", str(output), *extra, *FAST, env=env)


def run_process(inputs: Path | str, output: Path, *extra: str, env: dict[str, str] | None = None):
    """A run in a child process, for the runs a test kills."""
    return newsbeam_process("run", "--input", str(inputs), "--output", str(output), *extra, *FAST, env=env)


def visible_files(output: Path) -> dict[str, bytes]:
    """What a reader of the output and state folders sees: no hidden staging, journal or lock."""
    return {
        name: data
        for name, data in tree(output).items()
        if name.split("/", 1)[0] in VISIBLE and "/." not in f"/{name}"
    }


# --- incremental input -------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_run_skips_consumed_files_and_reads_changed_and_new_ones(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps")
    output = tmp_path / "out"
    first = run(dumps, output, "--run-id", "one")
    assert first.returncode == 0, first.stderr
    ledger = [json.loads(line) for line in (output / "_state/ledger/one.jsonl").read_text().splitlines()]
    assert len(ledger) == 5 and {"path", "size", "mtime", "checksum", "run_id"} <= set(ledger[0])
    assert manifest(output, "one")["counts"]["skipped_files"] == 0

    second = run(dumps, output, "--run-id", "two")
    assert second.returncode == 0, second.stderr
    counts = manifest(output, "two")["counts"]
    assert (counts["files"], counts["skipped_files"], counts["pages_read"]) == (0, 5, 0)
    assert "5 skipped" in second.stdout

    changed = dumps / "dailycourier/2025-03-11-green-line-corridor-opens.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA late correction.\n", encoding="utf-8")
    copy_dumps(dumps, ("dailycourier/2025-03-14-music-festival-opens.txt",))
    touched = dumps / "broken/blob.html"  # same bytes, new time: hashed, found unchanged, skipped
    os.utime(touched, (time.time() + 60, time.time() + 60))
    third = run(dumps, output, "--run-id", "three")
    assert third.returncode == 0, third.stderr
    counts = manifest(output, "three")["counts"]
    assert (counts["files"], counts["skipped_files"]) == (2, 4)
    read = {record["input"]["path"] for record in _records(output, "three")}
    assert read == {str(changed), str(dumps / "dailycourier/2025-03-14-music-festival-opens.txt")}

    again = run(dumps, output, "--run-id", "four", "--reprocess")
    assert again.returncode == 0 and manifest(output, "four")["counts"]["files"] == 6


@pytest.mark.slow
def test_verify_checksums_reads_a_file_rewritten_with_the_same_size_and_time(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps", ("dailycourier/2025-03-11-green-line-corridor-opens.txt",))
    output = tmp_path / "out"
    assert run(dumps, output, "--run-id", "one").returncode == 0
    page = next(dumps.rglob("*.txt"))
    stat = page.stat()
    data = page.read_bytes()
    page.write_bytes(data.replace(b"a", b"e", 1))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run(dumps, output, "--run-id", "two").returncode == 0
    assert manifest(output, "two")["counts"]["skipped_files"] == 1  # size and time match: trusted
    assert run(dumps, output, "--run-id", "three", "--verify-checksums").returncode == 0
    assert manifest(output, "three")["counts"]["files"] == 1


# --- all or nothing --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict]:
    """One uninterrupted run of the small dump set."""
    root = tmp_path_factory.mktemp("reference")
    dumps = copy_dumps(root / "dumps")
    result = run(dumps, root / "out", "--run-id", "night")
    assert result.returncode == 0, result.stderr
    return dumps, visible_files(root / "out"), manifest(root / "out", "night")


@pytest.mark.parametrize(
    "point",
    [
        "pipeline-done",
        "journal-written",
        "publish-move#1",
        "publish-move#4",
        "before-manifest",
        "after-manifest",
    ],
)
@pytest.mark.slow
def test_a_run_killed_at_any_point_shows_nothing_partial_and_its_rerun_matches(
    tmp_path: Path, reference: tuple[Path, dict[str, bytes], dict], point: str
):
    dumps, expected, expected_manifest = reference
    output = tmp_path / "out"
    killed = run_process(dumps, output, "--run-id", "night", env={"NEWSBEAM_TEST_KILL_AT": point})
    assert killed.returncode == -9, killed.stderr

    seen = visible_files(output)
    committed = (output / "_runs/night.json").exists()
    assert committed == (point == "after-manifest")
    if point in ("pipeline-done", "journal-written"):
        assert seen == {}, "nothing of the run is visible before it publishes"
    for name, data in seen.items():  # a file in place is always a whole file of the run
        if name != "_runs/night.json":
            assert expected[name] == data, name
    # `newsbeam runs` (which only reads) tells what it finds.
    expected_status = {"pipeline-done": "crashed", "after-manifest": "succeeded"}
    assert [row["status"] for row in list_runs(str(output))] == [
        expected_status.get(point, "publish-interrupted")
    ]

    rerun = run(dumps, output, "--run-id", "night")
    assert rerun.returncode == 0, rerun.stderr
    after = visible_files(output)
    assert sorted(after) == sorted(expected)
    for name in expected:
        if name != "_runs/night.json":
            assert after[name] == expected[name], name
    assert stable_manifest(manifest(output, "night")) == stable_manifest(expected_manifest)
    assert not [path for path in output.iterdir() if path.name.startswith(".")], "no staging, journal or lock"


def test_a_crashed_run_records_nothing_in_the_ledger(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps")
    output = tmp_path / "out"
    assert (
        run_process(
            dumps, output, "--run-id", "a", env={"NEWSBEAM_TEST_KILL_AT": "journal-written"}
        ).returncode
        == -9
    )
    assert not (output / "_state/ledger").exists()
    result = run(dumps, output, "--run-id", "b")
    assert result.returncode == 0, result.stderr
    assert "completing the interrupted publish of run a" in result.stderr
    # Run a was completed by b's recovery, so b found a's files consumed.
    assert manifest(output, "b")["counts"]["skipped_files"] == 5


@pytest.mark.slow
def test_a_second_concurrent_run_exits_3_before_any_work(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps")
    output = tmp_path / "out"
    env = process_env({"NEWSBEAM_TEST_PAUSE_AT": "pipeline-done:20"})
    command = newsbeam_command("run", "--input", str(dumps), "--output", str(output))
    holder = subprocess.Popen(
        [*command, "--run-id", "first", *FAST], cwd=REPO, env=env, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not (output / ".staging-first" / "_written.json").exists():
            assert time.monotonic() < deadline and holder.poll() is None
            time.sleep(0.1)
        second = run(dumps, output, "--run-id", "second")
        assert second.returncode == 3
        assert "another newsbeam run (run id first" in second.stderr
        assert not (output / ".staging-second").exists()
    finally:
        holder.kill()
        holder.wait()
    assert not (output / "_runs").exists()


# --- failures ----------------------------------------------------------------------------


def test_a_failure_names_the_stage_and_the_input_file_and_publishes_nothing(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps")
    output = tmp_path / "out"
    result = run(dumps, output, env={"NEWSBEAM_TEST_FAIL_AT": "read:blob.html"})
    assert result.returncode == 1
    assert "failed in stage read on input file " + str(dumps / "broken/blob.html") in result.stderr
    assert "injected failure" in result.stderr and "nothing was published" in result.stderr
    assert visible_files(output) == {}
    assert not [path for path in output.iterdir() if path.name.startswith(".")], "lock and staging are gone"


def test_json_logs_are_one_object_per_line(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps")
    result = run(dumps, tmp_path / "out", "--run-id", "j", "--log-format", "json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "message"} <= set(line) for line in lines)
    done = [line for line in lines if line.get("event") == "run_succeeded"]
    assert done and done[0]["run_id"] == "j" and done[0]["counts"]["pages_read"] == 5
    timings = manifest(tmp_path / "out", "j")["timings"]
    assert {"read_parse", "dedup", "classify", "write"} <= set(timings["stages"])
    assert {"pipeline_seconds", "publish_seconds", "total_seconds"} <= set(timings)


# --- dates -------------------------------------------------------------------------------


def _dated_dumps(root: Path, days: tuple[str, ...]) -> Path:
    for day in days:
        copy_dumps(root / day, ("dailycourier/2025-03-11-green-line-corridor-opens.txt",))
    return root


def test_date_fills_the_input_and_names_the_run(tmp_path: Path):
    dumps = _dated_dumps(tmp_path / "dumps", ("2025-03-11", "2025-03-12"))
    output = tmp_path / "out"
    result = run(f"{dumps}/{{date}}", output, "--date", "2025-03-12")
    assert result.returncode == 0, result.stderr
    written = manifest(output, "2025-03-12")
    assert written["inputs"] == [f"{dumps}/2025-03-12"] and written["counts"]["files"] == 1


@pytest.mark.slow
def test_a_backfill_runs_each_day_in_order_and_stops_at_the_first_failure(tmp_path: Path):
    dumps = _dated_dumps(tmp_path / "dumps", ("2025-03-10", "2025-03-11", "2025-03-13"))
    output = tmp_path / "out"
    result = run(f"{dumps}/{{date}}", output, "--from", "2025-03-10", "--to", "2025-03-13")
    assert result.returncode == 2
    assert "backfill stopped at 2025-03-12" in result.stderr
    assert sorted(path.name for path in (output / "_runs").iterdir()) == [
        "2025-03-10.json",
        "2025-03-11.json",
    ]
    listing = newsbeam("runs", "--output", str(output), "--json")
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert [(row["run_id"], row["status"], row["counts"]["files"]) for row in rows] == [
        ("2025-03-10", "succeeded", 1),
        ("2025-03-11", "succeeded", 1),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-03-10"], "a backfill needs both --from and --to"),
        (["--from", "2025-03-12", "--to", "2025-03-10"], "is before --from"),
        (["--date", "11/03/2025"], "--date '11/03/2025' is not a date of the form YYYY-MM-DD"),
        (["--date", "2025-03-11", "--from", "2025-03-10", "--to", "2025-03-11"], "either --date or"),
        (["--from", "2025-03-10", "--to", "2025-03-11", "--run-id", "x"], "leave out --run-id"),
    ],
)
def test_bad_dates_are_usage_errors(args: list[str], message: str):
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_run_args(["--input", "dumps/{date}", "--output", "out", *args])


def test_date_options_make_one_run_per_day():
    run_options, _ = parse_run_args(
        ["--input", "d/{date}/x", "--output", "o", "--from", "2025-02-27", "--to", "2025-03-01"]
    )
    days = runs_for_dates(run_options)
    assert [(day.run_id, day.inputs) for day in days] == [
        ("2025-02-27", ("d/2025-02-27/x",)),
        ("2025-02-28", ("d/2025-02-28/x",)),
        ("2025-03-01", ("d/2025-03-01/x",)),
    ]
    nightly, _ = parse_run_args(["--input", "d/{date}", "--output", "o"])
    assert nightly.run_id == yesterday_utc().isoformat() and runs_for_dates(nightly)[0].inputs == (
        f"d/{yesterday_utc().isoformat()}",
    )
    plain, _ = parse_run_args(["--input", "d", "--output", "o"])
    assert plain.dates == () and runs_for_dates(plain) == [plain]


def _records(output: Path, run_id: str) -> list[dict]:
    return [
        json.loads(line)
        for folder in ("articles", "duplicates", "rejects")
        for path in (output / folder).rglob(f"part-{run_id}-*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


@pytest.mark.slow
def test_a_run_stopped_by_sigterm_publishes_nothing_and_the_next_run_cleans_up(tmp_path: Path):
    dumps = copy_dumps(tmp_path / "dumps")
    output = tmp_path / "out"
    env = process_env({"NEWSBEAM_TEST_PAUSE_AT": "pipeline-done:30"})
    command = newsbeam_command("run", "--input", str(dumps), "--output", str(output))
    process = subprocess.Popen(
        [*command, "--run-id", "stopped", *FAST], cwd=REPO, env=env, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not any(output.glob(".staging-*/_written.json")):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
        process.terminate()
        assert process.wait(timeout=20) == -15
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert visible_files(output) == {}
    result = run(dumps, output, "--run-id", "next")
    assert result.returncode == 0, result.stderr
    assert "removing what run stopped staged before it was stopped" in result.stderr
    assert manifest(output, "next")["counts"]["files"] == 5  # "stopped" recorded nothing
    assert not [path for path in output.iterdir() if path.name.startswith(".")], "no staging, no lock"
