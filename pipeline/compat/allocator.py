"""Let glibc give the memory of finished stages back to the system.

The DirectRunner's FnApiRunner moves each stage's input and output as byte buffers of
several MB. glibc serves allocations above its mmap threshold (128 KiB) with ``mmap`` and
returns them to the system when freed, but each time such a buffer is freed it raises the
threshold to that buffer's size (up to 32 MiB); from then on these buffers come from the
heap, which shrinks only from its top, and a run's memory stays at its high-water mark of
fragments. Fixing both thresholds keeps it near what the run really holds
(benchmarks/HISTORY.md has the figures).

The mmap threshold is 1 MiB, not glibc's initial 128 KiB: a page's bytes and text (tens to
hundreds of KB) then come from the heap, where freed memory is reused, instead of a fresh
mapping whose pages the kernel zeroes each time. The heap's top is given back once 8 MiB of
it is free.

The running process is set with ``mallopt``; the worker processes of ``multi_processing``
read the same settings from the environment when they start (a value the user already
set in the environment is kept). Other C libraries are left alone.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["MMAP_THRESHOLD_BYTES", "TRIM_THRESHOLD_BYTES", "keep_memory_returnable"]

MMAP_THRESHOLD_BYTES = 1 << 20
TRIM_THRESHOLD_BYTES = 8 << 20
_SETTINGS = (  # variable, mallopt's M_* number, value
    ("MALLOC_MMAP_THRESHOLD_", -3, MMAP_THRESHOLD_BYTES),
    ("MALLOC_TRIM_THRESHOLD_", -1, TRIM_THRESHOLD_BYTES),
)


def keep_memory_returnable() -> bool:
    """Apply the thresholds to this process and its future workers; False where glibc is absent."""
    if not sys.platform.startswith("linux"):
        return False
    for variable, _, value in _SETTINGS:
        os.environ.setdefault(variable, str(value))
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    return all(mallopt(option, int(os.environ[variable])) == 1 for variable, option, _ in _SETTINGS)
