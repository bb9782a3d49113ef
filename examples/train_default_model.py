"""Rebuild the packaged text model, ``configs/section_model.npz``, from the labelled examples.

The labelled articles (``examples/labelled/articles.jsonl``) are invented news texts written
for newsbeam, 45 per section of the default taxonomy; ``examples/labelled_articles.py``
regenerates them. This script trains on all of them, exactly as
``newsbeam sections train --input examples/labelled/articles.jsonl --out configs/section_model.npz``
would, and prints what it wrote.

    python examples/train_default_model.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from newsbeam.pipeline.cli.sections import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(
        main(
            [
                "train",
                "--input",
                str(REPO / "examples" / "labelled" / "articles.jsonl"),
                "--out",
                str(REPO / "configs" / "section_model.npz"),
            ]
        )
    )
