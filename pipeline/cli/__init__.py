"""The ``newsbeam`` command (also ``python -m pipeline``).

``newsbeam run ...`` processes dumps; ``newsbeam state compact --state DIR`` merges the
per-run shards of the cross-run dedup index into a few files.

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

from newsbeam.pipeline.config.dates import runs_for_dates  # noqa: E402
from newsbeam.pipeline.config.loader import Config, ConfigError, load_config  # noqa: E402
from newsbeam.pipeline.config.options import RunOptions, UsageError, beam_options, parse_run_args  # noqa: E402
from newsbeam.pipeline.running.execute import RunFailedError, check_inputs, check_locations, execute_run  # noqa: E402
from newsbeam.pipeline.running.lock import LockHeldError  # noqa: E402
from newsbeam.pipeline.running.logs import configure_logging, log  # noqa: E402
from newsbeam.pipeline.running.summary import format_summary  # noqa: E402

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_TOO_MANY_REJECTS = 0, 1, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        _top_level_parser().print_help()
        return EXIT_OK if args else EXIT_USAGE
    if args[0] == "--version":
        from newsbeam.pipeline.running.manifest import versions

        print(f"newsbeam {versions().get('newsbeam', 'unknown')}")
        return EXIT_OK
    command, rest = args[0], args[1:]
    if command == "run":
        return _run(rest)
    if command == "state":
        return _state(rest)
    if command == "sections":
        from newsbeam.pipeline.cli.sections import main as sections_main

        return sections_main(rest)
    if command == "runs":
        from newsbeam.pipeline.cli.runs import main as runs_main

        return runs_main(rest)
    if command == "watch":
        from newsbeam.pipeline.cli.watch import main as watch_main

        return watch_main(rest)
    if command == "steps":
        return _steps(rest)
    _error(f"unknown command {command!r}; try `newsbeam --help`")
    return EXIT_USAGE


def _top_level_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="Apache Beam pipeline: folders of news-page dumps in, clean deduplicated articles out.",
    )
    parser.add_argument(
        "command",
        choices=["run", "runs", "watch", "state", "sections", "steps"],
        help="run: process dumps (see `newsbeam run --help`); runs: list the runs of an output "
        "folder; watch: run whenever complete new files arrive; state compact: merge the dedup "
        "index's shards; sections: train or evaluate the section classifier; steps: list built-in "
        "and installed steps",
    )
    return parser


def _state(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="newsbeam state", description="Maintain the cross-run state that `newsbeam run --state` keeps."
    )
    parser.add_argument("action", choices=["compact"], help="compact: merge the dedup index's shards")
    parser.add_argument(
        "--state", required=True, metavar="DIR", help="the state folder (OUTPUT/_state by default)"
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    from newsbeam.transforms.dedup.state import compact_state

    try:
        summary = compact_state(args.state.rstrip("/"))
    except Exception as error:  # noqa: BLE001 - any filesystem's error, said in one sentence.
        _error(f"compacting {args.state!r} failed, the state is as it was or holds lines twice: {error}")
        return EXIT_FAILED
    print(
        f"newsbeam state compact: {summary['shards']} shards, {summary['records']} articles "
        f"-> {summary['files']} file(s) in {args.state.rstrip('/')}/dedup",
        flush=True,
    )
    return EXIT_OK


def _steps(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="newsbeam steps",
        description="List the built-in steps and the steps installed under the entry-point group "
        "newsbeam.transforms, with their parameters and one-line docs.",
    )
    try:
        parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    import yaml

    from newsbeam.pipeline.config.loader import BUILTIN_STEPS, packaged_config_path
    from newsbeam.pipeline.registry.catalog import format_catalog

    defaults = yaml.safe_load(packaged_config_path().read_text(encoding="utf-8")) or {}
    print(format_catalog(BUILTIN_STEPS, defaults))
    return EXIT_OK


def _run(argv: list[str]) -> int:
    try:
        template, beam_args = parse_run_args(argv)
        config = load_config(template.config)
        options = beam_options(beam_args)
        days = runs_for_dates(template)
        check_locations(template.output, template.state)
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


def _error(message: str, **fields: object) -> None:
    if logging.getLogger().handlers and not isinstance(logging.getLogger().handlers[0], logging.NullHandler):
        log(f"error: {message}", logging.ERROR, **fields)
    else:  # before logging is set up (usage errors)
        print(f"newsbeam: error: {message}", file=sys.stderr, flush=True)
