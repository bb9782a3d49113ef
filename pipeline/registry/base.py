"""What a step is, and what it may use: :class:`Step`, :class:`StepContext`, :class:`StepOutput`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import apache_beam as beam

    from newsbeam.pipeline.config.settings import Config
    from newsbeam.transforms.runtime.shuffle import Shuffle

__all__ = ["Step", "StepContext", "StepOutput"]


@dataclass(frozen=True)
class StepContext:
    """Everything a step may use when it adds itself to the pipeline; nothing is global.

    ``state``: the cross-run state folder (``--state``), or None in a pipeline without one.
    ``shuffle``: how records wait and are grouped on this runner (chosen once per run).
    ``last_soup_step``: the last step that asks for the page's parsed HTML, if any; until it
    has run, every article carries its page's HTML (not written).
    """

    config: Config
    run_id: str
    shuffle: Shuffle
    state: str | None = None
    last_soup_step: str | None = None


@dataclass(frozen=True)
class StepOutput:
    """What a step adds: its articles, and the rejects and duplicates it made of the others."""

    articles: beam.PCollection
    rejects: tuple[beam.PCollection, ...] = ()
    duplicates: tuple[beam.PCollection, ...] = ()


class Step(Protocol):
    """A step of the config's ``steps`` list (built-in or the user's)."""

    @property
    def name(self) -> str: ...

    def apply(self, stream: beam.PCollection, context: StepContext) -> StepOutput:
        """Add the step after ``stream`` (pages for ``parse``, articles for every other step)."""
        ...
