"""The classify stage: every article gets a section of the taxonomy, a confidence and the deciding signal.

:class:`ClassifyArticles` runs the cascade of :mod:`newsbeam.transforms.classification.cascade`
on each article; its DoFn loads the text model once per worker, in ``setup()``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import apache_beam as beam
from apache_beam.metrics import Metrics

from newsbeam.transforms.classification.cascade import (
    DEFAULT_CONFIDENCE,
    SIGNALS,
    classify_article,
    prepare_model,
)
from newsbeam.transforms.classification.taxonomy import Taxonomy
from newsbeam.transforms.classification.text_model import (
    TextModel,
    load_model,
    packaged_model_path,
)
from newsbeam.transforms.coders import typed
from newsbeam.transforms.model import Article, replace_article

__all__ = ["ClassifyArticles"]


@beam.typehints.with_input_types(Article)
class ClassifyArticles(beam.PTransform):
    """Set ``section``, ``section_confidence`` and ``section_signal`` on every article.

    ``model_path`` names the text model file, read here, on the driver, and shipped to the
    workers with the step: on a cluster the workers cannot see the driver's files. ``None``
    is the packaged model, read once per worker in the DoFn's ``setup()`` from where newsbeam
    is installed there.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        min_confidence: float,
        model_path: str | Path | None = None,
        confidence: dict[str, float] | None = None,
    ) -> None:
        super().__init__()
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
        unknown = set(confidence or {}) - set(DEFAULT_CONFIDENCE)
        if unknown:
            raise ValueError(f"confidence names unknown signal {sorted(unknown)[0]!r}")
        self._taxonomy = taxonomy
        self._min_confidence = min_confidence
        self._model_path = str(model_path) if model_path is not None else None
        self._confidence = {**DEFAULT_CONFIDENCE, **(confidence or {})}

    def expand(self, articles: beam.PCollection[Article]) -> beam.PCollection[Article]:
        # The file's bytes (compressed, ~150 KB), not the loaded arrays (~2 MB), go into the graph.
        model = Path(self._model_path).read_bytes() if self._model_path is not None else None
        classified = articles | "Classify" >> beam.ParDo(
            _ClassifyFn(self._taxonomy, self._min_confidence, model, self._confidence)
        )
        return typed(classified, Article)


class _ClassifyFn(beam.DoFn):
    def __init__(
        self,
        taxonomy: Taxonomy,
        min_confidence: float,
        shipped: bytes | None,
        confidence: dict[str, float],
    ) -> None:
        self._taxonomy = taxonomy
        self._min_confidence = min_confidence
        self._shipped = shipped
        self._confidence = confidence
        self._model: TextModel | None = None
        self._by_signal = {signal: Metrics.counter("classify", f"signal_{signal}") for signal in SIGNALS}

    def setup(self) -> None:
        source = io.BytesIO(self._shipped) if self._shipped is not None else packaged_model_path()
        self._model = prepare_model(load_model(source), self._taxonomy)

    def process(self, article: Article) -> Iterable[Article]:
        decision = classify_article(
            article, self._taxonomy, self._min_confidence, self._model, self._confidence
        )
        self._by_signal[decision.signal].inc()
        # Beam elements are immutable once emitted: return a changed copy.
        yield replace_article(
            article,
            section=decision.section,
            section_confidence=decision.confidence,
            section_signal=decision.signal,
        )
