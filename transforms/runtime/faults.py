"""Fault injection points, used only by tests.

Production code calls :func:`kill_point` and :func:`fail_point` at a few named moments.
They do nothing unless the test sets an environment variable:

- ``NEWSBEAM_TEST_KILL_AT=<point>``: the process kills itself with SIGKILL at that point
  (as a power cut would: no ``finally``, no atexit, no flushing of Python buffers);
  ``<point>#<n>`` kills at the n-th time the point is reached (1-based).
- ``NEWSBEAM_TEST_PAUSE_AT=<point>:<seconds>``: the process sleeps there (to hold the lock
  while a test starts a second run).
- ``NEWSBEAM_TEST_FAIL_AT=<point>:<text>``: :func:`fail_point` raises ``RuntimeError`` when
  called with that point and a subject containing ``text`` (e.g. ``read:broken/blob.html``).

Kill points: ``pipeline-done`` (the pipeline wrote every staged file), ``journal-written``,
``publish-move`` (after each file moved into place), ``before-manifest``, ``after-manifest``.
"""

from __future__ import annotations

import os
import signal
import time

__all__ = ["fail_point", "kill_point"]

KILL_VARIABLE = "NEWSBEAM_TEST_KILL_AT"
PAUSE_VARIABLE = "NEWSBEAM_TEST_PAUSE_AT"
FAIL_VARIABLE = "NEWSBEAM_TEST_FAIL_AT"
_reached: dict[str, int] = {}


def kill_point(point: str) -> None:
    paused = os.environ.get(PAUSE_VARIABLE)
    if paused and paused.partition(":")[0] == point:
        time.sleep(float(paused.partition(":")[2] or 1))
    wanted = os.environ.get(KILL_VARIABLE)
    if not wanted:
        return
    name, _, nth = wanted.partition("#")
    if name != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def fail_point(point: str, subject: str) -> None:
    wanted = os.environ.get(FAIL_VARIABLE)
    if not wanted:
        return
    name, _, text = wanted.partition(":")
    if name == point and text in subject:
        raise RuntimeError(f"injected failure at {point} for {subject}")
