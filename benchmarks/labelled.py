"""Score the parse stage on the labelled pages of ``tests/fixtures/labelled`` (invented sites).

    python benchmarks/labelled.py [--dir DIR] [--json OUT] [--verbose]

Each page goes through :func:`newsbeam.transforms.extraction.page.parse_page` (the whole parse stage, as in a
run). Per page, field by field, against ``expected.jsonl``:

* title: equal after whitespace is collapsed;
* published_at: equal ISO 8601 string (with the zone when the page gives one);
* authors: equal lists;
* body: word 4-gram shingle precision, recall and F1 against the expected paragraphs
  (lowercased words; per page, then averaged over pages, F1 from the two averages, as the
  held-out check does), the first and last expected paragraph present, and none of the
  page's known boilerplate strings present.

Prints one line per kind of site and one for all pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

from newsbeam.transforms.extraction.page import parse_page  # noqa: E402
from newsbeam.transforms.model import Article, Page, Provenance  # noqa: E402

LABELLED = REPO_ROOT / "tests" / "fixtures" / "labelled"
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    """The word ``size``-grams of ``text`` (lowercased words; a short text gives one shingle)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[index : index + size]) for index in range(len(words) - size + 1)}


def shingle_scores(found: str, expected: str) -> tuple[float, float]:
    """Shingle precision and recall of ``found`` against ``expected``."""
    ours, truth = shingles(found), shingles(expected)
    if not ours or not truth:
        return (1.0 if not ours and not truth else 0.0), (1.0 if not truth else 0.0)
    common = len(ours & truth)
    return common / len(ours), common / len(truth)


def load_labelled(folder: Path = LABELLED) -> list[tuple[Page, dict[str, Any]]]:
    items = []
    for line in (folder / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected = json.loads(line)
        content = (folder / expected["page"]).read_text(encoding="utf-8")
        where = Provenance(str(folder / expected["page"]))
        if expected["page"].endswith(".txt"):
            page = Page(input=where, url=expected.get("url"), text=content)
        else:
            page = Page(input=where, url=expected.get("url"), html=content)
        items.append((page, expected))
    return items


def _collapse(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def score_page(article: Article | Any, expected: dict[str, Any]) -> dict[str, Any]:
    """Field-by-field results of one parsed page (a reject scores as empty)."""
    is_article = isinstance(article, Article)
    body = article.body if is_article else ""
    flat = _collapse(body)
    precision, recall = shingle_scores(body, "\n\n".join(expected["body"]))
    return {
        "page": expected["page"],
        "kind": expected["kind"],
        "article": is_article,
        "title": is_article and _collapse(article.title) == _collapse(expected["title"]),
        "published_at": is_article and article.published_at == expected["published_at"],
        "authors": is_article and list(article.authors) == expected["authors"],
        "first_paragraph": _collapse(expected["body"][0]) in flat,
        "last_paragraph": _collapse(expected["body"][-1]) in flat,
        "no_boilerplate": not any(snippet in flat for snippet in expected["boilerplate"]),
        "precision": precision,
        "recall": recall,
    }


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    count = len(results)
    precision = sum(result["precision"] for result in results) / count
    recall = sum(result["recall"] for result in results) / count
    summary: dict[str, Any] = {"pages": count}
    for name in ("title", "published_at", "authors", "first_paragraph", "last_paragraph", "no_boilerplate"):
        summary[name] = round(sum(bool(result[name]) for result in results) / count, 3)
    summary["shingle_precision"] = round(precision, 4)
    summary["shingle_recall"] = round(recall, 4)
    summary["shingle_f1"] = (
        round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    )
    return summary


def run(folder: Path = LABELLED) -> list[dict[str, Any]]:
    return [score_page(parse_page(page, min_words=20), expected) for page, expected in load_labelled(folder)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=LABELLED)
    parser.add_argument("--json", type=Path, default=None, help="write per-page results to this file")
    parser.add_argument("--verbose", action="store_true", help="print every page that misses a field")
    args = parser.parse_args(argv)
    results = run(args.dir)
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        by_kind[result["kind"]].append(result)
    for kind, kind_results in by_kind.items():
        print(json.dumps({"kind": kind, **summarize(kind_results)}))
    print(json.dumps({"kind": "all", **summarize(results)}))
    if args.verbose:
        checks = ("title", "published_at", "authors", "first_paragraph", "last_paragraph", "no_boilerplate")
        for result in results:
            missed = [name for name in checks if not result[name]]
            if missed or result["recall"] < 0.95 or result["precision"] < 0.95:
                print(result["page"], missed, round(result["precision"], 3), round(result["recall"], 3))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
