"""Airflow DAG: newsbeam every night over the day Airflow schedules (``{{ ds }}``).

Copy this file into your DAGs folder, and set the variables ``NEWSBEAM_DUMPS`` and
``NEWSBEAM_OUTPUT`` in the worker's environment (or edit ``ENV`` below). The task runs the
same command as the crontab and systemd recipes, with ``--date {{ ds }}``: the logical
date of a daily DAG run is the day whose data just ended, so a run for 2025-03-11 starts
early on 2025-03-12 and reads ``$NEWSBEAM_DUMPS/2025-03-11``. Clearing a task (or a
backfill with ``airflow dags backfill``) reruns that day: the run id is the date, so the
rerun replaces that day's output and nothing else. ``max_active_runs=1`` keeps the runs of
one output folder apart (a second one would exit 3); retries cover transient failures.
A plain ``BashOperator`` is used because newsbeam is a command with its own runner
choice; Airflow's Beam operator would do as well with ``py_file`` set to newsbeam's CLI.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow import DAG

try:  # Airflow 3 moved the operator to the "standard" provider.
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

BASH_COMMAND = (
    'newsbeam run --input "$NEWSBEAM_DUMPS/{date}" --output "$NEWSBEAM_OUTPUT" '
    "--date {{ ds }} --log-format json"
)
ENV = {
    "NEWSBEAM_DUMPS": os.environ.get("NEWSBEAM_DUMPS", "/data/dumps"),
    "NEWSBEAM_OUTPUT": os.environ.get("NEWSBEAM_OUTPUT", "/data/newsbeam"),
}

with DAG(
    dag_id="newsbeam_nightly",
    description="newsbeam: yesterday's news dumps to clean, deduplicated, classified articles",
    schedule="15 2 * * *",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=15)},
    tags=["newsbeam"],
) as dag:
    BashOperator(task_id="newsbeam_run", bash_command=BASH_COMMAND, env=ENV, append_env=True)
