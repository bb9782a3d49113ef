"""``newsbeam sections``: train and evaluate the text classifier of the section cascade.

::

    newsbeam sections train --input ARTICLES_JSONL_OR_OUTPUT_DIR [--input ...] --out MODEL
    newsbeam sections evaluate --model MODEL --input LABELLED_JSONL [--json] [--min-confidence P]

``train`` learns from labelled lines (``title``, ``body``, ``section``) or newsbeam article
records; of the records it keeps only those whose section came from the page (``section_signal``
``metadata``, ``url`` or ``breadcrumb``). Point ``classify.model`` in the config at the file.
``evaluate`` scores the model alone, on title and body, against the ``section`` of each line:
accuracy, macro-F1 and a confusion matrix (rows: true section, columns: predicted). Section
names on both sides go through the taxonomy's aliases first, so "Sports" and "sport" agree.
Exit status: 0 done, 2 bad usage or unusable input (one sentence on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsbeam.pipeline.cli.common import EXIT_OK, EXIT_USAGE, error
from newsbeam.pipeline.config.loader import ConfigError, load_config
from newsbeam.transforms.classification.labelled import LabelledError, read_labelled, scores
from newsbeam.transforms.classification.taxonomy import Taxonomy
from newsbeam.transforms.classification.text_model import (
    DEFAULT_BUCKETS,
    ModelError,
    load_model,
    save_model,
    train_model,
)

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam sections", description="Train and evaluate the section text classifier."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="fit a text model on labelled articles")
    train.add_argument("--input", action="append", required=True, help="JSONL file or folder; repeatable")
    train.add_argument("--out", required=True, help="the model file to write (.npz)")
    train.add_argument("--buckets", type=int, default=DEFAULT_BUCKETS, help="hashed feature columns")
    evaluate = commands.add_parser("evaluate", help="score a text model on labelled articles")
    evaluate.add_argument("--model", required=True, help="a model file made by `sections train`")
    evaluate.add_argument("--input", action="append", required=True, help="JSONL file or folder; repeatable")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    evaluate.add_argument(
        "--config",
        help="config whose taxonomy maps section names to slugs (default: the packaged one), "
        "so that 'Sports' in the file and 'sport' in the model agree",
    )
    evaluate.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        help="count predictions below this confidence as 'uncategorized' (default 0: never abstain)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    remote = _first_remote_path(args)
    if remote:
        error(
            f"newsbeam sections reads and writes local files only, not {remote!r}; "
            "copy it to this machine first"
        )
        return EXIT_USAGE
    try:
        if args.command == "train":
            return _train(args)
        return _evaluate(args)
    except (LabelledError, ModelError) as failure:
        error(str(failure))
        return EXIT_USAGE


def _first_remote_path(args: argparse.Namespace) -> str | None:
    """A ``gs://``-style path among the arguments: training is a local, one-process tool."""
    named = [*args.input, *(getattr(args, name, None) for name in ("out", "model", "config"))]
    return next((path for path in named if path and "://" in path), None)


def _train(args: argparse.Namespace) -> int:
    data = read_labelled(args.input, trusted_only=True)
    if not data.examples:
        raise LabelledError(f"no usable labelled articles in {', '.join(args.input)}{_skipped(data.skipped)}")
    model = train_model(data.examples, buckets=args.buckets)
    out = Path(args.out)
    if out.parent and not out.parent.is_dir():
        raise LabelledError(f"the folder of --out {str(out)!r} does not exist")
    save_model(model, out)
    counts = ", ".join(f"{label} {n}" for label, n in model.info["documents"].items())
    print(f"trained on {len(data.examples)} articles from {data.files} file(s){_skipped(data.skipped)}")
    print(f"  sections  {counts}")
    print(f"  wrote     {out} ({out.stat().st_size / 1024:.0f} KiB, {len(model.rows)} features)")
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    if not 0.0 <= args.min_confidence <= 1.0:
        raise LabelledError(f"--min-confidence must be between 0 and 1, not {args.min_confidence}")
    try:
        taxonomy = load_config(args.config).classify.taxonomy
    except ConfigError as error:
        raise LabelledError(str(error)) from error
    model = load_model(args.model)
    data = read_labelled(args.input)
    if not data.examples:
        raise LabelledError(f"no usable labelled articles in {', '.join(args.input)}{_skipped(data.skipped)}")
    gold, predicted = [], []
    for title, body, section in data.examples:
        label, confidence = model.predict(title, body)
        gold.append(_canonical(section, taxonomy))
        predicted.append(
            _canonical(label, taxonomy) if confidence >= args.min_confidence else "uncategorized"
        )
    result = scores(gold, predicted)
    result["model"] = str(args.model)
    result["skipped"] = sum(data.skipped.values())
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(_table(result))
    return EXIT_OK


def _canonical(label: str, taxonomy: Taxonomy) -> str:
    """The taxonomy's slug for ``label`` if it has one, else the label itself, case-folded."""
    return taxonomy.lookup(label) or label.strip().casefold()


def _skipped(skipped: dict[str, int]) -> str:
    if not skipped:
        return ""
    return " (skipped " + ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())) + ")"


def _table(result: dict[str, Any]) -> str:
    labels = result["confusion"]["labels"]
    width = max(len(label) for label in labels) + 2
    lines = [
        f"n {result['n']}  accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}",
        "",
        f"{'section':<{width}}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}",
    ]
    for label, item in result["per_section"].items():
        lines.append(
            f"{label:<{width}}{item['precision']:>10.3f}{item['recall']:>10.3f}{item['f1']:>10.3f}"
            f"{item['support']:>9}"
        )
    lines += ["", "confusion matrix (rows: true section, columns: predicted)"]
    short = [label[:5] for label in labels]
    lines.append(" " * width + "".join(f"{name:>6}" for name in short))
    for label, row in zip(labels, result["confusion"]["matrix"], strict=True):
        lines.append(f"{label:<{width}}" + "".join(f"{count:>6}" for count in row))
    return "\n".join(lines)
