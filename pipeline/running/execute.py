"""Running one ``newsbeam run``: lock, recover, select new files, run the pipeline, publish.

A run (:func:`execute_run`) takes the output lock before anything else, completes an
interrupted publish or removes what a crashed run staged (:mod:`.publish`), lists its
inputs and leaves out the files the ledger says earlier runs consumed (:mod:`.ledger`),
runs the pipeline on the rest (on the runner :mod:`.runners` chooses), stages its ledger
shard and publishes everything at once. The lock is released on every path out.
:func:`check_inputs` and :func:`check_locations` run before any of it, so bad usage stops
the command with exit 2 before any work.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions

from newsbeam.pipeline.compat.construction import cache_dofn_specs
from newsbeam.pipeline.compat.limits import unsupported_scheme
from newsbeam.pipeline.config.loader import Config
from newsbeam.pipeline.config.options import RunOptions, UsageError
from newsbeam.pipeline.running.graph import build_pipeline
from newsbeam.pipeline.running.ledger import (
    InputFile,
    ledger_shard_lines,
    list_input_files,
    load_ledger,
    read_consumed,
    read_failed,
    select_files,
    shard_path,
)
from newsbeam.pipeline.running.lock import OutputLock
from newsbeam.pipeline.running.manifest import build_manifest
from newsbeam.pipeline.running.publish import (
    discard_staging,
    journal_path,
    publish_run,
    read_written_summary,
    recover_output,
    staged_state_files,
    staging_path,
    state_staging_path,
)
from newsbeam.pipeline.running.runners import choose_runner, describe_runner, shuffle_for
from newsbeam.transforms.formats.files import expand_input
from newsbeam.transforms.runtime.faults import kill_point
from newsbeam.transforms.runtime.progress import ProgressMonitor
from newsbeam.transforms.runtime.timing import last_outputs, stage_timings

__all__ = ["RunFailedError", "RunOutcome", "check_inputs", "check_locations", "execute_run"]


PROGRESS_SECONDS = 10.0
TERMINAL_PROGRESS_SECONDS = 0.5
PROGRESS_FOLDER = "_progress"
STAGE_ORDER = ("read_parse", "boilerplate", "dedup", "classify", "write")
#: Top-level pipeline labels (``pipeline/running/graph.py``) and the stage a user knows them by.
_STAGE_OF_LABEL = {
    "Read": "read",
    "Record consumed files": "read",
    "Parse": "parse",
    "Boilerplate": "boilerplate",
    "Dedup": "dedup",
    "Classify": "classify",
    "All duplicates": "write",
    "All rejects": "write",
    "Write": "write",
}
_EMPTY_WRITTEN: dict[str, Any] = {"files": [], "read": {"files": 0, "pages_read": 0, "skipped_records": 0}}


class RunFailedError(RuntimeError):
    """The run failed; nothing of it was published. ``stage`` and ``path`` say where."""

    def __init__(self, message: str, stage: str = "pipeline", path: str | None = None) -> None:
        super().__init__(message)
        self.stage = stage
        self.path = path


@dataclass(frozen=True)
class RunOutcome:
    manifest: dict[str, Any]
    #: Failure rejects over pages read (filters and duplicates do not count): the exit-4 rule.
    failure_ratio: float


def check_inputs(inputs: tuple[str, ...]) -> None:
    """Every ``--input`` must match at least one file, or the run stops before any work."""
    for given in inputs:
        _check_scheme("--input", given)
        pattern = expand_input(given)
        try:
            found = FileSystems.match([pattern], limits=[1])[0].metadata_list
        except Exception as error:  # noqa: BLE001 - each filesystem has its own "not found" error.
            raise UsageError(f"--input {given!r} cannot be listed: {error}") from error
        if not found:
            raise UsageError(f"--input {given!r} matches no file")


def check_locations(output: str, state: str) -> None:
    """``--output`` and ``--state`` must be on a filesystem Beam has here; else stop before any work."""
    for flag, path in (("--output", output), ("--state", state)):
        _check_scheme(flag, path)
        if "://" not in path:
            continue
        try:
            FileSystems.get_filesystem(path)
        except Exception:  # noqa: BLE001 - Beam says ValueError, or BeamIOError for a broken extra.
            scheme = path.split("://", 1)[0]
            raise UsageError(
                f"{flag} {path!r}: Beam has no filesystem for {scheme}:// here "
                "(gs:// needs apache-beam[gcp], s3:// apache-beam[aws])"
            ) from None


def _check_scheme(flag: str, path: str) -> None:
    refused = unsupported_scheme(path)
    if refused:
        raise UsageError(f"{flag} {path!r}: {refused}")


def execute_run(
    run: RunOptions,
    config: Config,
    options: PipelineOptions,
    say: Callable[[str], Any] = print,
    files: Sequence[InputFile] | None = None,
) -> RunOutcome:
    """Run and publish; raises with nothing published. ``files``: read these, not a listing."""
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    staging = staging_path(run.output, run.run_id)
    state_staging = state_staging_path(run.state, run.run_id)
    with OutputLock(run.output, run.run_id):
        phase = "recover"
        try:
            recover_output(run.output, run.state, say)
            phase = "list"
            listed = list(files) if files is not None else list_input_files(run.inputs)
            ledger = load_ledger(run.state, ignore_run_id=run.run_id)
            selection = select_files(listed, ledger, run.reprocess, run.verify_checksums)
            say(
                f"newsbeam: run {run.run_id}: {len(selection.to_read)} files to read, "
                f"{len(selection.skipped)} skipped (read by earlier runs)"
            )
            phase = "pipeline"
            runner_name = describe_runner(options)
            timings: dict[str, Any] = {}
            if selection.to_read:
                written, timings = _run_pipeline(run, config, options, selection.to_read, say, runner_name)
                consumed = read_consumed(staging)
                with FileSystems.create(shard_path(state_staging, run.run_id)) as handle:
                    handle.write(
                        ledger_shard_lines(selection.to_read, consumed, run.run_id, read_failed(staging))
                    )
            else:
                say("newsbeam: nothing new to read; publishing an empty run")
                written, timings = _EMPTY_WRITTEN, {"pipeline_seconds": 0.0}
            kill_point("pipeline-done")
            phase = "publish"
            publish_clock = time.perf_counter()
            say("newsbeam: pipeline finished; publishing")
            metric_pages_read = timings.pop("_metric_pages_read", None)
            manifest = build_manifest(
                run_id=run.run_id,
                started_at=started.isoformat(timespec="seconds"),
                finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                written=written,
                config_sha256=config.sha256,
                inputs=list(run.inputs),
                output=run.output,
                runner=runner_name,
                timings=timings,
                metric_pages_read=metric_pages_read,
            )
            manifest["counts"]["skipped_files"] = len(selection.skipped)
            manifest["state_files"] = staged_state_files(run.state, run.run_id)
            manifest["timings"]["publish_seconds"] = round(time.perf_counter() - publish_clock, 3)
            manifest["timings"]["total_seconds"] = round(time.perf_counter() - clock, 3)
            publish_run(run.output, run.run_id, staging, written, manifest, state=run.state)
        except BaseException as error:
            if not FileSystems.exists(journal_path(run.output, run.run_id)):
                discard_staging(staging)
                discard_staging(state_staging)
            if isinstance(error, Exception):
                raise _failure(error, phase) from error
            raise
    counts = manifest["counts"]
    ratio = counts["failures"] / counts["pages_read"] if counts["pages_read"] else 0.0
    return RunOutcome(manifest=manifest, failure_ratio=ratio)


def _run_pipeline(
    run: RunOptions,
    config: Config,
    options: PipelineOptions,
    to_read: Sequence[InputFile],
    say: Callable[[str], Any],
    runner_name: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the pipeline on ``to_read``; the writer's summary and the timings for the manifest."""
    staging = staging_path(run.output, run.run_id)
    say(f"newsbeam: run {run.run_id} on {runner_name}")
    say(f"newsbeam: reading {', '.join(run.inputs)}")
    cache_dofn_specs()
    pipeline = beam.Pipeline(runner=choose_runner(options), options=options)
    terminal = sys.stderr.isatty() and run.log_format == "text"
    # Workers report often on a terminal (a bar), every PROGRESS_SECONDS otherwise (log lines).
    interval = 0.0 if run.quiet else (TERMINAL_PROGRESS_SECONDS if terminal else PROGRESS_SECONDS)
    if "://" in run.output and interval:
        interval = max(interval, PROGRESS_SECONDS)  # tallies on an object store: a write each time
    progress_folder = f"{staging}/{PROGRESS_FOLDER}"
    build_pipeline(
        pipeline,
        run.inputs,
        config,
        run.run_id,
        staging,
        shuffle_for(options, staging),
        progress_seconds=interval,
        files=[(item.path, item.size) for item in to_read],
        progress_folder=progress_folder,
        state=run.state,
    )
    started_ms = int(time.time() * 1000)
    clock = time.perf_counter()
    total_bytes = sum(item.size for item in to_read)
    with ProgressMonitor(progress_folder, len(to_read), total_bytes, interval, say, terminal):
        result = pipeline.run()
        result.wait_until_finish()
    timings: dict[str, Any] = {"pipeline_seconds": round(time.perf_counter() - clock, 3)}
    timings.update(stage_timings(last_outputs(result), started_ms, STAGE_ORDER))
    timings["_metric_pages_read"] = _metric(result, "pages_read")
    return read_written_summary(staging), timings


def _failure(error: Exception, phase: str) -> RunFailedError:
    """Which stage failed, on which input file, with which exception (for the exit-1 message)."""
    text = str(error).strip()
    first_line = text.splitlines()[0] if text else ""
    stage = phase
    running = re.search(r"while running '([^'/]+)", text)
    if running:
        stage = _STAGE_OF_LABEL.get(running.group(1), running.group(1))
    # The read stage raises InputFileError("<path>: <exception>"); Beam may re-raise it wrapped.
    found = re.search(r"(?:^|InputFileError: )(\S+?): (\w+(?:Error|Exception)\b.*)", first_line)
    if found and (type(error).__name__ == "InputFileError" or "InputFileError" in text):
        return RunFailedError(found.group(2), stage="read", path=found.group(1))
    return RunFailedError(f"{type(error).__name__}: {first_line}", stage=stage, path=None)


def _metric(result: Any, name: str) -> int | None:
    """A counter's committed value, or None when the runner does not report metrics."""
    try:
        counters = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    except Exception:  # noqa: BLE001 - metrics are optional on several runners.
        return None
    if not counters:
        return None
    return int(sum(counter.committed or 0 for counter in counters))
