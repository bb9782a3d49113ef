"""WriteRun: partitioned part files really appear (nested folders included), sorted, counted."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import orjson
import pytest
from helpers.beam import TestPipeline
from helpers.builders import make_article

from newsbeam.transforms.formats.dumps import DumpSummary
from newsbeam.transforms.formats.layout import article_partition, publication_date, staged_name
from newsbeam.transforms.model import Duplicate, Provenance, Reject
from newsbeam.transforms.stages.write import WriteRun


@pytest.mark.parametrize(
    ("published", "date"),
    [
        ("2025-03-14T23:30:00-05:00", "2025-03-15"),
        ("2025-03-14T09:30:00+02:00", "2025-03-14"),
        ("2025-03-14T09:30:00Z", "2025-03-14"),
        ("2025-03-14", "2025-03-14"),
        ("2025-03-14T09:30:00", "2025-03-14"),
        ("yesterday", "unknown"),
        (None, "unknown"),
    ],
)
def test_publication_date_is_the_utc_day(published: str | None, date: str):
    assert publication_date(published) == date


def test_article_partition_layout():
    article = make_article(section="world", published_at="2025-03-14T09:30:00+00:00", source="a.example")
    assert article_partition(article, ("section", "date")) == "articles/section=world/date=2025-03-14"
    assert article_partition(article, ("source",)) == "articles/source=a.example"
    assert article_partition(article, ("language",)) == "articles/language=unknown"


def run_writer(tmp_path: Path, articles, duplicates, rejects, max_records: int = 1000) -> dict:
    staging = str(tmp_path / "staging")
    summaries = [DumpSummary(path="/d/a", pages=len(articles) + len(duplicates) + len(rejects))]
    with TestPipeline() as pipeline:
        records = {
            "articles": pipeline | "A" >> beam.Create(articles),
            "duplicates": pipeline | "D" >> beam.Create(duplicates),
            "rejects": pipeline | "R" >> beam.Create(rejects),
            "files": pipeline | "F" >> beam.Create(summaries),
        }
        records | WriteRun(staging, "r1", ("section", "date"), max_records)
    return orjson.loads((tmp_path / "staging" / "_written.json").read_bytes())


def test_writes_every_partition_and_counts_them(tmp_path: Path):
    articles = [
        make_article(id=f"a{n}", section="sport" if n % 2 else "world", published_at="2025-03-14")
        for n in range(6)
    ]
    duplicate = Duplicate(
        id="d1", url=None, duplicate_of="a1", kind="exact", similarity=1.0, input=Provenance("/d/x.html", 0)
    )
    reject = Reject.of(Provenance("/d/y.jsonl", 3), "malformed_record", "line 4 is not valid JSON", "{bad")
    written = run_writer(tmp_path, articles, [duplicate], [reject])

    staged = {entry["file"]: tmp_path / "staging" / entry["staged"] for entry in written["files"]}
    sport = staged["articles/section=sport/date=2025-03-14/part-r1-00000.jsonl"]
    world = staged["articles/section=world/date=2025-03-14/part-r1-00000.jsonl"]
    assert sport.is_file() and world.is_file()
    # Staged flat, in hashed buckets: publishing makes the partition folders, in the output only.
    assert sport.parent.parent == world.parent.parent == tmp_path / "staging" / "parts"
    sport_records = [orjson.loads(line) for line in sport.read_bytes().splitlines()]
    assert [r["id"] for r in sport_records] == ["a1", "a3", "a5"]  # sorted by id
    assert all(r["run_id"] == "r1" and r["schema_version"] == 1 for r in sport_records)
    dup = orjson.loads(staged["duplicates/part-r1-00000.jsonl"].read_bytes())
    assert dup == {
        "id": "d1",
        "url": None,
        "duplicate_of": "a1",
        "kind": "exact",
        "similarity": 1.0,
        "input": {"path": "/d/x.html", "record": 0},
        "run_id": "r1",
    }
    rej = orjson.loads(staged["rejects/part-r1-00000.jsonl"].read_bytes())
    assert rej["reason"] == "malformed_record" and rej["input"] == {"path": "/d/y.jsonl", "record": 3}
    assert written["read"] == {
        "files": 1,
        "pages_read": 8,
        "skipped_records": 0,
        "skipped_by_type": {},
        "not_html_types": {},
        "http_statuses": {},
    }
    by_file = {entry["file"]: entry for entry in written["files"]}
    assert by_file["articles/section=sport/date=2025-03-14/part-r1-00000.jsonl"]["labels"] == {"sport": 3}
    assert sum(entry["lines"] for entry in written["files"]) == 8


def test_large_partition_is_split_over_several_files_deterministically(tmp_path: Path):
    articles = [make_article(id=f"a{n:03d}", section="world", published_at="2025-03-14") for n in range(25)]
    first = run_writer(tmp_path / "one", articles, [], [], max_records=10)
    run_writer(tmp_path / "two", list(reversed(articles)), [], [], max_records=10)
    files = [entry["file"] for entry in first["files"]]
    assert files == [f"articles/section=world/date=2025-03-14/part-r1-{n:05d}.jsonl" for n in range(3)]
    for entry in first["files"]:
        assert (tmp_path / "one/staging" / entry["staged"]).read_bytes() == (
            tmp_path / "two/staging" / entry["staged"]
        ).read_bytes()
    assert sum(entry["lines"] for entry in first["files"]) == 25


def test_run_id_with_a_slash_is_refused():
    with pytest.raises(ValueError, match="run id"):
        WriteRun("/tmp/x", "a/b", ("section",), 10)


def test_staged_names_are_flat_and_distinct_per_final_path():
    paths = [
        "articles/section=world/date=2025-03-14/part-r1-00000.jsonl",
        "articles/section=world-date=2025-03-14/part-r1-00000.jsonl",
        "articles/section=world/date=2025-03-14-part-r1-00000.jsonl",
        "duplicates/part-r1-00000.jsonl",
    ]
    names = [staged_name(path) for path in paths]
    assert len(set(names)) == len(names)
    assert all(name.startswith("parts/") and name.count("/") == 2 for name in names)
    buckets = {
        staged_name(f"articles/section=world/date=2025-03-{day:02d}/part-r1-00000.jsonl")
        for day in range(1, 29)
    }
    assert len({name.split("/")[1] for name in buckets}) > 10  # partitions spread over the buckets
