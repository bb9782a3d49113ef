"""Progress of the read stage: worker tallies, and one bar or line for the whole run.

Beam's local runners report metrics only when a pipeline has finished, and on other
runners workers are other machines, so progress travels through small files:

- :class:`ProgressLine` (in the read stage's workers) counts the files, pages and bytes it
  has read and, at most every ``interval`` seconds and at the end of each bundle, writes
  them to ``FOLDER/<host>-<pid>-<n>.json`` through Beam's ``FileSystems``. Without a folder
  it prints its own line on stderr instead, as before:
  ``newsbeam: progress [read, pid 4242]: 1,200 files, 31,877 pages (512 pages/s)``.
- :class:`ProgressMonitor` (in the driver, a thread) sums those files every ``interval``
  seconds and shows the run's progress against the number of files and bytes to read:
  a bar redrawn in place on a terminal, a line through the logger otherwise.

An interval of 0 disables both (``--quiet``, tests).
"""

from __future__ import annotations

import itertools
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson

__all__ = ["ProgressLine", "ProgressMonitor", "format_progress"]

_INSTANCES = itertools.count()


class ProgressLine:
    def __init__(self, stage: str, interval: float, folder: str | None = None) -> None:
        self._stage = stage
        self._interval = interval
        self._folder = folder
        self._name = ""
        self._files = 0
        self._pages = 0
        self._bytes = 0
        self._started: float | None = None
        self._last = 0.0

    def advance(self, files: int, pages: int, size: int = 0) -> None:
        if self._interval <= 0:
            return
        now = time.monotonic()
        if self._started is None:
            self._started = self._last = now
        self._files += files
        self._pages += pages
        self._bytes += size
        if now - self._last >= self._interval:
            self._last = now
            self._report(now)

    def flush(self) -> None:
        """Write the tally now (end of a bundle); a worker prints nothing here."""
        if self._interval > 0 and self._folder and self._started is not None:
            self._report(time.monotonic())

    def close(self) -> None:
        if self._interval > 0 and self._started is not None and (self._pages or self._files):
            self._report(time.monotonic())

    def _report(self, now: float) -> None:
        if self._folder:
            self._write()
            return
        elapsed = max(now - (self._started or now), 1e-9)
        print(
            f"newsbeam: progress [{self._stage}, pid {os.getpid()}]: {self._files:,} files, "
            f"{self._pages:,} pages ({self._pages / elapsed:,.0f} pages/s)",
            file=sys.stderr,
            flush=True,
        )

    def _write(self) -> None:
        from apache_beam.io.filesystems import FileSystems

        if not self._name:
            self._name = f"{socket.gethostname()}-{os.getpid()}-{next(_INSTANCES)}.json"
        tally = {"files": self._files, "pages": self._pages, "bytes": self._bytes}
        try:
            with FileSystems.create(f"{self._folder}/{self._name}") as handle:
                handle.write(orjson.dumps(tally))
        except OSError:
            pass  # progress is best effort; it never fails a run


def format_progress(
    done: dict[str, int], total_files: int, total_bytes: int, seconds: float, width: int
) -> str:
    """``reading [#####.....] 11/22 files  48%  31 pages  12 pages/s  about 9 s left``."""
    share = min(done["bytes"] / total_bytes, 1.0) if total_bytes else (done["files"] / max(total_files, 1))
    filled = int(share * width)
    rate = done["pages"] / seconds if seconds > 0 else 0.0
    left = f"  about {seconds * (1 - share) / share:.0f} s left" if 0 < share < 1 else ""
    return (
        f"reading [{'#' * filled}{'.' * (width - filled)}] {done['files']}/{total_files} files  "
        f"{share:.0%}  {done['pages']:,} pages  {rate:,.0f} pages/s{left}"
    )


class ProgressMonitor:
    """Show the workers' summed tallies until stopped (see the module docstring)."""

    def __init__(
        self,
        folder: str,
        total_files: int,
        total_bytes: int,
        interval: float,
        say: Callable[[str], Any],
        terminal: bool = False,
    ) -> None:
        self._folder = folder
        self._total_files = total_files
        self._total_bytes = total_bytes
        self._interval = interval
        self._say = say
        self._terminal = terminal
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="newsbeam-progress", daemon=True)
        self._started = time.monotonic()

    def __enter__(self) -> ProgressMonitor:
        if self._interval > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
            if self._terminal:
                self._show(final=True)

    def tally(self) -> dict[str, int]:
        from apache_beam.io.filesystems import FileSystems

        done = {"files": 0, "pages": 0, "bytes": 0}
        try:
            found = FileSystems.match([f"{self._folder}/*.json"])[0].metadata_list
        except Exception:  # noqa: BLE001 - no worker has reported yet
            return done
        for metadata in found:
            try:
                with FileSystems.open(metadata.path) as handle:
                    counts = orjson.loads(handle.read())
            except (OSError, orjson.JSONDecodeError):
                continue  # being rewritten right now
            for key in done:
                done[key] += int(counts.get(key, 0))
        return done

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._show()

    def _show(self, final: bool = False) -> None:
        line = format_progress(
            self.tally(), self._total_files, self._total_bytes, time.monotonic() - self._started, 30
        )
        if self._terminal:
            print(f"\r\033[Knewsbeam: {line}", end="\n" if final else "", file=sys.stderr, flush=True)
        else:
            self._say(f"newsbeam: progress: {line}")
