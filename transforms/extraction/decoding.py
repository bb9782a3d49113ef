"""Turning a page's bytes into text without ever crashing on them.

Order of trust: the charset the transport declared (HTTP ``Content-Type`` of a WARC
record or a JSONL ``headers`` field), then the one the document declares in its first
bytes (``<meta charset>``, XML declaration, a byte-order mark), then strict UTF-8,
then charset-normalizer's best guess. Bytes that none of those make into plausible
text raise :class:`UndecodableError`, which the reader records as a reject.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["UndecodableError", "charset_from_content_type", "decode_page", "looks_binary"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
_CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Declared charsets are looked for in the head of the document only.
_SNIFF_BYTES = 4096
#: Share of control characters above which decoded text is taken for binary data.
_MAX_CONTROL_SHARE = 0.05
#: Bytes below 0x20 other than tab, line feed, form feed, carriage return and escape.
_CONTROL_BYTES = bytes(code for code in range(32) if code not in (9, 10, 12, 13, 27))
#: str.translate table deleting what text does not hold: controls (but tab, newlines) and U+FFFD.
_DROP_BAD_CHARS = {code: None for code in range(32) if code not in (9, 10, 12, 13)} | {0xFFFD: None}
# Browsers decode latin-1 as windows-1252; so must we, or curly quotes become C1 controls.
_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin-1": "windows-1252",
    "latin1": "windows-1252",
    "ascii": "windows-1252",
    "us-ascii": "windows-1252",
}


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can find."""


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CONTENT_TYPE_CHARSET.search(content_type)
    return match.group(1).strip().lower() if match else None


def declared_charset(data: bytes) -> str | None:
    head = data[:_SNIFF_BYTES]
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace").lower() if match else None


def decode_page(data: bytes, transport_charset: str | None = None) -> str:
    """Decode one document's bytes; see the module docstring for the order of trust."""
    declared = declared_charset(data)
    if not (declared or "").startswith("utf-16") and _binary_bytes(data):
        raise UndecodableError("the bytes hold many control codes that no text encoding uses: binary data")
    for charset in (transport_charset, declared):
        text = _try_decode(data, charset)
        if text is not None:
            return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data[: 256 * 1024]).best()
        if best is None or best.encoding is None:
            raise UndecodableError("no character encoding fits these bytes") from None
        text = data.decode(best.encoding, errors="replace")
    if looks_binary(text):
        raise UndecodableError("the bytes decode to control characters, not text: binary data")
    return text


def _try_decode(data: bytes, charset: str | None) -> str | None:
    if not charset:
        return None
    charset = _ALIASES.get(charset, charset)
    try:
        codecs.lookup(charset)
    except LookupError:
        return None
    try:
        text = data.decode(charset)
    except UnicodeDecodeError:
        # Declared charsets are often slightly wrong (a stray byte); keep the page.
        text = data.decode(charset, errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 100):
            return None
    return None if looks_binary(text) else text


def _binary_bytes(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > _MAX_CONTROL_SHARE


def looks_binary(text: str) -> bool:
    """True when a decoded string is mostly control characters or replacement marks."""
    sample = text[:8192]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    bad = len(sample) - len(sample.translate(_DROP_BAD_CHARS))
    return bad / len(sample) > _MAX_CONTROL_SHARE
