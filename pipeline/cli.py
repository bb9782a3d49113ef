"""The ``newsbeam`` command (also ``python -m pipeline``).

Exit status (DESIGN.md): 0 the run succeeded; 1 the pipeline failed; 2 bad usage or
configuration, said in one sentence before any work starts; 3 another run holds the
output folder; 4 the run published, but rejected more pages than ``--max-reject-ratio``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

# Importing Beam logs a warning about optional Google Cloud clients through the root logger;
# a handler on the root keeps that noise off the user's terminal until logging is set up.
logging.getLogger().addHandler(logging.NullHandler())

from pipeline.config import ConfigError, load_config  # noqa: E402
from pipeline.lock import LockHeldError  # noqa: E402
from pipeline.options import UsageError, beam_options, parse_run_args  # noqa: E402
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
    if command == "steps":
        return _steps(rest)
    _error(f"unknown command {command!r}; try `newsbeam run --help`")
    return EXIT_USAGE


def _top_level_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="Apache Beam pipeline: folders of news-page dumps in, clean deduplicated articles out.",
    )
    parser.add_argument(
        "command",
        choices=["run", "steps"],
        help="run: process dumps (see `newsbeam run --help`); steps: list built-in and installed steps",
    )
    return parser


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

    from pipeline.config import BUILTIN_STEPS, packaged_config_path
    from pipeline.step_catalog import format_catalog

    defaults = yaml.safe_load(packaged_config_path().read_text(encoding="utf-8")) or {}
    print(format_catalog(BUILTIN_STEPS, defaults))
    return EXIT_OK


def _run(argv: list[str]) -> int:
    try:
        run, beam_args = parse_run_args(argv)
        config = load_config(run.config)
        options = beam_options(beam_args)
        check_inputs(run.inputs)
    except SystemExit as exit_:  # argparse has printed its own usage message
        return EXIT_USAGE if exit_.code else EXIT_OK
    except (UsageError, ConfigError) as error:
        _error(str(error))
        return EXIT_USAGE
    _quiet_beam(run.quiet)
    say = (
        (lambda message: None) if run.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    )
    try:
        outcome = execute_run(run, config, options, say=say)
    except LockHeldError as error:
        _error(str(error))
        return EXIT_LOCKED
    except RunFailedError as error:
        _error(f"the run failed and published nothing: {error}")
        return EXIT_FAILED
    print(format_summary(outcome.manifest), flush=True)
    if outcome.reject_ratio > run.max_reject_ratio:
        _error(
            f"{outcome.reject_ratio:.0%} of pages were rejected, more than --max-reject-ratio "
            f"{run.max_reject_ratio:.0%}; see {run.output}/rejects/"
        )
        return EXIT_TOO_MANY_REJECTS
    return EXIT_OK


def _quiet_beam(quiet: bool) -> None:
    # Beam logs every worker start and stage at INFO/WARNING; users want newsbeam's own lines.
    logging.basicConfig(
        level=logging.WARNING if not quiet else logging.ERROR, format="%(levelname)s %(message)s", force=True
    )
    logging.getLogger("apache_beam").setLevel(logging.ERROR)


def _error(message: str) -> None:
    print(f"newsbeam: error: {message}", file=sys.stderr, flush=True)
