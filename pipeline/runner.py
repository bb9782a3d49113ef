"""Running one ``newsbeam run``: validate, lock, run the pipeline, check, publish.

Which Beam runner executes the pipeline (:func:`choose_runner`): with no ``--runner``,
or ``--runner DirectRunner``, newsbeam uses the engine behind Beam's DirectRunner, the
``FnApiRunner``, directly, and by default in ``multi_processing`` mode with one worker
per core (at most 8). It does not let the DirectRunner pick the Prism runner for it:
Beam 2.77's DirectRunner first tries to download Prism's binary, which needs the
internet, and Prism ignores ``--direct_running_mode``. Name any other runner
(``PrismRunner``, ``DataflowRunner``, ``FlinkRunner``, ``SparkRunner``, ``PortableRunner``)
and Beam runs it as usual.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineRunner

from pipeline.assembly import build_pipeline
from pipeline.config import Config
from pipeline.lock import OutputLock
from pipeline.manifest import build_manifest
from pipeline.options import RunOptions, UsageError, uses_direct_runner
from pipeline.publish import discard_staging, publish_run, read_written_summary, staging_path
from transforms.read import expand_input

__all__ = ["RunFailedError", "check_inputs", "choose_runner", "execute_run"]


PROGRESS_SECONDS = 10.0


class RunFailedError(RuntimeError):
    """The pipeline failed; nothing of the run was published."""


@dataclass(frozen=True)
class RunOutcome:
    manifest: dict[str, Any]
    reject_ratio: float


def check_inputs(inputs: tuple[str, ...]) -> None:
    """Every ``--input`` must match at least one file, or the run stops before any work."""
    from apache_beam.io.filesystems import FileSystems

    for given in inputs:
        pattern = expand_input(given)
        try:
            found = FileSystems.match([pattern], limits=[1])[0].metadata_list
        except Exception as error:  # noqa: BLE001 - each filesystem has its own "not found" error.
            raise UsageError(f"--input {given!r} cannot be listed: {error}") from error
        if not found:
            raise UsageError(f"--input {given!r} matches no file")


def choose_runner(options: PipelineOptions) -> PipelineRunner | None:
    """The runner object for ``beam.Pipeline``; None lets Beam build the one the options name."""
    if not uses_direct_runner(options):
        return None
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle

    # As the DirectRunner does it: workers in other processes receive the pipeline options this way.
    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    provision = fn_runner.ExtendedProvisionInfo(
        beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded)
    )
    return fn_runner.FnApiRunner(provision_info=provision)


def describe_runner(options: PipelineOptions) -> str:
    if not uses_direct_runner(options):
        return str(options.view_as(StandardOptions).runner)
    direct = options.view_as(DirectOptions)
    return f"DirectRunner (FnApiRunner, {direct.direct_running_mode}, {direct.direct_num_workers} workers)"


def execute_run(run: RunOptions, config: Config, options: PipelineOptions, say: Any = print) -> RunOutcome:
    """Run the pipeline and publish its output; raises on failure with nothing published."""
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    staging = staging_path(run.output, run.run_id)
    with OutputLock(run.output, run.run_id):
        discard_staging(staging)  # left by a run with this id that crashed
        runner_name = describe_runner(options)
        say(f"newsbeam: run {run.run_id} on {runner_name}")
        say(f"newsbeam: reading {', '.join(run.inputs)}")
        pipeline = beam.Pipeline(runner=choose_runner(options), options=options)
        try:
            # Inside the try: a user step's PTransform can fail while it is added to the pipeline.
            build_pipeline(
                pipeline,
                run.inputs,
                config,
                run.run_id,
                staging,
                progress_seconds=0.0 if run.quiet else PROGRESS_SECONDS,
            )
            result = pipeline.run()
            result.wait_until_finish()
            pipeline_seconds = time.perf_counter() - clock
            written = read_written_summary(staging)
            publish_clock = time.perf_counter()
            say("newsbeam: pipeline finished; publishing")
            manifest = build_manifest(
                run_id=run.run_id,
                started_at=started.isoformat(timespec="seconds"),
                finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                written=written,
                config_sha256=config.sha256,
                inputs=list(run.inputs),
                output=run.output,
                runner=runner_name,
                timings={"pipeline_seconds": round(pipeline_seconds, 3)},
                metric_pages_read=_metric(result, "pages_read"),
            )
            manifest["timings"]["publish_seconds"] = round(time.perf_counter() - publish_clock, 3)
            manifest["timings"]["total_seconds"] = round(time.perf_counter() - clock, 3)
            publish_run(run.output, run.run_id, staging, written, manifest)
        except BaseException as error:
            discard_staging(staging)
            if isinstance(error, Exception):
                raise RunFailedError(f"{type(error).__name__}: {error}") from error
            raise
    counts = manifest["counts"]
    ratio = counts["rejects"] / counts["pages_read"] if counts["pages_read"] else 0.0
    return RunOutcome(manifest=manifest, reject_ratio=ratio)


def _metric(result: Any, name: str) -> int | None:
    """A counter's committed value, or None when the runner does not report metrics."""
    try:
        counters = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    except Exception:  # noqa: BLE001 - metrics are optional on several runners.
        return None
    if not counters:
        return None
    return int(sum(counter.committed or 0 for counter in counters))
