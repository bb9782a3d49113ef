"""Section classification: which section of the taxonomy an article belongs to, and why.

:func:`classify_article` walks a cascade of signals, strongest first. Each signal names
candidate sections through the taxonomy's aliases (and the site's own mapping in ``sites``):

==============  ===============================================================  ==========
signal          what is looked at                                                confidence
==============  ===============================================================  ==========
``url``         a ``url_prefixes`` rule of the article's site (user override)    0.99
``metadata``    JSON-LD ``articleSection``, ``article:section``, ``og:type``     0.95
``metadata``    a label before the headline ("Opinion: ...", "Editorial | ...")  0.85
                and a byline such as "The Editorial Board"
``breadcrumb``  the page's breadcrumb trail, innermost item first                0.90
``url``         path segments of the article's URL, innermost first              0.80
``text``        an op-ed author bio or disclaimer at the end of the body         0.75
``text``        the text classifier over title and body (a genre or a child      calibrated
                section needs 0.6, else the topic or the parent is taken)
``default``     nothing decided at ``min_confidence`` or above: ``uncategorized``  0.0
==============  ===============================================================  ==========

Rules, in order: a site's URL-prefix override decides outright. A *genre* section (opinion,
editorial) named by any signal wins over a topic section named by a stronger one, so a comment
piece about the economy is ``opinion``. Otherwise the strongest structural signal decides; a
weaker signal naming a *child* of that section refines it (``sport`` then ``cricket`` gives
``cricket``). The text classifier never overrides what the page says about itself: only
without any structural signal does it decide, if its confidence reaches ``min_confidence``.
Every confidence below ``min_confidence`` is ignored.

:class:`ClassifyArticles` is the Beam step; its DoFn loads the text model once, in ``setup()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsbeam.transforms.classification.taxonomy import UNCATEGORIZED, Taxonomy
from newsbeam.transforms.classification.text_model import (
    TextModel,
    with_keywords,
)
from newsbeam.transforms.model import Article

__all__ = [
    "DEFAULT_CONFIDENCE",
    "Decision",
    "SIGNALS",
    "classify_article",
    "opinion_cues",
    "prepare_model",
    "url_segments",
]

SIGNALS = ("metadata", "url", "breadcrumb", "text", "default")


#: Confidence of each structural signal; ``classify.confidence`` in the config overrides them.
DEFAULT_CONFIDENCE = {"override": 0.99, "metadata": 0.95, "breadcrumb": 0.90, "url": 0.80}


LABEL_CONFIDENCE = 0.85


BIO_CONFIDENCE = 0.75


GENRE_TEXT_CONFIDENCE = 0.6


CHILD_TEXT_CONFIDENCE = 0.6


_SEGMENT_NOISE = re.compile(r"^(\d+|[a-z]?|index\.\w+|amp|www)$")


_PATH_PARTS = re.compile(r"\s*[>/|»›]\s*")


_TITLE_LABEL = re.compile(
    r"^\s*(opinion|editorial|comment|commentary|op-?ed|our view|the view|column|leader|letters?|analysis)"
    r"\s*[:|\u2013\u2014-]\s+",
    re.IGNORECASE,
)


_BIO = re.compile(
    r"^[—–*-]?\s*(?!The\b|This\b|It\b|He\b|She\b)[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}\s+(?:is|was)\s+(?:a|an|the)\s+[^.]{0,160}?\b(?:columnist|"
    r"contributing (?:writer|editor|columnist)|contributor|opinion writer|professor|lecturer|fellow|"
    r"former (?:minister|ambassador|senator|mp|adviser|advisor|governor|chief)|author of)\b",
)


_DISCLAIMER = re.compile(
    r"\b(?:views|opinions) expressed (?:in this (?:article|column|piece|op-ed)|here|above) are (?:the "
    r"(?:author|writer)['’]?s?|(?:his|her|their)) own\b",
    re.IGNORECASE,
)


_BIO_MAX_WORDS = 70


@dataclass(frozen=True)
class Decision:
    section: str
    confidence: float
    signal: str


DEFAULT_DECISION = Decision(UNCATEGORIZED, 0.0, "default")


def url_segments(url: str | None) -> list[str]:
    """The path segments of ``url`` that may name a section (no ids, dates or file names)."""
    path = _url_path(url)
    segments = [segment.casefold() for segment in path.split("/") if segment]
    # The last segment is the article's own slug unless the URL ends with a slash.
    if segments and not path.endswith("/"):
        segments = segments[:-1]
    return [segment for segment in segments if not _SEGMENT_NOISE.match(segment)]


def _url_path(url: str | None) -> str:
    if not url:
        return ""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _metadata_labels(article: Article) -> Iterator[str]:
    for label in article.hints.get("sections", []):
        yield label
        # "News > World" or "Sport/Cricket": the most specific part names the section best.
        parts = [part for part in _PATH_PARTS.split(label) if part]
        if len(parts) > 1:
            yield from reversed(parts)
    og_type = article.hints.get("og_type")
    if og_type and og_type.casefold() not in ("article", "website"):
        # e.g. "article:opinion"; ordinary og:types name no section and match no alias.
        yield og_type.rsplit(":", 1)[-1]


def opinion_cues(article: Article, taxonomy: Taxonomy) -> list[Decision]:
    """Labels that only opinion pieces carry, as candidate decisions, strongest first.

    A label before the headline, an editorial-board byline, an author bio or a disclaimer
    at the end of the body. Each is looked up in the taxonomy, so a taxonomy without an
    ``opinion`` or ``editorial`` section simply finds none.
    """
    cues: list[tuple[str, str, float]] = []
    label = _TITLE_LABEL.match(article.title or "")
    if label:
        cues.append((label.group(1), "metadata", LABEL_CONFIDENCE))
    for author in article.authors:
        name = author.casefold().removeprefix("the ").strip()
        if "editorial" in name or name in ("editors", "our view", "leader writers"):
            cues.append(("editorial board", "metadata", LABEL_CONFIDENCE))
    tail = article.body[-1500:].split("\n\n")[-2:]
    for paragraph in tail:
        if len(paragraph.split()) <= _BIO_MAX_WORDS and (
            _BIO.search(paragraph) or _DISCLAIMER.search(paragraph)
        ):
            cues.append(("opinion", "text", BIO_CONFIDENCE))
            break
    found = []
    for name, signal, confidence in cues:
        slug = taxonomy.lookup(name, article.source)
        if slug is not None:
            found.append(Decision(slug, confidence, signal))
    return found


def _structural(article: Article, taxonomy: Taxonomy, confidence: dict[str, float]) -> list[Decision]:
    """A candidate decision for every label of the page's structure, in the cascade's order."""
    source = article.source
    found: list[Decision] = []
    for signal, labels in (
        ("metadata", _metadata_labels(article)),
        ("breadcrumb", reversed(article.hints.get("breadcrumbs", []))),
        # Innermost first, as for breadcrumbs: /news/business/ is business, /sport/cricket/ cricket.
        ("url", reversed(url_segments(article.url))),
    ):
        for label in labels:
            slug = taxonomy.lookup(label, source)
            if slug is not None:
                found.append(Decision(slug, confidence[signal], signal))
    return found


def classify_article(
    article: Article,
    taxonomy: Taxonomy,
    min_confidence: float,
    model: TextModel | None = None,
    confidence: dict[str, float] | None = None,
) -> Decision:
    """Decide the article's section by the cascade described in the module docstring."""
    confidence = {**DEFAULT_CONFIDENCE, **(confidence or {})}
    override = taxonomy.url_override(article.source, _url_path(article.url))
    if override is not None and confidence["override"] >= min_confidence:
        return Decision(override, confidence["override"], "url")

    # sorted() is stable: between equal confidences the cascade's order stands.
    structural = sorted(
        (c for c in _structural(article, taxonomy, confidence) if c.confidence >= min_confidence),
        key=_strength,
    )
    cues = [c for c in opinion_cues(article, taxonomy) if c.confidence >= min_confidence]
    genres = sorted((c for c in structural + cues if taxonomy.is_genre(c.section)), key=_strength)
    candidates = genres or structural
    if candidates:
        return _refine(candidates[0], candidates[1:], taxonomy)
    if model is None:
        return DEFAULT_DECISION
    section, probability = _predict(article, taxonomy, model)
    if section is None or probability < min_confidence:
        return DEFAULT_DECISION
    return Decision(section, round(probability, 4), "text")


