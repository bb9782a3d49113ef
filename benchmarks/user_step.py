"""A trivial user step, to measure what a user step costs per article (see benchmarks/README.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbeam import Article


def touch(article: Article) -> Article:
    """Add one extra field; the least a real step does."""
    article.extra["touched"] = True
    return article
