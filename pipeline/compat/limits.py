"""Runners and filesystems newsbeam refuses, because on the tested Beam versions they lose data.

Each refusal is one sentence for the user (exit 2 before any work). They hold for the Beam
versions of :data:`~newsbeam.pipeline.compat.TESTED_BEAM`; on another version the runner
is allowed and newsbeam says once that it was not tested there.
"""

from __future__ import annotations

from newsbeam.pipeline.compat import is_tested_beam, untested

__all__ = ["unsupported_runner", "unsupported_scheme"]

#: Beam's HDFS filesystem lists one folder level only (its ``_list`` is not recursive), so the
#: ``**`` listings of input folders, staging folders and state would miss files or return folders.
_SCHEMES = {"hdfs": "Beam's HDFS filesystem does not list folders recursively, which newsbeam needs"}


def unsupported_runner(runner: str) -> str | None:
    """Why ``--runner runner`` cannot run newsbeam, or None."""
    if "dask" not in runner.lower():
        return None
    if not is_tested_beam():
        untested("the DaskRunner refusal", "this Beam version was not tested with the DaskRunner")
        return None
    # Beam 2.77's DaskRunner drops the output of some branches of newsbeam's graph and still
    # reports success, so a run would publish a manifest that lies.
    return (
        f"--runner {runner} is not supported: with this Beam version it loses output in pipelines "
        "with several branches and reports success; use the DirectRunner, Flink, Spark or Dataflow"
    )


def unsupported_scheme(path: str) -> str | None:
    """Why ``path`` cannot be an input, output or state location, or None."""
    scheme = path.split("://", 1)[0] if "://" in path else ""
    reason = _SCHEMES.get(scheme)
    return f"{scheme}:// is not supported: {reason}" if reason else None
