"""A per-page time budget that extraction checks cooperatively.

Some pages make extractors run for a very long time (deeply nested markup, megabytes of
tiny elements). A page must never stall a run, and signals (``SIGALRM``) only work in the
main thread, while Beam runs ``DoFn`` bundles in worker threads. So the budget is checked
*cooperatively*: the parse stage creates a :class:`Deadline` per page and hands it to the
extractor, whose loops over elements call :meth:`Deadline.check`; once the monotonic clock
passes the deadline, ``check`` raises :class:`ExtractionTimeout` and the parse stage turns
the page into a reject ``timeout``.

>>> deadline = Deadline(3.0)        # seconds from now; Deadline(None) never expires
>>> for element in document.iter():
...     deadline.check()

The checks cost one ``time.monotonic()`` call each. What cannot be interrupted is a single
call into C (lxml's parse of one page); that is bounded by ``read.max_page_bytes``.
"""

from __future__ import annotations

import math
import time

__all__ = ["CHECK_EVERY", "NO_DEADLINE", "Deadline", "ExtractionTimeout"]

#: The clock is read on every this many checks.
CHECK_EVERY = 32


class ExtractionTimeout(Exception):
    """Extraction of one page took longer than its time budget."""


class Deadline:
    """A point on the monotonic clock after which :meth:`check` raises."""

    __slots__ = ("_at", "_calls", "seconds")

    def __init__(self, seconds: float | None) -> None:
        if seconds is not None and seconds <= 0:
            raise ValueError(f"a time budget must be positive, not {seconds}")
        self.seconds = seconds
        self._at = time.monotonic() + seconds if seconds is not None else math.inf
        self._calls = 0

    def check(self) -> None:
        """Raise :class:`ExtractionTimeout` when the budget is spent.

        The clock is read on every :data:`CHECK_EVERY`-th call only: loops call this once
        per element, and an element takes microseconds.
        """
        self._calls += 1
        if self._calls % CHECK_EVERY == 0 and time.monotonic() > self._at:
            raise ExtractionTimeout(f"extraction took longer than {self.seconds:g} s")

    def check_now(self) -> None:
        """Like :meth:`check`, reading the clock at once (after a long single step)."""
        if time.monotonic() > self._at:
            raise ExtractionTimeout(f"extraction took longer than {self.seconds:g} s")

    @property
    def expired(self) -> bool:
        return time.monotonic() > self._at


#: A deadline that never expires, for callers that set no budget.
NO_DEADLINE = Deadline(None)
