"""Spilled groupings' plain parts: partitions stable across processes, runs written and read back whole."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from newsbeam.transforms.coders import pack_value
from newsbeam.transforms.runtime.spill import (
    group_runs,
    partition_of,
    read_run,
    write_runs,
)

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


def test_integer_keys_partition_by_their_digits():
    assert partition_of(42, 1 << 16) == zlib.crc32(b"42") % (1 << 16)
    assert partition_of(-7, 97) == zlib.crc32(b"-7") % 97
