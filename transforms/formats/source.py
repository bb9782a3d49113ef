"""What the readers share: the summary of one file, and a stream that survives a cut-short gzip.

:class:`DumpSummary` is what one file (or one byte range of it) held: its format, how many
pages it gave and how many were rejects, the archive records skipped by type, the media types
of its ``not_html`` rejects and the statuses of its ``http_error`` ones (for the manifest),
and whether no reader could make sense of it (for the ledger, ``pipeline/running/ledger.py``).

:class:`Source` is the buffered, peekable stream the JSONL and single-page readers read from:
a gzip stream cut short raises on the read that reaches the cut and ``read(n)`` would lose the
bytes decompressed before it, so reads use ``read1`` and the error ends the stream and is kept
in :attr:`Source.truncation`; each reader keeps the whole pages before the cut, and the cut
becomes one reject.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

__all__ = ["GZIP_MAGIC", "DumpSummary", "Source"]

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 4096
_READ_CHUNK = 16 * 1024
_TRUNCATION_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
#: Distinct keys a summary counts per map; more are counted under ``other``.
_MAX_KEYS = 50


@dataclass
class DumpSummary:
    """What one file held: its format and how many pages (good or rejected) it gave."""

    path: str
    size: int = 0
    format: str = "unknown"
    compressed: bool = False
    pages: int = 0
    rejects: int = 0
    skipped_records: int = 0
    #: Archive records that are not pages, by type (``request``, ``dns``, ``other``...).
    skipped_by_type: dict[str, int] = field(default_factory=dict)
    #: ``not_html`` rejects by declared media type (``none`` when there was none).
    not_html_types: dict[str, int] = field(default_factory=dict)
    #: ``http_error`` rejects by HTTP status.
    http_statuses: dict[str, int] = field(default_factory=dict)
    #: Newlines in the bytes of a byte range (JSONL line numbers, ``formats/ranges.py``).
    lines: int = 0
    #: No reader made sense of the file (it is one ``undecodable`` page, or could not be read):
    #: the ledger has the next release's readers try it again.
    reader_failed: bool = False
    #: The content checksum of the whole file (``transforms/formats/checksum.py``), for the ledger.
    checksum: str = ""

    def skip(self, rec_type: str) -> None:
        self.skipped_records += 1
        _count(self.skipped_by_type, rec_type)

    def count_not_html(self, media: str) -> None:
        _count(self.not_html_types, media)

    def count_status(self, status: int) -> None:
        _count(self.http_statuses, str(status or "unreadable"))

    def add(self, other: DumpSummary) -> None:
        """Add ``other``'s counts (another range of the same file) to these."""
        self.pages += other.pages
        self.rejects += other.rejects
        self.skipped_records += other.skipped_records
        self.lines += other.lines
        self.reader_failed = self.reader_failed or other.reader_failed
        for mine, theirs in (
            (self.skipped_by_type, other.skipped_by_type),
            (self.not_html_types, other.not_html_types),
            (self.http_statuses, other.http_statuses),
        ):
            for key, count in theirs.items():
                _count(mine, key, count)

    def to_record(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "format": self.format,
            "compressed": self.compressed,
            "pages": self.pages,
            "rejects": self.rejects,
            "skipped_records": self.skipped_records,
            "skipped_by_type": dict(sorted(self.skipped_by_type.items())),
            "not_html_types": dict(sorted(self.not_html_types.items())),
            "http_statuses": dict(sorted(self.http_statuses.items())),
            "reader_failed": self.reader_failed,
            "checksum": self.checksum,
        }


def _count(counts: dict[str, int], key: str, by: int = 1) -> None:
    if key not in counts and len(counts) >= _MAX_KEYS:
        key = "other"
    counts[key] = counts.get(key, 0) + by


class Source:
    """A buffered, peekable stream that turns a cut-short compressed stream into an early end."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.truncation: str | None = None
        self.stream = io.BufferedReader(_RawAdapter(stream, self), buffer_size=64 * 1024)

    def peek(self) -> bytes:
        return self.stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]


class _RawAdapter(io.RawIOBase):
    def __init__(self, stream: IO[bytes], source: Source) -> None:
        self._read = getattr(stream, "read1", stream.read)
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._source.truncation:
            return 0
        try:
            data = self._read(min(len(buffer), _READ_CHUNK))
        except _TRUNCATION_ERRORS as error:
            self._source.truncation = str(error) or type(error).__name__
            return 0
        buffer[: len(data)] = data
        return len(data)
