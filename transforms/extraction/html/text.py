"""Small text helpers shared by the HTML extraction modules.

>>> collapse("  a \n b ")
'a b'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["collapse", "dedupe", "element_text"]

_WHITESPACE = re.compile(r"\s+")


def collapse(text: str | None) -> str:
    """``text`` with runs of whitespace turned into single spaces and the ends stripped."""
    return _WHITESPACE.sub(" ", text).strip() if text else ""


def element_text(element: Any) -> str:
    """The visible text of ``element``, whitespace collapsed ("" for anything unexpected)."""
    try:
        return collapse(element.text_content())
    except (ValueError, AttributeError):
        return ""


def dedupe(values: list[str]) -> list[str]:
    """``values`` without blanks and case-insensitive repeats, first spelling and order kept."""
    kept: dict[str, str] = {}
    for value in values:
        if value:
            kept.setdefault(value.casefold(), value)
    return list(kept.values())
