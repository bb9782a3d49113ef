"""Beam's ``TestPipeline`` on the runner newsbeam runs DirectRunner pipelines on.

Beam 2.77's DirectRunner would first try to download Prism; newsbeam builds the FnApiRunner
itself (:mod:`newsbeam.pipeline.compat.direct`), and the tests do the same, so they test what
users run and never reach for the network.
"""

from __future__ import annotations

from typing import Any

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing import test_pipeline

from newsbeam.pipeline.compat.construction import cache_dofn_specs
from newsbeam.pipeline.compat.direct import direct_runner

__all__ = ["TestPipeline"]


class TestPipeline(test_pipeline.TestPipeline):
    """``TestPipeline`` (``with TestPipeline() as p: ...``, ``assert_that``) on newsbeam's DirectRunner."""

    __test__ = False  # not a test class for pytest

    def __init__(self, options: PipelineOptions | None = None, **kwargs: Any) -> None:
        options = options or PipelineOptions(["--direct_running_mode=in_memory"])
        cache_dofn_specs()
        super().__init__(runner=direct_runner(options), options=options, **kwargs)
