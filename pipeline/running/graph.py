"""Wiring the steps into one Beam pipeline, in the order the config's ``steps`` give.

::

    ReadPages ─┬─ pages ── parse ── [boilerplate] ── [dedup] ── [classify] ─┐
               │          (user steps before dedup or after classify)       │
               ├─ rejects ──────────────────────────────────────────────────┤
               └─ files ────────────────────────────────────────────────────┴─ WriteRun

Every step, built-in or the user's, is applied the same way (:mod:`newsbeam.pipeline.registry`)
and returns its rejects (and dedup its duplicates) beside its articles; they are all
collected here and handed to the writer, so no page can leave the graph unrecorded.
"""

from __future__ import annotations

from collections.abc import Sequence

import apache_beam as beam

from newsbeam.pipeline.config.settings import Config
from newsbeam.pipeline.registry.base import StepContext
from newsbeam.pipeline.registry.builtin import last_soup_step, steps_of
from newsbeam.pipeline.running.ledger import RecordConsumedFiles
from newsbeam.transforms.coders import pack_article, unpack_article
from newsbeam.transforms.runtime.shuffle import Shuffle
from newsbeam.transforms.runtime.timing import StageClock
from newsbeam.transforms.stages.read import RECORD_OFFSETS, ReadPages
from newsbeam.transforms.stages.read_indices import ResolveRecordIndices
from newsbeam.transforms.stages.write import WriteRun

__all__ = ["build_pipeline"]


def build_pipeline(
    pipeline: beam.Pipeline,
    inputs: Sequence[str],
    config: Config,
    run_id: str,
    staging: str,
    shuffle: Shuffle,
    progress_seconds: float = 0.0,
    files: Sequence[tuple[str, int]] | None = None,
    progress_folder: str | None = None,
    state: str | None = None,
) -> beam.PCollection:
    """Add the whole run to ``pipeline``; returns the PCollection of the written summary.

    ``shuffle``: how records wait and are grouped on this runner (``running.runners``).
    ``files`` (path, size): read exactly these files instead of matching ``inputs``.
    ``progress_folder``: where the read stage's workers leave their progress tallies.
    ``state``: with near-duplicate detection on, the dedup step reads the cross-run index
    from it and stages this run's shard under ``STATE/.staging-<run_id>``, which publishing
    moves into place. Each step's output passes a :class:`StageClock` for the manifest's timings.
    """
    read = pipeline | "Read" >> ReadPages(
        inputs,
        config.parse.max_page_bytes,
        progress_seconds,
        files=files,
        progress_folder=progress_folder,
        split_bytes=config.parse.split_bytes,
        listing=f"{staging.rstrip('/')}/_inputs/ranges.jsonl",
    )
    read["files"] | "Record consumed files" >> RecordConsumedFiles(staging)
    context = StepContext(
        config=config, run_id=run_id, shuffle=shuffle, state=state, last_soup_step=last_soup_step(config)
    )
    stream, rejects = read["pages"], [read["rejects"]]
    duplicates: list[beam.PCollection] = []
    for step in steps_of(config):
        added = step.apply(stream, context)
        stream = added.articles
        rejects.extend(added.rejects)
        duplicates.extend(added.duplicates)
        if step.name == "parse":
            if RECORD_OFFSETS in read:  # some file was read in ranges: count its pages from the file's start
                stream, rejects = _count_records_from_file_start(
                    read[RECORD_OFFSETS], stream, rejects, shuffle
                )
            stream = stream | "Clock read_parse" >> StageClock("read_parse")
        else:
            stream = stream | f"Clock {step.name}" >> StageClock(step.name)

    records = {
        "articles": stream,
        "duplicates": tuple(duplicates) | "All duplicates" >> beam.Flatten(pipeline=pipeline),
        "rejects": tuple(rejects) | "All rejects" >> beam.Flatten(pipeline=pipeline),
        "files": read["files"],
    }
    written = records | "Write" >> WriteRun(
        staging, run_id, config.write.partition_by, config.write.max_records_per_file, shuffle
    )
    return written | "Clock write" >> StageClock("write")


def _count_records_from_file_start(
    offsets: beam.PCollection, articles: beam.PCollection, rejects: list[beam.PCollection], shuffle: Shuffle
) -> tuple[beam.PCollection, list[beam.PCollection]]:
    """The parsed articles and the rejects so far, each ``input.record`` counted from its file's start."""
    articles = articles | "Record indices" >> ResolveRecordIndices(
        offsets, shuffle, pack_article, unpack_article
    )
    resolved = [
        stream | f"Record indices of rejects {i}" >> ResolveRecordIndices(offsets, shuffle)
        for i, stream in enumerate(rejects)
    ]
    return articles, resolved
