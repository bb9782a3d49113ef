"""The FnApiRunner data-plane race that pipeline/fnapi_fixes.py avoids, and the avoidance."""

from __future__ import annotations

import threading

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import worker_handlers
from apache_beam.runners.worker import data_plane

from pipeline.fnapi_fixes import disable_timed_data_flush
from pipeline.runner import choose_runner


def _write_during_a_blocked_flush(stream_factory, flushes_on_a_timer: bool) -> bytes:
    """Write, let a timed flush start and block on a full send queue, write again; what was sent."""
    sent: list[bytes] = []
    flushing, unblock = threading.Event(), threading.Event()

    def send(data: bytes) -> None:
        sent.append(data)
        if data and not flushing.is_set():
            flushing.set()
            unblock.wait(5)  # the send queue is full

    stream = stream_factory(sent.append, send)
    stream.write(b"first ")
    if flushes_on_a_timer:
        assert flushing.wait(5), "the periodic flush never ran"
    stream.write(b"second")
    unblock.set()
    stream.close()
    return b"".join(sent)


def _timed(close, flush):
    return data_plane.TimeBasedBufferingClosableOutputStream(close, flush, time_flush_threshold_ms=10)


def _by_size(close, flush):
    return data_plane.SizeBasedBufferingClosableOutputStream(close, flush)


def test_beam_timed_flush_drops_what_is_written_while_it_waits() -> None:
    # The upstream race itself. If this starts failing, Beam has fixed it and
    # pipeline/fnapi_fixes.py can go.
    assert _write_during_a_blocked_flush(_timed, flushes_on_a_timer=True) == b"first "


def test_flushing_by_size_sends_everything() -> None:
    assert _write_during_a_blocked_flush(_by_size, flushes_on_a_timer=False) == b"first second"


def test_the_direct_runner_is_built_with_streams_that_flush_by_size(monkeypatch) -> None:
    monkeypatch.setattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS", 1000)
    options = PipelineOptions(["--direct_running_mode", "multi_processing", "--direct_num_workers", "2"])
    assert choose_runner(options) is not None
    assert worker_handlers.DATA_BUFFER_TIME_LIMIT_MS == 0
    servicer = data_plane.BeamFnDataServicer(worker_handlers.DATA_BUFFER_TIME_LIMIT_MS)
    channel = servicer.get_conn_by_worker_id("w")
    stream = channel.output_stream("bundle", "transform")
    assert not isinstance(stream, data_plane.TimeBasedBufferingClosableOutputStream)
    stream.close()


def test_the_fix_can_be_applied_twice(monkeypatch) -> None:
    monkeypatch.setattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS", 1000)
    disable_timed_data_flush()
    disable_timed_data_flush()
    assert worker_handlers.DATA_BUFFER_TIME_LIMIT_MS == 0
