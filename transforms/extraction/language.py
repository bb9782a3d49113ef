"""Language of a text, for pages that do not declare one or declare a wrong one.

Uses py3langid, which ships its model inside the package (nothing is downloaded). The
model is loaded once per process, on first use, and only texts long enough to judge
are classified; an uncertain guess gives None rather than a wrong code.

:func:`choose_language` settles between the page's declared language and the text's:
the declared one stands unless the text is long enough and the detector is very sure
of another language (templates often keep ``lang="en"`` on pages in other languages).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["choose_language", "detect_language"]

MIN_CHARS = 40
MIN_PROBABILITY = 0.80
#: The start of a text says which language it is in; more only costs time.
SAMPLE_CHARS = 2000
#: A declared language is overruled only by a detection this sure, on a text this long.
OVERRULE_PROBABILITY = 0.99
OVERRULE_MIN_CHARS = 200
#: Enough text to see that a declaration is wrong; the check runs on every page, so it is short.
OVERRULE_SAMPLE_CHARS = 600


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _classify(text: str, sample_chars: int = SAMPLE_CHARS) -> tuple[str | None, float]:
    sample = text[:sample_chars]
    if len(sample.strip()) < MIN_CHARS:
        return None, 0.0
    language, probability = _identifier().classify(sample)
    return str(language), float(probability)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when too short or uncertain."""
    language, probability = _classify(text)
    return language if probability >= MIN_PROBABILITY else None


def choose_language(declared: str | None, text: str) -> str | None:
    """The page's language: ``declared`` unless the text clearly says otherwise (see above)."""
    if declared is None:
        return detect_language(text)
    if len(text) < OVERRULE_MIN_CHARS:
        return declared
    language, probability = _classify(text, OVERRULE_SAMPLE_CHARS)
    if language and language != declared and probability >= OVERRULE_PROBABILITY:
        return language
    return declared
