"""Which runner executes a run, and the one runner-specific choice newsbeam makes: the shuffle.

With no ``--runner``, or ``--runner DirectRunner``, newsbeam runs Beam's FnApiRunner
(:mod:`newsbeam.pipeline.compat.direct`), by default in ``multi_processing`` mode with one
worker per core (at most 8). Any other runner (``PrismRunner``, ``DataflowRunner``,
``FlinkRunner``, ``SparkRunner``, ``PortableRunner``) is built by Beam as usual.

:func:`shuffle_for` decides how records wait and are grouped (:mod:`newsbeam.transforms.runtime.shuffle`):
in files under the run's staging folder on the DirectRunner, whose shuffles live in memory;
through the runner's own ``GroupByKey`` everywhere else, since those runners shuffle to disk
themselves and their workers may not share a filesystem with the driver.
"""

from __future__ import annotations

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineRunner

from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, OnDiskShuffle, Shuffle

__all__ = ["DIRECT_RUNNER_NAMES", "choose_runner", "describe_runner", "shuffle_for", "uses_direct_runner"]

#: The names under which newsbeam runs the FnApiRunner itself (no ``--runner`` is one of them).
DIRECT_RUNNER_NAMES = {None, "DirectRunner", "directrunner", "direct"}
#: Where the DirectRunner's parked batches and spilled groupings live, under the run's staging folder.
PARKED_FOLDER = "_parked"


def uses_direct_runner(options: PipelineOptions) -> bool:
    return options.view_as(StandardOptions).runner in DIRECT_RUNNER_NAMES


def choose_runner(options: PipelineOptions) -> PipelineRunner | None:
    """The runner object for ``beam.Pipeline``; None lets Beam build the one the options name."""
    if not uses_direct_runner(options):
        return None
    from newsbeam.pipeline.compat.direct import direct_runner

    return direct_runner(options)


def shuffle_for(options: PipelineOptions, staging: str) -> Shuffle:
    """How the run's records wait and are grouped (see the module docstring)."""
    if uses_direct_runner(options):
        return OnDiskShuffle(f"{staging.rstrip('/')}/{PARKED_FOLDER}")
    return InRunnerShuffle()


def describe_runner(options: PipelineOptions) -> str:
    if not uses_direct_runner(options):
        return str(options.view_as(StandardOptions).runner)
    direct = options.view_as(DirectOptions)
    return f"DirectRunner (FnApiRunner, {direct.direct_running_mode}, {direct.direct_num_workers} workers)"
