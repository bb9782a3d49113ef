"""Group by key through files: the values wait on disk, the runner shuffles small refs.

Dedup groups every article's entry, MinHash node and LSH tokens several times. Beam's
DirectRunner holds what a ``GroupByKey`` gathers in its driver process, grouped, then
again encoded for the workers, and each ``multi_processing`` worker holds its share
once more while it reads it, so a big run's memory would grow with its pages.
:class:`SpillingGroupByKey` is a ``GroupByKey`` whose values go to files instead, the
way :mod:`.parking` keeps whole articles:

1. each bundle buffers its ``(key, value)`` pairs by *partition* (a stable hash of the
   key modulo ``partitions``) and, when the buffer is full or the bundle ends, writes
   them to one file, each partition's records in one contiguous run;
2. the runner groups the small :class:`SpilledRun` refs by partition;
3. one partition at a time, its runs are read back and grouped by key in memory, so a
   worker holds one partition's values, about 1/``partitions`` of the shuffle.

The output is that of ``GroupByKey``: ``(key, values)`` once per key, the values in no
particular order. Keys must be picklable and hash the same in every process (strings,
bytes, ints and tuples of them do; ``hash()`` is not used). The files live under the run's staging
folder, which publishing removes; a retried bundle writes new files, and the refs of
the failed attempt, which the runner drops, name files that nothing reads.
"""

from __future__ import annotations

import pickle
import uuid
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindows

from newsbeam.transforms.runtime.parking import RECORD_LENGTH, frame_records

__all__ = [
    "SpilledRun",
    "SpillingCoGroupByKey",
    "SpillingGroupByKey",
    "group_runs",
    "partition_of",
    "read_run",
    "write_runs",
]

DEFAULT_PARTITIONS = 128
#: Bytes a bundle buffers before it writes a file: bounds a worker's memory per bundle.
DEFAULT_BUFFER_BYTES = 8 << 20


class SpilledRun(NamedTuple):
    """``records`` records of one partition: ``size`` bytes at ``offset`` in the file ``path``."""

    path: str
    offset: int
    size: int
    records: int


def partition_of(key: Any, partitions: int) -> int:
    """The partition of ``key``: the same in every process and every run (CRC-32)."""
    if isinstance(key, str):
        data = key.encode("utf-8")
    elif isinstance(key, int):
        data = b"%d" % key  # a third of the time of pickling it
    else:
        data = pickle.dumps(key, protocol=4)
    return zlib.crc32(data) % partitions


def write_runs(path: str, buffers: dict[int, list[bytes]]) -> Iterator[tuple[int, SpilledRun]]:
    """Write each partition's records contiguously to a new file ``path``; a run per partition."""
    offset = 0
    with FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        for partition in sorted(buffers):
            records = buffers[partition]
            chunk = frame_records(records)  # one write per run: the records are small and many
            handle.write(chunk)
            yield partition, SpilledRun(path, offset, len(chunk), len(records))
            offset += len(chunk)


