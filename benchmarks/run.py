"""Time whole ``newsbeam run`` invocations on a corpus, in one or more Beam running modes.

    python benchmarks/run.py --corpus DIR [--modes in_memory,multi_processing] [--workers 2]
        [--repeat 1] [--json OUT.json] [-- extra newsbeam/Beam flags]
    python benchmarks/run.py --pages 2000 ...    # generate a corpus into a temp folder first

For each mode and repeat it records the wall time, pages/s (``counts.pages_read`` of the run
manifest ``OUT/_runs/<run_id>.json``), MB/s of input read from disk, the peak summed RSS (and
PSS) of the whole process tree of the run, CPU seconds, and the manifest's ``timings`` when it
has them. If ``pipeline.baseline.run_plain_loop(inputs) -> pages`` exists, the same corpus is
also timed through it, as a no-Beam baseline: before the modes, and again right after
``in_memory`` (``--loop-runs 2``, the default), so that ``in_memory`` is compared with the mean
of the two loops around it.

Before each timed command every input file is read once, untimed (``warm_s`` in the figures),
so that every mode and the baseline start with the corpus in the page cache: the first run
would otherwise pay the disk alone (reading a 50,000-page corpus from a cold cache took 50 to
64 s here, its warm read 1.5 s). ``--cold`` skips this. The figures go to a table on stdout and, with
``--json``, to a file stamped with the git commit, date and machine, for comparing commits.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _rss import TreeSampler

__all__ = ["main", "time_command", "warm_page_cache"]

REPO = Path(__file__).resolve().parent.parent
MODES = ("in_memory", "multi_threading", "multi_processing")
SUCCESS_CODES = (0, 4)  # 4: published, but more rejects than --max-reject-ratio allows
_MB = 1_000_000

#: The plain loop over the same read and parse functions, run by the Python that runs this script.
PLAIN_LOOP = Path(__file__).resolve().parent / "plain_loop.py"


def time_command(argv: list[str], log: Path, cwd: Path | None = None, timeout: float | None = None) -> dict:
    """Run ``argv`` to completion; its wall time, exit code, tree memory peaks and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        with TreeSampler(proc.pid) as sampler:
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
                out.write(f"\n[benchmark] killed after {timeout} s\n".encode())
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = sampler.peak
    return {
        "exit_code": code,
        "wall_s": round(wall, 3),
        "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 3),
        "peak_rss_mb": round(peak.peak_rss_bytes / _MB, 1),
        "peak_pss_mb": None if peak.peak_pss_bytes is None else round(peak.peak_pss_bytes / _MB, 1),
        "peak_processes": peak.peak_processes,
        "rss_samples": peak.samples,
    }


def warm_page_cache(inputs: Path) -> dict:
    """Read every file under ``inputs`` once; how many, how many bytes, how long it took."""
    started = time.perf_counter()
    files = size = 0
    for path in sorted(p for p in inputs.rglob("*") if p.is_file()):
        with path.open("rb", buffering=0) as handle:
            while chunk := handle.read(_MB):
                size += len(chunk)
        files += 1
    return {"files": files, "bytes": size, "seconds": round(time.perf_counter() - started, 3)}


def _warm(args: argparse.Namespace, inputs: Path, label: str) -> float | None:
    if args.cold:
        return None
    warmed = warm_page_cache(inputs)
    print(
        f"[{label}] page cache warmed: {warmed['files']} files, {warmed['bytes'] / _MB:.0f} MB "
        f"in {warmed['seconds']:.1f} s (untimed)",
        file=sys.stderr,
        flush=True,
    )
    return warmed["seconds"]


def _corpus_info(corpus: Path) -> tuple[Path, dict]:
    """The folder to hand to ``--input`` and what is known about the corpus."""
    meta_path = corpus / "_corpus.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return corpus / meta.get("input_dir", "."), {
            "path": str(corpus),
            "pages": meta.get("pages"),
            "files": meta.get("files_total"),
            "bytes": meta.get("bytes_total"),
            "html_bytes": meta.get("html_bytes"),
            "seed": meta.get("seed"),
            "pages_by_kind": meta.get("pages_by_kind"),
        }
    files = [p for p in corpus.rglob("*") if p.is_file()]
    return corpus, {"path": str(corpus), "files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def _git() -> dict:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain")
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def _machine() -> dict:
    info: dict[str, object] = {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if "model name" in ln), None
        )
        meminfo = Path("/proc/meminfo").read_text().split()
        info["memory_gb"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1)
    except (OSError, ValueError):
        pass
    return info