def _strength(candidate: Decision) -> float:
    return -candidate.confidence


def _refine(decided: Decision, others: Iterable[Decision], taxonomy: Taxonomy) -> Decision:
    """A weaker signal naming a descendant of the decided section makes it more specific."""
    for other in others:
        if decided.section in taxonomy.ancestors(other.section):
            decided = other
    return decided


def _predict(article: Article, taxonomy: Taxonomy, model: TextModel) -> tuple[str | None, float]:
    """The text classifier's section and probability, cautious in two ways.

    A child section it names with less than :data:`CHILD_TEXT_CONFIDENCE` gives way to its
    parent, with the probability of the parent's whole subtree (unsure between editorial and
    opinion: opinion). A genre it names with less than :data:`GENRE_TEXT_CONFIDENCE` gives way
    to the most likely topic, with its probability given that the piece is not of a genre.
    """
    probabilities = model.probabilities(article.title or "", article.body)
    slugs = [taxonomy.lookup(label) for label in model.labels]
    best = int(probabilities.argmax())
    found = slugs[best]
    if found is None:
        return None, 0.0
    section: str = found
    subtree: dict[str, float] = {}
    for slug, probability in zip(slugs, probabilities.tolist(), strict=True):
        if slug is not None:
            for node in (slug, *taxonomy.ancestors(slug)):
                subtree[node] = subtree.get(node, 0.0) + probability
    parent = taxonomy.section(section).parent
    while subtree[section] < CHILD_TEXT_CONFIDENCE and parent is not None:
        section, parent = parent, taxonomy.section(parent).parent
    if not taxonomy.is_genre(section) or subtree[section] >= GENRE_TEXT_CONFIDENCE:
        return section, subtree[section]
    topics = [i for i, slug in enumerate(slugs) if slug is not None and not taxonomy.is_genre(slug)]
    if not topics:
        return section, subtree[section]
    topic = max(topics, key=lambda i: probabilities[i])
    return slugs[topic], float(probabilities[topic] / probabilities[topics].sum())


def prepare_model(model: TextModel, taxonomy: Taxonomy) -> TextModel:
    """``model`` with the taxonomy's ``keywords`` added to the weights of their sections."""
    keywords = {}
    for label in model.labels:
        slug = taxonomy.lookup(label)
        if slug is not None and taxonomy.section(slug).keywords:
            keywords[label] = taxonomy.section(slug).keywords
    return with_keywords(model, keywords) if keywords else model
