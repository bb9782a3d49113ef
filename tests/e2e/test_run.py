"""The CLI end to end on examples/dumps: layout, invariant, known articles, running modes, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from helpers.builders import REPO
from helpers.cli import DUMPS, newsbeam, read_records

from newsbeam.transforms.model import ARTICLE_FIELDS

EXPECTED = json.loads(
    (REPO / "tests" / "fixtures" / "example_dumps_expected.json").read_text(encoding="utf-8")
)


def relative_input(record: dict) -> tuple[str, int]:
    return str(Path(record["input"]["path"]).relative_to(DUMPS)), record["input"]["record"]


def test_layout_manifest_and_invariant(example_run: Path):
    manifest = json.loads((example_run / "_runs" / "e2e.json").read_text())
    counts = manifest["counts"]
    assert counts["pages_read"] == counts["articles"] + counts["duplicates"] + counts["rejects"]
    for key in ("pages_read", "articles", "duplicates", "rejects", "files", "warc_records_skipped"):
        assert counts[key] == EXPECTED[key], key
    assert manifest["rejects_by_reason"] == EXPECTED["rejects_by_reason"]
    assert manifest["status"] == "succeeded" and len(manifest["config_sha256"]) == 64
    assert {"apache-beam", "newsbeam", "python"} <= set(manifest["versions"])

    articles = read_records(example_run, "articles")
    assert len(articles) == counts["articles"] and len({a["id"] for a in articles}) == len(articles)
    assert len(read_records(example_run, "duplicates")) == counts["duplicates"]
    assert len(read_records(example_run, "rejects")) == counts["rejects"]
    assert sum(manifest["sections"].values()) == counts["articles"]
    for path in (example_run / "articles").rglob("*.jsonl"):
        section, date = path.parent.parent.name, path.parent.name
        assert (
            path.name.startswith("part-e2e-") and section.startswith("section=") and date.startswith("date=")
        )
        for line in path.read_bytes().splitlines():
            record = orjson.loads(line)
            assert list(record)[: len(ARTICLE_FIELDS)] == list(ARTICLE_FIELDS)
            assert section == f"section={record['section']}"
    leftovers = [p.name for p in example_run.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "no staging folder or lock is left behind"


def test_every_page_is_accounted_for_once(example_run: Path):
    seen = [
        relative_input(r)
        for folder in ("articles", "duplicates", "rejects")
        for r in read_records(example_run, folder)
    ]
    assert len(seen) == len(set(seen)) == EXPECTED["pages_read"]
    expected = {(p["path"], p["record"]): p for p in EXPECTED["pages"]}
    for reject in read_records(example_run, "rejects"):
        page = expected[relative_input(reject)]
        assert (page["outcome"], page["reason"]) == ("reject", reject["reason"]), page
        assert reject["detail"] and reject["run_id"] == "e2e"


def test_duplicates_point_at_a_kept_article_of_their_group(example_run: Path):
    by_id = {a["id"]: a for a in read_records(example_run, "articles")}
    groups = [{(m["path"], m["record"]) for m in group} for group in EXPECTED["duplicate_groups"]]
    for duplicate in read_records(example_run, "duplicates"):
        kept = by_id[duplicate["duplicate_of"]]
        group = next(g for g in groups if relative_input(duplicate) in g)
        assert relative_input(kept) in group
        assert duplicate["kind"] == "exact" and duplicate["similarity"] == 1.0


@pytest.mark.parametrize("known", EXPECTED["known_articles"], ids=lambda known: known["key"])
def test_known_articles_field_by_field(example_run: Path, known: dict):
    matches = [a for a in read_records(example_run, "articles") if known["match"] in a["body"]]
    assert len(matches) == 1, f"{known['key']} should be written once"
    article = matches[0]
    for field in ("title", "authors", "published_at", "url", "source", "dateline", "captions", "language"):
        if field in known:
            assert article[field] == known[field], field
    if known.get("section") is not None:
        assert article["section"] == known["section"]
        assert article["section_signal"] in ("metadata", "breadcrumb", "url")
    paragraphs = article["body"].split("\n\n")
    assert paragraphs[0].startswith(known["first_paragraph_startswith"])
    assert paragraphs[-1].endswith(known["last_paragraph_endswith"])
    for boilerplate in known["body_must_not_contain"]:
        assert boilerplate not in article["body"]
    assert article["word_count"] == len(article["body"].split()) or article["word_count"] > 0


@pytest.mark.slow
def test_multi_processing_writes_identical_records(example_run: Path, tmp_path: Path):
    output = tmp_path / "multi"
    result = newsbeam(
        "run",
        "--input",
        str(DUMPS),
        "--output",
        str(output),
        "--run-id",
        "e2e",
        "--direct_running_mode",
        "multi_processing",
        "--direct_num_workers",
        "2",
    )
    assert result.returncode == 0, result.stderr
    for folder in ("articles", "duplicates", "rejects"):
        first = sorted((example_run / folder).rglob("*.jsonl"))
        second = sorted((output / folder).rglob("*.jsonl"))
        assert [p.relative_to(example_run) for p in first] == [p.relative_to(output) for p in second]
        for a, b in zip(first, second, strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.slow
def test_rerun_with_the_same_id_replaces_only_that_run(tmp_path: Path):
    output = tmp_path / "out"
    one_file = DUMPS / "harbourtimes" / "politics"
    assert (
        newsbeam(
            "run",
            "--input",
            str(DUMPS),
            "--output",
            str(output),
            "--run-id",
            "first",
            "--direct_running_mode",
            "in_memory",
        ).returncode
        == 0
    )
    for _ in range(2):
        result = newsbeam(
            "run",
            "--input",
            str(one_file),
            "--output",
            str(output),
            "--run-id",
            "second",
            "--reprocess",  # "first" consumed the file already (the ledger would skip it)
            "--direct_running_mode",
            "in_memory",
        )
        assert result.returncode == 0, result.stderr
    first_files = list(output.rglob("part-first-*.jsonl"))
    second_lines = [line for p in output.rglob("part-second-*.jsonl") for line in p.read_bytes().splitlines()]
    assert len(first_files) > 5
    assert len(second_lines) == 1
    assert sorted(p.name for p in (output / "_runs").iterdir()) == ["first.json", "second.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input", "does/not/exist"], "--input 'does/not/exist' matches no file"),
        (["--input", str(DUMPS), "--bogus-flag", "1"], "unknown option --bogus-flag"),
        (["--input", str(DUMPS), "--run-id", "a/b"], "--run-id 'a/b' may only hold"),
        (["--input", str(DUMPS), "--runner", "DaskRunner"], "--runner DaskRunner is not supported"),
    ],
)
def test_bad_usage_exits_2_with_one_sentence(tmp_path: Path, args: list[str], message: str):
    result = newsbeam("run", "--output", str(tmp_path / "out"), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists(), "no work starts on bad usage"


def test_bad_config_exits_2(tmp_path: Path):
    config = tmp_path / "bad.yaml"
    config.write_text("parse:\n  min_words: -5\n")
    result = newsbeam(
        "run", "--input", str(DUMPS), "--output", str(tmp_path / "out"), "--config", str(config)
    )
    assert result.returncode == 2 and "parse.min_words must be at least 0" in result.stderr


@pytest.mark.slow
def test_a_live_lock_exits_3_and_a_stale_lock_is_taken_over(tmp_path: Path):
    output = tmp_path / "out"
    output.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        import socket

        lock = output / ".newsbeam.lock"
        lock.write_text(json.dumps({"host": socket.gethostname(), "pid": sleeper.pid, "run_id": "other"}))
        one_file = str(DUMPS / "harbourtimes" / "politics")
        held = newsbeam(
            "run", "--input", one_file, "--output", str(output), "--direct_running_mode", "in_memory"
        )
        assert held.returncode == 3 and "another newsbeam run (run id other" in held.stderr
        sleeper.kill()
        sleeper.wait()
        taken = newsbeam(
            "run", "--input", one_file, "--output", str(output), "--direct_running_mode", "in_memory"
        )
        assert taken.returncode == 0, taken.stderr
        assert not lock.exists()
    finally:
        sleeper.kill()


def test_too_many_failures_publishes_and_exits_4(tmp_path: Path):
    output = tmp_path / "out"
    result = newsbeam(
        "run",
        "--input",
        str(DUMPS / "broken"),
        "--output",
        str(output),
        "--run-id",
        "bad",
        "--max-reject-ratio",
        "0.4",
        "--direct_running_mode",
        "in_memory",
    )
    # blob.html is undecodable (a failure); empty.html is empty_file, a filter that does not count.
    assert (
        result.returncode == 4
        and "50% of pages failed" in result.stderr
        and "--max-reject-ratio" in result.stderr
    )
    assert json.loads((output / "_runs" / "bad.json").read_text())["failure_ratio"] == 0.5
    assert (output / "_runs" / "bad.json").is_file()
    assert len(read_records(output, "rejects")) == 2
