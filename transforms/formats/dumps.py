"""Reading pages out of one dump file, whatever its format, as a stream.

:func:`read_dump` takes an open binary stream and the file's name and yields, for every
page in it, either a :class:`~newsbeam.transforms.model.Page` or a
:class:`~newsbeam.transforms.model.Reject` saying why that page (or that broken part of the
file) could not be read. It never raises for bad bytes: a truncated gzip, binary
garbage, a malformed JSONL line or an empty file each become one reject, so that every
page read is accounted for. The :class:`DumpSummary` it fills says what was found.

Formats (gzip on top of any, detected by its magic bytes, not by the name):

* WARC (``WARC/`` magic): ``response`` records are pages; other record types are
  skipped and counted in ``DumpSummary.skipped_records``.
* JSONL (``.jsonl``/``.ndjson``, or a first line that is a JSON object): one page per line,
  ``{"url", "html" | "text", "fetched_at"?, "headers"?}``.
* HTML (``.html``/``.htm``, or markup in the first bytes): one page.
* anything else: a plain-text page dump, one page.

Multi-page files are read record by record, so memory does not grow with the file.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsbeam.transforms.extraction.decoding import UndecodableError, charset_from_content_type, decode_page
from newsbeam.transforms.model import Page, Provenance, Reject

__all__ = ["GZIP_MAGIC", "DumpSummary", "read_dump", "read_dump_range", "sniff_format"]

GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 4096
_READ_CHUNK = 16 * 1024
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".json")
_WARC_EXTENSIONS = (".warc",)
_TEXT_EXTENSIONS = (".txt", ".text")
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)[\s>/]", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TRUNCATION_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


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
    #: The content checksum of the whole file (``transforms/formats/checksum.py``), for the ledger.
    checksum: str = ""

    def to_record(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "format": self.format,
            "compressed": self.compressed,
            "pages": self.pages,
            "rejects": self.rejects,
            "skipped_records": self.skipped_records,
            "checksum": self.checksum,
        }


def read_dump(
    stream: IO[bytes], path: str, summary: DumpSummary, max_page_bytes: int
) -> Iterator[Page | Reject]:
    """Yield every page of the dump in ``stream`` (see the module docstring)."""
    yield from _counted(_read_dump(stream, path, summary, max_page_bytes), summary)


def _counted(items: Iterator[Page | Reject], summary: DumpSummary) -> Iterator[Page | Reject]:
    for item in items:
        summary.pages += 1
        if isinstance(item, Reject):
            summary.rejects += 1
        yield item


def _read_dump(
    stream: IO[bytes], path: str, summary: DumpSummary, max_page_bytes: int
) -> Iterator[Page | Reject]:
    where = Provenance(path, 0)
    source = _Source(stream)
    try:
        head = source.peek()
    except OSError as error:
        yield Reject.of(where, "unreadable", f"the file cannot be read: {error}")
        return
    name = path.lower()
    if head.startswith(GZIP_MAGIC):
        summary.compressed = True
        source = _Source(gzip.GzipFile(fileobj=source.stream, mode="rb"))  # type: ignore[arg-type]
        head = source.peek()
        name = name.removesuffix(".gz").removesuffix(".gzip")
    if not head:
        if source.truncation:
            yield Reject.of(
                where, "truncated", f"the gzip stream is broken before any content: {source.truncation}"
            )
        else:
            summary.format = "empty"
            yield Reject.of(where, "empty_file", "the file is empty")
        return
    summary.format = sniff_format(name, head)
    readers = {"warc": _read_warc, "jsonl": _read_jsonl, "html": _read_single, "text": _read_single}
    yield from readers[summary.format](source, path, summary, max_page_bytes)
    if source.truncation and summary.format != "html" and summary.format != "text":
        detail = (
            f"the compressed file ends early or is corrupt, after {summary.pages} pages: {source.truncation}"
        )
        yield Reject.of(Provenance(path, summary.pages), "truncated", detail)


def read_dump_range(
    stream: IO[bytes], path: str, summary: DumpSummary, max_page_bytes: int, kind: str, limit: int, chunk: int
) -> Iterator[Page | Reject]:
    """The pages of one byte range of a big JSONL or WARC file (:mod:`newsbeam.transforms.formats.ranges`).

    ``stream`` starts on the range's first record; the records that start in its first
    ``limit`` bytes are read (the last one to its end, past ``limit``). ``kind`` is
    ``jsonl``, ``warc`` or ``warc.gz`` (gzipped record by record, which warcio reads as
    it comes, so that record offsets count compressed bytes like ``limit``).
    """
    yield from _counted(_read_range(stream, path, summary, max_page_bytes, kind, limit, chunk), summary)


def _read_range(
    stream: IO[bytes], path: str, summary: DumpSummary, max_page_bytes: int, kind: str, limit: int, chunk: int
) -> Iterator[Page | Reject]:
    source = _Source(stream)
    summary.format = "jsonl" if kind == "jsonl" else "warc"
    summary.compressed = kind.endswith(".gz")
    reader = _read_jsonl if kind == "jsonl" else _read_warc
    yield from reader(source, path, summary, max_page_bytes, limit, chunk)
    if source.truncation:
        detail = (
            f"the file ends early or is corrupt, {summary.pages} pages into the range: {source.truncation}"
        )
        yield Reject.of(Provenance(path, summary.pages, chunk), "truncated", detail)


def sniff_format(name: str, head: bytes) -> str:
    """``warc``, ``jsonl``, ``html`` or ``text``, from the first bytes and then the name."""
    if head.startswith(b"WARC/"):
        return "warc"
    if name.endswith(_JSONL_EXTENSIONS):
        return "jsonl"
    if name.endswith(_HTML_EXTENSIONS):
        return "html"
    if name.endswith(_WARC_EXTENSIONS):
        return "warc"
    if name.endswith(_TEXT_EXTENSIONS):
        return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        first_line = stripped.split(b"\n", 1)[0]
        try:
            if isinstance(orjson.loads(first_line), dict):
                return "jsonl"
        except orjson.JSONDecodeError:
            pass
    if _MARKUP.search(stripped[:_SNIFF_BYTES]):
        return "html"
    return "text"


class _Source:
    """A buffered, peekable stream that turns a cut-short compressed stream into an early end.

    A gzip stream cut short raises on the read that reaches the cut, and ``read(n)`` loses
    the bytes it had decompressed before it. Here the reads use ``read1`` (what is ready),
    and the error ends the stream and is kept in ``truncation``; each reader then keeps
    the whole pages before the cut and the cut itself becomes one reject.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.truncation: str | None = None
        self.stream = io.BufferedReader(_RawAdapter(stream, self), buffer_size=64 * 1024)

    def peek(self) -> bytes:
        return self.stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]


