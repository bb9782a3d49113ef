"""Generate a realistic synthetic news dump of any size, for benchmarks and load tests.

    python benchmarks/generate_corpus.py --pages 200000 --out /tmp/corpus [--seed 0]
        [--duplicate-share 0.1] [--near-duplicate-share 0.05] [--non-article-share 0.05]
        [--broken-share 0.01] [--formats html=15,warc.gz=30,...] [--jobs N] [--gzip-level 1]

Pages go under ``OUT/data/`` (point ``newsbeam run --input OUT/data`` there), in every input
format newsbeam reads: single pages (``.html``, ``.html.gz``, ``.txt`` text dumps), JSONL files
of ``{"url", "html", "fetched_at"}`` records (``.jsonl``, ``.jsonl.gz``) and ``.warc.gz`` files
of ``response`` records. ``OUT/_corpus.json`` records what was written: counts by format and by
kind (``article``, ``duplicate``, ``near_duplicate``, ``non_article``, ``broken``), every broken
page, and total bytes. ``OUT/_truth/`` holds one line per page (path, record, kind, original)
for scoring dedup and classification.

The work is split into shards of 1,000 pages, each seeded from ``(seed, shard)``: the output is
the same whatever ``--jobs`` is, and nothing but the current shard's files is held in memory.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import orjson
from _corpus_html import Site, build_sites, render_text_dump, render_text_front
from _corpus_text import SECTIONS, TextBank
from _corpus_writers import ShardWriter, gzip_member

__all__ = ["FORMATS", "KINDS", "Options", "generate", "main"]

FORMATS = ("html", "html.gz", "txt", "jsonl", "jsonl.gz", "warc.gz")
KINDS = ("article", "duplicate", "near_duplicate", "non_article", "broken")
DEFAULT_FORMAT_WEIGHTS = {"html": 15, "html.gz": 10, "txt": 10, "jsonl": 10, "jsonl.gz": 25, "warc.gz": 30}
SHARD_PAGES = 1000
DATA_DIR = "data"
MIN_PAGE, MEDIAN_PAGE, MAX_PAGE = 50_000, 95_000, 400_000


@dataclass(frozen=True)
class Options:
    pages: int
    out: Path
    seed: int = 0
    duplicate_share: float = 0.10
    near_duplicate_share: float = 0.05
    non_article_share: float = 0.05
    broken_share: float = 0.01
    formats: tuple[tuple[str, float], ...] = tuple(DEFAULT_FORMAT_WEIGHTS.items())
    gzip_level: int = 1
    truth: bool = True

    def __post_init__(self) -> None:
        shares = (self.duplicate_share, self.near_duplicate_share, self.non_article_share, self.broken_share)
        if self.pages < 1:
            raise ValueError("--pages must be at least 1.")
        if any(not 0 <= s <= 1 for s in shares) or sum(shares) > 0.9:
            raise ValueError("Each share must be within 0..1 and together they must leave 10% for articles.")
        if not 0 <= self.gzip_level <= 9:
            raise ValueError("--gzip-level must be within 0..9.")


# -- one shard -----------------------------------------------------------------------------------

_WORKER: dict[str, object] = {}


def _resources(seed: int) -> tuple[TextBank, list[Site]]:
    if _WORKER.get("seed") != seed:
        bank = TextBank(seed)
        _WORKER.update(seed=seed, bank=bank, sites=build_sites(bank, seed))
    return _WORKER["bank"], _WORKER["sites"]  # type: ignore[return-value]


def _page_size(rng: random.Random) -> int:
    """Bytes of HTML for one page: skewed like real news pages, most near 100 KB, a few near 400 KB."""
    return int(min(MAX_PAGE, max(MIN_PAGE, rng.lognormvariate(math.log(MEDIAN_PAGE), 0.5))))


def _iso(t: tuple[int, int, int, int, int], hours: int = 0) -> str:
    day, hour = t[2] + (t[3] + hours) // 24, (t[3] + hours) % 24
    return f"{t[0]:04d}-{t[1]:02d}-{min(day, 28):02d}T{hour:02d}:{t[4]:02d}:00Z"


def _garbage(rng: random.Random) -> bytes:
    header = rng.choice((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b"\x00\x00\x00"))
    return header + rng.randbytes(rng.randint(2_000, 60_000))


def _shard(args: tuple[Options, int, int]) -> dict:
    opts, shard, count = args
    bank, sites = _resources(opts.seed)
    rng = random.Random(f"shard:{opts.seed}:{shard}")
    truth_dir = opts.out / "_truth" if opts.truth else None
    out = ShardWriter(opts.out / DATA_DIR, shard, opts.seed, opts.gzip_level, truth_dir)
    recent: deque = deque(maxlen=200)  # (story, site index, url): sources of duplicates
    formats, weights = zip(*opts.formats, strict=True)
    cuts = []
    acc = 0.0
    for kind, share in zip(
        ("broken", "duplicate", "near_duplicate", "non_article"),
        (opts.broken_share, opts.duplicate_share, opts.near_duplicate_share, opts.non_article_share),
        strict=True,
    ):
        acc += share
        cuts.append((acc, kind))

    for i in range(count):
        number = shard * SHARD_PAGES + i
        doc_id = f"d{number:08d}"
        fmt = rng.choices(formats, weights)[0]
        draw = rng.random()
        kind = next((k for cut, k in cuts if draw < cut), "article")
        if kind in ("duplicate", "near_duplicate") and not recent:
            kind = "article"
        truth: dict[str, object] = {"doc_id": doc_id}

        # Decide what the page is about and where it lives.
        story = None
        if kind == "duplicate":
            story, site_i, url = rng.choice(recent)
            truth["of"] = story.doc_id
            if rng.random() < 0.7:  # syndicated to another site; otherwise re-crawled on the same one
                site_i = (site_i + rng.randrange(1, len(sites))) % len(sites)
                url = sites[site_i].url(story, number)
        elif kind == "near_duplicate":
            original, site_i, _ = rng.choice(recent)
            story = bank.near_copy(rng, original, doc_id)
            truth["of"] = original.doc_id
            url = sites[site_i].url(story, number)
        elif kind != "non_article":
            story = bank.story(rng, doc_id)
            site_i = rng.randrange(len(sites))
            url = sites[site_i].url(story, number)
            story.dateline = sites[site_i].dateline(story.city)
            if kind == "article":
                recent.append((story, site_i, url))
        site = sites[site_i] if story is not None else rng.choice(sites)
        if story is None:
            section = rng.choice(SECTIONS)
            tag = rng.choice((None, None, f"{rng.choice(SECTIONS)}-{rng.randint(1, 99)}"))
            url = site.front_url(section, tag, rng.randint(1, 5))
            fetched = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T06:00:00Z"
        else:
            truth["section"] = story.section
            fetched = _iso(story.published, rng.randint(1, 72))
        truth["url"] = url
        if kind == "broken":
            truth["how"] = {
                "html": "binary_garbage",
                "txt": "binary_garbage",
                "html.gz": "truncated_gzip",
            }.get(fmt, "malformed_json_line" if fmt.startswith("jsonl") else "truncated_warc_record")

        # Render it.
        if fmt == "txt":
            text = (
                render_text_front(rng, bank, section) if story is None else render_text_dump(rng, bank, story)
            )
            data = _garbage(rng) if kind == "broken" else text.encode()
            path = out.single(fmt, f"{number:08d}_{rng.getrandbits(32):08x}", data)
            out.record(fmt, kind, path, 0, **truth)
            continue
        if story is None:
            page = site.render_front(rng, section, tag, url, _page_size(rng))
        else:
            page = site.render_article(rng, story, url, _page_size(rng))
        data = page.encode()
        out.html_bytes += len(data)
        if fmt in ("html", "html.gz"):
            if fmt == "html.gz":
                data = gzip_member(data, opts.gzip_level)
                if kind == "broken":
                    data = data[: int(len(data) * rng.uniform(0.2, 0.8))]
            elif kind == "broken":
                data = _garbage(rng)
            path = out.single(fmt, f"{site.domain}-{doc_id}", data)
            out.record(fmt, kind, path, 0, **truth)
        elif fmt.startswith("jsonl"):
            path, index = out.slot(fmt, rng)
            line = orjson.dumps({"url": url, "html": page, "fetched_at": fetched})
            if kind == "broken":
                line = line[: rng.randint(10, len(line) - 2)]
            out.jsonl_line(fmt, line)
            out.record(fmt, kind, path, index, **truth)
        else:
            path, index = out.slot(fmt, rng)
            if rng.random() < 0.1:
                out.warc_request(url, fetched)
            out.warc_response(url, data, fetched, rng.uniform(0.2, 0.8) if kind == "broken" else None)
            out.record(fmt, kind, path, index, **truth)
    return out.finish()


# -- the whole corpus ----------------------------------------------------------------------------


def _prepare(out: Path) -> None:
    """Empty a previous corpus in ``out``; refuse to touch a folder that is not one."""
    data = out / DATA_DIR
    if (out / "_corpus.json").exists():
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(out / "_truth", ignore_errors=True)
    elif data.exists() and any(data.iterdir()):
        raise SystemExit(f"{data} is not empty and holds no _corpus.json; choose another --out.")
    out.mkdir(parents=True, exist_ok=True)


def generate(opts: Options, jobs: int = 1, progress=None) -> dict:
    """Write the corpus described by ``opts``; return the summary written to ``_corpus.json``."""
    _prepare(opts.out)
    started = time.perf_counter()
    shards = [
        (opts, s, min(SHARD_PAGES, opts.pages - s * SHARD_PAGES))
        for s in range(-(-opts.pages // SHARD_PAGES))
    ]
    pages: Counter[str] = Counter()
    files: Counter[str] = Counter()
    size: Counter[str] = Counter()
    html_bytes, done, broken = 0, 0, []
    results: Iterable[dict]
    if jobs > 1 and len(shards) > 1:
        pool = get_context("fork" if sys.platform == "linux" else "spawn").Pool(min(jobs, len(shards)))
        results = pool.imap_unordered(_shard, shards)
    else:
        pool, results = None, map(_shard, shards)
    try:
        for result in results:
            pages.update(result["pages"])
            files.update(result["files"])
            size.update(result["bytes"])
            html_bytes += result["html_bytes"]
            broken.extend(result["broken"])
            done += sum(result["pages"].values())
            if progress:
                progress(done, time.perf_counter() - started)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    elapsed = time.perf_counter() - started
    by_format = {fmt: {k: pages[f"{fmt}|{k}"] for k in KINDS if pages[f"{fmt}|{k}"]} for fmt in FORMATS}
    summary = {
        "generator": "benchmarks/generate_corpus.py",
        "input_dir": DATA_DIR,
        "seed": opts.seed,
        "options": {
            "duplicate_share": opts.duplicate_share,
            "near_duplicate_share": opts.near_duplicate_share,
            "non_article_share": opts.non_article_share,
            "broken_share": opts.broken_share,
            "formats": dict(opts.formats),
            "gzip_level": opts.gzip_level,
        },
        "pages": done,
        "pages_by_kind": {k: sum(v.get(k, 0) for v in by_format.values()) for k in KINDS},
        "pages_by_format": {fmt: sum(v.values()) for fmt, v in by_format.items() if v},
        "pages_by_format_and_kind": {fmt: v for fmt, v in by_format.items() if v},
        "files": dict(sorted(files.items())),
        "files_total": sum(files.values()),
        "bytes": dict(sorted(size.items())),
        "bytes_total": sum(size.values()),
        "html_bytes": html_bytes,
        "broken": sorted(broken, key=lambda b: (b["path"], b["record"])),
        "elapsed_s": round(elapsed, 3),
        "pages_per_s": round(done / elapsed, 1) if elapsed else None,
    }
    (opts.out / "_corpus.json").write_text(json.dumps(summary, indent=1))
    return summary


def _formats(text: str) -> tuple[tuple[str, float], ...]:
    weights = {}
    for item in text.split(","):
        fmt, _, weight = item.partition("=")
        if fmt.strip() not in FORMATS:
            raise argparse.ArgumentTypeError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        weights[fmt.strip()] = float(weight or 1)
    if not any(weights.values()):
        raise argparse.ArgumentTypeError("at least one format needs a positive weight")
    return tuple(weights.items())


def _print_summary(s: dict) -> None:
    print(f"\n{s['pages']:,} pages in {s['files_total']:,} files under {s['input_dir']}/", end=" ")
    print(f"({s['bytes_total'] / 1e6:,.1f} MB on disk, {s['html_bytes'] / 1e6:,.1f} MB of HTML)")
    kinds = [k for k in KINDS if s["pages_by_kind"][k]]
    print(f"{'format':<10}{'files':>8}{'MB':>10}" + "".join(f"{k:>16}" for k in kinds))
    for fmt, counts in s["pages_by_format_and_kind"].items():
        mb = s["bytes"].get(fmt, 0) / 1e6
        print(
            f"{fmt:<10}{s['files'].get(fmt, 0):>8}{mb:>10.1f}"
            + "".join(f"{counts.get(k, 0):>16}" for k in kinds)
        )
    print(f"generated in {s['elapsed_s']:.1f} s: {s['pages_per_s']:,.0f} pages/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, required=True, help="number of pages to write")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder (pages go to OUT/data)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duplicate-share", type=float, default=0.10, help="exact copies of an earlier body")
    parser.add_argument("--near-duplicate-share", type=float, default=0.05, help="lightly edited copies")
    parser.add_argument("--non-article-share", type=float, default=0.05, help="section fronts, tag listings")
    parser.add_argument("--broken-share", type=float, default=0.01, help="garbage, truncated, malformed")
    parser.add_argument(
        "--formats",
        type=_formats,
        default=tuple(DEFAULT_FORMAT_WEIGHTS.items()),
        help="weights per format, e.g. 'warc.gz=3,html=1' (default: "
        + ",".join(f"{k}={v}" for k, v in DEFAULT_FORMAT_WEIGHTS.items())
        + ")",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--gzip-level", type=int, default=1, help="compression level of .gz output")
    parser.add_argument(
        "--truth", action=argparse.BooleanOptionalAction, default=True, help="write OUT/_truth/"
    )
    args = parser.parse_args(argv)
    try:
        opts = Options(
            pages=args.pages,
            out=args.out,
            seed=args.seed,
            duplicate_share=args.duplicate_share,
            near_duplicate_share=args.near_duplicate_share,
            non_article_share=args.non_article_share,
            broken_share=args.broken_share,
            formats=args.formats,
            gzip_level=args.gzip_level,
            truth=args.truth,
        )
    except ValueError as error:
        parser.error(str(error))

    def progress(done: int, elapsed: float) -> None:
        print(
            f"\r{done:,}/{opts.pages:,} pages, {done / elapsed:,.0f} pages/s",
            end="",
            file=sys.stderr,
            flush=True,
        )

    _print_summary(generate(opts, max(1, args.jobs), progress))
    return 0


if __name__ == "__main__":
    sys.exit(main())
