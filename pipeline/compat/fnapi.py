"""Two fixes to the DirectRunner's FnApiRunner, applied before a run (Beam 2.77).

**Lost records.** In ``multi_processing`` mode the runner sends each stage's input to its
SDK worker processes over gRPC through Beam's ``TimeBasedBufferingClosableOutputStream``. A
background thread flushes that stream every ``DATA_BUFFER_TIME_LIMIT_MS`` (1,000 ms): it
takes the buffered bytes, hands them to the send queue, then clears the buffer. The writes
are not under the flush lock, so when the send queue is full and the flush waits on it, the
runner keeps writing, and the clear that follows throws away what was written meanwhile.
Nothing fails: a worker receives fewer elements. The workers flush their own outputs by size
only, which is safe, and a batch run gains nothing from timed flushes, so the fix makes the
runner's streams flush by size too. The canary ``tests/compat/test_fnapi_canaries.py``
shows the race on Beam's own class.

**Memory kept by finished bundles.** A worker caches the bundle processor of every stage it
has run, and each keeps the output stream of its last bundle on its ``DataOutputOperation``;
that stream's buffer has grown to one flush (about 10 MB) and never shrinks, so a worker held
one such buffer per output of every stage. Releasing the stream when the bundle finishes
(the next bundle is given a new one anyway) gives that memory back. The driver process gets
the fix before a run; worker processes import :mod:`.worker` as a Beam plugin when they start.
"""

from __future__ import annotations

import functools

from newsbeam.pipeline.compat import is_tested_beam, untested

__all__ = ["WORKER_PLUGIN", "disable_timed_data_flush", "release_finished_output_streams"]

#: Imported by each worker process at start-up (Beam's ``--beam_plugins``).
WORKER_PLUGIN = "newsbeam.pipeline.compat.worker"


def disable_timed_data_flush() -> bool:
    """Make the FnApiRunner's data streams to its workers flush by size, never on a timer."""
    name = "the FnApiRunner's size-only data flush"
    from apache_beam.runners.portability.fn_api_runner import worker_handlers

    if not is_tested_beam():
        untested(name, "this Beam version was not tested with it")
        return False
    if not hasattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS"):
        untested(name, "worker_handlers.DATA_BUFFER_TIME_LIMIT_MS is gone")
        return False
    # Read when the runner builds its gRPC data server, so it must be set before a run starts.
    worker_handlers.DATA_BUFFER_TIME_LIMIT_MS = 0
    return True


def release_finished_output_streams() -> bool:
    """Make a data output operation drop its stream, and the stream's buffer, when its bundle ends."""
    name = "releasing finished bundles' output streams"
    from apache_beam.runners.worker import bundle_processor

    operation = getattr(bundle_processor, "DataOutputOperation", None)
    if not is_tested_beam():
        untested(name, "this Beam version was not tested with it")
        return False
    if operation is None or not callable(getattr(operation, "finish", None)):
        untested(name, "bundle_processor.DataOutputOperation.finish is gone")
        return False
    if hasattr(operation.finish, "__wrapped__"):  # applied already
        return True
    beam_finish = operation.finish

    @functools.wraps(beam_finish)
    def finish(self: bundle_processor.DataOutputOperation) -> None:
        beam_finish(self)
        self.output_stream = None  # type: ignore[assignment]  # the next bundle sets its own

    operation.finish = finish  # type: ignore[method-assign]
    return True
