"""The two shuffle strategies give the same records: the whole pipeline with each, on the same dumps.

The DirectRunner parks and spills (OnDiskShuffle); every other runner uses Beam's own
GroupByKey (InRunnerShuffle). Here both run the full default graph, cross-run state
included, over the example dumps and a JSONL file read in byte ranges; the staged part
files, the written summary and the staged state shard must be byte-identical. The records
crossing stages use newsbeam's coders in both.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from apache_beam.runners import pipeline_context
from helpers.beam import TestPipeline
from helpers.builders import article_html, prose
from helpers.cli import DUMPS

from newsbeam.pipeline.config.loader import load_config
from newsbeam.pipeline.running.graph import build_pipeline
from newsbeam.transforms.runtime.shuffle import InRunnerShuffle, OnDiskShuffle, Shuffle

MIB = 1 << 20


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dumps")
    shutil.copytree(DUMPS, folder / "examples")
    # A JSONL file over one split (1 MiB): read in two ranges, its records renumbered after parse.
    lines, n = [], 0
    while sum(map(len, lines)) < MIB + 200_000:
        html = article_html(f"Council story {n}", prose(5, 100 + n), f"https://harbour.example/s/{n}")
        lines.append(orjson.dumps({"url": f"https://harbour.example/s/{n}", "html": html}) + b"\n")
        n += 1
    (folder / "big.jsonl").write_bytes(b"".join(lines))
    return folder


def _run(dumps: Path, root: Path, shuffle: Shuffle) -> dict[str, bytes]:
    config = load_config()
    config = type(config)(
        **{**config.__dict__, "parse": type(config.parse)(**{**config.parse.__dict__, "split_bytes": MIB})}
    )
    staging, state = root / "staging", root / "state"
    with TestPipeline() as pipeline:
        build_pipeline(pipeline, [str(dumps)], config, "same", str(staging), shuffle, state=str(state))
    staged = {
        str(path.relative_to(staging)): path.read_bytes()
        for path in sorted(staging.rglob("*"))
        if path.is_file() and "_parked" not in path.parts and "_inputs" not in path.parts
    }
    shard = state / ".staging-same" / "dedup"
    staged.update({f"state/{path.name}": path.read_bytes() for path in sorted(shard.glob("*.jsonl"))})
    return staged


def test_parking_and_spilling_give_the_records_the_runners_own_shuffle_gives(dumps: Path, tmp_path: Path):
    on_disk = OnDiskShuffle(str(tmp_path / "disk" / "staging" / "_parked"))
    by_files = _run(dumps, tmp_path / "disk", on_disk)
    in_runner = _run(dumps, tmp_path / "runner", InRunnerShuffle())
    assert sorted(by_files) == sorted(in_runner)
    assert any(name.startswith("state/shard-same-") for name in by_files)
    assert sum(name.startswith("parts/") for name in by_files) > 10
    for name, data in by_files.items():
        assert data == in_runner[name], name
    assert any((tmp_path / "disk" / "staging" / "_parked").rglob("*.bin")), "OnDiskShuffle parked in files"
    assert not (tmp_path / "runner" / "staging" / "_parked").exists()


def test_the_records_between_stages_use_newsbeams_coders(dumps: Path, tmp_path: Path):
    pipeline = TestPipeline()
    build_pipeline(pipeline, [str(dumps)], load_config(), "r", str(tmp_path / "staging"), InRunnerShuffle())
    proto = pipeline.to_runner_api()
    context = pipeline_context.PipelineContext(proto.components)
    coder_of = {}
    for transform in proto.components.transforms.values():
        if "/" not in transform.unique_name:  # the top-level steps: Read, Parse, Dedup, Classify, ...
            for tag, pcollection in transform.outputs.items():
                coder_id = proto.components.pcollections[pcollection].coder_id
                coder_of[(transform.unique_name, tag)] = type(context.coders.get_by_id(coder_id)).__name__
    for step, tag, coder in [
        ("Read", "pages", "PageCoder"),
        ("Read", "rejects", "RejectCoder"),
        ("Parse", "articles", "ArticleCoder"),
        ("Boilerplate", "articles", "ArticleCoder"),
        ("Dedup", "articles", "ArticleCoder"),
        ("Dedup", "duplicates", "DuplicateCoder"),
        ("Classify", "None", "ArticleCoder"),
        ("All rejects", "None", "RejectCoder"),
    ]:
        assert coder_of[(step, tag)] == coder, (step, tag)
