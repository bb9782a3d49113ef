"""WARC and ARC files read as they are: what is a page, and a bad record costs only itself.

Every broken file here is also read in byte ranges of 1 to 4 KiB with the range reader, which
must give the same records as reading it whole.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import pytest
from helpers.archives import (
    SITE,
    arc_file,
    crawl_records,
    http_response,
    member,
    per_record_gzip,
    request,
    response,
    story,
    warc_record,
)

from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
from newsbeam.transforms.formats.jsonl import renumber_line
from newsbeam.transforms.formats.ranges import FileRange, range_offsets, read_file_range, splittable_kind
from newsbeam.transforms.model import Page, Reject

LIMIT = 5_000_000


def read(data: bytes, name: str) -> tuple[list[Page | Reject], DumpSummary]:
    summary = DumpSummary(path=name)
    return list(read_dump(io.BytesIO(data), name, summary, LIMIT)), summary


def outcomes(items: list[Page | Reject]) -> list[str]:
    return ["page" if isinstance(item, Page) else item.reason for item in items]


def read_in_ranges(path: Path, size: int) -> list[tuple[str, str]]:
    """Every page read by ranges of ``size`` bytes, as (reason or 'page', detail or URL), in file order."""
    data = path.read_bytes()
    kind = splittable_kind(str(path), data[: 1 << 20])
    assert kind is not None
    chunks = -(-len(data) // size)
    found, counts = [], []
    with open(path, "rb") as handle:
        for chunk in range(chunks):
            file_range = FileRange(
                str(path), chunk * size, min(len(data), (chunk + 1) * size), len(data), chunk, chunks, kind
            )
            items, hashing = read_file_range(handle, file_range, DumpSummary(path=str(path)), LIMIT)
            kept = list(items)
            hashing.finish()
            found.append(kept)
            counts.append((str(path), chunk, len(kept), hashing.newlines))
    offsets = range_offsets(counts)
    return [
        ("page", item.url or "")
        if isinstance(item, Page)
        else (item.reason, renumber_line(item.detail, offsets[(str(path), chunk)][1]))
        for chunk, kept in enumerate(found)
        for item in kept
    ]


def same_in_ranges(path: Path) -> None:
    whole, _ = read(path.read_bytes(), str(path))
    expected = [
        ("page", item.url or "") if isinstance(item, Page) else (item.reason, item.detail) for item in whole
    ]
    for size in (1024, 2048, 3072, 4096):
        assert read_in_ranges(path, size) == expected, f"ranges of {size} bytes"


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
def test_a_crawl_gives_its_pages_and_accounts_for_every_other_record(gzipped: bool, tmp_path: Path):
    crawl = crawl_records(6)
    data = per_record_gzip(crawl.records) if gzipped else b"".join(crawl.records)
    items, summary = read(data, "crawl.warc.gz" if gzipped else "crawl.warc")
    assert outcomes(items) == crawl.outcomes
    assert [item.url for item in items if isinstance(item, Page)] == crawl.pages
    assert summary.skipped_by_type == crawl.skipped and summary.skipped_records == sum(crawl.skipped.values())
    assert summary.not_html_types == crawl.not_html and summary.http_statuses == {"301": 1, "404": 1}
    pages = [item for item in items if isinstance(item, Page)]
    for page in pages:  # gzip, br, deflate and chunked bodies are decoded
        assert page.html is not None and "<h1>Kestrel Gazette story" in page.html
        assert page.fetched_at == "2025-05-06T04:10:00Z"
    assert [page.headers.get("content-type") for page in pages[-3:]] == [
        "text/html; charset=utf-8",
        None,  # no type: sniffed as HTML
        "application/octet-stream",
    ]
    rejects = {item.detail.split(" (byte")[0]: item.detail for item in items if isinstance(item, Reject)}
    assert (
        "redirects (HTTP 301) to https://www.kestrelgazette.example/news/"
        in rejects[f"the response of {SITE}/old-news"]
    )
    assert rejects[f"the response of {SITE}/news/missing"].endswith("has HTTP status 404")
    assert rejects[f"the response of {SITE}/static/site.css"].endswith("is text/css: not a page")
    assert "application/javascript" in rejects[f"the response of {SITE}/static/tracker"]
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(data)
    same_in_ranges(path)


@pytest.mark.parametrize("at", [60, 700], ids=["in its header", "after its header"])
def test_a_corrupt_gzip_member_costs_only_its_record(tmp_path: Path, at: int):
    pages = [story(n) for n in range(6)]
    members = [member(response(url, "200 OK", [("Content-Type", "text/html")], html)) for url, html in pages]
    broken = bytearray(members[2])
    assert len(broken) > at + 100
    broken[at : at + 30] = b"\x07" * 30  # inside the deflate data
    members[2] = bytes(broken)
    data = b"".join(members)
    items, _ = read(data, "night.warc.gz")
    assert outcomes(items) == ["page", "page", "malformed_record", "page", "page", "page"]
    offset = len(members[0]) + len(members[1])
    assert f"the gzip member at byte {offset} is corrupt" in items[2].detail  # type: ignore[union-attr]
    assert [item.url for item in items if isinstance(item, Page)] == [
        url for n, (url, _) in enumerate(pages) if n != 2
    ]
    path = tmp_path / "night.warc.gz"
    path.write_bytes(data)
    same_in_ranges(path)


def test_bytes_between_members_and_a_corrupt_last_member(tmp_path: Path):
    records = [
        response(url, "200 OK", [("Content-Type", "text/html")], html)
        for url, html in (story(n) for n in range(3))
    ]
    data = (
        member(records[0])
        + b"GARBAGE BETWEEN MEMBERS"
        + member(records[1])
        + member(records[2])[:-200]
        + b"\x00" * 50
    )
    items, _ = read(data, "odd.warc.gz")
    assert outcomes(items) == ["page", "malformed_record", "page", "truncated"]
    path = tmp_path / "odd.warc.gz"
    path.write_bytes(data)
    same_in_ranges(path)


def test_a_single_stream_gzip_cut_short_keeps_the_records_before_the_cut():
    records = [
        response(url, "200 OK", [("Content-Type", "text/html")], html)
        for url, html in (story(n) for n in range(5))
    ]
    whole = gzip.compress(b"".join(records), mtime=0)
    items, summary = read(whole[: len(whole) * 3 // 5], "night.warc.gz")
    kinds = outcomes(items)
    assert kinds[-1] == "truncated" and set(kinds[:-1]) == {"page"} and 1 <= len(kinds) - 1 < 5
    assert "ends inside the gzip member at byte 0" in items[-1].detail  # type: ignore[union-attr]
    for page in items[:-1]:
        assert isinstance(page, Page) and page.html is not None and page.html.rstrip().endswith("</html>")


def test_a_single_stream_gzip_with_a_bad_length_goes_on_after_it():
    records = [
        response(url, "200 OK", [("Content-Type", "text/html")], html)
        for url, html in (story(n) for n in range(4))
    ]
    url, html = story(9)
    records.insert(1, response(url, "200 OK", [("Content-Type", "text/html")], html, length=400))
    items, _ = read(gzip.compress(b"".join(records), mtime=0), "night.warc.gz")
    assert outcomes(items) == ["page", "malformed_record", "page", "page", "page"]


def test_an_uncompressed_warc_cut_mid_record_never_gives_a_partial_page(tmp_path: Path):
    records = [
        response(url, "200 OK", [("Content-Type", "text/html")], html)
        for url, html in (story(n) for n in range(3))
    ]
    data = b"".join(records)
    cut = len(records[0]) + len(records[1]) + len(records[2]) // 2
    items, summary = read(data[:cut], "cut.warc")
    assert outcomes(items) == ["page", "page", "truncated"]
    assert (
        items[-1].detail
        == f"the file ends inside the response record at byte {len(records[0]) + len(records[1])}"
    )  # type: ignore[union-attr]
    assert not summary.reader_failed  # read to a recorded reject: the ledger records it as consumed
    header_cut = len(records[0]) + 30  # inside the second record's header block
    items, _ = read(data[:header_cut], "cut.warc")
    assert outcomes(items) == ["page", "truncated"]
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:cut])
    same_in_ranges(path)


def test_a_length_beyond_the_end_is_truncated_and_a_wrong_length_mid_file_is_malformed(tmp_path: Path):
    url, html = story(3)
    last = response(url, "200 OK", [("Content-Type", "text/html")], html, length=len(html) + 5000)
    first = response(*story(1)[:1], "200 OK", [("Content-Type", "text/html")], story(1)[1])
    items, _ = read(first + last, "long.warc")
    assert outcomes(items) == ["page", "truncated"]
    too_long = response(
        story(4)[0], "200 OK", [("Content-Type", "text/html")], story(4)[1], length=len(story(4)[1]) + 900
    )
    too_short = response(story(5)[0], "200 OK", [("Content-Type", "text/html")], story(5)[1], length=1000)
    middle = [
        first,
        too_long,
        response(*story(6)[:1], "200 OK", [], story(6)[1]),
        too_short,
        request(story(7)[0]),
        response(*story(7)[:1], "200 OK", [], story(7)[1]),
    ]
    data = b"".join(middle)
    items, summary = read(data, "lying.warc")
    assert outcomes(items) == ["page", "malformed_record", "page", "malformed_record", "page"]
    for bad in (items[1], items[3]):
        assert isinstance(bad, Reject) and "do not end where the next record starts" in bad.detail
    assert summary.skipped_by_type == {"request": 1}
    path = tmp_path / "lying.warc"
    path.write_bytes(data)
    same_in_ranges(path)


def test_an_unparsable_record_mid_file_is_malformed_and_reading_goes_on():
    bad = warc_record("response", story(8)[0], http_response("200 OK", [], story(8)[1])).replace(
        b"Content-Length: ", b"Content-Length: x", 1
    )
    data = b"".join(
        [
            response(*story(1)[:1], "200 OK", [], story(1)[1]),
            bad,
            response(*story(2)[:1], "200 OK", [], story(2)[1]),
        ]
    )
    items, _ = read(data, "bad.warc")
    assert outcomes(items) == ["page", "malformed_record", "page"]


def test_a_revisit_only_file_reads_no_page():
    url, _ = story(1)
    records = [warc_record("revisit", url, http_response("200 OK", [("Content-Type", "text/html")], b""))] * 2
    items, summary = read(b"".join(records), "revisits.warc")
    assert items == [] and summary.pages == 0 and summary.skipped_by_type == {"revisit": 2}


@pytest.mark.parametrize("gzipped", [False, True], ids=["arc", "arc.gz"])
def test_an_arc_file_gives_one_page_per_response_record(gzipped: bool, tmp_path: Path):
    records = []
    for n in range(3):
        url, html = story(n)
        records.append(
            (
                url,
                f"2025050604{n:02d}00",
                "text/html",
                http_response("200 OK", [("Content-Type", "text/html"), ("Server", "nginx")], html),
            )
        )
    records.append(
        (
            f"{SITE}/img/a.png",
            "20250506041500",
            "image/png",
            http_response("200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n"),
        )
    )
    data = arc_file(records, gzipped)
    name = "crawl.arc.gz" if gzipped else "crawl.arc"
    items, summary = read(data, name)
    assert summary.format == "arc" and summary.compressed == gzipped
    assert outcomes(items) == ["page", "page", "page", "not_html"]
    assert [item.input.record for item in items] == [0, 1, 2, 3]
    first = items[0]
    assert isinstance(first, Page) and first.url == story(0)[0] and first.fetched_at == "2025-05-06T04:00:00Z"
    assert first.headers == {"content-type": "text/html", "server": "nginx"}
    assert summary.skipped_by_type == {"warcinfo": 1}
    path = tmp_path / name
    path.write_bytes(data)
    same_in_ranges(path)


def test_warcio_warnings_do_not_reach_stderr(capfd: pytest.CaptureFixture[str]):
    url, html = story(1)
    spaced = url.replace("story-1", "story one")
    data = warc_record("response", spaced, http_response("200 OK", [("Content-Type", "text/html")], html))
    items, _ = read(data + b"\x00\x00junk after the last record", "spaced.warc")
    assert isinstance(items[0], Reject) and items[0].reason == "malformed_record"
    items, _ = read(data, "spaced.warc")
    assert isinstance(items[0], Page) and items[0].url == url.replace("story-1", "story%20one")
    image = warc_record(
        "response", f"{SITE}/img/a b.png", http_response("200 OK", [("Content-Type", "image/png")], b"")
    )
    items, _ = read(image, "spaced.warc")
    assert isinstance(items[0], Reject) and items[0].reason == "not_html"
    assert "(warcio: Replacing spaces in invalid WARC-Target-URI:" in items[0].detail
    assert capfd.readouterr().err == ""


def test_deflate_body_that_is_corrupt_is_undecodable():
    url, html = story(1)
    body = zlib.compress(html)[:50] + b"\xff" * 80
    data = response(
        url,
        "200 OK",
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        gzip.compress(html, mtime=0)[:200] + body,
    )
    items, _ = read(data, "broken-body.warc")
    assert outcomes(items) == ["undecodable"]


def test_a_truncated_capture_and_a_page_over_the_limit():
    url, html = story(1)
    cut = response(
        url, "200 OK", [("Content-Type", "text/html")], html[:900], extra=[("WARC-Truncated", "length")]
    )
    big = response(
        story(2)[0], "200 OK", [("Content-Type", "text/html")], b"<html><body>" + b"<p>word</p>" * 600_000
    )
    items, _ = read(cut + big, "limits.warc")
    assert outcomes(items) == ["truncated", "too_large"]
    assert "WARC-Truncated: length" in items[0].detail  # type: ignore[union-attr]


def test_a_length_past_the_end_of_the_file_mid_file_swallows_no_record(tmp_path: Path):
    huge = response(story(2)[0], "200 OK", [("Content-Type", "text/html")], story(2)[1], length=300_000)
    rest = [response(*story(n)[:1], "200 OK", [("Content-Type", "text/html")], story(n)[1]) for n in (3, 4)]
    data = response(*story(1)[:1], "200 OK", [], story(1)[1]) + huge + b"".join(rest)
    items, _ = read(data, "huge.warc")
    assert outcomes(items) == ["page", "malformed_record", "page", "page"]
    assert "which run past the next record" in items[1].detail  # type: ignore[union-attr]
    path = tmp_path / "huge.warc"
    path.write_bytes(data)
    same_in_ranges(path)
