"""Publishing a finished run, all of it or none of it, even if the process is killed.

The pipeline writes only under ``OUTPUT/.staging-<run_id>/`` (part files) and
``STATE/.staging-<run_id>/`` (state shards: the ledger's, and any other shard a step stages
there, each published to the same relative path under ``STATE``). When it has succeeded and
its counts add up, :func:`publish_run`

1. stages the manifest as ``OUTPUT/.staging-<run_id>/_manifest.json``;
2. writes the **publish journal** ``OUTPUT/.publish-<run_id>.json`` (aside, then renamed):
   every move (staged file → final path) and every earlier file of the same run id that the
   new run does not overwrite; from here on the publish only ever goes forward;
3. removes the earlier manifest of the run id (the earlier run is no longer committed),
   then the earlier run's files listed in the journal;
4. moves every staged file into place (renames: a file is never visible half written);
5. moves the manifest into ``_runs/<run_id>.json``: **the commit point**;
6. removes the staging folders, then the journal.

:func:`complete_publish` does steps 3–6 and is idempotent: a move whose source is gone was
done already, and once the staged manifest is gone the run is committed and only the
clean-up is left. :func:`recover_output`, called by every run under the output lock before
it starts, completes any journal it finds (a run killed while publishing) and removes the
staging folders of runs killed before they published (which therefore recorded nothing).
Between a kill during steps 3–5 and that recovery, some part files of the run may be in
place without a manifest: readers take a run's files from its manifest (``part_files``).

All file access goes through Beam's ``FileSystems``, so output and state may live on any
filesystem Beam knows. On an object store (``gs://``, ``s3://``) a folder is only a prefix that
never "exists": staging folders are listed and deleted object by object there, and a rename is
a copy and a delete (the manifest, moved last, is still the commit point).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from typing import Any

import orjson
from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

from newsbeam.transforms.formats.layout import WRITTEN_SUMMARY
from newsbeam.transforms.runtime.faults import kill_point

__all__ = [
    "PublishError",
    "child_names",
    "complete_publish",
    "discard_staging",
    "journal_path",
    "manifest_path",
    "pending_journals",
    "plan_publish",
    "publish_run",
    "read_written_summary",
    "recover_output",
    "staged_state_files",
    "staging_path",
    "state_staging_path",
    "write_json_atomically",
]

RECORD_FOLDERS = ("articles", "duplicates", "rejects")
STAGED_MANIFEST = "_manifest.json"
_STATE_SHARD_SUFFIX = re.compile(r"^(jsonl|json|txt|bin|parquet|avro)(\.gz)?$")


class PublishError(RuntimeError):
    """A publish could not go on (a staged file vanished)."""


def staging_path(output: str, run_id: str) -> str:
    return f"{output}/.staging-{run_id}"


def state_staging_path(state: str, run_id: str) -> str:
    return f"{state}/.staging-{run_id}"


def manifest_path(output: str, run_id: str) -> str:
    return f"{output}/_runs/{run_id}.json"


def journal_path(output: str, run_id: str) -> str:
    return f"{output}/.publish-{run_id}.json"


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
    """Publish the staged run ``run_id`` (see the module docstring)."""
    plan = plan_publish(output, run_id, staging, written, state)
    write_json_atomically(f"{staging}/{STAGED_MANIFEST}", manifest)
    write_json_atomically(journal_path(output, run_id), plan)
    kill_point("journal-written")
    complete_publish(plan)


def plan_publish(
    output: str, run_id: str, staging: str, written: dict[str, Any], state: str | None
) -> dict[str, Any]:
    """The journal of a publish: what moves where, and which earlier files go."""
    moves = [[f"{staging}/{entry['staged']}", f"{output}/{entry['file']}"] for entry in written["files"]]
    state_staging = state_staging_path(state, run_id) if state else None
    if state and state_staging:
        for staged in _files_under(state_staging):
            moves.append([staged, f"{state}/{staged[len(state_staging) + 1 :]}"])
    destinations = {destination for _, destination in moves}
    earlier = _earlier_part_files(output, run_id) + (_earlier_state_files(state, run_id) if state else [])
    return {
        "run_id": run_id,
        "output": output,
        "state": state,
        "staging": [staging] + ([state_staging] if state_staging else []),
        "moves": moves,
        "remove": sorted(path for path in earlier if path not in destinations),
        "manifest": [f"{staging}/{STAGED_MANIFEST}", manifest_path(output, run_id)],
    }


def complete_publish(plan: dict[str, Any]) -> None:
    """Steps 3–6 of the module docstring; safe to call again after a kill at any point."""
    staged_manifest, final_manifest = plan["manifest"]
    if FileSystems.exists(staged_manifest):
        _delete_if_present([final_manifest])
        _delete_if_present(plan["remove"])
        for source, destination in plan["moves"]:
            if FileSystems.exists(source):
                _make_parent(destination)
                FileSystems.rename([source], [destination])
                kill_point("publish-move")
            elif not FileSystems.exists(destination):
                raise PublishError(f"{source} vanished before it was published")
        kill_point("before-manifest")
        _make_parent(final_manifest)
        FileSystems.rename([staged_manifest], [final_manifest])
        kill_point("after-manifest")
    _remove_emptied_local_folders(plan["remove"], f"{plan['output']}/articles")
    for folder in plan["staging"]:
        discard_staging(folder)
    _delete_if_present([journal_path(plan["output"], plan["run_id"])])


def pending_journals(output: str) -> list[dict[str, Any]]:
    """The journals of publishes that were interrupted (none while no run publishes)."""
    journals = []
    for name in child_names(output, ".publish-"):
        if name.endswith(".json"):
            with FileSystems.open(f"{output}/{name}") as handle:
                journals.append(orjson.loads(handle.read()))
    return journals


def recover_output(output: str, state: str, say: Callable[[str], None] = print) -> None:
    """Finish interrupted publishes, drop staging folders of crashed runs (hold the lock!)."""
    for plan in pending_journals(output):
        say(f"newsbeam: completing the interrupted publish of run {plan['run_id']}")
        complete_publish(plan)
    for name in child_names(output, ".staging-"):
        run_id = name.removeprefix(".staging-")
        say(f"newsbeam: removing what run {run_id} staged before it was stopped (it published nothing)")
        discard_staging(staging_path(output, run_id))
        discard_staging(state_staging_path(state, run_id))
    for name in child_names(output, ".publish-"):
        if name.endswith(".tmp"):  # a journal being written when the run was killed: nothing moved yet
            _delete_if_present([f"{output}/{name}"])


def write_json_atomically(path: str, document: dict[str, Any]) -> None:
    aside = f"{path}.tmp"
    _make_parent(path)
    with FileSystems.create(aside) as handle:
        handle.write(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    FileSystems.rename([aside], [path])


def discard_staging(staging: str) -> None:
    """Remove a staging folder and everything under it, on any filesystem."""
    if FileSystems.exists(staging):  # a real folder (the local disk)
        FileSystems.delete([staging])
    if _has_folders(staging):
        return
    # An object store (gs://, s3://) has no folder to test or delete: only objects under a
    # prefix, which are listed and deleted one by one.
    _delete_if_present(_match([f"{staging}/**"]))


def _earlier_part_files(output: str, run_id: str) -> list[str]:
    """Part files a run with this id published; ``part-a-…`` of run ``a-b`` is not one of them."""
    name = re.compile(rf"/part-{re.escape(run_id)}-\d{{5}}\.jsonl$")
    wanted = f"part-{run_id}-*.jsonl"
    patterns = [
        f"{output}/articles/**/{wanted}",
        f"{output}/duplicates/{wanted}",
        f"{output}/rejects/{wanted}",
    ]
    return sorted(path for path in _match(patterns) if name.search(path))


def _earlier_state_files(state: str, run_id: str) -> list[str]:
    """This run id's state shards: ``STATE/<kind>/<run_id>.<ext>`` (the ledger's) and
    ``STATE/<kind>/shard-<run_id>-NNNNN.<ext>`` (the dedup index's, split in numbered files)."""
    found = []
    for path in _match([f"{state}/*/{run_id}.*", f"{state}/*/shard-{run_id}-*"]):
        relative = path[len(state) + 1 :]
        if "/" not in relative:
            continue
        kind, base = relative.split("/", 1)
        if kind.startswith(".") or "/" in base:
            continue
        rest = base[len(run_id) + 1 :] if base.startswith(f"{run_id}.") else _numbered_suffix(base, run_id)
        if rest is not None and _STATE_SHARD_SUFFIX.match(rest):
            found.append(path)
    return sorted(found)


def _numbered_suffix(base: str, run_id: str) -> str | None:
    """``shard-<run_id>-00003.jsonl`` -> ``jsonl``; None for another run's name."""
    prefix = f"shard-{run_id}-"
    if not base.startswith(prefix):
        return None
    number, _, suffix = base[len(prefix) :].partition(".")
    return suffix if number.isdigit() else None


def _match(patterns: list[str]) -> list[str]:
    try:
        results = FileSystems.match(patterns)
    except BeamIOError:
        return []
    return [metadata.path for result in results for metadata in result.metadata_list]


def staged_state_files(state: str, run_id: str) -> list[str]:
    """Where the state files that run ``run_id`` staged will be once it has published."""
    folder = state_staging_path(state, run_id)
    return [f"{state}/{path[len(folder) + 1 :]}" for path in _files_under(folder)]


def _files_under(folder: str) -> list[str]:
    # On an object store a "folder" is a prefix that never exists() by itself: only list.
    if _has_folders(folder) and not FileSystems.exists(folder):
        return []
    return sorted(_match([f"{folder}/**"]))


def _has_folders(path: str) -> bool:
    """Whether ``path``'s filesystem has real folders (the local disk) or only object prefixes."""
    return "://" not in path or FileSystems.get_filesystem(path).has_dirs()


def child_names(folder: str, prefix: str) -> list[str]:
    """Names directly inside ``folder`` that start with ``prefix`` (files or folders)."""
    if "://" not in folder:
        return (
            sorted(name for name in os.listdir(folder) if name.startswith(prefix))
            if os.path.isdir(folder)
            else []
        )
    names = {
        path[len(folder) + 1 :].split("/", 1)[0]
        for path in _match([f"{folder}/{prefix}*", f"{folder}/{prefix}*/**"])
    }
    return sorted(names)


def _delete_if_present(paths: list[str]) -> None:
    present = [path for path in paths if FileSystems.exists(path)]
    if present:
        FileSystems.delete(present)


def _make_parent(path: str) -> None:
    parent = path.rsplit("/", 1)[0]
    # It may exist already; object stores have no folders to make.
    with contextlib.suppress(BeamIOError, OSError):
        FileSystems.mkdirs(parent)


def _remove_emptied_local_folders(removed: list[str], root: str) -> None:
    """Remove the partition folders under ``root`` that ``removed`` files left empty (local only).

    Only the removed files' folders are looked at, not the whole archive: a nightly output
    accumulates a folder per section and day, and walking them all at every publish would
    make publishing slower each night.
    """
    if "://" in root:
        return
    root = os.path.abspath(root)
    for path in removed:
        folder = os.path.dirname(os.path.abspath(path))  # the plan may hold "out/..." or "./out/..."
        while folder.startswith(root + os.sep) and os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
