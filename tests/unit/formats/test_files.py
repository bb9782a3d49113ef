"""Finding input files: recursive globs for folders, hidden files, and the spread of work over workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbeam.transforms.formats.files import (
    estimated_work,
    expand_input,
    is_hidden,
    read_listing,
    spread_order,
    write_listing,
)
from newsbeam.transforms.formats.ranges import FileRange


def test_a_listing_gives_back_its_ranks_and_ranges_in_order(tmp_path: Path):
    ranked = [
        (0, FileRange("d/big.jsonl", 64, 128, 1_000, chunk=1, chunks=2, kind="jsonl")),
        (1, FileRange("d/ünïcode page.html", 0, 0, 300)),
    ]
    path = str(tmp_path / "ranges.jsonl")
    write_listing(path, ranked)
    assert list(read_listing(path)) == ranked


def test_expand_input_turns_folders_into_recursive_globs(dumps_dir: Path):
    assert expand_input(str(dumps_dir)) == f"{dumps_dir}/**"
    assert expand_input(str(dumps_dir / "page.html")) == str(dumps_dir / "page.html")
    assert expand_input(f"{dumps_dir}/*.html") == f"{dumps_dir}/*.html"


@pytest.mark.parametrize(
    ("path", "hidden"),
    [("/a/.done", True), ("/a/_SUCCESS", True), ("/a/page.html", False), ("/.x/page.html", False)],
)
def test_hidden_files(path: str, hidden: bool):
    assert is_hidden(path) is hidden


def test_spread_order_puts_the_most_work_first_and_weighs_gzip():
    ranges = [
        FileRange("d/a.html", 0, 0, 300_000),
        FileRange("d/b.warc.gz", 0, 0, 100_000),  # about 350,000 bytes of pages once inflated
        FileRange("d/c.jsonl", 64, 128, 1_000, chunk=1, chunks=2),  # a range: its own length
        FileRange("d/d.txt", 0, 0, 2_000),
    ]
    assert estimated_work(ranges[2]) == 64
    assert [item.path for item in spread_order(ranges)] == ["d/b.warc.gz", "d/a.html", "d/d.txt", "d/c.jsonl"]


def test_dealing_the_spread_order_out_in_turn_balances_two_workers():
    # What the DirectRunner does with the groups of "Spread files" in multi_processing mode.
    sizes = [7_600_000] * 9 + [80_000 + 997 * index for index in range(400)] + [1_400_000] * 11
    ranges = [FileRange(f"d/{index:04d}.jsonl", 0, 0, size) for index, size in enumerate(sizes)]
    shares = [0.0, 0.0]
    for rank, file_range in enumerate(spread_order(ranges)):
        shares[rank % 2] += estimated_work(file_range)
    assert abs(shares[0] - shares[1]) <= 7_600_000  # at most the biggest file apart
    assert abs(shares[0] - shares[1]) / sum(shares) < 0.07
