"""Two fixes to the DirectRunner's FnApiRunner (Beam 2.77), applied before a run.

**Lost records.**

In ``multi_processing`` mode the runner sends each stage's input to its SDK worker
processes over gRPC through Beam's ``TimeBasedBufferingClosableOutputStream``. A
background thread flushes that stream every ``DATA_BUFFER_TIME_LIMIT_MS`` (1,000 ms):
it takes the buffered bytes, hands them to the send queue, then clears the buffer. The
writes are not under the flush lock, so when the send queue is full (it holds 100 MB)
and the flush waits on it, the runner keeps writing, and the clear that follows throws
away what was written meanwhile. Nothing fails: the worker receives fewer elements.

It shows once a stage's input is several hundred MB (newsbeam's 200,000-page runs lost
between 398 and 25,000 records per run, refused by the manifest's count check; a plain
Beam pipeline moving 1 GB through a side-input stage lost 2-4% in 9 runs of 20).
The workers flush their own outputs by size only, which is safe, and a batch run gains
nothing from timed flushes, so the fix makes the runner's streams flush by size too.
``tests/test_fnapi_fixes.py`` shows the race on Beam's own class.

**Memory kept by finished bundles.** A worker caches the bundle processor of every stage it
has run, for reuse, and each cached processor keeps the output stream of its last bundle on
its ``DataOutputOperation``. That stream's buffer has grown to the size of one flush (10 MB)
and a closed stream never shrinks it, so a worker held one such buffer per output of every
stage it had run: at 200,000 pages, 45 to 53 live blocks of about 12 MB in each
``multi_processing`` worker, most of its 0.85 GB. Releasing the stream when the bundle
finishes (the next bundle is given a new one anyway) took a 20,000-page run's workers from
824 to 649 MB. The runner's process gets the fix before a run; worker processes import
:mod:`pipeline.fnapi_worker` as a Beam plugin when they start, which applies it there.
"""

from __future__ import annotations

import functools

__all__ = ["WORKER_PLUGIN", "disable_timed_data_flush", "release_finished_output_streams"]

#: Imported by each worker process at start-up (Beam's ``--beam_plugins``).
WORKER_PLUGIN = "newsbeam.pipeline.compat.worker"


def disable_timed_data_flush() -> None:
    """Make the FnApiRunner's data streams to its workers flush by size, never on a timer."""
    from apache_beam.runners.portability.fn_api_runner import worker_handlers

    # Read when the runner builds its gRPC data server, so it must be set before a run starts.
    worker_handlers.DATA_BUFFER_TIME_LIMIT_MS = 0


def release_finished_output_streams() -> None:
    """Make a data output operation drop its stream, and the stream's buffer, when its bundle ends."""
    from apache_beam.runners.worker import bundle_processor

    operation = bundle_processor.DataOutputOperation
    if hasattr(operation.finish, "__wrapped__"):  # applied already
        return
    beam_finish = operation.finish

    @functools.wraps(beam_finish)
    def finish(self: bundle_processor.DataOutputOperation) -> None:
        beam_finish(self)
        self.output_stream = None  # type: ignore[assignment]  # the next bundle sets its own

    operation.finish = finish  # type: ignore[method-assign]
