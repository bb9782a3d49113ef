"""Find the dateline at the start of an article: the place the story was filed from.

News copy often opens its first paragraph with the place, sometimes a date and the
agency, then a separator::

    ISLAMABAD: Pakistani and US diplomats ...
    NEW YORK (Reuters) - Shares rose ...
    Paris, March 3 (AFP) - The government ...
    KARACHI, Dec 19: The provincial cabinet ...
    WASHINGTON — The Senate ...

:func:`split_dateline` returns the place, upper-cased (``ISLAMABAD``, ``NEW YORK``,
``PARIS``), and the paragraph *unchanged*: the article text stays intact and the
dateline is only metadata.

A wrong dateline is worse than none, so the rules are deliberately narrow:

* the place is one to four capitalised words (lower-case connectors such as ``de`` or
  ``of`` may sit between them) and holds no common English word (``He``, ``The``);
* an ALL-CAPS place may stand alone before the separator (``WASHINGTON —``), unless it
  is an editorial label (``UPDATE:``, ``EDITOR'S NOTE:``, ``BREAKING:``);
* a Title-case place needs corroboration, an agency in parentheses or a date
  (``Berlin (dpa) –``, ``Paris, March 3 -``), because ``Note:`` or ``Meanwhile -``
  look the same otherwise.

Only the main place is returned: ``WASHINGTON, D.C. —`` gives ``WASHINGTON``.
"""

from __future__ import annotations

import re

__all__ = ["split_dateline"]

# Datelines are short; looking further only costs time on huge one-line inputs.
_SCAN_CHARS = 200

_WORD = r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?i:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH})"
    r"(?:,?\s+\d{4})?"
)
# A region after the place ("D.C.", "Ill.", "Pakistan"): corroborates nothing on its own.
_REGION = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"

_DATELINE = re.compile(
    rf"""
    \s*
    (?P<place>{_WORD}(?:\s+{_WORD}){{0,5}})
    (?P<quals>(?:,\s*(?:{_DATE}|{_REGION})){{0,2}})
    (?:\s*\((?P<agency>[^()\n\d]{{2,40}})\))?
    (?P<sep>:(?=\s)|\s*(?:--|[—–])|\s+-(?=\s))
    \s*\S
    """,
    re.VERBOSE,
)
_QUALIFIER = re.compile(rf",\s*(?:(?P<date>{_DATE})|(?P<region>{_REGION}))")

_MAX_PLACE_WORDS = 4
_MAX_AGENCY_WORDS = 4
# Bare ALL-CAPS words shorter than this are more often acronyms ("FBI:") than places.
_MIN_BARE_LETTERS = 4

# Lower-case words that occur inside place names (Rio de Janeiro, Bay of Plenty).
_CONNECTORS = frozenset(
    {"de", "del", "della", "da", "das", "do", "dos", "di", "du", "la", "le", "les", "los", "las", "el", "al"}
    | {"of", "on", "upon", "sur", "am", "an", "der", "den", "y"}
)
# Word lists read best as text; split() turns them into sets.
# Common words that never start a dateline: seeing one means this is a sentence.
_FUNCTION_WORDS = frozenset(
    """
    THE A AN HE SHE IT WE I YOU THEY THIS THAT THESE THOSE AND OR BUT IS ARE WAS WERE BE
    SAID SAYS TOLD ASKED TO FOR WITH IN AT BY FROM MY OUR YOUR HIS HER ITS THEIR NOT NO YES
    ALSO MEANWHILE HOWEVER TODAY YESTERDAY TOMORROW NOW THEN HERE THERE WHAT WHY HOW WHO
    """.split()  # noqa: SIM905
)
# Editorial labels written in capitals, like a dateline but not a place.
_LABEL_WORDS = frozenset(
    """
    UPDATE UPDATED UPDATES NOTE NOTES EDITOR EDITOR'S EDITOR’S BREAKING EXCLUSIVE ANALYSIS
    OPINION EDITORIAL COMMENT COMMENTARY CORRECTION CORRECTIONS CLARIFICATION WATCH LISTEN READ
    SEE PHOTO PHOTOS VIDEO VIDEOS LIVE REVIEW INTERVIEW FACTBOX EXPLAINER TIMELINE WARNING
    DISCLAIMER SOURCE SOURCES BACKGROUND CONTEXT SUMMARY SPONSORED ADVERTISEMENT FILE CREDIT
    TRANSCRIPT QUESTION ANSWER NEWS MORE RELATED SPOILER SPOILERS FACT CHECK PS FYI TLDR
    """.split()  # noqa: SIM905
)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Return ``(place, paragraph)``: the dateline's place upper-cased, or ``None``.

    ``paragraph`` is returned unchanged whether or not a dateline was found.
    """
    if not isinstance(paragraph, str):
        return None, paragraph
    match = _DATELINE.match(paragraph[:_SCAN_CHARS])
    if match is None:
        return None, paragraph
    words = match.group("place").split()
    if not _is_place(words):
        return None, paragraph
    dated = False
    for qual in _QUALIFIER.finditer(match.group("quals")):
        if qual.group("date"):
            dated = True
        elif not _is_place(qual.group("region").split()):
            return None, paragraph  # "ISLAMABAD, he said:" is a sentence
    corroborated = _is_agency(match.group("agency")) or dated
    if not corroborated and not _is_bare_capital_place(words):
        return None, paragraph
    return " ".join(words).upper(), paragraph


def _is_place(words: list[str]) -> bool:
    """Capitalised words, connectors only inside, no common word or editorial label."""
    if words[0] in _CONNECTORS or words[-1] in _CONNECTORS:
        return False
    names = [w for w in words if w not in _CONNECTORS]
    if len(names) > _MAX_PLACE_WORDS:
        return False
    for word in names:
        if not word[0].isupper():
            return False
        upper = word.upper().rstrip(".")
        if upper in _FUNCTION_WORDS or upper in _LABEL_WORDS:
            return False
    return True


def _is_agency(text: str | None) -> bool:
    """``(Reuters)``, ``(AP)``, ``(dpa)``; not an aside such as ``(pictured)``."""
    if not text:
        return False
    words = text.split()
    if not words or len(words) > _MAX_AGENCY_WORDS:
        return False
    # Agencies are capitalised; the few lower-case ones (dpa, efe) are short acronyms.
    return words[0][0].isupper() or (len(words) == 1 and len(words[0]) <= 4)


def _is_bare_capital_place(words: list[str]) -> bool:
    """An ALL-CAPS place long enough not to be an acronym (``ROME`` yes, ``FBI`` no)."""
    names = [w for w in words if w not in _CONNECTORS]
    if not all(w.upper() == w for w in names):
        return False
    return sum(c.isalpha() for w in names for c in w) >= _MIN_BARE_LETTERS
