"""ReadPages on real files: folders are read recursively, hidden files skipped, bad files recorded."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from newsbeam.transforms.formats.files import (
    estimated_work,
    expand_input,
    is_hidden,
    read_listing,
    spread_order,
    write_listing,
)
from newsbeam.transforms.formats.ranges import FileRange
from newsbeam.transforms.stages.read import ReadPages


def test_folder_is_read_recursively_and_hidden_files_are_skipped(dumps_dir: Path):
    root = str(dumps_dir)
    with TestPipeline() as pipeline:
        read = pipeline | ReadPages([root], max_page_bytes=1_000_000)
        pages = read["pages"] | "Page inputs" >> beam.Map(lambda page: (page.input.path, page.input.record))
        rejects = read["rejects"] | "Reject reasons" >> beam.Map(
            lambda reject: (reject.input.path, reject.reason)
        )
        files = read["files"] | "File formats" >> beam.Map(
            lambda s: (s.path, s.format, s.compressed, s.pages)
        )
        assert_that(
            pages,
            equal_to([(f"{root}/page.html", 0), (f"{root}/nested/page-copy.html.gz", 0)]),
            label="pages",
        )
        assert_that(rejects, equal_to([(f"{root}/empty.html", "empty_file")]), label="rejects")
        assert_that(
            files,
            equal_to(
                [
                    (f"{root}/page.html", "html", False, 1),
                    (f"{root}/nested/page-copy.html.gz", "html", True, 1),
                    (f"{root}/empty.html", "empty", False, 1),
                ]
            ),
            label="files",
        )


def test_with_a_listing_the_ranges_wait_in_a_file_and_every_page_is_read(dumps_dir: Path, tmp_path: Path):
    listing = str(tmp_path / "staging" / "_inputs" / "ranges.jsonl")
    with TestPipeline() as pipeline:
        read = pipeline | ReadPages([str(dumps_dir)], 1_000_000, listing=listing)
        paths = read["pages"] | beam.Map(lambda page: page.input.path)
        assert_that(
            paths, equal_to([str(dumps_dir / "page.html"), str(dumps_dir / "nested" / "page-copy.html.gz")])
        )
    listed = [file_range.path for _, file_range in read_listing(listing)]
    assert sorted(listed) == sorted(
        str(dumps_dir / name) for name in ("page.html", "nested/page-copy.html.gz", "empty.html")
    )


def test_a_listing_gives_back_its_ranks_and_ranges_in_order(tmp_path: Path):
    ranked = [
        (0, FileRange("d/big.jsonl", 64, 128, 1_000, chunk=1, chunks=2, kind="jsonl")),
        (1, FileRange("d/ünïcode page.html", 0, 0, 300)),
    ]
    path = str(tmp_path / "ranges.jsonl")
    write_listing(path, ranked)
    assert list(read_listing(path)) == ranked


def test_a_file_matched_twice_is_read_once(dumps_dir: Path):
    with TestPipeline() as pipeline:
        read = pipeline | ReadPages([str(dumps_dir / "page.html"), str(dumps_dir / "*.html")], 1_000_000)
        paths = read["pages"] | beam.Map(lambda page: page.input.path)
        assert_that(paths, equal_to([str(dumps_dir / "page.html")]))


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
