"""MinHash signatures and LSH band keys: the pure arithmetic behind near-duplicate detection.

A body is reduced to its set of *word shingles* (``size`` consecutive words of the body
normalized as for the exact hash, :func:`newsbeam.transforms.extraction.page.normalize_for_hash`), and the
set to a *signature* of ``num_perm`` minimum hash values. Two signatures agree in one
position with probability equal to the Jaccard similarity of the two shingle sets, so
the share of agreeing positions estimates it (:func:`estimated_jaccard`).

Everything here is deterministic across processes, machines and releases, because
signatures are stored in the cross-run state:

* each word is hashed to 64 bits by two ``zlib.crc32`` with different starting values
  (ten times faster than ``blake2b`` per word); a shingle's hash combines its words'
  hashes with a polynomial over ``uint64`` and a ``splitmix64`` finalizer, all in numpy,
  and keeps 32 bits;
* permutation ``i`` is the multiply-add-shift hash ``h -> ((a_i * h + b_i) mod 2**64) >> 32``
  (strongly universal for 32-bit ``h``; the ``mod 2**64`` is numpy's ``uint64`` wrap-around,
  no division), with odd ``a_i`` and ``b_i`` derived from ``blake2b(seed, i)``: no random
  generator whose stream could change with a numpy release.

LSH cuts the signature into ``bands`` bands of ``rows`` rows; two bodies become
candidates when all rows of at least one band agree, which happens with probability
``P(s) = 1 - (1 - s**rows)**bands`` for Jaccard similarity ``s`` (the S-curve).
:func:`choose_bands` picks ``bands x rows <= num_perm`` minimizing the weighted areas of
false negatives (``s >= threshold`` but not candidates) and false positives (``s < threshold``
but candidates) under that curve, as datasketch does.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "LshParams",
    "candidate_probability",
    "choose_bands",
    "estimated_containment",
    "estimated_jaccard",
    "shingle_hashes",
    "shingle_words",
    "signature",
    "signature_from_bytes",
    "signatures",
]

#: Signature value of a position when the body has no shingle at all.
EMPTY_VALUE = 0xFFFFFFFF
_WORD = re.compile(r"\w+", re.UNICODE)
_SPLITMIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_SPLITMIX_2 = np.uint64(0x94D049BB133111EB)
_CRC_SEED = 0x5BD1E995
_SHINGLE_BASE = np.uint64(0x100000001B3)  # FNV prime: odd, so multiplication is a bijection


@dataclass(frozen=True)
class LshParams:
    """What a signature and its band keys depend on; stored with each state record."""

    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 16
    rows: int = 8
    seed: int = 1

    def __post_init__(self) -> None:
        if self.shingle_size < 1:
            raise ValueError(f"shingle size must be at least 1, not {self.shingle_size}")
        if self.num_perm < 1:
            raise ValueError(f"num_perm must be at least 1, not {self.num_perm}")
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"bands x rows ({self.bands} x {self.rows}) must be positive and at most num_perm "
                f"({self.num_perm})"
            )

    @property
    def signature_tag(self) -> str:
        """Signatures with the same tag are comparable (bands and rows do not change them)."""
        return f"minhash-v1-k{self.shingle_size}-p{self.num_perm}-s{self.seed}"


#: ASCII's non-word bytes (what ``\w`` does not match) mapped to a space, for ``bytes.translate``.
_ASCII_NON_WORD = bytes(
    code if code < 128 and (chr(code).isalnum() or chr(code) == "_") else ord(" ") for code in range(256)
)
#: Punctuation that often makes an English body non-ASCII: none of it is ``\w``, so it may
#: become a space before the ASCII test (``str.replace`` is fast; ``str.translate`` of a
#: non-ASCII text is slower than the regular expression).
_COMMON_NON_ASCII_PUNCTUATION = ("\u2014", "\u2013", "\u2019", "\u2018", "\u201c", "\u201d")


def shingle_words(text: str) -> list[bytes]:
    """The words shingles are made of, UTF-8 encoded: NFKC, case-folded, punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        for mark in _COMMON_NON_ASCII_PUNCTUATION:
            if mark in folded:
                folded = folded.replace(mark, " ")
        if not folded.isascii():
            return [word.encode("utf-8") for word in _WORD.findall(folded)]
    # The same words as the regular expression, about three times faster; most bodies are ASCII.
    return folded.encode("ascii").translate(_ASCII_NON_WORD).split()


#: Word -> its 64-bit hash as 8 little-endian bytes, a memo of a pure function: news text
#: repeats its words, so most lookups hit, which makes hashing four times faster. A body's
#: hashes are the join of its words' values, read by numpy without a Python int per word
#: (half the time of ``np.fromiter`` over ints, which converts each one). Cleared when it
#: holds this many words.
_WORD_HASHES: dict[bytes, bytes] = {}
_WORD_HASHES_LIMIT = 200_000
_HASH_DTYPE = np.dtype("<u8")


