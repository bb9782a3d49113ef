"""newsbeam: folders of raw news-page dumps in, clean deduplicated articles out (Apache Beam).

This package is the public API for users' steps::

    from newsbeam import Article, Reject

    def tag_weather(article: Article) -> Article | None:
        ...

:class:`Article` is the record every step receives and returns; :class:`Reject` is what a
``PTransform`` step may emit for an article it refuses. The command is ``newsbeam`` (or
``python -m newsbeam``); see ``docs/`` for everything else.
"""

from __future__ import annotations

from importlib import metadata

from newsbeam.transforms.model import SCHEMA_VERSION, Article, Duplicate, Page, Provenance, Reject

__all__ = ["SCHEMA_VERSION", "Article", "Duplicate", "Page", "Provenance", "Reject", "__version__"]

try:
    __version__ = metadata.version("newsbeam")
except metadata.PackageNotFoundError:  # pragma: no cover - running from an unpacked tree
    __version__ = "0+unknown"
