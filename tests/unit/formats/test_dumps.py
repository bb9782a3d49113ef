"""The dump reader on every input format, and on every kind of broken file."""

from __future__ import annotations

import io

import orjson
import pytest
from helpers.builders import PARAGRAPHS, article_html, gzip_bytes, warc_bytes

from newsbeam.transforms.formats.dumps import DumpSummary, read_dump, sniff_format
from newsbeam.transforms.model import Page, Reject

LIMIT = 5_000_000
HTML = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")


def read(data: bytes, name: str, limit: int = LIMIT) -> tuple[list[Page | Reject], DumpSummary]:
    summary = DumpSummary(path=name)
    items = list(read_dump(io.BytesIO(data), name, summary, limit))
    return items, summary


def test_html_file_is_one_page_with_its_text():
    items, summary = read(HTML.encode(), "/d/page.html")
    assert len(items) == 1 and isinstance(items[0], Page)
    assert items[0].html is not None and "Odile Varga" in items[0].html
    assert items[0].input.path == "/d/page.html" and items[0].input.record == 0
    assert (summary.format, summary.pages, summary.rejects, summary.compressed) == ("html", 1, 0, False)


def test_gzip_is_detected_by_magic_bytes_not_by_name():
    items, summary = read(gzip_bytes(HTML.encode()), "/d/page-without-extension")
    assert summary.compressed and summary.format == "html"
    assert isinstance(items[0], Page) and "Corrin Lines" in (items[0].html or "")


def test_declared_meta_charset_decodes_windows_1252():
    page = (
        '<html><head><meta charset="windows-1252"><title>Café</title></head>'
        "<body><p>Zoë’s café</p></body></html>"
    )
    items, _ = read(page.encode("cp1252"), "/d/latin.html")
    assert isinstance(items[0], Page)
    assert "Zoë’s café" in (items[0].html or "")


def test_text_dump_is_one_text_page():
    text = "Harbour reopens after storm\n\nWELLINGTON: The harbour reopened on Monday.\n"
    items, summary = read(text.encode(), "/d/dump.txt")
    assert summary.format == "text"
    assert isinstance(items[0], Page) and items[0].text == text and items[0].html is None


def test_jsonl_lines_are_pages_and_bad_lines_are_rejects():
    lines = [
        orjson.dumps({"url": "https://a.example/1", "html": HTML, "fetched_at": "2025-04-02T08:00:00Z"}),
        b"",
        b'{"url": "https://a.example/2", "html": "<p>cut',
        orjson.dumps({"url": "https://a.example/3", "text": "A plain text page."}),
        orjson.dumps({"url": "https://a.example/4"}),
        orjson.dumps(["not", "an", "object"]),
    ]
    items, summary = read(b"\n".join(lines) + b"\n", "/d/pages.jsonl")
    assert summary.format == "jsonl" and summary.pages == 5 and summary.rejects == 3
    first, bad_json, text, no_content, not_object = items
    assert isinstance(first, Page) and first.url == "https://a.example/1"
    assert first.fetched_at == "2025-04-02T08:00:00Z" and first.input.record == 0
    assert isinstance(bad_json, Reject) and bad_json.reason == "malformed_record"
    assert bad_json.excerpt and bad_json.excerpt.startswith('{"url": "https://a.example/2"')
    assert isinstance(text, Page) and text.text == "A plain text page." and text.input.record == 2
    assert isinstance(no_content, Reject) and "neither" in no_content.detail
    assert isinstance(not_object, Reject) and not_object.reason == "malformed_record"


def test_jsonl_is_sniffed_without_extension():
    line = orjson.dumps({"url": "https://a.example/1", "html": HTML})
    assert sniff_format("/d/records", line[:4096]) == "jsonl"


def test_warc_responses_are_pages_and_other_records_are_counted():
    data = warc_bytes(
        [
            ("https://lanternpost.example/a", HTML.encode("utf-8"), "text/html; charset=utf-8"),
            ("https://lanternpost.example/logo.png", b"\x89PNG\r\n", "image/png"),
        ]
    )
    items, summary = read(data, "/d/crawl.warc.gz")
    assert summary.format == "warc" and summary.compressed
    assert summary.skipped_records == 3  # warcinfo + two requests
    page, image = items
    assert isinstance(page, Page) and page.url == "https://lanternpost.example/a"
    assert page.fetched_at and page.headers["content-type"].startswith("text/html")
    assert isinstance(image, Reject) and image.reason == "not_html" and image.input.record == 1