def workers_for(mode: str, workers: int) -> int:
    """``--direct_num_workers`` for ``mode``: ``in_memory`` is the one-worker mode.

    Given more, Beam's ``in_memory`` runner splits each bundle over threads of one process
    (it warns that the mode should then be ``multi_threading`` or ``multi_processing``),
    and the threads contend for the GIL: at 50,000 pages it took 240.7 s with 2 and 213.8 s
    with 1 (two benchmark runs of one commit), using 281 s of CPU against 211.
    """
    return 1 if mode == "in_memory" else workers


def _run_mode(
    args: argparse.Namespace, command: list[str], inputs: Path, corpus: dict, mode: str, n: int
) -> dict:
    out = args.work_dir / f"out-{mode}-{n}"
    shutil.rmtree(out, ignore_errors=True)
    run_id = f"bench-{mode}-{n}"
    argv = [*command, "run", "--input", str(inputs), "--output", str(out), "--run-id", run_id]
    workers = workers_for(mode, args.workers)
    argv += ["--direct_running_mode", mode, "--direct_num_workers", str(workers), *args.extra]
    warm_s = _warm(args, inputs, f"{mode} #{n}")
    print(f"[{mode} #{n}] {' '.join(argv)}", file=sys.stderr, flush=True)
    figures = time_command(argv, args.work_dir / f"{run_id}.log", timeout=args.timeout)
    result = {
        "mode": mode,
        "repeat": n,
        "run_id": run_id,
        "workers": workers,
        "log": str(args.work_dir / f"{run_id}.log"),
        "warm_s": warm_s,
        **figures,
    }
    manifest_path = out / "_runs" / f"{run_id}.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    pages = manifest.get("counts", {}).get("pages_read")
    wall = figures["wall_s"]
    result["status"] = "ok" if figures["exit_code"] in SUCCESS_CODES and pages is not None else "failed"
    result["pages_read"] = pages
    result["pages_per_s"] = round(pages / wall, 2) if pages and wall else None
    result["input_mb_per_s"] = (
        round(corpus["bytes"] / _MB / wall, 2) if corpus.get("bytes") and wall else None
    )
    result["counts"] = manifest.get("counts")
    timings = manifest.get("timings")
    result["timings"] = timings if isinstance(timings, dict) else None
    if result["status"] != "ok":
        tail = Path(result["log"]).read_text(errors="replace")[-2000:]
        print(f"[{mode} #{n}] failed (exit {figures['exit_code']}); end of its log:\n{tail}", file=sys.stderr)
    if not args.keep_output:
        shutil.rmtree(out, ignore_errors=True)
        if args.work_dir == args.temp:
            result["log"] = None  # the temp folder goes at exit; pass --work-dir to keep logs
    return result


def _run_baseline(args: argparse.Namespace, inputs: Path, corpus: dict, n: int = 1) -> dict | None:
    listing = args.work_dir / "baseline-inputs.json"
    listing.write_text(json.dumps(sorted(str(p) for p in inputs.rglob("*") if p.is_file())))
    log = args.work_dir / f"baseline-{n}.log"
    argv = [sys.executable, str(PLAIN_LOOP), str(listing)]
    warm_s = _warm(args, inputs, f"baseline #{n}")
    print(f"[baseline #{n}] plain_loop.run_plain_loop", file=sys.stderr, flush=True)
    figures = time_command(argv, log, cwd=REPO, timeout=args.timeout)
    last = (log.read_text(errors="replace").strip().splitlines() or ["{}"])[-1]
    try:
        reply = json.loads(last)
    except ValueError:
        reply = {}
    pages, wall = reply.get("pages"), figures["wall_s"]
    return {
        "mode": "plain_loop",
        "repeat": n,
        "status": "ok" if figures["exit_code"] == 0 and isinstance(pages, int) else "failed",
        "log": str(log),
        "warm_s": warm_s,
        **figures,
        "pages_read": pages,
        "pages_per_s": round(pages / wall, 2) if isinstance(pages, int) and wall else None,
        "input_mb_per_s": round(corpus["bytes"] / _MB / wall, 2) if corpus.get("bytes") and wall else None,
    }


