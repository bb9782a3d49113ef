"""How records wait at a barrier and how big groupings travel: one strategy per runner.

Three stages hold every article of a run until something global is known (boilerplate
waits for the paragraph counts, dedup for its verdicts, the writer for partition counts),
and dedup groups every article's entry several times. A stage says *what* waits or is
grouped by asking its :class:`Shuffle`; the strategy decides *how*:

* :class:`InRunnerShuffle` (every runner but the DirectRunner, and the default of every
  stage): the runner keeps what waits and groups with Beam's own ``GroupByKey`` and
  ``CoGroupByKey``. Dataflow, Flink and Spark shuffle to disk themselves.
* :class:`OnDiskShuffle` (the DirectRunner): the FnApiRunner keeps every shuffle in the
  driver's memory, and in ``multi_processing`` again in each worker's input queue, so a
  run's memory would grow with its pages. Records wait in batch files under a folder of the
  run's staging area (:mod:`.parking`) and groupings go through files (:mod:`.spill`); the
  runner moves small refs only.

Both give the same records (a test runs the whole pipeline with each). The choice is made
once, in :func:`newsbeam.pipeline.running.runners.shuffle_for`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import apache_beam as beam

from newsbeam.transforms.runtime.parking import DEFAULT_RECORDS_PER_BATCH, Park
from newsbeam.transforms.runtime.spill import SpillingCoGroupByKey, SpillingGroupByKey, pcollections

__all__ = ["IN_RUNNER_RECORDS_PER_BATCH", "InRunnerShuffle", "OnDiskShuffle", "Shuffle"]

#: Records a batch holds when it travels through the runner: small elements, few of them.
IN_RUNNER_RECORDS_PER_BATCH = 64


class Shuffle(ABC):
    """What a stage asks for when records must wait or be grouped (see the module docstring)."""

    @abstractmethod
    def park(
        self,
        encode: Callable[[Any], bytes],
        *,
        key: Callable[[Any], str] | None = None,
        located: bool = False,
        records_per_batch: int = DEFAULT_RECORDS_PER_BATCH,
    ) -> Park:
        """Elements in; :class:`~.parking.ParkedBatch` refs out (see :class:`~.parking.Park`)."""

    @abstractmethod
    def group_by_key(self, *, lists: bool = False) -> beam.PTransform:
        """``GroupByKey`` of pairs, or of a tuple of PCollections of pairs (``lists``: lists of pairs)."""

    @abstractmethod
    def co_group_by_key(self) -> beam.PTransform:
        """``CoGroupByKey`` of a dict of keyed PCollections (a tag may name a tuple of them)."""


class InRunnerShuffle(Shuffle):
    """The runner's own shuffles; parked records travel inside their (small) batches."""

    def park(
        self,
        encode: Callable[[Any], bytes],
        *,
        key: Callable[[Any], str] | None = None,
        located: bool = False,
        records_per_batch: int = DEFAULT_RECORDS_PER_BATCH,
    ) -> Park:
        size = min(records_per_batch, IN_RUNNER_RECORDS_PER_BATCH)
        return Park(None, encode, key=key, located=located, records_per_batch=size)

    def group_by_key(self, *, lists: bool = False) -> beam.PTransform:
        return _GroupPairs(lists)

    def co_group_by_key(self) -> beam.PTransform:
        return _CoGroup()

    def __repr__(self) -> str:
        return "InRunnerShuffle()"


class OnDiskShuffle(Shuffle):
    """Batches and spilled groupings in files under ``folder`` (the run's staging area)."""

    def __init__(self, folder: str) -> None:
        if not folder:
            raise ValueError("OnDiskShuffle needs a folder")
        self.folder = folder.rstrip("/")

    def park(
        self,
        encode: Callable[[Any], bytes],
        *,
        key: Callable[[Any], str] | None = None,
        located: bool = False,
        records_per_batch: int = DEFAULT_RECORDS_PER_BATCH,
    ) -> Park:
        return Park(
            f"{self.folder}/batches", encode, key=key, located=located, records_per_batch=records_per_batch
        )

    def group_by_key(self, *, lists: bool = False) -> beam.PTransform:
        return SpillingGroupByKey(f"{self.folder}/shuffles", lists=lists)

    def co_group_by_key(self) -> beam.PTransform:
        return SpillingCoGroupByKey(f"{self.folder}/shuffles")

    def __repr__(self) -> str:
        return f"OnDiskShuffle({self.folder!r})"


class _GroupPairs(beam.PTransform):
    def __init__(self, lists: bool) -> None:
        super().__init__()
        self._lists = lists

    def expand(self, pairs: beam.PCollection | tuple[beam.PCollection, ...]) -> beam.PCollection:
        inputs = pcollections(pairs)
        flat = inputs[0] if len(inputs) == 1 else inputs | "All pairs" >> beam.Flatten()
        if self._lists:
            flat = flat | "Pairs" >> beam.FlatMap(lambda listed: listed)
        return flat | "Group" >> beam.GroupByKey()


class _CoGroup(beam.PTransform):
    def expand(self, inputs: dict[str, Any]) -> beam.PCollection:
        flat = {}
        for tag, side in inputs.items():
            pcolls = pcollections(side)
            flat[tag] = pcolls[0] if len(pcolls) == 1 else pcolls | f"All {tag}" >> beam.Flatten()
        return flat | "CoGroup" >> beam.CoGroupByKey()
