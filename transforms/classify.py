"""Section classification: which section of the taxonomy an article belongs to, and why.

The taxonomy lives in YAML (``configs/sections.yaml``): each section slug has a display
name, *aliases* (the words sites use for it) and *keywords* for the text fallback.
:func:`classify_article` walks a cascade of signals, strongest first, and returns the
first that decides:

=============  =========================================================  ==========
signal         what is looked at                                          confidence
=============  =========================================================  ==========
``metadata``   JSON-LD ``articleSection``, ``article:section`` meta       0.95
``breadcrumb`` the page's breadcrumb trail, innermost item first          0.90
``url``        path segments of the article's URL, outermost first        0.80
``text``       keyword hits in title (weight 3) and body (weight 1)       <= 0.80
``default``    nothing decided above ``min_confidence``: ``uncategorized``  0.0
=============  =========================================================  ==========

:class:`ClassifyArticles` is the Beam step; it only maps each article through the
pure function, so the taxonomy is loaded once, when the config is.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import apache_beam as beam
import yaml
from apache_beam.metrics import Metrics

from transforms.records import Article

__all__ = [
    "UNCATEGORIZED",
    "ClassifyArticles",
    "Decision",
    "Section",
    "Taxonomy",
    "TaxonomyError",
    "classify_article",
    "load_taxonomy",
]

UNCATEGORIZED = "uncategorized"
SIGNAL_CONFIDENCE = {"metadata": 0.95, "breadcrumb": 0.90, "url": 0.80}
TEXT_CONFIDENCE_CAP = 0.80
TITLE_WEIGHT = 3
#: Only the start of a body is scored: it says what the story is about, and it bounds the cost.
BODY_CHARS_SCORED = 4000
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
_SEPARATORS = re.compile(r"[\s_\-/>|:»›,]+")
_SEGMENT_NOISE = re.compile(r"^(\d+|[a-z]{0,1}|index\.\w+|amp)$")


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used; the message is one sentence for the user."""


@dataclass(frozen=True)
class Section:
    slug: str
    name: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    section: str
    confidence: float
    signal: str


@dataclass(frozen=True)
class Taxonomy:
    sections: tuple[Section, ...]
    #: normalised alias -> slug
    aliases: dict[str, str]
    #: slug -> one pattern matching any of its keywords as whole words
    keyword_patterns: dict[str, re.Pattern[str]]

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(section.slug for section in self.sections)

    def lookup(self, label: str) -> str | None:
        """The slug whose alias is ``label`` (a site's own section name), if any."""
        return self.aliases.get(normalize_label(label))


def normalize_label(label: str) -> str:
    return _SEPARATORS.sub(" ", label.casefold()).strip()


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy file; raises :class:`TaxonomyError` with one sentence."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TaxonomyError(f"taxonomy file {str(path)!r} cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise TaxonomyError(f"taxonomy file {str(path)!r} is not valid YAML") from error
    if not isinstance(data, dict) or not isinstance(data.get("sections"), dict) or not data["sections"]:
        raise TaxonomyError(f"taxonomy file {str(path)!r} must hold a non-empty mapping 'sections'")
    return build_taxonomy(data["sections"], origin=str(path))


def build_taxonomy(raw_sections: dict[str, object], origin: str = "taxonomy") -> Taxonomy:
    sections: list[Section] = []
    aliases: dict[str, str] = {}
    for slug, raw in raw_sections.items():
        if not isinstance(slug, str) or not _SLUG.match(slug) or slug == UNCATEGORIZED:
            raise TaxonomyError(
                f"{origin}: {slug!r} is not a usable section slug (lower-case letters, digits, -)"
            )
        if not isinstance(raw, dict):
            raise TaxonomyError(
                f"{origin}: section {slug!r} must be a mapping with name, aliases and keywords"
            )
        unknown = set(raw) - {"name", "aliases", "keywords"}
        if unknown:
            raise TaxonomyError(f"{origin}: section {slug!r} has unknown key {sorted(unknown)[0]!r}")
        section = Section(
            slug=slug,
            name=str(raw.get("name") or slug.title()),
            aliases=_strings(raw.get("aliases", []), origin, slug, "aliases"),
            keywords=_strings(raw.get("keywords", []), origin, slug, "keywords"),
        )
        for alias in (slug, *section.aliases):
            key = normalize_label(alias)
            if aliases.get(key, slug) != slug:
                raise TaxonomyError(
                    f"{origin}: alias {alias!r} is given to both {aliases[key]!r} and {slug!r}"
                )
            aliases[key] = slug
        sections.append(section)
    patterns = {
        section.slug: re.compile(
            r"\b(?:"
            + "|".join(re.escape(k.casefold()) for k in sorted(section.keywords, key=len, reverse=True))
            + r")\b"
        )
        for section in sections
        if section.keywords
    }
    return Taxonomy(sections=tuple(sections), aliases=aliases, keyword_patterns=patterns)


