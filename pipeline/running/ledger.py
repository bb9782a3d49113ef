"""The ledger of consumed input files, so that nightly runs read each file once.

Every successful run publishes one ledger shard, ``STATE/ledger/<run_id>.jsonl``, with one
line per input file it consumed::

    {"path": "/data/dumps/2025-03-11/a.warc.gz", "size": 18211, "mtime": 1741651200.0,
     "checksum": "xxh3-128:<hex digest>", "run_id": "2025-03-11"}

The shard is staged beside the state folder and published with the run's part files and
manifest (``pipeline/running/publish.py``), so a run that crashed records nothing and the next run
reads its files again. Shards are never rewritten by other runs; a rerun with the same run
id replaces its own shard and ignores it when it decides what to read.

**Where the skip happens.** On the driver, before the pipeline is built:
:func:`list_input_files` lists the inputs once through Beam's ``FileSystems`` (which a run
did already, to check its inputs), :func:`select_files` compares the listing with the
ledger, and the pipeline is handed exactly the files to read (``ReadPages(files=...)``).
The ledger is small (a line per file), the driver needs the list anyway to write the
shard, the skipped count is known before any worker starts, and a night with nothing new
runs no pipeline at all. A side input would ship the whole ledger to every worker and
still read every path through the graph.

**How a file is recognised** (:func:`is_consumed`), cheapest test first:

- another path, or another size: not the same file, read it;
- same path, size and modification time: the same file, skipped without reading a byte
  (with ``--verify-checksums``, the driver hashes it and skips it only if the checksum matches);
- same path and size, another modification time (touched, copied again): the driver hashes
  the file and skips it only if the checksum matches.

Checksums of the files a run reads are computed by the read stage while it reads them
(``transforms/formats/checksum.py``), so recording them costs no extra I/O.

**What counts as consumed.** The read stage reads every file to its end, or to a reject that
says where and why it stopped (a cut file's ``truncated``, a page over the size limit). Files
that could not be opened get no checksum and are not recorded: the next run tries them again.
A file that no reader made sense of (:attr:`DumpSummary.reader_failed`: the whole file one
``undecodable`` page, a format this release does not read, as ARC files once were) is recorded
with the release that failed on it (``"reader": "0.2.0"``): runs of that release skip it, and
the first run of another release reads it again, with readers that may read it. A file is
compared in the algorithm of its recorded checksum, so the ``blake2b`` checksums of
earlier releases still match their files; one of an algorithm this release does not know
never matches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import apache_beam as beam
import orjson
from apache_beam.io.filesystems import FileSystems

import newsbeam
from newsbeam.transforms.formats.checksum import checksum_algorithm, file_checksum, known_algorithm
from newsbeam.transforms.formats.files import expand_input, is_hidden
from newsbeam.transforms.formats.source import DumpSummary

__all__ = [
    "CONSUMED_FILES",
    "InputFile",
    "LedgerEntry",
    "RecordConsumedFiles",
    "Selection",
    "is_consumed",
    "is_marker",
    "ledger_key",
    "ledger_shard_lines",
    "list_input_files",
    "load_ledger",
    "read_consumed",
    "read_failed",
    "select_files",
    "shard_path",
]

#: The release recorded with a file its readers failed on (``LedgerEntry.reader``).
READER_RELEASE = newsbeam.__version__
#: Written by the pipeline in the staging folder: path, checksum and reader failure of each file read.
CONSUMED_FILES = "_consumed.jsonl"
LEDGER_FOLDER = "ledger"
MARKER_SUFFIX = ".done"


@dataclass(frozen=True)
class InputFile:
    """One input file as the driver listed it."""

    path: str
    size: int
    mtime: float


@dataclass(frozen=True)
class LedgerEntry:
    path: str
    size: int
    mtime: float
    checksum: str
    run_id: str
    #: The newsbeam release whose readers failed on the file; empty when it was read.
    reader: str = ""


@dataclass(frozen=True)
class Selection:
    to_read: tuple[InputFile, ...]
    skipped: tuple[InputFile, ...]


def ledger_key(path: str) -> str:
    """Local paths are recorded absolute, so a run from another folder recognises them."""
    return path if "://" in path else os.path.abspath(path)


def shard_path(state_root: str, run_id: str) -> str:
    return f"{state_root}/{LEDGER_FOLDER}/{run_id}.jsonl"


def list_input_files(inputs: Sequence[str]) -> list[InputFile]:
    """Every file the ``--input`` folders, files and globs match, hidden files left out, sorted."""
    patterns = [expand_input(given) for given in inputs]
    found: dict[str, InputFile] = {}
    for result in FileSystems.match(patterns):
        for metadata in result.metadata_list:
            if is_hidden(metadata.path) or is_marker(metadata.path):
                continue
            found[metadata.path] = InputFile(
                metadata.path,
                int(metadata.size_in_bytes or 0),
                float(metadata.last_updated_in_seconds or 0.0),
            )
    return [found[path] for path in sorted(found)]


def is_marker(path: str) -> bool:
    """``NAME.done`` says that ``NAME`` is complete (``newsbeam watch``); it is not a dump."""
    return path.endswith(MARKER_SUFFIX)


def load_ledger(state_root: str, ignore_run_id: str | None = None) -> dict[str, list[LedgerEntry]]:
    """Every recorded file by ledger key; the shard of ``ignore_run_id`` (a rerun's own) is left out."""
    pattern = f"{state_root}/{LEDGER_FOLDER}/*.jsonl"
    try:
        shards = [metadata.path for metadata in FileSystems.match([pattern])[0].metadata_list]
    except Exception:  # noqa: BLE001 - no state folder yet: an empty ledger.
        return {}
    entries: dict[str, list[LedgerEntry]] = {}
    for shard in sorted(shards):
        if ignore_run_id is not None and shard.rsplit("/", 1)[-1] == f"{ignore_run_id}.jsonl":
            continue
        with FileSystems.open(shard) as handle:
            for line in handle.read().splitlines():
                if line.strip():
                    entry = LedgerEntry(**orjson.loads(line))
                    entries.setdefault(entry.path, []).append(entry)
    return entries


def is_consumed(
    listed: InputFile,
    recorded: Iterable[LedgerEntry],
    checksum_of: Callable[[str, str], str],
    verify: bool = False,
) -> bool:
    """Whether ``listed`` is a file an earlier run consumed (the rules in the module docstring).

    ``checksum_of(path, algorithm)`` hashes a file in the algorithm of the recorded checksum.
    """
    for entry in recorded:
        if entry.size != listed.size or not entry.checksum:
            continue
        if entry.reader and entry.reader != READER_RELEASE:
            continue  # another release's readers failed on it: this one's may not
        if entry.mtime == listed.mtime and not verify:
            return True
        algorithm = checksum_algorithm(entry.checksum)
        if known_algorithm(algorithm) and checksum_of(listed.path, algorithm) == entry.checksum:
            return True
    return False


def select_files(
    listed: Sequence[InputFile],
    ledger: Mapping[str, Sequence[LedgerEntry]],
    reprocess: bool = False,
    verify: bool = False,
    checksum_of: Callable[[str, str], str] = file_checksum,
) -> Selection:
    """Split the listing into files to read and files earlier runs consumed."""
    if reprocess:
        return Selection(tuple(listed), ())
    cache: dict[tuple[str, str], str] = {}

    def cached(path: str, algorithm: str) -> str:
        if (path, algorithm) not in cache:
            cache[path, algorithm] = checksum_of(path, algorithm)
        return cache[path, algorithm]

    to_read: list[InputFile] = []
    skipped: list[InputFile] = []
    for item in listed:
        recorded = ledger.get(ledger_key(item.path), ())
        (skipped if is_consumed(item, recorded, cached, verify) else to_read).append(item)
    return Selection(tuple(to_read), tuple(skipped))


def ledger_shard_lines(
    read: Sequence[InputFile], consumed: Mapping[str, str], run_id: str, failed: Collection[str] = ()
) -> bytes:
    """The shard of a run: the files it read that have a checksum, sorted, one JSON line each.

    ``failed``: the paths no reader made sense of, recorded with this release (module docstring).
    """
    lines = []
    for item in sorted(read, key=lambda listed: ledger_key(listed.path)):
        checksum = consumed.get(item.path, "")
        if checksum:
            reader = READER_RELEASE if item.path in failed else ""
            entry = LedgerEntry(ledger_key(item.path), item.size, item.mtime, checksum, run_id, reader)
            fields = {key: value for key, value in asdict(entry).items() if key != "reader" or value}
            lines.append(orjson.dumps(fields) + b"\n")
    return b"".join(lines)


def read_consumed(staging: str) -> dict[str, str]:
    """The checksums the read stage computed, by path, from ``STAGING/_consumed.jsonl``."""
    return {record["path"]: record["checksum"] for record in _consumed_records(staging)}


def read_failed(staging: str) -> set[str]:
    """The paths whose readers failed on them (:attr:`DumpSummary.reader_failed`), from the same file."""
    return {record["path"] for record in _consumed_records(staging) if record.get("reader_failed")}


def _consumed_records(staging: str) -> list[dict[str, Any]]:
    path = f"{staging}/{CONSUMED_FILES}"
    if not FileSystems.exists(path):
        return []
    with FileSystems.open(path) as handle:
        return [orjson.loads(line) for line in handle.read().splitlines() if line.strip()]


class RecordConsumedFiles(beam.PTransform):
    """Write ``STAGING/_consumed.jsonl`` from the read stage's :class:`DumpSummary` records."""

    def __init__(self, staging: str) -> None:
        super().__init__()
        self._staging = staging.rstrip("/")

    def expand(self, files: beam.PCollection[DumpSummary]) -> beam.PCollection[int]:
        return (
            files
            | "Path and checksum"
            >> beam.Map(lambda summary: (summary.path, summary.checksum, summary.reader_failed))
            | "All files" >> beam.combiners.ToList()
            | "Write consumed" >> beam.Map(_write_consumed, staging=self._staging)
        )


def _write_consumed(consumed: list[tuple[str, str, bool]], staging: str) -> int:
    body = b"".join(
        orjson.dumps({"path": path, "checksum": checksum, "reader_failed": failed}) + b"\n"
        for path, checksum, failed in sorted(consumed)
    )
    with FileSystems.create(f"{staging}/{CONSUMED_FILES}") as handle:
        handle.write(body)
    return len(consumed)