def _print_table(results: list[dict]) -> None:
    cols = ("mode", "status", "wall_s", "pages_read", "pages_per_s", "input_mb_per_s", "peak_rss_mb", "cpu_s")
    print("\n" + "".join(f"{c:>16}" for c in cols))
    for r in results:
        print("".join(f"{'-' if r.get(c) is None else r[c]:>16}" for c in cols))
    for r in results:
        if r.get("timings"):
            stages = ", ".join(f"{k} {v}" for k, v in r["timings"].items())
            print(f"  {r['mode']} #{r.get('repeat', 0)} stages: {stages}")


#: The throughput targets of the project, as ratios measured within one invocation.
TARGETS = {"multi_processing/in_memory": 1.7, "in_memory/plain_loop": 0.8}
#: 4x the pages may take at most 4.4x the time: 1.1 per unit of pages ratio.
LINEAR_SLACK = 1.1


def _mean_speed(results: list[dict], mode: str) -> float | None:
    speeds = [r["pages_per_s"] for r in results if r["mode"] == mode and r.get("pages_per_s")]
    return sum(speeds) / len(speeds) if speeds else None


def speed_ratios(results: list[dict], baselines: list[dict]) -> dict[str, float]:
    """pages/s of one mode over another's, from runs of the same corpus in this invocation.

    The plain loop's speed is the mean of its runs (``baselines``).
    """
    speeds = {mode: _mean_speed(results, mode) for mode in MODES}
    speeds["plain_loop"] = _mean_speed(baselines, "plain_loop")
    ratios = {}
    for name in ("multi_processing/in_memory", "multi_threading/in_memory", "in_memory/plain_loop"):
        top, bottom = name.split("/")
        if speeds.get(top) and speeds.get(bottom):
            ratios[name] = round(speeds[top] / speeds[bottom], 3)
    return ratios


def _scaling(results: list[dict], smaller_report: Path) -> dict[str, dict]:
    """Wall time of each mode against the same mode in an earlier report on fewer pages."""
    earlier = json.loads(smaller_report.read_text())
    scaling = {}
    for mode in MODES:
        now = [r for r in results if r["mode"] == mode and r.get("pages_read")]
        before = [r for r in earlier.get("results", []) if r["mode"] == mode and r.get("pages_read")]
        if now and before:
            pages = now[0]["pages_read"] / before[0]["pages_read"]
            time = sum(r["wall_s"] for r in now) / len(now) / (sum(r["wall_s"] for r in before) / len(before))
            scaling[mode] = {
                "pages_ratio": round(pages, 3),
                "time_ratio": round(time, 3),
                "allowed_time_ratio": round(pages * LINEAR_SLACK, 3),
                "peak_rss_mb": max(r.get("peak_rss_mb") or 0 for r in now),
                "earlier_peak_rss_mb": max(r.get("peak_rss_mb") or 0 for r in before),
            }
    return scaling


