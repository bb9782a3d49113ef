"""``newsbeam state compact --state DIR``: merge the per-run shards of the cross-run dedup index."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from newsbeam.pipeline.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, error

__all__ = ["main"]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="newsbeam state", description="Maintain the cross-run state that `newsbeam run --state` keeps."
    )
    parser.add_argument("action", choices=["compact"], help="compact: merge the dedup index's shards")
    parser.add_argument(
        "--state", required=True, metavar="DIR", help="the state folder (OUTPUT/_state by default)"
    )
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    from newsbeam.transforms.dedup.state import compact_state

    state = args.state.rstrip("/")
    try:
        summary = compact_state(state)
    except Exception as failure:  # noqa: BLE001 - any filesystem's error, said in one sentence.
        error(f"compacting {args.state!r} failed, the state is as it was or holds lines twice: {failure}")
        return EXIT_FAILED
    print(
        f"newsbeam state compact: {summary['shards']} shards, {summary['records']} articles "
        f"-> {summary['files']} file(s) in {state}/dedup",
        flush=True,
    )
    return EXIT_OK
