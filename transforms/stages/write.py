"""The write stage: records to partitioned JSONL part files in a staging folder.

``WriteRun`` writes every article, duplicate and reject of a run under a *staging*
root, each part file under its final path (``docs/contracts.md``, relative to the output folder)::

    articles/section=<slug>/date=<YYYY-MM-DD|unknown>/part-<run_id>-<NNNNN>.jsonl
    duplicates/part-<run_id>-<NNNNN>.jsonl
    rejects/part-<run_id>-<NNNNN>.jsonl

flattened into ``STAGING/parts/<bucket>/`` (:func:`staged_name`: each ``/`` becomes ``~``,
which partition values never contain, and a hash of the path picks one of 256 buckets),
beside ``STAGING/_written.json``, what was written and read, for the manifest. Publishing
creates the partition folders once, in the output; a nested staging tree would make them
twice, and leave thousands of emptied folders to remove.

Nothing appears in the output folder from here: :mod:`newsbeam.pipeline.running.publish` moves the staged
files into place only once the whole pipeline has succeeded. Output is deterministic:
a partition is split into ``ceil(records / max_records_per_file)`` shards by a stable
hash of each record's sort key, and each file is sorted, so the same input gives the
same files in every running mode. Each record is encoded to JSON once, with orjson.

The lines wait for their partition's count parked through the run's
:class:`~newsbeam.transforms.runtime.shuffle.Shuffle`, one batch per partition per bundle:
a partition's batches are grouped and read back once per shard of it.

Files are created through Beam's ``FileSystems``, which creates missing parent folders
itself (local) or needs none (object stores); the tests read back what was written.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Iterable, Sequence
from typing import Any

import apache_beam as beam
import orjson
from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.formats.layout import (
    UNSAFE_CHARS,
    WRITTEN_SUMMARY,
    article_partition,
    encode_line,
    part_file_name,
    staged_name,
)
from newsbeam.transforms.formats.source import DumpSummary
from newsbeam.transforms.model import Article, Duplicate, Reject
from newsbeam.transforms.runtime.parking import BATCHES, ParkedBatch, read_batch
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, Shuffle

__all__ = ["WriteRun"]

#: Lines per parked file: a file holds all partitions' lines, and each partition present
#: in it gets a ref, so big files keep the refs few when partitions are many.
LINES_PER_FILE = 20_000


# One written line on its way to a part file: (partition, sort key, label, line).
# ``label`` is what the manifest counts per kind: an article's section, a reject's reason.
Line = tuple[str, str, str, bytes]


def _article_line(article: Article, partition_by: Sequence[str], run_id: str) -> Line:
    return (
        article_partition(article, partition_by),
        article.id,
        article.section,
        encode_line(article, run_id),
    )


def _duplicate_line(duplicate: Duplicate, run_id: str) -> Line:
    key = f"{duplicate.id}\x00{duplicate.input.path}\x00{duplicate.input.record:012d}"
    return "duplicates", key, duplicate.kind, encode_line(duplicate, run_id)


def _reject_line(reject: Reject, run_id: str) -> Line:
    key = f"{reject.input.path}\x00{reject.input.record:012d}"
    return "rejects", key, reject.reason, encode_line(reject, run_id)


def _stable_shard(sort_key: str, shards: int) -> int:
    if shards == 1:
        return 0
    digest = hashlib.blake2b(sort_key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


class WriteRun(beam.PTransform):
    """Write a run's records to ``staging`` (see the module docstring).

    Takes a dict with ``articles``, ``duplicates``, ``rejects`` and ``files`` (the read
    stage's :class:`DumpSummary` records); returns the PCollection holding the one
    summary document it wrote to ``STAGING/_written.json``.
    """

    def __init__(
        self,
        staging: str,
        run_id: str,
        partition_by: Sequence[str],
        max_records_per_file: int,
        shuffle: Shuffle | None = None,
    ) -> None:
        super().__init__()
        if not run_id or UNSAFE_CHARS.search(run_id):
            raise ValueError(f"run id {run_id!r} must be non-empty letters, digits, '.', '_' or '-'")
        if max_records_per_file < 1:
            raise ValueError(f"max_records_per_file must be positive, not {max_records_per_file}")
        self._staging = staging.rstrip("/")
        self._run_id = run_id
        self._partition_by = tuple(partition_by)
        self._max_records = max_records_per_file
        self._shuffle = shuffle or InRunnerShuffle()

    def expand(self, records: dict[str, beam.PCollection]) -> beam.PCollection[dict[str, Any]]:
        run_id = self._run_id
        partition_by = self._partition_by
        lines = {
            "articles": records["articles"]
            | "Encode articles" >> beam.Map(_article_line, partition_by, run_id),
            "duplicates": records["duplicates"] | "Encode duplicates" >> beam.Map(_duplicate_line, run_id),
            "rejects": records["rejects"] | "Encode rejects" >> beam.Map(_reject_line, run_id),
        }
        # Parked where they are encoded: a Flatten of streams that come from different stages
        # is a buffer of the runner, which would hold every line of the run.
        batches = [
            (
                stream
                | f"Park {kind}"
                >> self._shuffle.park(_pack_line, key=_partition_of_line, records_per_batch=LINES_PER_FILE)
            )[BATCHES]
            for kind, stream in lines.items()
        ]
        written = (
            batches
            | "All batches" >> beam.Flatten()
            | "Group partitions" >> beam.GroupByKey()
            | "Write part files"
            >> beam.FlatMap(_write_partition, staging=self._staging, run_id=run_id, most=self._max_records)
            | "Collect" >> beam.combiners.ToList()
        )
        read_totals = records["files"] | "Sum files" >> beam.CombineGlobally(_ReadTotals())
        return written | "Write summary" >> beam.Map(
            _write_summary, read_totals=beam.pvalue.AsSingleton(read_totals), staging=self._staging
        )


def _partition_of_line(line: Line) -> str:
    return line[0]


def _pack_line(line: Line) -> bytes:
    return pickle.dumps(line[1:], protocol=pickle.HIGHEST_PROTOCOL)


def _write_partition(
    partition_batches: tuple[str, Iterable[ParkedBatch]], staging: str, run_id: str, most: int
) -> Iterable[dict[str, Any]]:
    """The part files of one partition: ``ceil(lines / most)`` shards, each sorted by key.

    Each shard reads the partition's batches again and keeps its own lines, so a worker
    holds one shard at a time, not the partition.
    """
    partition, batches = partition_batches
    batches = list(batches)
    shards = math.ceil(sum(batch.count for batch in batches) / most)
    for index in range(shards):
        lines: list[tuple[str, str, bytes]] = [
            line
            for batch in batches
            for line in map(pickle.loads, read_batch(batch))
            if _stable_shard(line[0], shards) == index
        ]
        yield _write_part_file(partition, index, lines, staging, run_id)


def _write_part_file(
    partition: str, index: int, lines: list[tuple[str, str, bytes]], staging: str, run_id: str
) -> dict[str, Any]:
    lines.sort(key=lambda line: line[0])
    relative = f"{partition}/{part_file_name(run_id, index)}"
    staged = staged_name(relative)
    labels: dict[str, int] = {}
    with FileSystems.create(f"{staging}/{staged}") as handle:
        for _, label, encoded in lines:
            handle.write(encoded)
            labels[label] = labels.get(label, 0) + 1
    return {
        "file": relative,
        "staged": staged,
        "kind": partition.split("/", 1)[0],
        "lines": len(lines),
        "labels": labels,
    }


class _ReadTotals(beam.CombineFn):
    """The read stage's totals over its files' :class:`DumpSummary` records, for the manifest."""

    _MAPS = ("skipped_by_type", "not_html_types", "http_statuses")

    def create_accumulator(self) -> dict[str, Any]:
        return {"files": 0, "pages_read": 0, "skipped_records": 0, **{name: {} for name in self._MAPS}}

    def add_input(self, totals: dict[str, Any], summary: DumpSummary) -> dict[str, Any]:
        totals["files"] += 1
        totals["pages_read"] += summary.pages
        totals["skipped_records"] += summary.skipped_records
        for name in self._MAPS:
            for key, count in getattr(summary, name).items():
                totals[name][key] = totals[name].get(key, 0) + count
        return totals

    def merge_accumulators(self, accumulators: Iterable[dict[str, Any]]) -> dict[str, Any]:
        merged = self.create_accumulator()
        for totals in accumulators:
            for name in ("files", "pages_read", "skipped_records"):
                merged[name] += totals[name]
            for name in self._MAPS:
                for key, count in totals[name].items():
                    merged[name][key] = merged[name].get(key, 0) + count
        return merged

    def extract_output(self, totals: dict[str, Any]) -> dict[str, Any]:
        return {
            key: dict(sorted(value.items())) if isinstance(value, dict) else value
            for key, value in totals.items()
        }


def _write_summary(
    written: list[dict[str, Any]], read_totals: dict[str, Any], staging: str
) -> dict[str, Any]:
    summary = {"files": sorted(written, key=lambda item: item["file"]), "read": read_totals}
    with FileSystems.create(f"{staging}/{WRITTEN_SUMMARY}") as handle:
        handle.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    return summary
