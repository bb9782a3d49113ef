"""Extract the article from a plain-text page dump: the page's visible text, as copied.

A dump holds the article first, then whatever the site showed around it: teaser lists
("Opinion", "Most Read", "Related stories"), each a header line followed by short
titles, dates such as ``Updated 19 Dec, 2024`` or ``2 hours ago``, and blurbs cut off
with ``...``. :func:`extract_text` returns an :class:`~.result.Extraction`:

* ``captions``: caption lines at the top (``... - AFP Photo``, ``Photo: ...``,
  ``(Photo by ...)``, ``File photo``) and caption-shaped paragraphs left in the body;
* ``title``: the first line, when it reads like a headline (short, no final period,
  on its own and followed by longer paragraphs); ``None`` otherwise;
* ``paragraphs``: the body, split on blank lines, whitespace collapsed inside each,
  with the trailing sidebars cut off;
* ``dateline``: from :func:`~.dateline.split_dateline` on the first paragraph.

Where the article ends is decided by scoring each line (lines of a hard-wrapped
paragraph are first joined back together). Date-only lines, section headers, bare
numbers, blurbs ending in ``...``, short title-like lines and lines repeated elsewhere
on the page score as sidebar; sentences score as article, more for longer ones. The
cut is the start of the trailing run with the highest total, taken only when that
total reaches :data:`MIN_SIDEBAR_SCORE`. A short last paragraph that is a sentence
scores as article, so it is kept; a sidebar's prose blurbs are outweighed by the
titles and dates around them.

The function never raises: empty, binary-looking or one-line inputs give whatever
could be read, possibly an empty ``Extraction``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsbeam.transforms.extraction.dateline import split_dateline
from newsbeam.transforms.extraction.result import Extraction

__all__ = ["MIN_SIDEBAR_SCORE", "extract_text", "is_caption"]

#: Total sidebar score a trailing run of lines needs before it is cut from the body.
#: One section header alone (3) is enough; a stray short line (1) is not.
MIN_SIDEBAR_SCORE = 3

# Captions and headlines are short; their patterns are only tried on lines up to this
# long, which also keeps the regexes cheap on a dump that is one giant line.
_MAX_CAPTION_CHARS = 400
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 25
# A line of at most this many words without a final full stop reads like a teaser title.
_MAX_TEASER_WORDS = 12
# Teaser blurbs are cut to about a meta description (~160 characters); a sentence longer
# than this is more likely the article's own.
_BLURB_CHARS = 200
# Lines at least this long without final punctuation are wrapped prose, not items.
_WRAPPED_LINE_CHARS = 50

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_SPACE = re.compile(r"\s+")

_PICTURE = r"(?:file\s+)?(?:photo(?:graph)?|picture|image|pic)s?"
# Credits are names ("AFP", "Reuters", "White Star"), capitalised or a short agency acronym
# ("dpa"), which keeps prose such as "... — including images." from reading as a credit.
_CREDIT = (
    r"(?:(?:(?-i:[A-Z])[\w.&'’]*|(?!(?:the|his|her|its|our|my|your|this|that|and|or|of|in|on|a|an)\s)"
    r"(?-i:[a-z]{2,4}))\s+){0,4}"
)
_CAPTIONS = (
    # "Photo: Jane Roe/Example Times", "Image courtesy of ..."
    re.compile(rf"^{_PICTURE}\s*(?::|\bby\b|\bcredit\b|\bcourtesy\b)", re.IGNORECASE),
    # "... (Photo by Jane Roe/Getty Images)", "... (AFP Photo)"
    re.compile(
        rf"\({_CREDIT}{_PICTURE}(?:\s*(?::|\bby\b|\bcredit\b|\bcourtesy\b)[^()]{{0,80}})?\)\.?$",
        re.IGNORECASE,
    ),
    # "... - AFP Photo", "... — Reuters photo", "... | Photo: Reuters"; the dash stands apart
    # so that "high-resolution images." is not a credit.
    re.compile(
        rf"(?:\s[-–|]|—)\s*{_CREDIT}{_PICTURE}(?:\s*(?::|\bby\b|\bcourtesy\b)\s*[^.]{{0,60}})?\.?$",
        re.IGNORECASE,
    ),
    # "File photo", "... in 2019. File photo"
    re.compile(r"(?:^|[.!?]\s+)file\s+(?:photo|image|picture)s?\.?$", re.IGNORECASE),
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?"
_DAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ABSOLUTE_DATE = (
    rf"{_DAY}(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?\S*)?"
    r"|\d{1,2}/\d{1,2}/\d{2,4})"
)
_RELATIVE_DATE = (
    r"(?:(?:\d+|an?|one)\s+(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago|just now)"
)
# A line that is only a date: "Updated 19 Dec, 2024", "2 hours ago", "Dec 19, 2024 10:32am".
_DATE_LINE = re.compile(
    r"(?:(?:last\s+)?(?:updated|published|posted|modified)(?:\s+on)?:?\s+)?"
    rf"(?:{_ABSOLUTE_DATE}(?:\s*(?:,|at|\||-)?\s*{_CLOCK})?|{_CLOCK}\s*(?:,|\||-)?\s*{_ABSOLUTE_DATE}"
    rf"|{_RELATIVE_DATE}|today|yesterday)",
    re.IGNORECASE,
)
# Headers of the teaser blocks sites put after an article.
_HEADER = re.compile(
    r"(?:opinion|editorials?|columns?|columnists|letters|features|blogs?|analysis|comments?|\d+\s+comments?"
    r"|most\s+(?:read|popular|viewed|shared|commented|emailed)|popular(?:\s+now)?|trending(?:\s+now|\s+stories)?"
    r"|related(?:\s+(?:stories|articles|news|content|coverage|posts|topics|links|reading))?"
    r"|latest(?:\s+(?:news|stories|videos?|headlines))?|top\s+(?:stories|news|headlines)"
    r"|(?:more|latest)\s+(?:from|on|in)\s+.{1,40}|more\s+(?:stories|news|headlines)|read\s+(?:more|next)"
    r"|also\s+read|see\s+also|recommended(?:\s+for\s+you)?|editor'?’?s\s+picks?|you\s+(?:may|might)\s+also\s+like"
    r"|don'?’?t\s+miss|in\s+other\s+news|from\s+(?:the|around\s+the)\s+web|what\s+to\s+read\s+next"
    r"|sponsored(?:\s+content)?|promoted(?:\s+stories)?|tags?|topics?|share(?:\s+this(?:\s+(?:article|story))?)?"
    r"|follow\s+us.{0,40}|(?:sign\s+up|subscribe).{0,60}newsletters?.{0,40}|newsletters?|videos?|podcasts?)"
    r"\s*:?",
    re.IGNORECASE,
)
# Lines that are never content, wherever they stand.
_BOILERPLATE = re.compile(
    r"advertisement|skip\s+advertisement|story\s+continues\s+below(?:\s+advertisement)?"
    r"|continue\s+reading(?:\s+below|\s+the\s+main\s+story)?|scroll\s+to\s+continue(?:\s+with\s+content)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,3}[.)]?")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’»)\]]*\s+[\"'“‘(]?[A-Z0-9]")
_BYLINE = re.compile(r"by\s+\S.{0,80}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Unit:
    """One logical line of the body: ``block`` is the index of its blank-line block."""

    block: int
    text: str


def is_caption(line: str) -> bool:
    """Whether ``line`` reads like an image caption or photo credit."""
    if not line or len(line) > _MAX_CAPTION_CHARS:
        return False
    return any(pattern.search(line) for pattern in _CAPTIONS)


def extract_text(text: str) -> Extraction:
    """Return the article found in a plain-text page dump (see the module docstring)."""
    # Callers may hand over undecoded bytes; anything else is no text at all.
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return Extraction()
    blocks = _blocks(text)
    captions: list[str] = []
    _take_leading_captions(blocks, captions)
    title = _take_title(blocks)
    _take_leading_captions(blocks, captions)

    units = _units(blocks)
    cut = _sidebar_start(units)
    paragraphs = _paragraphs(units[:cut], captions)
    dateline = split_dateline(paragraphs[0])[0] if paragraphs else None
    return Extraction(paragraphs=paragraphs, title=title, captions=captions, dateline=dateline)


def _blocks(text: str) -> list[list[str]]:
    """Lines grouped by blank lines, each line cleaned; boilerplate lines count as blank."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = _SPACE.sub(" ", _CONTROL.sub(" ", raw)).strip()
        if not line or _BOILERPLATE.fullmatch(line):
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _take_leading_captions(blocks: list[list[str]], captions: list[str]) -> None:
    """Move caption lines at the very top of the page into ``captions``."""
    while blocks and is_caption(blocks[0][0]):
        captions.append(blocks[0].pop(0))
        if not blocks[0]:
            blocks.pop(0)


