"""extract_text on plain-text page dumps: captions, title, dateline, and where the article ends."""

from __future__ import annotations

import pytest
from helpers.builders import FIXTURES, SHARED
from helpers.requirements import require_path

from newsbeam.transforms.extraction.result import Extraction
from newsbeam.transforms.extraction.text_dump import extract_text, is_caption

TEXT_FIXTURES = FIXTURES / "text"
SAMPLE = SHARED / "samples" / "000_350eb944aa0d7f3c.txt"


def extract_fixture(name: str) -> Extraction:
    return extract_text((TEXT_FIXTURES / name).read_text(encoding="utf-8"))


def body(extraction: Extraction) -> str:
    return "\n\n".join(extraction.paragraphs)


# --- fixtures: one per caption, dateline and sidebar style ----------------------------------------


def test_most_read_list_with_ranks_and_times_is_cut() -> None:
    result = extract_fixture("most_read_reuters.txt")
    assert result.captions == [
        "Workers unload crates of citrus at the port of Valmera on Tuesday. — Reuters photo"
    ]
    assert result.dateline == "NEW YORK"
    assert result.title is None
    assert len(result.paragraphs) == 5
    assert result.paragraphs[0].startswith("NEW YORK (Reuters) - Shares of Harlow Freight")
    assert result.paragraphs[-1].startswith("The transaction is expected to close")
    for teaser in ("Most Read", "Coastal towns", "hours ago", "Why cheap flights"):
        assert teaser not in body(result)


def test_opinion_and_editorial_blocks_with_updated_dates_are_cut() -> None:
    result = extract_fixture("opinion_editorial.txt")
    assert result.captions == ["Photo: Samira Okafor/Daily Meridian"]
    assert result.dateline == "KARACHI"
    assert len(result.paragraphs) == 4
    assert result.paragraphs[-1].startswith("Residents' groups welcomed the decision")
    for teaser in (
        "Opinion",
        "Water and the city",
        "Editorial",
        "Tariff tangle",
        "Updated 18 Dec",
        "Harbour",
    ):
        assert teaser not in body(result)


def test_related_stories_are_cut_and_short_last_paragraph_is_kept() -> None:
    result = extract_fixture("related_stories_afp.txt")
    assert result.captions[0].endswith("(Photo by Luc Armand/Agence Lumière)")
    assert result.dateline == "PARIS"
    assert result.paragraphs[-1] == "He declined to comment."
    assert len(result.paragraphs) == 5
    for teaser in ("Related stories", "Courier pay rules", "Ministers want to know"):
        assert teaser not in body(result)


def test_headline_line_becomes_title_not_body() -> None:
    result = extract_fixture("headline_more_from.txt")
    assert result.title == "Hospital waiting lists fall for the first time in six years"
    assert result.paragraphs[0].startswith("LONDON (AP) — Waiting lists")
    assert result.dateline == "LONDON"
    assert (
        result.paragraphs[-1] == "Unions representing nurses said staff shortages remained the main obstacle."
    )
    for teaser in ("More from", "Flu season", "Dec 17, 2024"):
        assert teaser not in body(result)


def test_article_without_sidebar_is_kept_whole() -> None:
    result = extract_fixture("no_sidebar.txt")
    assert result.captions == []
    assert result.title is None
    assert result.dateline == "WASHINGTON"
    assert len(result.paragraphs) == 4
    assert result.paragraphs[-1] == "The House is expected to vote next month."


def test_subheadings_inside_the_article_are_not_a_sidebar() -> None:
    result = extract_fixture("subheadings.txt")
    assert result.dateline is None
    assert "What happens next" in result.paragraphs
    assert "Analysis" in result.paragraphs
    assert result.paragraphs[-1] == "The new council will have 31 members."
    assert len(result.paragraphs) == 8


def test_hard_wrapped_paragraphs_are_joined_and_trending_list_cut() -> None:
    result = extract_fixture("trending_wrapped.txt")
    assert result.captions[0].endswith("- dpa Photo")
    assert result.dateline == "BERLIN"
    assert len(result.paragraphs) == 3
    assert "Spandau was brought under control on Saturday morning," in result.paragraphs[0]
    assert "\n" not in result.paragraphs[0]
    assert result.paragraphs[-1].endswith("police had opened an investigation.")
    assert "Trending" not in body(result)
    assert "Zoo welcomes" not in body(result)


