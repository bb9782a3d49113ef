"""An in-memory Beam filesystem, ``mem://``, that behaves like an object store.

Beam's Python SDK has no in-memory filesystem (Java's ``mem://`` has no Python twin), so the
tests bring one. Importing this module registers it: Beam finds every subclass of
``FileSystem`` by its ``scheme()``. The objects live in one dict of this process, so a
pipeline that uses it must run in this process (``--direct_running_mode in_memory``).

It copies the semantics of ``gs://`` and ``s3://`` that differ from a local disk, so code
that passes here does not only work because folders exist:

- there are no folders: ``exists()`` is true for objects only, never for a prefix, and
  ``mkdirs()`` does nothing;
- an object appears when the handle that writes it is closed, never half written;
- ``rename`` is a copy then a delete, object by object;
- ``delete`` of a path ending in ``/`` deletes every object under that prefix; deleting an
  object that is not there is not an error (as on GCS and S3).
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from apache_beam.io.filesystem import (
    BeamIOError,
    CompressedFile,
    CompressionTypes,
    FileMetadata,
    FileSystem,
)

__all__ = ["MemoryFileSystem", "PREFIX", "clear", "objects", "put", "read"]

PREFIX = "mem://"

_objects: dict[str, tuple[bytes, float]] = {}
_guard = threading.Lock()


def put(path: str, data: bytes, mtime: float | None = None) -> None:
    with _guard:
        _objects[path] = (data, time.time() if mtime is None else mtime)


def read(path: str) -> bytes:
    with _guard:
        return _objects[path][0]


def _get(path: str) -> bytes | None:
    with _guard:
        found = _objects.get(path)
    return None if found is None else found[0]


def objects(prefix: str = PREFIX) -> dict[str, bytes]:
    """Every object under ``prefix``, by path."""
    with _guard:
        return {path: data for path, (data, _) in _objects.items() if path.startswith(prefix)}


def clear(prefix: str = PREFIX) -> None:
    with _guard:
        for path in [path for path in _objects if path.startswith(prefix)]:
            del _objects[path]


class _Upload(io.BytesIO):
    """A write handle: the object is stored when it is closed, as an upload completes."""

    mode = "wb"  # CompressedFile tells reading from writing by the handle's mode

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path

    def close(self) -> None:
        if not self.closed:
            put(self._path, self.getvalue())
        super().close()


class _Download(io.BytesIO):
    mode = "rb"


class MemoryFileSystem(FileSystem):
    """``mem://`` objects in this process's memory (see the module docstring)."""

    #: The pipeline options the last instance was made with (Beam makes one per call).
    last_options: Any = None

    def __init__(self, pipeline_options: Any) -> None:
        super().__init__(pipeline_options)
        MemoryFileSystem.last_options = pipeline_options

    @classmethod
    def scheme(cls) -> str:
        return "mem"

    def join(self, basepath: str, *paths: str) -> str:
        return "/".join([basepath.rstrip("/"), *(path.strip("/") for path in paths)])

    def split(self, path: str) -> tuple[str, str]:
        head, _, tail = path.rstrip("/").rpartition("/")
        return head, tail

    def mkdirs(self, path: str) -> None:
        pass

    def has_dirs(self) -> bool:
        return False

    def _list(self, dir_or_prefix: str) -> Iterator[FileMetadata]:
        with _guard:
            listed = [(path, len(data), mtime) for path, (data, mtime) in _objects.items()]
        for path, size, mtime in sorted(listed):
            if path.startswith(dir_or_prefix):
                yield FileMetadata(path, size, mtime)

    def create(
        self,
        path: str,
        mime_type: str = "application/octet-stream",
        compression_type: str = CompressionTypes.AUTO,
    ) -> BinaryIO:
        return self._wrap(path, _Upload(path), compression_type)

    def open(
        self,
        path: str,
        mime_type: str = "application/octet-stream",
        compression_type: str = CompressionTypes.AUTO,
    ) -> BinaryIO:
        try:
            data = read(path)
        except KeyError:
            raise BeamIOError("Open operation failed", {path: FileNotFoundError(path)}) from None
        return self._wrap(path, _Download(data), compression_type)

    def copy(self, source_file_names: list[str], destination_file_names: list[str]) -> None:
        failed: dict[Any, Exception] = {}
        for source, destination in zip(source_file_names, destination_file_names, strict=True):
            if source.endswith("/"):
                found = objects(source)
            else:
                data = _get(source)
                if data is None:
                    failed[(source, destination)] = FileNotFoundError(source)
                found = {} if data is None else {source: data}
            for path, data in found.items():
                put(destination + path[len(source) :], data)
        if failed:
            raise BeamIOError("Copy operation failed", failed)

    def rename(self, source_file_names: list[str], destination_file_names: list[str]) -> None:
        self.copy(source_file_names, destination_file_names)
        self.delete(source_file_names)

    def exists(self, path: str) -> bool:
        with _guard:
            return path in _objects

    def size(self, path: str) -> int:
        return self.metadata(path).size_in_bytes

    def last_updated(self, path: str) -> float:
        return self.metadata(path).last_updated_in_seconds

    def checksum(self, path: str) -> str:
        return str(self.size(path))

    def metadata(self, path: str) -> FileMetadata:
        with _guard:
            found = _objects.get(path)
        if found is None:
            raise BeamIOError("Metadata operation failed", {path: FileNotFoundError(path)})
        return FileMetadata(path, len(found[0]), found[1])

    def delete(self, paths: list[str]) -> None:
        with _guard:
            for path in paths:
                doomed = (
                    [name for name in _objects if name.startswith(path)] if path.endswith("/") else [path]
                )
                for name in doomed:
                    _objects.pop(name, None)

    @staticmethod
    def _wrap(path: str, raw: io.BytesIO, compression_type: str) -> BinaryIO:
        compression = FileSystem._get_compression_type(path, compression_type)
        if compression == CompressionTypes.UNCOMPRESSED:
            return raw
        return cast(BinaryIO, CompressedFile(raw, compression_type=compression))  # as Beam's own filesystems
