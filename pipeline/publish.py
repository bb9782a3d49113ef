"""Publishing a finished run: staged part files moved into place, then the manifest.

The pipeline writes only under ``OUTPUT/.staging-<run_id>/``. When it has succeeded and
its counts add up, :func:`publish_run`

1. deletes the part files an earlier run with the same run id published (and nothing else),
2. moves every staged part file to the same relative path under ``OUTPUT``,
3. moves the run's shard of the dedup index (``STAGING/_state/dedup/*.jsonl``) into
   ``STATE/dedup/``, replacing the shard an earlier attempt with the same run id left,
4. writes ``_runs/<run_id>.json`` last (written aside, then renamed), and
5. removes the staging folder.

:func:`discard_staging` removes the staging folder of a failed run. All file access goes
through Beam's ``FileSystems``, so the output may live on any filesystem Beam knows.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import orjson
from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

from transforms.write import WRITTEN_SUMMARY

__all__ = [
    "discard_staging",
    "manifest_path",
    "publish_run",
    "read_written_summary",
    "staging_path",
    "state_staging_path",
]

RECORD_FOLDERS = ("articles", "duplicates", "rejects")


def staging_path(output: str, run_id: str) -> str:
    return f"{output}/.staging-{run_id}"


def state_staging_path(staging: str) -> str:
    return f"{staging}/_state"


def manifest_path(output: str, run_id: str) -> str:
    return f"{output}/_runs/{run_id}.json"


def read_written_summary(staging: str) -> dict[str, Any]:
    with FileSystems.open(f"{staging}/{WRITTEN_SUMMARY}") as handle:
        return orjson.loads(handle.read())


def publish_run(
    output: str,
    run_id: str,
    staging: str,
    written: dict[str, Any],
    manifest: dict[str, Any],
    state: str | None = None,
) -> None:
    """Move the staged files of ``run_id`` into ``output`` and write its manifest (see above)."""
    _delete_earlier_files(output, run_id)
    staged = [entry["file"] for entry in written["files"]]
    for relative in staged:
        destination = f"{output}/{relative}"
        _make_parent(destination)
        FileSystems.rename([f"{staging}/{relative}"], [destination])
    if state is not None:
        _publish_state(run_id, staging, state)
    write_json_atomically(manifest_path(output, run_id), manifest)
    discard_staging(staging)


def write_json_atomically(path: str, document: dict[str, Any]) -> None:
    aside = f"{path}.tmp"
    _make_parent(path)
    with FileSystems.create(aside) as handle:
        handle.write(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([aside], [path])


def _publish_state(run_id: str, staging: str, state: str) -> None:
    folder = f"{state}/dedup"
    earlier = FileSystems.match([f"{folder}/shard-{run_id}-*.jsonl"])[0].metadata_list
    if earlier:
        FileSystems.delete([metadata.path for metadata in earlier])
    shards = FileSystems.match([f"{state_staging_path(staging)}/dedup/*.jsonl"])[0].metadata_list
    for metadata in sorted(shards, key=lambda item: item.path):
        destination = f"{folder}/{metadata.path.rsplit('/', 1)[1]}"
        _make_parent(destination)
        try:
            FileSystems.rename([metadata.path], [destination])
        except BeamIOError:  # another filesystem or device: copy, then delete
            FileSystems.copy([metadata.path], [destination])
            FileSystems.delete([metadata.path])


def discard_staging(staging: str) -> None:
    if FileSystems.exists(staging):
        FileSystems.delete([staging])


def _delete_earlier_files(output: str, run_id: str) -> None:
    patterns = [
        f"{output}/articles/**/part-{run_id}-*.jsonl",
        f"{output}/duplicates/part-{run_id}-*.jsonl",
        f"{output}/rejects/part-{run_id}-*.jsonl",
    ]
    earlier = [metadata.path for result in FileSystems.match(patterns) for metadata in result.metadata_list]
    if earlier:
        FileSystems.delete(earlier)
        _remove_empty_local_folders(f"{output}/articles")


def _make_parent(path: str) -> None:
    parent = path.rsplit("/", 1)[0]
    # It may exist already; object stores have no folders to make.
    with contextlib.suppress(BeamIOError, OSError):
        FileSystems.mkdirs(parent)


def _remove_empty_local_folders(root: str) -> None:
    """Partition folders emptied by replacing a run are removed (local filesystem only)."""
    if "://" in root or not os.path.isdir(root):
        return
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        if folder != root and not os.listdir(folder):
            os.rmdir(folder)
