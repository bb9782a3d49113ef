"""Framing a WARC or ARC file into records, so that a bad record costs only itself.

warcio parses each record's header block (WARC, or ARC read as WARC), but this module decides
where records begin and end, because warcio's iterator stops for good at the first record it
cannot read, and a record whose declared length runs past the end of the file comes out of it
as a short record, which would become a partial article.

:func:`read_records` yields, in file order, a :class:`Framed` record for each record whose
header block parses and whose declared length ends where the next record (or the file)
begins, and a :class:`Damage` for each place it could not read:

* a record whose header block does not parse, whose ``Content-Length`` is not a number, or
  whose length does not end at a record boundary: ``malformed_record``, then the reader looks
  for the next record start (:mod:`.boundaries`) from the byte after the bad record's start,
  so records that a too-long length swallowed are read after all;
* a corrupt gzip member (:class:`~.stream.Inflater`): ``malformed_record``, and reading goes
  on at the next member that starts a record; when there is none, ``truncated``;
* the end of the file inside a record or a gzip member: ``truncated``, and reading stops.

``limit`` (for a byte range, :mod:`.ranges`): stop at the first record that starts at or after
it. Offsets are raw file offsets, of the gzip member a record starts in when compressed.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders

from newsbeam.transforms.formats.boundaries import LOOKAHEAD, find_start, is_start
from newsbeam.transforms.formats.stream import Cursor, Inflater

__all__ = ["Damage", "Framed", "read_records", "take_warcio_warnings"]

_LINE_BYTES = 64 * 1024
_HEADER_BYTES = 256 * 1024
_HEADER_LINES = 1000
#: Bytes of a record's content kept when the whole is larger than the reader keeps.
HEAD_BYTES = 64 * 1024
_SCAN_BYTES = 1 << 16
_LOADER = ArcWarcRecordLoader(verify_http=False, arc2warc=True)
_WARC_VERSION = re.compile(rb"WARC/[0-9]{1,2}\.[0-9]{1,2}\r?\n$")
_WARC_PREFIX = re.compile(rb"(?:W|WA|WAR|WARC|WARC/[0-9.]{0,5}\r?)$")


@dataclass
class Framed:
    """One record: its type, WARC headers, and content (``whole``, or its first bytes)."""

    offset: int
    format: str
    rec_type: str
    headers: StatusAndHeaders
    length: int
    content: bytes
    whole: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class Damage:
    """A place the reader could not read: a bad record, a corrupt member, or the file's cut end."""

    offset: int
    reason: Literal["malformed_record", "truncated"]
    detail: str
    #: The record's type and target URI when its header block could be read.
    rec_type: str | None = None
    uri: str | None = None


def read_records(
    inflater: Inflater, kind: str, keep: int, limit: int | None = None
) -> Iterator[Framed | Damage]:
    """The records and damaged places of the stream (see the module docstring).

    ``kind`` is ``warc`` or ``arc``; ``keep``: the most content bytes of one record to hold.
    """
    cursor = Cursor(inflater)
    base = inflater.base
    while True:
        cursor.skip_blank()
        start = cursor.position
        inflater.forget_before(start)
        head = cursor.peek(LOOKAHEAD)
        if not head or not is_start(head, 0, kind):
            if len(head) < LOOKAHEAD and inflater.state:
                if inflater.state == "eof" and not head:
                    return
                damage, go_on = _stop(cursor, inflater, inflater.anchor(start), partial=bool(head))
                yield damage
                if go_on:
                    continue
                return
            _scan(cursor, kind, previous_newline=True)  # bytes before the first record
            continue
        offset = inflater.anchor(start)
        if limit is not None and offset >= limit:
            return
        block = _read_block(cursor, kind)
        parsed = _parse_block(block, kind)
        if isinstance(parsed, str):
            yield Damage(base + offset, "malformed_record", f"the record at byte {base + offset} {parsed}")
            cursor.unread(block[1:])
            _scan(cursor, kind, previous_newline=False)
            continue
        rec_type, headers, length = parsed
        warnings = take_warcio_warnings()
        uri = headers.get_header("WARC-Target-URI")
        where = f"the {rec_type} record at byte {base + offset}"
        if length is None:
            declared = headers.get_header("Content-Length")
            yield Damage(
                base + offset,
                "malformed_record",
                f"{where} has no valid length ({declared!r})",
                rec_type,
                uri,
            )
            cursor.unread(block[1:])
            _scan(cursor, kind, previous_newline=False)
            continue
        content, got, whole, last = _read_content(cursor, length, keep)
        if got < length:
            if whole:
                cursor.unread((block + content)[1:])
                if _scan(cursor, kind, previous_newline=False):
                    yield Damage(
                        base + offset,
                        "malformed_record",
                        f"{where} declares {length} bytes, which run past the next record",
                        rec_type,
                        uri,
                    )
                    continue
            damage, go_on = _stop(cursor, inflater, offset, partial=True, what=where, rec_type=rec_type)
            damage.uri = uri
            yield damage
            if go_on:
                continue
            return
        blank = cursor.skip_blank()
        if not _ends_well(cursor, inflater, kind, blank[-1:] or last or block[-1:]):
            yield Damage(
                base + offset,
                "malformed_record",
                f"{where} declares {length} bytes, which do not end where the next record starts",
                rec_type,
                uri,
            )
            if whole:
                cursor.unread((block + content + blank)[1:])
            _scan(cursor, kind, previous_newline=not whole and blank.endswith(b"\n"))
            continue
        yield Framed(base + offset, kind, rec_type, headers, length, content, whole, warnings)


