"""What a file or a payload holds, from its first bytes: the dump format, and whether it is a page.

:func:`sniff_format` chooses a file's reader (WARC, ARC, JSONL, HTML or a text dump) from its
first bytes and then its name. :func:`sniff_kind` looks at the first KB of a payload and names
what it looks like (``text/html``, ``application/javascript``, ``image/png``...), and
:func:`not_page` applies the rule of what a page is (docs/contracts.md#what-a-page-is):

* a declared HTML type (``text/html``, ``application/xhtml+xml``) is a page;
* a missing, generic (``application/octet-stream``, ``text/plain``, XML) or malformed type is a
  page only if the bytes look like HTML (``strict``, for archive records);
* any other declared type (``text/css``, ``image/png``, ``application/rss+xml``...) is not.

An HTML file, or a JSONL ``html`` field, claims to be HTML: there the bytes decide only against
it, when they clearly hold something else (a script, a stylesheet, JSON, a feed, an image).
The look is bounded (:data:`SNIFF_BYTES`), so it costs the same for any payload size.
"""

from __future__ import annotations

import codecs
import re

import orjson

__all__ = [
    "HTML_TYPES",
    "declared_decision",
    "SNIFF_BYTES",
    "media_type",
    "not_page",
    "sniff_format",
    "sniff_kind",
]

