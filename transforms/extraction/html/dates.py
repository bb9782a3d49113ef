"""Publication and modification dates of a page, as ISO 8601 strings.

:func:`normalize_date` reads a date as pages write it (``2024-03-05T14:30:00Z``,
``March 5, 2024 2:30 pm EST``, ``05.03.2024``) and keeps the precision given: a date alone,
a local time, or a time with its zone. :func:`dom_date` reads ``itemprop`` date elements;
:func:`time_element_date` the first ``<time datetime>`` (inside ``<article>`` first);
:func:`guess_date` asks htmldate about the page's visible dates (its original-date mode,
so a publication date wins over an update). :mod:`.metadata` tries them
after JSON-LD and the ``article:published_time`` family of meta tags.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from typing import Any

from dateutil import parser as date_parser
from htmldate import find_date
from lxml import etree

from newsbeam.transforms.extraction.html.text import collapse, element_text

__all__ = [
    "class_date",
    "dom_date",
    "guess_date",
    "normalize_date",
    "prefer_url_date",
    "time_element_date",
    "visible_date",
]

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|T\d{2}")
_HAS_TZ = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT|[A-Z]{2,4}T))\s*$", re.IGNORECASE)
_TIME_XPATH = etree.XPath("(//article//time[@datetime] | //time[@datetime])[1]/@datetime")


def normalize_date(value: Any) -> str | None:
    """An ISO 8601 string for a date as pages write it, or None when it cannot be read.

    Keeps the precision the page gives: ``2024-03-05`` for a date alone,
    ``2024-03-05T14:30:00`` for a time without zone, ``2024-03-05T14:30:00+00:00`` with one.
    """
    text = collapse(str(value)) if value else ""
    if not text or len(text) > 80 or not any(char.isdigit() for char in text):
        return None
    try:
        with warnings.catch_warnings():
            # Zone names dateutil does not know ("CET") come back naive: fine, never an error.
            warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
            parsed: datetime = date_parser.parse(text, fuzzy=True, default=datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    if not 1990 <= parsed.year <= 2100 or (parsed.year == 1 and parsed.month == 1):
        return None
    if not _HAS_TIME.search(text):
        return parsed.date().isoformat()
    if parsed.tzinfo is not None and _HAS_TZ.search(text):
        try:
            return parsed.isoformat(timespec="seconds")
        except (ValueError, OverflowError):
            return None
    return parsed.replace(tzinfo=None).isoformat(timespec="seconds")


def dom_date(elements: list[Any]) -> str | None:
    """The first readable date among ``itemprop`` date elements."""
    for element in elements:
        date = normalize_date(element.get("content") or element.get("datetime") or element_text(element))
        if date:
            return date
    return None


def time_element_date(document: Any) -> str | None:
    """The first ``<time datetime>`` of the page, preferring one inside ``<article>``."""
    return normalize_date(next(iter(_TIME_XPATH(document)), None))


def guess_date(document: Any, extensive: bool = False) -> str | None:
    """htmldate's reading of the page's visible dates (original-date mode, no URL).

    ``extensive`` also lets it read dates from free text ("Datum: 25.01.2022"), slower and
    less sure: the last resort when the markup names no date.
    """
    try:
        found = find_date(document, extensive_search=extensive, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a third-party heuristic must not break the never-raise contract
        return None
    return normalize_date(found) if found else None


def prefer_url_date(date: str | None, url_date: str | None) -> str | None:
    """``date``, unless the URL's full ``YYYY/MM/DD`` names another day: then the URL's.

    A URL date is set when the article is first published; metadata dates are often the
    last update, or a UTC time that has moved past midnight.
    """
    if url_date and (date is None or date[:10] != url_date):
        return url_date
    return date


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar janv janvier enero ene gennaio styczeń stycznia januari",
            "february feb februar févr février febrero febbraio luty lutego februari",
            "march mar märz maerz mars marzo marzec marca maart",
            "april apr avril abril aprile kwiecień kwietnia",
            "may mai mayo maggio maj maja mei",
            "june jun juni juin junio giugno czerwiec czerwca",
            "july jul juli juil juillet julio luglio lipiec lipca",
            "august aug août agosto sierpień sierpnia augustus",
            "september sep sept septembre septiembre settembre wrzesień września",
            "october oct okt oktober octobre octubre ottobre październik października",
            "november nov novembre noviembre listopad listopada",
            "december dec dez dezember déc décembre diciembre dic dicembre grudzień grudnia",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_VISIBLE_DATE = re.compile(
    rf"\b(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)\b|"
    rf"\b(?P<dot_d>[0-3]?\d)\.\s?(?P<dot_m>[01]?\d)\.\s?(?P<dot_y>(?:19|20)\d\d)\b|"
    rf"\b(?P<dm_d>[0-3]?\d)\.?\s+(?:de\s+)?(?P<dm_m>{_MONTH_NAME})\.?,?\s+(?:de\s+)?(?P<dm_y>(?:19|20)\d\d)\b|"
    rf"\b(?P<md_m>{_MONTH_NAME})\.?\s+(?P<md_d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<md_y>(?:19|20)\d\d)\b",
    re.I,
)
_NEAR_HEADING_XPATH = etree.XPath("preceding::*[position() <= 15] | following::*[position() <= 40]")
_MAX_DATE_LINE_CHARS = 200


def _date_in(text: str) -> str | None:
    match = _VISIBLE_DATE.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    for prefix in ("iso", "dot", "dm", "md"):
        if groups[f"{prefix}_y"]:
            month = groups[f"{prefix}_m"]
            number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
            try:
                return (
                    datetime(int(groups[f"{prefix}_y"]), number, int(groups[f"{prefix}_d"]))
                    .date()
                    .isoformat()
                )
            except ValueError:
                return None
    return None


def class_date(elements: list[Any]) -> str | None:
    """A date shown by one of the first elements whose class says date ("post-date", "datum")."""
    for element in elements[:10]:
        text = element.get("datetime") or element.get("content") or element_text(element)
        if not text or len(text) > _MAX_DATE_LINE_CHARS:
            continue
        date = _date_in(text) or normalize_date(text)
        if date and 1990 <= int(date[:4]) <= 2100:
            return date
    return None


def visible_date(document: Any) -> str | None:
    """A date written in a short line around the page's ``<h1>`` ("5. März 2024", "March 5, 2024").

    Dates near the headline are the article's; a quick, language-aware look before htmldate's
    slower search of the whole page.
    """
    heading = next(document.iter("h1"), None)
    if heading is None:
        return None
    for element in _NEAR_HEADING_XPATH(heading):
        if element.tag in ("script", "style", "a"):
            continue
        own = element.text or ""
        if not any(char.isdigit() for char in own) or len(own) > _MAX_DATE_LINE_CHARS:
            continue
        date = _date_in(own)
        if date and 1990 <= int(date[:4]) <= 2100:
            return date
    return None
