"""The 30 real WARC and ARC files of ``../shared/realwarc``, read as warcio reads them and more.

For each file: every response and resource record warcio finds (``dns:`` captures aside, which
are not pages) is a page read, and the HTML ones (by type, or sniffed when the type says nothing)
never end as ``not_html``; no page comes from a record that is not HTML; the file gives the same
records read whole and in 1 to 4 KiB ranges; ARC files give one page per response record. The
comparison is ``benchmarks/realwarc.py``'s, which prints it as a table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.benchmarks import load_benchmark
from helpers.requirements import require_path

from newsbeam.transforms.formats.sniff import declared_decision, sniff_kind
from newsbeam.transforms.model import Page, Reject

realwarc = load_benchmark("realwarc")
FILES = realwarc.archive_files(realwarc.FOLDER) if realwarc.FOLDER.exists() else []


@pytest.fixture(scope="module")
def folder() -> Path:
    return require_path(realwarc.FOLDER, "the real web archives of ../shared/realwarc")


def test_the_folder_holds_the_30_files(folder: Path):
    assert len(realwarc.archive_files(folder)) == 30


@pytest.mark.parametrize("path", FILES, ids=[str(path.relative_to(realwarc.FOLDER)) for path in FILES])
def test_every_record_warcio_reads_is_a_page_read_and_no_page_is_not_html(folder: Path, path: Path):
    warcio = realwarc.warcio_view(path)
    ours = realwarc.newsbeam_view(path)
    items: list[Page | Reject] = list(ours.items)
    unmatched = list(range(len(items)))
    for record in warcio.pages:
        match = next(
            (
                index
                for index in unmatched
                if (isinstance(items[index], Page) and items[index].url == record.uri)
                or (
                    isinstance(items[index], Reject)
                    and re.search(rf"\bbyte {record.offset}\b", items[index].detail)
                )
            ),
            None,
        )
        assert match is not None, (
            f"warcio's {record.rec_type} of {record.uri} at byte {record.offset} is not a page read"
        )
        unmatched.remove(match)
        outcome = items[match]
        if record.html:
            assert not (isinstance(outcome, Reject) and outcome.reason == "not_html"), outcome.detail
    assert ours.summary.pages >= len(warcio.pages)
    for page in (item for item in items if isinstance(item, Page)):
        declared = declared_decision(page.headers.get("content-type"))
        assert declared == "page" or sniff_kind((page.html or "").encode("utf-8")) == "text/html", page.url
    if path.name.endswith((".arc", ".arc.gz")):
        assert ours.summary.pages == warcio.by_type.get("response", 0)


@pytest.mark.parametrize("path", FILES, ids=[str(path.relative_to(realwarc.FOLDER)) for path in FILES])
def test_the_same_records_whole_and_in_1_to_4_kib_ranges(folder: Path, path: Path):
    whole = realwarc.newsbeam_view(path).outcomes()
    for size in realwarc.RANGE_SIZES:
        ranged = realwarc.range_view(path, size)
        assert ranged is None or ranged == whole, f"ranges of {size} bytes"


def test_where_warcio_stops_early_newsbeam_reads_on(folder: Path):
    stopped = {
        path.name: (len(realwarc.warcio_view(path).pages), realwarc.newsbeam_view(path).summary.pages)
        for path in realwarc.archive_files(folder)
        if realwarc.warcio_view(path).error
    }
    assert stopped["link-extraction-test.warc"] == (3, 7)
    assert all(ours >= theirs for theirs, ours in stopped.values())
    assert sum(ours - theirs for theirs, ours in stopped.values()) >= 6