#: Bytes of a payload that :func:`sniff_kind` looks at.
SNIFF_BYTES = 1024
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"})
#: Types that say nothing about the payload: the bytes decide.
GENERIC_TYPES = frozenset(
    {
        "application/octet-stream",
        "binary/octet-stream",
        "application/unknown",
        "unknown/unknown",
        "application/x-unknown-content-type",
        "application/download",
        "application/force-download",
        "application/x-download",
        "text/plain",
        "text/xml",
        "application/xml",
        "text/x-server-parsed-html",
        "application/x-httpd-php",
    }
)
_TOKEN_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".json")
_WARC_EXTENSIONS = (".warc",)
_TEXT_EXTENSIONS = (".txt", ".text")
_FORMAT_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)[\s>/]", re.IGNORECASE
)
_FORMAT_SNIFF_BYTES = 4096

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"FLV", "video/x-flv"),
    (b"CWS", "application/x-shockwave-flash"),
    (b"FWS", "application/x-shockwave-flash"),
)
_LEADING_JUNK = re.compile(
    r"^(?:\s+|<!--.*?-->|<\?xml[^>]*\?>|<\?[^>]*\?>|/\*.*?\*/)*", re.DOTALL | re.IGNORECASE
)
_HTML_TAGS = (
    "html|head|body|meta|title|link|div|p|span|a|table|tr|td|ul|ol|li|h[1-6]|br|hr|img|form|input|"
    "article|section|header|footer|nav|main|aside|figure|iframe|center|font|b|i|u|strong|em|"
    "frameset|frame|noscript|pre|blockquote|dl|dt|dd|select|option|button|label|base|style|script"
)
_FIRST_TAG = re.compile(rf"<(?:!doctype\s+html|(?:{_HTML_TAGS})[\s>/])", re.IGNORECASE)
#: A tag where markup puts one: at the start, after whitespace or after another tag.
_PLACED_TAG = re.compile(rf"(?:^|(?<=[\s>]))<(?:{_HTML_TAGS})[\s>/]", re.IGNORECASE)
_STRONG_TAG = re.compile(r"(?:^|(?<=[\s>]))<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_FEED_ROOT = re.compile(r"^<(rss|feed|rdf:rdf|urlset|sitemapindex|opml|svg|smil|kml)[\s>]", re.IGNORECASE)
_SCRIPT_START = re.compile(
    r"^(?:\(function|!function|function[\s(]|var\s|let\s|const\s|[\"']use strict[\"']|import[\s{]|"
    r"export\s|window\.|document\.|define\(|require\(|self\.|if\s*\(|try\s*\{|\(\(\)|;|\$\(|jQuery|"
    r"\w+(?:\.\w+)*\s*=\s*(?:function|\{|\[|\(|new\s|[\"'\d])|\w+(?:\.\w+)+\s*\()"
)
_STYLE_START = re.compile(
    r"^(?:@charset|@import|@media|@font-face|@keyframes|:root|[^{}<;]{1,200}\{[^{}]*:[^{}]*[;}])"
)
_SCRIPT_MARKS = re.compile(r"[;{}()=]")


def media_type(content_type: str | None) -> str:
    """``type/subtype``, lower-cased, from a Content-Type value; empty when there is none."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()[:100]


def sniff_format(name: str, head: bytes) -> str:
    """``warc``, ``arc``, ``jsonl``, ``html`` or ``text``, from the first bytes and then the name."""
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
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
    if _FORMAT_MARKUP.search(stripped[:_FORMAT_SNIFF_BYTES]):
        return "html"
    return "text"


def sniff_kind(data: bytes) -> str:
    """What the first :data:`SNIFF_BYTES` of a payload look like, as a media type.

    ``text/html``, a binary type named by its magic number (``image/png``...),
    ``application/json``, ``application/javascript``, ``text/css``, ``application/xml``
    (a feed, a sitemap, SVG...), ``application/octet-stream`` (other binary data) or
    ``text/plain``.
    """
    head = data[:SNIFF_BYTES]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    text = _head_text(head)
    if text is None:
        return "application/octet-stream"
    rest = _LEADING_JUNK.sub("", text, count=1)
    if rest.startswith("<"):
        if _FIRST_TAG.match(rest) or _STRONG_TAG.search(rest):
            return "text/html"
        if _FEED_ROOT.match(rest) or text.lstrip().lower().startswith("<?xml"):
            return "application/xml"
        return "text/html" if len(_PLACED_TAG.findall(rest)) >= 2 else "text/plain"
    if rest.startswith(("{", "[")) and _is_json_head(rest):
        return "application/json"
    if _STRONG_TAG.search(rest) or len(_PLACED_TAG.findall(rest)) >= 3:
        return "text/html"
    if rest.startswith(("/*", "//")) or _SCRIPT_START.match(rest):
        return "application/javascript"
    if _STYLE_START.match(rest):
        return "text/css"
    if _looks_like_code(rest):
        return "application/javascript"
    return "text/plain"


def declared_decision(declared: str | None) -> str:
    """What a declared Content-Type decides alone: ``page``, ``not_page``, or ``sniff`` (the bytes decide)."""
    declared_type = media_type(declared)
    if declared_type in HTML_TYPES:
        return "page"
    if declared_type and _TOKEN_TYPE.match(declared_type) and declared_type not in GENERIC_TYPES:
        return "not_page"
    return "sniff"


def not_page(declared: str | None, data: bytes, strict: bool) -> str | None:
    """``None`` when a payload of this declared Content-Type and these bytes is a page, else what it is.

    ``strict``: the bytes must look like HTML when the type does not say (archive records);
    otherwise (HTML files, JSONL ``html`` fields) they must not look like something else.
    The answer, when not ``None``, is a short phrase for the reject's detail.
    """
    declared_type = media_type(declared)
    decision = declared_decision(declared)
    if decision != "sniff":
        return None if decision == "page" else declared_type
    well_formed = bool(_TOKEN_TYPE.match(declared_type))
    kind = sniff_kind(data)
    if kind == "text/html" or (not strict and kind == "text/plain"):
        return None
    if not strict:
        return f"{kind} by its bytes"
    said = (
        declared_type
        if well_formed
        else ("without a media type" if not declared_type else "of a malformed type")
    )
    return f"{said} and its bytes look like {kind}, not HTML"


def _head_text(head: bytes) -> str | None:
    """The head as text for the patterns (latin-1 keeps every byte), or ``None`` for binary data."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    if not head:
        return ""
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    if b"\x00" in head or controls > len(head) // 20:
        return None
    return head.decode("latin-1")


def _is_json_head(text: str) -> bool:
    """A JSON document's start: an object with a quoted key, or an array of values."""
    body = text[1:].lstrip()
    if text.startswith("{"):
        return body.startswith(('"', "}"))
    return (
        body[:1] in ('"', "{", "[", "]", "-")
        or body[:1].isdigit()
        or body.startswith(("true", "false", "null"))
    )


def _looks_like_code(text: str) -> bool:
    """Dense with the punctuation of code and without a single tag."""
    sample = text[:SNIFF_BYTES]
    if len(sample) < 40 or _PLACED_TAG.search(sample):
        return False
    return len(_SCRIPT_MARKS.findall(sample)) > len(sample) // 25
