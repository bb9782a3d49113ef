"""Hostile and unusual pages: none may raise, stall or lose the article."""

from __future__ import annotations

import time

import pytest

from newsbeam.transforms.extraction.html.extract import extract_html
from newsbeam.transforms.extraction.page import parse_page
from newsbeam.transforms.model import Article, Page, Provenance

SENTENCE = "The committee met on Tuesday evening, and the members agreed to publish the report in full. "


def page_of(body: str, lang: str | None = None, title: str = "A report") -> str:
    declared = f' lang="{lang}"' if lang else ""
    return f"<!doctype html><html{declared}><head><title>{title}</title></head><body>{body}</body></html>"


def test_ten_thousand_nested_divs_keep_their_text() -> None:
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(4))
    html = page_of("<div>" * 10_000 + paragraphs + "</div>" * 10_000)
    start = time.monotonic()
    extraction = extract_html(html)
    assert time.monotonic() - start < 5
    assert len(extraction.paragraphs) == 4
    assert extraction.paragraphs[0].startswith("The committee met")


def test_several_megabytes_of_small_elements_finish_quickly() -> None:
    html = page_of("<ul>" + "<li><a href='/x'>link</a></li>" * 120_000 + "</ul>" + f"<p>{SENTENCE * 5}</p>")
    assert len(html) > 3_000_000
    start = time.monotonic()
    extraction = extract_html(html)
    assert time.monotonic() - start < 30
    assert any("committee met" in paragraph for paragraph in extraction.paragraphs)


def test_unclosed_and_misnested_markup() -> None:
    html = "<html><body><div><p>" + SENTENCE * 3 + "<p><b>" + SENTENCE * 2 + "</div></i><p>" + SENTENCE * 2
    extraction = extract_html(html)
    assert sum("committee met" in paragraph for paragraph in extraction.paragraphs) >= 2


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "ar",
            "اجتمعت اللجنة مساء الثلاثاء، واتفق الأعضاء على نشر التقرير كاملا بعد مراجعته من قبل الخبراء. ",
        ),
        ("hi", "समिति की बैठक मंगलवार शाम को हुई और सदस्यों ने रिपोर्ट को पूरी तरह प्रकाशित करने पर सहमति जताई। "),
        ("zh", "委员会于星期二晚上召开会议，成员们一致同意在专家审查后全文发表这份报告，并向公众说明结果。"),
        ("ur", "کمیٹی کا اجلاس منگل کی شام ہوا اور اراکین نے رپورٹ کو مکمل طور پر شائع کرنے پر اتفاق کیا۔ "),
    ],
)
def test_other_scripts_give_their_text_and_language(lang: str, text: str) -> None:
    html = page_of("<nav><a href='/'>Home</a></nav>" + "".join(f"<p>{text * 3}</p>" for _ in range(3)))
    article = parse_page(Page(input=Provenance("x.html"), html=html), min_words=10)
    assert isinstance(article, Article)
    assert text.strip()[:20] in article.body
    assert article.language == lang  # undeclared: detected from the text


def test_wrongly_declared_language_is_overruled_by_a_sure_detection() -> None:
    german = (
        "Der Stadtrat hat am Dienstagabend mit großer Mehrheit beschlossen, die Bibliothek auch am "
        "Sonntag zu öffnen, weil viele Studierende keinen ruhigen Platz zum Lernen finden. "
    )
    html = page_of("".join(f"<p>{german * 2}</p>" for _ in range(3)), lang="en")
    article = parse_page(Page(input=Provenance("x.html"), html=html), min_words=10)
    assert isinstance(article, Article) and article.language == "de"


def test_declared_language_stands_on_a_short_text() -> None:
    html = page_of("<p>Kurzer Text, aber genug Wörter für einen Artikel hier und dort.</p>", lang="en")
    article = parse_page(Page(input=Provenance("x.html"), html=html), min_words=5)
    assert isinstance(article, Article) and article.language == "en"


def test_mojibake_is_read_without_error() -> None:
    garbled = "CafÃ© owners in the cityâ€™s old town said the new rules were â€œunworkableâ€\x9d. "
    html = page_of("".join(f"<p>{garbled * 3}</p>" for _ in range(3)))
    extraction = extract_html(html)
    assert len(extraction.paragraphs) == 3 and "CafÃ©" in extraction.paragraphs[0]


def test_br_only_paragraphs_and_table_bodies() -> None:
    html = page_of(
        "<table><tr><td class='nav'><a href='/'>Home</a></td><td>"
        + "<br><br>".join(SENTENCE * 2 for _ in range(4))
        + "</td></tr></table>"
    )
    extraction = extract_html(html)
    assert len(extraction.paragraphs) == 4
