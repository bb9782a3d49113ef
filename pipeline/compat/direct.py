"""The DirectRunner as newsbeam runs it: Beam's FnApiRunner, built the way the DirectRunner builds it.

Beam 2.77's DirectRunner first tries the Prism runner, which downloads its binary (no
internet: a long wait, then a fallback) and ignores ``--direct_running_mode``. newsbeam
builds the FnApiRunner itself, with the pipeline options in its provision info so that
workers in other processes receive them, applies :mod:`.fnapi`'s fixes and adds their
worker plugin. On a Beam version whose internals differ it falls back to Beam's own
DirectRunner, and says so once.
"""

from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions
from apache_beam.runners.runner import PipelineRunner

from newsbeam.pipeline.compat import untested
from newsbeam.pipeline.compat.allocator import keep_memory_returnable
from newsbeam.pipeline.compat.fnapi import (
    WORKER_PLUGIN,
    disable_timed_data_flush,
    release_finished_output_streams,
)

__all__ = ["direct_runner"]


def direct_runner(options: PipelineOptions) -> PipelineRunner:
    """The runner object for a DirectRunner pipeline with these ``options`` (see the module docstring)."""
    if disable_timed_data_flush() and release_finished_output_streams():
        setup = options.view_as(SetupOptions)
        if WORKER_PLUGIN not in (setup.beam_plugins or []):
            setup.beam_plugins = [*(setup.beam_plugins or []), WORKER_PLUGIN]
    keep_memory_returnable()
    try:
        from apache_beam.portability.api import beam_provision_api_pb2
        from apache_beam.runners.portability.fn_api_runner import fn_runner
        from apache_beam.runners.portability.portable_runner import JobServiceHandle

        encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
        provision = fn_runner.ExtendedProvisionInfo(
            beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded)
        )
        return fn_runner.FnApiRunner(provision_info=provision)
    except (ImportError, AttributeError, TypeError) as error:
        untested("building the FnApiRunner directly", f"Beam's internals differ ({error})")
        from apache_beam.runners.direct.direct_runner import DirectRunner

        return DirectRunner()
