"""What one user step costs per article inside Beam, apart from the rest of a run.

Reads the articles a run wrote (``OUT/articles/**.jsonl``, ``--copies`` times over) inside a
pipeline on the FnApiRunner in memory and runs them through 0 and then ``--steps`` trivial
function steps (``benchmarks/user_step.py:touch``, wrapped exactly as the pipeline wraps a
user step); the difference in CPU time (the least of ``--repeat`` runs), divided by steps
and articles, is the cost of a user step per article. Whole runs with and without a step
(``--config benchmarks/user_step.yaml``) differ by less than their own noise; this isolates it.

    python benchmarks/user_step_cost.py --articles OUT [--copies 5] [--steps 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import apache_beam as beam  # noqa: E402
from apache_beam.metrics import Metrics  # noqa: E402
from apache_beam.metrics.metric import MetricsFilter  # noqa: E402
from apache_beam.runners.portability.fn_api_runner import fn_runner  # noqa: E402
from user_step import touch  # noqa: E402

from newsbeam.transforms.model import Article, Provenance  # noqa: E402
from newsbeam.transforms.stages.user_steps import ApplyUserStep  # noqa: E402

_ARTICLE_ARGS = {field.name for field in dataclasses.fields(Article)} - {"hints", "extra"}


def to_article(line: str) -> Article:
    record = json.loads(line)
    fields = {key: record.pop(key) for key in _ARTICLE_ARGS if key in record}
    fields["input"] = Provenance(**fields["input"])
    record.pop("schema_version", None)
    return Article(**fields, extra=record)


def read_lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def timed_run(paths: list[str], steps: int) -> tuple[float, int]:
    """CPU seconds to read the articles, run them through ``steps`` steps and count them; and the count."""
    pipeline = beam.Pipeline(runner=fn_runner.FnApiRunner())
    pcoll = (
        pipeline
        | beam.Create(paths, reshuffle=False)
        | "Lines" >> beam.FlatMap(read_lines)
        | "Articles" >> beam.Map(to_article)
    )
    for index in range(steps):
        pcoll = (pcoll | f"Step {index}" >> ApplyUserStep(f"touch{index}", touch))["articles"]
    _ = pcoll | "Count" >> beam.Map(_count)
    # CPU seconds of this process (the in-memory runner's worker threads included): on a busy
    # machine they vary far less than wall time.
    start = time.process_time()
    result = pipeline.run()
    result.wait_until_finish()
    seconds = time.process_time() - start
    counters = result.metrics().query(MetricsFilter().with_name("articles"))["counters"]
    return seconds, int(sum(counter.committed for counter in counters))


def _count(article: Article) -> None:
    Metrics.counter("bench", "articles").inc()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True, help="the output folder of a newsbeam run")
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(str(path) for path in (args.articles / "articles").rglob("*.jsonl")) * args.copies
    base, count = min(timed_run(paths, 0) for _ in range(args.repeat))
    stepped, _ = min(timed_run(paths, args.steps) for _ in range(args.repeat))
    per_article_us = (stepped - base) / args.steps / count * 1e6
    print(
        json.dumps(
            {
                "articles": count,
                "steps": args.steps,
                "cpu_seconds_without": round(base, 3),
                "cpu_seconds_with": round(stepped, 3),
                "us_per_article_per_step": round(per_article_us, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
