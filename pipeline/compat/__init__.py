"""Everything that works around Beam's internals or a library's, in one place, gated by version.

Each workaround names the upstream problem it answers, checks that the symbol it touches
exists, and applies only to the Beam versions it was tested on (:data:`TESTED_BEAM`); on
any other version it does nothing and says so once in the log. The canary tests
(``tests/compat/``) show each problem on Beam's own classes, so they tell when an upgrade
has fixed it and the workaround can go. ``docs/architecture.md`` lists them.

========================  ===========================================================
module                    what it works around
========================  ===========================================================
:mod:`.fnapi`             FnApiRunner: records lost by timed flushes in multi_processing;
                          finished bundles keeping their output buffers
:mod:`.direct`            the DirectRunner trying Prism first (a download); newsbeam
                          builds the FnApiRunner as the DirectRunner would
:mod:`.construction`      DoFn specs inspected again and again while a pipeline is built
:mod:`.limits`            runners and filesystems that lose data or cannot list folders
:mod:`.allocator`         glibc keeping freed buffers: fixed malloc thresholds
========================  ===========================================================
"""

from __future__ import annotations

import logging
from functools import cache

__all__ = ["TESTED_BEAM", "beam_version", "is_tested_beam", "untested"]

#: The Beam minor versions the workarounds were tested on (pyproject pins the same range).
TESTED_BEAM = ((2, 77),)

_LOG = logging.getLogger("newsbeam")


@cache
def beam_version() -> tuple[int, int]:
    """The installed Beam's ``(major, minor)``."""
    import apache_beam

    major, minor, *_ = apache_beam.__version__.split(".")
    return int(major), int(minor)


def is_tested_beam() -> bool:
    return beam_version() in TESTED_BEAM


@cache
def untested(workaround: str, reason: str) -> None:
    """Log once that ``workaround`` was not applied, and why."""
    _LOG.warning("newsbeam: %s not applied: %s", workaround, reason)
