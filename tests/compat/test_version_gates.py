"""The version gates of newsbeam.pipeline.compat: outside the tested Beam versions nothing is patched."""

from __future__ import annotations

import logging

import pytest
from apache_beam.runners.portability.fn_api_runner import worker_handlers
from apache_beam.runners.worker import bundle_processor

from newsbeam.pipeline import compat
from newsbeam.pipeline.compat import fnapi, limits


@pytest.fixture()
def untested_beam(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compat, "is_tested_beam", lambda: False)
    monkeypatch.setattr(fnapi, "is_tested_beam", lambda: False)
    monkeypatch.setattr(limits, "is_tested_beam", lambda: False)
    compat.untested.cache_clear()


def test_the_installed_beam_is_a_tested_one():
    # pyproject pins apache-beam to TESTED_BEAM; an install outside it would leave every
    # workaround off, which this test reports before the runs do.
    assert compat.beam_version() in compat.TESTED_BEAM


def test_on_an_untested_beam_the_patches_stay_off_and_say_so_once(
    untested_beam: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS", 1000)
    finish = bundle_processor.DataOutputOperation.finish
    with caplog.at_level(logging.WARNING, logger="newsbeam"):
        assert fnapi.disable_timed_data_flush() is False
        assert fnapi.disable_timed_data_flush() is False
        assert fnapi.release_finished_output_streams() is False
    assert worker_handlers.DATA_BUFFER_TIME_LIMIT_MS == 1000
    assert bundle_processor.DataOutputOperation.finish is finish
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 2 and all("not applied" in line for line in said)


def test_a_patched_symbol_that_is_gone_is_reported_not_created(monkeypatch: pytest.MonkeyPatch, caplog):
    compat.untested.cache_clear()
    monkeypatch.delattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS")
    with caplog.at_level(logging.WARNING, logger="newsbeam"):
        assert fnapi.disable_timed_data_flush() is False
    assert not hasattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS")
    assert "DATA_BUFFER_TIME_LIMIT_MS is gone" in caplog.text


def test_runners_and_schemes_refused_on_the_tested_beam_only(untested_beam: None):
    assert limits.unsupported_scheme("hdfs://cluster/dumps") is not None
    assert limits.unsupported_scheme("s3://bucket/dumps") is None
    assert limits.unsupported_runner("DaskRunner") is None  # untested Beam: allowed, said once


def test_the_dask_runner_is_refused_on_the_tested_beam():
    assert "not supported" in (limits.unsupported_runner("DaskRunner") or "")
    assert limits.unsupported_runner("FlinkRunner") is None
