"""Real web archives read by warcio and by newsbeam, file by file.

For every WARC and ARC file under a folder (by default ``../shared/realwarc``), prints what
warcio's own iterator finds (records by type, responses and resources, HTML ones, where it
stops) beside what newsbeam makes of it: pages read, articles, duplicates, rejects by reason,
records skipped by type. Articles and duplicates come from one ``newsbeam run`` over the whole
folder (so a file's copy in another file counts as a duplicate); the rest from the read stage's
functions. It also reads each file in byte ranges of 1 to 4 KiB with the range reader and says
whether they give the same records as reading it whole (``read.split_bytes`` is a multiple of
1 MiB, so a run never splits files this small).

    python benchmarks/realwarc.py [--folder ../shared/realwarc] [--json out.json]

The functions are also what ``tests/unit/formats/test_realwarc.py`` checks.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newsbeam.transforms.formats.dumps import read_dump
from newsbeam.transforms.formats.ranges import FileRange, range_offsets, read_file_range, splittable_kind
from newsbeam.transforms.formats.sniff import declared_decision, sniff_kind
from newsbeam.transforms.formats.source import DumpSummary
from newsbeam.transforms.model import Page, Reject

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO.parent / "shared" / "realwarc"
MAX_PAGE_BYTES = 20_000_000
RANGE_SIZES = (1024, 2048, 3072, 4096)


@dataclass
class WarcioRecord:
    offset: int
    rec_type: str
    uri: str
    media: str
    status: str
    html: bool  # HTML by its declared type, or sniffed HTML when the type says nothing


@dataclass
class WarcioView:
    by_type: dict[str, int] = field(default_factory=dict)
    records: list[WarcioRecord] = field(default_factory=list)
    error: str = ""

    @property
    def pages(self) -> list[WarcioRecord]:
        """Response and resource records, ``dns:`` captures left out (newsbeam skips them)."""
        return [r for r in self.records if not r.uri.lower().startswith("dns:")]


def archive_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "README.md")


def warcio_view(path: Path) -> WarcioView:
    """What warcio's ArchiveIterator (arc2warc) reads in ``path``, up to where it stops."""
    view = WarcioView()
    counts: collections.Counter[str] = collections.Counter()
    with open(path, "rb") as handle, contextlib.redirect_stderr(io.StringIO()):
        iterator = ArchiveIterator(handle, arc2warc=True)
        try:
            for record in iterator:
                counts[record.rec_type] += 1
                if record.rec_type not in ("response", "resource"):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                http = record.http_headers
                if record.rec_type == "response":
                    media = (http.get_header("Content-Type") if http else None) or ""
                else:
                    media = record.rec_headers.get_header("Content-Type") or ""
                status = http.get_statuscode() if http else ""
                body = record.content_stream().read(MAX_PAGE_BYTES)
                view.records.append(
                    WarcioRecord(
                        iterator.get_record_offset(),
                        record.rec_type,
                        uri,
                        media,
                        status or "",
                        _is_html(media, body),
                    )
                )
        except Exception as error:  # noqa: BLE001 - where warcio stops is what is measured.
            view.error = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:80]}"
    view.by_type = dict(counts)
    return view


def _is_html(media: str, body: bytes) -> bool:
    decision = declared_decision(media)
    return decision == "page" or (decision == "sniff" and sniff_kind(body) == "text/html")


@dataclass
class NewsbeamView:
    summary: DumpSummary
    items: list[Page | Reject]

    def outcomes(self) -> list[tuple[str, str, str]]:
        """Each page read as (page or the reject's reason, its URL or the reject's detail, '')."""
        return [
            ("page", item.url or "", "") if isinstance(item, Page) else (item.reason, item.detail, "")
            for item in self.items
        ]


def newsbeam_view(path: Path) -> NewsbeamView:
    summary = DumpSummary(path=str(path))
    with open(path, "rb") as handle:
        items = list(read_dump(handle, str(path), summary, MAX_PAGE_BYTES))
    return NewsbeamView(summary, items)


