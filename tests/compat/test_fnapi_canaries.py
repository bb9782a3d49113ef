"""Canaries of newsbeam.pipeline.compat.fnapi: each upstream problem shown on Beam's own classes, and the fix.

When a canary that shows a problem starts failing after a Beam upgrade, Beam has fixed it:
the workaround can go, and the version gate in ``newsbeam.pipeline.compat`` says so until then.
"""

from __future__ import annotations

import importlib
import threading

from apache_beam import coders
from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions
from apache_beam.runners import common
from apache_beam.runners.portability.fn_api_runner import worker_handlers
from apache_beam.runners.worker import bundle_processor, data_plane, statesampler
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils import counters
from google.protobuf import json_format

from newsbeam.pipeline.compat.fnapi import (
    WORKER_PLUGIN,
    disable_timed_data_flush,
    release_finished_output_streams,
)
from newsbeam.pipeline.running.runners import choose_runner


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
    # pipeline/compat/fnapi.py can go.
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


CODER = coders.WindowedValueCoder(coders.BytesCoder())
ELEMENT = GlobalWindows.windowed_value(b"an encoded article " * 50)
ELEMENTS = 100
#: What a bundle of ELEMENTS sends, whatever this Beam version's encoding of one element is.
BUNDLE_BYTES = ELEMENTS * len(CODER.get_impl().encode_nested(ELEMENT))


def _data_output_operation():
    factory = counters.CounterFactory()
    return bundle_processor.DataOutputOperation(
        common.NameContext("out"),
        "out",
        {},
        factory,
        statesampler.StateSampler("test", factory),
        CODER,
        "out",
        lambda *_: None,
    )


def _run_one_bundle(operation) -> tuple[list[bytes], data_plane.ClosableOutputStream]:
    sent: list[bytes] = []
    stream = data_plane.SizeBasedBufferingClosableOutputStream(sent.append, sent.append)
    operation.set_output_stream(stream)
    operation.start()
    for _ in range(ELEMENTS):
        operation.process(ELEMENT)
    operation.finish()
    return sent, stream


def _beam_finish():
    finish = bundle_processor.DataOutputOperation.finish
    return getattr(finish, "__wrapped__", finish)


def test_beam_keeps_a_finished_bundles_output_stream(monkeypatch) -> None:
    # What the fix works around. If this starts failing, Beam releases the stream itself.
    monkeypatch.setattr(bundle_processor.DataOutputOperation, "finish", _beam_finish())
    operation = _data_output_operation()
    _, stream = _run_one_bundle(operation)
    assert operation.output_stream is stream
    assert stream.size() == BUNDLE_BYTES  # the closed stream still holds the bundle's bytes


def test_a_finished_bundle_releases_its_output_stream_and_sends_everything(monkeypatch) -> None:
    monkeypatch.setattr(bundle_processor.DataOutputOperation, "finish", _beam_finish())
    release_finished_output_streams()
    release_finished_output_streams()  # applied twice, it still wraps Beam's finish once
    assert bundle_processor.DataOutputOperation.finish.__wrapped__ is _beam_finish()
    operation = _data_output_operation()
    sent, _ = _run_one_bundle(operation)
    assert operation.output_stream is None
    assert sum(len(chunk) for chunk in sent) == BUNDLE_BYTES
    sent_again, _ = _run_one_bundle(operation)  # a cached processor runs its next bundle as before
    assert sum(len(chunk) for chunk in sent_again) == BUNDLE_BYTES


def test_worker_processes_import_the_fix_as_a_beam_plugin(monkeypatch) -> None:
    options = PipelineOptions(["--direct_running_mode", "multi_processing", "--direct_num_workers", "2"])
    runner = choose_runner(options)
    assert runner is not None
    sent_to_workers = json_format.MessageToDict(runner._provision_info.provision_info.pipeline_options)
    assert [WORKER_PLUGIN] in [value for key, value in sent_to_workers.items() if "beam_plugins" in key]
    choose_runner(options)  # a second run names the plugin once
    assert options.view_as(SetupOptions).beam_plugins == [WORKER_PLUGIN]

    monkeypatch.setattr(bundle_processor.DataOutputOperation, "finish", _beam_finish())
    importlib.reload(importlib.import_module(WORKER_PLUGIN))  # what a worker does when it starts
    assert bundle_processor.DataOutputOperation.finish.__wrapped__ is _beam_finish()
