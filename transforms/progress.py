"""Progress lines that a worker prints while a long run reads its files.

Beam's local runners report metrics only when a pipeline has finished, so the read
stage prints what it has done every ``interval`` seconds, per worker process, on
stderr: ``newsbeam: progress [pid 4242]: 1,200 files, 31,877 pages (512 pages/s)``.
An interval of 0 prints nothing (``--quiet``, tests).
"""

from __future__ import annotations

import os
import sys
import time

__all__ = ["ProgressLine"]


class ProgressLine:
    def __init__(self, stage: str, interval: float) -> None:
        self._stage = stage
        self._interval = interval
        self._files = 0
        self._pages = 0
        self._started: float | None = None
        self._last = 0.0

    def advance(self, files: int, pages: int) -> None:
        if self._interval <= 0:
            return
        now = time.monotonic()
        if self._started is None:
            self._started = self._last = now
        self._files += files
        self._pages += pages
        if now - self._last >= self._interval:
            self._last = now
            self._print(now)

    def close(self) -> None:
        if self._interval > 0 and self._started is not None and self._pages:
            self._print(time.monotonic())

    def _print(self, now: float) -> None:
        elapsed = max(now - (self._started or now), 1e-9)
        print(
            f"newsbeam: progress [{self._stage}, pid {os.getpid()}]: {self._files:,} files, "
            f"{self._pages:,} pages ({self._pages / elapsed:,.0f} pages/s)",
            file=sys.stderr,
            flush=True,
        )
