"""The near-duplicate pass of the dedup stage, in Beam: LSH buckets, verified pairs, clusters.

:class:`NearDuplicates` takes this run's MinHash nodes and the nodes of earlier runs' kept
articles (the cross-run state), meets them in LSH buckets, verifies each candidate pair
once, joins verified pairs into clusters (connected components) and resolves each cluster
to one kept article; the logic of each step is a plain function of :mod:`.near`.
"""

from __future__ import annotations

from collections.abc import Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from newsbeam.transforms.coders import pack_value, unpack_value
from newsbeam.transforms.dedup.connected_components import ConnectedComponents
from newsbeam.transforms.dedup.near import (
    NearDedupSettings,
    Node,
    bucket_pairs,
    bucket_tokens,
    buckets_of_group,
    resolve_cluster,
    verify_pair,
)
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, Shuffle

__all__ = ["NearDuplicates"]

_EDGES, _MEMBERS = "edges", "members"


class _PairsFn(beam.DoFn):
    """One group of tokens -> the candidate pairs ``((a, b), exempt)``, ``a < b``, of its buckets."""

    def __init__(self, max_bucket: int) -> None:
        self._max_bucket = max_bucket
        self._capped = Metrics.counter("near_dedup", "capped_buckets")

    def process(self, grouped: tuple[int, Iterable[bytes]]) -> Iterable[tuple[tuple[str, str], bool]]:
        for exempt, new, old in buckets_of_group(grouped[1]):
            if len(new) > self._max_bucket:
                self._capped.inc()
            for first, second in bucket_pairs(new, old, self._max_bucket):
                yield ((first, second) if first < second else (second, first)), exempt


def _attach_first(joined: tuple[str, dict[str, list]]) -> Iterable[tuple[str, tuple[object, bytes]]]:
    _, sides = joined
    if sides["node"]:
        node = _first_node(sides["node"])
        for candidate in sides["pair"]:
            yield candidate[0][1], (candidate, node)


class _VerifyFn(beam.DoFn):
    """A node's key with its candidate pairs (first node attached) -> verified edges and their nodes."""

    def __init__(self, settings: NearDedupSettings) -> None:
        self._settings = settings
        self._candidates = Metrics.counter("near_dedup", "candidate_pairs")

    def process(self, joined: tuple[str, dict[str, list]]) -> Iterable[object]:
        _, sides = joined
        if not sides["node"]:
            return
        packed_second = _first_node(sides["node"])
        second = unpack_value(packed_second)
        for (pair, exempt), packed_first in sides["pair"]:
            self._candidates.inc()
            first = unpack_value(packed_first)
            if exempt or verify_pair(first, second, "b:", self._settings):
                yield pair
                yield TaggedOutput(_MEMBERS, (first.key, packed_first))
                yield TaggedOutput(_MEMBERS, (second.key, packed_second))


class _ResolveClusterFn(beam.DoFn):
    def __init__(self, settings: NearDedupSettings) -> None:
        self._settings = settings
        self._dropped = Metrics.counter("near_dedup", "dropped")

    def process(self, grouped: tuple[str, Iterable[bytes]]) -> Iterable[object]:
        kept, redirects, gain = resolve_cluster(map(unpack_value, grouped[1]), self._settings)
        for dropped_id, redirect in redirects:
            self._dropped.inc()
            yield dropped_id, redirect
        if not kept.from_state and gain.copies:
            yield TaggedOutput("gains", (kept.id, gain))


def _first_node(packed_nodes: Iterable[bytes]) -> bytes:
    # The same key can come from two state shards; keep one, the same one in every running mode.
    # Nodes travel packed (pack_value): what a runner groups, it keeps decoded.
    candidates = list(packed_nodes)
    if len(candidates) == 1:
        return candidates[0]
    nodes = [(unpack_value(packed), packed) for packed in candidates]
    return min(nodes, key=lambda pair: (pair[0].run_id, pair[0].content_hash, pair[0].signature))[1]


def _label_member(joined: tuple[str, dict[str, list]]) -> Iterable[tuple[str, bytes]]:
    # A node comes once per verified edge it is on; its cluster needs it once.
    _, sides = joined
    if sides["node"]:
        node = _first_node(sides["node"])
        for label in sides["label"]:
            yield label, node


class NearDuplicates(beam.PTransform):
    """``{"nodes": this run's Nodes, "state": earlier runs' Nodes}`` in; redirects and gains out.

    Returns ``{"redirects": (dropped id, Redirect), "gains": (kept id, Gain)}``.
    """

    def __init__(self, settings: NearDedupSettings, shuffle: Shuffle | None = None) -> None:
        super().__init__()
        self._settings = settings
        self._shuffle = shuffle or InRunnerShuffle()

    def expand(self, inputs: dict[str, beam.PCollection[Node]]) -> dict[str, beam.PCollection]:
        params = self._settings.lsh
        # One list of tokens per node: a node's ~20 tokens pass the runner as one element.
        new = inputs["nodes"] | "Keys of new" >> beam.Map(bucket_tokens, params=params)
        old = inputs["state"] | "Keys of earlier" >> beam.Map(bucket_tokens, params=params)
        # Buckets hold node keys only; the signatures travel once per candidate pair, below.
        candidates = (
            (new, old)
            | "Meet by key" >> self._shuffle.group_by_key(lists=True)
            | "Candidate pairs" >> beam.ParDo(_PairsFn(self._settings.max_bucket))
            | "Distinct candidates" >> beam.Distinct()
        )
        # Both joins take the two kinds of node as they are: a Flatten would make the runner hold them all.
        nodes = (
            inputs["nodes"] | "New by key" >> beam.Map(lambda node: (node.key, pack_value(node))),
            inputs["state"] | "Earlier by key" >> beam.Map(lambda node: (node.key, pack_value(node))),
        )
        by_first = candidates | "By first" >> beam.Map(lambda candidate: (candidate[0][0], candidate))
        with_first = (
            {"pair": by_first, "node": nodes}
            | "Join first" >> self._shuffle.co_group_by_key()
            | "Attach first" >> beam.FlatMap(_attach_first)
        )
        verified = (
            {"pair": with_first, "node": nodes}
            | "Join second" >> self._shuffle.co_group_by_key()
            | "Verify pairs" >> beam.ParDo(_VerifyFn(self._settings)).with_outputs(_MEMBERS, main=_EDGES)
        )
        labels = verified[_EDGES] | "Components" >> ConnectedComponents(self._settings.max_rounds)
        resolved = (
            {"label": labels, "node": verified[_MEMBERS]}
            | "Join labels" >> beam.CoGroupByKey()
            | "Key by label" >> beam.FlatMap(_label_member)
            | "Group clusters" >> beam.GroupByKey()
            | "Choose kept"
            >> beam.ParDo(_ResolveClusterFn(self._settings)).with_outputs("gains", main="redirects")
        )
        return {"redirects": resolved["redirects"], "gains": resolved["gains"]}
