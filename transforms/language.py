"""Language of a text, for pages that do not declare one.

Uses py3langid, which ships its model inside the package (nothing is downloaded). The
model is loaded once per process, on first use, and only texts long enough to judge
are classified; an uncertain guess gives None rather than a wrong code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["detect_language"]

MIN_CHARS = 40
MIN_PROBABILITY = 0.80
#: The start of a text says which language it is in; more only costs time.
SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when too short or uncertain."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None
