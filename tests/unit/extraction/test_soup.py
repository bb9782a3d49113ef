"""make_soup gives a usable BeautifulSoup tree, even of broken markup."""

from __future__ import annotations

from helpers.builders import PARAGRAPHS, article_html

from newsbeam.transforms.extraction.soup import make_soup


def test_soup_of_an_article_page():
    soup = make_soup(article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/b/c"))
    assert soup.find("link", rel="canonical")["href"] == "https://lanternpost.example/b/c"
    assert [p.get_text() for p in soup.select("article p")] == PARAGRAPHS


def test_soup_of_broken_markup():
    soup = make_soup("<div><p>Unclosed <b>bold <i>and italic</div><p>Second")
    assert soup.get_text(" ", strip=True) == "Unclosed bold and italic Second"
