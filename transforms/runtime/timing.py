"""When each stage of a run produced its output, from Beam metrics, for the manifest's timings.

``StageClock(stage)`` passes elements through unchanged and records the wall-clock time
(milliseconds since the epoch) at which each bundle that passed elements finished, in the
Beam distribution ``newsbeam.timing/<stage>``, whose ``max`` is then the stage's last output
(a bundle finishes once its elements have gone on). One record per bundle, not per element:
a clock after every stage saw every article five times. Placed after every stage,
it gives each stage's completion time on any runner that reports distributions, without
touching the stages themselves. :func:`stage_timings` turns those into seconds: the time
from the pipeline's start to each stage's last output, and per stage the time between the
previous stage's last output and its own, which is what the stage added to the run (stages
are fused and overlap, so this is when a stage *finished*, not CPU time it used).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import apache_beam as beam
from apache_beam.metrics import Metrics

__all__ = ["TIMING_NAMESPACE", "StageClock", "stage_timings"]

TIMING_NAMESPACE = "newsbeam.timing"
T = TypeVar("T")


class _ClockFn(beam.DoFn):
    def __init__(self, stage: str) -> None:
        self._stage = stage
        self._times = Metrics.distribution(TIMING_NAMESPACE, stage)
        self._passed = False

    def start_bundle(self) -> None:
        self._passed = False

    def process(self, element: T) -> Any:
        self._passed = True
        return (element,)

    def finish_bundle(self) -> None:
        if self._passed:
            self._times.update(int(time.time() * 1000))


class StageClock(beam.PTransform):
    """Record when ``stage``'s elements pass by (see the module docstring)."""

    def __init__(self, stage: str) -> None:
        super().__init__()
        if not stage:
            raise ValueError("StageClock needs a stage name")
        self._stage = stage

    def expand(self, pcoll: beam.PCollection[T]) -> beam.PCollection[T]:
        timed = pcoll | beam.ParDo(_ClockFn(self._stage))
        timed.element_type = pcoll.element_type  # elements pass unchanged
        return timed


def stage_timings(
    last_output_ms: Mapping[str, int], started_ms: int, order: Sequence[str]
) -> dict[str, dict[str, float]]:
    """``{"stages": {stage: seconds added}, "finished_after": {stage: seconds since start}}``."""
    finished: dict[str, float] = {}
    added: dict[str, float] = {}
    previous = started_ms
    for stage in order:
        if stage not in last_output_ms:
            continue
        moment = last_output_ms[stage]
        finished[stage] = round((moment - started_ms) / 1000, 3)
        added[stage] = round(max(moment - previous, 0) / 1000, 3)
        previous = max(previous, moment)
    return {"stages": added, "finished_after": finished}


def last_outputs(result: Any) -> dict[str, int]:
    """Each stage's last output time from a finished pipeline's metrics ({} if not reported)."""
    from apache_beam.metrics.metric import MetricsFilter

    try:
        found = result.metrics().query(MetricsFilter().with_namespace(TIMING_NAMESPACE))["distributions"]
    except Exception:  # noqa: BLE001 - metrics are optional on several runners.
        return {}
    latest: dict[str, int] = {}
    for metric in found:
        value = metric.committed if metric.committed is not None else metric.attempted
        if value is not None and value.count:
            name = metric.key.metric.name
            latest[name] = max(latest.get(name, 0), int(value.max))
    return latest
