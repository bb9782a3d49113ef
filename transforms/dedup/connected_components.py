"""Connected components of a graph held as a PCollection of edges, in a bounded number of rounds.

The algorithm is the alternating *large-star* / *small-star* pair of Kiveris et al.,
"Connected Components in MapReduce and Beyond" (SoCC 2014). Nodes are strings and are
ordered as strings; each operation is one ``GroupByKey`` on the edges, so no worker
ever holds more than one node's neighbourhood:

* **large-star** — for a node ``u`` with neighbours ``N(u)`` and ``m = min(N(u) + [u])``,
  every neighbour ``v > u`` is linked to ``m`` instead of ``u``;
* **small-star** — for a node ``u`` with smaller neighbours ``S(u) = {v in N(u): v < u}``
  and ``m = min(S(u) + [u])``, every node of ``S(u) + [u]`` other than ``m`` is linked to ``m``.

Both keep the components of the graph; together they turn every component into a star
around its smallest node in ``O(log^2 n)`` rounds (a round is one large-star and one
small-star), and in one or two rounds for the small, dense clusters of news copies.

The pipeline graph is static, so the rounds are unrolled: :class:`ConnectedComponents`
runs ``max_rounds`` rounds and then labels each node with the smallest node among itself
and its neighbours. Every label is a node of the same component, so **a bound reached
too early can only split a component into several clusters, never merge two
components**: near-duplicate detection then misses some merges (recall), never makes a
wrong one (precision). Nodes that are not the centre of a finished star after the last
round are counted in the ``components/unconverged_nodes`` counter.
"""

from __future__ import annotations

from collections.abc import Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics

__all__ = ["ConnectedComponents", "large_star", "small_star", "star_labels"]

Edge = tuple[str, str]


def large_star(node: str, neighbours: Iterable[str]) -> list[Edge]:
    """The large-star edges emitted for ``node`` (each as ``(smaller, larger)``)."""
    around = set(neighbours)
    around.discard(node)
    if not around:
        return []
    smallest = min(around | {node})
    return sorted(_edge(other, smallest) for other in around if other > node and other != smallest)


def small_star(node: str, smaller_neighbours: Iterable[str]) -> list[Edge]:
    """The small-star edges emitted for ``node``, given its neighbours smaller than itself."""
    group = {other for other in smaller_neighbours if other < node}
    if not group:
        return []
    group.add(node)
    smallest = min(group)
    return sorted(_edge(other, smallest) for other in group if other != smallest)


def star_labels(edges: Iterable[Edge]) -> dict[str, str]:
    """Each node's label after the last round: the smallest of itself and its neighbours."""
    labels: dict[str, str] = {}
    for first, second in edges:
        for node, other in ((first, second), (second, first)):
            labels[node] = min(labels.get(node, node), other)
    return labels


def _edge(first: str, second: str) -> Edge:
    return (first, second) if first < second else (second, first)


def _both_directions(edge: Edge) -> list[Edge]:
    return [edge, (edge[1], edge[0])]


class _LargeStarFn(beam.DoFn):
    def process(self, grouped: tuple[str, Iterable[str]]) -> Iterable[Edge]:
        node, neighbours = grouped
        # Edges to smaller nodes are emitted (rewired) by those nodes' own large-star.
        yield from large_star(node, neighbours)


class _SmallStarFn(beam.DoFn):
    def process(self, grouped: tuple[str, Iterable[str]]) -> Iterable[Edge]:
        node, smaller = grouped
        yield from small_star(node, smaller)


class _LabelFn(beam.DoFn):
    def __init__(self) -> None:
        self._unconverged = Metrics.counter("components", "unconverged_nodes")

    def process(self, grouped: tuple[str, Iterable[str]]) -> Iterable[tuple[str, str]]:
        node, links = grouped
        neighbours = set(links)
        smaller = sum(1 for other in neighbours if other < node)
        # In a finished star a leaf has exactly one neighbour, the smaller centre.
        if smaller and (smaller > 1 or len(neighbours) > smaller):
            self._unconverged.inc()
        yield node, min(neighbours | {node})


class ConnectedComponents(beam.PTransform):
    """Edges ``(a, b)`` in; ``(node, label)`` out for every node of an edge (see the module docstring)."""

    def __init__(self, max_rounds: int) -> None:
        super().__init__()
        if max_rounds < 1:
            raise ValueError(f"max_rounds must be at least 1, not {max_rounds}")
        self._max_rounds = max_rounds

    def expand(self, edges: beam.PCollection[Edge]) -> beam.PCollection[tuple[str, str]]:
        current = edges | "Order endpoints" >> beam.Map(lambda edge: _edge(*edge))
        for round_ in range(1, self._max_rounds + 1):
            current = (
                current
                | f"Round {round_}: both directions" >> beam.FlatMap(_both_directions)
                | f"Round {round_}: group neighbours" >> beam.GroupByKey()
                | f"Round {round_}: large star" >> beam.ParDo(_LargeStarFn())
                | f"Round {round_}: key by larger end" >> beam.Map(lambda edge: (edge[1], edge[0]))
                | f"Round {round_}: group smaller neighbours" >> beam.GroupByKey()
                | f"Round {round_}: small star" >> beam.ParDo(_SmallStarFn())
            )
        return (
            current
            | "Label links" >> beam.FlatMap(_both_directions)
            | "Group links" >> beam.GroupByKey()
            | "Label" >> beam.ParDo(_LabelFn())
        )
