"""WARC and ARC files built by hand, byte for byte, for the archive reader's tests.

Records are written as crawlers write them (CRLF header blocks, a blank line pair after each
record, each record its own gzip member when gzipped), so a test can also write them wrong:
a length that lies, a member that is corrupt, a file cut anywhere. :func:`crawl_records` is
a small invented crawl of one news site as Heritrix or wget saves it: pages with their
requests and metadata, the images, stylesheets and scripts each page loads, a JSON API call,
a feed, redirects, a 404, a revisit, a DNS lookup, bodies compressed with gzip and brotli and
sent chunked.
"""

from __future__ import annotations

import gzip
import uuid
import zlib
from dataclasses import dataclass

import brotli

from helpers.builders import article_html, prose

SITE = "https://www.kestrelgazette.example"


def http_response(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def warc_record(
    rec_type: str,
    uri: str | None,
    block: bytes,
    content_type: str = "application/http; msgtype=response",
    date: str = "2025-05-06T04:10:00Z",
    extra: list[tuple[str, str]] | None = None,
    length: int | None = None,
) -> bytes:
    """One uncompressed WARC/1.1 record (with its two trailing CRLFs); ``length`` may lie."""
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{rec_type}:{uri}:{len(block)}")
    fields = [("WARC-Type", rec_type), ("WARC-Record-ID", f"<urn:uuid:{record_id}>"), ("WARC-Date", date)]
    if uri is not None:
        fields.append(("WARC-Target-URI", uri))
    fields += extra or []
    fields += [
        ("Content-Type", content_type),
        ("Content-Length", str(len(block) if length is None else length)),
    ]
    head = "".join(f"{name}: {value}\r\n" for name, value in fields)
    return f"WARC/1.1\r\n{head}\r\n".encode() + block + b"\r\n\r\n"


def response(uri: str, status: str, headers: list[tuple[str, str]], body: bytes, **kwargs: object) -> bytes:
    return warc_record("response", uri, http_response(status, headers, body), **kwargs)  # type: ignore[arg-type]


def request(uri: str) -> bytes:
    path = "/" + uri.split("/", 3)[3] if uri.count("/") >= 3 else "/"
    host = uri.split("/")[2]
    block = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: test-crawler/1.0\r\n\r\n".encode()
    return warc_record("request", uri, block, content_type="application/http; msgtype=request")


def member(record: bytes) -> bytes:
    return gzip.compress(record, mtime=0)


def per_record_gzip(records: list[bytes]) -> bytes:
    return b"".join(member(record) for record in records)


def chunked(body: bytes, size: int = 700) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in parts) + b"0\r\n\r\n"


def story(n: int) -> tuple[str, bytes]:
    """The URL and HTML of invented story ``n`` of the Kestrel Gazette."""
    url = f"{SITE}/news/2025/05/05/story-{n}"
    html = article_html(
        f"Kestrel Gazette story {n} on the river works", prose(500 + n), url, section="National"
    )
    return url, html.encode()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(255, 0, -1)) * 3
CSS = b"body{margin:0;font-family:Georgia,serif}\n.story h1{font-size:2rem;color:#222}\n" * 20
SCRIPT = (
    b"!function(w,d){var q=w.queue=w.queue||[];q.push({t:Date.now()});d.title=d.title}(window,document);\n"
    * 20
)


@dataclass
class Crawl:
    """A crawl's records and what a reader must make of them."""

    records: list[bytes]
    pages: list[str]  # URLs that must become pages, in file order
    outcomes: list[str]  # every page read in file order: "page" or the reject's reason
    skipped: dict[str, int]
    not_html: dict[str, int]