def _print_ratios(ratios: dict[str, float], scaling: dict | None) -> None:
    for name, value in ratios.items():
        target = TARGETS.get(name)
        verdict = (
            "" if target is None else f"  (target >= {target}: {'met' if value >= target else 'NOT met'})"
        )
        print(f"  {name} pages/s: {value}{verdict}")
    for mode, figures in (scaling or {}).items():
        met = figures["time_ratio"] <= figures["allowed_time_ratio"]
        print(
            f"  {mode}: {figures['pages_ratio']}x the pages took {figures['time_ratio']}x the time "
            f"(at most {figures['allowed_time_ratio']}x: {'met' if met else 'NOT met'})"
        )


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus", type=Path, help="corpus folder (from generate_corpus.py, or any dump)")
    source.add_argument("--pages", type=int, help="generate a corpus of N pages into a temp folder")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpus")
    parser.add_argument(
        "--modes", default="in_memory,multi_processing", help=f"comma list of {', '.join(MODES)}"
    )
    parser.add_argument("--workers", type=int, default=2, help="--direct_num_workers")
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--newsbeam", default="newsbeam", help="command to run (default: newsbeam on PATH)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain-loop baseline")
    parser.add_argument(
        "--loop-runs",
        type=int,
        choices=(1, 2),
        default=2,
        help="plain-loop runs: 2 (default) runs it before and after in_memory and takes the mean",
    )
    parser.add_argument("--work-dir", type=Path, help="where run outputs and logs go (default: a temp dir)")
    parser.add_argument("--keep-output", action="store_true", help="keep each run's output folder")
    parser.add_argument("--timeout", type=float, help="seconds before a run is killed")
    parser.add_argument(
        "--cold", action="store_true", help="do not read the corpus into the page cache before each run"
    )
    parser.add_argument(
        "--compare-to",
        type=Path,
        help="a report (--json) of a run on fewer pages: print how time grew with the pages",
    )
    parser.add_argument("extra", nargs="*", help="after --: more flags for newsbeam run (e.g. --config X)")
    args = parser.parse_args(argv)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or any(m not in MODES for m in args.modes):
        parser.error(f"--modes takes a comma list of {', '.join(MODES)}.")
    if args.workers < 1 or args.repeat < 1:
        parser.error("--workers and --repeat must be at least 1.")
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus} is not a folder.")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    # The command on PATH, or the one installed beside this Python (a venv that is not activated).
    found = shutil.which(args.newsbeam) or shutil.which(args.newsbeam, path=str(Path(sys.executable).parent))
    command = [found] if found else None
    if command is None:
        print(
            f"{args.newsbeam!r} is not on PATH; install the package (pip install -e .) first.",
            file=sys.stderr,
        )
        return 2
    temp = Path(tempfile.mkdtemp(prefix="newsbeam-bench-"))
    args.temp, args.work_dir = temp, args.work_dir or temp
    args.work_dir.mkdir(parents=True, exist_ok=True)
    try:
        if args.corpus is None:
            from generate_corpus import Options, generate

            args.corpus = temp / "corpus"
            print(f"generating {args.pages} pages into {args.corpus}", file=sys.stderr, flush=True)
            generate(Options(pages=args.pages, out=args.corpus, seed=args.seed), jobs=os.cpu_count() or 1)
        inputs, corpus = _corpus_info(args.corpus)
        # The loop runs first and again right after in_memory, and the in_memory/loop ratio takes
        # the mean of the two: this kind of machine drifts by 10% over the ten minutes of a
        # 50,000-page benchmark (one loop took 144.2 to 169.7 s in six invocations of one
        # evening), and a bracket cancels a steady drift where one loop beside it did not.
        baselines: list[dict | None] = []
        if not args.no_baseline:
            baselines.append(_run_baseline(args, inputs, corpus, 1))
        results = []
        for mode in args.modes:
            results += [_run_mode(args, command, inputs, corpus, mode, n) for n in range(1, args.repeat + 1)]
            if mode == "in_memory" and baselines and baselines[0] is not None and args.loop_runs > 1:
                baselines.append(_run_baseline(args, inputs, corpus, 2))
        found = [baseline for baseline in baselines if baseline is not None]
        _print_table(results + found)
        ratios = speed_ratios(results, found)
        scaling = _scaling(results, args.compare_to) if args.compare_to else None
        _print_ratios(ratios, scaling)
        report = {
            "benchmark": "newsbeam run",
            "git": _git(),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": _machine(),
            "corpus": corpus,
            "workers": args.workers,
            "extra_args": args.extra,
            "results": results,
            "baseline": found[0] if found else None,
            "baselines": found,
            "ratios": ratios,
            "scaling": scaling,
        }
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=1))
            print(f"figures written to {args.json}")
        return 0 if all(r["status"] == "ok" for r in results) else 1
    finally:
        if not args.keep_output:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
