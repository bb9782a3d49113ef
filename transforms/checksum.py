"""Content checksums of input files, computed while the file is read anyway.

The ledger (``pipeline/ledger.py``) records a checksum for every input file a run consumed.
Reading a file twice only to hash it would double the read stage's I/O, so the read stage
wraps the raw stream in :class:`HashingReader`: every byte the parser pulls through it is
hashed, and :meth:`HashingReader.finish` reads whatever the parser left unread (the tail of
a page over ``max_page_bytes``, say) so that the digest always covers the whole file.
:func:`file_checksum` hashes a file on its own, for the driver's occasional verification.

A big file is read in byte ranges by several workers (``transforms/splits.py``), so the
checksum must be computable piece by piece: it is the hash of the list of the hashes of
the file's consecutive ``CHECKSUM_BLOCK``-byte blocks. A range that starts on a block
boundary hashes its own blocks (:class:`RangeHashingReader`), and
:func:`combine_block_digests` joins the ranges' lists in file order into the same checksum
that one reader of the whole file gets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import IO

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

__all__ = [
    "CHECKSUM_ALGORITHM",
    "CHECKSUM_BLOCK",
    "HashingReader",
    "RangeHashingReader",
    "combine_block_digests",
    "file_checksum",
]

#: Fast, in the standard library, and 128 bits is plenty to tell two versions of a file apart.
CHECKSUM_ALGORITHM = "blake2b-128 of the blake2b-128 digests of 1 MiB blocks"
#: Ranges of split files start on multiples of this (``read.split_bytes`` is one).
CHECKSUM_BLOCK = 1 << 20
_DIGEST_BYTES = 16


def _new_hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=_DIGEST_BYTES)


class _BlockHasher:
    """Hashes a byte stream block by block; the digests of the blocks, in order."""

    def __init__(self) -> None:
        self._digests: list[bytes] = []
        self._block = _new_hash()
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
                self._block, self._filled = _new_hash(), 0

    def digests(self) -> bytes:
        """The concatenated block digests (the last block may be short; an empty stream has none)."""
        tail = [self._block.digest()] if self._filled else []
        return b"".join(self._digests + tail)


def combine_block_digests(parts: Iterable[bytes]) -> str:
    """The file's checksum from its ranges' concatenated block digests, in file order."""
    digest = _new_hash()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


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
    belong to the next range's blocks and are not hashed here.
    """

    def __init__(self, stream: IO[bytes], length: int) -> None:
        self._stream = stream
        self._left = length
        self._hasher = _BlockHasher()

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
            self._left -= len(inside)
        return data

    def finish(self) -> bytes:
        """Hash the rest of the range; its concatenated block digests."""
        while self._left > 0 and (chunk := self._stream.read(min(self._left, CHECKSUM_BLOCK))):
            self._hashed(chunk)
        return self._hasher.digests()

    def close(self) -> None:
        self._stream.close()


def file_checksum(path: str) -> str:
    """The checksum of the file at ``path`` (any filesystem Beam knows), read once."""
    hasher = _BlockHasher()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        while chunk := handle.read(CHECKSUM_BLOCK):
            hasher.update(chunk)
    return combine_block_digests([hasher.digests()])
