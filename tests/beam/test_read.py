"""ReadPages on real files: folders are read recursively, hidden files skipped, bad files recorded."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline

from newsbeam.transforms.formats.files import (
    read_listing,
)
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


def test_a_file_matched_twice_is_read_once(dumps_dir: Path):
    with TestPipeline() as pipeline:
        read = pipeline | ReadPages([str(dumps_dir / "page.html"), str(dumps_dir / "*.html")], 1_000_000)
        paths = read["pages"] | beam.Map(lambda page: page.input.path)
        assert_that(paths, equal_to([str(dumps_dir / "page.html")]))
