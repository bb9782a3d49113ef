"""The read stage: input paths in, pages out, every unreadable page recorded as a reject.

``ReadPages(patterns, max_page_bytes)`` expands folders (recursively) and globs with
Beam's ``FileSystems`` (so ``gs://`` and ``s3://`` work with the matching Beam extra),
spreads the matched files over workers with a ``GroupByKey`` (without it the whole read
fuses behind one element and only one core works), and streams each file through
:func:`newsbeam.transforms.formats.dumps.read_dump`. Paths, never page data, enter the pipeline graph.

The files are keyed by their rank in :func:`spread_order`, largest estimated work first.
On any runner the unique keys make the ``GroupByKey`` a reshuffle. The DirectRunner's
``multi_processing`` mode hands each of its N workers every N-th group in the order the
groups were written, which this order makes a balanced share of bytes (with Beam's random
reshuffle keys, one worker finished early and waited).

Outputs, as a dict: ``pages`` (:class:`Page`), ``rejects`` (:class:`Reject`) and
``files`` (one :class:`DumpSummary` record per file, for the manifest and the ledger, with
the file's content checksum, hashed while the file is read).

A JSONL, WARC or ARC file larger than ``split_bytes`` is read in byte ranges spread over the
workers (:mod:`newsbeam.transforms.formats.ranges`); then the outputs also hold ``record_offsets``, a
singleton for :class:`~.read_indices.ResolveRecordIndices`, which the pipeline applies
to the records of the later stages so that every page's ``record`` counts from the start
of its file. The files are listed, and the big ones' first bytes read, when the pipeline
is built.

With a ``listing`` path, the ranges are written there (one JSON line each, in spread
order) when the pipeline is built, and the graph holds that one path: Beam pickles and
bz2-compresses a ``Create``'s values into the graph, four times, and each worker unpacks
them, a cost that grows with the number of files.

``ReadPages(files=[(path, size), ...])`` reads exactly the files the driver listed (the
incremental runs of ``pipeline/running/ledger.py`` decide there which files are new) instead of
matching patterns. An unexpected error while reading a file fails the run with an
:class:`InputFileError` that names the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from newsbeam.transforms.coders import typed
from newsbeam.transforms.formats.checksum import HashingReader
from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
from newsbeam.transforms.formats.files import (
    expand_input,
    match_files,
    read_listing,
    spread_order,
    write_listing,
)
from newsbeam.transforms.formats.ranges import (
    FileRange,
    merge_range_summaries,
    plan_file_ranges,
    range_offsets,
    read_file_range,
)
from newsbeam.transforms.model import Page, Provenance, Reject
from newsbeam.transforms.runtime.faults import fail_point
from newsbeam.transforms.runtime.progress import ProgressLine

__all__ = ["DEFAULT_SPLIT_BYTES", "InputFileError", "RECORD_OFFSETS", "ReadPages"]

PAGES, REJECTS, FILES, RECORD_OFFSETS = "pages", "rejects", "files", "record_offsets"


_RANGES = "ranges"


#: Files above this size, when they can be split (:mod:`~newsbeam.transforms.formats.ranges`), are
#: read in ranges.
DEFAULT_SPLIT_BYTES = 64 << 20


class InputFileError(RuntimeError):
    """Reading one input file failed unexpectedly; the message starts with its path."""


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
        split_bytes: int = DEFAULT_SPLIT_BYTES,
        listing: str | None = None,
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
        self._split_bytes = split_bytes
        self._listing = listing

    def expand(self, pbegin: beam.pvalue.PBegin) -> dict[str, beam.PCollection]:
        files = self._files if self._files is not None else match_files(self._patterns)
        ranges = plan_file_ranges(files, self._split_bytes)
        ranked = list(enumerate(spread_order(ranges)))
        if self._listing is None:
            ranked_ranges = pbegin | "Files and ranges" >> beam.Create(ranked, reshuffle=False)
        else:
            write_listing(self._listing, ranked)
            ranked_ranges = (
                pbegin
                | "Files and ranges" >> beam.Create([self._listing], reshuffle=False)
                | "List ranges" >> beam.FlatMap(read_listing)
            )
        outputs = (
            ranked_ranges
            # Without it the whole read fuses behind the Create and only one core works.
            | "Spread files" >> beam.GroupByKey()
            | "Unkey" >> beam.FlatMap(lambda ranked: ranked[1])
            | "Read"
            >> beam.ParDo(
                _ReadFileFn(self._max_page_bytes, self._progress_seconds, self._progress_folder)
            ).with_outputs(REJECTS, FILES, _RANGES, main=PAGES)
        )
        result = {
            PAGES: typed(outputs[PAGES], Page),
            REJECTS: typed(outputs[REJECTS], Reject),
            FILES: outputs[FILES],
        }
        if any(file_range.is_split for file_range in ranges):
            split_files = (
                outputs[_RANGES]
                | "Group ranges" >> beam.GroupByKey()
                | "Merge ranges" >> beam.MapTuple(merge_range_summaries)
            )
            result[FILES] = (outputs[FILES], split_files) | "All files" >> beam.Flatten()
            result[RECORD_OFFSETS] = (
                outputs[_RANGES]
                | "Pages per range"
                >> beam.MapTuple(lambda path, part: (path, part[0], part[1].pages, part[1].lines))
                | "All ranges" >> beam.combiners.ToList()
                | "Offsets" >> beam.Map(range_offsets)
            )
        return result


class _ReadFileFn(beam.DoFn):
    def __init__(self, max_page_bytes: int, progress_seconds: float, progress_folder: str | None) -> None:
        self._max_page_bytes = max_page_bytes
        self._progress = ProgressLine("read", progress_seconds, progress_folder)
        self._pages = Metrics.counter("read", "pages_read")
        self._rejects = Metrics.counter("read", "rejects")
        self._files = Metrics.counter("read", "files")
        self._bytes = Metrics.counter("read", "bytes")

    def process(self, file_range: FileRange) -> Iterable[Page | TaggedOutput]:
        path = file_range.path
        summary = DumpSummary(path=path, size=file_range.size)
        if file_range.chunk == 0:
            self._files.inc()
        self._bytes.inc(file_range.end - file_range.start)
        try:
            stream = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        except OSError as error:
            summary.pages, summary.rejects = 1, 1
            self._count(is_reject=True)
            where = Provenance(path, 0, file_range.chunk)
            yield TaggedOutput(REJECTS, Reject.of(where, "unreadable", f"the file cannot be opened: {error}"))
            yield self._summary(file_range, summary, None)
            return
        digests: bytes | None = None
        try:
            with stream:
                fail_point("read", path)
                whole: HashingReader | None = None
                if file_range.is_split:
                    items, range_hashing = read_file_range(stream, file_range, summary, self._max_page_bytes)
                else:
                    whole = HashingReader(stream)
                    items = read_dump(whole, path, summary, self._max_page_bytes)  # type: ignore[arg-type]
                for item in items:
                    if isinstance(item, Reject):
                        self._count(is_reject=True)
                        yield TaggedOutput(REJECTS, item)
                    else:
                        self._count(is_reject=False)
                        yield item
                if whole is None:
                    digests = range_hashing.finish()
                    summary.lines = range_hashing.newlines
                else:
                    summary.checksum = whole.finish()
        except Exception as error:  # noqa: BLE001 - re-raised with the file that caused it.
            raise InputFileError(f"{path}: {type(error).__name__}: {error}") from error
        yield self._summary(file_range, summary, digests)
        self._progress.advance(
            files=1 if file_range.chunk == 0 else 0,
            pages=summary.pages,
            size=file_range.end - file_range.start,
        )

    @staticmethod
    def _summary(file_range: FileRange, summary: DumpSummary, digests: bytes | None) -> TaggedOutput:
        if file_range.is_split:
            return TaggedOutput(_RANGES, (file_range.path, (file_range.chunk, summary, digests)))
        return TaggedOutput(FILES, summary)

    def finish_bundle(self) -> None:
        self._progress.flush()

    def teardown(self) -> None:
        self._progress.close()

    def _count(self, is_reject: bool) -> None:
        self._pages.inc()
        if is_reject:
            self._rejects.inc()