def range_view(path: Path, size: int) -> list[tuple[str, str, str]] | None:
    """The outcomes read in ranges of ``size`` bytes, in file order; ``None`` if the file cannot be split."""
    data = path.read_bytes()
    kind = splittable_kind(str(path), data[: 1 << 20])
    if kind is None:
        return None
    chunks = -(-len(data) // size)
    per_range: list[list[Page | Reject]] = []
    sizes = []
    with open(path, "rb") as handle:
        for chunk in range(chunks):
            file_range = FileRange(
                str(path), chunk * size, min(len(data), (chunk + 1) * size), len(data), chunk, chunks, kind
            )
            summary = DumpSummary(path=str(path))
            items, hashing = read_file_range(handle, file_range, summary, MAX_PAGE_BYTES)
            kept = list(items)
            hashing.finish()
            per_range.append(kept)
            sizes.append((str(path), chunk, len(kept), hashing.newlines))
    offsets = range_offsets(sizes)
    from newsbeam.transforms.formats.jsonl import renumber_line

    outcomes = []
    for chunk, kept in enumerate(per_range):
        for item in kept:
            if isinstance(item, Page):
                outcomes.append(("page", item.url or "", ""))
            else:
                outcomes.append((item.reason, renumber_line(item.detail, offsets[(str(path), chunk)][1]), ""))
    return outcomes


def run_newsbeam(folder: Path, work: Path) -> tuple[int, dict[str, Any], dict[str, collections.Counter[str]]]:
    """One ``newsbeam run`` over ``folder``: exit status, manifest, and per file the records written."""
    from newsbeam.pipeline.cli import main

    output = work / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(
            ["run", "--input", str(folder), "--output", str(output), "--run-id", "realwarc", "--quiet"]
        )
    manifest = json.loads((output / "_runs" / "realwarc.json").read_text())
    per_file: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for kind in ("articles", "duplicates", "rejects"):
        for part in (output / kind).rglob("*.jsonl"):
            for line in part.read_text().splitlines():
                record = json.loads(line)
                per_file[record["input"]["path"]][kind] += 1
                if kind == "rejects":
                    per_file[record["input"]["path"]][f"reason:{record['reason']}"] += 1
    return status, manifest, per_file


def _short(counts: dict[str, int]) -> str:
    return (
        " ".join(f"{key} {value}" for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        or "-"
    )


def table(
    folder: Path, with_run: bool = True
) -> tuple[list[dict[str, Any]], dict[str, Any] | None, int | None]:
    rows = []
    status = manifest = None
    per_file: dict[str, collections.Counter[str]] = {}
    if with_run:
        with tempfile.TemporaryDirectory(prefix="newsbeam-realwarc-") as work:
            status, manifest, per_file = run_newsbeam(folder, Path(work))
    for path in archive_files(folder):
        warcio = warcio_view(path)
        ours = newsbeam_view(path)
        whole = ours.outcomes()
        same = []
        for size in RANGE_SIZES:
            ranged = range_view(path, size)
            same.append(
                "whole only" if ranged is None else ("same" if ranged == whole else f"DIFFER at {size}")
            )
        written = per_file.get(str(path), collections.Counter())
        if with_run:  # the run's rejects, those of the parse stage (not_article) too
            rejects = {
                key.split(":", 1)[1]: count for key, count in written.items() if key.startswith("reason:")
            }
        else:
            rejects = dict(
                collections.Counter(item.reason for item in ours.items if isinstance(item, Reject))
            )
        rows.append(
            {
                "file": str(path.relative_to(folder)),
                "warcio_records": warcio.by_type,
                "warcio_pages": len(warcio.pages),
                "warcio_dns": len(warcio.records) - len(warcio.pages),
                "warcio_html": sum(r.html for r in warcio.pages),
                "warcio_error": warcio.error,
                "pages_read": ours.summary.pages,
                "page_items": sum(isinstance(item, Page) for item in ours.items),
                "articles": written["articles"],
                "duplicates": written["duplicates"],
                "rejects": rejects,
                "skipped": ours.summary.skipped_by_type,
                "ranges": sorted(set(same))[0] if len(set(same)) == 1 else ", ".join(same),
            }
        )
    return rows, manifest, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--no-run", action="store_true", help="leave out the newsbeam run (articles, duplicates)"
    )
    args = parser.parse_args(argv)
    rows, manifest, status = table(args.folder, with_run=not args.no_run)
    print(
        "| file | warcio: records by type | warcio: responses+resources (html) | warcio stops at | "
        "newsbeam: pages read | articles | duplicates | rejects by reason | skipped by type "
        "| 1-4 KiB ranges |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['file']} | {_short(row['warcio_records'])} | "
            f"{row['warcio_pages']} ({row['warcio_html']})"
            f"{' + ' + str(row['warcio_dns']) + ' dns:' if row['warcio_dns'] else ''} | "
            f"{row['warcio_error'] or '-'} | {row['pages_read']} | {row['articles']} | {row['duplicates']} | "
            f"{_short(row['rejects'])} | {_short(row['skipped'])} | {row['ranges']} |"
        )
    if manifest is not None:
        counts = manifest["counts"]
        print(
            f"\nnewsbeam run: exit {status}; {counts['pages_read']} pages read, "
            f"{counts['articles']} articles, "
            f"{counts['duplicates']} duplicates, {counts['rejects']} rejects ({counts['failures']} failures, "
            f"failure ratio {manifest['failure_ratio']})"
        )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "manifest": manifest, "status": status}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