class _RawAdapter(io.RawIOBase):
    def __init__(self, stream: IO[bytes], source: _Source) -> None:
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


def _read_single(
    source: _Source, path: str, summary: DumpSummary, max_page_bytes: int
) -> Iterator[Page | Reject]:
    where = Provenance(path, 0)
    data = source.stream.read(max_page_bytes + 1)
    if source.truncation:
        yield Reject.of(
            where, "truncated", f"the compressed file ends early or is corrupt: {source.truncation}"
        )
        return
    if len(data) > max_page_bytes:
        yield Reject.of(
            where, "too_large", f"the page is larger than read.max_page_bytes ({max_page_bytes} bytes)"
        )
        return
    yield _page_from_bytes(data, where, url=None, as_html=summary.format == "html", charset=None)


def _page_from_bytes(
    data: bytes,
    where: Provenance,
    url: str | None,
    as_html: bool,
    charset: str | None,
    fetched_at: str | None = None,
    headers: dict[str, str] | None = None,
) -> Page | Reject:
    try:
        content = decode_page(data, charset)
    except UndecodableError as error:
        return Reject.of(where, "undecodable", f"the page's bytes are not text: {error}")
    if not content.strip():
        return Reject.of(where, "empty_body", "the page holds no text")
    if as_html:
        return Page(input=where, url=url, html=content, fetched_at=fetched_at, headers=headers or {})
    return Page(input=where, url=url, text=content, fetched_at=fetched_at, headers=headers or {})


