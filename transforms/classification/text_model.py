"""The trainable text classifier: complement naive Bayes over hashed word and bigram features.

Features are the words of the title (counted :data:`TITLE_WEIGHT` times) and of the start of
the body (:data:`BODY_CHARS` characters), lower-cased, stop words dropped, plus each pair of
neighbouring words; each is hashed (CRC-32, stable across processes and machines) into one of
``buckets`` columns. A document is scored with ``log(1 + count)`` per feature (so one repeated
word does not decide) against complement naive Bayes weights, centred per feature so that
features never seen in training count for nothing.

A model file is one ``.npz`` archive, loaded with ``allow_pickle=False``: a JSON ``header``
(format, labels, buckets, calibration scale, training counts) and three arrays: the hashed
columns kept (``rows``), their per-label weights (``weights``, float16) and the log priors.
Only columns seen in at least two training documents are kept, so files stay small.

Confidence is a softmax over the labels of ``prior + scale * score / sqrt(known features)``; the
``scale`` is fitted on a held-out fifth of the training data so that confidence tracks accuracy.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import numpy as np

__all__ = [
    "BODY_CHARS",
    "FORMAT",
    "ModelError",
    "TextModel",
    "feature_ids",
    "load_model",
    "packaged_model_path",
    "read_header",
    "save_model",
    "train_model",
    "with_keywords",
]

FORMAT = "newsbeam-section-model"
VERSION = 1
DEFAULT_BUCKETS = 1 << 18
TITLE_WEIGHT = 2
#: Only the start of a body is read: it says what the story is about, and it bounds the cost.
BODY_CHARS = 3000
SMOOTHING = 0.05
#: What one keyword of a taxonomy section adds to that section's weight (naive Bayes log odds).
KEYWORD_WEIGHT = 1.5
MIN_DOCUMENTS_PER_FEATURE = 2
_BIGRAM_MIX = np.uint64(0x9E3779B1)
_WORD = re.compile(r"\w\w+")
#: Common words that say nothing about a section. Pronouns and modal verbs stay: "I", "we" and
#: "should" tell opinion from news.
_STOP_TEXT = """
a about after again against all also am an and any are as at be because been before being
between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how if in into is it its itself just more
most no nor not now of off on once only or other out over own said same says she so some such
than that the their theirs them themselves then there these they this those through to too
under until up very was were what when where which while who whom why will with would it's he's
she's they're there's that's mr mrs ms
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


class ModelError(ValueError):
    """A model file that cannot be used, or training data that cannot make one; one sentence."""


@lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    """CRC-32 of ``word``, or -1 for a stop word."""
    return -1 if word in _STOP_WORDS else zlib.crc32(word.encode("utf-8"))


def _tokens(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.casefold()) if word not in _STOP_WORDS]


def _word_hashes(text: str) -> np.ndarray:
    words = _WORD.findall(text.casefold())
    hashes = np.fromiter(map(_word_hash, words), dtype=np.int64, count=len(words))
    return hashes[hashes >= 0].astype(np.uint64)


def _features(hashes: np.ndarray, buckets: int) -> np.ndarray:
    """Word and word-pair columns of a sequence of word hashes."""
    if len(hashes) == 0:
        return np.empty(0, dtype=np.int64)
    bigrams = (hashes[:-1] * _BIGRAM_MIX) ^ (hashes[1:] + np.uint64(1))
    return (np.concatenate([hashes, bigrams]) % np.uint64(buckets)).astype(np.int64)


def _hashed(words: list[str], buckets: int) -> np.ndarray:
    return _features(
        np.fromiter(map(_word_hash, words), dtype=np.int64, count=len(words)).astype(np.uint64), buckets
    )


def feature_ids(title: str, body: str, buckets: int) -> np.ndarray:
    """The hashed feature columns of one document, one entry per occurrence."""
    title_ids = _features(_word_hashes(title), buckets)
    body_ids = _features(_word_hashes(body[:BODY_CHARS]), buckets)
    return np.concatenate([np.tile(title_ids, TITLE_WEIGHT), body_ids])