def crawl_records(stories: int = 4) -> Crawl:
    """The invented crawl (module docstring); ``stories`` >= 4 article pages."""
    records = [
        warc_record(
            "warcinfo",
            None,
            b"software: test-crawler/1.0\r\nformat: WARC File Format 1.1\r\n",
            "application/warc-fields",
        )
    ]
    outcomes: list[str] = []
    pages: list[str] = []
    skipped = {"warcinfo": 1, "request": 0, "metadata": 0, "revisit": 1, "dns": 1}
    not_html: dict[str, int] = {}

    def page_response(n: int, encoding: str) -> bytes:
        url, html = story(n)
        headers = [("Content-Type", "text/html; charset=utf-8")]
        body = html
        if encoding in ("gzip", "chunked+gzip"):
            body = gzip.compress(html, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        elif encoding == "br":
            body = brotli.compress(html)
            headers.append(("Content-Encoding", "br"))
        elif encoding == "deflate":
            body = zlib.compress(html)
            headers.append(("Content-Encoding", "deflate"))
        if encoding.startswith("chunked"):
            body = chunked(body)
            headers.append(("Transfer-Encoding", "chunked"))
        return response(url, "200 OK", headers, body)

    encodings = ["identity", "gzip", "br", "chunked", "chunked+gzip", "deflate"]
    for n in range(stories):
        url, _ = story(n)
        records += [request(url), page_response(n, encodings[n % len(encodings)])]
        skipped["request"] += 1
        outcomes.append("page")
        pages.append(url)
        records.append(
            warc_record(
                "metadata",
                url,
                f"outlink: {SITE}/static/site.css E link/@href\r\n".encode(),
                "application/warc-fields",
            )
        )
        skipped["metadata"] += 1
        for path, media, body in (
            (f"/img/story-{n}.png", "image/png", PNG),
            (f"/img/story-{n}-thumb.jpg", "image/jpeg", JPEG),
        ):
            records.append(response(SITE + path, "200 OK", [("Content-Type", media)], body))
            outcomes.append("not_html")
            not_html[media] = not_html.get(media, 0) + 1
    for path, media, body in (
        ("/static/site.css", "text/css", CSS),
        ("/static/app.js", "application/javascript; charset=utf-8", SCRIPT),
        ("/api/weather.json", "application/json", b'{"city": "Kestrel", "high": 17, "low": 9}'),
        (
            "/feeds/news.rss",
            "application/rss+xml",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>',
        ),
    ):
        records.append(response(SITE + path, "200 OK", [("Content-Type", media)], body))
        outcomes.append("not_html")
        key = media.split(";")[0]
        not_html[key] = not_html.get(key, 0) + 1
    # A script with no Content-Type, and a page with none and one sent as octet-stream: the bytes decide.
    records.append(response(SITE + "/static/tracker", "200 OK", [], SCRIPT))
    outcomes.append("not_html")
    not_html["none"] = not_html.get("none", 0) + 1
    for n, headers in ((stories, []), (stories + 1, [("Content-Type", "application/octet-stream")])):
        url, html = story(n)
        records.append(response(url, "200 OK", headers, html))
        outcomes.append("page")
        pages.append(url)
    records.append(
        response(
            SITE + "/old-news",
            "301 Moved Permanently",
            [("Location", SITE + "/news/"), ("Content-Type", "text/html")],
            b"<html><body>Moved</body></html>",
        )
    )
    records.append(
        response(
            SITE + "/news/missing",
            "404 Not Found",
            [("Content-Type", "text/html")],
            b"<html><body><h1>Not found</h1></body></html>",
        )
    )
    outcomes += ["http_error", "http_error"]
    url, _ = story(0)
    records.append(
        warc_record(
            "revisit",
            url,
            http_response("200 OK", [("Content-Type", "text/html")], b""),
            extra=[("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")],
        )
    )
    records.append(
        warc_record(
            "response",
            "dns:www.kestrelgazette.example",
            b"20250506041000\nwww.kestrelgazette.example. 300 IN A 192.0.2.7\n",
            "text/dns",
        )
    )
    return Crawl(records, pages, outcomes, skipped, not_html)


def arc_file(records: list[tuple[str, str, str, bytes]], gzipped: bool) -> bytes:
    """An ARC (version 1) file: its header, then (url, 14-digit date, media type, HTTP response) records."""
    spec = b"1 0 test-crawler\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [f"filedesc://test.arc 127.0.0.1 20250506041000 text/plain {len(spec)}\n".encode() + spec + b"\n"]
    for url, date, media, block in records:
        parts.append(f"{url} 192.0.2.7 {date} {media} {len(block)}\n".encode() + block + b"\n")
    return per_record_gzip(parts) if gzipped else b"".join(parts)
