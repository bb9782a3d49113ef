"""Where a WARC or ARC record starts: one rule for the archive reader and the byte-range planner.

The archive reader (:mod:`.archive`) looks for the next record start after a record it could
not parse; a reader of one byte range (:mod:`.ranges`) looks for the first record that starts in
its range. Both must agree, or a file would give other records read whole than read in ranges,
so both use :func:`find_start`:

* WARC: a line ``WARC/<version>`` at the start of a line, whose header block (up to the first
  blank line, CRLF or bare LF) holds ``WARC-Type`` and ``Content-Length``;
* ARC: a line ``<url> <ip> <14-digit date> <media type> <length>`` (the URL may hold spaces,
  as warcio allows).

In a gzipped archive, a gzip member whose first bytes decompress (after blank lines) to such a
start is a record start too (:func:`member_starts_record`).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

__all__ = ["LOOKAHEAD", "find_start", "is_start", "member_starts_record"]

#: Bytes after a candidate that are enough to check it (a header block).
LOOKAHEAD = 1 << 14
_WARC_LINE = re.compile(rb"WARC/[0-9]{1,2}\.[0-9]{1,2}\r?\n")
_ARC_LINE = re.compile(
    rb"[A-Za-z][A-Za-z0-9+.-]{0,30}:[^\r\n]{0,8000}? [0-9A-Fa-f.:-]{1,45} [0-9]{12,18} [^ \r\n]{0,200} "
    rb"[^ \r\n]{1,20}\r?\n"
)
_BLANK = b"\r\n"
_BLANK_LINE = re.compile(rb"\n\r?\n")


def is_start(buffer: bytes, index: int, kind: str) -> bool:
    """Whether a record of ``kind`` (``warc`` or ``arc``) starts at ``buffer[index]``, a line start."""
    if kind == "arc":
        return _ARC_LINE.match(buffer, index) is not None
    if _WARC_LINE.match(buffer, index) is None:
        return False
    block_end = _block_end(buffer, index)
    if block_end < 0:
        return False
    block = buffer[index:block_end].lower()
    return b"\nwarc-type:" in block and b"\ncontent-length:" in block


def _block_end(buffer: bytes, index: int) -> int:
    found = _BLANK_LINE.search(buffer, index, index + LOOKAHEAD)
    return found.start() if found else -1


def find_start(
    buffer: bytes, begin: int, stop: int, kind: str, line_start: Callable[[int], bool]
) -> int | None:
    """The first index in ``[begin, stop)`` where a record of ``kind`` starts.

    ``line_start(index)`` says whether ``index`` begins a line (the byte before it, when the
    buffer does not hold that byte, or a gzip member start).
    """
    index = begin
    while index < stop:
        if kind == "warc":
            index = buffer.find(b"WARC/", index, stop)
            if index < 0:
                return None
        elif not _at_line_start(buffer, index, line_start):
            newline = buffer.find(b"\n", index, stop)
            if newline < 0:
                return None
            index = newline + 1
            continue
        if _at_line_start(buffer, index, line_start) and is_start(buffer, index, kind):
            return index
        index += 1
    return None


def _at_line_start(buffer: bytes, index: int, line_start: Callable[[int], bool]) -> bool:
    if index > 0 and buffer[index - 1 : index] == b"\n":
        return True
    return line_start(index)


def member_starts_record(buffer: bytes, index: int, kind: str) -> bool:
    """Whether the gzip member at ``buffer[index]`` decompresses to (blank lines and) a record start.

    Only the member's first bytes are looked at; a member that breaks after them still counts,
    so that the reader that meets the break is the one that records it.
    """
    if not buffer.startswith(b"\x1f\x8b\x08", index):
        return False
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    head = bytearray()
    for start in range(index, min(index + LOOKAHEAD, len(buffer)), 512):
        try:
            head += inflater.decompress(buffer[start : min(start + 512, index + LOOKAHEAD)])
        except zlib.error:
            break
        if inflater.eof or len(head) >= LOOKAHEAD:
            break
    return is_start(bytes(head).lstrip(_BLANK), 0, kind)