def _read_jsonl(
    source: _Source,
    path: str,
    summary: DumpSummary,
    max_page_bytes: int,
    limit: int | None = None,
    chunk: int = 0,
) -> Iterator[Page | Reject]:
    index = position = 0
    while limit is None or position < limit:
        line = source.stream.readline()
        position += len(line)
        if not line or (source.truncation and not line.endswith(b"\n")):
            return  # the end, or the start of a line the cut took away (its reject follows)
        if not line.strip():
            continue
        yield _page_from_json_line(line, Provenance(path, index, chunk), max_page_bytes)
        index += 1


def _page_from_json_line(line: bytes, where: Provenance, max_page_bytes: int) -> Page | Reject:
    excerpt = line[:400].decode("utf-8", "replace")
    if len(line) > max_page_bytes:
        return Reject.of(
            where, "too_large", f"the record is larger than read.max_page_bytes ({max_page_bytes} bytes)"
        )
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return Reject.of(
            where, "malformed_record", f"line {where.record + 1} is not valid JSON: {error}", excerpt
        )
    if not isinstance(record, dict):
        return Reject.of(where, "malformed_record", "the line is JSON but not an object", excerpt)
    html, text, url = record.get("html"), record.get("text"), record.get("url")
    if not isinstance(html, str) and not isinstance(text, str):
        return Reject.of(
            where, "malformed_record", "the record has neither an 'html' nor a 'text' string", excerpt
        )
    if url is not None and not isinstance(url, str):
        return Reject.of(where, "malformed_record", "the record's 'url' is not a string", excerpt)
    fetched_at = record.get("fetched_at")
    headers = record.get("headers")
    content = html if isinstance(html, str) else str(text)
    if not content.strip():
        return Reject.of(where, "empty_body", "the record's page is empty", excerpt)
    return Page(
        input=where,
        url=url,
        html=html if isinstance(html, str) else None,
        text=None if isinstance(html, str) else text,
        fetched_at=fetched_at if isinstance(fetched_at, str) else None,
        headers={str(k).lower(): str(v) for k, v in headers.items()} if isinstance(headers, dict) else {},
    )


def _read_warc(
    source: _Source,
    path: str,
    summary: DumpSummary,
    max_page_bytes: int,
    limit: int | None = None,
    chunk: int = 0,
) -> Iterator[Page | Reject]:
    index = 0
    records = ArchiveIterator(source.stream, arc2warc=True)
    while True:
        where = Provenance(path, index, chunk)
        try:
            record = next(records)
            is_page = record.rec_type == "response"
            page = _page_from_warc_record(record, where, max_page_bytes) if is_page else None
            if is_page and source.truncation and getattr(record.raw_stream, "limit", 0) > 0:
                return  # the cut fell inside this record: the reject for the cut follows
            # warcio knows a record's offset only once it has read it to its end.
            if limit is not None and records.get_record_offset() >= limit:
                return  # the first record of the next range
            if page is None:
                summary.skipped_records += 1
                continue
        except StopIteration:
            return
        except (*_TRUNCATION_ERRORS, ArchiveLoadFailed, ValueError) as error:
            if source.truncation is None:  # else the reject for the cut follows
                yield Reject.of(where, "truncated", f"the WARC file ends early or is corrupt: {error}")
            return
        index += 1
        yield page


def _page_from_warc_record(record: Any, where: Provenance, max_page_bytes: int) -> Page | Reject:
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched_at = record.rec_headers.get_header("WARC-Date")
    http = record.http_headers
    content_type = http.get_header("Content-Type") if http is not None else None
    status = http.get_statuscode() if http is not None else None
    data = record.content_stream().read(max_page_bytes + 1)
    if len(data) > max_page_bytes:
        return Reject.of(
            where, "too_large", f"the response is larger than read.max_page_bytes ({max_page_bytes} bytes)"
        )
    if status and not str(status).startswith("2"):
        return Reject.of(where, "http_error", f"the response of {url} has HTTP status {status}")
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime and mime not in _HTML_TYPES and not mime.startswith("text/"):
        return Reject.of(where, "not_html", f"the response of {url} is {mime}, not a page")
    headers = {"content-type": content_type} if content_type else {}
    as_html = mime != "text/plain"
    return _page_from_bytes(
        data, where, url, as_html, charset_from_content_type(content_type), fetched_at, headers
    )
