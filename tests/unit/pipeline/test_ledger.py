"""The ledger's decisions, checksums while reading, stage timings and publish planning, without a runner."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
from pathlib import Path

import orjson
import pytest

from newsbeam.pipeline.cli.watch import complete_files
from newsbeam.pipeline.running.ledger import (
    READER_RELEASE,
    InputFile,
    LedgerEntry,
    is_consumed,
    ledger_key,
    ledger_shard_lines,
    list_input_files,
    load_ledger,
    select_files,
)
from newsbeam.pipeline.running.publish import (
    _earlier_part_files,
    _earlier_state_files,
    complete_publish,
    plan_publish,
)
from newsbeam.transforms.formats.checksum import LEGACY_ALGORITHM, HashingReader, file_checksum
from newsbeam.transforms.formats.layout import staged_name
from newsbeam.transforms.runtime.timing import stage_timings

FILE = InputFile("/d/a.html", 100, 1000.0)


def entry(size: int = 100, mtime: float = 1000.0, checksum: str = "c1") -> LedgerEntry:
    return LedgerEntry("/d/a.html", size, mtime, checksum, "earlier")


def never(path: str, algorithm: str) -> str:
    raise AssertionError(f"{path} should not be hashed")


def test_same_size_and_time_is_consumed_without_hashing():
    assert is_consumed(FILE, [entry()], never)


def test_another_size_is_read_again_without_hashing():
    assert not is_consumed(FILE, [entry(size=99)], never)


def test_a_touched_file_is_hashed_and_skipped_only_if_its_content_is_the_same():
    assert is_consumed(FILE, [entry(mtime=5.0)], lambda path, algorithm: "c1")
    assert not is_consumed(FILE, [entry(mtime=5.0)], lambda path, algorithm: "c2")


def test_verify_hashes_even_when_size_and_time_match():
    assert not is_consumed(FILE, [entry()], lambda path, algorithm: "changed", verify=True)
    assert is_consumed(FILE, [entry()], lambda path, algorithm: "c1", verify=True)


def test_an_entry_without_checksum_never_matches():
    assert not is_consumed(FILE, [entry(checksum="")], never)


def test_a_recorded_checksum_is_compared_in_its_own_algorithm():
    asked = []

    def checksum_of(path: str, algorithm: str) -> str:
        asked.append(algorithm)
        return {"blake2b-128": "0123abcd", "xxh3-128": "xxh3-128:0123abcd"}[algorithm]

    assert is_consumed(FILE, [entry(mtime=5.0, checksum="0123abcd")], checksum_of)
    assert is_consumed(FILE, [entry(mtime=5.0, checksum="xxh3-128:0123abcd")], checksum_of)
    assert asked == ["blake2b-128", "xxh3-128"]
    # A checksum of an algorithm this release does not know cannot be checked: read the file again.
    assert not is_consumed(FILE, [entry(mtime=5.0, checksum="sha3-512:0123abcd")], never)


def test_checksums_of_earlier_releases_still_match_their_files(tmp_path: Path):
    data = os.urandom((1 << 20) + 4321)  # two blocks, the second short
    path = tmp_path / "dump.warc.gz"
    path.write_bytes(data)
    blocks = [data[: 1 << 20], data[1 << 20 :]]
    block_digests = b"".join(hashlib.blake2b(block, digest_size=16).digest() for block in blocks)
    legacy = hashlib.blake2b(block_digests, digest_size=16).hexdigest()
    assert file_checksum(str(path), LEGACY_ALGORITHM) == legacy
    current = file_checksum(str(path))
    assert current.startswith("xxh3-128:") and len(current) == len("xxh3-128:") + 32
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert file_checksum(str(path)) != current


def test_select_files_splits_and_reprocess_reads_everything():
    other = InputFile("/d/b.html", 5, 1.0)
    ledger = {"/d/a.html": [entry()]}
    selection = select_files([FILE, other], ledger, checksum_of=never)
    assert selection.to_read == (other,) and selection.skipped == (FILE,)
    assert select_files([FILE, other], ledger, reprocess=True, checksum_of=never).to_read == (FILE, other)


def test_each_file_is_hashed_at_most_once():
    calls = []
    ledger = {"/d/a.html": [entry(mtime=1.0, checksum="x"), entry(mtime=2.0, checksum="y")]}
    select_files([FILE], ledger, checksum_of=lambda path, algorithm: calls.append(path) or "z")
    assert calls == ["/d/a.html"]


def test_shard_lines_are_sorted_deterministic_and_leave_out_files_without_checksum(tmp_path: Path):
    files = [InputFile("/d/b", 2, 2.0), InputFile("/d/a", 1, 1.0), InputFile("/d/c", 3, 3.0)]
    body = ledger_shard_lines(files, {"/d/a": "ha", "/d/b": "hb"}, "r1")
    assert body == ledger_shard_lines(list(reversed(files)), {"/d/b": "hb", "/d/a": "ha"}, "r1")
    records = [orjson.loads(line) for line in body.splitlines()]
    assert [record["path"] for record in records] == ["/d/a", "/d/b"]
    assert records[0] == {"path": "/d/a", "size": 1, "mtime": 1.0, "checksum": "ha", "run_id": "r1"}


def test_a_file_the_readers_failed_on_is_read_again_by_another_release(tmp_path: Path):
    files = [InputFile("/d/scan.html", 100, 1000.0), InputFile("/d/a.html", 100, 1000.0)]
    body = ledger_shard_lines(files, {"/d/scan.html": "c1", "/d/a.html": "c1"}, "r1", failed={"/d/scan.html"})
    records = {record["path"]: record for record in map(orjson.loads, body.splitlines())}
    assert records["/d/scan.html"]["reader"] == READER_RELEASE and "reader" not in records["/d/a.html"]
    this_release = LedgerEntry(**records["/d/scan.html"])
    assert is_consumed(FILE, [this_release], never)  # the same readers would fail again
    earlier = LedgerEntry("/d/a.html", 100, 1000.0, "c1", "old", reader="0.1.0")
    assert not is_consumed(FILE, [earlier], never)  # these readers may read it


def test_load_ledger_ignores_the_shard_of_the_run_being_rerun(tmp_path: Path):
    (tmp_path / "ledger").mkdir()
    for run_id in ("one", "two"):
        line = ledger_shard_lines([InputFile(f"/d/{run_id}", 1, 1.0)], {f"/d/{run_id}": "h"}, run_id)
        (tmp_path / "ledger" / f"{run_id}.jsonl").write_bytes(line)
    assert set(load_ledger(str(tmp_path))) == {"/d/one", "/d/two"}
    assert set(load_ledger(str(tmp_path), ignore_run_id="two")) == {"/d/one"}
    assert load_ledger(str(tmp_path / "missing")) == {}


def test_listing_skips_hidden_files_and_done_markers_and_keys_are_absolute(tmp_path: Path):
    (tmp_path / "a.html").write_text("x")
    (tmp_path / "a.html.done").write_text("")
    (tmp_path / ".partial.html").write_text("x")
    listed = list_input_files([str(tmp_path)])
    assert [Path(item.path).name for item in listed] == ["a.html"] and listed[0].size == 1
    assert ledger_key("relative/x.html").startswith("/") and ledger_key("gs://b/x") == "gs://b/x"


@pytest.mark.parametrize("read_only", [0, 10, 10_000])
def test_hashing_reader_covers_the_whole_file_however_much_the_parser_read(tmp_path: Path, read_only: int):
    data = gzip.compress(b"<p>page</p>" * 500)
    path = tmp_path / "page.html.gz"
    path.write_bytes(data)
    reader = HashingReader(io.BytesIO(data))
    if read_only:
        reader.read1(read_only)
    assert reader.finish() == file_checksum(str(path))


def test_stage_timings_are_completion_times_and_what_each_stage_added():
    timings = stage_timings(
        {"read_parse": 3000, "dedup": 3500, "write": 4000}, 1000, ("read_parse", "dedup", "classify", "write")
    )
    assert timings == {
        "stages": {"read_parse": 2.0, "dedup": 0.5, "write": 0.5},
        "finished_after": {"read_parse": 2.0, "dedup": 2.5, "write": 3.0},
    }


def test_complete_files_wait_for_a_stable_size_or_a_marker():
    a, b, c = InputFile("/in/a", 1, 1.0), InputFile("/in/b", 2, 1.0), InputFile("/in/x/c", 3, 1.0)
    previous = {"/in/a": (1, 1.0), "/in/b": (1, 1.0)}
    assert complete_files([a, b, c], previous, set()) == [a]
    assert complete_files([a, b, c], {}, {"/in/b.done", "/in/x/.done"}) == [b, c]


def test_earlier_files_of_a_run_id_are_matched_exactly(tmp_path: Path):
    for name in ("part-a-00000.jsonl", "part-a-b-00000.jsonl", "part-a-00001.jsonl"):
        (tmp_path / "rejects").mkdir(exist_ok=True)
        (tmp_path / "rejects" / name).write_text("{}\n")
    for name in ("a.jsonl", "a.b.jsonl", "a-b.jsonl"):
        (tmp_path / "_state" / "ledger").mkdir(parents=True, exist_ok=True)
        (tmp_path / "_state" / "ledger" / name).write_text("{}\n")
    assert [Path(p).name for p in _earlier_part_files(str(tmp_path), "a")] == [
        "part-a-00000.jsonl",
        "part-a-00001.jsonl",
    ]
    assert [Path(p).name for p in _earlier_state_files(str(tmp_path / "_state"), "a")] == ["a.jsonl"]


def stage_part_file(staging: Path, relative: str, text: str) -> dict:
    """Stage one part file as WriteRun does; returns the written summary that names it."""
    staged = staging / staged_name(relative)
    staged.parent.mkdir(parents=True)
    staged.write_text(text)
    return {"files": [{"file": relative, "staged": staged_name(relative)}]}


def test_complete_publish_is_idempotent_and_removes_what_the_new_run_does_not_replace(tmp_path: Path):
    output, state = tmp_path / "out", tmp_path / "out" / "_state"
    (output / "rejects").mkdir(parents=True)
    (output / "rejects" / "part-r-00001.jsonl").write_text("old\n")  # the earlier run had two shards
    (output / "_runs").mkdir()
    (output / "_runs" / "r.json").write_text("{}")
    staging = output / ".staging-r"
    written = stage_part_file(staging, "rejects/part-r-00000.jsonl", "new\n")
    (staging / "_manifest.json").write_text('{"run_id": "r"}')
    (state / ".staging-r" / "ledger").mkdir(parents=True)
    (state / ".staging-r" / "ledger" / "r.jsonl").write_text("entry\n")
    plan = plan_publish(str(output), "r", str(staging), written, str(state))
    assert plan["remove"] == [str(output / "rejects" / "part-r-00001.jsonl")]
    complete_publish(plan)
    complete_publish(plan)  # a second pass (recovery after a kill at the very end) changes nothing
    assert (output / "rejects" / "part-r-00000.jsonl").read_text() == "new\n"
    assert not (output / "rejects" / "part-r-00001.jsonl").exists()
    assert (output / "_runs" / "r.json").read_text() == '{"run_id": "r"}'
    assert (state / "ledger" / "r.jsonl").read_text() == "entry\n"
    assert not staging.exists() and not (state / ".staging-r").exists()


def test_publishing_removes_the_partition_folders_a_replaced_run_left_empty(tmp_path: Path):
    output = tmp_path / "out"
    emptied = output / "articles" / "section=sport" / "date=2025-05-02"
    emptied.mkdir(parents=True)
    (emptied / "part-r-00000.jsonl").write_text("old\n")  # the earlier run of "r" wrote here
    shared = output / "articles" / "section=world" / "date=2025-05-02"
    shared.mkdir(parents=True)
    (shared / "part-r-00000.jsonl").write_text("old\n")
    (shared / "part-other-00000.jsonl").write_text("another run\n")
    untouched = output / "articles" / "section=health" / "date=2024-01-09"
    untouched.mkdir(parents=True)  # empty, but not this publish's doing: the archive is not walked
    staging = output / ".staging-r"
    written = stage_part_file(staging, "rejects/part-r-00000.jsonl", "new\n")
    (staging / "_manifest.json").write_text('{"run_id": "r"}')
    plan = plan_publish(str(output), "r", str(staging), written, None)
    plan["remove"] = [os.path.relpath(path) for path in plan["remove"]]  # as a relative --output gives them
    complete_publish(plan)
    assert not (output / "articles" / "section=sport").exists()
    assert sorted(p.name for p in shared.iterdir()) == ["part-other-00000.jsonl"]
    assert untouched.is_dir()
    assert (output / "rejects" / "part-r-00000.jsonl").read_text() == "new\n"


def test_a_failure_is_described_by_stage_input_file_and_exception():
    from newsbeam.pipeline.running.execute import _failure
    from newsbeam.transforms.stages.read import InputFileError

    read = _failure(
        InputFileError("/d/x.html: ValueError: bad byte [while running 'Read/Read/ParDo(_ReadFileFn)']"),
        "pipeline",
    )
    assert (read.stage, read.path, str(read)) == (
        "read",
        "/d/x.html",
        "ValueError: bad byte [while running 'Read/Read/ParDo(_ReadFileFn)']",
    )
    classify = _failure(KeyError("'x' [while running 'Classify/Map(classify)']"), "pipeline")
    assert (classify.stage, classify.path) == ("classify", None) and str(classify).startswith("KeyError: ")
    assert _failure(OSError("disk full"), "publish").stage == "publish"