def _read_block(cursor: Cursor, kind: str) -> bytes:
    """The record's header block (a WARC header block, or an ARC header line), read whole."""
    lines = [cursor.readline(_LINE_BYTES)]
    if kind == "arc":
        if lines[0].startswith(b"filedesc://"):
            lines += [cursor.readline(_LINE_BYTES), cursor.readline(_LINE_BYTES)]
        return b"".join(lines)
    size = len(lines[0])
    while len(lines) < _HEADER_LINES and size < _HEADER_BYTES:
        line = cursor.readline(_LINE_BYTES)
        lines.append(line)
        size += len(line)
        if not line or not line.strip(b"\r\n"):
            break
    return b"".join(lines)


def _parse_block(block: bytes, kind: str) -> tuple[str, StatusAndHeaders, int | None] | str:
    """(type, headers, content length or ``None`` if it is not valid), or what is wrong with the block."""
    try:
        record = _LOADER.parse_record_stream(io.BytesIO(block), known_format=kind, no_record_parse=True)
    except Exception as error:  # noqa: BLE001 - warcio raises many kinds on bad header bytes; each is a bad record.
        return f"has a header block warcio cannot parse: {type(error).__name__}: {error}"
    headers = record.rec_headers
    declared = headers.get_header("Content-Length")
    below = headers.total_len if kind == "arc" else 0
    text = (declared or "").strip()
    rec_type = (record.rec_type or "").strip().lower() or "unknown"
    if not text.isdigit() or int(text) < below:
        return rec_type, headers, None
    return rec_type, headers, int(text) - below


def _read_content(cursor: Cursor, length: int, keep: int) -> tuple[bytes, int, bool, bytes]:
    """(content kept, bytes there were, whether what is kept is the whole, the last byte read)."""
    whole = length <= keep
    kept = bytearray()
    got = 0
    last = b""
    while got < length:
        piece = cursor.read(min(length - got, _SCAN_BYTES))
        if not piece:
            break
        if whole or len(kept) < HEAD_BYTES:
            kept += piece if whole else piece[: HEAD_BYTES - len(kept)]
        got += len(piece)
        last = piece[-1:]
    return bytes(kept), got, whole, last


def _ends_well(cursor: Cursor, inflater: Inflater, kind: str, before: bytes) -> bool:
    """Whether a record's declared end is followed by the next record, or the stream's stop."""
    head = cursor.peek(LOOKAHEAD)
    if not head:
        return True
    if not (before.endswith(b"\n") or inflater.member_start(cursor.position)):
        return False
    if is_start(head, 0, kind):
        return True
    # The stream stops inside the next record's start: that record is the damaged one.
    stopped = len(head) < LOOKAHEAD and inflater.state != ""
    return stopped and (inflater.state != "eof" or _begins_start(head, kind))


def _begins_start(head: bytes, kind: str) -> bool:
    """Whether ``head`` (the file's last bytes) is the first part of a record start."""
    if kind == "arc":
        return b"\n" not in head
    first, newline, _ = head.partition(b"\n")
    if newline:
        return _WARC_VERSION.match(first + newline) is not None
    return _WARC_PREFIX.match(head) is not None


def _scan(cursor: Cursor, kind: str, previous_newline: bool) -> bool:
    """Read on to the next record start; False if the stream stops first."""
    inflater = cursor.source
    while True:
        window = cursor.peek(_SCAN_BYTES + LOOKAHEAD)
        if not window:
            return False
        stopped = len(window) < _SCAN_BYTES + LOOKAHEAD
        stop = len(window) if stopped else _SCAN_BYTES
        position = cursor.position
        first_newline = previous_newline

        def line_start(index: int, position: int = position, first_newline: bool = first_newline) -> bool:
            return (index == 0 and first_newline) or inflater.member_start(position + index)

        found = find_start(window, 0, stop, kind, line_start)
        if found is not None:
            cursor.read(found)
            return True
        previous_newline = cursor.read(stop).endswith(b"\n")
        if stopped and cursor.at_end():
            return False


def _stop(
    cursor: Cursor,
    inflater: Inflater,
    offset: int,
    partial: bool,
    what: str = "",
    rec_type: str | None = None,
) -> tuple[Damage, bool]:
    """The damage where the stream stopped inside a record, and whether reading goes on."""
    base = inflater.base
    what = what or f"the record at byte {base + offset}"
    if inflater.state == "broken":
        error = inflater.error
        broken_at = inflater.broken_at
        cursor.discard()
        if inflater.resume():
            at = offset if partial else broken_at
            return Damage(
                base + at, "malformed_record", f"{error}; reading went on at the next member", rec_type
            ), True
        return Damage(
            base + offset, "truncated", f"{error}, and no later gzip member starts a record", rec_type
        ), False
    if inflater.state == "cut":
        return Damage(base + offset, "truncated", f"{inflater.error}: {what} is cut off", rec_type), False
    return Damage(base + offset, "truncated", f"the file ends inside {what}", rec_type), False


class _WarcioWarnings(logging.Filter):
    """Keeps warcio's log warnings (a fixed-up URI, say) for the record being read, off stderr."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        kept: list[str] = self.local.__dict__.setdefault("messages", [])
        if len(kept) < 20:
            kept.append(record.getMessage()[:300])
        return False


_FILTER = _WarcioWarnings()
logging.getLogger("warcio.recordloader").addFilter(_FILTER)


def take_warcio_warnings() -> list[str]:
    """warcio's warnings since the last call (in this thread)."""
    kept: list[str] = _FILTER.local.__dict__.get("messages", [])
    _FILTER.local.messages = []
    return kept
