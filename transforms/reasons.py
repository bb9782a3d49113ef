"""Every reject reason code, and whether it is a failure or a filter.

A *failure* is a page the pipeline could not read or process (a cut file, bytes that are not
text, an extractor that raised); a *filter* is a page it read and decided is not an article
(an image, a redirect, a listing, a page a user step dropped). ``--max-reject-ratio`` (exit 4)
counts failures only, and the manifest gives their share (docs/contracts.md#reject-record).

The readers, the parse stage and the user-step wrapper emit these codes; the tests check that
every code the source can emit is in :data:`REASONS` and that docs/contracts.md lists the same
table. A code this table does not know (a newer release's, say) counts as a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FAILURE", "FILTER", "PREFIXES", "REASONS", "Reason", "is_failure", "reason_kind"]

FAILURE: Literal["failure"] = "failure"
FILTER: Literal["filter"] = "filter"


@dataclass(frozen=True)
class Reason:
    """One reason code: its kind, the stage that emits it, and what it means."""

    code: str
    kind: Literal["failure", "filter"]
    stage: str
    meaning: str


REASONS: dict[str, Reason] = {
    reason.code: reason
    for reason in (
        Reason("empty_file", FILTER, "read", "the file is empty"),
        Reason("unreadable", FAILURE, "read", "the file cannot be opened or read"),
        Reason(
            "truncated",
            FAILURE,
            "read",
            "the file ends early: a gzip stream or a record cut off (the rest of the file is this one "
            "reject), or a record the crawler cut (`WARC-Truncated`)",
        ),
        Reason(
            "malformed_record",
            FAILURE,
            "read",
            "a record in the middle of a file that cannot be parsed (a WARC or ARC record with bad headers "
            "or a wrong length, a corrupt gzip member: the detail gives its byte offset), or a JSONL line "
            "that is not a JSON object with an `html` or `text` string",
        ),
        Reason(
            "undecodable",
            FAILURE,
            "read",
            "the bytes are not text in any encoding found, or a "
            "compressed or chunked HTTP body does not decode",
        ),
        Reason("too_large", FAILURE, "read", "larger than `read.max_page_bytes`"),
        Reason("empty_body", FILTER, "read", "the page or record holds no text"),
        Reason(
            "http_error",
            FILTER,
            "read",
            "an archived response with a status other than 2xx (the detail gives the status, and for a "
            "redirect its location)",
        ),
        Reason(
            "not_html",
            FILTER,
            "read",
            "not a page: an archived response or resource whose media type is not HTML (an image, a "
            "script, a stylesheet, JSON, a feed) or whose bytes do not look like HTML when its type does "
            "not say; an HTML file or JSONL `html` field that holds a script, a stylesheet or JSON",
        ),
        Reason(
            "not_article",
            FILTER,
            "parse, boilerplate",
            "no article text, a listing of teasers, fewer than `parse.min_words` words, or too few "
            "words left after boilerplate removal",
        ),
        Reason("timeout", FAILURE, "parse", "extraction took longer than `parse.timeout_seconds`"),
        Reason(
            "parse_failed",
            FAILURE,
            "parse",
            "the extractor raised on this page (the exception is in `detail`)",
        ),
    )
}

#: Codes of user steps, ``<prefix>:<step name>``.
PREFIXES: dict[str, Reason] = {
    "dropped_by": Reason("dropped_by:<step>", FILTER, "user step", "the step dropped the article"),
    "step_failed": Reason(
        "step_failed:<step>",
        FAILURE,
        "user step",
        "the step raised, returned something else than an Article, or added an extra field that is "
        "not plain JSON",
    ),
}


def reason_kind(code: str) -> Literal["failure", "filter"]:
    """``failure`` or ``filter``; a code that is not in the table is a failure."""
    known = REASONS.get(code) or PREFIXES.get(code.split(":", 1)[0] if ":" in code else "")
    return known.kind if known is not None else FAILURE


def is_failure(code: str) -> bool:
    return reason_kind(code) == FAILURE
