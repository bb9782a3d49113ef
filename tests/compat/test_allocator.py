"""The allocator settings that let a run's freed buffers go back to the system."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

from newsbeam.pipeline.compat.allocator import (
    MMAP_THRESHOLD_BYTES,
    TRIM_THRESHOLD_BYTES,
    keep_memory_returnable,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc settings")


@linux_only
def test_workers_inherit_the_thresholds(monkeypatch) -> None:
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    keep_memory_returnable()
    show = "import os; print(os.environ['MALLOC_MMAP_THRESHOLD_'], os.environ['MALLOC_TRIM_THRESHOLD_'])"
    child = subprocess.run([sys.executable, "-c", show], capture_output=True, text=True, check=True)
    assert child.stdout.split() == [str(MMAP_THRESHOLD_BYTES), str(TRIM_THRESHOLD_BYTES)]


@linux_only
def test_a_value_the_user_set_is_kept(monkeypatch) -> None:
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "262144")
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    keep_memory_returnable()
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "262144"
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == str(TRIM_THRESHOLD_BYTES)


@linux_only
def test_glibc_accepts_the_settings(monkeypatch) -> None:
    if not hasattr(ctypes.CDLL(None), "mallopt"):
        pytest.skip("not glibc")
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    assert keep_memory_returnable() is True
