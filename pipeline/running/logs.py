"""newsbeam's log lines, for people (``--log-format text``) or for machines (``json``).

Everything newsbeam says while it works goes through the ``newsbeam`` logger to stderr.
In text form a line reads ``newsbeam: reading 22 new files``; in JSON form it is one
object per line, ``{"time": ..., "level": "info", "logger": "newsbeam", "message": ...}``
plus the fields the call passed (``run_id``, ``event``, ``stage``, ``path``, ``counts``...),
so a log shipper can index them. Beam's own warnings are formatted the same way.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone
from typing import Any

import orjson

__all__ = ["JsonFormatter", "configure_logging", "log"]

LOGGER = logging.getLogger("newsbeam")
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage().removeprefix("newsbeam: "),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                document[key] = value
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(document, default=str).decode("utf-8")


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("newsbeam"):
            return message if message.startswith("newsbeam") else f"newsbeam: {message}"
        return f"{record.levelname} {message}"


def configure_logging(log_format: str = "text", quiet: bool = False) -> None:
    """Route newsbeam's and Beam's logging to stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else _TextFormatter())
    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING, handlers=[handler], force=True)
    # Beam logs every worker start and stage at INFO/WARNING; users want newsbeam's own lines.
    logging.getLogger("apache_beam").setLevel(logging.ERROR)
    LOGGER.setLevel(logging.WARNING if quiet else logging.INFO)


def log(message: str, level: int = logging.INFO, **fields: Any) -> None:
    LOGGER.log(level, message, extra=fields)
