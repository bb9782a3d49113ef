"""BeautifulSoup, on request: for site rules and user steps that want a soup.

newsbeam's hot path parses every page once with lxml; building a BeautifulSoup tree
costs several times more. A step that prefers BeautifulSoup's API asks for one here,
and only the pages it asks for pay for it. The tree is built on the lxml builder.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

__all__ = ["make_soup"]


def make_soup(html: str) -> BeautifulSoup:
    """A BeautifulSoup tree of ``html`` (lxml builder); never raises on broken markup."""
    return BeautifulSoup(html, "lxml")
