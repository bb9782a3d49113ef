"""User steps for the tests, named ``helpers.step_samples:<name>`` in configs (tests/ is on the path)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any, Literal

import apache_beam as beam

from newsbeam.transforms.model import Article, Reject


def mark(article: Article, field: str = "marked", value: Any = True) -> Article:
    """Set one extra field."""
    article.extra[field] = value
    return article


def drop_if(article: Article, word: str) -> Article | None:
    """Drop articles whose body holds ``word``."""
    return None if word in article.body else article


def explode_if(article: Article, word: str) -> Article:
    """Raise on articles whose body holds ``word``."""
    if word in article.body:
        raise ValueError(f"found {word!r}")
    return article


def add_timestamp(article: Article) -> Article:
    article.extra["seen_at"] = datetime(2025, 3, 15, tzinfo=timezone.utc)
    return article


def typed(
    article: Article,
    count: int,
    ratio: float = 0.5,
    names: list[str] | None = None,
    mode: Literal["fast", "slow"] = "fast",
    flags: dict[str, bool] | None = None,
) -> Article:
    return article


def returns_text(article: Article) -> str:
    return article.body


class Lookup:
    """A class step: ``setup()`` fills the table that ``process()`` uses."""

    def __init__(self, suffix: str = "") -> None:
        if suffix == "bad":
            raise ValueError("suffix must not be 'bad'")
        self.suffix = suffix
        self.table: dict[str, str] | None = None
        self.setups = 0

    def setup(self) -> None:
        self.setups += 1
        self.table = {"en": "English", "fr": "French"}

    def process(self, article: Article) -> Article:
        assert self.table is not None, "setup() runs before process()"
        article.extra["language_name"] = self.table.get(article.language or "", "unknown") + self.suffix
        article.extra["setups"] = self.setups
        return article


class KeepFirstPerSource(beam.PTransform):
    """A PTransform step that drops all but the first article (by id) of each source."""

    def __init__(self, reject_others: bool = False) -> None:
        super().__init__()
        self.reject_others = reject_others

    def expand(self, articles: Any) -> Any:
        grouped = (
            articles
            | beam.Map(lambda a: (a.source or "", a))
            | beam.GroupByKey()
            | beam.Map(lambda kv: sorted(kv[1], key=lambda a: a.id))
        )
        kept = grouped | "First" >> beam.Map(lambda group: group[0])
        if not self.reject_others:
            return kept
        others = grouped | "Others" >> beam.FlatMap(
            lambda group: [
                Reject.of(a.input, "not_first", "another article of the source came first") for a in group[1:]
            ]
        )
        return {"articles": kept, "rejects": others}


class CopyTwice(beam.PTransform):
    """A broken PTransform step: returns every article twice."""

    def expand(self, articles: Any) -> Any:
        return articles | beam.FlatMap(lambda a: [a, dataclasses.replace(a)])


class NotAStep:
    pass


class AlsoADoFn(beam.DoFn):
    def process(self, element: Any) -> Any:
        yield element


class Passthrough(beam.PTransform):
    """A PTransform step without a constructor of its own."""

    def expand(self, articles: Any) -> Any:
        return articles


def first_heading(article: Article, soup: Any, field: str = "heading") -> Article:
    """Keep the page's first <h1> text as an extra field: a step that asks for the soup."""
    heading = soup.find("h1") if soup is not None else None
    article.extra[field] = heading.get_text(strip=True) if heading is not None else None
    return article


class HeadingCount:
    """A step object whose process() asks for the soup."""

    def process(self, article: Article, soup: Any) -> Article:
        article.extra["headings"] = len(soup.find_all(["h1", "h2"])) if soup is not None else 0
        return article
