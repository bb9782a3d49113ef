"""The bytes of an archive as the record reader sees them: decompressed, and where each came from.

:class:`Inflater` turns the raw bytes of a WARC or ARC file into its content, one chunk at a
time. A gzipped archive is decompressed member after member, as one continuous stream (a record
may span members, as some writers make it), and each member's start is kept: a record's offset
is the raw offset of the member it starts in, as warcio and CDX indexes count it. Where the
stream stops, :attr:`Inflater.state` says why: ``eof`` (the end), ``cut`` (the file ends inside
a gzip member) or ``broken`` (a member's compressed data is corrupt). After a break,
:meth:`Inflater.resume` looks in the raw bytes for the next gzip member that starts a record and
goes on from there, so that a bad member costs only its own records. An uncompressed archive
passes through unchanged.

:class:`Cursor` reads that stream with lookahead (:meth:`~Cursor.peek`), bounded lines, and
:meth:`~Cursor.unread`, which puts bytes back so that the reader can look again for a record
start inside a record whose length was wrong. Memory stays bounded by what the caller keeps.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import IO, Literal

__all__ = ["Cursor", "Inflater"]

GZIP_MAGIC = b"\x1f\x8b"
_MEMBER = GZIP_MAGIC + b"\x08"
_PADDING = b"\x00 \t\r\n"
_RAW_CHUNK = 64 * 1024
_FEED = 64 * 1024
#: Raw bytes of the current gzip member kept to look for the next member after a break.
_RETAIN = 1 << 20
#: Raw bytes looked at past a candidate member's start to check it.
_MEMBER_LOOKAHEAD = 1 << 14

State = Literal["", "eof", "cut", "broken"]


class Inflater:
    """The decompressed content of a raw archive stream (see the module docstring).

    ``starts_record(buffer, index)`` says whether the gzip member at ``buffer[index]`` starts
    a record (:func:`~.boundaries.member_starts_record`); ``base`` is the raw stream's offset
    in its file, for messages.
    """

    def __init__(
        self, raw: IO[bytes], gzipped: bool, starts_record: Callable[[bytes, int], bool], base: int = 0
    ) -> None:
        self._read = getattr(raw, "read1", raw.read)
        self.gzipped = gzipped
        self._starts_record = starts_record
        self.base = base
        self.state: State = ""
        self.error = ""
        self.position = 0  # decompressed bytes handed out
        #: (decompressed position, raw offset) of each gzip member started, oldest first.
        self.members: list[tuple[int, int]] = [(0, 0)]
        self.broken_at = 0  # raw offset of the member that broke
        self._pending = bytearray()  # raw bytes read, not yet fed to zlib
        self._fed = 0  # raw offset of _pending[0]
        self._member_raw = bytearray()  # raw bytes of the current member (its last _RETAIN)
        self._member_raw_start = 0
        self._member_out = 0  # decompressed bytes the current member gave
        self._raw_done = False
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16) if gzipped else None

    def anchor(self, position: int) -> int:
        """The raw offset of the gzip member holding decompressed ``position`` (itself if uncompressed)."""
        if self._zlib is None:
            return position
        found = self.members[0][1]
        for start, raw in self.members:
            if start > position:
                break
            found = raw
        return found

    def member_start(self, position: int) -> bool:
        """Whether a gzip member starts at decompressed ``position``."""
        return self._zlib is not None and any(start == position for start, _ in self.members)

    def forget_before(self, position: int) -> None:
        """Drop the members that end before ``position`` (the reader no longer needs their offsets)."""
        while len(self.members) > 1 and self.members[1][0] <= position:
            self.members.pop(0)

    def read_chunk(self) -> bytes:
        """The next decompressed bytes; empty when the stream stops (:attr:`state` says why)."""
        if self.state:
            return b""
        if self._zlib is None:
            data = self._read(_RAW_CHUNK)
            if not data:
                self.state = "eof"
            self.position += len(data)
            return bytes(data)
        while True:
            if self._zlib.eof and not self._next_member():
                return b""
            if not self._pending and not self._fill_raw():
                self.state = "cut"
                self.error = f"the file ends inside the gzip member at byte {self.base + self.members[-1][1]}"
                return b""
            piece = bytes(self._pending[:_FEED])
            try:
                data = self._zlib.decompress(piece)
            except zlib.error as error:
                self._break(str(error), self.members[-1][1])
                salvaged = self._salvage(piece)
                self.position += len(salvaged)
                return salvaged
            used = len(piece) - len(self._zlib.unused_data) if self._zlib.eof else len(piece)
            self._keep_member_raw(piece[:used])
            del self._pending[:used]
            self._fed += used
            if data:
                self.position += len(data)
                self._member_out += len(data)
                return data

    def _salvage(self, piece: bytes) -> bytes:
        """What the broken member gives before its error, fed as ``member_starts_record`` feeds it.

        A failing call to zlib returns nothing of what it decompressed; fed in 512-byte pieces from
        the member's start, the member gives the same bytes here as to the range planner's check,
        so both agree on whether the member starts a record.
        """
        if self._member_raw_start != self.members[-1][1]:
            return b""  # the start of a member this long is no longer kept
        raw = bytes(self._member_raw) + piece
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        output = bytearray()
        for start in range(0, len(raw), 512):
            try:
                output += inflater.decompress(raw[start : start + 512])
            except zlib.error:
                break
        return bytes(output[self._member_out :])

    def _fill_raw(self) -> bool:
        if self._raw_done:
            return False
        data = self._read(_RAW_CHUNK)
        if not data:
            self._raw_done = True
            return False
        self._pending += data
        return True

    def _keep_member_raw(self, data: bytes) -> None:
        self._member_raw += data
        if len(self._member_raw) > _RETAIN:
            drop = len(self._member_raw) - _RETAIN
            del self._member_raw[:drop]
            self._member_raw_start += drop

    def _next_member(self) -> bool:
        """After a member's end: start the next one, or stop at the end of the file."""
        while not self._pending and self._fill_raw():
            pass
        if not self._pending:
            self.state = "eof"
            return False
        # Padding (NUL bytes, blank lines) may follow a member.
        while not (padded := self._pending.lstrip(_PADDING)) and self._fill_raw():
            pass
        self._fed += len(self._pending) - len(padded)
        self._pending = bytearray(padded)
        if not self._pending:
            self.state = "eof"
            return False
        if not self._pending.startswith(_MEMBER):
            self._break("these bytes are not a gzip member", self._fed)
            return False
        self._start_member(self._fed)
        return True

    def _start_member(self, raw_offset: int) -> None:
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.members.append((self.position, raw_offset))
        self._member_raw = bytearray()
        self._member_raw_start = raw_offset
        self._member_out = 0

    def _break(self, error: str, raw_offset: int) -> None:
        self.state = "broken"
        self.broken_at = raw_offset
        self.error = f"the gzip member at byte {self.base + raw_offset} is corrupt: {error}"

    def resume(self) -> bool:
        """After a break: go on at the next gzip member that starts a record; False if there is none."""
        if self.state != "broken":
            return False
        # Look from the byte after the broken member's start (as far back as kept) onwards.
        first = max(self.broken_at + 1, self._member_raw_start)
        window = (self._member_raw + self._pending)[first - self._member_raw_start :]
        window_start = first
        self._pending = bytearray()
        while True:
            while len(window) < _MEMBER_LOOKAHEAD + _RAW_CHUNK and self._fill_raw():
                window += self._pending
                self._pending = bytearray()
            stop = len(window) if self._raw_done else max(len(window) - _MEMBER_LOOKAHEAD, 0)
            index = window.find(_MEMBER, 0, stop)
            while index >= 0 and not self._starts_record(bytes(window), index):
                index = window.find(_MEMBER, index + 1, stop)
            if index >= 0:
                self._pending = window[index:]
                self._fed = window_start + index
                self._start_member(self._fed)
                self.state, self.error = "", ""
                return True
            if self._raw_done:
                self.state = "eof"
                return False
            del window[:stop]
            window_start += stop


