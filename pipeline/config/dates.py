"""Date-driven runs: ``--input '/dumps/{date}'`` with ``--date``, or a backfill ``--from``/``--to``.

One crontab line serves every night: ``{date}`` in an ``--input`` is replaced by the run's
day (``YYYY-MM-DD``), by default yesterday in UTC, the day whose dumps are complete when a
nightly job starts. A date-driven run is named after its day (``--run-id`` defaults to the
date), so running the same night again replaces that night's run and nothing else. A
backfill (``--from 2025-03-01 --to 2025-03-07``) is one such run per day, oldest first.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbeam.pipeline.config.options import RunOptions

__all__ = ["PLACEHOLDER", "date_range", "fill_date", "parse_day", "runs_for_dates", "yesterday_utc"]

PLACEHOLDER = "{date}"
#: A backfill longer than this is more likely a typo in a year than a wish.
MAX_BACKFILL_DAYS = 3660


def parse_day(text: str, flag: str) -> date:
    """``YYYY-MM-DD`` or a ValueError naming the flag."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag} {text!r} is not a date of the form YYYY-MM-DD") from None


def yesterday_utc(now: datetime | None = None) -> date:
    return ((now or datetime.now(timezone.utc)).astimezone(timezone.utc) - timedelta(days=1)).date()


def date_range(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included, in order."""
    if last < first:
        raise ValueError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    days = (last - first).days + 1
    if days > MAX_BACKFILL_DAYS:
        raise ValueError(f"--from/--to span {days} days; backfill at most {MAX_BACKFILL_DAYS} at once")
    return [first + timedelta(days=offset) for offset in range(days)]


def fill_date(path: str, day: date) -> str:
    return path.replace(PLACEHOLDER, day.isoformat())


def runs_for_dates(run: RunOptions) -> list[RunOptions]:
    """One run per day of ``run.dates`` (inputs filled in, named after the day), or ``[run]``."""
    if not run.dates:
        return [run]
    return [
        dataclasses.replace(
            run,
            inputs=tuple(fill_date(given, day) for given in run.inputs),
            run_id=run.run_id if len(run.dates) == 1 and run.run_id else day.isoformat(),
            dates=(day,),
        )
        for day in run.dates
    ]
