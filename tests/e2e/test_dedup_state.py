"""The cross-run dedup index: its writer, and runs, reruns, compaction and a crashed run through the CLI."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from helpers.builders import article_html, prose
from helpers.cli import newsbeam, read_records

from newsbeam.pipeline.config.loader import load_config
from newsbeam.pipeline.config.options import beam_options, parse_run_args
from newsbeam.pipeline.running.execute import RunFailedError, execute_run

IN_MEMORY = ("--direct_running_mode", "in_memory", "--quiet")


def write_page(folder: Path, name: str, title: str, paragraphs: list[str], url: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(article_html(title, paragraphs, url), encoding="utf-8")


@pytest.fixture()
def first_dumps(tmp_path: Path) -> Path:
    folder = tmp_path / "night1"
    for n in range(3):
        write_page(folder, f"story{n}.html", f"Story {n}", prose(100 + n, 5), f"https://lantern.example/s{n}")
    syndicated = ["CORRIN (Pacific Wire) - " + prose(100, 5)[0], *prose(100, 5)[1:4]]  # agency line, last cut
    write_page(
        folder, "copy.html", "Another headline", syndicated, "https://valley.example/copy?utm_source=x"
    )
    return folder


def run(dumps: Path, output: Path, run_id: str, *extra: str) -> dict:
    result = newsbeam(
        "run", "--input", str(dumps), "--output", str(output), "--run-id", run_id, *IN_MEMORY, *extra
    )
    assert result.returncode == 0, result.stderr
    return orjson.loads((output / "_runs" / f"{run_id}.json").read_bytes())


def state_files(state: Path) -> list[str]:
    return sorted(path.name for path in (state / "dedup").glob("*.jsonl"))


@pytest.mark.slow
def test_second_run_writes_no_articles_and_points_every_page_at_the_first_runs(
    first_dumps: Path, tmp_path: Path
):
    output, state = tmp_path / "out", tmp_path / "state"
    first = run(first_dumps, output, "night1", "--state", str(state))
    assert (first["counts"]["articles"], first["counts"]["duplicates"]) == (3, 1)
    articles = {a["input"]["path"]: a for a in read_records(output, "articles")}
    (near,) = read_records(output, "duplicates")
    story0 = articles[str(first_dumps / "story0.html")]
    assert near["kind"] == "near" and near["duplicate_of"] == story0["id"] and 0.5 < near["similarity"] < 1.0
    assert story0["duplicate_count"] == 1 and story0["duplicate_urls"] == [near["url"]]
    assert state_files(state) == ["shard-night1-00000.jsonl"]

    second = run(first_dumps, output, "night2", "--state", str(state), "--reprocess")
    assert (second["counts"]["articles"], second["counts"]["duplicates"]) == (0, 4)
    again = [d for d in read_records(output, "duplicates") if d["run_id"] == "night2"]
    for duplicate in again:
        if duplicate["input"]["path"] in articles:
            assert duplicate["duplicate_of"] == articles[duplicate["input"]["path"]]["id"]
            assert (duplicate["kind"], duplicate["similarity"]) == ("exact", 1.0)
        else:
            assert duplicate["duplicate_of"] == story0["id"]
    assert state_files(state) == ["shard-night1-00000.jsonl"], "a run that kept nothing adds no shard"


@pytest.mark.slow
def test_a_new_copy_of_an_earlier_article_and_compaction(first_dumps: Path, tmp_path: Path):
    output, state = tmp_path / "out", tmp_path / "out" / "_state"  # the default --state
    run(first_dumps, output, "night1")
    night2 = tmp_path / "night2"
    write_page(night2, "new.html", "New story", prose(200, 5), "https://lantern.example/new")
    recopy = [*prose(101, 5), "Most read: council approves the ferry budget."]
    write_page(night2, "recopy.html", "Story 1 again", recopy, "https://other.example/recopy")
    second = run(night2, output, "night2")
    assert (second["counts"]["articles"], second["counts"]["duplicates"]) == (1, 1)
    earlier_ids = {a["id"] for a in read_records(output, "articles") if a["run_id"] == "night1"}
    (copy,) = [d for d in read_records(output, "duplicates") if d["run_id"] == "night2"]
    assert copy["duplicate_of"] in earlier_ids and copy["kind"] == "near"
    assert state_files(state) == ["shard-night1-00000.jsonl", "shard-night2-00000.jsonl"]

    compacted = newsbeam("state", "compact", "--state", str(state))
    assert compacted.returncode == 0, compacted.stderr
    assert "2 shards, 4 articles" in compacted.stdout
    (merged,) = state_files(state)
    assert merged.startswith("compact-night2-")
    third = run(night2, output, "night3", "--reprocess")
    assert (third["counts"]["articles"], third["counts"]["duplicates"]) == (0, 2)


@pytest.mark.slow
def test_rerunning_a_run_id_replaces_its_shard_instead_of_matching_itself(first_dumps: Path, tmp_path: Path):
    output = tmp_path / "out"
    for _ in range(2):
        manifest = run(first_dumps, output, "same")
        assert (manifest["counts"]["articles"], manifest["counts"]["duplicates"]) == (3, 1)
    assert state_files(output / "_state") == ["shard-same-00000.jsonl"]


@pytest.mark.slow
def test_a_failed_run_leaves_the_state_as_it_was(first_dumps: Path, tmp_path: Path, monkeypatch):
    output, state = tmp_path / "out", tmp_path / "state"
    run(first_dumps, output, "night1", "--state", str(state))
    before = {path.name: path.read_bytes() for path in (state / "dedup").iterdir()}

    def fail(**_: object) -> dict:
        raise RuntimeError("simulated crash after the pipeline")

    monkeypatch.setattr("newsbeam.pipeline.running.execute.build_manifest", fail)
    write_page(first_dumps, "late.html", "Late story", prose(300, 5), "https://lantern.example/late")
    options, beam_args = parse_run_args(
        ["--input", str(first_dumps), "--output", str(output), "--state", str(state), "--run-id", "night2"]
    )
    with pytest.raises(RunFailedError, match="simulated crash"):
        execute_run(
            options, load_config(), beam_options(["--direct_running_mode", "in_memory"]), say=lambda _: None
        )
    assert {path.name: path.read_bytes() for path in (state / "dedup").iterdir()} == before
    assert not any(path.name.startswith(".staging") for path in output.iterdir())


def test_near_duplicates_off_writes_no_state(first_dumps: Path, tmp_path: Path):
    config = tmp_path / "config.yaml"
    config.write_text("dedup:\n  near_duplicates: false\n", encoding="utf-8")
    output = tmp_path / "out"
    manifest = run(first_dumps, output, "plain", "--config", str(config))
    assert (manifest["counts"]["articles"], manifest["counts"]["duplicates"]) == (4, 0)
    assert not (output / "_state" / "dedup").exists(), "only the ledger is kept"
