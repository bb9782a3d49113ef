"""Builders of realistic test inputs: dump files, WARC records and articles."""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbeam.transforms.model import Article, Provenance

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FIXTURES = REPO / "tests" / "fixtures"


def article_html(title: str, paragraphs: list[str], url: str, section: str = "Business") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Lantern Post</title>'
        f'<link rel="canonical" href="{url}"><meta property="article:section" content="{section}">'
        f'<meta property="article:published_time" content="2025-04-02T07:15:00+01:00"></head>'
        f"<body><nav><a href='/'>Home</a> <a href='/business'>Business</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>Lantern Post, 12 Quay Street. All rights reserved.</footer></body></html>"
    )


PARAGRAPHS = [
    "Shares in the regional rail operator Corrin Lines rose sharply on Tuesday after the company said "
    "passenger numbers had returned to their level before the strike, and that its new timetable had "
    "cut delays.",
    "The chief executive, Odile Varga, told investors that the company expected revenue to grow by six "
    "per cent this year, helped by higher fares on its coastal routes and a contract to carry freight "
    "for two ports.",
    "Analysts at Pellam Securities said the figures were better than expected but warned that the cost "
    "of replacing old trains would weigh on profits for several years, and kept their rating on the "
    "shares at hold.",
]


def warc_bytes(records: list[tuple[str, bytes, str]], with_request: bool = True) -> bytes:
    """A gzipped WARC with a warcinfo record, then per page a response (and a request) record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
    for url, payload, content_type in records:
        if with_request:
            request_headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request_headers))
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        )
    return buffer.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def make_article(
    id: str = "a1",
    body: str = "one two three four five",
    url: str | None = "https://example.test/a",
    path: str = "/dumps/a.html",
    record: int = 0,
    **fields: object,
) -> Article:
    from newsbeam.transforms.extraction.page import content_hash, word_count

    article = Article(
        id=id,
        input=Provenance(path, record),
        body=body,
        url=url,
        word_count=word_count(body),
        content_hash=content_hash(body),
    )
    for key, value in fields.items():
        setattr(article, key, value)
    return article


_PROSE_TEXT = (
    "council harbour ferry budget minister river station market school hospital police court farmers "
    "rain storm bridge tunnel election voters union strike museum festival players coach season league "
    "bank rates prices exports factory workers nurses doctors patients teachers pupils engineers port "
    "road rail airport village city region province coast island forest mountain valley lake energy"
)
_CONNECTORS_TEXT = "said on Monday that the would after before while and but because with from about"
_PROSE_WORDS, _PROSE_CONNECTORS = _PROSE_TEXT.split(), _CONNECTORS_TEXT.split()


def prose(seed: int, paragraphs: int = 6, words: int = 60) -> list[str]:
    """Distinct invented paragraphs: a seeded word salad with news-like connectors."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(_PROSE_WORDS if i % 3 else _PROSE_CONNECTORS) for i in range(words)).capitalize()
        + "."
        for _ in range(paragraphs)
    ]


def body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)