def _strings(value: object, origin: str, slug: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise TaxonomyError(f"{origin}: {key} of section {slug!r} must be a list of non-empty strings")
    return tuple(value)


def classify_article(article: Article, taxonomy: Taxonomy, min_confidence: float) -> Decision:
    """Decide the article's section by the cascade described in the module docstring."""
    for signal, labels in (
        ("metadata", _metadata_labels(article)),
        ("breadcrumb", reversed(article.hints.get("breadcrumbs", []))),
        ("url", url_segments(article.url)),
    ):
        slug = _first_known(labels, taxonomy)
        if slug is not None and SIGNAL_CONFIDENCE[signal] >= min_confidence:
            return Decision(slug, SIGNAL_CONFIDENCE[signal], signal)
    text = score_text(article.title or "", article.body, taxonomy)
    if text.confidence >= min_confidence and text.section != UNCATEGORIZED:
        return text
    return Decision(UNCATEGORIZED, 0.0, "default")


def _metadata_labels(article: Article) -> Iterable[str]:
    for label in article.hints.get("sections", []):
        yield label
        # "News > World" or "Sport/Cricket": the most specific part names the section best.
        parts = [part for part in re.split(r"\s*[>/|»›]\s*", label) if part]
        if len(parts) > 1:
            yield from reversed(parts)


def _first_known(labels: Iterable[str], taxonomy: Taxonomy) -> str | None:
    for label in labels:
        slug = taxonomy.lookup(label)
        if slug is not None:
            return slug
    return None


def url_segments(url: str | None) -> list[str]:
    """The path segments of ``url`` that may name a section (no ids, dates or file names)."""
    if not url:
        return []
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    segments = [segment.casefold() for segment in path.split("/") if segment]
    # The last segment is the article's own slug unless the URL ends with a slash.
    if segments and not path.endswith("/"):
        segments = segments[:-1]
    return [segment for segment in segments if not _SEGMENT_NOISE.match(segment)]


def score_text(title: str, body: str, taxonomy: Taxonomy) -> Decision:
    """Keyword scores of title and body; confidence grows with the winner's share and hits."""
    title_text = title.casefold()
    body_text = body[:BODY_CHARS_SCORED].casefold()
    scores: dict[str, float] = {}
    for slug, pattern in taxonomy.keyword_patterns.items():
        score = TITLE_WEIGHT * len(pattern.findall(title_text)) + len(pattern.findall(body_text))
        if score:
            scores[slug] = score
    if not scores:
        return Decision(UNCATEGORIZED, 0.0, "text")
    # Ties are broken by the taxonomy's order, so the same text always gets the same section.
    order = {slug: index for index, slug in enumerate(taxonomy.slugs)}
    best = min(scores, key=lambda slug: (-scores[slug], order[slug]))
    share = scores[best] / sum(scores.values())
    strength = 1.0 - math.exp(-scores[best] / 4.0)
    return Decision(best, round(TEXT_CONFIDENCE_CAP * share * strength, 4), "text")


class ClassifyArticles(beam.PTransform):
    """Set ``section``, ``section_confidence`` and ``section_signal`` on every article."""

    def __init__(self, taxonomy: Taxonomy, min_confidence: float) -> None:
        super().__init__()
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
        self._taxonomy = taxonomy
        self._min_confidence = min_confidence

    def expand(self, articles: beam.PCollection[Article]) -> beam.PCollection[Article]:
        return articles | "Classify" >> beam.ParDo(_ClassifyFn(self._taxonomy, self._min_confidence))


class _ClassifyFn(beam.DoFn):
    def __init__(self, taxonomy: Taxonomy, min_confidence: float) -> None:
        self._taxonomy = taxonomy
        self._min_confidence = min_confidence
        self._by_signal = {
            signal: Metrics.counter("classify", f"signal_{signal}")
            for signal in ("metadata", "breadcrumb", "url", "text", "default")
        }

    def process(self, article: Article) -> Iterable[Article]:
        decision = classify_article(article, self._taxonomy, self._min_confidence)
        self._by_signal[decision.signal].inc()
        # Beam elements are immutable once emitted: return a changed copy.
        yield dataclasses.replace(
            article,
            section=decision.section,
            section_confidence=decision.confidence,
            section_signal=decision.signal,
        )
