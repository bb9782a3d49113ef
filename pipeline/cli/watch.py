"""``newsbeam watch``: a run whenever complete new files have arrived, until told to stop.

For users who receive dumps through the day. Every ``--every`` seconds the watcher lists
its inputs and leaves out what the ledger says was consumed. A new file is *complete* when

- a marker ``NAME.done`` sits beside it, or a ``.done`` file in its folder, or
- its size and modification time were the same at the previous poll (so a file that is
  still being copied waits for the next poll).

When some are complete, it runs one ordinary run over exactly those files (the run id is
the UTC time, the ledger then records them). A failed run is logged and the next poll
tries again. SIGINT or SIGTERM stops the watcher after the run in progress, if any: the
run publishes, the lock is released, the exit status is 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import posixpath
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any

from apache_beam.options.pipeline_options import PipelineOptions

from newsbeam.pipeline.cli.common import EXIT_OK, EXIT_USAGE, error
from newsbeam.pipeline.config.loader import Config, ConfigError, load_config
from newsbeam.pipeline.config.options import (
    RunOptions,
    UsageError,
    beam_options,
    default_run_id,
    parse_run_args,
)
from newsbeam.pipeline.running.execute import RunFailedError, check_locations, execute_run
from newsbeam.pipeline.running.ledger import (
    MARKER_SUFFIX,
    InputFile,
    list_input_files,
    load_ledger,
    select_files,
)
from newsbeam.pipeline.running.lock import LockHeldError
from newsbeam.pipeline.running.logs import configure_logging, log

__all__ = ["complete_files", "main", "watch"]

FOLDER_MARKER = ".done"


def complete_files(
    new: Sequence[InputFile], previous: dict[str, tuple[int, float]], markers: set[str]
) -> list[InputFile]:
    """The new files that are complete (see the module docstring)."""
    ready = []
    for item in new:
        folder = posixpath.dirname(item.path)
        marked = item.path + MARKER_SUFFIX in markers or f"{folder}/{FOLDER_MARKER}" in markers
        if marked or previous.get(item.path) == (item.size, item.mtime):
            ready.append(item)
    return ready


def watch(
    template: RunOptions,
    config: Config,
    options: PipelineOptions,
    every: float,
    say: Callable[[str], Any],
    max_runs: int = 0,
    stop: threading.Event | None = None,
) -> int:
    """Poll and run until stopped (or ``max_runs`` runs); returns the number of runs."""
    stop = stop or threading.Event()
    _stop_on_signals(stop, say)
    previous: dict[str, tuple[int, float]] = {}
    runs = 0
    say(f"newsbeam: watching {', '.join(template.inputs)} every {every:g} s")
    while not stop.is_set():
        listed, markers = _listing(template.inputs)
        new = select_files(listed, load_ledger(template.state), verify=template.verify_checksums).to_read
        ready = complete_files(new, previous, markers)
        previous = {item.path: (item.size, item.mtime) for item in listed}
        if ready:
            run = dataclasses.replace(template, run_id=default_run_id())
            say(f"newsbeam: {len(ready)} new complete files; starting run {run.run_id}")
            try:
                outcome = execute_run(run, config, options, say=say, files=ready)
                counts = outcome.manifest["counts"]
                say(
                    f"newsbeam: run {run.run_id} succeeded: {counts['pages_read']} pages, "
                    f"{counts['articles']} articles, {counts['rejects']} rejects"
                )
            except (RunFailedError, LockHeldError) as error:
                say(f"newsbeam: run {run.run_id} did not publish: {error}; trying again at the next poll")
            runs += 1
            if max_runs and runs >= max_runs:
                break
        stop.wait(every)
    say(f"newsbeam: watch stopped after {runs} runs")
    return runs


def _listing(inputs: Sequence[str]) -> tuple[list[InputFile], set[str]]:
    """The input files and the ``.done`` markers among them (an empty or missing input: none)."""
    from apache_beam.io.filesystems import FileSystems

    from newsbeam.transforms.formats.files import expand_input

    try:
        files = list_input_files(inputs)
        found = FileSystems.match([expand_input(given) for given in inputs])
    except Exception:  # noqa: BLE001 - a folder not created yet is an empty one.
        return [], set()
    markers = {meta.path for result in found for meta in result.metadata_list if meta.path.endswith(".done")}
    return files, markers


def _stop_on_signals(stop: threading.Event, say: Callable[[str], Any]) -> None:
    def handle(number: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # a second signal: stop now
        say(f"newsbeam: {signal.Signals(number).name} received; stopping after the run in progress")
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handle)
        signal.signal(signal.SIGTERM, handle)


def main(argv: Sequence[str]) -> int:
    """``newsbeam watch``: 0 when stopped, 2 on bad usage."""
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--every", type=float, default=60.0)
    extra.add_argument("--max-runs", type=int, default=0)
    if any(arg in ("-h", "--help") for arg in argv):
        print(
            "usage: newsbeam watch --input DIR --output OUT [--every SECONDS] [--max-runs N] [run flags]\n"
            "Poll every SECONDS (default 60) and run over new complete files (size stable across two\n"
            "polls, or a NAME.done / folder .done marker); SIGINT/SIGTERM stop after the run in progress."
        )
        return EXIT_OK
    known, rest = extra.parse_known_args(list(argv))
    try:
        if known.every <= 0 or known.max_runs < 0:
            raise UsageError("--every must be positive and --max-runs not negative")
        if any(arg == "--run-id" or arg.startswith("--run-id=") for arg in rest):
            raise UsageError("watch names each run after its start time; leave out --run-id")
        template, beam_args = parse_run_args(rest)
        config = load_config(template.config)
        options = beam_options(beam_args)
        check_locations(template.output, template.state)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    except (UsageError, ConfigError) as failure:
        error(str(failure))
        return EXIT_USAGE
    configure_logging(template.log_format, template.quiet)
    watch(template, config, options, known.every, say=log, max_runs=known.max_runs)
    return EXIT_OK
