"""split_dateline: the dateline forms it must find, and the sentences it must leave alone."""

from __future__ import annotations

import time

import pytest

from newsbeam.transforms.extraction.dateline import split_dateline


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("ISLAMABAD: Officials met on Thursday.", "ISLAMABAD"),
        ("ISLAMABAD - Officials met on Thursday.", "ISLAMABAD"),
        ("NEW YORK (Reuters) - Shares rose on Wednesday.", "NEW YORK"),
        ("LONDON (AP) — Waiting lists fell.", "LONDON"),
        ("Paris, March 3 (AFP) - Ministers failed to agree.", "PARIS"),
        ("KARACHI, Dec 19: The cabinet approved a plan.", "KARACHI"),
        ("WASHINGTON — The Senate passed a bill.", "WASHINGTON"),
        ("Berlin (dpa) – Ein Feuer brach aus.", "BERLIN"),
        ("WASHINGTON—The Senate passed a bill.", "WASHINGTON"),
        ("WASHINGTON, D.C. — The mayor spoke.", "WASHINGTON"),
        ("RIO DE JANEIRO (Reuters) - Police said.", "RIO DE JANEIRO"),
        ("Rio de Janeiro, March 3, 2024 (AFP) - Police said.", "RIO DE JANEIRO"),
        ("ST. LOUIS (AP) — A judge ruled.", "ST. LOUIS"),
        ("SÃO PAULO: Markets opened higher.", "SÃO PAULO"),
        ("  ROME: Leading spaces are fine.", "ROME"),
        ("Lagos, 4 June (Reuters) -- The port reopened.", "LAGOS"),
    ],
)
def test_finds_the_place_of_each_dateline_form(paragraph: str, place: str) -> None:
    assert split_dateline(paragraph) == (place, paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Note: this is an automated translation.",
        "Update: the story has been corrected.",
        "He said: the talks will continue.",
        "The report — published Monday — was withdrawn.",
        "The Ministry Of Foreign Affairs Of The Islamic Republic Said Today: talks resume.",
        "UPDATE: Adds quotes from the minister.",
        "EDITOR'S NOTE: This story contains graphic details.",
        "BREAKING NEWS: Parliament dissolved.",
        "FBI: suspect in custody.",
        "ISLAMABAD, he said: the talks went well.",
        "Officials (pictured) - arrive at the summit.",
        "Paris - a Title-case place needs an agency or a date.",
        "Meanwhile, March 3: sentence openers are not places.",
        "COVID-19: cases rise again.",
        "ISLAMABAD:",
        "Officials said on Thursday that ISLAMABAD: would host talks.",
        "",
        "   ",
    ],
)
def test_leaves_ordinary_sentences_alone(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, paragraph)


def test_paragraph_is_returned_unchanged() -> None:
    paragraph = "NEW YORK (Reuters) - Shares rose.\nA second line."
    place, text = split_dateline(paragraph)
    assert place == "NEW YORK"
    assert text is paragraph


def test_huge_paragraph_is_quick() -> None:
    paragraph = "Word " * 200_000 + ": end"
    start = time.perf_counter()
    assert split_dateline(paragraph) == (None, paragraph)
    assert time.perf_counter() - start < 1.0