def test_warc_uses_the_http_charset():
    payload = "<html><body><p>Ångström für Zoë</p></body></html>".encode("iso-8859-1")
    items, _ = read(
        warc_bytes([("https://x.example/", payload, "text/html; charset=ISO-8859-1")]), "/d/c.warc.gz"
    )
    assert isinstance(items[0], Page) and "Ångström für Zoë" in (items[0].html or "")


def test_truncated_gzip_single_page_is_one_truncated_reject():
    data = gzip_bytes(HTML.encode() * 3)
    items, summary = read(data[: len(data) // 2], "/d/cut.html.gz")
    assert [type(item) for item in items] == [Reject]
    assert items[0].reason == "truncated" and summary.pages == 1


def test_truncated_warc_keeps_the_records_before_the_cut():
    pages = [(f"https://lanternpost.example/{n}", HTML.encode(), "text/html") for n in range(4)]
    data = warc_bytes(pages, with_request=False)
    items, _ = read(data[: int(len(data) * 0.7)], "/d/cut.warc.gz")
    assert all(isinstance(item, Page) for item in items[:-1]) and len(items) >= 2
    assert isinstance(items[-1], Reject) and items[-1].reason == "truncated"
    assert items[-1].input.record == len(items) - 1


def test_truncated_gzip_jsonl_keeps_whole_lines_and_records_the_cut_once():
    lines = b"".join(orjson.dumps({"url": f"https://a.example/{n}", "html": HTML}) + b"\n" for n in range(20))
    data = gzip_bytes(lines)
    items, _ = read(data[: len(data) // 2], "/d/cut.jsonl.gz")
    rejects = [item for item in items if isinstance(item, Reject)]
    assert len(rejects) == 1 and rejects[0].reason == "truncated"
    assert all(isinstance(item, Page) for item in items[:-1])


def test_empty_file_is_one_reject():
    items, summary = read(b"", "/d/empty.html")
    assert [item.reason for item in items if isinstance(item, Reject)] == ["empty_file"]
    assert summary.pages == 1


def test_binary_garbage_is_undecodable():
    import random

    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(5000))
    items, _ = read(garbage, "/d/blob.html")
    assert len(items) == 1 and isinstance(items[0], Reject) and items[0].reason == "undecodable"


def test_page_larger_than_the_limit_is_rejected_without_reading_it_all():
    items, _ = read(HTML.encode() * 10, "/d/huge.html", limit=len(HTML))
    assert isinstance(items[0], Reject) and items[0].reason == "too_large"


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("/d/x.html", b"hello", "html"),
        ("/d/x.txt", b"<html>", "text"),
        ("/d/x", b"WARC/1.0\r\n", "warc"),
        ("/d/x", b"<!DOCTYPE html><html>", "html"),
        ("/d/x", b"Just words on a page.", "text"),
    ],
)
def test_sniff_format(name: str, head: bytes, expected: str):
    assert sniff_format(name, head) == expected


def test_an_html_file_holding_a_script_or_json_is_not_html():
    script = b"!function(w){w.queue=w.queue||[];w.queue.push({t:Date.now()})}(window);\n" * 30
    items, summary = read(script, "/d/app.html")
    assert [item.reason for item in items if isinstance(item, Reject)] == ["not_html"]
    assert items[0].detail == "the file is application/javascript by its bytes, not a page"  # type: ignore[union-attr]
    assert summary.not_html_types == {"none": 1}
    items, _ = read(gzip_bytes(b'{"articles": [{"id": 1}]}'), "/d/feed.html.gz")
    assert isinstance(items[0], Reject) and items[0].reason == "not_html"
    items, _ = read(b"Only words here, and no markup at all, in a file named like a page.", "/d/plain.html")
    assert isinstance(items[0], Page)
