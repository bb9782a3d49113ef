"""``newsbeam run``: one run, or one run per day of a ``--from``/``--to`` backfill.

Everything that can be checked before any work is checked first (flags, configuration,
Beam options, inputs, output locations), each failure said in one sentence with exit 2.
A backfill runs its days oldest first and stops at the first that fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from apache_beam.options.pipeline_options import PipelineOptions

from newsbeam.pipeline.cli.common import (
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_TOO_MANY_REJECTS,
    EXIT_USAGE,
    error,
)
from newsbeam.pipeline.config.dates import runs_for_dates
from newsbeam.pipeline.config.loader import Config, ConfigError, load_config
from newsbeam.pipeline.config.options import RunOptions, UsageError, beam_options, parse_run_args
from newsbeam.pipeline.running.execute import RunFailedError, check_inputs, check_locations, execute_run
from newsbeam.pipeline.running.lock import LockHeldError
from newsbeam.pipeline.running.logs import configure_logging, log
from newsbeam.pipeline.running.summary import format_summary

__all__ = ["main"]


def main(argv: Sequence[str]) -> int:
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
    except (UsageError, ConfigError) as failure:
        error(str(failure))
        return EXIT_USAGE
    configure_logging(template.log_format, template.quiet)
    status = EXIT_OK
    for run in days:
        if len(days) > 1:
            try:
                check_inputs(run.inputs)
            except UsageError as failure:
                error(f"backfill stopped at {run.run_id}: {failure}")
                return EXIT_USAGE
        code = run_once(run, config, options)
        if code in (EXIT_FAILED, EXIT_LOCKED):
            if len(days) > 1:
                error(f"backfill stopped at {run.run_id}; the days after it were not run")
            return code
        status = max(status, code)
    return status


def run_once(run: RunOptions, config: Config, options: PipelineOptions) -> int:
    """One run, its summary printed; its exit status."""

    def say(message: str) -> None:
        log(message, run_id=run.run_id)

    try:
        outcome = execute_run(run, config, options, say=say)
    except LockHeldError as failure:
        error(str(failure), run_id=run.run_id, event="locked")
        return EXIT_LOCKED
    except RunFailedError as failure:
        where = f" on input file {failure.path}" if failure.path else ""
        error(
            f"run {run.run_id} failed in stage {failure.stage}{where}: {failure}; nothing was published",
            run_id=run.run_id,
            event="run_failed",
            stage=failure.stage,
            input_file=failure.path,
        )
        return EXIT_FAILED
    manifest = outcome.manifest
    if run.log_format == "json":
        keys = ("counts", "failure_ratio", "rejects_by_reason", "sections", "timings")
        fields = {key: manifest[key] for key in keys}
        log("run succeeded", run_id=run.run_id, event="run_succeeded", **fields)
    print(format_summary(manifest), flush=True)
    # Only failures count (newsbeam.transforms.reasons): images, redirects and listings are filters.
    if outcome.failure_ratio > run.max_reject_ratio:
        error(
            f"{outcome.failure_ratio:.0%} of pages failed (rejects that are failures, not filters), "
            "more than "
            f"--max-reject-ratio {run.max_reject_ratio:.0%}; see {run.output}/rejects/",
            run_id=run.run_id,
            event="too_many_rejects",
        )
        return EXIT_TOO_MANY_REJECTS
    return EXIT_OK
