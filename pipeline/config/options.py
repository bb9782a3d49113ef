"""The options of ``newsbeam run``, apart from Beam's own.

:func:`parse_run_args` reads newsbeam's flags with ``parse_known_args``; everything it
does not know is a Beam pipeline option and is handed to Beam unchanged (as Beam's
examples do). :func:`beam_options` then decides the runner: see :func:`choose_runner`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import (
    DirectOptions,
    PipelineOptions,
    StandardOptions,
    WorkerOptions,
)

from newsbeam.pipeline.compat.limits import unsupported_runner
from newsbeam.pipeline.running.runners import uses_direct_runner

__all__ = ["RunOptions", "UsageError", "beam_options", "default_run_id", "parse_run_args"]

DEFAULT_RUNNING_MODE = "multi_processing"


class UsageError(ValueError):
    """Bad command-line usage; the message is one sentence for the user (exit 2)."""


@dataclass(frozen=True)
class RunOptions:
    inputs: tuple[str, ...]
    output: str
    config: str | None
    state: str
    run_id: str
    reprocess: bool
    max_reject_ratio: float
    quiet: bool
    #: The days of a date-driven run or backfill (``pipeline/config/dates.py``); empty otherwise.
    dates: tuple[date, ...] = ()
    verify_checksums: bool = False
    log_format: str = "text"


def default_run_id(now: datetime | None = None) -> str:
    """The UTC start time, ``YYYYMMDDTHHMMSSZ``."""
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def run_argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam run",
        description="Turn folders of news-page dumps into deduplicated, classified articles "
        "as partitioned JSONL. Flags not listed here are Beam pipeline options "
        "(e.g. --runner, --direct_num_workers).",
    )
    parser.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="PATH_OR_GLOB",
        help="a folder (read recursively), a file or a glob; repeatable",
    )
    parser.add_argument("--output", required=True, metavar="DIR", help="the output root")
    parser.add_argument("--config", metavar="FILE", help="YAML merged over the packaged configs/default.yaml")
    parser.add_argument("--state", metavar="DIR", help="cross-run state (default OUTPUT/_state)")
    parser.add_argument("--run-id", metavar="ID", help="names this run's files (default: UTC start time)")
    parser.add_argument(
        "--reprocess", action="store_true", help="read input files again even if an earlier run did"
    )
    parser.add_argument(
        "--max-reject-ratio",
        type=float,
        default=0.5,
        metavar="R",
        help="exit 4 when more than this share of pages is rejected (default 0.5)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    add_nightly_arguments(parser)
    return parser


def add_nightly_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of scheduled runs (issue 6): dates, ledger verification, log format."""
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the day that fills {date} in --input and names the run (default: yesterday, UTC)",
    )
    parser.add_argument("--from", dest="from_date", metavar="YYYY-MM-DD", help="backfill: first day")
    parser.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD", help="backfill: last day (included)")
    parser.add_argument(
        "--verify-checksums",
        action="store_true",
        help="hash input files whose size and time match the ledger before skipping them",
    )
    parser.add_argument(
        "--log-format", choices=["text", "json"], default="text", help="json: one JSON object per log line"
    )


def _dates(known: argparse.Namespace) -> tuple[date, ...]:
    from newsbeam.pipeline.config.dates import PLACEHOLDER, date_range, parse_day, yesterday_utc

    try:
        if known.from_date or known.to_date:
            if not (known.from_date and known.to_date):
                raise UsageError("a backfill needs both --from and --to")
            if known.date:
                raise UsageError("give either --date or --from/--to, not both")
            if known.run_id:
                raise UsageError("a backfill names each run after its day; leave out --run-id")
            return tuple(date_range(parse_day(known.from_date, "--from"), parse_day(known.to_date, "--to")))
        if known.date:
            return (parse_day(known.date, "--date"),)
    except ValueError as error:
        if isinstance(error, UsageError):
            raise
        raise UsageError(str(error)) from None
    if any(PLACEHOLDER in given for given in known.input):
        return (yesterday_utc(),)
    return ()


def parse_run_args(argv: Sequence[str]) -> tuple[RunOptions, list[str]]:
    """newsbeam's options, and the remaining arguments for Beam."""
    parser = run_argument_parser()
    known, beam_args = parser.parse_known_args(list(argv))
    dates = _dates(known)
    run_id = known.run_id or (dates[0].isoformat() if dates else default_run_id())
    if not all(char.isalnum() or char in "._-" for char in run_id):
        raise UsageError(f"--run-id {run_id!r} may only hold letters, digits, '.', '_' and '-'")
    if not 0.0 <= known.max_reject_ratio <= 1.0:
        raise UsageError(f"--max-reject-ratio must be between 0 and 1, not {known.max_reject_ratio}")
    if known.config and "://" in known.config:
        # The config (and the taxonomy and model it names) is read on the driver before Beam starts.
        raise UsageError(f"--config {known.config!r} must be a local file; copy it to this machine first")
    output = known.output.rstrip("/") or "/"
    options = RunOptions(
        inputs=tuple(known.input),
        output=output,
        config=known.config,
        state=(known.state or f"{output}/_state").rstrip("/"),
        run_id=run_id,
        reprocess=known.reprocess,
        max_reject_ratio=known.max_reject_ratio,
        quiet=known.quiet,
        dates=dates,
        verify_checksums=known.verify_checksums,
        log_format=known.log_format,
    )
    return options, beam_args


def beam_options(beam_args: Sequence[str]) -> PipelineOptions:
    """Beam's options from the leftover flags, with newsbeam's DirectRunner defaults filled in.

    They also become the options of Beam's filesystems in this process (see below).
    """
    options = PipelineOptions(list(beam_args))
    # Beam only warns about flags it does not know; a mistyped flag must not be ignored silently.
    unknown = set(options.get_all_options(retain_unknown_options=True)) - set(options.get_all_options())
    if unknown:
        name = sorted(unknown)[0]
        typed = next(
            (
                arg.split("=", 1)[0]
                for arg in beam_args
                if arg.lstrip("-").split("=", 1)[0].replace("-", "_") == name
            ),
            f"--{name}",
        )
        raise UsageError(
            f"unknown option {typed}: it is neither newsbeam's (see `newsbeam run --help`) nor Beam's"
        )
    refused = unsupported_runner(str(options.view_as(StandardOptions).runner or ""))
    if refused:
        raise UsageError(refused)
    direct = options.view_as(DirectOptions)
    explicit = {arg.split("=", 1)[0].lstrip("-") for arg in beam_args if arg.startswith("--")}
    if "default_sdk_harness_log_level" not in explicit:
        # Workers in other processes log every start and stop at INFO; keep the terminal for newsbeam.
        options.view_as(WorkerOptions).default_sdk_harness_log_level = "WARNING"
    if uses_direct_runner(options) and "direct_running_mode" not in explicit:
        direct.direct_running_mode = DEFAULT_RUNNING_MODE
        if "direct_num_workers" not in explicit:
            direct.direct_num_workers = max(1, min(os.cpu_count() or 1, 8))
    # The driver touches files before Beam builds the pipeline (lock, listing, ledger, publish);
    # Beam hands the options to its filesystems only then, so --s3_endpoint_url, --s3_region_name
    # and the like would be missing on the driver. Hand them over now.
    FileSystems.set_options(options)
    return options
