"""What the dedup stage decides, as plain functions: one article per story, every dropped copy recorded.

Three passes, each made of ``GroupByKey`` steps so that they scale on any runner
(:class:`~newsbeam.transforms.stages.dedup.DeduplicateArticles` wires them):

1. **exact**: articles with the same ``content_hash`` (normalized body: case-folded,
   punctuation dropped, whitespace collapsed) are one story, whatever their URL, so a
   wire story republished verbatim by several sites is kept once.
2. **same id**: articles with the same id (the same normalized URL) but other bodies are
   one page crawled twice after an edit; the copies become ``near`` duplicates with
   their word-set Jaccard similarity to the kept one.
3. **near** (when given :class:`NearDedupSettings`): MinHash LSH over the bodies, within
   the run and against the articles earlier runs kept (:mod:`.near`).
   A dropped article becomes a duplicate of the cluster's kept article (``kind`` is
   ``exact`` when the normalized bodies are equal, else ``near``); the copies the first
   two passes dropped in its favour are pointed at that article too (similarity: the
   product of the two steps'). Each kept article of this run gets ``node`` in the
   ``state`` output, for the cross-run index.

The passes decide on an :class:`Entry` per article: its identity, what the choice of the
kept copy needs, its MinHash node and where the article waits (its batch and position),
without its body. Each article's fate is then one :class:`Verdict`, joined to its batch by
the batch's name and applied as the batch is read back. A same-id copy's similarity needs
two bodies, which may be in different batches: both send their word sets to one last, small
join by id (:class:`Comparison`; only the pages crawled twice take part).

Every kept article gains two extra fields: ``duplicate_count`` (all copies dropped in
its favour by the three passes) and ``duplicate_urls`` (their distinct URLs, the
``duplicate_urls_cap`` smallest).

Which copy is kept by the first two passes is deterministic (:func:`canonical_sort_key`): one
with a URL, then the one with the most metadata, then the earliest published, then the longest body,
then the smallest id and input position, so every running mode keeps the same one.
Because the second pass groups by id, a duplicate's ``duplicate_of`` from the first pass
still names the article that the second pass keeps. The near pass chooses its own way
(:func:`.near.choose_canonical`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from newsbeam.transforms.coders import unpack_article
from newsbeam.transforms.dedup.minhash import LshParams
from newsbeam.transforms.dedup.near import (
    Gain,
    Node,
    Redirect,
    capped_urls,
    node_of,
    nodes_of,
)
from newsbeam.transforms.model import Article, Duplicate, Provenance, replace_article
from newsbeam.transforms.runtime.parking import Location

__all__ = [
    "Comparison",
    "Dropped",
    "Entry",
    "Verdict",
    "apply_verdicts",
    "canonical_sort_key",
    "compare_same_id",
    "decide",
    "entries_of",
    "entry_of",
    "repoint",
    "resolve_group",
    "with_copy_fields",
    "word_jaccard",
    "word_set",
]

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


def word_set(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def word_jaccard(first: str, second: str) -> float:
    return _jaccard(word_set(first), word_set(second))


class Entry(NamedTuple):
    """What the dedup passes decide on: an article without its body."""

    id: str
    input: Provenance
    url: str | None
    content_hash: str
    rank: tuple[object, ...]  # canonical_sort_key of the article
    node: Node | None = None  # for the near pass
    copies: int = 0  # copies dropped in its favour so far
    copy_urls: tuple[str, ...] = ()
    location: Location | None = None  # where the article is parked


def entry_of(article: Article, params: LshParams | None = None, location: Location | None = None) -> Entry:
    """The article's :class:`Entry`; with LSH ``params``, signed for the near pass."""
    return Entry(
        id=article.id,
        input=article.input,
        url=article.url,
        content_hash=article.content_hash,
        rank=canonical_sort_key(article),
        node=node_of(article, params) if params is not None else None,
        location=location,
    )


class Dropped(NamedTuple):
    """A copy dropped by the exact or same-id pass, before the near pass may re-point it."""

    duplicate: Duplicate
    #: A same-id copy: its similarity is still to be multiplied by the word Jaccard of its
    #: body and the body of this instance (the kept one, which has the same id).
    compare_with: Provenance | None = None
    location: Location | None = None  # where the copy is parked


class Verdict(NamedTuple):
    """The fate of one article instance: dropped as ``duplicate``, or kept with its copy fields."""

    id: str
    input: Provenance
    duplicate: Duplicate | None = None
    compare_with: Provenance | None = None
    copies: int = 0
    copy_urls: tuple[str, ...] = ()
    location: Location | None = None  # where the article is parked
    #: Same-id copies are compared with this instance's body (see :class:`Comparison`).
    compared: bool = False


class Comparison(NamedTuple):
    """One side of a same-id comparison: the compared instance's words, or a copy's with its duplicate."""

    id: str
    words: frozenset[str]
    duplicate: Duplicate | None = None  # None: the instance the copies are compared with


def resolve_group(
    entries: Iterable[Entry], kind: str, urls_cap: int = DEFAULT_URLS_CAP
) -> tuple[Entry, list[Dropped]]:
    """Keep one entry of a group of copies; the others become duplicates of it.

    The kept entry (a copy, the input is not changed) counts the copies dropped in its
    favour so far and their URLs, its own earlier copies included.
    """
    ordered = sorted(entries, key=lambda entry: entry.rank)
    kept, copies = ordered[0], ordered[1:]
    if copies:
        urls = [url for entry in ordered for url in (entry.url, *entry.copy_urls) if url]
        kept = kept._replace(
            copies=sum(entry.copies for entry in ordered) + len(copies),
            copy_urls=capped_urls(urls, kept.url, urls_cap),
        )
    same_id = kind != "exact"
    dropped = [
        Dropped(
            Duplicate(
                id=copy.id, url=copy.url, duplicate_of=kept.id, kind=kind, similarity=1.0, input=copy.input
            ),
            kept.input if same_id else None,
            copy.location,
        )
        for copy in copies
    ]
    return kept, dropped


