"""Wiring the stages into one Beam pipeline, in the order the config's ``steps`` give.

::

    ReadPages ─┬─ pages ── ParseArticles ── [boilerplate] ── [dedup] ── [classify] ─┐
               │           (user steps before dedup or after classify, as listed)  │
               ├─ rejects ──────────────────────────────────────────────────────────┤
               └─ files ────────────────────────────────────────────────────────────┴─ WriteRun

Every stage returns its rejects (and dedup its duplicates) beside its articles; they
are all collected here and handed to the writer, so no page can leave the graph
unrecorded.
"""

from __future__ import annotations

from collections.abc import Sequence

import apache_beam as beam

from pipeline.config import Config
from transforms.boilerplate import RemoveRepeatedParagraphs
from transforms.classify import ClassifyArticles
from transforms.dedup import DeduplicateArticles
from transforms.parse import ParseArticles
from transforms.read import ReadPages
from transforms.user_steps import ApplyUserStep
from transforms.write import WriteRun

__all__ = ["build_pipeline"]


def build_pipeline(
    pipeline: beam.Pipeline,
    inputs: Sequence[str],
    config: Config,
    run_id: str,
    staging: str,
    progress_seconds: float = 0.0,
) -> beam.PCollection:
    """Add the whole run to ``pipeline``; returns the PCollection of the written summary."""
    read = pipeline | "Read" >> ReadPages(inputs, config.parse.max_page_bytes, progress_seconds)
    rejects = [read["rejects"]]
    duplicates = []

    parsed = read["pages"] | "Parse" >> ParseArticles(config.parse.min_words)
    articles = parsed["articles"]
    rejects.append(parsed["rejects"])

    for step in config.steps:
        if step == "boilerplate":
            cleaned = articles | "Boilerplate" >> RemoveRepeatedParagraphs(
                config.boilerplate.min_pages, config.parse.min_words
            )
            articles = cleaned["articles"]
            rejects.append(cleaned["rejects"])
        elif step == "dedup":
            deduplicated = articles | "Dedup" >> DeduplicateArticles()
            articles = deduplicated["articles"]
            duplicates.append(deduplicated["duplicates"])
        elif step == "classify":
            articles = articles | "Classify" >> ClassifyArticles(
                config.classify.taxonomy, config.classify.min_confidence
            )
        elif step in config.user_steps:
            user = config.user_steps[step]
            stepped = articles | f"Step {step}" >> ApplyUserStep(step, user.instantiate(), user.on_error)
            articles = stepped["articles"]
            rejects.append(stepped["rejects"])

    records = {
        "articles": articles,
        "duplicates": tuple(duplicates) | "All duplicates" >> beam.Flatten(pipeline=pipeline),
        "rejects": tuple(rejects) | "All rejects" >> beam.Flatten(pipeline=pipeline),
        "files": read["files"],
    }
    return records | "Write" >> WriteRun(
        staging, run_id, config.write.partition_by, config.write.max_records_per_file
    )
