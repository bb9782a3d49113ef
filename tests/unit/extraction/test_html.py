"""Tests of the HTML extractor on invented pages (tests/fixtures/html) and hostile inputs."""

from __future__ import annotations

import pytest
from helpers.builders import FIXTURES

from newsbeam.transforms.extraction.html.extract import extract_html
from newsbeam.transforms.extraction.html.metadata import clean_author, normalize_date, normalize_language
from newsbeam.transforms.extraction.result import Extraction

HTML_FIXTURES = FIXTURES / "html"


def load(name: str) -> str:
    return (HTML_FIXTURES / name).read_text(encoding="utf-8")


def body_of(extraction: Extraction) -> str:
    return "\n\n".join(extraction.paragraphs)


# --- a page with JSON-LD (@graph NewsArticle with articleBody, BreadcrumbList) ------------


@pytest.fixture(scope="module")
def jsonld_page() -> Extraction:
    return extract_html(load("jsonld_article.html"), url="https://kestrel-gazette.example/x/y")


def test_jsonld_headline_wins_over_og_title(jsonld_page: Extraction) -> None:
    assert jsonld_page.title == "Harbour council approves tidal energy pilot"


def test_jsonld_authors_are_cleaned_deduplicated_and_ordered(jsonld_page: Extraction) -> None:
    assert jsonld_page.authors == ["Amina Qureshi", "Tomas Lindqvist"]


def test_jsonld_dates_keep_their_time_zone(jsonld_page: Extraction) -> None:
    assert jsonld_page.published_at == "2024-03-05T14:30:00+00:00"
    assert jsonld_page.updated_at == "2024-03-06T09:15:00+05:00"


def test_relative_canonical_url_is_made_absolute(jsonld_page: Extraction) -> None:
    assert jsonld_page.url == "https://kestrel-gazette.example/business/energy/tidal-pilot-approved"


def test_jsonld_site_words(jsonld_page: Extraction) -> None:
    assert jsonld_page.site_name == "The Kestrel Gazette"
    assert jsonld_page.language == "en"
    assert jsonld_page.sections == ["Business", "Energy"]
    assert jsonld_page.breadcrumbs == ["Business", "Energy"]
    assert jsonld_page.og_type == "article"


def test_captions_from_figcaption_and_jsonld_image(jsonld_page: Extraction) -> None:
    assert jsonld_page.captions == [
        "A test turbine lowered into the estuary",
        "A test turbine lowered into the estuary & its cable",
    ]


def test_jsonld_article_body_becomes_paragraphs(jsonld_page: Extraction) -> None:
    assert len(jsonld_page.paragraphs) == 4
    assert jsonld_page.paragraphs[0].startswith("The harbour council of Port Wrenley voted")
    assert jsonld_page.paragraphs[-1].endswith("must publish its measurements.")
    assert "All rights reserved" not in body_of(jsonld_page)
    assert jsonld_page.dateline is None


# --- a page with only meta tags and a main <article> among boilerplate -------------------


@pytest.fixture(scope="module")
def meta_page() -> Extraction:
    return extract_html(load("meta_only.html"))


def test_meta_page_fields(meta_page: Extraction) -> None:
    assert meta_page.title == "Moss survey finds rare species on city roofs"
    assert meta_page.authors == ["Lena Okafor"]  # "By ... | Staff Reporter"; article:author is a URL
    assert meta_page.published_at == "2023-11-20T08:15:00+01:00"
    assert meta_page.updated_at == "2023-11-21T10:00:00"
    assert meta_page.url == "https://northfield-courier.example/science/moss-survey-roofs"
    assert meta_page.site_name == "Northfield Courier"
    assert meta_page.language == "en"
    assert meta_page.sections == ["Science"]
    assert meta_page.breadcrumbs == ["Science", "Nature"]
    assert meta_page.og_type == "article"
    assert meta_page.captions == ["Cushions of moss on the library roof"]


def test_meta_page_body_keeps_article_paragraphs_lists_and_subheadings(meta_page: Extraction) -> None:
    paragraphs = meta_page.paragraphs
    assert paragraphs[0].startswith("Volunteers counting mosses on the flat roofs")
    assert paragraphs[-1].startswith("The club plans to repeat the count next autumn")
    assert "Why roofs matter" in paragraphs
    assert "Grey-cushioned grimmia, found on the old post office" in paragraphs
    assert "Wall screw-moss, common on almost every bus shelter" in paragraphs


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Share on Facebook",  # share bar
        "Read more:",  # read-more line
        "Lichens return to the high street",
        "Subscribe to our weekly nature newsletter",  # subscription prompt
        "Opinion",  # related link block and its heading
        "Why our parks need more wild corners",
        "Most read",  # aside teaser list
        "Council delays bridge repairs again",
        "Residents face another winter",
        "3 comments",  # comment section
        "Great to see this",
        "editor note",  # HTML comment
        "Northfield Courier, 12 Mill Lane",  # footer
        "Privacy",
        "20 November 2023",  # byline and date line
        "Cushions of moss on the library roof",  # caption goes to captions, not the body
    ],
)
def test_meta_page_body_has_no_boilerplate(meta_page: Extraction, boilerplate: str) -> None:
    assert boilerplate not in body_of(meta_page)


def test_meta_page_paragraphs_are_clean_strings(meta_page: Extraction) -> None:
    for paragraph in meta_page.paragraphs:
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph and "\n" not in paragraph


# --- JSON-LD articleBody that is only a teaser loses to the page --------------------------


