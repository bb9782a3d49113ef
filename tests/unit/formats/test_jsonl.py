"""JSONL lines: read in bounded memory, rejected with their real line number, scripts refused."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import orjson
from helpers.archives import SCRIPT, story

from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
from newsbeam.transforms.formats.jsonl import renumber_line
from newsbeam.transforms.formats.ranges import FileRange, range_offsets, read_file_range
from newsbeam.transforms.model import Page, Reject


class _LongLines(io.RawIOBase):
    """A JSONL stream made on the fly: a good line, a line of ``size`` bytes, a good line."""

    def __init__(self, size: int) -> None:
        url, html = story(1)
        good = orjson.dumps({"url": url, "html": html.decode()}) + b"\n"
        start = b'{"url": "https://a.example/big", "html": "'
        self._parts = [good, start, size - len(start), b'"}\n' + good]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while self._parts and self._parts[0] in (b"", 0):
            self._parts.pop(0)
        if not self._parts:
            return 0
        part = self._parts[0]
        if isinstance(part, int):
            data = b"x" * min(part, len(buffer))
            self._parts[0] = part - len(data)
        else:
            data = part[: len(buffer)]
            self._parts[0] = part[len(data) :]
        buffer[: len(data)] = data
        return len(data)


def test_a_line_over_the_limit_is_rejected_in_bounded_memory():
    limit = 1_000_000
    stream = io.BufferedReader(_LongLines(60_000_000), buffer_size=64 * 1024)
    summary = DumpSummary(path="/d/big.jsonl")
    tracemalloc.start()
    items = list(read_dump(stream, "/d/big.jsonl", summary, limit))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * limit, f"reading a 60 MB line held {peak} bytes"
    assert [type(item) for item in items] == [Page, Reject, Page]
    assert isinstance(items[1], Reject) and items[1].reason == "too_large"
    assert items[1].detail.startswith("line 2: ")


def test_rejects_name_the_real_line_counting_blank_lines():
    url, html = story(2)
    good = orjson.dumps({"url": url, "html": html.decode()})
    lines = [
        good,
        b"",
        b"",
        b'{"url": "https://a.example/2", "html": "<p>cut',
        good,
        b"",
        b"[1, 2]",
        b'{"url": 7, "html": "<p>x</p>"}',
    ]
    items, _ = _read(b"\n".join(lines) + b"\n", "/d/pages.jsonl")
    rejects = [item.detail for item in items if isinstance(item, Reject)]
    assert [detail.split(":")[0] for detail in rejects] == ["line 4", "line 7", "line 8"]
    assert [item.input.record for item in items] == [0, 1, 2, 3, 4]


def test_an_html_field_holding_a_script_is_not_html():
    line = orjson.dumps({"url": "https://a.example/app.js", "html": SCRIPT.decode()})
    items, summary = _read(line + b"\n", "/d/pages.jsonl")
    assert isinstance(items[0], Reject) and items[0].reason == "not_html"
    assert items[0].detail == "line 1: the record's html is application/javascript by its bytes, not a page"
    assert summary.not_html_types == {"none": 1}
    typed = orjson.dumps(
        {"url": "https://a.example/s.css", "html": "body{}", "headers": {"Content-Type": "text/css"}}
    )
    items, _ = _read(typed + b"\n", "/d/pages.jsonl")
    assert isinstance(items[0], Reject) and items[0].detail.endswith("is text/css, not a page")


def test_line_numbers_are_the_same_whatever_the_ranges(tmp_path: Path):
    url, html = story(3)
    good = orjson.dumps({"url": url, "html": html.decode()})
    lines = []
    for n in range(60):
        lines.append(good if n % 7 else b'{"broken": ')
        if n % 5 == 2:
            lines.append(b"")
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / "night.jsonl"
    path.write_bytes(data)
    whole, _ = _read(data, str(path))
    expected = [item.detail for item in whole if isinstance(item, Reject)]
    assert expected[0].startswith("line 1:") and len(expected) == 9
    for size in (1024, 4096, 10_000):
        chunks = -(-len(data) // size)
        found, counts = [], []
        with open(path, "rb") as handle:
            for chunk in range(chunks):
                file_range = FileRange(
                    str(path),
                    chunk * size,
                    min(len(data), (chunk + 1) * size),
                    len(data),
                    chunk,
                    chunks,
                    "jsonl",
                )
                items, hashing = read_file_range(handle, file_range, DumpSummary(path=str(path)), 5_000_000)
                found.append(list(items))
                hashing.finish()
                counts.append((str(path), chunk, len(found[-1]), hashing.newlines))
        offsets = range_offsets(counts)
        details = [
            renumber_line(item.detail, offsets[(str(path), chunk)][1])
            for chunk, kept in enumerate(found)
            for item in kept
            if isinstance(item, Reject)
        ]
        assert details == expected, f"ranges of {size} bytes"


def _read(data: bytes, name: str) -> tuple[list[Page | Reject], DumpSummary]:
    summary = DumpSummary(path=name)
    return list(read_dump(io.BytesIO(data), name, summary, 5_000_000)), summary
