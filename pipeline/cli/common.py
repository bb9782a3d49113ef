"""What every command shares: its exit statuses, and how it says an error in one sentence."""

from __future__ import annotations

import logging
import sys

__all__ = ["EXIT_FAILED", "EXIT_LOCKED", "EXIT_OK", "EXIT_TOO_MANY_REJECTS", "EXIT_USAGE", "error"]

#: The exit statuses of the contracts (docs/contracts.md).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_TOO_MANY_REJECTS = 0, 1, 2, 3, 4


def error(message: str, **fields: object) -> None:
    """Say ``message`` as an error: through newsbeam's log once logging is set up, else on stderr."""
    handlers = logging.getLogger().handlers
    if handlers and not isinstance(handlers[0], logging.NullHandler):
        from newsbeam.pipeline.running.logs import log

        log(f"error: {message}", logging.ERROR, **fields)
    else:  # before logging is set up (usage errors)
        print(f"newsbeam: error: {message}", file=sys.stderr, flush=True)
