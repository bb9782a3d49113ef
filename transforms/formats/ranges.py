"""Reading one big JSONL, WARC or ARC file on many workers, in byte ranges.

A nightly dump is often one 2 GB WARC or JSONL file; read as one element it would run on
one core. :func:`plan_ranges` cuts such a file into ranges of ``split_bytes`` (a multiple
of :data:`~.checksum.CHECKSUM_BLOCK`), and the read stage reads every range on
its own. A range owns the records that *start* inside it: its reader finds the first
record boundary at or after its start (:func:`find_record_start`) and reads records until
one starts at or after its end, reading that last one to its own end. So every record is
read exactly once, whatever the split, and memory does not grow with the file.

What can be split, and where a record starts:

* uncompressed JSONL (``.jsonl``, ``.ndjson``, ``.json``): after a newline;
* uncompressed WARC or ARC: a record start as :mod:`.boundaries` defines it (the same rule
  by which the archive reader finds the next record after a bad one, so a file gives the same
  records whole and in ranges);
* WARC or ARC gzipped record by record (as crawlers write it): a gzip member that
  decompresses to a record start. An archive whose first member is not one small record
  (the whole file compressed as one stream) is read whole, like gzipped JSONL, which is one
  stream that cannot be entered in the middle.

A page's ``record`` must count from the start of its *file* (docs/contracts.md), but a range does
not know how many pages the ranges before it hold. Its pages carry their range's index in
``Provenance.chunk`` and a ``record`` counted from the range's start; once the whole read
stage has run, :class:`~newsbeam.transforms.stages.read_indices.ResolveRecordIndices` adds the
pages of the earlier ranges (a side input of a few numbers per file), and to a JSONL reject's
line number the newlines of the earlier ranges. Files that are not split skip all of this.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.formats.boundaries import LOOKAHEAD, find_start, member_starts_record
from newsbeam.transforms.formats.checksum import CHECKSUM_BLOCK, RangeHashingReader, combine_block_digests
from newsbeam.transforms.formats.dumps import read_dump_range
from newsbeam.transforms.formats.jsonl import renumber_line
from newsbeam.transforms.formats.source import GZIP_MAGIC, DumpSummary
from newsbeam.transforms.model import Article, Duplicate, Page, Provenance, Reject

__all__ = [
    "FileRange",
    "find_record_start",
    "merge_range_summaries",
    "plan_file_ranges",
    "plan_ranges",
    "range_offsets",
    "read_file_range",
    "splittable_kind",
]

#: Bytes of a big file's head that the planner reads to decide whether it can be split.
HEAD_BYTES = 1 << 20


_JSONL_NAMES = (".jsonl", ".ndjson", ".json")


_SCAN_BYTES = 1 << 16


#: Bytes after a candidate boundary that are enough to check it (a WARC header block).
_LOOKAHEAD = LOOKAHEAD


_GZIP_MEMBER = GZIP_MAGIC + b"\x08"  # magic and the deflate method


@dataclass(frozen=True, order=True)
class FileRange:
    """Bytes ``[start, end)`` of the file ``path`` (of ``size`` bytes), range ``chunk`` of ``chunks``.

    ``kind`` is empty for a file read whole, else ``jsonl``, ``warc``, ``arc``, ``warc.gz`` or ``arc.gz``.
    """

    path: str
    start: int = 0
    end: int = 0
    size: int = 0
    chunk: int = 0
    chunks: int = 1
    kind: str = ""

    @property
    def is_split(self) -> bool:
        return self.chunks > 1


def splittable_kind(path: str, head: bytes) -> str | None:
    """``jsonl``, ``warc``, ``arc``, ``warc.gz`` or ``arc.gz``: a file with these first bytes can be split."""
    name = path.lower()
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    if head.startswith(GZIP_MAGIC):
        return _per_record_kind(head)
    if name.endswith(_JSONL_NAMES) and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return None


def _per_record_kind(head: bytes) -> str | None:
    """``warc.gz`` or ``arc.gz`` when the first gzip member ends within the head and starts a record."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        first = inflater.decompress(head)
    except zlib.error:
        return None
    if not inflater.eof:
        return None
    if first.startswith(b"WARC/"):
        return "warc.gz"
    if first.startswith(b"filedesc://"):
        return "arc.gz"
    return None


