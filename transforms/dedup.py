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

The passes decide on an :class:`Entry` per article: its identity, what the choice of the
kept copy needs, and its MinHash node, without its body. Each article's fate is then one
:class:`Verdict`, and a single join by id applies the verdicts to the articles, so a
whole article crosses one shuffle here, not one per pass (a runner stores and moves every
shuffled value; bodies are most of a run's bytes). The join by id also brings the bodies
that the same-id pass compares together: copies of one page share its id.

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
from collections.abc import Iterable
from typing import Any, NamedTuple

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.minhash import LshParams
from transforms.near_dedup import (
    Gain,
    NearDedupSettings,
    NearDuplicates,
    Node,
    Redirect,
    capped_urls,
    node_of,
)
from transforms.records import Article, Duplicate, Provenance, pack_article, unpack_article

__all__ = [
    "DeduplicateArticles",
    "Dropped",
    "Entry",
    "Verdict",
    "apply_verdicts",
    "canonical_sort_key",
    "decide",
    "entry_of",
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


def entry_of(article: Article, params: LshParams | None = None) -> Entry:
    """The article's :class:`Entry`; with LSH ``params``, signed for the near pass."""
    return Entry(
        id=article.id,
        input=article.input,
        url=article.url,
        content_hash=article.content_hash,
        rank=canonical_sort_key(article),
        node=node_of(article, params) if params is not None else None,
    )


class Dropped(NamedTuple):
    """A copy dropped by the exact or same-id pass, before the near pass may re-point it."""

    duplicate: Duplicate
    #: A same-id copy: its similarity is still to be multiplied by the word Jaccard of its
    #: body and the body of this instance (the kept one, which has the same id).
    compare_with: Provenance | None = None


class Verdict(NamedTuple):
    """The fate of one article instance: dropped as ``duplicate``, or kept with its copy fields."""

    id: str  # the article's, which the verdicts are joined to their articles by
    input: Provenance
    duplicate: Duplicate | None = None
    compare_with: Provenance | None = None
    copies: int = 0
    copy_urls: tuple[str, ...] = ()


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
    for copy in copies:
        duplicate = repoint(copy.duplicate, redirect) if redirect else copy.duplicate
        verdicts.append(Verdict(duplicate.id, duplicate.input, duplicate, copy.compare_with))
    if entry is None:
        return verdicts
    if redirect is not None:
        dropped = Duplicate(
            id=entry.id,
            url=entry.url,
            duplicate_of=redirect.kept_id,
            kind=redirect.kind,
            similarity=redirect.similarity,
            input=entry.input,
        )
        verdicts.append(Verdict(entry.id, entry.input, dropped))
    else:
        urls = (*entry.copy_urls, *(gain.urls if gain else ()))
        count = entry.copies + (gain.copies if gain else 0)
        verdicts.append(
            Verdict(entry.id, entry.input, copies=count, copy_urls=capped_urls(urls, entry.url, urls_cap))
        )
    return verdicts


def apply_verdicts(
    packed: Iterable[tuple[Provenance, bytes]], verdicts: Iterable[Verdict], urls_cap: int = DEFAULT_URLS_CAP
) -> Iterable[Article | Duplicate]:
    """The kept articles and the duplicates of one id, from its packed articles and their verdicts."""
    by_input = dict(packed)
    bodies: dict[Provenance, str] = {}

    def body(instance: Provenance) -> str:
        if instance not in bodies:
            bodies[instance] = unpack_article(by_input[instance]).body
        return bodies[instance]

    for verdict in verdicts:
        duplicate = verdict.duplicate
        if duplicate is None:
            article = unpack_article(by_input[verdict.input])
            yield with_copy_fields(article, verdict.copies, verdict.copy_urls, urls_cap)
        elif verdict.compare_with is not None:
            similarity = word_jaccard(body(verdict.compare_with), body(verdict.input))
            yield dataclasses.replace(duplicate, similarity=duplicate.similarity * similarity)
        else:
            yield duplicate


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
        pipeline = articles.pipeline
        cap = self._urls_cap
        params = self._near.lsh if self._near is not None else None
        entries = articles | "Entries" >> beam.Map(entry_of, params)
        exact = entries | "Exact copies" >> _DropCopies("exact", cap)
        same_url = exact[ARTICLES] | "Same URL" >> _DropCopies("near", cap)
        survivors = same_url[ARTICLES] | "Survivor by id" >> beam.Map(lambda entry: (entry.id, entry))
        if self._near is None:
            redirects = pipeline | "No redirects" >> beam.Create([])
            gains = pipeline | "No gains" >> beam.Create([])
        else:
            state = inputs.get("state") if isinstance(inputs, dict) else None
            if state is None:
                state = pipeline | "Empty state" >> beam.Create([])
            nodes = same_url[ARTICLES] | "Nodes" >> beam.Map(_counted_node)
            near = {"nodes": nodes, "state": state} | "Near copies" >> NearDuplicates(self._near)
            redirects, gains = near["redirects"], near["gains"]
        copies = (exact[DUPLICATES], same_url[DUPLICATES]) | "Exact and same URL" >> beam.Flatten()
        decided = (
            {
                "entry": survivors,
                "redirect": redirects,
                "gain": gains,
                "copy": copies | "Copy by kept id" >> beam.Map(lambda d: (d.duplicate.duplicate_of, d)),
            }
            | "Join decisions" >> beam.CoGroupByKey()
            | "Decide"
            >> beam.ParDo(_DecideFn(cap, self._near is not None)).with_outputs(STATE, main="verdicts")
        )
        applied = (
            {
                "article": articles
                | "Packed by id" >> beam.Map(lambda a: (a.id, (a.input, pack_article(a)))),
                "verdict": decided["verdicts"],
            }
            | "Join verdicts" >> beam.CoGroupByKey()
            | "Apply verdicts" >> beam.ParDo(_ApplyFn(cap)).with_outputs(DUPLICATES, main=ARTICLES)
        )
        return {ARTICLES: applied[ARTICLES], DUPLICATES: applied[DUPLICATES], STATE: decided[STATE]}


def _counted_node(entry: Entry) -> Node:
    # The near pass credits a dropped node's earlier copies to the article it keeps.
    assert entry.node is not None
    return entry.node._replace(copies=entry.copies, copy_urls=entry.copy_urls)


class _DropCopies(beam.PTransform):
    """Entries grouped by content hash (``exact``) or by id (``near``): kept ones and ``duplicates``."""

    def __init__(self, kind: str, urls_cap: int = DEFAULT_URLS_CAP) -> None:
        super().__init__()
        self._kind = kind
        self._urls_cap = urls_cap

    def expand(self, entries: beam.PCollection[Entry]) -> dict[str, beam.PCollection]:
        by_hash = self._kind == "exact"
        outputs = (
            entries
            | "Key" >> beam.Map(_keyed_for_pass, by_hash=by_hash)
            | "Group" >> beam.GroupByKey()
            | "Keep one"
            >> beam.ParDo(_KeepOneFn(self._kind, self._urls_cap)).with_outputs(DUPLICATES, main=ARTICLES)
        )
        return {ARTICLES: outputs[ARTICLES], DUPLICATES: outputs[DUPLICATES]}


def _keyed_for_pass(entry: Entry, by_hash: bool) -> tuple[str, Entry]:
    return (entry.content_hash if by_hash else entry.id), entry


class _KeepOneFn(beam.DoFn):
    def __init__(self, kind: str, urls_cap: int) -> None:
        self._kind = kind
        self._urls_cap = urls_cap
        self._dropped = Metrics.counter("dedup", f"duplicates_{kind}")

    def process(self, keyed: tuple[str, Iterable[Entry]]) -> Iterable[Entry | TaggedOutput]:
        kept, dropped = resolve_group(keyed[1], self._kind, self._urls_cap)
        yield kept
        for copy in dropped:
            self._dropped.inc()
            yield TaggedOutput(DUPLICATES, copy)


class _DecideFn(beam.DoFn):
    """Per surviving id: the verdicts of its article and its copies, by their ids; its node to ``state``."""

    def __init__(self, urls_cap: int, with_state: bool) -> None:
        self._urls_cap = urls_cap
        self._with_state = with_state
        self._dropped = Metrics.counter("dedup", "duplicates_near_minhash")

    def process(self, joined: tuple[str, dict[str, list]]) -> Iterable[tuple[str, Verdict] | TaggedOutput]:
        _, sides = joined
        entries: list[Entry] = list(sides["entry"])
        redirects: list[Redirect] = list(sides["redirect"])
        gains: list[Gain] = list(sides["gain"])
        entry = entries[0] if entries else None
        redirect = redirects[0] if redirects else None
        if redirect is not None and entry is not None:
            self._dropped.inc()
        for verdict in decide(entry, sides["copy"], redirect, gains[0] if gains else None, self._urls_cap):
            yield verdict.id, verdict
        if entry is not None and redirect is None and self._with_state:
            yield TaggedOutput(STATE, _counted_node(entry))


class _ApplyFn(beam.DoFn):
    """Per article id: its packed articles and their verdicts -> kept articles and ``duplicates``."""

    def __init__(self, urls_cap: int) -> None:
        self._urls_cap = urls_cap

    def process(self, joined: tuple[str, dict[str, list]]) -> Iterable[Article | TaggedOutput]:
        _, sides = joined
        for record in apply_verdicts(sides["article"], sides["verdict"], self._urls_cap):
            yield TaggedOutput(DUPLICATES, record) if isinstance(record, Duplicate) else record
