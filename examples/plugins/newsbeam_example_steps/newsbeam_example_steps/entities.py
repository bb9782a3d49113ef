"""A class step with ``setup()``: tag the people and places an article names, from a lookup table.

newsbeam builds the object once from the config (``TagEntities(table=..., ...)``), ships it
to every worker, calls ``setup()`` there once before the first article, then
``process(article)`` for each article. The constructor only checks its arguments; the
table is read in ``setup()``, through Beam's ``FileSystems``, so a ``gs://`` or ``s3://``
path works on a cluster as a local path does on a laptop.

The table is a CSV file with a header ``name,kind`` (kind is ``person`` or ``place``), or
a JSON file ``{"people": [...], "places": [...]}``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import TYPE_CHECKING

from apache_beam.io.filesystems import FileSystems

if TYPE_CHECKING:
    from newsbeam import Article

KINDS = {"person": "people", "place": "places"}


def read_table(text: str, json_format: bool) -> dict[str, list[str]]:
    """``{"people": [...], "places": [...]}`` from the table's text."""
    if json_format:
        data = json.loads(text)
        return {field: [str(name) for name in data.get(field, [])] for field in KINDS.values()}
    table: dict[str, list[str]] = {field: [] for field in KINDS.values()}
    for row in csv.DictReader(io.StringIO(text)):
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            raise ValueError(f"table row {row!r} has kind {kind!r}, not person or place")
        table[KINDS[kind]].append(row["name"].strip())
    return table


def compile_names(names: list[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names`` as whole words, longest first."""
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class TagEntities:
    """Add `people` and `places` (sorted names from a lookup table) to each article."""

    def __init__(self, table: str, prefix: str = "") -> None:
        if not table.endswith((".csv", ".json")):
            raise ValueError(f"table must be a .csv or .json file, not {table!r}")
        self.table = table
        self.prefix = prefix
        self._patterns: dict[str, re.Pattern[str] | None] = {}

    def setup(self) -> None:
        with FileSystems.open(self.table) as handle:
            text = handle.read().decode("utf-8")
        table = read_table(text, json_format=self.table.endswith(".json"))
        self._patterns = {field: compile_names(names) for field, names in table.items()}

    def process(self, article: Article) -> Article:
        text = f"{article.title or ''}\n{article.body}"
        for field, pattern in self._patterns.items():
            found = sorted(set(pattern.findall(text))) if pattern else []
            article.extra[f"{self.prefix}{field}"] = found
        return article
