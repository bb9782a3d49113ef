"""Grouping through files: the same groups as Beam's GroupByKey, with the values read back from disk."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.transforms.model import pack_value
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle
from newsbeam.transforms.runtime.spill import (
    SpillingCoGroupByKey,
    SpillingGroupByKey,
    group_runs,
    partition_of,
    read_run,
    write_runs,
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


def test_partitions_are_in_range_and_all_used():
    assert all(0 <= partition_of(key, 16) < 16 for key in KEYS)
    assert len({partition_of(f"key-{n}", 8) for n in range(200)}) == 8


def test_partitions_are_the_same_in_another_process_with_another_hash_seed():
    # Workers are other processes: a key must land in the same partition in each of them.
    code = (
        "from newsbeam.transforms.runtime.spill import partition_of; "
        f"print([partition_of(k, 16) for k in {KEYS!r}])"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == str([partition_of(key, 16) for key in KEYS])


def test_runs_written_per_partition_read_back_whole_and_grouped(tmp_path: Path):
    path = str(tmp_path / "spill.bin")
    buffers = {
        3: [pack_value(("wire-ferry", "harbour.example")), pack_value(("wire-trams", "harbour.example"))],
        1: [pack_value(("wire-orchard", "valley.example"))],
    }
    runs = dict(write_runs(path, buffers))
    assert sorted(runs) == [1, 3]
    assert (runs[1].offset, runs[1].records) == (0, 1)
    assert runs[3].offset == runs[1].size and runs[3].records == 2
    assert list(read_run(runs[3])) == [("wire-ferry", "harbour.example"), ("wire-trams", "harbour.example")]
    assert group_runs([runs[3], runs[1]]) == {
        "wire-ferry": ["harbour.example"],
        "wire-trams": ["harbour.example"],
        "wire-orchard": ["valley.example"],
    }


def test_a_run_cut_short_or_miscounted_is_an_error(tmp_path: Path):
    path = str(tmp_path / "spill.bin")
    [(_, run)] = list(write_runs(path, {0: [pack_value(("wire-ferry", "harbour.example"))]}))
    with pytest.raises(OSError, match="cut short"):
        list(read_run(run._replace(size=run.size + 10)))
    with pytest.raises(OSError, match="has 1 records, not 2"):
        list(read_run(run._replace(records=2)))
    Path(path).write_bytes(Path(path).read_bytes()[:-3])
    with pytest.raises(OSError, match="cut short"):
        list(read_run(run))


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


def test_integer_keys_partition_by_their_digits():
    assert partition_of(42, 1 << 16) == zlib.crc32(b"42") % (1 << 16)
    assert partition_of(-7, 97) == zlib.crc32(b"-7") % 97


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
