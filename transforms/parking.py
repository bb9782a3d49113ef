"""Parking: whole records kept in files while the run waits at a barrier, refs in the runner.

Three steps hold every article of a run until something global is known: boilerplate
removal waits for the paragraph counts, deduplication for the verdicts, the writer for
the partition counts. A runner stores what waits: the DirectRunner keeps it in its
driver process, and its ``multi_processing`` mode again in each worker's input queue,
so the run's memory grew with its pages (4.7 GB at 200,000 pages). :class:`Park` writes
the records of each bundle to batch files under a folder instead, through Beam's
``FileSystems``, and passes on one small :class:`ParkedBatch` per file; :func:`read_batch`
streams a batch back where the records are needed. Only the refs wait in the runner.

A batch file is a run of records, each a 4-byte big-endian length and its bytes. Its name
is unique per attempt, so a bundle that a runner retries writes new files and the refs
of the failed attempt, which the runner drops, name files nothing reads. The folder lives
under the run's staging folder, which publishing removes.

Without a folder the records travel inside the batch itself, so the transforms that park
keep working where there is no staging folder (their own Beam tests, a user's pipeline).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.pvalue import TaggedOutput
from apache_beam.transforms.window import GlobalWindows

__all__ = [
    "BATCHES",
    "LOCATED",
    "Location",
    "Park",
    "ParkedBatch",
    "park_folder",
    "read_batch",
    "write_records",
]

BATCHES, LOCATED = "batches", "located"
#: Records per batch: enough that a file is worth opening, few enough that the steps
#: reading batches back can spread them over workers.
DEFAULT_RECORDS_PER_BATCH = 2000
_LENGTH = struct.Struct(">I")

#: Where a parked record is: its batch's name and its position in the batch.
Location = tuple[str, int]


def park_folder(staging: str, step: str) -> str:
    """Where ``step`` parks its records in a run staged under ``staging``."""
    return f"{staging.rstrip('/')}/_parked/{step}"


@dataclass(frozen=True)
class ParkedBatch:
    """A batch of parked records: in the file ``path``, or (no folder) in ``records``."""

    name: str
    count: int
    path: str | None = None
    records: tuple[bytes, ...] = ()


def write_records(handle: BinaryIO, records: Iterable[bytes]) -> int:
    count = 0
    for record in records:
        handle.write(_LENGTH.pack(len(record)))
        handle.write(record)
        count += 1
    return count


def read_batch(batch: ParkedBatch) -> Iterator[bytes]:
    """The batch's records in the order they were parked, streamed from its file."""
    if batch.path is None:
        yield from batch.records
        return
    read = 0
    with FileSystems.open(batch.path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        while header := handle.read(_LENGTH.size):
            if len(header) < _LENGTH.size:
                raise OSError(f"parked batch {batch.path} is cut short after {read} records")
            (length,) = _LENGTH.unpack(header)
            record = handle.read(length)
            if len(record) < length:
                raise OSError(f"parked batch {batch.path} is cut short in record {read}")
            read += 1
            yield record
    if read != batch.count:
        raise OSError(f"parked batch {batch.path} holds {read} records, {batch.count} were parked")


class Park(beam.PTransform):
    """Elements in; :class:`ParkedBatch` refs out (``batches``), see the module docstring.

    ``encode`` turns an element into the bytes parked. With ``key``, each bundle parks one
    batch per key and ``batches`` holds ``(key, batch)``. With ``located``, the ``located``
    output holds ``(Location, element)`` for each element, for steps fused after this one
    that need to say later where an element was parked.
    """

    def __init__(
        self,
        folder: str | None,
        encode: Callable[[Any], bytes],
        key: Callable[[Any], str] | None = None,
        located: bool = False,
        records_per_batch: int = DEFAULT_RECORDS_PER_BATCH,
    ) -> None:
        super().__init__()
        if records_per_batch < 1:
            raise ValueError(f"records_per_batch must be positive, not {records_per_batch}")
        self._fn = _ParkFn(folder.rstrip("/") if folder else None, encode, key, located, records_per_batch)

    def expand(self, elements: beam.PCollection) -> beam.pvalue.DoOutputsTuple:
        return elements | "Park" >> beam.ParDo(self._fn).with_outputs(LOCATED, main=BATCHES)


class _OpenBatch:
    """A batch being filled: its file's handle, or its records held in memory."""

    def __init__(self, folder: str | None) -> None:
        self.name = uuid.uuid4().hex
        self.path = f"{folder}/{self.name}.bin" if folder else None
        self.count = 0
        self._records: list[bytes] = []
        self._handle = None
        if self.path is not None:
            self._handle = FileSystems.create(self.path, compression_type=CompressionTypes.UNCOMPRESSED)

    def add(self, record: bytes) -> int:
        if self._handle is None:
            self._records.append(record)
        else:
            write_records(self._handle, (record,))
        self.count += 1
        return self.count - 1

    def close(self) -> ParkedBatch:
        if self._handle is not None:
            self._handle.close()
        return ParkedBatch(self.name, self.count, self.path, tuple(self._records))


class _ParkFn(beam.DoFn):
    def __init__(
        self,
        folder: str | None,
        encode: Callable[[Any], bytes],
        key: Callable[[Any], str] | None,
        located: bool,
        records_per_batch: int,
    ) -> None:
        self._folder = folder
        self._encode = encode
        self._key = key
        self._located = located
        self._records_per_batch = records_per_batch
        self._open: dict[str, _OpenBatch] = {}

    def start_bundle(self) -> None:
        self._open = {}

    def process(self, element: Any) -> Iterator[Any]:
        key = self._key(element) if self._key is not None else ""
        batch = self._open.get(key)
        if batch is None:
            batch = self._open[key] = _OpenBatch(self._folder)
        position = batch.add(self._encode(element))
        if self._located:
            yield TaggedOutput(LOCATED, ((batch.name, position), element))
        if batch.count >= self._records_per_batch:
            del self._open[key]
            yield self._ref(key, batch.close())

    def finish_bundle(self) -> Iterator[Any]:
        for key, batch in self._open.items():
            yield GlobalWindows.windowed_value(self._ref(key, batch.close()))
        self._open = {}

    def _ref(self, key: str, batch: ParkedBatch) -> Any:
        return (key, batch) if self._key is not None else batch
