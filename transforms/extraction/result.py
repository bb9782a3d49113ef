"""What an extractor finds on one page, before it becomes an :class:`~newsbeam.transforms.model.Article`.

Both extractors (``extract_html`` for HTML documents, ``extract_text`` for plain-text
page dumps) return an :class:`Extraction`. The parse stage then derives what does not
depend on the page's format (id, content hash, word count, source, dates from the URL)
in one place, ``newsbeam.transforms.extraction.page.build_article``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Extraction"]


@dataclass(slots=True)
class Extraction:
    """The article found on one page; fields are ``None``/empty when the page does not say.

    ``paragraphs`` is the body, boilerplate removed, one string per paragraph (no
    blank strings, whitespace collapsed inside each). Dates are ISO 8601 strings.
    ``sections``, ``breadcrumbs`` and ``og_type`` are the site's own words about where
    the article belongs; the classifier maps them onto the taxonomy.
    """

    paragraphs: list[str] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None
    url: str | None = None
    site_name: str | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    dateline: str | None = None
    sections: list[str] = field(default_factory=list)
    breadcrumbs: list[str] = field(default_factory=list)
    og_type: str | None = None
