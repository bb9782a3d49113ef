"""A run over big files read in byte ranges writes exactly what a run reading them whole writes."""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import orjson
import pytest
from helpers.builders import article_html, prose
from helpers.cli import FAST, newsbeam
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbeam.transforms.formats.checksum import CHECKSUM_BLOCK


def _page_html(i: int, rng: random.Random) -> str:
    # Page sizes vary from a few KB to 1.4 MB, so some records span a whole 1 MiB range.
    paragraphs = prose(i, paragraphs=rng.choice([3, 8, 30]))
    size = rng.choice([200, 20_000, 90_000, 1_400_000 if i % 17 == 5 else 3_000])
    # Incompressible, like the scripts and styles of real pages, so gzipped files are big too.
    padding = "<script>var t='" + base64.b64encode(rng.randbytes(size * 3 // 4)).decode() + "';</script>"
    return article_html(f"Harbour story {i}", paragraphs, f"https://lantern.example/story-{i}") + padding


MIB = CHECKSUM_BLOCK


def write_jsonl(path: Path, pages: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    urls, lines = [], []
    for i in range(pages):
        url = f"https://lantern.example/story-{i}"
        urls.append(url)
        lines.append(orjson.dumps({"url": url, "html": _page_html(i, rng)}) + b"\n")
        if i % 9 == 4:
            lines.append(b"\n")  # blank lines are not records
        if i % 6 == 5:
            lines.append(
                b'{"url": "https://lantern.example/cut-short", "html": "<p>\n'
            )  # its line is in the reject
    path.write_bytes(b"".join(lines))
    return urls


def write_warc(path: Path, pages: int, gzipped: bool, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
    urls = []
    for i in range(pages):
        url = f"https://lantern.example/story-{i}"
        urls.append(url)
        if i % 5 == 0:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "lantern.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        payload = io.BytesIO(_page_html(i, rng).encode())
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    data = buffer.getvalue()
    if gzipped:  # a corrupt gzip member costs only its record, whole or in ranges
        start = data.index(b"\x1f\x8b\x08", len(data) // 2)
        data = data[: start + 40] + b"\x07" * 40 + data[start + 80 :]
    path.write_bytes(data)
    return urls


@pytest.mark.slow
def test_a_run_with_split_files_writes_what_a_run_reading_them_whole_writes(tmp_path: Path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    write_jsonl(dumps / "night.jsonl", 40)
    write_warc(dumps / "night.warc.gz", 40, gzipped=True, seed=9)
    outputs = {}
    for name, split_bytes in (("whole", 1024 * MIB), ("split", MIB)):
        config = tmp_path / f"{name}.yaml"
        config.write_text(f"read:\n  split_bytes: {split_bytes}\n", encoding="utf-8")
        output = tmp_path / name
        result = newsbeam(
            "run", "--input", str(dumps), "--output", str(output), "--config", str(config),
            "--run-id", "same", "--quiet", *FAST,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        outputs[name] = {
            folder: sorted(
                line
                for part in sorted((output / folder).rglob("*.jsonl"))
                for line in part.read_text().splitlines()
            )
            for folder in ("articles", "duplicates", "rejects")
        }
        manifest = orjson.loads((output / "_runs" / "same.json").read_bytes())
        outputs[name]["counts"] = manifest["counts"]
    assert outputs["split"] == outputs["whole"]
    assert outputs["whole"]["counts"]["pages_read"] == 80 + 6  # the malformed lines
    reasons = sorted(orjson.loads(line)["reason"] for line in outputs["whole"]["rejects"])
    assert reasons.count("malformed_record") == 7  # 6 lines, 1 gzip member
    records = {orjson.loads(line)["input"]["record"] for line in outputs["split"]["articles"]}
    assert max(records) >= 39, "records are numbered from the start of each file"
