"""Cross-page boilerplate: paragraphs repeated on many articles of one source are removed."""

from __future__ import annotations

from helpers.builders import make_article

from newsbeam.transforms.extraction.boilerplate import (
    paragraph_digest,
    paragraph_digests,
    repeated_paragraphs,
    site_paragraphs,
    strip_boilerplate,
    with_paragraph_digests,
)
from newsbeam.transforms.model import Reject

FOOTER = "Follow the Valley Herald on social media for the latest news from the valley."


def story(n: int, **fields: object):
    body = "\n\n".join(
        [
            f"Story {n} opens with its own first paragraph about the river crossing number {n}.",
            f"Its second paragraph adds detail {n} that no other story shares with it at all.",
            FOOTER,
        ]
    )
    return make_article(
        id=f"s{n}",
        body=body,
        url=f"https://valleyherald.example/news/{n}",
        title=f"Story {n}",
        source="valleyherald.example",
        path=f"/d/{n}.html",
        **fields,
    )


FOOTER_ONLY = {"valleyherald.example": frozenset({paragraph_digest(FOOTER)})}


def test_strip_removes_known_paragraphs_and_recomputes_fields():
    article = story(1)
    cleaned = strip_boilerplate(article, FOOTER_ONLY, min_words=5)
    assert not isinstance(cleaned, Reject)
    assert FOOTER not in cleaned.body and cleaned.body.startswith("Story 1 opens")
    assert cleaned.word_count < article.word_count and cleaned.content_hash != article.content_hash


def test_strip_with_the_parked_digests_equals_strip_that_hashes_again():
    article = story(1)
    assert strip_boilerplate(article, FOOTER_ONLY, 5, paragraph_digests(article.body)) == strip_boilerplate(
        article, FOOTER_ONLY, 5
    )


def test_strip_leaves_articles_of_other_sites_and_without_repeats_alone():
    article = story(1)
    assert (
        strip_boilerplate(article, {"elsewhere.example": FOOTER_ONLY["valleyherald.example"]}, 5) is article
    )
    teaser_only = {
        "valleyherald.example": frozenset({paragraph_digest("Read more: the mayor's new bus lanes")})
    }
    assert strip_boilerplate(article, teaser_only, 5) is article


def test_paragraph_digests_ignore_whitespace_but_not_case():
    assert paragraph_digest("Follow  us\ton the\nweb ") == paragraph_digest("Follow us on the web")
    assert paragraph_digest("Follow us on the web") != paragraph_digest("follow us on the web")
    body = "First paragraph here.\n\nSecond one.\n\nFirst paragraph here."
    digests = paragraph_digests(body)
    assert len(digests) == 3 * 8 and digests[:8] == digests[16:] == paragraph_digest("First paragraph here.")


def test_strip_rejects_an_article_left_too_short():
    cleaned = strip_boilerplate(story(1), FOOTER_ONLY, min_words=40)
    assert isinstance(cleaned, Reject) and cleaned.reason == "not_article"


def test_repeated_paragraphs_count_distinct_articles_of_one_site():
    footer, teaser = paragraph_digest(FOOTER), paragraph_digest("Read more: the mayor's new bus lanes")
    values = [
        (b"story-1", footer + paragraph_digest("one")),
        (b"story-2", footer + teaser),
        (b"story-2", footer + teaser + paragraph_digest("a re-crawl of story 2")),
        (b"story-3", teaser + footer),
    ]
    found = dict(repeated_paragraphs(("valleyherald.example", values), min_pages=3))
    assert found == {"valleyherald.example": frozenset({footer})}
    assert not list(repeated_paragraphs(("valleyherald.example", values), min_pages=4))


def test_site_paragraphs_sends_each_distinct_paragraph_once():
    article = story(1)
    article.body += "\n\n" + FOOTER  # the footer twice: sent once
    site, (identity, digests) = site_paragraphs(with_paragraph_digests(article))
    paragraphs = set(article.body.split("\n\n"))
    assert site == "valleyherald.example"
    assert len(digests) == 8 * len(paragraphs) == 8 * 3
    assert paragraph_digest(FOOTER) in {digests[i : i + 8] for i in range(0, len(digests), 8)}
    first = site_paragraphs(with_paragraph_digests(story(1)))[1][0]
    assert (
        identity
        == first
        == paragraph_digest("Story 1")
        != site_paragraphs(with_paragraph_digests(story(2)))[1][0]
    )
