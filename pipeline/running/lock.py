"""One run at a time per output folder: a lock file that does not outlive its owner.

``OutputLock(output)`` creates ``OUTPUT/.newsbeam.lock`` and writes its owner's host, pid
and run id in it. A second run finds the file, sees that the owner is alive and raises
:class:`LockHeldError` (the CLI exits 3). A lock whose owner is gone (a killed run on this
host) is stale and taken over; a lock written by another host cannot be checked from here
and is taken to be alive (the error says to delete the file if that run is gone). The lock
is released on exit.

**Local folders** are locked with ``O_EXCL``: of two runs that create the file at once,
exactly one succeeds.

**Other filesystems** (``gs://``, ``s3://``, any Beam ``FileSystems`` scheme) have no
exclusive create, so the lock there is **best effort**: a run that finds no lock writes one
naming itself with a random token, waits :data:`SETTLE_SECONDS`, reads it back and holds
the lock only if its own token is still there. Object stores keep the last write, and
``gs://`` and ``s3://`` read back what was written last, so of two runs that start within
the settle time the later writer wins and the other backs off. Two runs whose check and
write are further apart than that are kept apart by the ordinary check. It does not
protect against a run that ignores the lock, or a store without read-after-write
consistency; a scheduler that starts one run at a time per output remains the real guard
on a cluster. Release deletes the file only if it still holds this run's token.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from types import TracebackType

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

__all__ = ["LockHeldError", "OutputLock", "live_holder", "lock_path"]

LOCK_NAME = ".newsbeam.lock"
#: A lock file we cannot read yet may be one its owner is still writing.
_UNREADABLE_GRACE_SECONDS = 10.0
#: Non-local locks: how long a run waits between writing its lock and reading it back. It must
#: exceed the time between another run's "no lock here" and its write (one or two requests).
SETTLE_SECONDS = 2.0


class LockHeldError(RuntimeError):
    """Another live run holds the output folder."""


def lock_path(output: str) -> str:
    return f"{output.rstrip('/')}/{LOCK_NAME}"


class OutputLock:
    def __init__(self, output: str, run_id: str) -> None:
        self._output = output
        self._path = lock_path(output)
        self._run_id = run_id
        self._token = uuid.uuid4().hex
        self._held = False

    def __enter__(self) -> OutputLock:
        owner = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "run_id": self._run_id,
            "token": self._token,
        }
        take = self._take_local if _is_local(self._output) else self._take_shared
        for _ in range(2):
            if take(json.dumps(owner)):
                self._held = True
                return self
            _refuse_unless_stale(_read_owner(self._path), self._path, self._output)
            _remove(self._path)  # stale: its owner is gone
        raise LockHeldError(f"could not take the lock {self._path}: another run keeps taking it")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not self._held:
            return
        self._held = False
        if _is_local(self._output):
            _remove(self._path)
        elif (_read_owner(self._path) or {}).get("token") == self._token:
            _remove(self._path)  # only our own lock: another run may have taken over a stale one

    def _take_local(self, owner: str) -> bool:
        """Create the lock exclusively; False if a lock file is there."""
        os.makedirs(self._output, exist_ok=True)
        try:
            descriptor = os.open(self._path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "w") as handle:
            handle.write(owner)
        return True

    def _take_shared(self, owner: str) -> bool:
        """Best effort without an exclusive create: write, wait, read back (module docstring)."""
        if FileSystems.exists(self._path):
            return False
        with FileSystems.create(self._path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            handle.write(owner.encode("utf-8"))
        time.sleep(SETTLE_SECONDS)
        found = _read_owner(self._path)
        if found is None or found.get("token") != self._token:
            raise LockHeldError(
                f"another newsbeam run took the lock on {self._output} at the same time "
                f"(run id {(found or {}).get('run_id')})"
            )
        return True


def _refuse_unless_stale(owner: dict[str, object] | None, path: str, output: str) -> None:
    """Raise :class:`LockHeldError` unless the lock at ``path`` (its ``owner``, if readable) is stale."""
    if owner is None and _age_seconds(path) < _UNREADABLE_GRACE_SECONDS:
        raise LockHeldError(f"another newsbeam run is starting on {output}")
    if owner is not None and _is_alive(owner):
        elsewhere = owner.get("host") != socket.gethostname()
        where = f" on host {owner.get('host')}" if elsewhere else ""
        hint = f"; if that run is no longer running, delete {path}" if elsewhere else ""
        raise LockHeldError(
            f"another newsbeam run (run id {owner.get('run_id')}, pid {owner.get('pid')}{where}) "
            f"is writing to {output}{hint}"
        )


def live_holder(output: str) -> dict[str, object] | None:
    """The owner of the output's lock (host, pid, run id) if it is alive, else None."""
    owner = _read_owner(lock_path(output))
    return owner if owner is not None and _is_alive(owner) else None


def _is_local(path: str) -> bool:
    return "://" not in path


def _read_owner(path: str) -> dict[str, object] | None:
    try:
        if _is_local(path):
            with open(path, encoding="utf-8") as handle:
                owner = json.load(handle)
        else:
            with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                owner = json.loads(handle.read())
    except Exception:  # noqa: BLE001 - missing or half written, on any filesystem: unreadable.
        return None
    return owner if isinstance(owner, dict) else None


def _is_alive(owner: dict[str, object]) -> bool:
    if owner.get("host") != socket.gethostname():
        return True  # another machine's process cannot be checked from here: assume it runs
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _age_seconds(path: str) -> float:
    try:
        if _is_local(path):
            return time.time() - os.stat(path).st_mtime
        return time.time() - float(FileSystems.last_updated(path))
    except Exception:  # noqa: BLE001 - gone meanwhile, on any filesystem.
        return float("inf")


def _remove(path: str) -> None:
    if _is_local(path):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
        return
    with contextlib.suppress(Exception):  # already gone: another run removed the stale lock too
        FileSystems.delete([path])
