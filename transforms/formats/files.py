"""Finding the input files (folders read recursively, globs, hidden files left out), spread over workers.

:func:`match_files` lists what the inputs match through Beam's ``FileSystems`` (local, ``gs://``,
``s3://``); :func:`spread_order` orders the files and ranges largest estimated work first, so
that dealing them out in turn balances the workers; a listing of them can wait in a file
(:func:`write_listing`) instead of in the pipeline graph.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence

import orjson
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.formats.ranges import (
    FileRange,
)

__all__ = [
    "estimated_work",
    "expand_input",
    "is_hidden",
    "match_files",
    "read_listing",
    "spread_order",
    "write_listing",
]

_GLOB_CHARS = frozenset("*?[")


def expand_input(path: str) -> str:
    """The pattern that reads ``path``: a folder becomes ``folder/**``; files and globs stay."""
    if any(char in _GLOB_CHARS for char in path):
        return path
    if path.endswith("/"):
        return path + "**"
    try:
        matched = FileSystems.match([path])[0].metadata_list
    except Exception:  # noqa: BLE001 - any filesystem's "not found" means: try it as a folder.
        matched = []
    if len(matched) == 1 and matched[0].path.rstrip("/") == path.rstrip("/") and not _is_local_dir(path):
        return path
    return path.rstrip("/") + "/**"


def _is_local_dir(path: str) -> bool:
    import os.path

    return "://" not in path and os.path.isdir(path)


def is_hidden(path: str) -> bool:
    """Files whose name starts with ``.`` or ``_`` (markers, temp files) are not dumps."""
    return posixpath.basename(path.replace("\\", "/")).startswith((".", "_"))


#: Work per byte of a gzip-compressed file against an uncompressed one: the WARC files of
#: the benchmark corpus inflate 3.6 times.
GZIP_WORK_FACTOR = 3.5


def estimated_work(file_range: FileRange) -> float:
    """What reading ``file_range`` costs, in uncompressed bytes (an estimate for the spread)."""
    length = file_range.end - file_range.start if file_range.is_split else file_range.size
    return length * GZIP_WORK_FACTOR if file_range.path.lower().endswith(".gz") else float(length)


def spread_order(ranges: Iterable[FileRange]) -> list[FileRange]:
    """``ranges`` largest estimated work first, so that dealing them out in turn balances workers."""
    return sorted(
        ranges, key=lambda file_range: (-estimated_work(file_range), file_range.path, file_range.start)
    )


def write_listing(path: str, ranked: Iterable[tuple[int, FileRange]]) -> None:
    """Write ``(rank, range)`` pairs to ``path``, one JSON line each, for :func:`read_listing`."""
    with FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        for rank, file_range in ranked:
            handle.write(orjson.dumps([rank, file_range]) + b"\n")


def read_listing(path: str) -> Iterator[tuple[int, FileRange]]:
    """The ``(rank, range)`` pairs :func:`write_listing` wrote to ``path``, in order."""
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        for line in handle:
            rank, fields = orjson.loads(line)
            yield rank, FileRange(**fields)


def match_files(patterns: Sequence[str]) -> list[tuple[str, int]]:
    """``(path, size)`` of every file the patterns match, hidden files left out, each once, sorted."""
    found: dict[str, int] = {}
    for result in FileSystems.match(list(patterns)):
        for metadata in result.metadata_list:
            if not is_hidden(metadata.path):
                found[metadata.path] = int(metadata.size_in_bytes or 0)
    return sorted(found.items())
