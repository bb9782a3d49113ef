"""Reading pages out of one dump file, whatever its format, as a stream.

:func:`read_dump` takes an open binary stream and the file's name and yields, for every
page in it, either a :class:`~newsbeam.transforms.model.Page` or a
:class:`~newsbeam.transforms.model.Reject` saying why that page (or that broken part of the
file) could not be read. It never raises for bad bytes: a truncated gzip, binary
garbage, a malformed record or an empty file each become a reject, so that every
page read is accounted for. The :class:`DumpSummary` it fills says what was found.

Formats (:func:`~.sniff.sniff_format`; gzip on top of any, detected by its magic bytes):

* WARC (``WARC/`` magic) and ARC (``filedesc://``): :mod:`.warc`, record by record;
* JSONL (``.jsonl``/``.ndjson``, or a first line that is a JSON object): :mod:`.jsonl`;
* HTML (``.html``/``.htm``, or markup in the first bytes): one page, unless its bytes hold a
  script, a stylesheet, JSON or a feed (``not_html``);
* anything else: a plain-text page dump, one page.

Multi-page files are read record by record, so memory does not grow with the file.
:func:`read_dump_range` reads one byte range of a big file (:mod:`.ranges`).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import IO

from newsbeam.transforms.formats.jsonl import read_jsonl
from newsbeam.transforms.formats.pages import page_from_bytes
from newsbeam.transforms.formats.sniff import SNIFF_BYTES, not_page, sniff_format
from newsbeam.transforms.formats.source import GZIP_MAGIC, DumpSummary, Source
from newsbeam.transforms.formats.warc import read_archive
from newsbeam.transforms.model import Page, Provenance, Reject

__all__ = ["GZIP_MAGIC", "DumpSummary", "read_dump", "read_dump_range", "sniff_format"]


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
    source = Source(stream)
    try:
        head = source.peek()
    except OSError as error:
        summary.reader_failed = True
        yield Reject.of(where, "unreadable", f"the file cannot be read: {error}")
        return
    name = path.lower()
    gzipped = head.startswith(GZIP_MAGIC)
    if gzipped:
        summary.compressed = True
        name = name.removesuffix(".gz").removesuffix(".gzip")
        inner = _first_decompressed(head)
        if inner.startswith((b"WARC/", b"filedesc://")):
            summary.format = sniff_format(name, inner)
            yield from read_archive(source.stream, path, summary, max_page_bytes, summary.format, True)
            return
        source = Source(gzip.GzipFile(fileobj=source.stream, mode="rb"))  # type: ignore[arg-type]
        head = source.peek()
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
    if summary.format in ("warc", "arc"):
        yield from read_archive(source.stream, path, summary, max_page_bytes, summary.format, False)
        return
    if summary.format == "jsonl":
        yield from read_jsonl(source, path, summary, max_page_bytes)
        if source.truncation:
            detail = f"the compressed file ends early or is corrupt, after {summary.pages} pages: " + (
                source.truncation
            )
            yield Reject.of(Provenance(path, summary.pages), "truncated", detail)
        return
    yield _read_single(source, path, summary, max_page_bytes)


def _first_decompressed(head: bytes) -> bytes:
    """The first bytes a gzip stream starting with ``head`` decompresses to (blank lines left out)."""
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 64).lstrip(b"\r\n")
    except zlib.error:
        return b""


def read_dump_range(
    stream: IO[bytes],
    path: str,
    summary: DumpSummary,
    max_page_bytes: int,
    kind: str,
    limit: int,
    chunk: int,
    base: int = 0,
    first_line: int = 0,
) -> Iterator[Page | Reject]:
    """The pages of one byte range of a big JSONL, WARC or ARC file (:mod:`.ranges`).

    ``stream`` starts on the range's first record, at byte ``base`` of the file; the records
    that start in its first ``limit`` bytes are read (the last one to its end, past ``limit``).
    ``kind`` is ``jsonl``, ``warc``, ``arc``, ``warc.gz`` or ``arc.gz`` (gzipped record by
    record, so that record offsets count compressed bytes like ``limit``). ``first_line``:
    the newlines between the range's start and ``stream``'s first byte.
    """
    yield from _counted(
        _read_range(stream, path, summary, max_page_bytes, kind, limit, chunk, base, first_line), summary
    )


def _read_range(
    stream: IO[bytes],
    path: str,
    summary: DumpSummary,
    max_page_bytes: int,
    kind: str,
    limit: int,
    chunk: int,
    base: int,
    first_line: int,
) -> Iterator[Page | Reject]:
    summary.compressed = kind.endswith(".gz")
    summary.format = kind.removesuffix(".gz")
    if summary.format == "jsonl":
        yield from read_jsonl(Source(stream), path, summary, max_page_bytes, limit, chunk, first_line)
        return
    yield from read_archive(
        stream, path, summary, max_page_bytes, summary.format, summary.compressed, limit, chunk, base
    )


def _read_single(source: Source, path: str, summary: DumpSummary, max_page_bytes: int) -> Page | Reject:
    where = Provenance(path, 0)
    data = source.stream.read(max_page_bytes + 1)
    if source.truncation:
        return Reject.of(
            where, "truncated", f"the compressed file ends early or is corrupt: {source.truncation}"
        )
    if len(data) > max_page_bytes:
        return Reject.of(
            where, "too_large", f"the page is larger than read.max_page_bytes ({max_page_bytes} bytes)"
        )
    as_html = summary.format == "html"
    if as_html:
        verdict = not_page(None, data[:SNIFF_BYTES], strict=False)
        if verdict is not None and not verdict.startswith("application/octet-stream"):
            summary.count_not_html("none")
            return Reject.of(where, "not_html", f"the file is {verdict}, not a page")
    outcome = page_from_bytes(data, where, url=None, as_html=as_html)
    if isinstance(outcome, Reject) and outcome.reason == "undecodable":
        summary.reader_failed = True  # no reader makes sense of it: a later release's may
    return outcome
