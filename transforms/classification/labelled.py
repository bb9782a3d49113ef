"""Labelled articles for training and evaluating the text classifier, and the scores.

:func:`read_labelled` reads JSONL (``.jsonl`` or ``.jsonl.gz``) files, or folders of them (a
newsbeam output folder is read through its ``articles/``): each line an object with at least
``title``, ``body`` and ``section``. Article records are accepted as they are; with
``trusted_only``, a record whose ``section_signal`` says the section was *guessed* (``text``,
``default``) is skipped, so that training learns only from what the pages themselves said.

:func:`scores` computes accuracy, macro-F1, per-section precision/recall/F1 and a confusion matrix.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["TRUSTED_SIGNALS", "Labelled", "LabelledError", "read_labelled", "scores"]

#: Sections decided by these signals came from the page itself: good enough to learn from.
TRUSTED_SIGNALS = frozenset({"metadata", "url", "breadcrumb"})
UNCATEGORIZED = "uncategorized"


class LabelledError(ValueError):
    """Input that cannot be read as labelled articles; one sentence."""


@dataclass
class Labelled:
    examples: list[tuple[str, str, str]] = field(default_factory=list)
    #: reason -> lines skipped
    skipped: Counter[str] = field(default_factory=Counter)
    files: int = 0


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        root = path / "articles" if (path / "articles").is_dir() else path
        found = sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith((".jsonl", ".jsonl.gz")))
        if not found:
            raise LabelledError(f"{str(path)!r} holds no .jsonl files")
        return found
    raise LabelledError(f"input {str(path)!r} does not exist")


def _lines(path: Path) -> Iterator[bytes]:
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as file:
            yield from file
    except (OSError, EOFError) as error:
        raise LabelledError(f"{str(path)!r} cannot be read: {error}") from error


def read_labelled(paths: Sequence[str | Path], trusted_only: bool = False) -> Labelled:
    result = Labelled()
    for given in paths:
        for path in _files(Path(given)):
            result.files += 1
            for line in _lines(path):
                if not line.strip():
                    continue
                reason = _add(result.examples, line, trusted_only)
                if reason:
                    result.skipped[reason] += 1
    return result


def _add(examples: list[tuple[str, str, str]], line: bytes, trusted_only: bool) -> str | None:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "not JSON"
    if not isinstance(record, dict):
        return "not JSON"
    section = record.get("section")
    title, body = record.get("title") or "", record.get("body") or ""
    if not isinstance(section, str) or not section.strip() or section == UNCATEGORIZED:
        return "no section"
    if not isinstance(title, str) or not isinstance(body, str) or not (title.strip() or body.strip()):
        return "no text"
    if trusted_only and record.get("section_signal", "metadata") not in TRUSTED_SIGNALS:
        return f"section guessed ({record.get('section_signal')})"
    examples.append((title, body, section.strip()))
    return None


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over every label seen, per-label figures and the confusion matrix."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in number")
    labels = sorted(set(gold) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for truth, guess in zip(gold, predicted, strict=True):
        matrix[index[truth]][index[guess]] += 1
    per_section: dict[str, dict[str, float]] = {}
    for label, i in index.items():
        true_positive = matrix[i][i]
        support = sum(matrix[i])
        guessed = sum(row[i] for row in matrix)
        precision = true_positive / guessed if guessed else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_section[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    n = len(gold)
    correct = sum(matrix[i][i] for i in range(len(labels)))
    macro_f1 = sum(item["f1"] for item in per_section.values()) / len(labels) if labels else 0.0
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(macro_f1, 4),
        "per_section": per_section,
        "confusion": {"labels": labels, "matrix": matrix},
    }