def _counted(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct columns and their ``log(1 + count)`` weights."""
    columns, counts = np.unique(ids, return_counts=True)
    return columns, np.log1p(counts).astype(np.float32)


@dataclass(frozen=True)
class TextModel:
    labels: tuple[str, ...]
    buckets: int
    #: hashed columns kept, ascending
    rows: np.ndarray
    #: per kept column, the centred log-likelihood of each label (len(rows) x len(labels))
    weights: np.ndarray
    log_prior: np.ndarray
    scale: float = 1.0
    info: dict[str, Any] = field(default_factory=dict)
    _index: np.ndarray = field(init=False, repr=False, compare=False)
    _table: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # column -> row of _table; columns not kept point at a last row of zeros.
        index = np.full(self.buckets, len(self.rows), dtype=np.int32)
        index[self.rows] = np.arange(len(self.rows), dtype=np.int32)
        table = np.vstack([self.weights.astype(np.float32), np.zeros((1, len(self.labels)), np.float32)])
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_table", table)

    def logits(self, ids: np.ndarray) -> np.ndarray:
        if len(ids) == 0:
            return self.log_prior.astype(np.float64)
        rows = self._index[ids]
        # Only features the model knows count, and only they normalise the score: words it never
        # saw do not dilute the evidence.
        rows = rows[rows < len(self.rows)]
        if len(rows) == 0:
            return self.log_prior.astype(np.float64)
        rows, weights = _counted(rows)
        score = weights @ self._table[rows]
        return self.log_prior + self.scale * score / math.sqrt(float(weights.sum()))

    def probabilities(self, title: str, body: str) -> np.ndarray:
        logits = self.logits(feature_ids(title, body, self.buckets))
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def predict(self, title: str, body: str) -> tuple[str, float]:
        """The most likely label and its probability."""
        probabilities = self.probabilities(title, body)
        best = int(np.argmax(probabilities))
        return self.labels[best], float(probabilities[best])


def with_keywords(
    model: TextModel, keywords: Mapping[str, Sequence[str]], weight: float = KEYWORD_WEIGHT
) -> TextModel:
    """A copy of ``model`` in which each keyword (a word or a phrase) pulls toward its label.

    ``keywords`` maps a label of the model to its keywords; labels the model lacks are ignored.
    This is how a taxonomy's ``keywords`` tune the text classifier without retraining it.
    """
    extra: dict[int, np.ndarray] = {}
    for label, words in keywords.items():
        if label not in model.labels or not words:
            continue
        column = model.labels.index(label)
        for keyword in words:
            tokens = _tokens(keyword)
            ids = _hashed(tokens, model.buckets)
            # A phrase counts through its word pairs only; its words keep their trained weights.
            ids = ids[len(tokens) :] if len(tokens) > 1 else ids
            for feature in ids.tolist():
                extra.setdefault(feature, np.zeros(len(model.labels), dtype=np.float32))[column] += weight
    if not extra:
        return model
    table = {int(row): model.weights[i].copy() for i, row in enumerate(model.rows.tolist())}
    for feature, boost in extra.items():
        table[feature] = table.get(feature, np.zeros(len(model.labels), dtype=np.float32)) + boost
    rows = np.array(sorted(table), dtype=np.int64)
    return dataclasses.replace(model, rows=rows, weights=np.vstack([table[int(row)] for row in rows]))


def train_model(
    examples: Iterable[tuple[str, str, str]],
    buckets: int = DEFAULT_BUCKETS,
    smoothing: float = SMOOTHING,
) -> TextModel:
    """Fit a model on ``(title, body, label)`` triples and calibrate its confidence."""
    data = [(title, body, label) for title, body, label in examples]
    counts = Counter(label for _, _, label in data)
    if len(counts) < 2:
        raise ModelError(f"training needs articles of at least two sections, found {len(counts)}")
    if buckets < 2 or buckets > 1 << 24:
        raise ModelError(f"buckets must be between 2 and {1 << 24}, not {buckets}")
    labels = tuple(sorted(counts))
    documents = [(feature_ids(title, body, buckets), labels.index(label)) for title, body, label in data]
    scale = 1.0
    held_out = [doc for number, doc in enumerate(documents) if number % 5 == 4]
    if len(held_out) >= 10:
        fitted = _fit(
            [doc for number, doc in enumerate(documents) if number % 5 != 4], labels, buckets, smoothing
        )
        scale = _calibrate(fitted, held_out)
    model = _fit(documents, labels, buckets, smoothing)
    return TextModel(
        labels=labels,
        buckets=buckets,
        rows=model.rows,
        weights=model.weights,
        log_prior=model.log_prior,
        scale=scale,
        info={"documents": dict(sorted(counts.items())), "smoothing": smoothing},
    )


def _fit(
    documents: Sequence[tuple[np.ndarray, int]], labels: tuple[str, ...], buckets: int, smoothing: float
) -> TextModel:
    """Complement naive Bayes (Rennie et al., 2003) on length-normalised ``log(1 + count)`` vectors.

    Each label's weights come from the word counts of all *other* labels, which keeps a label
    with few or short training articles from winning on words it happened not to see.
    """
    counts = np.zeros((len(labels), buckets), dtype=np.float64)
    document_frequency = np.zeros(buckets, dtype=np.int32)
    per_label = np.zeros(len(labels), dtype=np.float64)
    for ids, label in documents:
        if len(ids) == 0:
            continue
        columns, weights = _counted(ids)
        counts[label, columns] += weights / np.sqrt(float((weights**2).sum()))
        document_frequency[columns] += 1
        per_label[label] += 1
    rows = np.flatnonzero(document_frequency >= MIN_DOCUMENTS_PER_FEATURE).astype(np.int32)
    if len(rows) == 0:
        rows = np.flatnonzero(document_frequency).astype(np.int32)
    kept = counts[:, rows]
    complement = kept.sum(axis=0, keepdims=True) - kept + smoothing
    log_likelihood = -(np.log(complement) - np.log(complement.sum(axis=1, keepdims=True)))
    weights = (log_likelihood - log_likelihood.mean(axis=0, keepdims=True)).T
    # float16 is what the file stores; fit with the same precision that will be used.
    weights = weights.astype(np.float16).astype(np.float32)
    prior = np.log((per_label + 1.0) / (per_label.sum() + len(labels)))
    return TextModel(labels=labels, buckets=buckets, rows=rows, weights=weights, log_prior=prior)


def _calibrate(model: TextModel, held_out: Sequence[tuple[np.ndarray, int]]) -> float:
    """The scale that minimises the log loss of ``model`` on the held-out documents."""
    raw = [((model.logits(ids) - model.log_prior) / model.scale, label) for ids, label in held_out]
    best_scale, best_loss = 1.0, math.inf
    for scale in np.geomspace(0.05, 20.0, 60):
        loss = 0.0
        for score, label in raw:
            logits = model.log_prior + scale * score
            top = logits.max()
            loss -= logits[label] - top - math.log(float(np.exp(logits - top).sum()))
        if loss < best_loss:
            best_scale, best_loss = float(scale), loss
    return best_scale


def packaged_model_path() -> Path:
    """The model that ships with newsbeam (``configs/section_model.npz``), wherever it is installed."""
    return Path(str(resources.files("newsbeam.configs").joinpath("section_model.npz")))


def save_model(model: TextModel, path: str | Path) -> None:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "labels": list(model.labels),
        "buckets": model.buckets,
        "scale": model.scale,
        "title_weight": TITLE_WEIGHT,
        "body_chars": BODY_CHARS,
        **model.info,
    }
    with open(path, "wb") as file:
        np.savez_compressed(
            file,
            header=np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8),
            rows=model.rows.astype(np.int32),
            weights=model.weights.astype(np.float16),
            log_prior=model.log_prior.astype(np.float32),
        )


def read_header(path: str | Path | IO[bytes]) -> dict[str, Any]:
    """The JSON header of a model file, checked; cheap enough to call when a config is loaded."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(bytes(archive["header"]).decode("utf-8"))
    except FileNotFoundError as error:
        raise ModelError(f"model file {str(path)!r} does not exist") from error
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as error:
        raise ModelError(f"model file {str(path)!r} is not a newsbeam section model") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelError(f"model file {str(path)!r} is not a newsbeam section model")
    if header.get("version") != VERSION:
        raise ModelError(
            f"model file {str(path)!r} has format version {header.get('version')!r}; "
            f"this newsbeam reads version {VERSION}"
        )
    return header


def load_model(path: str | Path | IO[bytes]) -> TextModel:
    header = read_header(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            rows, weights, prior = archive["rows"], archive["weights"], archive["log_prior"]
        labels = tuple(str(label) for label in header["labels"])
        model = TextModel(
            labels=labels,
            buckets=int(header["buckets"]),
            rows=rows.astype(np.int64),
            weights=weights.astype(np.float32),
            log_prior=prior.astype(np.float64),
            scale=float(header["scale"]),
            info={key: header[key] for key in ("documents", "smoothing") if key in header},
        )
    except (KeyError, ValueError, IndexError, TypeError) as error:
        raise ModelError(f"model file {str(path)!r} is damaged: {error}") from error
    if model.weights.shape != (len(model.rows), len(labels)) or model.log_prior.shape != (len(labels),):
        raise ModelError(f"model file {str(path)!r} is damaged: its arrays do not match its labels")
    return model
