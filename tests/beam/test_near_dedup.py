"""The near-duplicate pass on a TestPipeline: connected components, syndicated copies and hard negatives."""

from __future__ import annotations

import contextlib
import random

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import body, make_article, prose

from newsbeam.transforms.dedup.connected_components import (
    ConnectedComponents,
)
from newsbeam.transforms.dedup.minhash import LshParams
from newsbeam.transforms.dedup.near import (
    NearDedupSettings,
    node_of,
)
from newsbeam.transforms.dedup.state import node_from_record, state_record
from newsbeam.transforms.runtime.shuffle import OnDiskShuffle
from newsbeam.transforms.stages.dedup import DeduplicateArticles

SETTINGS = NearDedupSettings(lsh=LshParams(bands=18, rows=7), max_rounds=3)


def _union_find_labels(edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return sorted((n, find(n)) for n in {n for e in edges for n in e})


def test_components_match_union_find():
    rng = random.Random(5)
    nodes = [f"n{i:03d}" for i in range(200)]
    edges = [(a, b) for a, b in ((rng.choice(nodes), rng.choice(nodes)) for _ in range(180)) if a != b]
    path = [(f"p{i:03d}", f"p{i + 1:03d}") for i in range(40)]  # a long chain, the slowest case
    with TestPipeline() as pipeline:
        labels = pipeline | beam.Create(edges + path) | ConnectedComponents(max_rounds=8)
        assert_that(labels, equal_to(_union_find_labels(edges + path)))


def test_at_the_round_bound_components_are_split_never_merged():
    path = [(f"p{i:03d}", f"p{i + 1:03d}") for i in range(64)] + [("q1", "q2")]
    with TestPipeline() as pipeline:
        labels = pipeline | beam.Create(path) | ConnectedComponents(max_rounds=1)
        summary = (
            labels
            | beam.combiners.ToList()
            | beam.Map(
                lambda pairs: (
                    all(node[0] == label[0] for node, label in pairs),  # a label never crosses components
                    len({label for node, label in pairs if node.startswith("p")}) > 1,  # the chain is split
                )
            )
        )
        assert_that(summary, equal_to([(True, True)]))


@contextlib.contextmanager
def run_dedup(articles, settings=SETTINGS, state=(), folder=None):
    """Kept ``(id, duplicate_count)``, ``dups`` ``(id, duplicate_of, kind)``, ``state`` ids; runs on exit."""
    results = {}
    with TestPipeline() as pipeline:
        inputs = {
            "articles": pipeline | "Articles" >> beam.Create(articles),
            "state": pipeline | "State" >> beam.Create(list(state)),
        }
        out = inputs | DeduplicateArticles(settings, shuffle=OnDiskShuffle(folder) if folder else None)
        results["kept"] = out["articles"] | "Kept" >> beam.Map(lambda a: (a.id, a.extra["duplicate_count"]))
        results["dups"] = out["duplicates"] | "Dups" >> beam.Map(lambda d: (d.id, d.duplicate_of, d.kind))
        results["state"] = out["state"] | "State ids" >> beam.Map(lambda n: n.id)
        yield results


@pytest.fixture()
def wire():
    paragraphs = prose(10, 9)
    original = make_article(
        id="orig",
        body=body(paragraphs),
        url="https://a.example/orig",
        published_at="2025-03-10T08:00:00+00:00",
    )
    syndicated = make_article(
        id="synd",
        body=body(
            ["LONDON (Pacific Wire) - " + paragraphs[0], *paragraphs[1:8], "Most read: ferry fares rise."]
        ),
        url="https://b.example/synd",
        published_at="2025-03-10T09:00:00+00:00",
        title="Another headline",
    )
    verbatim_of_synd = make_article(
        id="verb", body=syndicated.body, url="https://c.example/verb", published_at="2025-03-11"
    )
    return original, syndicated, verbatim_of_synd


@pytest.mark.parametrize("parked", [False, True], ids=["in-runner", "parked-and-spilled"])
def test_a_syndicated_copy_is_a_near_duplicate_and_its_exact_copy_follows(wire, parked, tmp_path):
    original, syndicated, verbatim = wire
    folder = str(tmp_path / "dedup") if parked else None
    with run_dedup([original, syndicated, verbatim], folder=folder) as results:
        assert_that(results["kept"], equal_to([("orig", 2)]), label="kept")
        assert_that(
            results["dups"], equal_to([("synd", "orig", "near"), ("verb", "orig", "near")]), label="dups"
        )
        assert_that(results["state"], equal_to(["orig"]), label="state")
    if parked:  # the shuffles of the passes went through files (newsbeam.transforms.runtime.spill)
        assert any((tmp_path / "dedup" / "shuffles").iterdir())


def test_a_page_of_an_earlier_run_wins(wire):
    original, syndicated, _ = wire
    earlier = node_from_record(
        state_record(node_of(original, SETTINGS.lsh), "run1", SETTINGS.lsh), SETTINGS.lsh
    )
    with run_dedup([syndicated, original], state=[earlier]) as results:
        assert_that(results["kept"], equal_to([]), label="kept")
        assert_that(
            results["dups"], equal_to([("orig", "orig", "exact"), ("synd", "orig", "near")]), label="dups"
        )


def test_hard_negative_same_site_boilerplate_stays_apart():
    header = (
        "Harbour Post | Home | World | Business | Sport | Subscribe now for unlimited access to every story"
    )
    footer = body(prose(99, 2, 40))
    articles = [
        make_article(
            id=f"site{n}", body=body([header, *prose(20 + n, 4), footer]), url=f"https://hp.example/{n}"
        )
        for n in range(4)
    ]
    with run_dedup(articles) as results:
        assert_that(results["dups"], equal_to([]), label="dups")


def test_hard_negative_one_event_two_outlets_stays_apart():
    quotes = [
        '"We will rebuild the bridge before winter, whatever it costs," said Odile Varga, mayor of Corrin.',
        '"Nobody was hurt, and that is what matters tonight," Odile Varga added, standing by the river.',
    ]
    first = prose(30, 5)
    second = prose(31, 5)
    articles = [
        make_article(id="outlet1", body=body([first[0], quotes[0], *first[1:3], quotes[1], *first[3:]])),
        make_article(id="outlet2", body=body([second[0], quotes[0], second[1], quotes[1], *second[2:]])),
    ]
    with run_dedup(articles) as results:
        assert_that(results["dups"], equal_to([]), label="dups")


def test_hard_negative_live_blog_updates_sharing_a_preamble_stay_apart():
    preamble = (
        "Live: storm Hesper reaches the coast. Follow our live coverage as events unfold; this page is "
        "updated through the day with the latest news, pictures and reaction from our reporters."
    )
    articles = [
        make_article(
            id=f"live{n}", body=body([preamble, *prose(40 + n, 3)]), url=f"https://hp.example/live/{n}"
        )
        for n in range(4)
    ]
    with run_dedup(articles) as results:
        assert_that(results["dups"], equal_to([]), label="dups")
