"""A PTransform step: mark stories that several sites published under the same headline.

It needs the whole run at once (a grouping), which a function of one article cannot do:
headlines are counted per site with a combiner, and the result comes back to every
article as a side input. A PTransform step takes the PCollection of articles and returns
one; it must return every article it is given (newsbeam records one it does not return
as a reject ``dropped_by:<step name>``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

import apache_beam as beam

if TYPE_CHECKING:
    from newsbeam import Article

_WORDS = re.compile(r"\w+")


def headline_key(title: str | None) -> str | None:
    """Case, punctuation and spacing ignored; None for articles without a headline."""
    words = _WORDS.findall((title or "").casefold())
    return " ".join(words) or None


def _sources_by_headline(article: Article) -> list[tuple[str, str]]:
    key = headline_key(article.title)
    return [(key, article.source or "unknown")] if key else []


def _mark(article: Article, sites: dict[str, list[str]], field: str, min_sources: int) -> Article:
    found = sites.get(headline_key(article.title) or "", [])
    if len(found) < min_sources:
        return article
    # Other branches of this transform read the same article objects: change a copy.
    return dataclasses.replace(article, extra={**article.extra, field: found})


class MarkSyndicated(beam.PTransform):
    """Add `syndicated_by` (the sites) to articles whose headline several sites published."""

    def __init__(self, min_sources: int = 2, field: str = "syndicated_by") -> None:
        super().__init__()
        if min_sources < 2:
            raise ValueError(f"min_sources must be at least 2, not {min_sources}")
        self._min_sources = min_sources
        self._field = field

    def expand(self, articles: Any) -> Any:
        sites = (
            articles
            | "Headline and site" >> beam.FlatMap(_sources_by_headline)
            | "Distinct" >> beam.Distinct()
            | "Group by headline" >> beam.GroupByKey()
            | "Sites per headline" >> beam.MapTuple(lambda headline, sites: (headline, sorted(sites)))
        )
        return articles | "Mark" >> beam.Map(
            _mark, sites=beam.pvalue.AsDict(sites), field=self._field, min_sources=self._min_sources
        )
