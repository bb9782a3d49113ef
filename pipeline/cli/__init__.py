"""The ``newsbeam`` command (also ``python -m newsbeam``): one module per subcommand.

========  ====================================================================
run       process dumps: one run, or one per day of a backfill (:mod:`.run`)
runs      the runs an output folder holds (:mod:`.runs`)
watch     a run whenever complete new files arrive (:mod:`.watch`)
state     ``state compact``: merge the dedup index's shards (:mod:`.state`)
sections  train or evaluate the section classifier (:mod:`.sections`)
steps     the built-in and installed steps (:mod:`.steps`)
========  ====================================================================

Exit statuses (:mod:`.common`): 0 success; 1 the pipeline failed and published nothing;
2 bad usage or configuration, said in one sentence before any work; 3 another run holds
the output folder; 4 the run published, but more pages failed than ``--max-reject-ratio``.
Each subcommand's module is imported only when it is asked for, so ``newsbeam --help``
does not pay for importing Beam.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from newsbeam.pipeline.cli.common import EXIT_OK, EXIT_USAGE, error

__all__ = ["COMMANDS", "main"]

# Importing Beam logs a warning about optional Google Cloud clients through the root logger;
# a handler on the root keeps that noise off the user's terminal until logging is set up.
logging.getLogger().addHandler(logging.NullHandler())

#: Subcommand -> (module under newsbeam.pipeline.cli, one line of help).
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "process dumps (see `newsbeam run --help`)"),
    "runs": ("runs", "list the runs of an output folder"),
    "watch": ("watch", "run whenever complete new files arrive"),
    "state": ("state", "state compact: merge the dedup index's shards"),
    "sections": ("sections", "train or evaluate the section classifier"),
    "steps": ("steps", "list built-in and installed steps"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``newsbeam ARGS`` and return its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        _parser().print_help()
        return EXIT_OK if args else EXIT_USAGE
    if args[0] == "--version":
        from newsbeam import __version__

        print(f"newsbeam {__version__}")
        return EXIT_OK
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        error(f"unknown command {command!r}; try `newsbeam --help`")
        return EXIT_USAGE
    module = importlib.import_module(f"{__name__}.{COMMANDS[command][0]}")
    return int(module.main(rest))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="Apache Beam pipeline: folders of news-page dumps in, clean deduplicated articles out.",
    )
    parser.add_argument(
        "command",
        choices=list(COMMANDS),
        help="; ".join(f"{name}: {text}" for name, (_, text) in COMMANDS.items()),
    )
    return parser
