"""A step that asks for the page's soup: tag articles with the keywords their page declares.

A step that takes a parameter named ``soup`` is given the page's BeautifulSoup tree (lxml
builder), built for it alone, or None for a page that was a text dump. Here it reads what
news sites declare but newsbeam does not keep as a field: ``<meta name="keywords">``,
``<meta name="news_keywords">`` and ``<meta property="article:tag">``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for the annotations: a step needs nothing of newsbeam at run time
    from newsbeam import Article

_NAMED = ("keywords", "news_keywords")


def tag_keywords(article: Article, soup: Any, field: str = "keywords", most: int = 20) -> Article:
    """Add the page's declared keywords (meta keywords, news_keywords, article:tag) as an extra field."""
    found: list[str] = []
    if soup is not None:
        for meta in soup.find_all("meta"):
            name = (meta.get("name") or meta.get("property") or "").casefold()
            content = meta.get("content") or ""
            if name in _NAMED:
                found.extend(part.strip() for part in content.split(","))
            elif name == "article:tag":
                found.append(content.strip())
    keywords = list(dict.fromkeys(word for word in found if word))[:most]
    article.extra[field] = keywords
    return article