def with_copy_fields(
    article: Article, copies: int, urls: Iterable[str], urls_cap: int = DEFAULT_URLS_CAP
) -> Article:
    """The kept article with ``duplicate_count`` and ``duplicate_urls`` set (a copy)."""
    extra = {
        **article.extra,
        "duplicate_count": copies,
        "duplicate_urls": list(capped_urls(urls, article.url, urls_cap)),
    }
    return replace_article(article, extra=extra)


def repoint(copy: Duplicate, redirect: Redirect) -> Duplicate:
    """A copy dropped in favour of an article that the near pass dropped in turn."""
    exact = copy.kind == "exact" and redirect.kind == "exact"
    return dataclasses.replace(
        copy,
        duplicate_of=redirect.kept_id,
        kind="exact" if exact else "near",
        similarity=copy.similarity * redirect.similarity,
    )


def decide(
    entry: Entry | None,
    copies: Iterable[Dropped],
    redirect: Redirect | None,
    gain: Gain | None,
    urls_cap: int = DEFAULT_URLS_CAP,
) -> list[Verdict]:
    """The verdicts of an article that survived the first two passes and of its copies.

    ``redirect``: the near pass dropped it; ``gain``: it stays and the near pass found it
    more copies. Without ``entry`` (no survivor of that id: cannot happen, as a copy always
    points at a survivor) the copies keep their verdicts, so no page is lost.
    """
    verdicts = []
    compared: set[Provenance] = set()
    for copy in copies:
        duplicate = repoint(copy.duplicate, redirect) if redirect else copy.duplicate
        verdicts.append(
            Verdict(duplicate.id, duplicate.input, duplicate, copy.compare_with, location=copy.location)
        )
        if copy.compare_with is not None:
            compared.add(copy.compare_with)
    if entry is None:
        return verdicts
    location, is_compared = entry.location, entry.input in compared
    if redirect is not None:
        dropped = Duplicate(
            id=entry.id,
            url=entry.url,
            duplicate_of=redirect.kept_id,
            kind=redirect.kind,
            similarity=redirect.similarity,
            input=entry.input,
        )
        verdicts.append(Verdict(entry.id, entry.input, dropped, location=location, compared=is_compared))
    else:
        urls = (*entry.copy_urls, *(gain.urls if gain else ()))
        count = entry.copies + (gain.copies if gain else 0)
        copy_urls = capped_urls(urls, entry.url, urls_cap)
        verdicts.append(
            Verdict(
                entry.id,
                entry.input,
                copies=count,
                copy_urls=copy_urls,
                location=location,
                compared=is_compared,
            )
        )
    return verdicts


def apply_verdicts(
    packed: Iterable[bytes], verdicts: Mapping[int, Verdict], urls_cap: int = DEFAULT_URLS_CAP
) -> Iterator[Article | Duplicate | Comparison]:
    """A batch's kept articles, its duplicates and its sides of same-id comparisons.

    ``packed``: the batch's articles in their parked order; ``verdicts``: theirs, by
    position. A same-id copy yields its :class:`Comparison` in place of its duplicate,
    which :func:`compare_same_id` completes. An article without a verdict (cannot happen:
    every entry gets one) is kept as it is, so no page is lost.
    """
    for position, record in enumerate(packed):
        verdict = verdicts.get(position)
        if verdict is None:
            yield with_copy_fields(unpack_article(record), 0, (), urls_cap)
            continue
        compares = verdict.compared or verdict.compare_with is not None
        if verdict.duplicate is not None and not compares:
            yield verdict.duplicate  # decided without its body: no need to unpack it
            continue
        article = unpack_article(record)
        words = word_set(article.body) if compares else frozenset()
        if verdict.compared:
            yield Comparison(article.id, words)
        if verdict.compare_with is not None:
            yield Comparison(article.id, words, verdict.duplicate)
        elif verdict.duplicate is not None:
            yield verdict.duplicate
        else:
            yield with_copy_fields(article, verdict.copies, verdict.copy_urls, urls_cap)


def compare_same_id(comparisons: Iterable[Comparison]) -> Iterator[Duplicate]:
    """The same-id copies of one id, their similarity multiplied by the word Jaccard of the bodies.

    Without the compared instance's words (cannot happen) a copy keeps its similarity.
    """
    sides = list(comparisons)
    target = next((side.words for side in sides if side.duplicate is None), None)
    for side in sides:
        if side.duplicate is None:
            continue
        factor = _jaccard(target, side.words) if target is not None else 1.0
        yield dataclasses.replace(side.duplicate, similarity=side.duplicate.similarity * factor)


def entries_of(located: Sequence[tuple[Location, Article]], params: LshParams | None) -> list[Entry]:
    """``[entry_of(article, params, location) for location, article in located]``, signed together."""
    if params is None:
        return [entry_of(article, None, location) for location, article in located]
    nodes = nodes_of([article for _, article in located], params)
    return [
        entry_of(article, None, location)._replace(node=node)
        for (location, article), node in zip(located, nodes, strict=True)
    ]
