"""One page's bytes to a :class:`Page`, or to the reject that says why they are not one.

Shared by every reader: the bytes are decoded to text with the charset the transport declared
(``content_type``), then the document's own, then a guess
(:func:`~newsbeam.transforms.extraction.decoding.decode_page`); bytes that are not text are
``undecodable`` and a page with no text is ``empty_body``.
"""

from __future__ import annotations

from newsbeam.transforms.extraction.decoding import UndecodableError, charset_from_content_type, decode_page
from newsbeam.transforms.model import Page, Provenance, Reject

__all__ = ["page_from_bytes"]


def page_from_bytes(
    data: bytes,
    where: Provenance,
    url: str | None,
    as_html: bool,
    content_type: str | None = None,
    fetched_at: str | None = None,
    headers: dict[str, str] | None = None,
) -> Page | Reject:
    try:
        content = decode_page(data, charset_from_content_type(content_type))
    except UndecodableError as error:
        return Reject.of(where, "undecodable", f"the page's bytes are not text: {error}")
    if not content.strip():
        return Reject.of(where, "empty_body", "the page holds no text")
    if as_html:
        return Page(input=where, url=url, html=content, fetched_at=fetched_at, headers=headers or {})
    return Page(input=where, url=url, text=content, fetched_at=fetched_at, headers=headers or {})