def read_run(run: SpilledRun) -> Iterator[tuple[Any, Any]]:
    """The ``(key, value)`` pairs of ``run``, checked against its size and count."""
    with FileSystems.open(run.path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        handle.seek(run.offset)
        data = handle.read(run.size)
    if len(data) < run.size:
        raise OSError(f"spilled run at byte {run.offset} of {run.path} is cut short")
    view, position, count = memoryview(data), 0, 0
    while position < run.size:
        (length,) = RECORD_LENGTH.unpack_from(view, position)
        position += RECORD_LENGTH.size
        if position + length > run.size:
            raise OSError(f"spilled run at byte {run.offset} of {run.path} is cut short in record {count}")
        yield pickle.loads(view[position : position + length])
        position += length
        count += 1
    if count != run.records:
        where = f"spilled run at byte {run.offset} of {run.path}"
        raise OSError(f"{where} has {count} records, not {run.records}")


def group_runs(runs: Iterable[SpilledRun]) -> dict[Any, list[Any]]:
    """All values of one partition's runs, grouped by key."""
    groups: dict[Any, list[Any]] = {}
    for run in runs:
        for key, value in read_run(run):
            groups.setdefault(key, []).append(value)
    return groups


class _SpillFn(beam.DoFn):
    def __init__(self, folder: str, partitions: int, buffer_bytes: int, lists: bool = False) -> None:
        self._folder = folder
        self._partitions = partitions
        self._buffer_bytes = buffer_bytes
        self._lists = lists
        self._buffers: dict[int, list[bytes]] = {}
        self._size = 0

    def start_bundle(self) -> None:
        self._buffers, self._size = {}, 0

    def process(self, element: Any) -> Iterator[tuple[int, SpilledRun]]:
        partitions, buffers = self._partitions, self._buffers
        for key, value in element if self._lists else (element,):
            record = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
            buffers.setdefault(partition_of(key, partitions), []).append(record)
            self._size += len(record)
        if self._size >= self._buffer_bytes:
            yield from self._flush()

    def finish_bundle(self) -> Iterator[Any]:
        for ref in self._flush():
            yield GlobalWindows.windowed_value(ref)

    def _flush(self) -> Iterator[tuple[int, SpilledRun]]:
        buffers, self._buffers, self._size = self._buffers, {}, 0
        if buffers:
            yield from write_runs(f"{self._folder}/{uuid.uuid4().hex}.bin", buffers)


class SpillingGroupByKey(beam.PTransform):
    """``GroupByKey`` with the values in files under ``folder`` (see the module docstring).

    The input is a PCollection of pairs, or a tuple of them to group together: each is
    spilled where it is produced, so no ``Flatten`` makes the runner hold its elements.
    With ``lists``, each element is a list of pairs: a record that makes many keys (a
    MinHash node makes one per LSH band) then passes the runner once, not once per key.
    """

    def __init__(
        self,
        folder: str,
        partitions: int = DEFAULT_PARTITIONS,
        buffer_bytes: int = DEFAULT_BUFFER_BYTES,
        lists: bool = False,
    ) -> None:
        super().__init__()
        if partitions < 1:
            raise ValueError(f"partitions must be positive, not {partitions}")
        if not folder:
            raise ValueError("SpillingGroupByKey needs a folder")
        self._folder = folder.rstrip("/")
        self._partitions = partitions
        self._buffer_bytes = buffer_bytes
        self._lists = lists

    def expand(self, pairs: beam.PCollection | tuple[beam.PCollection, ...]) -> beam.PCollection:
        inputs = pcollections(pairs)
        spill = _SpillFn(self._folder, self._partitions, self._buffer_bytes, self._lists)
        runs = [pcoll | f"Spill {index}" >> beam.ParDo(spill) for index, pcoll in enumerate(inputs)]
        return (
            (runs[0] if len(runs) == 1 else runs | "All runs" >> beam.Flatten())
            | "Group runs" >> beam.GroupByKey()
            | "Read back" >> beam.FlatMap(lambda grouped: group_runs(grouped[1]).items())
        )


class SpillingCoGroupByKey(beam.PTransform):
    """``CoGroupByKey`` of a dict of keyed PCollections, through :class:`SpillingGroupByKey`.

    Yields ``(key, {tag: [values]})`` with every tag present, as ``CoGroupByKey`` does. A
    tag may name a tuple of PCollections, whose pairs are that tag's together.
    """

    def __init__(self, folder: str, partitions: int = DEFAULT_PARTITIONS) -> None:
        super().__init__()
        self._folder = folder
        self._partitions = partitions

    def expand(self, inputs: dict[str, beam.PCollection | tuple[beam.PCollection, ...]]) -> beam.PCollection:
        sides = {tag: pcollections(side) for tag, side in inputs.items()}
        tags = sorted(sides)
        tagged = tuple(
            pcoll | f"Tag {tag} {index}" >> beam.Map(lambda pair, tag: (pair[0], (tag, pair[1])), tag=tag)
            for tag in tags
            for index, pcoll in enumerate(sides[tag])
        )
        return (
            tagged
            | "Group" >> SpillingGroupByKey(self._folder, self._partitions)
            | "By side" >> beam.Map(_by_side, tags=tags)
        )


def pcollections(pcolls: beam.PCollection | tuple[beam.PCollection, ...]) -> list[beam.PCollection]:
    """One PCollection, or a tuple of them, as a list."""
    return list(pcolls) if isinstance(pcolls, (tuple, list)) else [pcolls]


def _by_side(grouped: tuple[Any, list[tuple[str, Any]]], tags: list[str]) -> tuple[Any, dict[str, list]]:
    key, tagged = grouped
    sides: dict[str, list] = {tag: [] for tag in tags}
    for tag, value in tagged:
        sides[tag].append(value)
    return key, sides
