"""Peak memory of a whole process tree, sampled from ``/proc`` (Linux; no psutil needed).

A Beam run in ``multi_processing`` mode is a parent process and a few SDK worker processes,
so the memory that matters is the sum over the tree, not the parent's own RSS.
:class:`TreeSampler` walks the tree rooted at one pid every ``interval`` seconds on a
background thread and keeps the peaks:

* ``peak_rss_bytes``: the largest sum of RSS over the tree. Pages shared between processes
  (copy-on-write after ``fork``) are counted once per process, so this errs high.
* ``peak_pss_bytes``: the largest sum of PSS (shared pages split between their users), when
  ``/proc/<pid>/smaps_rollup`` is readable; closer to what the machine really spends.
* ``peak_processes``: the most processes alive in the tree at once.

A process that is seen once in the tree stays followed even if it is re-parented (a worker
whose parent exited first), until it exits.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

__all__ = ["TreePeak", "TreeSampler", "tree_pids"]

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(slots=True)
class TreePeak:
    peak_rss_bytes: int = 0
    peak_pss_bytes: int | None = None
    peak_processes: int = 0
    samples: int = 0


def _stat(pid: int) -> tuple[int, int] | None:
    """``(ppid, start time)`` of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2 :].split()  # the command name may hold spaces and ')'
    return int(fields[1]), int(fields[19])


def _parents() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat is not None:
                children.setdefault(stat[0], []).append(int(name))
    return children


def tree_pids(root: int) -> list[int]:
    """``root`` and all its live descendants."""
    children = _parents()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def _pss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        return None
    return None


class TreeSampler:
    """Samples the process tree under ``pid`` until :meth:`stop`; use as a context manager."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive.")
        self.pid, self.interval = pid, interval
        self.peak = TreePeak()
        self._known: dict[int, int] = {}  # pid -> start time, so a recycled pid is not mistaken
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"rss-sampler-{pid}", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> TreePeak:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()
        return self.peak

    def sample(self) -> None:
        """Take one sample now (the background thread calls this every ``interval``)."""
        for pid in tree_pids(self.pid):
            stat = _stat(pid)
            if stat is not None:
                self._known.setdefault(pid, stat[1])
        rss_total, pss_total, alive = 0, 0, 0
        pss_ok = True
        for pid, started in list(self._known.items()):
            stat = _stat(pid)
            if stat is None or stat[1] != started:
                del self._known[pid]
                continue
            rss = _rss(pid)
            if rss is None:
                continue
            alive += 1
            rss_total += rss
            pss = _pss(pid) if pss_ok else None
            if pss is None:
                pss_ok = False
            else:
                pss_total += pss
        peak = self.peak
        peak.samples += 1
        peak.peak_rss_bytes = max(peak.peak_rss_bytes, rss_total)
        peak.peak_processes = max(peak.peak_processes, alive)
        if pss_ok and alive:
            peak.peak_pss_bytes = max(peak.peak_pss_bytes or 0, pss_total)

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._done.wait(self.interval):
                return