def test_teaser_article_body_is_replaced_by_the_page_text() -> None:
    extraction = extract_html(load("teaser_jsonld.html"))
    assert extraction.title == "Orchard reopens after the late frost"
    assert extraction.authors == ["Priya Ramanathan"]
    assert extraction.published_at == "2022-04-18"
    assert len(extraction.paragraphs) == 4
    assert extraction.paragraphs[0].startswith("The Hollins orchard is open again after a late frost")
    assert extraction.paragraphs[-1].startswith("Volunteers are still needed")


# --- <br><br> paragraphs, table layouts, broken markup, right-to-left scripts -----------


def test_double_line_breaks_separate_paragraphs_and_single_ones_do_not() -> None:
    extraction = extract_html(load("br_paragraphs.html"))
    assert extraction.title == "Notes from the allotment"  # " - Green Fingers Blog" removed
    assert extraction.language == "en"  # from http-equiv content-language en-AU
    assert extraction.paragraphs[-4:] == [
        "The broad beans came up at last this week, a full fortnight after I had given them up for lost.",
        "Next to them the onions are doing well, although the wind flattened a few stems on Thursday night.",
        "I spent Sunday morning building a new compost bay from old pallets that the neighbour left by "
        "the gate.",
        "Next month I hope to sow carrots, if the slugs allow it.",
    ]
    body = body_of(extraction)
    assert "Archive" not in body and "Powered by" not in body


def test_body_is_found_inside_a_table_layout() -> None:
    extraction = extract_html(load("table_layout.html"))
    body = body_of(extraction)
    assert extraction.paragraphs[-3].startswith("After three wet winters the roof of the Ashby Parva")
    assert extraction.paragraphs[-1].startswith("The hall reopens for the Saturday market")
    for menu_item in ("Start", "Events", "Contact", "Links"):
        assert menu_item not in body


def test_broken_markup_still_gives_every_paragraph() -> None:
    extraction = extract_html(load("broken.html"))
    assert extraction.title == "Ferry timetable changes"
    assert len(extraction.paragraphs) == 3
    assert extraction.paragraphs[0].startswith("The island ferry will run an extra evening crossing")
    assert extraction.paragraphs[2].endswith("in its short stat")


def test_truncated_head_gives_title_and_no_body() -> None:
    extraction = extract_html(load("truncated_head.html"))
    assert extraction.title == "Ferry"
    assert extraction.paragraphs == []


def test_urdu_page() -> None:
    extraction = extract_html(load("urdu.html"))
    assert extraction.title == "شہر میں نئی لائبریری کھل گئی"
    assert extraction.language == "ur"
    assert extraction.authors == ["فاطمہ نقوی"]
    assert extraction.published_at == "2024-01-15"
    assert extraction.site_name == "روزنامہ مثال"
    assert len(extraction.paragraphs) == 3
    assert extraction.paragraphs[0].startswith("شہر کے پرانے بازار کے قریب")
    assert "جملہ حقوق" not in body_of(extraction)


# --- inputs that are not pages -----------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02\xff binary \ud800 junk",
        "<<<>>>",
        "just a sentence with no markup at all",
        "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>",
        "<html><body><script>var x = '<p>not text</p>';</script></body></html>",
        "<" * 5000,
        "<div>" * 20000 + "deep" + "</div>" * 20000,
        "<html><head><title></title></head><body><p></p></body></html>",
    ],
)
def test_garbage_never_raises(garbage: str) -> None:
    extraction = extract_html(garbage)
    assert isinstance(extraction, Extraction)
    assert all(paragraph and paragraph == paragraph.strip() for paragraph in extraction.paragraphs)


@pytest.mark.parametrize(
    "empty",
    [
        "",
        "   \n\t ",
        "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>",
        "<html><body><script>var x = '<p>not text</p>';</script><style>p {color: red}</style></body></html>",
        "<html><head><title></title></head><body><p></p><div> </div></body></html>",
    ],
)
def test_pages_without_text_give_no_paragraphs(empty: str) -> None:
    assert extract_html(empty).paragraphs == []


def test_several_megabytes_of_page_are_handled() -> None:
    paragraph = "<p>" + "The quarry trucks rolled past the school again today, residents said. " * 3 + "</p>"
    html = "<html><body><article>" + paragraph * 12000 + "</article></body></html>"
    assert len(html) > 2_000_000
    extraction = extract_html(html)
    assert len(extraction.paragraphs) == 12000


def test_non_string_input_gives_empty_extraction() -> None:
    assert extract_html(None) == Extraction()  # type: ignore[arg-type]


# --- the normalizers behind the metadata ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05T14:30:00Z", "2024-03-05T14:30:00+00:00"),
        ("2024-03-05T14:30:00+02:00", "2024-03-05T14:30:00+02:00"),
        ("2024-03-05 14:30", "2024-03-05T14:30:00"),
        ("2024-03-05", "2024-03-05"),
        ("March 5, 2024", "2024-03-05"),
        ("not a date", None),
        ("", None),
        ("99999-99-99", None),
        (None, None),
    ],
)
def test_normalize_date(raw: str | None, expected: str | None) -> None:
    assert normalize_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("en-GB", "en"), ("PT_br", "pt"), ("ur", "ur"), ("english", None), ("", None), (None, None)],
)
def test_normalize_language(raw: str | None, expected: str | None) -> None:
    assert normalize_language(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("Jane Doe | Staff Reporter", ["Jane Doe"]),
        ("Jane Doe, Reuters", ["Jane Doe"]),
        ("By Jane Doe and Sam Roe", ["Jane Doe", "Sam Roe"]),
        ("https://example.org/staff/jane", []),
    ],
)
def test_clean_author(raw: str, expected: list[str]) -> None:
    assert clean_author(raw) == expected
