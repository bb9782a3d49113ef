"""The output layout: where each record goes, as what line, under which file name.

Articles are partitioned by the fields of ``write.partition_by`` (``section=<slug>/
date=<YYYY-MM-DD|unknown>`` by default); duplicates and rejects each have one folder. Part
files are named ``part-<run_id>-<NNNNN>.jsonl``; :func:`staged_name` says where one waits in
the run's staging folder until publishing moves it into place. ``docs/contracts.md`` is the
contract these functions keep.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from datetime import date, datetime, timezone

import orjson

from newsbeam.transforms.model import Article, Duplicate, Reject

__all__ = [
    "UNSAFE_CHARS",
    "WRITTEN_SUMMARY",
    "article_partition",
    "encode_line",
    "part_file_name",
    "publication_date",
    "staged_name",
]

#: What the writer staged, beside the part files, for the manifest.
WRITTEN_SUMMARY = "_written.json"
#: Characters a partition value or a run id may not hold.
UNSAFE_CHARS = re.compile(r"[^a-zA-Z0-9._-]+")


def publication_date(published_at: str | None) -> str:
    """The UTC calendar date of an ISO 8601 timestamp, or ``unknown``."""
    if not published_at:
        return "unknown"
    try:
        moment = datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(published_at[:10]).isoformat()
        except ValueError:
            return "unknown"
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date().isoformat()


def _path_value(value: str | None) -> str:
    cleaned = UNSAFE_CHARS.sub("-", value or "").strip("-.")
    return cleaned or "unknown"


def article_partition(article: Article, partition_by: Sequence[str]) -> str:
    """``articles/section=world/date=2025-03-14`` for ``partition_by=("section", "date")``."""
    values = {
        "section": article.section,
        "date": publication_date(article.published_at),
        "source": article.source,
        "language": article.language,
    }
    parts = [f"{field}={_path_value(values[field])}" for field in partition_by]
    return "/".join(["articles", *parts])


def encode_line(record: Article | Duplicate | Reject, run_id: str) -> bytes:
    fields = record.to_record()
    fields["run_id"] = run_id
    return orjson.dumps(fields) + b"\n"


def part_file_name(run_id: str, shard: int) -> str:
    return f"part-{run_id}-{shard:05d}.jsonl"


STAGED_PARTS = "parts"


#: Folders the staged part files are hashed into, so that no staging folder holds thousands
#: of files.
STAGED_BUCKETS = 256


def staged_name(relative: str) -> str:
    """Where the part file of final path ``relative`` waits in the staging folder."""
    bucket = zlib.crc32(relative.encode("utf-8")) % STAGED_BUCKETS
    return f"{STAGED_PARTS}/{bucket:02x}/{relative.replace('/', '~')}"