class Cursor:
    """Reads an :class:`Inflater`'s stream with lookahead and pushback (see the module docstring)."""

    def __init__(self, source: Inflater) -> None:
        self.source = source
        self._buffer = bytearray()
        self._index = 0
        #: Decompressed offset of the next byte to read.
        self.position = 0

    def _available(self) -> int:
        return len(self._buffer) - self._index

    def _fill(self, size: int) -> bool:
        """At least ``size`` bytes ahead, or as many as the stream has until it stops."""
        while self._available() < size:
            chunk = self.source.read_chunk()
            if not chunk:
                return False
            if self._index > _RAW_CHUNK and self._index * 2 > len(self._buffer):
                del self._buffer[: self._index]
                self._index = 0
            self._buffer += chunk
        return True

    def _slice(self, size: int) -> bytes:
        with memoryview(self._buffer) as view:  # one copy, not two
            return bytes(view[self._index : self._index + size])

    def peek(self, size: int) -> bytes:
        self._fill(size)
        return self._slice(size)

    def at_end(self) -> bool:
        return not self._fill(1)

    def read(self, size: int) -> bytes:
        self._fill(size)
        data = self._slice(size)
        self._index += len(data)
        self.position += len(data)
        return data

    def skip(self, size: int) -> int:
        """Pass over ``size`` bytes without keeping them; how many there were."""
        skipped = 0
        while skipped < size:
            step = min(size - skipped, _RAW_CHUNK)
            data = self.read(step)
            skipped += len(data)
            if len(data) < step:
                break
        return skipped

    def readline(self, most: int) -> bytes:
        """One line with its newline, at most ``most`` bytes of it."""
        while True:
            end = self._buffer.find(b"\n", self._index, self._index + most)
            if end >= 0:
                return self.read(end + 1 - self._index)
            if self._available() >= most or not self._fill(self._available() + 1):
                return self.read(min(most, self._available()))

    def skip_blank(self) -> bytes:
        """Pass over CR and LF bytes; the bytes passed."""
        passed = bytearray()
        while self._fill(1):
            byte = self._buffer[self._index]
            if byte not in (10, 13):
                break
            passed.append(byte)
            self._index += 1
            self.position += 1
        return bytes(passed)

    def unread(self, data: bytes) -> None:
        """Put ``data`` back before the next byte (it must be the bytes just read)."""
        self._buffer[: self._index] = b""
        self._buffer[0:0] = data
        self._index = 0
        self.position -= len(data)

    def discard(self) -> None:
        """Forget the bytes read ahead (after a break they belong to the broken member)."""
        self.position += self._available()
        self._buffer = bytearray()
        self._index = 0
