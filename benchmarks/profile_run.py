"""Profile one ``newsbeam run`` and print the functions with the most inclusive (cumulative) time.

    python benchmarks/profile_run.py --input /tmp/corpus20k/data [--top 25] [--keep FILE] [--from-raw FILE]
        [--by-step]

The run is in ``in_memory`` mode, so that every stage runs in the profiled process. With
``py-spy`` installed (``pip install py-spy``; a sampler, so Python-heavy code is not
inflated as under a tracing profiler) it samples 50 times a second; otherwise cProfile
traces the run, which slows it down and weighs many small calls too heavily. The report
counts, for each function, the share of samples (or of time) in which it was on the stack,
so nested functions add up to more than 100%.

``--by-step`` (py-spy only) counts each sample once, for the pipeline step it belongs to: the
newsbeam function that Beam's runner called (a DoFn's ``process``, a ``Map``'s function), so
that the shares add up to 100% and show what each step costs beside reading and parsing.
Samples in no step are Beam's runner, the driver and Python itself.
"""

from __future__ import annotations

import argparse
import collections
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: Beam's helper threads, sampled beside the main one while they wait.
_IDLE_THREADS = ("threading.py", "concurrent/futures")
_NOISE = ("<module>", "runpy", *_IDLE_THREADS)
#: Frames of Beam's runner and of newsbeam's driver: every stage runs under them.
_PLUMBING = (
    "apache_beam/runners/",
    "(apache_beam/pipeline.py)",
    "newsbeam/pipeline/cli/",
    "(newsbeam/pipeline/running/execute.py)",
)
_PREFIXES = re.compile(r" \((?:/[^)]*?/site-packages/|/[^)]*?/(?=(?:pipeline|transforms)/))")


def _newsbeam_argv(input_path: str, output: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable, "-m", "newsbeam", "run", "--input", input_path, "--output", str(output),
        "--direct_running_mode", "in_memory", "--quiet", *extra,
    ]  # fmt: skip


def _samples(raw: Path) -> Iterator[tuple[list[str], int]]:
    """Each stack of a py-spy raw profile (its frames, outermost first) and its sample count."""
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        yield stack.split(";"), int(count)


def _frame_name(frame: str) -> str:
    """A frame as the report names it: the function and its file, without line or install path."""
    return re.sub(r":\d+\)$", ")", _PREFIXES.sub(" (", frame))


def _shares(counts: collections.Counter[str], total: int, top: int) -> list[tuple[float, str]]:
    return [(100.0 * samples / total, name) for name, samples in counts.most_common(top)]


def _top_from_pyspy(raw: Path, top: int, plumbing: bool = False) -> list[tuple[float, str]]:
    skipped = _NOISE if plumbing else _NOISE + _PLUMBING
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for frames, samples in _samples(raw):
        total += samples
        seen = set()
        for frame in frames:
            name = _frame_name(frame)
            if name not in seen and not any(noise in name for noise in skipped):
                seen.add(name)
                inclusive[name] += samples
    return _shares(inclusive, total, top)


#: Frames of newsbeam's own code, as py-spy names them (a path relative to the project).
_NEWSBEAM_FRAME = re.compile(r"\((?:/[^)]*/)?(?:pipeline|transforms)/[^)]*\)$")
OUTSIDE_STEPS = "(Beam's runner, the driver, Python)"


def _step_of(frames: list[str]) -> str:
    """The innermost newsbeam function that Beam's runner called: the step a sample belongs to."""
    step = OUTSIDE_STEPS
    for caller, frame in zip(frames, frames[1:], strict=False):
        if "apache_beam/" in caller and "apache_beam/" not in frame and _NEWSBEAM_FRAME.search(frame):
            step = _frame_name(frame)
    return step


def steps_from_pyspy(raw: Path, top: int) -> list[tuple[float, str]]:
    """Each sample counted once, for its step (see the module docstring); the largest first."""
    steps: collections.Counter[str] = collections.Counter()
    total = 0
    for frames, samples in _samples(raw):
        stack = ";".join(frames)
        if any(idle in stack for idle in _IDLE_THREADS) and "pipeline/" not in stack:
            continue  # an idle helper thread: it holds no step's time
        steps[_step_of(frames)] += samples
        total += samples
    return _shares(steps, total, top)


def _top_from_cprofile(stats_file: Path, top: int, plumbing: bool = False) -> list[tuple[float, str]]:
    skipped = _NOISE if plumbing else _NOISE + _PLUMBING
    stats = pstats.Stats(str(stats_file))
    total = max(entry[3] for entry in stats.stats.values())  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])  # type: ignore[attr-defined]
    report = []
    for (filename, line, function), (_, _, _, cumulative, _) in rows:
        name = _PREFIXES.sub(" (", f"{function} ({filename}:{line})")
        if not any(noise in name for noise in skipped):
            report.append((100.0 * cumulative / total, name))
        if len(report) == top:
            break
    return report


def _print(rows: list[tuple[float, str]], what: str) -> None:
    print(f"{'share':>7}  {what}")
    for share, name in rows:
        print(f"{share:6.1f}%  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="the dump folder (a corpus's data/ folder)")
    parser.add_argument("--top", type=int, default=25, help="how many functions to print")
    parser.add_argument("--keep", type=Path, help="keep the raw profile here")
    parser.add_argument("--cprofile", action="store_true", help="use cProfile even when py-spy exists")
    parser.add_argument("--plumbing", action="store_true", help="also list Beam's runner and the CLI frames")
    parser.add_argument(
        "--from-raw", type=Path, help="only print the report of a py-spy raw file kept earlier"
    )
    parser.add_argument("--by-step", action="store_true", help="one share per pipeline step (py-spy)")
    parser.add_argument("extra", nargs="*", help="after --: more flags for newsbeam run")
    args = parser.parse_args(argv)
    if args.from_raw:
        if args.by_step:
            _print(steps_from_pyspy(args.from_raw, args.top), "pipeline step (py-spy samples, each once)")
        else:
            rows = _top_from_pyspy(args.from_raw, args.top, args.plumbing)
            _print(rows, "function (inclusive, py-spy samples)")
        return 0
    work = Path(tempfile.mkdtemp(prefix="newsbeam-profile-"))
    try:
        run = _newsbeam_argv(args.input, work / "out", args.extra)
        beside_python = str(Path(sys.executable).parent)
        spy = None if args.cprofile else shutil.which("py-spy", path=beside_python) or shutil.which("py-spy")
        raw = args.keep or work / ("profile.txt" if spy else "profile.pstats")
        if spy:
            command = [spy, "record", "--format", "raw", "--rate", "50", "--output", str(raw), "--", *run]
        else:
            command = [sys.executable, "-m", "cProfile", "-o", str(raw), *run[1:]]
        print(" ".join(command), file=sys.stderr, flush=True)
        completed = subprocess.run(command, check=False)
        if completed.returncode not in (0, 4):
            print(f"the profiled run failed with exit status {completed.returncode}", file=sys.stderr)
            return 1
        if spy and args.by_step:
            _print(steps_from_pyspy(raw, args.top), "pipeline step (py-spy samples, each once)")
            return 0
        rows = _top_from_pyspy(raw, args.top) if spy else _top_from_cprofile(raw, args.top)
        _print(rows, f"function (inclusive, {'py-spy samples' if spy else 'cProfile cumulative time'})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
