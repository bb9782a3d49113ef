"""Big JSONL and WARC files read in byte ranges: every record once, numbered from the file's start.

The files here are a few MB with ``split_bytes`` of 1 MiB, so every way a record can meet a
range boundary occurs: records straddling a boundary, a record starting exactly on one, a
record longer than a whole range (so a range owns no record), blank lines, and non-response
WARC records between pages.
"""

from __future__ import annotations

import base64
import gzip
import io
import random
from pathlib import Path

import apache_beam as beam
import orjson
import pytest
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import article_html, prose
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbeam.transforms.formats.checksum import CHECKSUM_BLOCK, file_checksum
from newsbeam.transforms.formats.ranges import find_record_start, plan_ranges, range_offsets, splittable_kind
from newsbeam.transforms.model import Page, Reject
from newsbeam.transforms.stages.read import RECORD_OFFSETS, ReadPages
from newsbeam.transforms.stages.read_indices import ResolveRecordIndices

MIB = CHECKSUM_BLOCK


def _page_html(i: int, rng: random.Random) -> str:
    # Page sizes vary from a few KB to 1.4 MB, so some records span a whole 1 MiB range.
    paragraphs = prose(i, paragraphs=rng.choice([3, 8, 30]))
    size = rng.choice([200, 20_000, 90_000, 1_400_000 if i % 17 == 5 else 3_000])
    # Incompressible, like the scripts and styles of real pages, so gzipped files are big too.
    padding = "<script>var t='" + base64.b64encode(rng.randbytes(size * 3 // 4)).decode() + "';</script>"
    return article_html(f"Harbour story {i}", paragraphs, f"https://lantern.example/story-{i}") + padding


def write_jsonl(path: Path, pages: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    urls, lines = [], []
    for i in range(pages):
        url = f"https://lantern.example/story-{i}"
        urls.append(url)
        lines.append(orjson.dumps({"url": url, "html": _page_html(i, rng)}) + b"\n")
        if i % 9 == 4:
            lines.append(b"\n")  # blank lines are not records
    path.write_bytes(b"".join(lines))
    return urls


def write_warc(path: Path, pages: int, gzipped: bool, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
    urls = []
    for i in range(pages):
        url = f"https://lantern.example/story-{i}"
        urls.append(url)
        if i % 5 == 0:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "lantern.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        payload = io.BytesIO(_page_html(i, rng).encode())
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    path.write_bytes(buffer.getvalue())
    return urls


@pytest.fixture(params=["jsonl", "warc", "warc.gz"])
def big_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, list[str]]:
    kind = request.param
    path = tmp_path / f"dump.{kind}"
    urls = write_jsonl(path, 60) if kind == "jsonl" else write_warc(path, 60, gzipped=kind == "warc.gz")
    assert path.stat().st_size > 3 * MIB
    return path, urls


def _assert_read(path: Path, split_bytes: int, urls: list[str]) -> None:
    """Read ``path`` with ``split_bytes``: every page once, numbered from the file's start."""
    skipped = 0 if path.suffix == ".jsonl" else 1 + len(range(0, len(urls), 5))  # warcinfo, requests
    with TestPipeline() as pipeline:
        read = pipeline | ReadPages([str(path)], 20_000_000, split_bytes=split_bytes)
        pages = read["pages"]
        if RECORD_OFFSETS in read:
            pages = pages | ResolveRecordIndices(read[RECORD_OFFSETS])
        assert_that(
            pages | beam.Map(lambda page: (page.input.record, page.input.chunk, page.url)),
            equal_to([(i, 0, url) for i, url in enumerate(urls)]),
            label="every page once",
        )
        assert_that(
            read["files"]
            | beam.Map(lambda summary: (summary.pages, summary.skipped_records, summary.checksum)),
            equal_to([(len(urls), skipped, file_checksum(str(path)))]),
            label="one summary of the whole file",
        )
        assert_that(read["rejects"], equal_to([]), label="no rejects")


def test_a_split_file_gives_every_record_once_numbered_as_if_read_whole(big_file):
    path, urls = big_file
    ranges = plan_ranges(str(path), path.stat().st_size, MIB, path.read_bytes()[:MIB])
    assert len(ranges) >= 4 and all(file_range.is_split for file_range in ranges)
    _assert_read(path, MIB, urls)
    _assert_read(path, 1024 * MIB, urls)


def test_a_big_gzipped_jsonl_or_single_stream_warc_is_read_whole(tmp_path: Path):
    jsonl = tmp_path / "dump.jsonl"
    write_jsonl(jsonl, 30)
    packed = tmp_path / "dump.jsonl.gz"
    packed.write_bytes(gzip.compress(jsonl.read_bytes()))
    assert splittable_kind(str(packed), packed.read_bytes()[:MIB]) is None
    warc = tmp_path / "dump.warc"
    write_warc(warc, 30, gzipped=False)
    one_stream = tmp_path / "one-stream.warc.gz"
    one_stream.write_bytes(gzip.compress(warc.read_bytes()))
    assert splittable_kind(str(one_stream), one_stream.read_bytes()[:MIB]) is None
    per_record = tmp_path / "per-record.warc.gz"
    write_warc(per_record, 3, gzipped=True)
    assert splittable_kind(str(per_record), per_record.read_bytes()[:MIB]) == "warc.gz"
    assert splittable_kind(str(warc), warc.read_bytes()[:MIB]) == "warc"
    assert splittable_kind(str(jsonl), jsonl.read_bytes()[:MIB]) == "jsonl"
    assert splittable_kind(str(tmp_path / "page.html"), b"<html><p>x</p></html>") is None


def test_plan_cuts_only_big_splittable_files():
    head = b'{"url": "https://a.example/1", "html": "<p>x</p>"}\n'
    assert [(r.start, r.end) for r in plan_ranges("/d/a.jsonl", 10, MIB, head)] == [(0, 10)]
    ranges = plan_ranges("/d/a.jsonl", 2 * MIB + 5, MIB, head)
    assert [(r.start, r.end, r.chunk, r.chunks) for r in ranges] == [
        (0, MIB, 0, 3),
        (MIB, 2 * MIB, 1, 3),
        (2 * MIB, 2 * MIB + 5, 2, 3),
    ]
    assert plan_ranges("/d/a.html", 3 * MIB, MIB, b"<html>")[0].chunks == 1
    with pytest.raises(ValueError, match="multiple"):
        plan_ranges("/d/a.jsonl", 10, 1000, head)


def _reader(data: bytes):
    stream = io.BytesIO(data)
    return stream.read


def test_a_jsonl_range_starts_after_the_first_newline_unless_it_starts_a_line():
    data = b'{"a": 1}\n{"b": 2}\n'
    assert find_record_start(_reader(data), "jsonl", len(data), after_newline=True) == (0, data)
    assert find_record_start(_reader(data[3:]), "jsonl", 15, after_newline=False) == (6, b'{"b": 2}\n')
    # A line that runs past the range's end: no record starts in the range.
    assert find_record_start(_reader(b"x" * 100 + b"\n{}"), "jsonl", 50, after_newline=False) is None


def test_a_warc_range_skips_warc_lines_inside_a_payload(tmp_path: Path):
    path = tmp_path / "dump.warc"
    write_warc(path, 3, gzipped=False)
    data = path.read_bytes()
    starts = [i for i in range(len(data)) if data.startswith(b"WARC/1.", i) and (i == 0 or data[i - 1] == 10)]
    # A payload line that looks like a WARC version but has no header block is not a record.
    fake = b"WARC/1.0 is mentioned in this page\n"
    found = find_record_start(_reader(fake + data[starts[1] :]), "warc", 10_000, after_newline=True)
    assert found is not None and found[0] == len(fake) and found[1].startswith(b"WARC/1.")


def test_offsets_count_the_pages_and_lines_of_earlier_ranges():
    offsets = range_offsets(
        [("/a", 2, 5, 9), ("/a", 0, 3, 4), ("/a", 1, 0, 1), ("/b", 0, 7, 8), ("/b", 1, 1, 1)]
    )
    assert offsets == {
        ("/a", 0): (0, 0),
        ("/a", 1): (3, 4),
        ("/a", 2): (3, 5),
        ("/b", 0): (0, 0),
        ("/b", 1): (7, 8),
    }


def test_pages_and_rejects_keep_their_types_when_resolved():
    from newsbeam.transforms.formats.ranges import resolve_record
    from newsbeam.transforms.model import Provenance

    offsets = {("/a", 1): (10, 25)}
    reject = Reject.of(Provenance("/a", 2, 1), "malformed_record", "bad")
    page = Page(input=Provenance("/a", 0, 1), url="https://a.example/x", html="<p>x</p>")
    assert resolve_record(reject, offsets).input == Provenance("/a", 12)
    assert resolve_record(page, offsets).input == Provenance("/a", 10)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["warc", "warc.gz"])
def test_a_large_generated_archive_in_4_kib_ranges_gives_what_reading_it_whole_gives(
    tmp_path: Path, kind: str
):
    from helpers.archives import per_record_gzip, response, story

    from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
    from newsbeam.transforms.formats.ranges import FileRange, read_file_range

    path = tmp_path / f"big.{kind}"
    write_warc(path, 40, gzipped=kind == "warc.gz", seed=5)
    records = [
        response(
            url, "200 OK", [("Content-Type", "text/html")], html, length=len(html) + 800 if n == 4 else None
        )
        for n, (url, html) in ((n, story(n)) for n in (4, 5, 6))
    ]
    tail = per_record_gzip(records) if kind == "warc.gz" else b"".join(records)
    cut = len(tail) - len(per_record_gzip(records[-1:]) if kind == "warc.gz" else records[-1]) // 2
    path.write_bytes(path.read_bytes() + tail[:cut])  # a record with a wrong length, a good one, a cut one
    data = path.read_bytes()
    with open(path, "rb") as handle:
        whole = list(read_dump(handle, str(path), DumpSummary(path=str(path)), 20_000_000))
    assert [item.reason for item in whole if isinstance(item, Reject)] == ["malformed_record", "truncated"]
    assert sum(isinstance(item, Page) for item in whole) == 41
    assert path.stat().st_size > MIB // 2  # hundreds of 4 KiB ranges
    size = 4096
    chunks = -(-len(data) // size)
    ranged: list[Page | Reject] = []
    with open(path, "rb") as handle:
        for chunk in range(chunks):
            end = min(len(data), (chunk + 1) * size)
            file_range = FileRange(str(path), chunk * size, end, len(data), chunk, chunks, kind)
            items, hashing = read_file_range(handle, file_range, DumpSummary(path=str(path)), 20_000_000)
            ranged.extend(items)
            hashing.finish()

    def shown(item: Page | Reject) -> tuple[str, str]:
        return ("page", item.url or "") if isinstance(item, Page) else (item.reason, item.detail)

    assert [shown(item) for item in ranged] == [shown(item) for item in whole]
