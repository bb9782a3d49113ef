"""The JSON Schema of newsbeam's output records (``article.schema.json``), shipped with the package.

Readers of an output folder validate its lines against it; so do newsbeam's own tests.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["SCHEMA_FILE", "load_schema"]

SCHEMA_FILE = "article.schema.json"


def load_schema() -> dict[str, Any]:
    """The record schema; its ``$defs`` hold ``article``, ``duplicate``, ``reject`` and ``manifest``."""
    return json.loads(resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
