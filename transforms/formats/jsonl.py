"""JSONL dumps: one page per line, ``{"url", "html" | "text", "fetched_at"?, "headers"?}``.

Lines are read one at a time and at most ``read.max_page_bytes`` + 1 bytes of a line are held:
a longer line is passed over to its end in bounded memory and rejected ``too_large``. Blank
lines are not records. Every reject names its line, counted from the start of the file; a reader
of one byte range (:mod:`.ranges`) counts lines from its range's start, and the pipeline adds the
lines of the ranges before it (:func:`renumber_line`), so a reject reads the same whatever the
split. An ``html`` field that holds a script, a stylesheet, JSON or a feed is ``not_html``
(:func:`~.sniff.not_page`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

import orjson

from newsbeam.transforms.formats.sniff import SNIFF_BYTES, media_type, not_page
from newsbeam.transforms.formats.source import DumpSummary, Source
from newsbeam.transforms.model import Page, Provenance, Reject

__all__ = ["read_jsonl", "renumber_line"]

_SKIP_BYTES = 64 * 1024
_EXCERPT_BYTES = 400
_LINE_DETAIL = re.compile(r"^line (\d+): ")


def read_jsonl(
    source: Source,
    path: str,
    summary: DumpSummary,
    max_page_bytes: int,
    limit: int | None = None,
    chunk: int = 0,
    first_line: int = 0,
) -> Iterator[Page | Reject]:
    """The pages of a JSONL stream; ``first_line``: lines before the stream's first byte."""
    index = position = 0
    lines = first_line
    while limit is None or position < limit:
        line, size = _read_line(source.stream, max_page_bytes + 1)
        position += size
        ended = line.endswith(b"\n")
        if not size or (source.truncation and not ended):
            return  # the end, or the start of a line the cut took away (its reject follows)
        lines += 1
        content = line.rstrip(b"\r\n")
        if size - (len(line) - len(content)) > max_page_bytes:
            where = Provenance(path, index, chunk)
            yield Reject.of(
                where,
                "too_large",
                f"line {lines}: the record is larger than read.max_page_bytes ({max_page_bytes} bytes)",
            )
            index += 1
            continue
        if not content.strip():
            continue
        yield _page_from_json_line(content, Provenance(path, index, chunk), lines, summary)
        index += 1


def _read_line(stream: IO[bytes], most: int) -> tuple[bytes, int]:
    """At most ``most`` bytes of the next line, and the line's whole size (the rest is passed over)."""
    line = stream.readline(most)
    size = len(line)
    if line.endswith(b"\n") or size < most:
        return line, size
    while True:
        rest = stream.readline(_SKIP_BYTES)
        size += len(rest)
        if not rest or rest.endswith(b"\n"):
            return line + (b"\n" if rest.endswith(b"\n") else b""), size


def _page_from_json_line(line: bytes, where: Provenance, number: int, summary: DumpSummary) -> Page | Reject:
    excerpt = line[:_EXCERPT_BYTES].decode("utf-8", "replace")
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return Reject.of(where, "malformed_record", f"line {number}: not valid JSON: {error}", excerpt)
    if not isinstance(record, dict):
        return Reject.of(
            where, "malformed_record", f"line {number}: the line is JSON but not an object", excerpt
        )
    html, text, url = record.get("html"), record.get("text"), record.get("url")
    if not isinstance(html, str) and not isinstance(text, str):
        return Reject.of(
            where,
            "malformed_record",
            f"line {number}: the record has neither an 'html' nor a 'text' string",
            excerpt,
        )
    if url is not None and not isinstance(url, str):
        return Reject.of(
            where, "malformed_record", f"line {number}: the record's 'url' is not a string", excerpt
        )
    fetched_at = record.get("fetched_at")
    given = record.get("headers")
    headers = {str(k).lower(): str(v) for k, v in given.items()} if isinstance(given, dict) else {}
    content = html if isinstance(html, str) else str(text)
    if not content.strip():
        return Reject.of(where, "empty_body", f"line {number}: the record's page is empty", excerpt)
    if isinstance(html, str):
        declared = headers.get("content-type")
        verdict = not_page(declared, html[:SNIFF_BYTES].encode("utf-8", "replace"), strict=False)
        if verdict is not None:
            summary.count_not_html(media_type(declared) or "none")
            return Reject.of(
                where, "not_html", f"line {number}: the record's html is {verdict}, not a page", excerpt
            )
    return Page(
        input=where,
        url=url,
        html=html if isinstance(html, str) else None,
        text=None if isinstance(html, str) else text,
        fetched_at=fetched_at if isinstance(fetched_at, str) else None,
        headers=headers,
    )


def renumber_line(detail: str, lines_before: int) -> str:
    """A JSONL reject's detail with its line counted from the file's start, not its range's."""
    found = _LINE_DETAIL.match(detail)
    if found is None or not lines_before:
        return detail
    return f"line {int(found.group(1)) + lines_before}: {detail[found.end() :]}"
