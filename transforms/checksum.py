"""Content checksums of input files, computed while the file is read anyway.

The ledger (``pipeline/ledger.py``) records a checksum for every input file a run consumed.
Reading a file twice only to hash it would double the read stage's I/O, so the read stage
wraps the raw stream in :class:`HashingReader`: every byte the parser pulls through it is
hashed, and :meth:`HashingReader.finish` reads whatever the parser left unread (the tail of
a page over ``max_page_bytes``, say) so that the digest always covers the whole file.
:func:`file_checksum` hashes a file on its own, for the driver's occasional verification.
"""

from __future__ import annotations

import hashlib
from typing import IO

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

__all__ = ["CHECKSUM_ALGORITHM", "HashingReader", "file_checksum"]

#: Fast, in the standard library, and 128 bits is plenty to tell two versions of a file apart.
CHECKSUM_ALGORITHM = "blake2b-128"
_CHUNK = 1 << 20


def _new_hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


class HashingReader:
    """A read-only stream over ``stream`` that hashes every byte read through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._hash = _new_hash()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._hash.update(data)
        return data

    def read1(self, size: int = -1) -> bytes:
        reader = getattr(self._stream, "read1", self._stream.read)
        data = reader(size if size and size > 0 else _CHUNK)
        self._hash.update(data)
        return data

    def readable(self) -> bool:
        return True

    def finish(self) -> str:
        """Hash the unread rest of the stream; the hex digest of the whole file."""
        while chunk := self._stream.read(_CHUNK):
            self._hash.update(chunk)
        return self._hash.hexdigest()

    def close(self) -> None:
        self._stream.close()


def file_checksum(path: str) -> str:
    """The checksum of the file at ``path`` (any filesystem Beam knows), read once."""
    digest = _new_hash()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
