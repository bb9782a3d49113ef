"""Parking: whole records kept in files while the run waits at a barrier, refs in the runner.

Three steps hold every article of a run until something global is known: boilerplate
removal waits for the paragraph counts, deduplication for the verdicts, the writer for
the partition counts. A runner stores what waits: the DirectRunner keeps it in its
driver process, and its ``multi_processing`` mode again in each worker's input queue,
so the run's memory would grow with its pages. :class:`Park` writes
the records of each bundle to batch files under a folder instead, through Beam's
``FileSystems``, and passes on one small :class:`ParkedBatch` per file; :func:`read_batch`
streams a batch back where the records are needed. Only the refs wait in the runner.

A batch file is a run of records, each a 4-byte big-endian length and its bytes. A bundle
keeps one file open at a time, whatever the number of keys: with a ``key``, the file holds
the records of all keys and each key's ref lists the byte offsets of its own (a writer
parks by partition, and an archive's backfill has thousands of partitions: one open file
each would exhaust the process's file handles). A file's name is unique per attempt, so a
bundle that a runner retries writes new files, and the refs of the failed attempt, which
the runner drops, name files nothing reads. The folder lives under the run's staging
folder, which publishing removes.

Without a folder the records travel inside the batch itself, through the runner: that is
:class:`~.shuffle.InRunnerShuffle`'s parking, on every runner but the DirectRunner.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

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
    "RECORD_LENGTH",
    "frame_records",
    "read_batch",
]

BATCHES, LOCATED = "batches", "located"
#: Records per batch: enough that a file is worth opening, few enough that the steps
#: reading batches back can spread them over workers.
DEFAULT_RECORDS_PER_BATCH = 2000
#: The header of a record in a batch file (and a spilled run, newsbeam.transforms.runtime.spill): its length.
RECORD_LENGTH = struct.Struct(">I")
#: A batch file is written this many bytes of records at a time.
_WRITE_BYTES = 1 << 20

#: Where a parked record is: its batch's name and its position in the batch.
Location = tuple[str, int]


@dataclass(frozen=True)
class ParkedBatch:
    """A batch of parked records: in the file ``path``, or (no folder) in ``records``."""

    name: str
    count: int
    path: str | None = None
    records: tuple[bytes, ...] = ()
    #: Byte offsets of the batch's records in ``path`` (a keyed batch shares its file with
    #: other keys); empty: the whole file, read in order.
    offsets: tuple[int, ...] = ()


def frame_records(records: Iterable[bytes]) -> bytes:
    """``records`` as a batch file stores them: each its :data:`RECORD_LENGTH` header, then its bytes."""
    return b"".join(RECORD_LENGTH.pack(len(record)) + record for record in records)


def read_batch(batch: ParkedBatch) -> Iterator[bytes]:
    """The batch's records in the order they were parked, streamed from its file."""
    if batch.path is None:
        yield from batch.records
        return
    if batch.offsets:
        yield from _read_at(batch.path, batch.offsets)
        return
    read = 0
    with FileSystems.open(batch.path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        while header := handle.read(RECORD_LENGTH.size):
            if len(header) < RECORD_LENGTH.size:
                raise OSError(f"parked batch {batch.path} is cut short after {read} records")
            (length,) = RECORD_LENGTH.unpack(header)
            record = handle.read(length)
            if len(record) < length:
                raise OSError(f"parked batch {batch.path} is cut short in record {read}")
            read += 1
            yield record
    if read != batch.count:
        raise OSError(f"parked batch {batch.path} holds {read} records, {batch.count} were parked")


def _read_at(path: str, offsets: Iterable[int]) -> Iterator[bytes]:
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        for offset in offsets:
            handle.seek(offset)
            header = handle.read(RECORD_LENGTH.size)
            length = RECORD_LENGTH.unpack(header)[0] if len(header) == RECORD_LENGTH.size else -1
            record = handle.read(length) if length >= 0 else b""
            if length < 0 or len(record) < length:
                raise OSError(f"parked batch {path} is cut short in the record at byte {offset}")
            yield record


class Park(beam.PTransform):
    """Elements in; :class:`ParkedBatch` refs out (``batches``), see the module docstring.

    ``encode`` turns an element into the bytes parked. With ``key``, ``batches`` holds
    ``(key, batch)``, one batch per key per file. With ``located`` (not with ``key``), the
    ``located`` output holds ``(Location, element)`` for each element, for steps fused after
    this one that need to say later where an element was parked.
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
        if located and key is not None:
            raise ValueError("located elements need unkeyed batches")
        self._fn = _ParkFn(folder.rstrip("/") if folder else None, encode, key, located, records_per_batch)

    def expand(self, elements: beam.PCollection) -> beam.pvalue.DoOutputsTuple:
        return elements | "Park" >> beam.ParDo(self._fn).with_outputs(LOCATED, main=BATCHES)


class _OpenBatch:
    """A batch file being filled (or, without a folder, records held in memory), by key."""

    def __init__(self, folder: str | None, keyed: bool) -> None:
        self.name = uuid.uuid4().hex
        self._keyed = keyed
        self.path = f"{folder}/{self.name}.bin" if folder else None
        self.count = 0
        self._size = 0
        self._records: dict[str, list[bytes]] = {}
        self._offsets: dict[str, list[int]] = {}
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._handle = None
        if self.path is not None:
            self._handle = FileSystems.create(self.path, compression_type=CompressionTypes.UNCOMPRESSED)

    def add(self, key: str, record: bytes) -> int:
        """Park ``record`` under ``key``; its position in the file."""
        if self._handle is None:
            self._records.setdefault(key, []).append(record)
        else:
            if self._keyed:
                self._offsets.setdefault(key, []).append(self._size)
                self._size += RECORD_LENGTH.size + len(record)
            self._pending.append(record)
            self._pending_bytes += len(record)
            if self._pending_bytes >= _WRITE_BYTES:
                self._flush()
        self.count += 1
        return self.count - 1

    def _flush(self) -> None:
        # One write per MiB, not one per record: a run parks hundreds of thousands of them.
        assert self._handle is not None
        self._handle.write(frame_records(self._pending))
        self._pending.clear()
        self._pending_bytes = 0

    def close(self) -> Iterator[tuple[str, ParkedBatch]]:
        if self._handle is not None:
            self._flush()
            self._handle.close()
            if not self._keyed:  # the file is the batch: read in order, its count checked
                yield "", ParkedBatch(self.name, self.count, self.path)
            for key, offsets in self._offsets.items():
                yield key, ParkedBatch(self.name, len(offsets), self.path, offsets=tuple(offsets))
        for key, records in self._records.items():
            yield key, ParkedBatch(self.name, len(records), records=tuple(records))


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
        self._open: _OpenBatch | None = None

    def start_bundle(self) -> None:
        self._open = None

    def process(self, element: Any) -> Iterator[Any]:
        batch = self._open
        if batch is None:
            batch = self._open = _OpenBatch(self._folder, keyed=self._key is not None)
        position = batch.add(self._key(element) if self._key is not None else "", self._encode(element))
        if self._located:
            yield TaggedOutput(LOCATED, ((batch.name, position), element))
        if batch.count >= self._records_per_batch:
            self._open = None
            yield from self._refs(batch)

    def finish_bundle(self) -> Iterator[Any]:
        if self._open is not None:
            for ref in self._refs(self._open):
                yield GlobalWindows.windowed_value(ref)
        self._open = None

    def _refs(self, batch: _OpenBatch) -> Iterator[Any]:
        for key, parked in batch.close():
            yield (key, parked) if self._key is not None else parked
