"""The scheduling recipes in examples/scheduling/, run through the command lines they hold.

cron and systemd themselves are not started: the test reads the command out of each file,
gives it small input folders through the variables the file sets, and runs it the way
cron (``/bin/sh -c``) or systemd (``${VAR}`` expansion, then split into words) would. A shim
named ``newsbeam`` stands in for the installed command (it runs this checkout, in memory).
The Airflow DAG is imported when Airflow is installed; its command is checked either way.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.builders import REPO
from helpers.cli import copy_dumps

from newsbeam.pipeline.config.dates import yesterday_utc

RECIPES = REPO / "examples" / "scheduling"


@pytest.fixture()
def site(tmp_path: Path) -> dict[str, Path]:
    """Yesterday's dumps, an output folder, and a ``newsbeam`` shim first on the PATH."""
    day = yesterday_utc().isoformat()
    copy_dumps(tmp_path / "dumps" / day, ("dailycourier/2025-03-11-green-line-corridor-opens.txt",))
    shim_folder = tmp_path / "bin"
    shim_folder.mkdir()
    shim = shim_folder / "newsbeam"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m newsbeam "$@" --direct_running_mode in_memory\n')
    shim.chmod(0o755)
    (tmp_path / "log").mkdir()
    return {
        "dumps": tmp_path / "dumps",
        "output": tmp_path / "out",
        "bin": shim_folder,
        "log": tmp_path / "log",
    }


def check_nightly_output(output: Path) -> None:
    run_id = yesterday_utc().isoformat()
    manifest = json.loads((output / "_runs" / f"{run_id}.json").read_text())
    assert manifest["status"] == "succeeded" and manifest["counts"]["files"] == 1


@pytest.mark.slow
def test_the_crontab_line_runs_yesterdays_dumps(site: dict[str, Path]):
    lines = [
        line for line in (RECIPES / "newsbeam.crontab").read_text().splitlines() if line and line[0] != "#"
    ]
    variables = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    entries = [line for line in lines if not re.match(r"^[A-Z_]+=", line)]
    assert len(entries) == 1 and "%" not in entries[0]  # cron would turn % into newlines
    schedule, command = entries[0].split(None, 5)[:5], entries[0].split(None, 5)[5]
    assert schedule == ["15", "2", "*", "*", "*"]
    assert {"NEWSBEAM_DUMPS", "NEWSBEAM_OUTPUT", "NEWSBEAM_LOG", "PATH"} <= set(variables)
    env = {
        **variables,
        "PATH": f"{site['bin']}:{os.environ['PATH']}",
        "NEWSBEAM_DUMPS": str(site["dumps"]),
        "NEWSBEAM_OUTPUT": str(site["output"]),
        "NEWSBEAM_LOG": str(site["log"] / "nightly.log"),
    }
    result = subprocess.run([variables.get("SHELL", "/bin/sh"), "-c", command], env=env, timeout=120)
    assert result.returncode == 0, (site["log"] / "nightly.log").read_text()
    check_nightly_output(site["output"])
    logged = [
        json.loads(line) for line in (site["log"] / "nightly.log").read_text().splitlines() if line[:1] == "{"
    ]
    assert any(line.get("event") == "run_succeeded" for line in logged)


def _unit(name: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in (RECIPES / name).read_text().splitlines():
        if "=" in line and line[:1] not in "#;[":
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


@pytest.mark.slow
def test_the_systemd_service_runs_yesterdays_dumps_and_the_timer_starts_it_nightly(site: dict[str, Path]):
    service, timer = _unit("newsbeam-nightly.service"), _unit("newsbeam-nightly.timer")
    assert service["Type"] == ["oneshot"] and timer["OnCalendar"] == ["*-*-* 02:15:00 UTC"]
    assert timer["Persistent"] == ["true"]
    variables = dict(value.split("=", 1) for value in service["Environment"])
    variables.update(NEWSBEAM_DUMPS=str(site["dumps"]), NEWSBEAM_OUTPUT=str(site["output"]))
    # systemd replaces ${VAR} by the variable's value as one word, then splits the line into words.
    (exec_start,) = service["ExecStart"]
    words = [
        re.sub(r"\$\{(\w+)\}", lambda match: variables[match.group(1)], word)
        for word in shlex.split(exec_start)
    ]
    assert words[0].endswith("/newsbeam")
    result = subprocess.run(
        [str(site["bin"] / "newsbeam"), *words[1:]], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    check_nightly_output(site["output"])


def test_the_airflow_dag_command_reads_the_scheduled_day():
    source = (RECIPES / "newsbeam_nightly_dag.py").read_text()
    command = next(
        ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "BASH_COMMAND"
    )
    assert "--date {{ ds }}" in command and '"$NEWSBEAM_DUMPS/{date}"' in command


def test_the_airflow_dag_builds_when_airflow_is_installed():
    pytest.importorskip("airflow")
    spec = importlib.util.spec_from_file_location("newsbeam_nightly_dag", RECIPES / "newsbeam_nightly_dag.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.dag.dag_id == "newsbeam_nightly"
    assert [task.task_id for task in module.dag.tasks] == ["newsbeam_run"]
