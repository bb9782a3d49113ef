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

from newsbeam.pipeline.config.loader import Config
from newsbeam.pipeline.running.ledger import RecordConsumedFiles
from newsbeam.pipeline.running.publish import state_staging_path
from newsbeam.transforms.dedup.state import ReadDedupState, WriteDedupState
from newsbeam.transforms.model import pack_article, unpack_article
from newsbeam.transforms.runtime.parking import park_folder
from newsbeam.transforms.runtime.timing import StageClock
from newsbeam.transforms.stages.boilerplate import RemoveRepeatedParagraphs
from newsbeam.transforms.stages.classify import ClassifyArticles
from newsbeam.transforms.stages.dedup import DeduplicateArticles
from newsbeam.transforms.stages.parse import ParseArticles
from newsbeam.transforms.stages.read import RECORD_OFFSETS, ReadPages
from newsbeam.transforms.stages.read_indices import ResolveRecordIndices
from newsbeam.transforms.stages.user_steps import ApplyUserStep
from newsbeam.transforms.stages.write import WriteRun

__all__ = ["build_pipeline"]


def build_pipeline(
    pipeline: beam.Pipeline,
    inputs: Sequence[str],
    config: Config,
    run_id: str,
    staging: str,
    progress_seconds: float = 0.0,
    files: Sequence[tuple[str, int]] | None = None,
    progress_folder: str | None = None,
    state: str | None = None,
) -> beam.PCollection:
    """Add the whole run to ``pipeline``; returns the PCollection of the written summary.

    ``files`` (path, size): read exactly these files instead of matching ``inputs``.
    ``progress_folder``: where the read stage's workers leave their progress tallies.
    ``state``: with near-duplicate detection on, the dedup step reads the cross-run index
    from it and stages this run's shard under ``STATE/.staging-<run_id>``, which publishing
    moves into place. Each stage's output passes a :class:`StageClock` for the manifest's timings.
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
    parsed = read["pages"] | "Parse" >> ParseArticles(config.parse.min_words, config.parse.timeout_seconds)
    articles = parsed["articles"]
    rejects = [read["rejects"], parsed["rejects"]]
    if RECORD_OFFSETS in read:  # some file was read in ranges: count its pages from the file's start
        offsets = read[RECORD_OFFSETS]
        parked = park_folder(staging, "indices")
        articles = articles | "Record indices" >> ResolveRecordIndices(
            offsets, parked, pack_article, unpack_article
        )
        rejects = [
            stream | f"Record indices of rejects {i}" >> ResolveRecordIndices(offsets, parked)
            for i, stream in enumerate(rejects)
        ]
    articles = articles | "Clock read_parse" >> StageClock("read_parse")
    duplicates = []

    for step in config.steps:
        if step == "boilerplate":
            cleaned = articles | "Boilerplate" >> RemoveRepeatedParagraphs(
                config.boilerplate.min_pages, config.parse.min_words, park_folder(staging, "boilerplate")
            )
            articles = cleaned["articles"]
            rejects.append(cleaned["rejects"])
        elif step == "dedup":
            near = config.dedup.near
            dedup_inputs: dict[str, beam.PCollection] = {"articles": articles}
            if near is not None and state is not None:
                dedup_inputs["state"] = pipeline | "Read dedup state" >> ReadDedupState(
                    state, run_id, near.lsh
                )
            deduplicated = dedup_inputs | "Dedup" >> DeduplicateArticles(
                near, config.dedup.duplicate_urls_cap, park_folder(staging, "dedup")
            )
            articles = deduplicated["articles"]
            duplicates.append(deduplicated["duplicates"])
            if near is not None and state is not None:
                _ = deduplicated["state"] | "Write dedup state" >> WriteDedupState(
                    state_staging_path(state, run_id),
                    run_id,
                    near.lsh,
                    park_folder=park_folder(staging, "state"),
                )
        elif step == "classify":
            articles = articles | "Classify" >> ClassifyArticles(
                config.classify.taxonomy,
                config.classify.min_confidence,
                config.classify.model_path,
                config.classify.confidence,
            )
        elif step in config.user_steps:
            user = config.user_steps[step]
            stepped = articles | f"Step {step}" >> ApplyUserStep(step, user.instantiate(), user.on_error)
            articles = stepped["articles"]
            rejects.append(stepped["rejects"])
        if step != "parse":
            articles = articles | f"Clock {step}" >> StageClock(step)

    records = {
        "articles": articles,
        "duplicates": tuple(duplicates) | "All duplicates" >> beam.Flatten(pipeline=pipeline),
        "rejects": tuple(rejects) | "All rejects" >> beam.Flatten(pipeline=pipeline),
        "files": read["files"],
    }
    written = records | "Write" >> WriteRun(
        staging, run_id, config.write.partition_by, config.write.max_records_per_file
    )
    return written | "Clock write" >> StageClock("write")
