"""User steps on Beam's portable submission path (that of Flink, Spark and Dataflow).

The test starts Beam's local job service, submits a run with the three example steps
through ``--runner PortableRunner --environment_type LOOPBACK`` (the steps are pickled and
shipped to an SDK worker, as on a cluster) and checks that it writes exactly what the
in-process DirectRunner writes. It skips when the job service cannot start.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from plugin_install import DUMPS, EXAMPLE_CONFIG, install_example_plugin, newsbeam
from schema_check import validate_output

STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("localhost", port)) == 0


@pytest.fixture(scope="module")
def job_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("job-service") / "job_service.log"
    with log.open("wb") as handle:
        service = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "apache_beam.runners.portability.local_job_service_main",
                "--port",
                str(port),
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if service.poll() is not None or time.monotonic() > deadline:
                pytest.skip(
                    f"Beam's local job service did not start: {log.read_text(errors='replace')[-300:]}"
                )
            time.sleep(0.2)
        yield f"localhost:{port}"
    finally:
        service.terminate()
        try:
            service.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()


def _run(output: Path, plugin: Path, *runner_args: str) -> None:
    result = newsbeam(
        "run",
        "--input",
        str(DUMPS),
        "--output",
        str(output),
        "--config",
        str(EXAMPLE_CONFIG),
        "--run-id",
        "portable",
        "--quiet",
        *runner_args,
        pythonpath=[plugin],
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_user_steps_run_on_the_portable_runner(job_endpoint: str, tmp_path: Path):
    plugin = install_example_plugin(tmp_path / "site-packages")
    portable, direct = tmp_path / "portable", tmp_path / "direct"
    _run(
        portable,
        plugin,
        "--runner",
        "PortableRunner",
        "--job_endpoint",
        job_endpoint,
        "--environment_type",
        "LOOPBACK",
    )
    _run(direct, plugin, "--direct_running_mode", "in_memory")

    manifest = (portable / "_runs" / "portable.json").read_text(encoding="utf-8")
    assert '"runner": "PortableRunner"' in manifest
    assert '"dropped_by:drop_press_releases": 1' in manifest
    validate_output(portable)
    for folder in ("articles", "duplicates", "rejects"):
        ours = sorted(p.relative_to(portable) for p in (portable / folder).rglob("*.jsonl"))
        theirs = sorted(p.relative_to(direct) for p in (direct / folder).rglob("*.jsonl"))
        assert ours == theirs
        for relative in ours:
            assert (portable / relative).read_bytes() == (direct / relative).read_bytes(), relative
    lines = b"".join(p.read_bytes() for p in (portable / "articles").rglob("*.jsonl"))
    assert b'"people":["Rosalind Parata"],"places":["Cook Strait","Wellington"]' in lines
