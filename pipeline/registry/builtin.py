"""The built-in stages, registered as steps like users' steps are.

Each entry says what the stage does, which config settings steer it (``newsbeam steps``
prints both), and how it adds itself to the pipeline from the run's :class:`StepContext`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import apache_beam as beam

from newsbeam.pipeline.registry.base import Step, StepContext, StepOutput
from newsbeam.pipeline.running.publish import state_staging_path
from newsbeam.transforms.dedup.state import ReadDedupState, WriteDedupState
from newsbeam.transforms.stages.boilerplate import RemoveRepeatedParagraphs
from newsbeam.transforms.stages.classify import ClassifyArticles
from newsbeam.transforms.stages.dedup import DeduplicateArticles
from newsbeam.transforms.stages.parse import ParseArticles

if TYPE_CHECKING:
    from newsbeam.pipeline.config.settings import Config

__all__ = ["BUILTIN_STEPS", "BuiltinStep", "last_soup_step", "steps_of"]


@dataclass(frozen=True)
class BuiltinStep:
    """A built-in stage: its name, one line of what it does, the settings that steer it."""

    name: str
    doc: str
    settings: tuple[str, ...]
    add: Callable[[beam.PCollection, StepContext], StepOutput]

    def apply(self, stream: beam.PCollection, context: StepContext) -> StepOutput:
        return self.add(stream, context)


def _parse(pages: beam.PCollection, context: StepContext) -> StepOutput:
    settings = context.config.parse
    keep_html = context.last_soup_step is not None
    parsed = pages | "Parse" >> ParseArticles(settings.min_words, settings.timeout_seconds, keep_html)
    return StepOutput(parsed["articles"], rejects=(parsed["rejects"],))


def _boilerplate(articles: beam.PCollection, context: StepContext) -> StepOutput:
    config = context.config
    cleaned = articles | "Boilerplate" >> RemoveRepeatedParagraphs(
        config.boilerplate.min_pages, config.parse.min_words, context.shuffle
    )
    return StepOutput(cleaned["articles"], rejects=(cleaned["rejects"],))


def _dedup(articles: beam.PCollection, context: StepContext) -> StepOutput:
    """Dedup, with the cross-run index read from the state and this run's shard staged beside it."""
    near, state = context.config.dedup.near, context.state
    inputs: dict[str, beam.PCollection] = {"articles": articles}
    if near is not None and state is not None:
        inputs["state"] = articles.pipeline | "Read dedup state" >> ReadDedupState(
            state, context.run_id, near.lsh
        )
    deduplicated = inputs | "Dedup" >> DeduplicateArticles(
        near, context.config.dedup.duplicate_urls_cap, context.shuffle
    )
    if near is not None and state is not None:
        _ = deduplicated["state"] | "Write dedup state" >> WriteDedupState(
            state_staging_path(state, context.run_id), context.run_id, near.lsh, shuffle=context.shuffle
        )
    return StepOutput(deduplicated["articles"], duplicates=(deduplicated["duplicates"],))


def _classify(articles: beam.PCollection, context: StepContext) -> StepOutput:
    settings = context.config.classify
    classified = articles | "Classify" >> ClassifyArticles(
        settings.taxonomy, settings.min_confidence, settings.model_path, settings.confidence
    )
    return StepOutput(classified)


#: The built-in steps by name, in their usual order.
BUILTIN_STEPS: dict[str, BuiltinStep] = {
    step.name: step
    for step in (
        BuiltinStep(
            "parse",
            "extract each page's article; pages with too few words, or lists of teasers, become not_article",
            ("parse.min_words", "read.max_page_bytes"),
            _parse,
        ),
        BuiltinStep(
            "boilerplate",
            "remove paragraphs found on many articles of one source in the run",
            ("boilerplate.min_pages",),
            _boilerplate,
        ),
        BuiltinStep(
            "dedup",
            "keep exact copies and re-crawls once; the others become duplicate records",
            (),
            _dedup,
        ),
        BuiltinStep(
            "classify",
            "give each article a section of the taxonomy (metadata, breadcrumbs, URL, text)",
            ("classify.taxonomy", "classify.min_confidence"),
            _classify,
        ),
    )
}


def steps_of(config: Config) -> list[Step]:
    """The config's steps in order, built-in and user steps alike."""
    return [
        BUILTIN_STEPS[name] if name in BUILTIN_STEPS else config.user_steps[name] for name in config.steps
    ]


def last_soup_step(config: Config) -> str | None:
    """The last user step that asks for the page's parsed HTML (``soup``), if any."""
    asking = [name for name, step in config.user_steps.items() if step.wants_soup]
    return max(asking, key=config.steps.index) if asking else None
