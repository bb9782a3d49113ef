"""Grouping through files: the same groups as Beam's GroupByKey, with the values read back from disk."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline

from newsbeam.transforms.runtime.shuffle import InRunnerShuffle
from newsbeam.transforms.runtime.spill import (
    SpillingCoGroupByKey,
    SpillingGroupByKey,
)

# Wire-story ids and the sites that carried them: several values per key, one key alone.
PICKUPS = [
    ("wire-ferry", "harbour.example"),
    ("wire-ferry", "valley.example"),
    ("wire-trams", "harbour.example"),
    ("wire-ferry", "coast.example"),
    ("wire-orchard", "valley.example"),
    ("wire-trams", "uplands.example"),
]
EXPECTED = [
    ("wire-ferry", ["coast.example", "harbour.example", "valley.example"]),
    ("wire-orchard", ["valley.example"]),
    ("wire-trams", ["harbour.example", "uplands.example"]),
]


def _sorted_groups(grouped):
    key, values = grouped
    return key, sorted(values)


KEYS = ["wire-ferry", "b:0f3a", ("s", 3), 42, b"\x00digest"]


@pytest.mark.parametrize("spilled", [False, True], ids=["beam-group", "spilled"])
def test_groups_equal_those_of_group_by_key(tmp_path: Path, spilled: bool):
    folder = str(tmp_path / "shuffles")
    # A tiny buffer and few partitions: several files, runs of one key in several files.
    group = (
        SpillingGroupByKey(folder, partitions=2, buffer_bytes=40)
        if spilled
        else InRunnerShuffle().group_by_key()
    )
    with TestPipeline() as pipeline:
        grouped = pipeline | beam.Create(PICKUPS) | group
        assert_that(grouped | beam.Map(_sorted_groups), equal_to(EXPECTED))
    files = sorted((tmp_path / "shuffles").iterdir()) if spilled else []
    assert len(files) == (len(PICKUPS) if spilled else 0)  # every record filled the buffer


@pytest.mark.parametrize("spilled", [False, True], ids=["beam-group", "spilled"])
def test_lists_of_pairs_group_as_their_pairs_would(tmp_path: Path, spilled: bool):
    # Each site sends all its pickups as one element; the groups are those of the pairs.
    by_site: dict[str, list[tuple[str, str]]] = {}
    for story, site in PICKUPS:
        by_site.setdefault(site, []).append((story, site))
    folder = str(tmp_path / "shuffles")
    group = (
        SpillingGroupByKey(folder, partitions=2, buffer_bytes=40, lists=True)
        if spilled
        else InRunnerShuffle().group_by_key(lists=True)
    )
    with TestPipeline() as pipeline:
        grouped = pipeline | beam.Create(list(by_site.values())) | group
        assert_that(grouped | beam.Map(_sorted_groups), equal_to(EXPECTED))


def test_co_group_gives_every_side_of_every_key(tmp_path: Path):
    with TestPipeline() as pipeline:
        pickups = pipeline | "Pickups" >> beam.Create(PICKUPS)
        desks = pipeline | "Desks" >> beam.Create([("wire-ferry", "transport"), ("wire-mayor", "politics")])
        joined = {"site": pickups, "desk": desks} | SpillingCoGroupByKey(str(tmp_path / "shuffles"))
        assert_that(
            joined | beam.Map(lambda kv: (kv[0], sorted(kv[1]["site"]), kv[1]["desk"])),
            equal_to(
                [
                    ("wire-ferry", ["coast.example", "harbour.example", "valley.example"], ["transport"]),
                    ("wire-mayor", [], ["politics"]),
                    ("wire-orchard", ["valley.example"], []),
                    ("wire-trams", ["harbour.example", "uplands.example"], []),
                ]
            ),
        )