def _word_hashes(words: list[bytes]) -> np.ndarray:
    # Two CRC-32s with different starting values make 64 bits; splitmix64 mixes them afterwards.
    known = _WORD_HASHES
    try:
        joined = b"".join(map(known.__getitem__, words))
    except KeyError:
        if len(known) > _WORD_HASHES_LIMIT:
            known.clear()
        for word in words:
            if word not in known:
                value = (zlib.crc32(word, _CRC_SEED) << 32) | zlib.crc32(word)
                known[word] = value.to_bytes(8, "little")
        joined = b"".join(map(known.__getitem__, words))
    return np.frombuffer(joined, dtype=_HASH_DTYPE).astype(np.uint64, copy=False)


def _splitmix64(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint64(30))
    values = values * _SPLITMIX_1
    values = values ^ (values >> np.uint64(27))
    values = values * _SPLITMIX_2
    return values ^ (values >> np.uint64(31))


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-word shingles of ``text`` (sorted, ``uint64``).

    A text with fewer than ``size`` words (but at least one) is one shingle of all its words.
    """
    words = shingle_words(text)
    if not words:
        return np.empty(0, dtype=np.uint64)
    hashes = _word_hashes(words)
    width = min(size, len(hashes))
    count = len(hashes) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            combined = combined * _SHINGLE_BASE + hashes[offset : offset + count]
        mixed = _splitmix64(combined)
    return _distinct(mixed >> np.uint64(32))


def _distinct(values: np.ndarray) -> np.ndarray:
    """np.unique's result (``values`` is sorted in place), a quarter of its time on a body's shingles."""
    values.sort()
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


@lru_cache(maxsize=16)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for index in range(num_perm):
        digest = hashlib.blake2b(f"newsbeam-minhash:{seed}:{index}".encode(), digest_size=16).digest()
        a[index] = int.from_bytes(digest[:8], "little") | 1
        b[index] = int.from_bytes(digest[8:], "little")
    a.setflags(write=False)
    b.setflags(write=False)
    return a.reshape(-1, 1), b.reshape(-1, 1)


#: Shingles permuted at a time, in a scratch buffer (``num_perm`` x this many ``uint64``,
#: 1 MiB) that each thread keeps: a matrix allocated per body was mapped and unmapped by
#: the allocator for every article, which made signing twice as slow. The matrix is one
#: row per permutation, so that each row's minimum is taken over contiguous memory (15%
#: faster than a column per permutation). Most bodies fit in one chunk.
SIGN_CHUNK = 1024
_SCRATCH = threading.local()


#: Shingles of several texts permuted at a time by :func:`signatures` (a 4 MiB scratch matrix
#: at 128 permutations): the per-call cost of numpy is paid once for about nine bodies.
BATCH_SIGN_CHUNK = 4096


def _scratch(num_perm: int, chunk: int = SIGN_CHUNK) -> np.ndarray:
    name = f"buffer_{chunk}"
    buffer = getattr(_SCRATCH, name, None)
    if buffer is None or buffer.size != num_perm * chunk:
        buffer = np.empty(num_perm * chunk, dtype=np.uint64)
        setattr(_SCRATCH, name, buffer)
    return buffer


def signature(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """The MinHash signature (``num_perm`` ``uint32`` values) of a set of shingle hashes."""
    if shingles.size == 0:
        return np.full(num_perm, EMPTY_VALUE, dtype=np.uint32)
    a, b = _permutations(num_perm, seed)
    row = shingles.reshape(1, -1)
    scratch = _scratch(num_perm)
    smallest: np.ndarray | None = None
    with np.errstate(over="ignore"):
        for start in range(0, shingles.size, SIGN_CHUNK):
            width = min(SIGN_CHUNK, shingles.size - start)
            permuted = scratch[: num_perm * width].reshape(num_perm, width)
            np.multiply(a, row[:, start : start + width], out=permuted)
            permuted += b
            least = permuted.min(axis=1)
            smallest = least if smallest is None else np.minimum(smallest, least, out=smallest)
    assert smallest is not None
    return (smallest >> np.uint64(32)).astype(np.uint32)


def signatures(
    texts: Sequence[str], size: int, num_perm: int, seed: int
) -> list[tuple[int, np.ndarray | None]]:
    """``(shingle count, signature)`` of each text, computed together; ``None`` for a text without words.

    The same values as :func:`shingle_hashes` and :func:`signature` one text at a time, in
    about 15% less time (64 bodies of a benchmark run at once): the words of all texts are
    hashed, combined into shingles, made distinct and permuted in a few numpy calls instead of
    some thirty per text, and the permutations' minima of consecutive texts come from one
    matrix (``np.minimum.reduceat`` over each text's columns).
    """
    words = [shingle_words(text) for text in texts]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    hashes = _word_hashes([word for text_words in words for word in text_words])
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    # A shingle is the `size` words starting at a position; with padding, every position has
    # one, and those that run past their text's end are dropped below.
    padded = np.concatenate((hashes, np.zeros(size, dtype=np.uint64)))
    combined = np.zeros(hashes.size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            combined = combined * _SHINGLE_BASE + padded[offset : offset + hashes.size]
    owner = np.repeat(np.arange(len(texts), dtype=np.uint64), lengths)
    inside = np.arange(hashes.size) + size <= np.repeat(starts + lengths, lengths)
    values, owners = combined[inside], owner[inside]
    short = np.flatnonzero((lengths > 0) & (lengths < size))
    if short.size:  # a text of fewer than `size` words is one shingle of all of them
        values = np.concatenate(
            (
                values,
                [
                    _one_shingle(hashes[start : start + length])
                    for start, length in zip(starts[short], lengths[short], strict=True)
                ],
            )
        )
        owners = np.concatenate((owners, short.astype(np.uint64)))
    with np.errstate(over="ignore"):
        keys = (owners << np.uint64(32)) | (_splitmix64(values) >> np.uint64(32))
    keys = _distinct(keys) if keys.size else keys
    shingles = keys & np.uint64(0xFFFFFFFF)
    bounds = np.searchsorted(keys >> np.uint64(32), np.arange(len(texts) + 1, dtype=np.uint64))
    found: list[np.ndarray | None] = [None] * len(texts)
    first = 0
    while first < len(texts):
        last = first + 1  # texts [first, last) are permuted together, within BATCH_SIGN_CHUNK shingles
        while last < len(texts) and bounds[last + 1] - bounds[first] <= BATCH_SIGN_CHUNK:
            last += 1
        if last == first + 1:
            if bounds[last] > bounds[first]:
                found[first] = signature(shingles[bounds[first] : bounds[last]], num_perm, seed)
        else:
            _sign_together(shingles, bounds, first, last, num_perm, seed, found)
        first = last
    return [(int(bounds[index + 1] - bounds[index]), found[index]) for index in range(len(texts))]


def _one_shingle(hashes: np.ndarray) -> np.uint64:
    combined = np.uint64(0)
    with np.errstate(over="ignore"):
        for value in hashes:
            combined = combined * _SHINGLE_BASE + value
    return combined


def _sign_together(
    shingles: np.ndarray,
    bounds: np.ndarray,
    first: int,
    last: int,
    num_perm: int,
    seed: int,
    found: list[np.ndarray | None],
) -> None:
    """The signatures of texts ``first`` to ``last - 1``, whose shingles fit in one scratch matrix."""
    texts = np.arange(first, last)
    texts = texts[bounds[texts + 1] > bounds[texts]]  # reduceat needs every segment non-empty
    if texts.size == 0:
        return
    low, high = int(bounds[first]), int(bounds[last])
    a, b = _permutations(num_perm, seed)
    permuted = _scratch(num_perm, BATCH_SIGN_CHUNK)[: num_perm * (high - low)].reshape(num_perm, high - low)
    with np.errstate(over="ignore"):
        np.multiply(a, shingles[low:high].reshape(1, -1), out=permuted)
        permuted += b
    least = np.minimum.reduceat(permuted, bounds[texts] - low, axis=1)
    rows = np.ascontiguousarray((least >> np.uint64(32)).astype(np.uint32).T)
    for text, row in zip(texts.tolist(), rows, strict=True):
        found[text] = row


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4")


def estimated_jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Share of signature positions that agree: an unbiased estimate of the Jaccard similarity."""
    if first.shape != second.shape:
        raise ValueError(f"signatures of different lengths ({first.size} and {second.size}) do not compare")
    return float(np.count_nonzero(first == second)) / first.size


def estimated_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """``|A & B| / min(|A|, |B|)`` from the Jaccard similarity and the two set sizes.

    ``|A & B| = J (|A| + |B|) / (1 + J)``: a copy cut by 20% has Jaccard about 0.8 with
    the full text but containment about 1.
    """
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return 0.0
    overlap = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, overlap / smaller)


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """``P(s) = 1 - (1 - s**rows)**bands``: the chance that two bodies share a band key."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def _false_positive_area(threshold: float, bands: int, rows: int) -> float:
    grid = np.linspace(0.0, threshold, 201)
    return float(np.trapezoid(1.0 - (1.0 - grid**rows) ** bands, grid))


def _false_negative_area(threshold: float, bands: int, rows: int) -> float:
    grid = np.linspace(threshold, 1.0, 201)
    return float(np.trapezoid((1.0 - grid**rows) ** bands, grid))


def choose_bands(threshold: float, num_perm: int, false_negative_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimizing the weighted error areas.

    ``false_negative_weight`` (``w``) weighs missed pairs against candidates below the
    threshold (``1 - w``); candidates are verified, so a false positive of LSH costs only
    time, and a weight above 0.5 suits that.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive), not {threshold}")
    if not 0.0 <= false_negative_weight <= 1.0:
        raise ValueError(f"false_negative_weight must be between 0 and 1, not {false_negative_weight}")
    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            error = false_negative_weight * _false_negative_area(threshold, bands, rows) + (
                1.0 - false_negative_weight
            ) * _false_positive_area(threshold, bands, rows)
            if best is None or error < best[0] - 1e-12:
                best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]
