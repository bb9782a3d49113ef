"""Progress: worker tallies in a folder, summed by the driver into one bar or line."""

from __future__ import annotations

from pathlib import Path

from newsbeam.transforms.runtime.progress import ProgressLine, ProgressMonitor, format_progress


def test_workers_tallies_are_summed_against_the_run_total(tmp_path: Path):
    folder = str(tmp_path / "_progress")
    workers = [ProgressLine("read", 0.01, folder) for _ in range(2)]
    workers[0].advance(files=1, pages=3, size=300)
    workers[1].advance(files=2, pages=4, size=100)
    for worker in workers:
        worker.flush()
    lines: list[str] = []
    monitor = ProgressMonitor(folder, total_files=6, total_bytes=800, interval=1.0, say=lines.append)
    assert monitor.tally() == {"files": 3, "pages": 7, "bytes": 400}
    monitor._show()
    assert lines and "3/6 files  50%  7 pages" in lines[0]


def test_the_bar_fills_with_the_bytes_read():
    line = format_progress({"files": 1, "pages": 10, "bytes": 25}, 4, 100, 2.0, 8)
    assert line.startswith("reading [##......] 1/4 files  25%  10 pages  5 pages/s  about 6 s left")
