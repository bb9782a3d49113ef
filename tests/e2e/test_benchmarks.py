"""Smoke tests of the benchmark tools: the corpus generator and the run timer.

The generator's files must parse as the formats they claim (or be broken exactly where
``_corpus.json`` says), and its counts must match what is on disk. The run timer is only
exercised once the ``newsbeam`` command is installed.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import lxml.html
import orjson
import pytest
from helpers.builders import REPO
from warcio.archiveiterator import ArchiveIterator

BENCHMARKS = REPO / "benchmarks"
FORMATS = ("html.gz", "html", "txt", "jsonl.gz", "jsonl", "warc.gz")  # longest suffix first


def _generate(out: Path, *flags: str) -> dict:
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate_corpus.py"), "--out", str(out), *flags],
        check=True,
        capture_output=True,
    )
    return json.loads((out / "_corpus.json").read_text())


def _format(path: Path) -> str:
    return next(fmt for fmt in FORMATS if path.name.endswith("." + fmt))


def _jsonl_records(path: Path) -> list[dict | None]:
    """Each line decoded, or None for a line that is not a JSON object."""
    raw = path.read_bytes()
    data = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    records: list[dict | None] = []
    for line in data.splitlines():
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            record = None
        records.append(record if isinstance(record, dict) else None)
    return records


def _warc_responses(path: Path) -> list[bytes]:
    with path.open("rb") as f:
        return [r.content_stream().read() for r in ArchiveIterator(f) if r.rec_type == "response"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    # A high broken share so that every kind of breakage shows up in a small corpus.
    summary = _generate(out, "--pages", "60", "--seed", "3", "--broken-share", "0.15", "--jobs", "1")
    return out, summary


def test_every_file_parses_as_its_format_unless_listed_broken(corpus: tuple[Path, dict]) -> None:
    out, summary = corpus
    broken = {(b["path"], b["record"]): b["how"] for b in summary["broken"]}
    data = out / summary["input_dir"]
    seen_broken = set()
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        rel, fmt = str(path.relative_to(data)), _format(path)
        if fmt in ("jsonl", "jsonl.gz"):
            for i, record in enumerate(_jsonl_records(path)):
                if (rel, i) in broken:
                    assert record is None, f"{rel}:{i} should be malformed"
                    seen_broken.add((rel, i))
                else:
                    assert record is not None and set(record) == {"url", "html", "fetched_at"}
                    assert record["html"].startswith("<!DOCTYPE html>")
        elif fmt == "warc.gz":
            responses = _warc_responses(path)
            assert responses
            for i, payload in enumerate(responses):
                if (rel, i) in broken:  # the crawler died mid-record: the page is cut short
                    assert i == len(responses) - 1 and not payload.rstrip().endswith(b"</html>")
                    seen_broken.add((rel, i))
                else:
                    assert payload.startswith(b"<!DOCTYPE html>") and payload.endswith(b"</html>")
        elif (rel, 0) in broken:
            seen_broken.add((rel, 0))
            raw = path.read_bytes()
            if fmt == "html.gz":
                with pytest.raises((EOFError, zlib.error, OSError)):
                    gzip.decompress(raw)
            else:
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
        elif fmt == "html.gz":
            assert gzip.decompress(path.read_bytes()).decode().endswith("</html>")
        elif fmt == "html":
            assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        else:
            text = path.read_text(encoding="utf-8")
            assert text.strip() and "<" not in text
    assert seen_broken == set(broken), "every broken page listed in _corpus.json is on disk"
    assert {b["how"] for b in summary["broken"]} >= {"truncated_warc_record", "malformed_json_line"}


def test_counts_in_corpus_json_match_the_disk(corpus: tuple[Path, dict]) -> None:
    out, summary = corpus
    data = out / summary["input_dir"]
    files = [p for p in data.rglob("*") if p.is_file()]
    pages, count, size = Counter(), Counter(), Counter()
    for path in files:
        fmt = _format(path)
        count[fmt] += 1
        size[fmt] += path.stat().st_size
        if fmt.startswith("jsonl"):
            pages[fmt] += len(_jsonl_records(path))
        elif fmt == "warc.gz":
            pages[fmt] += len(_warc_responses(path))
        else:
            pages[fmt] += 1
    assert summary["pages"] == 60 == sum(pages.values())
    assert summary["files"] == dict(count)
    assert summary["files_total"] == len(files)
    assert summary["bytes"] == dict(size)
    assert summary["bytes_total"] == sum(size.values())
    assert summary["pages_by_format"] == dict(pages)
    assert sum(summary["pages_by_kind"].values()) == 60
    assert summary["pages_by_kind"]["broken"] == len(summary["broken"])
    truth = [orjson.loads(line) for f in (out / "_truth").iterdir() for line in f.read_bytes().splitlines()]
    assert Counter(t["kind"] for t in truth) == {k: n for k, n in summary["pages_by_kind"].items() if n}


def test_same_seed_gives_the_same_corpus(tmp_path: Path, corpus: tuple[Path, dict]) -> None:
    _, summary = corpus
    again = _generate(tmp_path, "--pages", "60", "--seed", "3", "--broken-share", "0.15", "--jobs", "2")
    for key in ("pages_by_format_and_kind", "files", "bytes", "broken"):
        assert again[key] == summary[key]


@pytest.mark.slow
def test_the_harness_times_a_corpus_in_both_modes_and_the_plain_loop(tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    common = [sys.executable, str(BENCHMARKS / "run.py"), "--work-dir", str(tmp_path / "work")]
    subprocess.run(
        [*common, "--pages", "60", "--modes", "in_memory", "--no-baseline", "--json", str(small)], check=True
    )
    subprocess.run(
        [*common, "--pages", "150", "--modes", "in_memory,multi_processing", "--json", str(large),
         "--compare-to", str(small)],
        check=True,
    )  # fmt: skip
    report = json.loads(large.read_text())
    by_mode = {result["mode"]: result for result in report["results"]}
    assert set(by_mode) == {"in_memory", "multi_processing"}
    # in_memory is Beam's one-worker mode; --workers (2 by default) is for multi_processing.
    assert by_mode["in_memory"]["workers"] == 1 and by_mode["multi_processing"]["workers"] == 2
    for result in by_mode.values():
        assert result["status"] == "ok" and result["pages_read"] == 150
        assert result["pages_per_s"] > 0 and result["peak_rss_mb"] > 0
        assert result["timings"]["stages"]["read_parse"] > 0
        assert result["warm_s"] >= 0  # the corpus was read into the page cache before the run
    # The loop ran before in_memory and again after it; the ratio takes the mean of both.
    loops = report["baselines"]
    assert [loop["repeat"] for loop in loops] == [1, 2] and report["baseline"] == loops[0]
    for loop in loops:
        assert loop["status"] == "ok" and loop["pages_read"] == 150 and loop["warm_s"] >= 0
    ratios = report["ratios"]
    expected = by_mode["multi_processing"]["pages_per_s"] / by_mode["in_memory"]["pages_per_s"]
    assert ratios["multi_processing/in_memory"] == pytest.approx(expected, rel=0.01)
    loop_speed = (loops[0]["pages_per_s"] + loops[1]["pages_per_s"]) / 2
    assert ratios["in_memory/plain_loop"] == pytest.approx(
        by_mode["in_memory"]["pages_per_s"] / loop_speed, rel=0.01
    )
    scaling = report["scaling"]["in_memory"]
    assert scaling["pages_ratio"] == pytest.approx(150 / 60, rel=0.01) and scaling["time_ratio"] > 0
    assert report["machine"]["cores"] >= 1 and report["date"]


def _page(data: Path, rel: str, record: int) -> str | None:
    """The HTML of page ``record`` of file ``rel``, or None for a text dump."""
    path = data / rel
    fmt = _format(path)
    if fmt == "txt":
        return None
    if fmt.startswith("jsonl"):
        record_ = _jsonl_records(path)[record]
        return record_["html"] if record_ else None
    if fmt == "warc.gz":
        return _warc_responses(path)[record].decode()
    raw = path.read_bytes()
    return (gzip.decompress(raw) if fmt == "html.gz" else raw).decode()


def _body(page: str) -> list[str]:
    tree = lxml.html.fromstring(page)
    containers = '@class="story__content" or @class="article-body" or @itemprop="articleBody"'
    return [p.text_content() for p in tree.xpath(f"//div[{containers}]//p")]


def test_duplicates_repeat_their_original_body_and_near_duplicates_differ(tmp_path: Path) -> None:
    summary = _generate(
        tmp_path, "--pages", "150", "--duplicate-share", "0.3", "--near-duplicate-share", "0.2"
    )
    data = tmp_path / summary["input_dir"]
    truth = [
        orjson.loads(line) for f in (tmp_path / "_truth").iterdir() for line in f.read_bytes().splitlines()
    ]
    by_id = {t["doc_id"]: t for t in truth}
    compared = Counter()
    for t in truth:
        if t["kind"] not in ("duplicate", "near_duplicate"):
            continue
        original = by_id[t["of"]]
        assert original["kind"] == "article"
        pages = _page(data, t["path"], t["record"]), _page(data, original["path"], original["record"])
        if None in pages:
            continue
        copy, source = map(_body, pages)
        assert copy and source
        assert (copy == source) == (t["kind"] == "duplicate"), t
        compared[t["kind"]] += 1
    assert compared["duplicate"] > 5 and compared["near_duplicate"] > 5


def test_profile_by_step_counts_each_sample_once_for_the_step_beam_called(tmp_path: Path) -> None:
    runner = "main (pipeline/cli.py:53);Pipeline.run (apache_beam/pipeline.py:563)"
    process = (
        f"{runner};DataInputOperation.process_encoded (apache_beam/runners/worker/bundle_processor.py:263)"
    )
    raw = tmp_path / "profile.txt"
    raw.write_text(
        "\n".join(
            [
                # parse, and a callback of the library it calls: both are the parse step
                f"{process};_ParseFn.process (transforms/parse.py:200);"
                "parse_page (transforms/parse.py:106) 60",
                f"{process};_ReadFileFn.process (transforms/read.py:262);read1 (gzip.py:314);"
                "_RawAdapter.readinto (transforms/dumps.py:40) 20",
                # a Map's function, called through Beam's Map wrapper
                f"{process};Map.<locals>.<lambda> (apache_beam/transforms/core.py:2126);"
                "_located_entry (/home/u/newsbeam/transforms/dedup.py:451);"
                "entry_of (transforms/dedup.py:154) 15",
                f"{process} 5",  # Beam's own work
                "Thread.run (threading.py:982);Event.wait (threading.py:629) 99",  # an idle helper thread
            ]
        )
        + "\n"
    )
    report = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "profile_run.py"),
            "--input",
            "unused",
            "--from-raw",
            str(raw),
            "--by-step",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert report[1:] == [
        "  60.0%  _ParseFn.process (transforms/parse.py)",
        "  20.0%  _ReadFileFn.process (transforms/read.py)",
        "  15.0%  _located_entry (transforms/dedup.py)",
        "   5.0%  (Beam's runner, the driver, Python)",
    ]
