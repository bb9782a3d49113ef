"""Content checksums of input files, computed while the file is read anyway.

The ledger (``pipeline/running/ledger.py``) records a checksum for every input file a run consumed.
Reading a file twice only to hash it would double the read stage's I/O, so the read stage
wraps the raw stream in :class:`HashingReader`: every byte the parser pulls through it is
hashed, and :meth:`HashingReader.finish` reads whatever the parser left unread (the tail of
a page over ``max_page_bytes``, say) so that the digest always covers the whole file.
:func:`file_checksum` hashes a file on its own, for the driver's occasional verification.

A big file is read in byte ranges by several workers (:mod:`newsbeam.transforms.formats.ranges`), so the
checksum must be computable piece by piece: it is the hash of the list of the hashes of
the file's consecutive ``CHECKSUM_BLOCK``-byte blocks. A range that starts on a block
boundary hashes its own blocks (:class:`RangeHashingReader`), and
:func:`combine_block_digests` joins the ranges' lists in file order into the same checksum
that one reader of the whole file gets.

The hash is xxh3-128 (:mod:`xxhash`), written ``xxh3-128:<hex>``: an order of magnitude
faster than ``blake2b``, so hashing every byte read costs the read stage little.
Checksums without a prefix are the ``blake2b-128`` of earlier releases: ledgers keep them,
and :func:`file_checksum` still computes them, so the ledger compares a file in the
algorithm of its recorded checksum (:func:`checksum_algorithm`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import IO, Any

import xxhash
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

__all__ = [
    "CHECKSUM_ALGORITHM",
    "CHECKSUM_BLOCK",
    "HashingReader",
    "LEGACY_ALGORITHM",
    "RangeHashingReader",
    "checksum_algorithm",
    "combine_block_digests",
    "file_checksum",
    "known_algorithm",
]

#: The algorithm of the checksums a run records (see the module docstring).
CHECKSUM_ALGORITHM = "xxh3-128"
#: The algorithm of earlier releases' checksums, which have no prefix.
LEGACY_ALGORITHM = "blake2b-128"
#: Ranges of split files start on multiples of this (``read.split_bytes`` is one).
CHECKSUM_BLOCK = 1 << 20
_HASHES: dict[str, Callable[[], Any]] = {
    CHECKSUM_ALGORITHM: xxhash.xxh3_128,
    LEGACY_ALGORITHM: lambda: hashlib.blake2b(digest_size=16),
}


def checksum_algorithm(checksum: str) -> str:
    """The algorithm of a recorded checksum: its prefix, or the legacy ``blake2b`` without one."""
    algorithm, colon, _ = checksum.partition(":")
    return algorithm if colon else LEGACY_ALGORITHM


def known_algorithm(algorithm: str) -> bool:
    return algorithm in _HASHES


def _new_hash(algorithm: str) -> Any:
    try:
        return _HASHES[algorithm]()
    except KeyError:
        raise ValueError(f"unknown checksum algorithm {algorithm!r}") from None


class _BlockHasher:
    """Hashes a byte stream block by block; the digests of the blocks, in order."""

    def __init__(self, algorithm: str = CHECKSUM_ALGORITHM) -> None:
        self._algorithm = algorithm
        self._digests: list[bytes] = []
        self._block = _new_hash(algorithm)
        self._filled = 0

    def update(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            take = min(len(view), CHECKSUM_BLOCK - self._filled)
            self._block.update(view[:take])
            self._filled += take
            view = view[take:]
            if self._filled == CHECKSUM_BLOCK:
                self._digests.append(self._block.digest())
                self._block, self._filled = _new_hash(self._algorithm), 0

    def digests(self) -> bytes:
        """The concatenated block digests (the last block may be short; an empty stream has none)."""
        tail = [self._block.digest()] if self._filled else []
        return b"".join(self._digests + tail)


def combine_block_digests(parts: Iterable[bytes], algorithm: str = CHECKSUM_ALGORITHM) -> str:
    """The file's checksum from its ranges' concatenated block digests, in file order."""
    digest = _new_hash(algorithm)
    for part in parts:
        digest.update(part)
    return digest.hexdigest() if algorithm == LEGACY_ALGORITHM else f"{algorithm}:{digest.hexdigest()}"


class HashingReader:
    """A read-only stream over ``stream`` that hashes every byte read through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._hasher = _BlockHasher()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._hasher.update(data)
        return data

    def read1(self, size: int = -1) -> bytes:
        reader = getattr(self._stream, "read1", self._stream.read)
        data = reader(size if size and size > 0 else CHECKSUM_BLOCK)
        self._hasher.update(data)
        return data

    def readable(self) -> bool:
        return True

    def finish(self) -> str:
        """Hash the unread rest of the stream; the checksum of the whole file."""
        while chunk := self._stream.read(CHECKSUM_BLOCK):
            self._hasher.update(chunk)
        return combine_block_digests([self._hasher.digests()])

    def close(self) -> None:
        self._stream.close()


class RangeHashingReader:
    """Reads ``stream`` on from its position, hashing only the first ``length`` bytes.

    A range's reader runs past the range's end to finish its last record; those bytes
    belong to the next range's blocks and are not hashed here. :attr:`newlines` counts the
    newlines of the bytes hashed (JSONL line numbers count them over the earlier ranges).
    """

    def __init__(self, stream: IO[bytes], length: int) -> None:
        self._stream = stream
        self._left = length
        self._hasher = _BlockHasher()
        self.newlines = 0

    def read(self, size: int = -1) -> bytes:
        return self._hashed(self._stream.read(size))

    def read1(self, size: int = -1) -> bytes:
        reader = getattr(self._stream, "read1", self._stream.read)
        return self._hashed(reader(size if size and size > 0 else CHECKSUM_BLOCK))

    def readable(self) -> bool:
        return True

    def _hashed(self, data: bytes) -> bytes:
        if self._left > 0:
            inside = data[: self._left]
            self._hasher.update(inside)
            self.newlines += inside.count(b"\n")
            self._left -= len(inside)
        return data

    def finish(self) -> bytes:
        """Hash the rest of the range; its concatenated block digests."""
        while self._left > 0 and (chunk := self._stream.read(min(self._left, CHECKSUM_BLOCK))):
            self._hashed(chunk)
        return self._hasher.digests()

    def close(self) -> None:
        self._stream.close()


def file_checksum(path: str, algorithm: str = CHECKSUM_ALGORITHM) -> str:
    """The checksum of the file at ``path`` (any filesystem Beam knows), read once."""
    hasher = _BlockHasher(algorithm)
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        while chunk := handle.read(CHECKSUM_BLOCK):
            hasher.update(chunk)
    return combine_block_digests([hasher.digests()], algorithm)
