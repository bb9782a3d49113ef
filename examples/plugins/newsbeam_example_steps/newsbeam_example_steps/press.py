"""A plain function step: drop press releases.

A function step takes the article first and its parameters (the config's ``with``) as
keyword arguments, and returns the article (changed or not) or None to drop it; newsbeam
records a dropped article as a reject ``dropped_by:<step name>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotations: a step needs nothing of newsbeam at run time
    from newsbeam import Article

DEFAULT_MARKERS = ("press release", "for immediate release", "media release", "media contact:")


def drop_press_releases(
    article: Article, markers: list[str] | None = None, look_at_words: int = 80
) -> Article | None:
    """Drop articles whose title or opening words carry a press-release marker."""
    wanted = [marker.casefold() for marker in (markers if markers is not None else DEFAULT_MARKERS)]
    opening = " ".join(article.body.split()[:look_at_words])
    text = f"{article.title or ''}\n{opening}".casefold()
    return None if any(marker in text for marker in wanted) else article
