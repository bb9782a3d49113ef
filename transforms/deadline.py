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

__all__ = ["NO_DEADLINE", "Deadline", "ExtractionTimeout"]


class ExtractionTimeout(Exception):
    """Extraction of one page took longer than its time budget."""


class Deadline:
    """A point on the monotonic clock after which :meth:`check` raises."""

    __slots__ = ("_at", "seconds")

    def __init__(self, seconds: float | None) -> None:
        if seconds is not None and seconds <= 0:
            raise ValueError(f"a time budget must be positive, not {seconds}")
        self.seconds = seconds
        self._at = time.monotonic() + seconds if seconds is not None else math.inf

    def check(self) -> None:
        """Raise :class:`ExtractionTimeout` when the budget is spent."""
        if time.monotonic() > self._at:
            raise ExtractionTimeout(f"extraction took longer than {self.seconds:g} s")

    @property
    def expired(self) -> bool:
        return time.monotonic() > self._at


#: A deadline that never expires, for callers that set no budget.
NO_DEADLINE = Deadline(None)
