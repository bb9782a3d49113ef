"""BeautifulSoup, on request: for the user steps that prefer its API to newsbeam's fields.

newsbeam's hot path parses every page once with lxml; building a BeautifulSoup tree costs
several times more, so only the steps that ask for one pay for it. A user step asks by
taking a parameter named ``soup`` (``def tag_keywords(article, soup)``, or
``process(self, article, soup)``): the parse step then keeps each page's HTML on its article
(``hints["html"]``, never written) until the last step that asks, and each such step is
called with the page's tree, built on the lxml builder, or ``None`` for a text dump.
``docs/custom-steps.md`` shows one; ``examples/plugins`` has ``tag_keywords``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from newsbeam.transforms.model import Article

__all__ = ["HTML_HINT", "make_soup", "page_soup"]

#: Where an article carries its page's HTML while a later step asks for its soup.
HTML_HINT = "html"


def make_soup(html: str) -> BeautifulSoup:
    """A BeautifulSoup tree of ``html`` (lxml builder); never raises on broken markup."""
    return BeautifulSoup(html, "lxml")


def page_soup(article: Article) -> BeautifulSoup | None:
    """The tree of the page ``article`` came from, or None (a text dump, or no step asked for it)."""
    html = article.hints.get(HTML_HINT)
    return make_soup(html) if isinstance(html, str) else None
