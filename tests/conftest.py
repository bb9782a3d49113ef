"""Shared fixtures: small dump folders built in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import PARAGRAPHS, article_html, gzip_bytes


@pytest.fixture()
def dumps_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    (folder / "nested").mkdir(parents=True)
    html = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")
    (folder / "page.html").write_text(html, encoding="utf-8")
    (folder / "nested" / "page-copy.html.gz").write_bytes(gzip_bytes(html.encode("utf-8")))
    (folder / "empty.html").write_bytes(b"")
    (folder / ".hidden.html").write_text(html, encoding="utf-8")
    return folder
