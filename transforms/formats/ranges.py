"""Reading one big JSONL or WARC file on many workers, in byte ranges.

A nightly dump is often one 2 GB WARC or JSONL file; read as one element it would run on
one core. :func:`plan_ranges` cuts such a file into ranges of ``split_bytes`` (a multiple
of :data:`~.checksum.CHECKSUM_BLOCK`), and the read stage reads every range on
its own. A range owns the records that *start* inside it: its reader finds the first
record boundary at or after its start (:func:`find_record_start`) and reads records until
one starts at or after its end, reading that last one to its own end. So every record is
read exactly once, whatever the split, and memory does not grow with the file.

What can be split, and where a record starts:

* uncompressed JSONL (``.jsonl``, ``.ndjson``, ``.json``): after a newline;
* uncompressed WARC: a line ``WARC/1.x`` whose header block holds ``WARC-Type`` and
  ``Content-Length``;
* WARC gzipped record by record (``.warc.gz``, as crawlers write it): a gzip member that
  decompresses to ``WARC/``. A ``.warc.gz`` whose first member is not one small record
  (the whole file compressed as one stream) is read whole, like gzipped JSONL, which is one
  stream that cannot be entered in the middle.

A page's ``record`` must count from the start of its *file* (docs/contracts.md), but a range does
not know how many pages the ranges before it hold. Its pages carry their range's index in
``Provenance.chunk`` and a ``record`` counted from the range's start; once the whole read
stage has run, :class:`~newsbeam.transforms.stages.read_indices.ResolveRecordIndices` adds the
pages of the earlier ranges (a side input of a few numbers per file). Files that are not split
skip all of this.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.formats.checksum import CHECKSUM_BLOCK, combine_block_digests
from newsbeam.transforms.formats.dumps import GZIP_MAGIC, DumpSummary
from newsbeam.transforms.model import Article, Duplicate, Provenance, Reject

__all__ = [
    "FileRange",
    "find_record_start",
    "merge_range_summaries",
    "plan_file_ranges",
    "plan_ranges",
    "range_offsets",
    "splittable_kind",
]

#: Bytes of a big file's head that the planner reads to decide whether it can be split.
HEAD_BYTES = 1 << 20


_JSONL_NAMES = (".jsonl", ".ndjson", ".json")


_WARC_GZ_NAMES = (".warc.gz", ".warc.gzip")


_SCAN_BYTES = 1 << 16


#: Bytes after a candidate boundary that are enough to check it (a WARC header block).
_LOOKAHEAD = 1 << 14


_GZIP_MEMBER = GZIP_MAGIC + b"\x08"  # magic and the deflate method


_WARC_VERSION_LINE = re.compile(rb"WARC/1\.[0-9]\r\n")


@dataclass(frozen=True, order=True)
class FileRange:
    """Bytes ``[start, end)`` of the file ``path`` (of ``size`` bytes), range ``chunk`` of ``chunks``.

    ``kind`` is empty for a file read whole, else ``jsonl``, ``warc`` or ``warc.gz``.
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
    """``jsonl``, ``warc`` or ``warc.gz`` when a file with these first bytes can be read in ranges."""
    name = path.lower()
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(GZIP_MAGIC):
        if name.endswith(_WARC_GZ_NAMES) and _first_member_is_one_record(head):
            return "warc.gz"
        return None
    if name.endswith(_JSONL_NAMES) and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return None


def _first_member_is_one_record(head: bytes) -> bool:
    """A WARC gzipped per record: its first member ends within the head and holds a WARC record."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        first = inflater.decompress(head)
    except zlib.error:
        return False
    return first.startswith(b"WARC/") and inflater.eof


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
    gzipped = kind == "warc.gz"
    marker = _GZIP_MEMBER if gzipped else b"WARC/1."
    index = begin
    while (index := buffer.find(marker, index, stop)) >= 0:
        if gzipped and _is_warc_member(buffer, index):
            return index
        if not gzipped and _is_warc_header(buffer, index, after_newline):
            return index
        index += 1
    return None


def _is_warc_member(buffer: bytes, index: int) -> bool:
    try:
        inflated = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(buffer[index : index + _LOOKAHEAD], 16)
    except zlib.error:
        return False
    return inflated.startswith(b"WARC/")


def _is_warc_header(buffer: bytes, index: int, after_newline: bool | None) -> bool:
    line_start = buffer[index - 1 : index] == b"\n" if index else bool(after_newline)
    if not line_start:
        return False
    if not _WARC_VERSION_LINE.match(buffer, index):
        return False
    block_end = buffer.find(b"\r\n\r\n", index, index + _LOOKAHEAD)
    if block_end < 0:
        return False
    block = buffer[index:block_end].lower()
    return b"\r\nwarc-type:" in block and b"\r\ncontent-length:" in block


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


def merge_range_summaries(path: str, summaries: Iterable[tuple[int, DumpSummary, bytes]]) -> DumpSummary:
    """One file's summary from its ranges' ``(chunk, summary, block digests)``, in file order."""
    ordered = sorted(summaries, key=lambda item: item[0])
    first = ordered[0][1]
    merged = dataclasses.replace(first, pages=0, rejects=0, skipped_records=0)
    for _, summary, _ in ordered:
        merged.pages += summary.pages
        merged.rejects += summary.rejects
        merged.skipped_records += summary.skipped_records
    complete = all(digests is not None for _, _, digests in ordered)
    merged.checksum = combine_block_digests(digests for _, _, digests in ordered) if complete else ""
    return merged


def range_offsets(pages_per_range: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int], int]:
    """``(path, chunk) -> pages in the file's earlier ranges``, from ``(path, chunk, pages)``."""
    by_path: dict[str, list[tuple[int, int]]] = {}
    for path, chunk, pages in pages_per_range:
        by_path.setdefault(path, []).append((chunk, pages))
    offsets: dict[tuple[str, int], int] = {}
    for path, chunks in by_path.items():
        before = 0
        for chunk, pages in sorted(chunks):
            offsets[(path, chunk)] = before
            before += pages
    return offsets


def resolve_record(
    record: Article | Reject | Duplicate, offsets: Mapping[tuple[str, int], int]
) -> Article | Reject | Duplicate:
    """``record`` with its ``input.record`` counted from the start of its file."""
    where = record.input
    if not where.chunk:
        return record
    resolved = Provenance(where.path, where.record + offsets[(where.path, where.chunk)])
    if isinstance(record, Article):
        record.input = resolved
        return record
    return dataclasses.replace(record, input=resolved)
