"""StageClock in a pipeline: elements pass unchanged, and each stage's last output time is recorded."""

from __future__ import annotations

import time

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline

from newsbeam.transforms.runtime.timing import StageClock, last_outputs


def test_stage_clock_passes_elements_on_and_records_when_its_bundles_finished():
    before = int(time.time() * 1000)
    pipeline = TestPipeline()
    passed = pipeline | beam.Create(["a", "b", "c"]) | "Clock parse" >> StageClock("parse")
    _ = pipeline | "Nothing" >> beam.Create([]) | "Clock empty" >> StageClock("empty")
    assert_that(passed, equal_to(["a", "b", "c"]))
    result = pipeline.run()
    result.wait_until_finish()
    after = int(time.time() * 1000)
    recorded = last_outputs(result)
    assert set(recorded) == {"parse"}  # a stage that passed nothing has no time
    assert before <= recorded["parse"] <= after
