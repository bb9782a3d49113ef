"""Writers of the synthetic corpus: one :class:`ShardWriter` per shard of pages.

Single-page files are written at once; JSONL and WARC files stay open until they hold their
drawn number of records or the shard ends. WARC records are written with warcio, one gzip
member per record as crawlers do, with record ids and dates drawn from the seed so that the
same seed gives the same bytes. The writer also keeps the shard's tallies (pages by format and
kind, broken pages, ground truth) that end up in ``_corpus.json`` and ``_truth/``.
"""

from __future__ import annotations

import gzip
import io
import random
import uuid
import zlib
from collections import Counter
from pathlib import Path

import orjson
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["SeededWARCWriter", "ShardWriter", "gzip_member"]


class SeededWARCWriter(WARCWriter):
    """warcio's writer, with record ids and dates drawn from the seed instead of the clock."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(io.BytesIO(), gzip=False)
        self.rng, self.date = rng, "2025-06-01T00:00:00Z"

    def _make_warc_id(self, id_: str | None = None) -> str:
        return f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"

    def curr_warc_date(self) -> str:
        return self.date


class ShardWriter:
    """Writes one shard's files; multi-record files stay open until full or the shard ends."""

    def __init__(self, root: Path, shard: int, seed: int, gzip_level: int, truth_dir: Path | None) -> None:
        self.root, self.shard, self.gzip_level, self.truth_dir = root, shard, gzip_level, truth_dir
        self.files: list[tuple[str, Path]] = []
        self.pages: Counter[tuple[str, str]] = Counter()
        self.broken: list[dict] = []
        self.truth: list[bytes] = []
        self.html_bytes = 0
        self._open: dict[str, list] = {}  # fmt -> [handle, path, records written, capacity]
        self._warc = SeededWARCWriter(random.Random(f"warc:{seed}:{shard}"))

    def record(self, fmt: str, kind: str, path: Path, index: int, **truth: object) -> None:
        rel = str(path.relative_to(self.root))
        self.pages[fmt, kind] += 1
        if kind == "broken":
            self.broken.append({"path": rel, "record": index, "format": fmt, "how": truth["how"]})
        if self.truth_dir is not None:
            self.truth.append(orjson.dumps({"path": rel, "record": index, "kind": kind, **truth}))

    def single(self, fmt: str, name: str, data: bytes) -> Path:
        path = self.root / f"{fmt.split('.')[0]}-pages" / f"{self.shard:05d}" / f"{name}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.append((fmt, path))
        return path

    def slot(self, fmt: str, rng: random.Random) -> tuple[Path, int]:
        """The multi-record file the next record of ``fmt`` goes to, and its index there."""
        entry = self._open.get(fmt)
        if entry is None or entry[2] >= entry[3]:
            self.close(fmt)
            n = sum(1 for f, _ in self.files if f == fmt)
            kind = "warc" if fmt == "warc.gz" else "jsonl"
            path = self.root / kind / f"{kind}-{self.shard:05d}-{n:03d}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = path.open("wb")
            handle: io.BufferedIOBase
            if fmt == "jsonl.gz":
                handle = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=self.gzip_level, mtime=0)
            else:
                handle = raw
            entry = self._open[fmt] = [handle, path, 0, rng.randint(100, 400), raw]
            self.files.append((fmt, path))
            if fmt == "warc.gz":
                info = self._warc.create_warcinfo_record(path.name, {"software": "newsbeam-corpus-generator"})
                self._write_warc(info)
        return entry[1], entry[2]

    def jsonl_line(self, fmt: str, line: bytes) -> None:
        entry = self._open[fmt]
        entry[0].write(line + b"\n")
        entry[2] += 1

    def warc_response(self, url: str, html_bytes: bytes, fetched_at: str, truncate: float | None) -> None:
        headers = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(html_bytes))),
                ("Server", "nginx"),
                ("Cache-Control", "max-age=60"),
            ],
            protocol="HTTP/1.1",
        )
        record = self._warc.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(html_bytes),
            length=len(html_bytes),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        self._write_warc(record, truncate)
        self._open["warc.gz"][2] += 1
        if truncate is not None:  # a crawler that died mid-record: nothing follows in this file
            self.close("warc.gz")

    def warc_request(self, url: str, fetched_at: str) -> None:
        self._warc.date = fetched_at
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
        self._write_warc(self._warc.create_warc_record(url, "request", http_headers=headers))

    def _write_warc(self, record, truncate: float | None = None) -> None:
        buf = self._warc.out
        buf.seek(0)
        buf.truncate()
        self._warc.write_record(record)
        member = gzip_member(buf.getvalue(), self.gzip_level)
        if truncate is not None:
            member = member[: int(len(member) * truncate)]
        self._open["warc.gz"][0].write(member)

    def close(self, fmt: str) -> None:
        entry = self._open.pop(fmt, None)
        if entry is not None:
            entry[0].close()
            entry[4].close()

    def finish(self) -> dict:
        for fmt in list(self._open):
            self.close(fmt)
        if self.truth_dir is not None:
            path = self.truth_dir / f"shard-{self.shard:05d}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"\n".join(self.truth) + b"\n")
        files: Counter[str] = Counter()
        size: Counter[str] = Counter()
        for fmt, path in self.files:
            files[fmt] += 1
            size[fmt] += path.stat().st_size
        return {
            "pages": {f"{fmt}|{kind}": n for (fmt, kind), n in self.pages.items()},
            "files": dict(files),
            "bytes": dict(size),
            "html_bytes": self.html_bytes,
            "broken": self.broken,
        }


def gzip_member(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(data) + compressor.flush()
