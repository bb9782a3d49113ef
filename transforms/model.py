"""The records that flow through newsbeam: one definition each, used by every stage.

A run turns each *page* it reads into exactly one of three outputs:

* an :class:`Article` (written under ``articles/``),
* a :class:`Duplicate` (written under ``duplicates/``), pointing at the article kept,
* a :class:`Reject` (written under ``rejects/``), with a short stable reason code.

:class:`Page` is what the read stage hands to the parse stage: the raw document and
where it came from. The field names of the written records are the contract of
``docs/contracts.md``; ``to_record()`` is the single place that turns a dataclass into a line.
How records travel between stages is :mod:`.coders`.
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "Provenance",
    "Page",
    "Article",
    "Duplicate",
    "Reject",
    "ARTICLE_FIELDS",
    "EXCERPT_CHARS",
    "replace_article",
]

#: Bumped on any incompatible change of the written records (docs/contracts.md).
SCHEMA_VERSION = 1

EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a page came from: the file, and the page's index inside that file."""

    path: str
    record: int = 0
    #: A page of a big file read in byte ranges (``formats/ranges.py``): the index of its
    #: range, with ``record`` counted from that range's first page until the pipeline adds
    #: the pages of the earlier ranges. 0: ``record`` already counts from the file's start.
    chunk: int = 0

    def to_record(self) -> dict[str, Any]:
        return {"path": self.path, "record": self.record}

    def __reduce__(self) -> tuple[Any, ...]:
        # A tuple of fields pickles faster than the state methods dataclasses generate for slots.
        return (Provenance, (self.path, self.record, self.chunk))


@dataclass(slots=True)
class Page:
    """One document as read from a dump, before any parsing.

    Exactly one of ``html`` and ``text`` is set: ``html`` for HTML documents (already
    decoded to ``str``), ``text`` for plain-text page dumps (the page's visible text).
    """

    input: Provenance
    url: str | None = None
    html: str | None = None
    text: str | None = None
    fetched_at: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content(self) -> str:
        return self.html if self.html is not None else (self.text or "")


@dataclass(slots=True)
class Article:
    """A parsed news article; its written form is the article record (docs/contracts.md).

    ``hints`` carries what the parse stage saw but the record does not keep as a
    field (site section names, breadcrumbs, ``og:type``): the classifier reads them.
    ``extra`` holds fields added by later stages or user steps; they are written as
    they are, after the contract fields.
    """

    id: str
    input: Provenance
    body: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None
    dateline: str | None = None
    captions: list[str] = field(default_factory=list)
    language: str | None = None
    section: str = "uncategorized"
    section_confidence: float = 0.0
    section_signal: str = "default"
    word_count: int = 0
    content_hash: str = ""
    fetched_at: str | None = None
    run_id: str = ""
    hints: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Any, ...]:
        # See Provenance.__reduce__.
        return (Article, _article_fields(self))

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "body": self.body,
            "authors": list(self.authors),
            "published_at": self.published_at,
            "updated_at": self.updated_at,
            "dateline": self.dateline,
            "captions": list(self.captions),
            "language": self.language,
            "section": self.section,
            "section_confidence": round(self.section_confidence, 4),
            "section_signal": self.section_signal,
            "word_count": self.word_count,
            "content_hash": self.content_hash,
            "input": self.input.to_record(),
            "fetched_at": self.fetched_at,
            "run_id": self.run_id,
            "schema_version": SCHEMA_VERSION,
        }
        for key, value in self.extra.items():
            if key in record:
                raise ValueError(
                    f"extra field {key!r} would overwrite a contract field of the article record"
                )
            record[key] = value
        return record


_article_fields = operator.attrgetter(*(item.name for item in dataclasses.fields(Article)))


def replace_article(article: Article, **changes: Any) -> Article:
    """A copy of ``article`` with ``changes``: ``dataclasses.replace``, in less than half its time.

    The steps that change articles (boilerplate, dedup, classify) copy them, since a Beam element
    must not change once emitted; an unknown field raises ``AttributeError``.
    """
    copy = Article(*_article_fields(article))
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


#: The contract fields of the article record, in the order they are written.
ARTICLE_FIELDS: tuple[str, ...] = (
    "id",
    "url",
    "source",
    "title",
    "body",
    "authors",
    "published_at",
    "updated_at",
    "dateline",
    "captions",
    "language",
    "section",
    "section_confidence",
    "section_signal",
    "word_count",
    "content_hash",
    "input",
    "fetched_at",
    "run_id",
    "schema_version",
)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A page dropped because it repeats an article that was kept."""

    id: str
    url: str | None
    duplicate_of: str
    kind: str  # "exact" | "near"
    similarity: float
    input: Provenance
    run_id: str = ""

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "duplicate_of": self.duplicate_of,
            "kind": self.kind,
            "similarity": round(self.similarity, 4),
            "input": self.input.to_record(),
            "run_id": self.run_id,
        }


@dataclass(frozen=True, slots=True)
class Reject:
    """A page (or an unreadable part of a file) that produced no article, and why."""

    input: Provenance
    reason: str
    detail: str
    excerpt: str | None = None
    run_id: str = ""

    @classmethod
    def of(cls, input: Provenance, reason: str, detail: str, content: str | None = None) -> Reject:
        excerpt = content[:EXCERPT_CHARS] if content else None
        return cls(input=input, reason=reason, detail=detail, excerpt=excerpt)

    def to_record(self) -> dict[str, Any]:
        return {
            "input": self.input.to_record(),
            "reason": self.reason,
            "detail": self.detail,
            "excerpt": self.excerpt,
            "run_id": self.run_id,
        }
