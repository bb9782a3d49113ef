"""The end of the read stage for files read in byte ranges: each page's index counted from its file's start.

A range does not know how many pages the ranges before it hold; its pages carry their range's
index and a record number counted from the range's start. Once the whole read stage has run,
:class:`ResolveRecordIndices` adds the pages of the earlier ranges (a side input of a few
numbers per file) to the records of the stages after it, and their lines to the line a JSONL
reject names.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import apache_beam as beam

from newsbeam.transforms.formats.ranges import resolve_record
from newsbeam.transforms.model import Article, Duplicate, Reject
from newsbeam.transforms.runtime.parking import BATCHES, ParkedBatch, read_batch
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, Shuffle

__all__ = ["ResolveRecordIndices"]


class ResolveRecordIndices(beam.PTransform):
    """Give every page of a split file its record index in the whole file (module docstring).

    Applied to a PCollection of articles or rejects; ``offsets`` is the read stage's
    singleton ``record_offsets`` (:func:`range_offsets` of every range of the split files).
    The records wait for it through ``shuffle``, as ``encode`` makes them (a pickle by default).
    """

    def __init__(
        self,
        offsets: beam.PCollection,
        shuffle: Shuffle | None = None,
        encode: Callable[[Any], bytes] = pickle.dumps,
        decode: Callable[[bytes], Any] = pickle.loads,
    ) -> None:
        super().__init__()
        self._offsets = offsets
        self._shuffle = shuffle or InRunnerShuffle()
        self._encode = encode
        self._decode = decode

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        parked = records | "Park" >> self._shuffle.park(self._encode)
        resolved = parked[BATCHES] | "Resolve" >> beam.FlatMap(
            _resolved_batch, beam.pvalue.AsSingleton(self._offsets), decode=self._decode
        )
        resolved.element_type = records.element_type  # the same records, renumbered
        return resolved


def _resolved_batch(
    batch: ParkedBatch, offsets: Mapping[tuple[str, int], tuple[int, int]], decode: Callable[[bytes], Any]
) -> Iterator[Article | Reject | Duplicate]:
    for record in read_batch(batch):
        yield resolve_record(decode(record), offsets)