def plan_ranges(path: str, size: int, split_bytes: int, head: bytes | None) -> list[FileRange]:
    """The ranges in which to read ``path``: one (the whole file) unless it is big and splittable.

    ``head`` is the file's first bytes (up to :data:`HEAD_BYTES`), needed only when
    ``size > split_bytes``.
    """
    if split_bytes % CHECKSUM_BLOCK:
        raise ValueError(f"split_bytes must be a multiple of {CHECKSUM_BLOCK}, not {split_bytes}")
    kind = splittable_kind(path, head or b"") if size > split_bytes else None
    if kind is None:
        return [FileRange(path, 0, size, size)]
    chunks = -(-size // split_bytes)
    return [
        FileRange(path, i * split_bytes, min(size, (i + 1) * split_bytes), size, i, chunks, kind)
        for i in range(chunks)
    ]


def plan_file_ranges(files: Iterable[tuple[str, int]], split_bytes: int) -> list[FileRange]:
    """:func:`plan_ranges` for every ``(path, size)``, reading the heads of the big files."""
    planned: list[FileRange] = []
    for path, size in files:
        head = _read_head(path) if size > split_bytes else None
        planned.extend(plan_ranges(path, size, split_bytes, head))
    return planned


def _read_head(path: str) -> bytes:
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            return bytes(handle.read(HEAD_BYTES))
    except OSError:
        return b""  # the read stage reports the unreadable file


def find_record_start(
    read: Callable[[int], bytes], kind: str, length: int, after_newline: bool
) -> tuple[int, bytes] | None:
    """Where the first record starting in a range's first ``length`` bytes is.

    ``read`` reads the range from its first byte on; ``after_newline`` says whether the
    byte before the range is a newline (so a record may start at its first byte). Returns
    the record's offset from the range's start and the bytes read from that offset on, or
    ``None`` when no record starts inside the range.
    """
    buffer = b""
    base = 0  # file offset of buffer[0], from the range's start
    searched = 0  # buffer index from which candidates are still to be looked at
    at_end = False
    while True:
        if not at_end and len(buffer) - searched < _LOOKAHEAD + _SCAN_BYTES:
            chunk = read(_SCAN_BYTES)
            if chunk:
                buffer += chunk
                continue
            at_end = True
        stop = len(buffer) if at_end else len(buffer) - _LOOKAHEAD
        found = _next_candidate(buffer, searched, stop, kind, after_newline if base == 0 else None)
        if found is not None and base + found >= length:
            return None
        if found is not None:
            return base + found, buffer[found:]
        if at_end or base + stop >= length:
            return None
        # Keep one byte before the unsearched rest: a WARC line start looks at it.
        keep = max(stop - 1, 0)
        base, buffer, searched = base + keep, buffer[keep:], stop - keep


def _next_candidate(
    buffer: bytes, begin: int, stop: int, kind: str, after_newline: bool | None
) -> int | None:
    """The first index in ``[begin, stop)`` where a record of ``kind`` starts."""
    if kind == "jsonl":
        if begin == 0 and after_newline:
            return 0
        newline = buffer.find(b"\n", begin, stop)
        return None if newline < 0 else newline + 1
    if kind.endswith(".gz"):
        inner = kind.removesuffix(".gz")
        index = begin
        while (index := buffer.find(_GZIP_MEMBER, index, stop)) >= 0:
            if member_starts_record(buffer, index, inner):
                return index
            index += 1
        return None
    return find_start(buffer, begin, stop, kind, lambda index: index == 0 and bool(after_newline))


class PrefixedReader:
    """``prefix``, then the rest of ``stream``: a reader that starts on a record boundary."""

    def __init__(self, prefix: bytes, stream: Any) -> None:
        self._prefix = memoryview(prefix)
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self._prefix:
            return bytes(self._stream.read(size))
        if size is None or size < 0:
            data = bytes(self._prefix) + bytes(self._stream.read())
            self._prefix = memoryview(b"")
            return data
        data = bytes(self._prefix[:size])
        self._prefix = self._prefix[size:]
        return data

    def read1(self, size: int = -1) -> bytes:
        if self._prefix:
            return self.read(size if size and size > 0 else len(self._prefix))
        reader = getattr(self._stream, "read1", self._stream.read)
        return bytes(reader(size if size and size > 0 else _SCAN_BYTES))

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        pass  # the range reader closes the file


def open_range(stream: IO[bytes], file_range: FileRange) -> bool:
    """Position ``stream`` to read ``file_range``; whether the byte before the range is a newline."""
    if file_range.start == 0:
        return True
    stream.seek(file_range.start - 1)
    return stream.read(1) == b"\n"


def read_file_range(
    stream: Any, file_range: FileRange, summary: DumpSummary, max_page_bytes: int
) -> tuple[Iterable[Page | Reject], RangeHashingReader]:
    """The pages of one range of ``stream`` (a file opened for reading), and the reader that hashes the range.

    The pages' ``record`` count from the range's first page (module docstring); read them all,
    then :meth:`RangeHashingReader.finish` hashes the rest of the range and counts its newlines.
    """
    length = file_range.end - file_range.start
    after_newline = open_range(stream, file_range)
    hashing = RangeHashingReader(stream, length)
    found = find_record_start(hashing.read, file_range.kind, length, after_newline)
    if found is None:
        return (), hashing
    offset, prefix = found
    items = read_dump_range(
        PrefixedReader(prefix, hashing),  # type: ignore[arg-type]
        file_range.path,
        summary,
        max_page_bytes,
        file_range.kind,
        limit=length - offset,
        chunk=file_range.chunk,
        base=file_range.start + offset,
        first_line=1 if offset else 0,  # the range's first record starts after a newline
    )
    return items, hashing


def merge_range_summaries(path: str, summaries: Iterable[tuple[int, DumpSummary, bytes]]) -> DumpSummary:
    """One file's summary from its ranges' ``(chunk, summary, block digests)``, in file order."""
    ordered = sorted(summaries, key=lambda item: item[0])
    first = ordered[0][1]
    merged = dataclasses.replace(
        first,
        pages=0,
        rejects=0,
        skipped_records=0,
        skipped_by_type={},
        not_html_types={},
        http_statuses={},
        lines=0,
    )
    for _, summary, _ in ordered:
        merged.add(summary)
    complete = all(digests is not None for _, _, digests in ordered)
    merged.checksum = combine_block_digests(digests for _, _, digests in ordered) if complete else ""
    return merged


def range_offsets(per_range: Iterable[tuple[str, int, int, int]]) -> dict[tuple[str, int], tuple[int, int]]:
    """``(path, chunk) -> (pages, newlines)`` of the earlier ranges, from ``(path, chunk, pages, lines)``."""
    by_path: dict[str, list[tuple[int, int, int]]] = {}
    for path, chunk, pages, lines in per_range:
        by_path.setdefault(path, []).append((chunk, pages, lines))
    offsets: dict[tuple[str, int], tuple[int, int]] = {}
    for path, chunks in by_path.items():
        pages_before = lines_before = 0
        for chunk, pages, lines in sorted(chunks):
            offsets[(path, chunk)] = (pages_before, lines_before)
            pages_before += pages
            lines_before += lines
    return offsets


def resolve_record(
    record: Article | Reject | Duplicate, offsets: Mapping[tuple[str, int], tuple[int, int]]
) -> Article | Reject | Duplicate:
    """``record`` with its ``input.record`` (and a JSONL reject's line) counted from the start of its file."""
    where = record.input
    if not where.chunk:
        return record
    pages_before, lines_before = offsets[(where.path, where.chunk)]
    resolved = Provenance(where.path, where.record + pages_before)
    if isinstance(record, Article):
        record.input = resolved
        return record
    if isinstance(record, Reject):
        return dataclasses.replace(record, input=resolved, detail=renumber_line(record.detail, lines_before))
    return dataclasses.replace(record, input=resolved)