# --- smaller behaviours, inline -------------------------------------------------------------------

PROSE = (
    "The council approved the budget on Monday after a debate that lasted well into the night, "
    "with several members warning that the new spending plans could not be sustained."
)


def test_sidebar_header_glued_to_last_paragraph_is_still_cut() -> None:
    text = f"{PROSE}\n\n{PROSE}\nRelated\nBridge repairs delayed again\nLibrary opens on Sundays\n"
    assert extract_text(text).paragraphs == [PROSE, PROSE]


def test_whitespace_is_collapsed_inside_paragraphs() -> None:
    text = "  One   sentence\tthat is    spread out.  \r\n\r\nAnother\u00a0sentence here.\r\n"
    assert extract_text(text).paragraphs == ["One sentence that is spread out.", "Another sentence here."]


def test_caption_paragraph_inside_body_moves_to_captions() -> None:
    text = f"{PROSE}\n\nThe new library on opening day. File photo\n\n{PROSE}\n"
    result = extract_text(text)
    assert result.paragraphs == [PROSE, PROSE]
    assert result.captions == ["The new library on opening day. File photo"]


def test_advertisement_lines_are_dropped() -> None:
    text = f"{PROSE}\n\nAdvertisement\n\n{PROSE}\n"
    assert extract_text(text).paragraphs == [PROSE, PROSE]


def test_first_line_with_final_period_is_not_a_title() -> None:
    text = f"Short opening sentence.\n\n{PROSE}\n"
    result = extract_text(text)
    assert result.title is None
    assert result.paragraphs[0] == "Short opening sentence."


def test_first_line_followed_by_short_line_is_not_a_title() -> None:
    result = extract_text("Budget vote tonight\n\nMore soon\n")
    assert result.title is None


@pytest.mark.parametrize(
    "line",
    [
        "Crowds gather outside the court. - AFP Photo",
        "A man reads the paper. — Reuters photo",
        "Photo: Jane Roe/Example Times",
        "The harbour at dawn. (Photo by Jane Roe/Agence Lumière)",
        "File photo",
        "A market in Lahore | Photo: Reuters",
    ],
)
def test_caption_styles_are_recognised(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "The agency shared high-resolution images.",
        "Officials released records — including images.",
        "He was shown a file photo.",
        "The company sells stock photos.",
        PROSE,
    ],
)
def test_prose_is_not_a_caption(line: str) -> None:
    assert not is_caption(line)


# --- inputs that must not raise -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n  \r\n",
        "\x00\x01\x02\xff\ufffd\x7f" * 50,
        "word " * 100_000,
        "A. " * 50_000,
        "\n" * 10_000,
        "- AFP Photo",
        "Opinion\n\nUpdated 19 Dec, 2024\n",
        "\u2028\u2029\x0b\x0c\x85",
    ],
)
def test_bad_inputs_do_not_raise(text: str) -> None:
    result = extract_text(text)
    assert isinstance(result, Extraction)
    assert all(p and p == p.strip() for p in result.paragraphs)


def test_empty_input_gives_empty_extraction() -> None:
    assert extract_text("") == Extraction()
    assert extract_text(" \n \n ") == Extraction()


# --- the real dump from shared/samples ------------------------------------------------------------


def test_real_sample_dump() -> None:
    require_path(SAMPLE, "the real sample dump of ../shared/samples")
    result = extract_text(SAMPLE.read_text(encoding="utf-8"))
    text = body(result)
    assert result.paragraphs[0].startswith("ISLAMABAD: Pakistani and US diplomats")
    assert result.paragraphs[-1].startswith("A covert CIA drone campaign")
    for teaser in (
        "Madressah oversight",
        "Accessing the RSF",
        "Updated 19 Dec, 2024",
        "Opinion",
        "Editorial",
    ):
        assert teaser not in text
    assert result.dateline == "ISLAMABAD"
    assert result.title is None
    assert len(result.captions) == 1
    assert result.captions[0].endswith("AFP Photo")
