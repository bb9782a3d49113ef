"""The read stage: input paths in, pages out, every unreadable page recorded as a reject.

``ReadPages(patterns, max_page_bytes)`` expands folders (recursively) and globs with
Beam's ``FileSystems`` (so ``gs://`` and ``s3://`` work with the matching Beam extra),
spreads the matched files over workers with a ``Reshuffle`` (without it the whole read
fuses behind one element and only one core works), and streams each file through
:func:`transforms.dumps.read_dump`. Paths, never page data, enter the pipeline graph.

Outputs, as a dict: ``pages`` (:class:`Page`), ``rejects`` (:class:`Reject`) and
``files`` (one :class:`DumpSummary` record per file, for the manifest and the ledger, with
the file's content checksum, hashed while the file is read).

``ReadPages(files=[(path, size), ...])`` reads exactly the files the driver listed (the
incremental runs of ``pipeline/ledger.py`` decide there which files are new) instead of
matching patterns. An unexpected error while reading a file fails the run with an
:class:`InputFileError` that names the file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.checksum import HashingReader
from transforms.dumps import DumpSummary, read_dump
from transforms.faults import fail_point
from transforms.progress import ProgressLine
from transforms.records import Page, Provenance, Reject

__all__ = ["InputFileError", "ReadPages", "expand_input", "is_hidden"]

PAGES, REJECTS, FILES = "pages", "rejects", "files"
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


class InputFileError(RuntimeError):
    """Reading one input file failed unexpectedly; the message starts with its path."""


def is_hidden(path: str) -> bool:
    """Files whose name starts with ``.`` or ``_`` (markers, temp files) are not dumps."""
    return posixpath.basename(path.replace("\\", "/")).startswith((".", "_"))


class ReadPages(beam.PTransform):
    """Read every page of the files matched by ``patterns`` (see the module docstring)."""

    def __init__(
        self,
        patterns: Sequence[str],
        max_page_bytes: int,
        progress_seconds: float = 0.0,
        *,
        files: Sequence[tuple[str, int]] | None = None,
        progress_folder: str | None = None,
    ) -> None:
        super().__init__()
        if not patterns and files is None:
            raise ValueError("ReadPages needs at least one input pattern")
        if max_page_bytes < 1:
            raise ValueError(f"max_page_bytes must be positive, not {max_page_bytes}")
        self._files = None if files is None else sorted(set(files))
        self._patterns = [] if files is not None else [expand_input(pattern) for pattern in patterns]
        self._max_page_bytes = max_page_bytes
        self._progress_seconds = progress_seconds
        self._progress_folder = progress_folder

    def expand(self, pbegin: beam.pvalue.PBegin) -> dict[str, beam.PCollection]:
        if self._files is not None:
            listed = pbegin | "Listed files" >> beam.Create(self._files)
        else:
            listed = (
                pbegin
                | "Patterns" >> beam.Create(self._patterns)
                | "Match" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
                | "Path and size" >> beam.Map(lambda metadata: (metadata.path, metadata.size_in_bytes or 0))
                | "Skip hidden" >> beam.Filter(lambda path_size: not is_hidden(path_size[0]))
                # A file matched by two inputs is read once.
                | "Distinct files" >> beam.Distinct()
            )
        outputs = (
            listed
            | "Spread files" >> beam.Reshuffle()
            | "Read"
            >> beam.ParDo(
                _ReadFileFn(self._max_page_bytes, self._progress_seconds, self._progress_folder)
            ).with_outputs(REJECTS, FILES, main=PAGES)
        )
        return {PAGES: outputs[PAGES], REJECTS: outputs[REJECTS], FILES: outputs[FILES]}


class _ReadFileFn(beam.DoFn):
    def __init__(self, max_page_bytes: int, progress_seconds: float, progress_folder: str | None) -> None:
        self._max_page_bytes = max_page_bytes
        self._progress = ProgressLine("read", progress_seconds, progress_folder)
        self._pages = Metrics.counter("read", "pages_read")
        self._rejects = Metrics.counter("read", "rejects")
        self._files = Metrics.counter("read", "files")
        self._bytes = Metrics.counter("read", "bytes")

    def process(self, path_size: tuple[str, int]) -> Iterable[Page | TaggedOutput]:
        path, size = path_size
        summary = DumpSummary(path=path, size=size)
        self._files.inc()
        self._bytes.inc(size)
        try:
            stream = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        except OSError as error:
            summary.pages, summary.rejects = 1, 1
            self._count(is_reject=True)
            yield TaggedOutput(
                REJECTS, Reject.of(Provenance(path, 0), "unreadable", f"the file cannot be opened: {error}")
            )
            yield TaggedOutput(FILES, summary)
            return
        hashing = HashingReader(stream)
        try:
            with stream:
                fail_point("read", path)
                for item in read_dump(hashing, path, summary, self._max_page_bytes):  # type: ignore[arg-type]
                    if isinstance(item, Reject):
                        self._count(is_reject=True)
                        yield TaggedOutput(REJECTS, item)
                    else:
                        self._count(is_reject=False)
                        yield item
                summary.checksum = hashing.finish()
        except Exception as error:  # noqa: BLE001 - re-raised with the file that caused it.
            raise InputFileError(f"{path}: {type(error).__name__}: {error}") from error
        yield TaggedOutput(FILES, summary)
        self._progress.advance(files=1, pages=summary.pages, size=size)

    def finish_bundle(self) -> None:
        self._progress.flush()

    def teardown(self) -> None:
        self._progress.close()

    def _count(self, is_reject: bool) -> None:
        self._pages.inc()
        if is_reject:
            self._rejects.inc()
