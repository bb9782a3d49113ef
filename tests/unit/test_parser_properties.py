"""Property tests of the parsers: on any input, pages and rejects with known reasons, never an exception.

Hypothesis feeds arbitrary bytes, markup-like text, and truncated or mutated real-looking dumps
of every format to the dump reader, the extractors and ``parse_page``. The profile in
``tests/conftest.py`` is derandomized with a bounded number of examples, so CI runs the same
inputs every time.
"""

from __future__ import annotations

import gzip
import io

import orjson
from helpers.builders import PARAGRAPHS, article_html, prose, warc_bytes
from hypothesis import given
from hypothesis import strategies as st

from newsbeam.transforms.extraction.html.extract import extract_html
from newsbeam.transforms.extraction.page import parse_page
from newsbeam.transforms.extraction.result import Extraction
from newsbeam.transforms.extraction.text_dump import extract_text
from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
from newsbeam.transforms.model import Article, Page, Provenance, Reject

#: The reasons a reader or the parse step may give; anything else is a bug.
READ_REASONS = {"unreadable", "truncated", "empty_file", "too_large", "undecodable", "empty_body",
                "malformed_record", "http_error", "not_html"}  # fmt: skip
PARSE_REASONS = {"not_article", "parse_failed", "timeout"}
NAMES = ["page.html", "dump.txt", "feed.jsonl", "crawl.warc", "crawl.warc.gz", "page.html.gz", "blob"]
LIMIT = 200_000

_HTML = article_html("Harbour ferry fares rise", PARAGRAPHS, "https://lanternpost.example/b/ferry")
_JSONL = b"".join(
    orjson.dumps({"url": f"https://valley.example/{n}", "html": article_html(f"S{n}", prose(n), "u")}) + b"\n"
    for n in range(3)
)
_WARC = warc_bytes(
    [
        (f"https://coast.example/{n}", article_html(f"W{n}", prose(n + 9), "u").encode(), "text/html")
        for n in range(3)
    ]
)
#: Real-looking dumps of each format, to be cut and mutated.
SAMPLES = {
    "page.html": _HTML.encode(),
    "page.html.gz": gzip.compress(_HTML.encode()),
    "feed.jsonl": _JSONL,
    "feed.jsonl.gz": gzip.compress(_JSONL),
    "crawl.warc.gz": _WARC,
    "crawl.warc": gzip.decompress(_WARC),
}

_TAGS = ["<p>", "</p>", "<div class='story'>", "</div>", "<article>", "<br>", "<h1>", "</h1>", "<script>",
         "</script>", "<!--", "-->", "<table><tr><td>", "&amp;", "&#x0;", "<li>"]  # fmt: skip
markup = st.lists(st.one_of(st.sampled_from(_TAGS), st.text(max_size=40)), max_size=60).map("".join)


def _read(data: bytes, name: str) -> tuple[list[Page | Reject], DumpSummary]:
    summary = DumpSummary(path=name)
    return list(read_dump(io.BytesIO(data), name, summary, LIMIT)), summary


def _check_read(items: list[Page | Reject], summary: DumpSummary) -> None:
    assert summary.pages == len(items)
    assert summary.rejects == sum(isinstance(item, Reject) for item in items)
    for item in items:
        assert isinstance(item, Page | Reject)
        if isinstance(item, Reject):
            assert item.reason in READ_REASONS, item
            assert item.detail
        else:
            assert (item.html is None) != (item.text is None)
            assert len(item.content.encode("utf-8", "surrogatepass")) <= 4 * LIMIT


@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_any_bytes_under_any_name_are_pages_and_rejects(data: bytes, name: str):
    _check_read(*_read(data, name))


@given(
    name=st.sampled_from(sorted(SAMPLES)),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), max_size=4),
)
def test_cut_and_mutated_dumps_are_pages_and_rejects(name: str, cut: float, flips: list[tuple[float, int]]):
    data = bytearray(SAMPLES[name][: max(1, int(len(SAMPLES[name]) * cut))])
    for where, value in flips:
        data[int(where * len(data))] = value
    _check_read(*_read(bytes(data), name))


@given(text=st.one_of(markup, st.text(max_size=2000)))
def test_the_html_extractor_gives_clean_paragraphs_for_any_text(text: str):
    extraction = extract_html(text)
    assert isinstance(extraction, Extraction)
    assert all(paragraph and paragraph == paragraph.strip() for paragraph in extraction.paragraphs)


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000))
def test_the_text_dump_extractor_gives_clean_paragraphs_for_any_text(text: str):
    extraction = extract_text(text)
    assert all(paragraph and paragraph == paragraph.strip() for paragraph in extraction.paragraphs)


@given(content=st.one_of(markup, st.text(max_size=2000)), as_html=st.booleans())
def test_parse_page_gives_an_article_or_a_known_reject(content: str, as_html: bool):
    page = Page(
        input=Provenance("p.html"), html=content if as_html else None, text=None if as_html else content
    )
    result = parse_page(page, min_words=5, timeout_seconds=5.0)
    if isinstance(result, Reject):
        assert result.reason in PARSE_REASONS
    else:
        assert isinstance(result, Article) and result.body and result.word_count >= 5
