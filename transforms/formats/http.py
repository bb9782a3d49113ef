"""The HTTP layer of an archived response: its status, headers and decoded body.

An archive stores a response as the server sent it: a status line, headers, and a body that may
be chunked (``Transfer-Encoding: chunked``) and compressed (``Content-Encoding`` gzip, deflate or
br, brotli by the ``brotli`` package). :func:`parse_http` splits the status and headers off (with
warcio's header parser), and :func:`decode_body` undoes the transfer and content encodings, never
producing more than a given number of bytes (a compressed bomb stops there).

Crawlers often store a body already decoded and keep the headers: a body that does not start as
the declared chunking or compression is taken as it is, as browsers and warcio do. A body that
starts encoded and then breaks raises :class:`BodyDecodeError` (the reader's ``undecodable``).
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field

import brotli
from warcio.statusandheaders import StatusAndHeadersParser

__all__ = ["BodyDecodeError", "HttpResponse", "decode_body", "parse_http"]

_HTTP_PREFIX = re.compile(rb"^HTTP/\d", re.IGNORECASE)
_CHUNK_SIZE = re.compile(rb"([0-9a-fA-F]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
_HEADER_LIMIT = 64 * 1024
_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0", "HTTP/3"], verify=False)


class BodyDecodeError(ValueError):
    """A chunked or compressed body that breaks after it started as declared."""


@dataclass
class HttpResponse:
    """An archived HTTP response: status code (0 when unreadable), headers by lower-cased name, body."""

    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def parse_http(content: bytes) -> HttpResponse | None:
    """The status, headers and raw body of ``content``; ``None`` when it does not start ``HTTP/``."""
    if not _HTTP_PREFIX.match(content):
        return None
    end = _header_end(content)
    if end < 0:
        return None
    stream = io.BytesIO(content[:end])
    parsed = _PARSER.parse(stream)
    status_text = parsed.get_statuscode() or ""
    status = int(status_text) if status_text.isdigit() and len(status_text) == 3 else 0
    reason = parsed.statusline[len(status_text) :].strip() if parsed.statusline else ""
    headers: dict[str, str] = {}
    for name, value in parsed.headers:
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return HttpResponse(status, reason, headers, content[end:])


def _header_end(content: bytes) -> int:
    """The offset after the blank line that ends the header block (CRLF or bare LF), or -1."""
    head = content[:_HEADER_LIMIT]
    ends = [
        index + size for index, size in ((head.find(b"\r\n\r\n"), 4), (head.find(b"\n\n"), 2)) if index >= 0
    ]
    return min(ends) if ends else -1


def decode_body(body: bytes, transfer_encoding: str | None, content_encoding: str | None, most: int) -> bytes:
    """The body without its chunking and compression, at most ``most`` + 1 bytes of it.

    Raises :class:`BodyDecodeError` for a body that breaks partway, or an unknown encoding.
    """
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        body = _dechunk(body)
    codings = [part.strip().lower() for part in (content_encoding or "").split(",") if part.strip()]
    for coding in reversed(codings):
        if coding in ("identity", "none", "utf-8", "text", "binary"):
            continue
        body = _decompress(body, coding, most)
    return body[: most + 1]


def _dechunk(body: bytes) -> bytes:
    first = _CHUNK_SIZE.match(body)
    if first is None:
        return body  # stored without its chunking
    parts: list[bytes] = []
    position = 0
    while True:
        match = _CHUNK_SIZE.match(body, position)
        if match is None:
            raise BodyDecodeError(f"the chunked body breaks at byte {position}: no chunk size there")
        size = int(match.group(1), 16)
        start = match.end()
        if size == 0:
            return b"".join(parts)
        if start + size > len(body):
            raise BodyDecodeError(f"the chunked body ends inside a chunk of {size} bytes at byte {position}")
        parts.append(body[start : start + size])
        position = start + size
        if body.startswith(b"\r\n", position):
            position += 2
        elif body.startswith(b"\n", position):
            position += 1
        if position >= len(body):
            return b"".join(parts)  # no closing zero-size chunk: the body ends here


def _decompress(body: bytes, coding: str, most: int) -> bytes:
    if coding in ("gzip", "x-gzip"):
        if not body.startswith(b"\x1f\x8b"):
            return body  # stored decompressed
        return _inflate(body, zlib.MAX_WBITS | 16, coding, most)
    if coding == "deflate":
        try:
            return _inflate(body, zlib.MAX_WBITS, coding, most)
        except BodyDecodeError:
            pass
        try:
            return _inflate(body, -zlib.MAX_WBITS, coding, most)
        except BodyDecodeError:
            if _started_as_text(body):
                return body
            raise
    if coding == "br":
        return _unbrotli(body, most)
    raise BodyDecodeError(f"the body's Content-Encoding {coding!r} is not one newsbeam decodes")


def _inflate(body: bytes, wbits: int, coding: str, most: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        data = inflater.decompress(body, most + 1)
    except zlib.error as error:
        raise BodyDecodeError(f"the {coding} body does not decompress: {error}") from None
    if not inflater.eof and len(data) <= most and not inflater.unconsumed_tail:
        raise BodyDecodeError(f"the {coding} body ends before its compressed stream does")
    return data


def _unbrotli(body: bytes, most: int) -> bytes:
    decompressor = brotli.Decompressor()
    try:
        data = decompressor.process(body, output_buffer_limit=most + 1)
    except brotli.error as error:
        if _started_as_text(body):
            return body  # stored decompressed
        raise BodyDecodeError(f"the br body does not decompress: {error}") from None
    if len(data) > most:
        return data  # the caller rejects it as too large
    if not decompressor.is_finished():
        if _started_as_text(body):
            return body
        raise BodyDecodeError("the br body ends before its compressed stream does")
    return data


def _started_as_text(body: bytes) -> bool:
    head = body[:512].lstrip()
    return head.startswith((b"<", b"{", b"[")) or (bool(head) and head.isascii() and b"\x00" not in head)