def _take_title(blocks: list[list[str]]) -> str | None:
    """Pop and return the first block when it is a lone headline line."""
    if len(blocks) < 2 or len(blocks[0]) != 1:
        return None
    line = blocks[0][0]
    words = line.split()
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or len(line) > _MAX_TITLE_CHARS:
        return None
    if line[-1] in ".,;:" or _ELLIPSIS.search(line) or not (line[0].isupper() or line[0].isdigit()):
        return None
    if _DATE_LINE.fullmatch(line) or _HEADER.fullmatch(line) or _BYLINE.fullmatch(line):
        return None
    if split_dateline(line)[0] is not None:
        return None
    # A headline is followed by the article: a longer paragraph of real sentences.
    following = " ".join(blocks[1])
    if not _SENTENCE_END.search(following) or len(following.split()) <= max(len(words), _MAX_TEASER_WORDS):
        return None
    blocks.pop(0)
    return line


def _units(blocks: list[list[str]]) -> list[_Unit]:
    """Split blocks into logical lines, joining the lines of hard-wrapped prose back together."""
    units: list[_Unit] = []
    for index, lines in enumerate(blocks):
        current = [lines[0]]
        for line in lines[1:]:
            if _continues(current[-1], line):
                current.append(line)
            else:
                units.append(_Unit(index, " ".join(current)))
                current = [line]
        units.append(_Unit(index, " ".join(current)))
    return units


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the wrapped sentence of the ``previous`` line, not a new item."""
    if _is_item(previous) or _is_item(line) or _SENTENCE_END.search(previous) or _ELLIPSIS.search(previous):
        return False
    return line[0].islower() or len(previous) >= _WRAPPED_LINE_CHARS or previous.endswith((",", "-", ";"))


def _is_item(line: str) -> bool:
    return bool(_DATE_LINE.fullmatch(line) or _HEADER.fullmatch(line) or _NUMBER.fullmatch(line))


def _sidebar_start(units: list[_Unit]) -> int:
    """Index of the first unit of the trailing sidebar, ``len(units)`` when there is none."""
    repeats = Counter(unit.text.casefold() for unit in units)
    best, best_start, total = 0, len(units), 0
    # Scan backwards for the trailing run with the highest score; strict ">" keeps the
    # later start on ties, so a neutral line just before the sidebar stays in the body.
    # The first unit is never cut: a page that is all teasers still keeps its top line.
    for index in range(len(units) - 1, 0, -1):
        total += _score(units[index].text, repeats)
        if total > best:
            best, best_start = total, index
    return best_start if best >= MIN_SIDEBAR_SCORE else len(units)


def _score(line: str, repeats: Counter[str]) -> int:
    """How much ``line`` looks like sidebar (positive) or article (negative)."""
    if _DATE_LINE.fullmatch(line) or _HEADER.fullmatch(line):
        return 3
    if _NUMBER.fullmatch(line):
        return 2
    words = len(line.split())
    if _ELLIPSIS.search(line):
        return 2
    if _SENTENCE_END.search(line):
        sentences = 1 + len(_SENTENCE_BREAK.findall(line))
        return -1 - (sentences >= 2) - (len(line) > _BLURB_CHARS)
    # Teaser titles are printed twice (over the picture and over the blurb); sentences
    # may repeat in an article (pull quotes), so only title-like lines earn this.
    repeated = 2 if repeats[line.casefold()] > 1 and words <= _MAX_TITLE_WORDS else 0
    if words <= _MAX_TEASER_WORDS:
        return repeated + 1
    return repeated


def _paragraphs(units: list[_Unit], captions: list[str]) -> list[str]:
    """Join the kept units back into their blocks; lone caption lines go to ``captions``."""
    grouped: dict[int, list[str]] = {}
    for unit in units:
        grouped.setdefault(unit.block, []).append(unit.text)
    body: list[str] = []
    for texts in grouped.values():
        paragraph = " ".join(texts)
        if is_caption(paragraph):
            captions.append(paragraph)
        else:
            body.append(paragraph)
    return body
