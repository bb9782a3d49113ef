"""The dedup stage: one article per story, every dropped copy recorded.

Two passes, each a ``GroupByKey`` so that they scale on any runner:

1. **exact**: articles with the same ``content_hash`` (normalized body: case-folded,
   punctuation dropped, whitespace collapsed) are one story, whatever their URL, so a
   wire story republished verbatim by several sites is kept once.
2. **same id**: articles with the same id (the same normalized URL) but other bodies are
   one page crawled twice after an edit; the copies become ``near`` duplicates with
   their word-set Jaccard similarity to the kept one.

Which copy is kept is deterministic (:func:`canonical_sort_key`): one with a URL, then
the one with the most metadata, then the earliest published, then the longest body,
then the smallest id and input position, so every running mode keeps the same one.
Because the second pass groups by id, a duplicate's ``duplicate_of`` from the first pass
still names the article that is finally kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.records import Article, Duplicate

__all__ = ["DeduplicateArticles", "canonical_sort_key", "resolve_group", "word_jaccard"]

ARTICLES, DUPLICATES = "articles", "duplicates"
_WORD = re.compile(r"\w+")


def metadata_richness(article: Article) -> int:
    return sum(
        bool(value)
        for value in (article.title, article.authors, article.published_at, article.source, article.language)
    )


def canonical_sort_key(article: Article) -> tuple[object, ...]:
    """Smallest key = the copy to keep (see the module docstring)."""
    return (
        article.url is None,
        -metadata_richness(article),
        article.published_at is None,
        article.published_at or "",
        -article.word_count,
        article.id,
        article.input.path,
        article.input.record,
    )


def word_jaccard(first: str, second: str) -> float:
    a, b = set(_WORD.findall(first.casefold())), set(_WORD.findall(second.casefold()))
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def resolve_group(articles: Iterable[Article], kind: str) -> tuple[Article, list[Duplicate]]:
    """Keep one article of a group of copies; the others become duplicates of it."""
    ordered = sorted(articles, key=canonical_sort_key)
    kept, copies = ordered[0], ordered[1:]
    duplicates = [
        Duplicate(
            id=copy.id,
            url=copy.url,
            duplicate_of=kept.id,
            kind=kind,
            similarity=1.0 if kind == "exact" else word_jaccard(kept.body, copy.body),
            input=copy.input,
        )
        for copy in copies
    ]
    return kept, duplicates


class DeduplicateArticles(beam.PTransform):
    """Articles in; a dict of kept ``articles`` and ``duplicates`` out."""

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        exact = articles | "Exact copies" >> _DropCopies(lambda article: article.content_hash, "exact")
        same_url = exact[ARTICLES] | "Same URL" >> _DropCopies(lambda article: article.id, "near")
        duplicates = (exact[DUPLICATES], same_url[DUPLICATES]) | "All duplicates" >> beam.Flatten()
        return {ARTICLES: same_url[ARTICLES], DUPLICATES: duplicates}


class _DropCopies(beam.PTransform):
    def __init__(self, key: Callable[[Article], str], kind: str) -> None:
        super().__init__()
        self._key = key
        self._kind = kind

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        outputs = (
            articles
            | "Key" >> beam.Map(lambda article, key: (key(article), article), key=self._key)
            | "Group" >> beam.GroupByKey()
            | "Keep one" >> beam.ParDo(_KeepOneFn(self._kind)).with_outputs(DUPLICATES, main=ARTICLES)
        )
        return {ARTICLES: outputs[ARTICLES], DUPLICATES: outputs[DUPLICATES]}


class _KeepOneFn(beam.DoFn):
    def __init__(self, kind: str) -> None:
        self._kind = kind
        self._dropped = Metrics.counter("dedup", f"duplicates_{kind}")

    def process(self, keyed: tuple[str, Iterable[Article]]) -> Iterable[Article | TaggedOutput]:
        kept, duplicates = resolve_group(keyed[1], self._kind)
        yield kept
        for duplicate in duplicates:
            self._dropped.inc()
            yield TaggedOutput(DUPLICATES, duplicate)
