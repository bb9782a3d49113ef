"""The ``newsbeam`` command (also ``python -m pipeline``).

Exit status (DESIGN.md): 0 the run succeeded; 1 the pipeline failed; 2 bad usage or
configuration, said in one sentence before any work starts; 3 another run holds the
output folder; 4 the run published, but rejected more pages than ``--max-reject-ratio``.

Commands: ``run`` (one run, or one per day of a ``--from``/``--to`` backfill, stopping at
the first that fails), ``runs`` (the runs of an output folder) and ``watch`` (a run
whenever complete new files arrive; ``pipeline/watch.py``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

# Importing Beam logs a warning about optional Google Cloud clients through the root logger;
# a handler on the root keeps that noise off the user's terminal until logging is set up.
logging.getLogger().addHandler(logging.NullHandler())

from apache_beam.options.pipeline_options import PipelineOptions  # noqa: E402

from pipeline.config import Config, ConfigError, load_config  # noqa: E402
from pipeline.dates import runs_for_dates  # noqa: E402
from pipeline.lock import LockHeldError  # noqa: E402
from pipeline.logs import configure_logging, log  # noqa: E402
from pipeline.options import RunOptions, UsageError, beam_options, parse_run_args  # noqa: E402
from pipeline.report import format_summary  # noqa: E402
from pipeline.runner import RunFailedError, check_inputs, execute_run  # noqa: E402

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_TOO_MANY_REJECTS = 0, 1, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        _top_level_parser().print_help()
        return EXIT_OK if args else EXIT_USAGE
    if args[0] == "--version":
        from pipeline.manifest import versions

        print(f"newsbeam {versions().get('newsbeam', 'unknown')}")
        return EXIT_OK
    command, rest = args[0], args[1:]
    if command == "run":
        return _run(rest)
    if command == "runs":
        return _runs(rest)
    if command == "watch":
        return _watch(rest)
    _error(f"unknown command {command!r}; try `newsbeam run --help`")
    return EXIT_USAGE


def _top_level_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="Apache Beam pipeline: folders of news-page dumps in, clean deduplicated articles out.",
    )
    parser.add_argument(
        "command",
        choices=["run", "runs", "watch"],
        help="run: process dumps (see `newsbeam run --help`); runs: list the runs of an output "
        "folder; watch: run whenever complete new files arrive",
    )
    return parser


def _run(argv: list[str]) -> int:
    try:
        template, beam_args = parse_run_args(argv)
        config = load_config(template.config)
        options = beam_options(beam_args)
        days = runs_for_dates(template)
        if len(days) == 1:
            check_inputs(days[0].inputs)
    except SystemExit as exit_:  # argparse has printed its own usage message
        return EXIT_USAGE if exit_.code else EXIT_OK
    except (UsageError, ConfigError) as error:
        _error(str(error))
        return EXIT_USAGE
    configure_logging(template.log_format, template.quiet)
    status = EXIT_OK
    for run in days:
        if len(days) > 1:
            try:
                check_inputs(run.inputs)
            except UsageError as error:
                _error(f"backfill stopped at {run.run_id}: {error}")
                return EXIT_USAGE
        code = _run_once(run, config, options)
        if code in (EXIT_FAILED, EXIT_LOCKED):
            if len(days) > 1:
                _error(f"backfill stopped at {run.run_id}; the days after it were not run")
            return code
        status = max(status, code)
    return status


def _run_once(run: RunOptions, config: Config, options: PipelineOptions) -> int:
    def say(message: str) -> None:
        log(message, run_id=run.run_id)

    try:
        outcome = execute_run(run, config, options, say=say)
    except LockHeldError as error:
        _error(str(error), run_id=run.run_id, event="locked")
        return EXIT_LOCKED
    except RunFailedError as error:
        where = f" on input file {error.path}" if error.path else ""
        _error(
            f"run {run.run_id} failed in stage {error.stage}{where}: {error}; nothing was published",
            run_id=run.run_id,
            event="run_failed",
            stage=error.stage,
            input_file=error.path,
        )
        return EXIT_FAILED
    manifest = outcome.manifest
    if run.log_format == "json":
        fields = {key: manifest[key] for key in ("counts", "rejects_by_reason", "sections", "timings")}
        log("run succeeded", run_id=run.run_id, event="run_succeeded", **fields)
    print(format_summary(manifest), flush=True)
    if outcome.reject_ratio > run.max_reject_ratio:
        _error(
            f"{outcome.reject_ratio:.0%} of pages were rejected, more than --max-reject-ratio "
            f"{run.max_reject_ratio:.0%}; see {run.output}/rejects/",
            run_id=run.run_id,
            event="too_many_rejects",
        )
        return EXIT_TOO_MANY_REJECTS
    return EXIT_OK


def _runs(argv: list[str]) -> int:
    import json

    from pipeline.runs import format_runs, list_runs

    parser = argparse.ArgumentParser(prog="newsbeam runs", description="List the runs of an output folder.")
    parser.add_argument("--output", required=True, metavar="DIR")
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    try:
        known = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    rows = list_runs(known.output.rstrip("/") or "/")
    if known.json:
        for row in rows:
            print(json.dumps(row, sort_keys=True))
    else:
        print(format_runs(rows))
    return EXIT_OK


def _watch(argv: list[str]) -> int:
    from pipeline.watch import watch

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
    known, rest = extra.parse_known_args(argv)
    try:
        if known.every <= 0 or known.max_runs < 0:
            raise UsageError("--every must be positive and --max-runs not negative")
        if any(arg == "--run-id" or arg.startswith("--run-id=") for arg in rest):
            raise UsageError("watch names each run after its start time; leave out --run-id")
        template, beam_args = parse_run_args(rest)
        config = load_config(template.config)
        options = beam_options(beam_args)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    except (UsageError, ConfigError) as error:
        _error(str(error))
        return EXIT_USAGE
    configure_logging(template.log_format, template.quiet)
    watch(template, config, options, known.every, say=log, max_runs=known.max_runs)
    return EXIT_OK


def _error(message: str, **fields: object) -> None:
    if logging.getLogger().handlers and not isinstance(logging.getLogger().handlers[0], logging.NullHandler):
        log(f"error: {message}", logging.ERROR, **fields)
    else:  # before logging is set up (usage errors)
        print(f"newsbeam: error: {message}", file=sys.stderr, flush=True)
