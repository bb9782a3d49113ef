"""The cross-run dedup index: the articles earlier runs kept, as JSONL shards under ``--state``.

Layout (any filesystem Beam's ``FileSystems`` knows: local, ``gs://``, ``s3://``)::

    STATE/dedup/shard-<run_id>-<NNNNN>.jsonl     one line per article the run kept
    STATE/dedup/compact-<run_id>-<gen>-<NNNNN>.jsonl   written by `newsbeam state compact`

A line is compact: the article's ``id``, ``url``, ``content_hash``, ``published_at``,
``word_count``, the size of its shingle set, its MinHash signature (base64 of
``num_perm`` little-endian ``uint32``), the ``tag`` naming the signature's parameters and
the ``run_id`` that kept it; about 0.9 KB with the defaults. Band keys are not stored:
they are recomputed from the signature with the current bands and rows, so those can
change between runs. A signature whose tag differs from the current parameters is not
compared; the article still matches new pages by exact hash and by URL.

A run writes its shard under its staging folder (:class:`WriteDedupState`); publishing
moves it into ``STATE/dedup/`` with the run's part files, before the manifest, so a run
that fails leaves the state as it was. A run reads every shard except its own run id's
records (:class:`ReadDedupState`), so running again with the same run id replaces that
run's shard instead of matching the run against itself. :func:`compact_state` merges
all shards into a few, one line per article id (the earliest run's).
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
import orjson
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from newsbeam.transforms.coders import pack_value, unpack_value
from newsbeam.transforms.dedup.minhash import LshParams
from newsbeam.transforms.dedup.near import STATE, Node
from newsbeam.transforms.runtime.parking import BATCHES, ParkedBatch, read_batch
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, Shuffle

__all__ = [
    "ReadDedupState",
    "WriteDedupState",
    "compact_state",
    "node_from_record",
    "state_glob",
    "state_record",
]

STATE_FOLDER = "dedup"
RECORDS_PER_FILE = 100_000


def state_glob(state_dir: str) -> str:
    return f"{state_dir.rstrip('/')}/{STATE_FOLDER}/*.jsonl"


def state_record(node: Node, run_id: str, params: LshParams) -> dict[str, Any]:
    return {
        "id": node.id,
        "url": node.url,
        "content_hash": node.content_hash,
        "published_at": node.published_at,
        "word_count": node.word_count,
        "shingles": node.shingles,
        "signature": base64.b64encode(node.signature).decode("ascii"),
        "tag": params.signature_tag,
        "run_id": node.run_id or run_id,
    }


def node_from_record(record: dict[str, Any], params: LshParams) -> Node:
    """A state line as a node of the near-dedup graph; an incomparable signature is left out."""
    comparable = record.get("tag") == params.signature_tag
    return Node(
        key=STATE + record["id"],
        id=record["id"],
        url=record.get("url"),
        published_at=record.get("published_at"),
        word_count=int(record.get("word_count") or 0),
        content_hash=record.get("content_hash") or "",
        shingles=int(record.get("shingles") or 0),
        signature=base64.b64decode(record["signature"]) if comparable and record.get("signature") else b"",
        run_id=str(record.get("run_id") or ""),
    )


def _read_lines(readable: fileio.ReadableFile) -> Iterable[bytes]:
    with readable.open() as handle:
        for line in handle:
            if line.strip():
                yield line


class _DecodeFn(beam.DoFn):
    def __init__(self, run_id: str, params: LshParams) -> None:
        self._run_id = run_id
        self._params = params
        self._read = Metrics.counter("dedup_state", "records_read")
        self._incomparable = Metrics.counter("dedup_state", "incomparable_signatures")

    def process(self, line: bytes) -> Iterable[Node]:
        record = orjson.loads(line)
        if record.get("run_id") == self._run_id:
            return  # this run's own shard, left by an earlier attempt with the same run id
        self._read.inc()
        node = node_from_record(record, self._params)
        if not node.signature:
            self._incomparable.inc()
        yield node


class ReadDedupState(beam.PTransform):
    """Every article earlier runs kept, as :class:`Node` s (none when the state is empty)."""

    def __init__(self, state_dir: str, run_id: str, params: LshParams) -> None:
        super().__init__()
        self._pattern = state_glob(state_dir)
        self._run_id = run_id
        self._params = params

    def expand(self, begin: beam.pvalue.PBegin) -> beam.PCollection[Node]:
        return (
            begin
            | "Match shards" >> fileio.MatchFiles(self._pattern, empty_match_treatment="ALLOW")
            | "Open shards" >> fileio.ReadMatches(compression=CompressionTypes.UNCOMPRESSED)
            | "Lines" >> beam.FlatMap(_read_lines)
            | "Decode" >> beam.ParDo(_DecodeFn(self._run_id, self._params))
        )


def _shard_of(article_id: str, shards: int) -> int:
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def _write_shard(grouped: tuple[int, Iterable[tuple[str, bytes]]], folder: str, name: str) -> str:
    shard, lines = grouped
    path = f"{folder}/{name}-{shard:05d}.jsonl"
    with FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        for _, line in sorted(lines):
            handle.write(line)
    return path


class WriteDedupState(beam.PTransform):
    """Kept articles' nodes in; ``FOLDER/dedup/shard-<run_id>-NNNNN.jsonl`` written (sorted by id).

    The lines wait for their count (which decides the number of shards), then for their
    shard, through ``shuffle``.
    """

    def __init__(
        self,
        folder: str,
        run_id: str,
        params: LshParams,
        per_file: int = RECORDS_PER_FILE,
        shuffle: Shuffle | None = None,
    ) -> None:
        super().__init__()
        self._folder = f"{folder.rstrip('/')}/{STATE_FOLDER}"
        self._run_id = run_id
        self._params = params
        self._per_file = per_file
        self._shuffle = shuffle or InRunnerShuffle()

    def expand(self, nodes: beam.PCollection[Node]) -> beam.PCollection[str]:
        encoded = nodes | "Encode" >> beam.Map(
            lambda node, run_id, params: (node.id, orjson.dumps(state_record(node, run_id, params)) + b"\n"),
            run_id=self._run_id,
            params=self._params,
        )
        # Until the count is known, the runner holds what the step waiting for it reads:
        # the batches' refs, so that step both reads the lines back and keys them.
        batches = (encoded | "Park lines" >> self._shuffle.park(pack_value))[BATCHES]
        count = (
            batches
            | "Lines per batch" >> beam.Map(lambda batch: batch.count)
            | "Count" >> beam.CombineGlobally(sum)
        )
        shards = count | "Shards" >> beam.Map(_shard_count, per_file=self._per_file)
        return (
            batches
            | "Key by shard" >> beam.FlatMap(_parked_lines_by_shard, shards=beam.pvalue.AsSingleton(shards))
            | "Group shards" >> self._shuffle.group_by_key()
            | "Write shards" >> beam.Map(_write_shard, folder=self._folder, name=f"shard-{self._run_id}")
        )


def _shard_count(lines: int, per_file: int) -> int:
    return max(1, math.ceil(lines / per_file))


def _by_shard(line: tuple[str, bytes], shards: int) -> tuple[int, tuple[str, bytes]]:
    return _shard_of(line[0], shards), line


def _parked_lines_by_shard(batch: ParkedBatch, shards: int) -> Iterator[tuple[int, tuple[str, bytes]]]:
    for packed in read_batch(batch):
        yield _by_shard(unpack_value(packed), shards)


def compact_state(state_dir: str, per_file: int = RECORDS_PER_FILE) -> dict[str, int]:
    """Merge every shard of ``state_dir`` into ``compact-<newest run id>-<gen>-NNNNN.jsonl`` files.

    One line per article id is kept (the earliest run's). The merged files are written
    aside, renamed into place, and only then are the old shards deleted, so a compaction
    that stops half-way leaves lines twice, never none; a run reading them keeps one.
    Runs in this process and holds the ids in memory (about 100 bytes each).
    """
    matched = FileSystems.match([state_glob(state_dir)])[0].metadata_list
    paths = sorted(metadata.path for metadata in matched)
    if not paths:
        return {"shards": 0, "records": 0, "files": 0}
    best: dict[str, tuple[str, bytes]] = {}
    for path in paths:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = orjson.loads(line)
                candidate = (str(record.get("run_id") or ""), line if line.endswith(b"\n") else line + b"\n")
                if record["id"] not in best or candidate < best[record["id"]]:
                    best[record["id"]] = candidate
    newest = max(run_id for run_id, _ in best.values()) or "state"
    # A name no input has, so no input is overwritten before the merged lines are in place.
    generation = hashlib.blake2b("\n".join(paths).encode("utf-8"), digest_size=4).hexdigest()
    files = max(1, math.ceil(len(best) / per_file))
    folder = f"{state_dir.rstrip('/')}/{STATE_FOLDER}"
    buckets: dict[int, list[tuple[str, bytes]]] = {}
    for article_id, (_, line) in best.items():
        buckets.setdefault(_shard_of(article_id, files), []).append((article_id, line))
    written = []
    for shard in range(files):
        final = f"{folder}/compact-{newest}-{generation}-{shard:05d}.jsonl"
        aside = f"{final}.tmp"
        with FileSystems.create(aside, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            for _, line in sorted(buckets.get(shard, [])):
                handle.write(line)
        written.append((aside, final))
    for aside, final in written:
        FileSystems.rename([aside], [final])
    finals = {final for _, final in written}
    merged = [path for path in paths if path not in finals]
    if merged:
        FileSystems.delete(merged)
    return {"shards": len(paths), "records": len(best), "files": files}
