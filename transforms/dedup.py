"""The dedup stage: one article per story, every dropped copy recorded.

Three passes, each made of ``GroupByKey`` steps so that they scale on any runner:

1. **exact**: articles with the same ``content_hash`` (normalized body: case-folded,
   punctuation dropped, whitespace collapsed) are one story, whatever their URL, so a
   wire story republished verbatim by several sites is kept once.
2. **same id**: articles with the same id (the same normalized URL) but other bodies are
   one page crawled twice after an edit; the copies become ``near`` duplicates with
   their word-set Jaccard similarity to the kept one.
3. **near** (when given :class:`NearDedupSettings`): MinHash LSH over the bodies, within
   the run and against the articles earlier runs kept (:mod:`transforms.near_dedup`).
   A dropped article becomes a duplicate of the cluster's kept article (``kind`` is
   ``exact`` when the normalized bodies are equal, else ``near``); the copies the first
   two passes dropped in its favour are pointed at that article too (similarity: the
   product of the two steps'). Each kept article of this run gets ``node`` in the
   ``state`` output, for the cross-run index.

Every kept article gains two extra fields: ``duplicate_count`` (all copies dropped in
its favour by the three passes) and ``duplicate_urls`` (their distinct URLs, the
``duplicate_urls_cap`` smallest).

Which copy is kept by the first two passes is deterministic (:func:`canonical_sort_key`): one with a URL, then
the one with the most metadata, then the earliest published, then the longest body,
then the smallest id and input position, so every running mode keeps the same one.
Because the second pass groups by id, a duplicate's ``duplicate_of`` from the first pass
still names the article that the second pass keeps. The near pass chooses its own way
(:func:`transforms.near_dedup.choose_canonical`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.near_dedup import (
    Gain,
    NearDedupSettings,
    NearDuplicates,
    Node,
    Redirect,
    capped_urls,
    node_of,
)
from transforms.records import Article, Duplicate, pack_article, unpack_article

__all__ = [
    "DeduplicateArticles",
    "canonical_sort_key",
    "repoint",
    "resolve_group",
    "with_copy_fields",
    "word_jaccard",
]

ARTICLES, DUPLICATES, STATE = "articles", "duplicates", "state"
DEFAULT_URLS_CAP = 20
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


def resolve_group(
    articles: Iterable[Article], kind: str, urls_cap: int = DEFAULT_URLS_CAP
) -> tuple[Article, list[Duplicate]]:
    """Keep one article of a group of copies; the others become duplicates of it.

    The kept article (a copy, the input is not changed) notes in its ``hints`` how many
    copies were dropped in its favour so far (``copies``) and their URLs (``copy_urls``).
    """
    ordered = sorted(articles, key=canonical_sort_key)
    kept, copies = ordered[0], ordered[1:]
    if copies:
        count = sum(_copies(article) for article in ordered) - _copies(kept) + len(copies)
        urls = [url for article in ordered for url in (article.url, *article.hints.get("copy_urls", ()))]
        hints = {
            **kept.hints,
            "copies": _copies(kept) + count,
            "copy_urls": capped_urls([url for url in urls if url], kept.url, urls_cap),
        }
        kept = dataclasses.replace(kept, hints=hints)
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


def _copies(article: Article) -> int:
    return int(article.hints.get("copies", 0))


def with_copy_fields(article: Article, gain: Gain | None = None, urls_cap: int = DEFAULT_URLS_CAP) -> Article:
    """The kept article with ``duplicate_count`` and ``duplicate_urls`` set (a copy)."""
    count = _copies(article) + (gain.copies if gain else 0)
    urls = [*article.hints.get("copy_urls", ()), *(gain.urls if gain else ())]
    extra = {
        **article.extra,
        "duplicate_count": count,
        "duplicate_urls": list(capped_urls(urls, article.url, urls_cap)),
    }
    return dataclasses.replace(article, extra=extra)


def repoint(copy: Duplicate, redirect: Redirect) -> Duplicate:
    """A copy dropped in favour of an article that the near pass dropped in turn."""
    exact = copy.kind == "exact" and redirect.kind == "exact"
    return dataclasses.replace(
        copy,
        duplicate_of=redirect.kept_id,
        kind="exact" if exact else "near",
        similarity=copy.similarity * redirect.similarity,
    )


class DeduplicateArticles(beam.PTransform):
    """Articles in; a dict of kept ``articles``, ``duplicates`` and ``state`` nodes out.

    The input is a PCollection of articles, or ``{"articles": ..., "state": ...}`` where
    ``state`` holds the :class:`Node` of every article earlier runs kept. Without
    ``near`` settings only the exact and same-URL passes run and ``state`` is empty.
    """

    def __init__(self, near: NearDedupSettings | None = None, urls_cap: int | None = None) -> None:
        super().__init__()
        self._near = near
        self._urls_cap = urls_cap if urls_cap is not None else (near.duplicate_urls_cap if near else 20)

    def expand(self, inputs: Any) -> dict[str, beam.PCollection]:
        articles = inputs["articles"] if isinstance(inputs, dict) else inputs
        cap = self._urls_cap
        exact = articles | "Exact copies" >> _DropCopies(lambda article: article.content_hash, "exact", cap)
        same_url = exact[ARTICLES] | "Same URL" >> _DropCopies(lambda article: article.id, "near", cap)
        earlier = (exact[DUPLICATES], same_url[DUPLICATES]) | "Exact and same URL" >> beam.Flatten()
        if self._near is None:
            kept = same_url[ARTICLES] | "Copy fields" >> beam.Map(with_copy_fields, urls_cap=cap)
            empty = articles.pipeline | "No state" >> beam.Create([])
            return {ARTICLES: kept, DUPLICATES: earlier, STATE: empty}
        state = inputs.get("state") if isinstance(inputs, dict) else None
        if state is None:
            state = articles.pipeline | "Empty state" >> beam.Create([])
        nodes = same_url[ARTICLES] | "Sign" >> beam.Map(node_of, self._near.lsh)
        near = {"nodes": nodes, "state": state} | "Near copies" >> NearDuplicates(self._near)
        applied = (
            {
                "article": same_url[ARTICLES] | "Packed by id" >> beam.Map(lambda a: (a.id, pack_article(a))),
                "node": nodes | "Node by id" >> beam.Map(lambda node: (node.id, node)),
                "redirect": near["redirects"],
                "gain": near["gains"],
                "copy": earlier | "Copy by kept id" >> beam.Map(lambda d: (d.duplicate_of, d)),
            }
            | "Join decisions" >> beam.CoGroupByKey()
            | "Apply decisions" >> beam.ParDo(_ApplyFn(cap)).with_outputs(DUPLICATES, STATE, main=ARTICLES)
        )
        return {ARTICLES: applied[ARTICLES], DUPLICATES: applied[DUPLICATES], STATE: applied[STATE]}


class _ApplyFn(beam.DoFn):
    """Per article id: drop it (and re-point its copies) or keep it with its copy fields."""

    def __init__(self, urls_cap: int) -> None:
        self._urls_cap = urls_cap
        self._dropped = Metrics.counter("dedup", "duplicates_near_minhash")

    def process(self, joined: tuple[str, dict[str, list]]) -> Iterable[Article | TaggedOutput]:
        _, sides = joined
        copies: list[Duplicate] = list(sides["copy"])
        redirects: list[Redirect] = list(sides["redirect"])
        for packed in sides["article"]:
            article = unpack_article(packed)
            if redirects:
                redirect = redirects[0]
                self._dropped.inc()
                yield TaggedOutput(
                    DUPLICATES,
                    Duplicate(
                        id=article.id,
                        url=article.url,
                        duplicate_of=redirect.kept_id,
                        kind=redirect.kind,
                        similarity=redirect.similarity,
                        input=article.input,
                    ),
                )
                for copy in copies:
                    yield TaggedOutput(DUPLICATES, repoint(copy, redirect))
                continue
            gains: list[Gain] = list(sides["gain"])
            yield with_copy_fields(article, gains[0] if gains else None, self._urls_cap)
            for copy in copies:
                yield TaggedOutput(DUPLICATES, copy)
            node: Node
            for node in sides["node"]:
                yield TaggedOutput(STATE, node)


class _DropCopies(beam.PTransform):
    def __init__(self, key: Callable[[Article], str], kind: str, urls_cap: int = DEFAULT_URLS_CAP) -> None:
        super().__init__()
        self._key = key
        self._kind = kind
        self._urls_cap = urls_cap

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        outputs = (
            articles
            | "Key" >> beam.Map(lambda article, key: (key(article), pack_article(article)), key=self._key)
            | "Group" >> beam.GroupByKey()
            | "Keep one"
            >> beam.ParDo(_KeepOneFn(self._kind, self._urls_cap)).with_outputs(DUPLICATES, main=ARTICLES)
        )
        return {ARTICLES: outputs[ARTICLES], DUPLICATES: outputs[DUPLICATES]}


class _KeepOneFn(beam.DoFn):
    def __init__(self, kind: str, urls_cap: int) -> None:
        self._kind = kind
        self._urls_cap = urls_cap
        self._dropped = Metrics.counter("dedup", f"duplicates_{kind}")

    def process(self, keyed: tuple[str, Iterable[bytes]]) -> Iterable[Article | TaggedOutput]:
        articles = [unpack_article(packed) for packed in keyed[1]]
        kept, duplicates = resolve_group(articles, self._kind, self._urls_cap)
        yield kept
        for duplicate in duplicates:
            self._dropped.inc()
            yield TaggedOutput(DUPLICATES, duplicate)
