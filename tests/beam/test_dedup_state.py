"""The writer of the cross-run dedup index: every kept node once, sorted, with either shuffle strategy."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import orjson
import pytest
from helpers.beam import TestPipeline
from helpers.builders import make_article, prose

from newsbeam.transforms.dedup.minhash import LshParams
from newsbeam.transforms.dedup.near import node_of
from newsbeam.transforms.dedup.state import WriteDedupState, node_from_record
from newsbeam.transforms.runtime.shuffle import OnDiskShuffle


@pytest.mark.parametrize("parked", [False, True], ids=["in-runner", "parked"])
def test_state_shards_hold_every_kept_node_once_sorted_by_id(tmp_path: Path, parked: bool):
    params = LshParams()
    stories = [f"story-{n:02d}" for n in (7, 3, 11, 1, 5)]
    bodies = [" ".join(prose(3, seed)) for seed in range(1, 6)]
    nodes = [node_of(make_article(id=i, body=body), params) for i, body in zip(stories, bodies, strict=True)]
    park = str(tmp_path / "staging" / "_parked" / "state") if parked else None
    run_id = "20250310T000000Z"
    shuffle = OnDiskShuffle(park) if park else None
    writer = WriteDedupState(str(tmp_path / "state"), run_id, params, per_file=2, shuffle=shuffle)
    with TestPipeline() as pipeline:
        _ = pipeline | beam.Create(nodes) | writer
    shards = sorted((tmp_path / "state" / "dedup").glob(f"shard-{run_id}-*.jsonl"))
    # 5 lines, at most 2 a file: 3 shards, which the ids' hashes may leave empty (then no file).
    assert shards and all(path.name[-11:] in {"00000.jsonl", "00001.jsonl", "00002.jsonl"} for path in shards)
    per_shard = [[orjson.loads(line) for line in path.read_bytes().splitlines()] for path in shards]
    for records in per_shard:
        assert [record["id"] for record in records] == sorted(record["id"] for record in records)
    written = [node_from_record(record, params) for records in per_shard for record in records]
    assert sorted(node.id for node in written) == sorted(stories)
    assert {node.id: node.signature for node in written} == {node.id: node.signature for node in nodes}
    assert any((tmp_path / "staging").rglob("*.bin")) == parked  # the lines waited in files
