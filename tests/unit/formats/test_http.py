"""The HTTP layer of archived responses: status and headers, and bodies decoded in bounded memory."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
from helpers.archives import chunked, http_response, story

from newsbeam.transforms.formats.http import BodyDecodeError, decode_body, parse_http

_, HTML = story(2)


def test_status_headers_and_body_are_split():
    raw = http_response(
        "301 Moved Permanently",
        [("Location", "https://a.example/"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
        b"moved",
    )
    parsed = parse_http(raw)
    assert parsed is not None and parsed.status == 301 and parsed.reason == "Moved Permanently"
    assert parsed.header("location") == "https://a.example/" and parsed.header("set-cookie") == "a=1, b=2"
    assert parsed.body == b"moved"


def test_bare_lf_headers_and_content_that_is_not_http():
    parsed = parse_http(b"HTTP/1.0 200 OK\nContent-Type: text/html\n\n<html></html>")
    assert parsed is not None and parsed.status == 200 and parsed.body == b"<html></html>"
    assert parse_http(b"<html><body>no status line</body></html>") is None


@pytest.mark.parametrize(
    ("transfer", "coding", "encode"),
    [
        (None, "gzip", lambda body: gzip.compress(body, mtime=0)),
        (None, "x-gzip", lambda body: gzip.compress(body, mtime=0)),
        (None, "deflate", zlib.compress),
        (None, "deflate", lambda body: zlib.compress(body)[2:-4]),  # raw deflate, as some servers send it
        (None, "br", brotli.compress),
        ("chunked", None, chunked),
        ("chunked", "gzip", lambda body: chunked(gzip.compress(body, mtime=0))),
        (None, "gzip, br", lambda body: brotli.compress(gzip.compress(body, mtime=0))),
    ],
)
def test_transfer_and_content_encodings_are_undone(transfer, coding, encode):
    assert decode_body(encode(HTML), transfer, coding, 10_000_000) == HTML


def test_a_body_stored_already_decoded_is_taken_as_it_is():
    for coding in ("gzip", "deflate", "br"):
        assert decode_body(HTML, None, coding, 10_000_000) == HTML
    assert decode_body(HTML, "chunked", None, 10_000_000) == HTML


@pytest.mark.parametrize(
    ("body", "transfer", "coding", "message"),
    [
        (gzip.compress(HTML, mtime=0)[:300], None, "gzip", "ends before"),
        (gzip.compress(HTML, mtime=0)[:40] + b"\x00" * 200, None, "gzip", "does not decompress"),
        (chunked(HTML)[:900], "chunked", None, "ends inside a chunk"),
        (chunked(HTML).replace(b"\r\n2bc\r\n", b"\r\nzz\r\n", 1), "chunked", None, "no chunk size"),
        (HTML, None, "compress", "not one newsbeam decodes"),
        (brotli.compress(HTML)[:100], None, "br", "br body"),
    ],
)
def test_a_body_that_breaks_after_it_started_encoded_raises(body, transfer, coding, message):
    with pytest.raises(BodyDecodeError, match=message):
        decode_body(body, transfer, coding, 10_000_000)


def test_a_compressed_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"\x00" * 8_000_000, mtime=0)
    assert len(decode_body(bomb, None, "gzip", 1_000_000)) == 1_000_001
    assert len(decode_body(brotli.compress(b"a" * 8_000_000, quality=1), None, "br", 1_000_000)) > 1_000_000
