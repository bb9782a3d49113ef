"""The dedup stage: one article per story, every dropped copy recorded.

:class:`DeduplicateArticles` runs the exact, same-URL and near passes described in
:mod:`newsbeam.transforms.dedup.passes` (whose plain functions decide) and
:mod:`newsbeam.transforms.dedup.near_transform` (the near pass). The articles wait, through the
run's :class:`~newsbeam.transforms.runtime.shuffle.Shuffle`, while the passes decide on small
entries; each article's verdict is then joined to the batch it waits in and applied there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils.windowed_value import WindowedValue

from newsbeam.transforms.coders import pack_article, pack_value, typed, unpack_value
from newsbeam.transforms.dedup.minhash import LshParams
from newsbeam.transforms.dedup.near import (
    Gain,
    NearDedupSettings,
    Node,
    Redirect,
)
from newsbeam.transforms.dedup.near_transform import NearDuplicates
from newsbeam.transforms.dedup.passes import (
    Comparison,
    Entry,
    Verdict,
    apply_verdicts,
    compare_same_id,
    decide,
    entries_of,
    resolve_group,
)
from newsbeam.transforms.model import Article, Duplicate
from newsbeam.transforms.runtime.parking import BATCHES, LOCATED, Location, ParkedBatch, read_batch
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, Shuffle

__all__ = ["DeduplicateArticles"]

ARTICLES, DUPLICATES, STATE, COMPARISONS = "articles", "duplicates", "state", "comparisons"


class DeduplicateArticles(beam.PTransform):
    """Articles in; a dict of kept ``articles``, ``duplicates`` and ``state`` nodes out.

    The input is a PCollection of articles, or ``{"articles": ..., "state": ...}`` where
    ``state`` holds the :class:`Node` of every article earlier runs kept. Without
    ``near`` settings only the exact and same-URL passes run and ``state`` is empty.
    """

    def __init__(
        self,
        near: NearDedupSettings | None = None,
        urls_cap: int | None = None,
        shuffle: Shuffle | None = None,
    ) -> None:
        super().__init__()
        self._near = near
        self._shuffle = shuffle or InRunnerShuffle()
        self._urls_cap = urls_cap if urls_cap is not None else (near.duplicate_urls_cap if near else 20)

    def expand(self, inputs: Any) -> dict[str, beam.PCollection]:
        articles = inputs["articles"] if isinstance(inputs, dict) else inputs
        pipeline = articles.pipeline
        cap = self._urls_cap
        params = self._near.lsh if self._near is not None else None
        shuffle = self._shuffle
        parked = articles | "Park" >> shuffle.park(pack_article, located=True)
        entries = parked[LOCATED] | "Entries" >> beam.ParDo(_EntriesFn(params))
        exact = entries | "Exact copies" >> _DropCopies("exact", cap, shuffle)
        same_url = exact[ARTICLES] | "Same URL" >> _DropCopies("near", cap, shuffle)
        survivors = same_url[ARTICLES] | "Survivor by id" >> beam.Map(_packed_by_id)
        if self._near is None:
            redirects = pipeline | "No redirects" >> beam.Create([])
            gains = pipeline | "No gains" >> beam.Create([])
        else:
            state = inputs.get("state") if isinstance(inputs, dict) else None
            if state is None:
                state = pipeline | "Empty state" >> beam.Create([])
            nodes = same_url[ARTICLES] | "Nodes" >> beam.Map(_counted_node)
            near = {"nodes": nodes, "state": state} | "Near copies" >> NearDuplicates(self._near, shuffle)
            redirects, gains = near["redirects"], near["gains"]
        copies = (exact[DUPLICATES], same_url[DUPLICATES]) | "Exact and same URL" >> beam.Flatten()
        decided = (
            {
                "entry": survivors,
                "redirect": redirects,
                "gain": gains,
                "copy": copies | "Copy by kept id" >> beam.Map(lambda d: (d.duplicate.duplicate_of, d)),
            }
            | "Join decisions" >> shuffle.co_group_by_key()
            | "Decide"
            >> beam.ParDo(_DecideFn(cap, self._near is not None)).with_outputs(STATE, main="verdicts")
        )
        applied = (
            {
                "batch": parked[BATCHES] | "Batch by name" >> beam.Map(lambda batch: (batch.name, batch)),
                "verdict": decided["verdicts"],
            }
            | "Join verdicts" >> shuffle.co_group_by_key()
            | "Apply verdicts"
            >> beam.ParDo(_ApplyFn(cap)).with_outputs(DUPLICATES, COMPARISONS, main=ARTICLES)
        )
        compared = (
            applied[COMPARISONS]
            | "Comparison by id" >> beam.Map(lambda side: (side.id, side))
            | "Join same id" >> beam.GroupByKey()
            | "Compare same id" >> beam.FlatMap(lambda joined: compare_same_id(joined[1]))
        )
        duplicates = (applied[DUPLICATES], compared) | "All duplicates" >> beam.Flatten()
        return {
            ARTICLES: typed(applied[ARTICLES], Article),
            DUPLICATES: typed(duplicates, Duplicate),
            STATE: decided[STATE],
        }


#: Articles a bundle signs together (:func:`newsbeam.transforms.dedup.near.nodes_of`): enough to share
#: numpy's per-call cost, few enough to hold while they wait.
SIGN_BATCH = 64


class _EntriesFn(beam.DoFn):
    """Located articles in, their :class:`Entry` out, signed :data:`SIGN_BATCH` at a time."""

    def __init__(self, params: LshParams | None) -> None:
        self._params = params
        self._waiting: list[tuple[Location, Article]] = []

    def start_bundle(self) -> None:
        self._waiting = []

    def process(self, located: tuple[Location, Article]) -> Iterator[Entry]:
        self._waiting.append(located)
        if len(self._waiting) >= SIGN_BATCH:
            yield from self._signed()

    def finish_bundle(self) -> Iterator[WindowedValue]:
        for entry in self._signed():
            yield GlobalWindows.windowed_value(entry)

    def _signed(self) -> list[Entry]:
        waiting, self._waiting = self._waiting, []
        return entries_of(waiting, self._params) if waiting else []


def _batch_name(verdict: Verdict) -> str:
    if verdict.location is None:
        raise ValueError(f"the verdict of {verdict.id} does not say where its article is parked")
    return verdict.location[0]


def _counted_node(entry: Entry) -> Node:
    # The near pass credits a dropped node's earlier copies to the article it keeps.
    assert entry.node is not None
    return entry.node._replace(copies=entry.copies, copy_urls=entry.copy_urls)


class _DropCopies(beam.PTransform):
    """Entries grouped by content hash (``exact``) or by id (``near``): kept ones and ``duplicates``."""

    def __init__(self, kind: str, urls_cap: int, shuffle: Shuffle) -> None:
        super().__init__()
        self._kind = kind
        self._urls_cap = urls_cap
        self._shuffle = shuffle

    def expand(self, entries: beam.PCollection[Entry]) -> dict[str, beam.PCollection]:
        by_hash = self._kind == "exact"
        outputs = (
            entries
            | "Key" >> beam.Map(_keyed_for_pass, by_hash=by_hash)
            | "Group" >> self._shuffle.group_by_key()
            | "Keep one"
            >> beam.ParDo(_KeepOneFn(self._kind, self._urls_cap)).with_outputs(DUPLICATES, main=ARTICLES)
        )
        return {ARTICLES: outputs[ARTICLES], DUPLICATES: outputs[DUPLICATES]}


def _packed_by_id(entry: Entry) -> tuple[str, bytes]:
    # Entries travel packed (pack_value): what a runner groups, it keeps decoded.
    return entry.id, pack_value(entry)


def _keyed_for_pass(entry: Entry, by_hash: bool) -> tuple[str, bytes]:
    return (entry.content_hash if by_hash else entry.id), pack_value(entry)


class _KeepOneFn(beam.DoFn):
    def __init__(self, kind: str, urls_cap: int) -> None:
        self._kind = kind
        self._urls_cap = urls_cap
        self._dropped = Metrics.counter("dedup", f"duplicates_{kind}")

    def process(self, keyed: tuple[str, Iterable[bytes]]) -> Iterable[Entry | TaggedOutput]:
        kept, dropped = resolve_group(map(unpack_value, keyed[1]), self._kind, self._urls_cap)
        yield kept
        for copy in dropped:
            self._dropped.inc()
            yield TaggedOutput(DUPLICATES, copy)


class _DecideFn(beam.DoFn):
    """Per surviving id: its article's and its copies' verdicts, by their batches; its node to ``state``."""

    def __init__(self, urls_cap: int, with_state: bool) -> None:
        self._urls_cap = urls_cap
        self._with_state = with_state
        self._dropped = Metrics.counter("dedup", "duplicates_near_minhash")

    def process(self, joined: tuple[str, dict[str, list]]) -> Iterable[tuple[str, Verdict] | TaggedOutput]:
        _, sides = joined
        entries: list[Entry] = [unpack_value(packed) for packed in sides["entry"]]
        redirects: list[Redirect] = list(sides["redirect"])
        gains: list[Gain] = list(sides["gain"])
        entry = entries[0] if entries else None
        redirect = redirects[0] if redirects else None
        if redirect is not None and entry is not None:
            self._dropped.inc()
        for verdict in decide(entry, sides["copy"], redirect, gains[0] if gains else None, self._urls_cap):
            yield _batch_name(verdict), verdict
        if entry is not None and redirect is None and self._with_state:
            yield TaggedOutput(STATE, _counted_node(entry))


class _ApplyFn(beam.DoFn):
    """Per parked batch: its verdicts applied -> kept articles, ``duplicates`` and ``comparisons``."""

    def __init__(self, urls_cap: int) -> None:
        self._urls_cap = urls_cap

    def process(self, joined: tuple[str, dict[str, list]]) -> Iterable[Article | TaggedOutput]:
        _, sides = joined
        verdicts = {_position(verdict): verdict for verdict in sides["verdict"]}
        batch: ParkedBatch
        for batch in sides["batch"]:
            for record in apply_verdicts(read_batch(batch), verdicts, self._urls_cap):
                if isinstance(record, Duplicate):
                    yield TaggedOutput(DUPLICATES, record)
                elif isinstance(record, Comparison):
                    yield TaggedOutput(COMPARISONS, record)
                else:
                    yield record


def _position(verdict: Verdict) -> int:
    assert verdict.location is not None  # the verdict was keyed by its batch
    return verdict.location[1]
