"""WARC and ARC files: which records are pages, and what each page record becomes.

The records come from :func:`~.archive.read_records` (framing and recovery). Here:

* ``response`` and ``resource`` records are pages read, each ending as a :class:`Page` or a
  :class:`Reject`, except ``dns:`` captures;
* every other record (``warcinfo``, ``request``, ``metadata``, ``revisit``, ``conversion``,
  ``continuation``, ARC's file header, ``dns:`` captures, unknown types) is skipped and counted
  by type in :attr:`DumpSummary.skipped_by_type`;
* a page record is a reject ``http_error`` for an HTTP status other than 2xx (a redirect with
  its location), ``not_html`` when it is not HTML (:func:`~.sniff.not_page`, strict: a missing
  or generic type must sniff as HTML), ``truncated`` when the crawler cut it
  (``WARC-Truncated``), ``too_large``, ``undecodable`` when its chunked or compressed body does
  not decode (:mod:`.http`), ``empty_body``; else a page with the record's URL, its capture
  date as ``fetched_at`` and its HTTP headers.

ARC records are read as WARC records (warcio's arc2warc): the file header is a ``warcinfo``,
every other record a ``response``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

from newsbeam.transforms.formats.archive import Damage, Framed, read_records
from newsbeam.transforms.formats.boundaries import member_starts_record
from newsbeam.transforms.formats.http import BodyDecodeError, HttpResponse, decode_body, parse_http
from newsbeam.transforms.formats.pages import page_from_bytes
from newsbeam.transforms.formats.sniff import SNIFF_BYTES, declared_decision, media_type, not_page
from newsbeam.transforms.formats.source import DumpSummary
from newsbeam.transforms.formats.stream import Inflater
from newsbeam.transforms.model import Page, Provenance, Reject

__all__ = ["PAGE_TYPES", "SKIPPED_TYPES", "read_archive"]

PAGE_TYPES = ("response", "resource")
#: Record types counted by name; any other is counted as ``other``.
SKIPPED_TYPES = ("warcinfo", "request", "metadata", "revisit", "conversion", "continuation", "dns")
#: Bytes over ``read.max_page_bytes`` a record may hold for its HTTP headers.
_HEADER_SLACK = 64 * 1024
LOGGER = logging.getLogger("newsbeam")


def read_archive(
    raw: object,
    path: str,
    summary: DumpSummary,
    max_page_bytes: int,
    kind: str,
    gzipped: bool,
    limit: int | None = None,
    chunk: int = 0,
    base: int = 0,
) -> Iterator[Page | Reject]:
    """The pages of a WARC or ARC stream (``kind`` ``warc`` or ``arc``), as the module docstring says.

    ``raw`` is the file's raw stream, from ``base`` (its offset in the file) on; ``limit`` ends a
    byte range (:mod:`.ranges`).
    """
    inflater = Inflater(
        raw,  # type: ignore[arg-type]
        gzipped,
        lambda buffer, index: member_starts_record(buffer, index, kind),
        base,
    )
    index = 0
    warnings: list[str] = []
    for item in read_records(inflater, kind, max_page_bytes + _HEADER_SLACK, limit):
        where = Provenance(path, index, chunk)
        if isinstance(item, Damage):
            outcome: Page | Reject | None = _damage_outcome(item, where, summary)
        else:
            outcome = _record_outcome(item, where, summary, max_page_bytes)
            if isinstance(outcome, Page):
                warnings.extend(item.warnings)
            elif isinstance(outcome, Reject) and item.warnings:
                outcome = dataclasses.replace(
                    outcome, detail=f"{outcome.detail} (warcio: {'; '.join(item.warnings)})"
                )
        if outcome is None:
            continue
        index += 1
        yield outcome
    if warnings:
        LOGGER.info(
            "newsbeam: warcio warned %d times reading %s: %s", len(warnings), path, "; ".join(warnings[:3])
        )


def _kind_of(rec_type: str | None, uri: str | None) -> str | None:
    """The type a skipped record is counted as, or ``None`` for a page record."""
    if rec_type in PAGE_TYPES or rec_type is None:
        return "dns" if (uri or "").lower().startswith("dns:") else None
    return rec_type if rec_type in SKIPPED_TYPES else "other"


def _damage_outcome(damage: Damage, where: Provenance, summary: DumpSummary) -> Reject | None:
    skipped = _kind_of(damage.rec_type, damage.uri)
    if skipped is not None and damage.reason == "malformed_record":
        summary.skip(skipped)
        return None
    if damage.reason == "truncated":
        return Reject.of(where, "truncated", damage.detail)
    return Reject.of(where, "malformed_record", damage.detail)


def _record_outcome(
    record: Framed, where: Provenance, summary: DumpSummary, max_page_bytes: int
) -> Page | Reject | None:
    uri = record.headers.get_header("WARC-Target-URI")
    skipped = _kind_of(record.rec_type, uri)
    if skipped is not None:
        summary.skip(skipped)
        return None
    at = f"{uri or 'the record'} (byte {record.offset})"
    http: HttpResponse | None = None
    if record.rec_type == "response" and (uri or "").lower().startswith(("http:", "https:")):
        http = parse_http(record.content)
    if http is not None:
        if not 200 <= http.status < 300:
            summary.count_status(http.status)
            return _http_error(http, at, where)
        declared = http.header("content-type")
        body = http.body
    else:
        # A resource's type is its WARC Content-Type; a response's is its payload's, unknown here.
        declared = record.headers.get_header("Content-Type") if record.rec_type == "resource" else None
        body = record.content
    decision = declared_decision(declared)
    decoded: bytes | None = None
    if decision == "sniff":
        decoded, failure = _decode(http, body, max_page_bytes)
        if failure is not None and record.whole:
            return Reject.of(where, "undecodable", f"the response of {at} does not decode: {failure}")
        verdict = not_page(declared, (body if failure else decoded)[:SNIFF_BYTES], strict=True)
    else:
        verdict = None if decision == "page" else media_type(declared)
    if verdict is not None:
        summary.count_not_html(media_type(declared) or "none")
        return Reject.of(where, "not_html", f"the {record.rec_type} of {at} is {verdict}: not a page")
    cut = record.headers.get_header("WARC-Truncated")
    if cut:
        return Reject.of(where, "truncated", f"the crawler cut the capture of {at} (WARC-Truncated: {cut})")
    if not record.whole:
        return _too_large(where, at, max_page_bytes)
    if decoded is None:
        decoded, failure = _decode(http, body, max_page_bytes)
        if failure is not None:
            return Reject.of(where, "undecodable", f"the response of {at} does not decode: {failure}")
    if len(decoded) > max_page_bytes:
        return _too_large(where, at, max_page_bytes)
    return page_from_bytes(
        decoded,
        where,
        url=uri,
        as_html=True,
        content_type=declared,
        fetched_at=record.headers.get_header("WARC-Date"),
        headers=http.headers if http is not None else {},
    )


def _decode(http: HttpResponse | None, body: bytes, max_page_bytes: int) -> tuple[bytes, str | None]:
    if http is None:
        return body, None
    try:
        return decode_body(
            body, http.header("transfer-encoding"), http.header("content-encoding"), max_page_bytes
        ), None
    except BodyDecodeError as error:
        return b"", str(error)


def _http_error(http: HttpResponse, at: str, where: Provenance) -> Reject:
    status = http.status or "unreadable"
    if 300 <= http.status < 400:
        location = http.header("location") or "no location"
        return Reject.of(where, "http_error", f"the response of {at} redirects (HTTP {status}) to {location}")
    return Reject.of(where, "http_error", f"the response of {at} has HTTP status {status}")


def _too_large(where: Provenance, at: str, max_page_bytes: int) -> Reject:
    return Reject.of(
        where,
        "too_large",
        f"the response of {at} is larger than read.max_page_bytes ({max_page_bytes} bytes)",
    )
