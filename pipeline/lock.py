"""One run at a time per output folder: a lock file that does not outlive its owner.

``OutputLock(output)`` creates ``OUTPUT/.newsbeam.lock`` with ``O_EXCL`` and writes its
owner's host, pid and run id in it. A second run finds the file, sees that the owner is
alive and raises :class:`LockHeldError` (the CLI exits 3). A lock whose owner is gone (a
killed run on this host) is stale and taken over. The lock is released on exit.

Only local output folders are locked: object stores have no exclusive create, and a
distributed deployment has its scheduler to keep runs apart.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from types import TracebackType

__all__ = ["LockHeldError", "OutputLock", "live_holder"]

LOCK_NAME = ".newsbeam.lock"
#: A lock file we cannot read yet may be one its owner is still writing.
_UNREADABLE_GRACE_SECONDS = 10.0


class LockHeldError(RuntimeError):
    """Another live run holds the output folder."""


class OutputLock:
    def __init__(self, output: str, run_id: str) -> None:
        self._output = output
        self._path = os.path.join(output, LOCK_NAME)
        self._run_id = run_id
        self._held = False

    def __enter__(self) -> OutputLock:
        if "://" in self._output:
            return self
        os.makedirs(self._output, exist_ok=True)
        owner = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "run_id": self._run_id})
        for _ in range(2):
            try:
                descriptor = os.open(self._path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _read_owner(self._path)
                if holder is None and _age_seconds(self._path) < _UNREADABLE_GRACE_SECONDS:
                    raise LockHeldError(f"another newsbeam run is starting on {self._output}") from None
                if holder is not None and _is_alive(holder):
                    raise LockHeldError(
                        f"another newsbeam run (run id {holder.get('run_id')}, pid {holder.get('pid')}) "
                        f"is writing to {self._output}"
                    ) from None
                _remove(self._path)  # stale: its owner is gone
                continue
            with os.fdopen(descriptor, "w") as handle:
                handle.write(owner)
            self._held = True
            return self
        raise LockHeldError(f"could not take the lock {self._path}: another run keeps taking it")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._held:
            _remove(self._path)
            self._held = False


def live_holder(output: str) -> dict[str, object] | None:
    """The owner of the output's lock (host, pid, run id) if it is alive, else None."""
    owner = _read_owner(os.path.join(output, LOCK_NAME))
    return owner if owner is not None and _is_alive(owner) else None


def _read_owner(path: str) -> dict[str, object] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            owner = json.load(handle)
    except (OSError, ValueError):
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
        return time.time() - os.stat(path).st_mtime
    except OSError:
        return float("inf")


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
