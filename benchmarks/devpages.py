"""Score ``extract_html`` on the development pages (and trafilatura beside it, if installed).

    python benchmarks/devpages.py [--devpages DIR] [--limit N] [--json OUT]
    python benchmarks/devpages.py --parse-only-speed [--rounds N] [--extraction-only]

``DIR`` (default ``../shared/devpages`` from the repository root) holds ``pages/<id>.html.gz``
and ``expected.jsonl`` (see its README). The body is the paragraphs joined by a blank line;
with whitespace collapsed, a ``with`` snippet found is a true positive (missed: false
negative), a ``without`` snippet found a false positive (absent: true negative).

Also reported, on the pages whose annotation gives them:

* title: correct when the normalized titles (casefolded, whitespace collapsed, typographic
  dashes/quotes/ellipsis made plain) are equal or one contains the other;
* author: correct when every expected name (split on and/und/&/,/;) is contained in our
  authors joined by "; ", or our authors are contained in the expected string;
* date: correct when ``published_at`` falls on the same calendar date.

pages/s counts extraction alone (decoding excluded), in CPU seconds of this process
(``time.process_time``), so that other work on a shared machine does not count; the wall
clock figure is printed beside it (``wall_pages_per_s``).

``--parse-only-speed`` skips scoring and measures the parse stage alone, side by side:
for every page, newsbeam's whole parse step (:func:`newsbeam.transforms.extraction.page.parse_page`:
extraction, article building, language detection) and then trafilatura's ``extract()``
on the same page, interleaved so that both see the same machine load, over ``--rounds``
passes; it prints each one's pages/s (CPU and wall clock) and the ratio. With
``--extraction-only`` it times ``extract_html`` alone instead of the whole parse step.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

REPO_ROOT = Path(__file__).resolve().parent.parent

from newsbeam.transforms.extraction.html.extract import extract_html  # noqa: E402
from newsbeam.transforms.extraction.page import parse_page  # noqa: E402
from newsbeam.transforms.model import Page, Provenance  # noqa: E402

_WHITESPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def decode_page(data: bytes) -> str:
    """The page as text: declared ``<meta charset>``, else UTF-8, else the best guess."""
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", errors="replace")


@dataclass
class Score:
    """Snippet counts and field accuracies of one extractor."""

    name: str
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    seconds: float = 0.0
    wall_seconds: float = 0.0
    pages: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)

    def add_field(self, name: str, correct: bool) -> None:
        counts = self.fields.setdefault(name, [0, 0])
        counts[0] += int(correct)
        counts[1] += 1

    def summary(self) -> dict[str, float | int | str]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result: dict[str, float | int | str] = {
            "extractor": self.name,
            "pages": self.pages,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "pages_per_s": round(self.pages / self.seconds, 1) if self.seconds else 0.0,
            "wall_pages_per_s": round(self.pages / self.wall_seconds, 1) if self.wall_seconds else 0.0,
            "tp": self.tp,
            "fn": self.fn,
            "fp": self.fp,
            "tn": self.tn,
        }
        for name, (correct, total) in self.fields.items():
            result[f"{name}_accuracy"] = round(correct / total, 4) if total else 0.0
            result[f"{name}_pages"] = total
        return result


def score_body(score: Score, body: str, expected: dict) -> None:
    text = collapse(body)
    for snippet in expected.get("with", []):
        if collapse(snippet) in text:
            score.tp += 1
        else:
            score.fn += 1
    for snippet in expected.get("without", []):
        if collapse(snippet) in text:
            score.fp += 1
        else:
            score.tn += 1


_PUNCTUATION = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "…": "..."}
)


def _norm(text: str | None) -> str:
    """Casefolded, whitespace collapsed, typographic dashes/quotes/ellipsis made plain."""
    return collapse(text or "").translate(_PUNCTUATION).casefold()


def matches(found: str | None, wanted: str) -> bool:
    found_n, wanted_n = _norm(found), _norm(wanted)
    return bool(found_n) and (found_n == wanted_n or wanted_n in found_n or found_n in wanted_n)


_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b)\s*", re.I)


def author_matches(found: list[str], wanted: str | list[str]) -> bool:
    """Every expected name appears among ours (names split on and/und/&/,/;)."""
    wanted_text = ", ".join(wanted) if isinstance(wanted, list) else wanted
    wanted_names = [_norm(name) for name in _NAME_SEPARATORS.split(wanted_text) if _norm(name)]
    found_text = _norm("; ".join(found))
    if not found_text or not wanted_names:
        return False
    return all(name in found_text for name in wanted_names) or found_text in _norm(wanted_text)


def run_ours(pages: list[tuple[str, dict]], score: Score) -> None:
    if pages:
        extract_html(pages[0][0])  # warm-up, untimed: first-call imports (htmldate loads lazily)
    for html, expected in pages:
        start, wall = time.process_time(), time.perf_counter()
        extraction = extract_html(html, expected.get("url"))
        score.seconds += time.process_time() - start
        score.wall_seconds += time.perf_counter() - wall
        score.pages += 1
        score_body(score, "\n\n".join(extraction.paragraphs), expected)
        if expected.get("title"):
            score.add_field("title", matches(extraction.title, expected["title"]))
        if expected.get("author"):
            score.add_field("author", author_matches(extraction.authors, expected["author"]))
        if expected.get("date"):
            score.add_field("date", (extraction.published_at or "")[:10] == str(expected["date"])[:10])


def run_other(pages: list[tuple[str, dict]], score: Score, extract: Callable[[str, str | None], str]) -> None:
    for html, expected in pages:
        start, wall = time.process_time(), time.perf_counter()
        body = extract(html, expected.get("url"))
        score.seconds += time.process_time() - start
        score.wall_seconds += time.perf_counter() - wall
        score.pages += 1
        score_body(score, body, expected)


def _trafilatura() -> Callable[[str, str | None], str] | None:
    """trafilatura's ``extract`` as a body function, when it is installed (not a dependency)."""
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda html, url: trafilatura.extract(html, url=url) or ""


def parse_only_speed(
    pages: list[tuple[str, dict]], rounds: int, extraction_only: bool = False
) -> list[dict[str, float | int | str]]:
    """Pages/s of newsbeam's parse step (or ``extract_html``) and of trafilatura, interleaved."""
    trafilatura_extract = _trafilatura()
    items = [
        (
            Page(input=Provenance(expected["page"]), url=expected.get("url"), html=html),
            html,
            expected.get("url"),
        )
        for html, expected in pages
    ]
    name = "newsbeam extract_html" if extraction_only else "newsbeam parse_page"
    ours, theirs = Score(name), Score(f"trafilatura {_version('trafilatura')} extract()")
    if items:  # warm-up, untimed: lazy imports and model loading on first use
        parse_page(items[0][0], min_words=60, timeout_seconds=30)
        if trafilatura_extract is not None:
            trafilatura_extract(items[0][1], items[0][2])
    for _ in range(rounds):
        for page, html, url in items:
            start, wall = time.process_time(), time.perf_counter()
            if extraction_only:
                extract_html(html, url)
            else:
                parse_page(page, min_words=60, timeout_seconds=30)
            ours.seconds += time.process_time() - start
            ours.wall_seconds += time.perf_counter() - wall
            ours.pages += 1
            if trafilatura_extract is None:
                continue
            start, wall = time.process_time(), time.perf_counter()
            trafilatura_extract(html, url)
            theirs.seconds += time.process_time() - start
            theirs.wall_seconds += time.perf_counter() - wall
            theirs.pages += 1
    results: list[dict[str, float | int | str]] = []
    rates = []
    for score in (ours, theirs):
        if score.pages:
            rates.append(score.pages / score.seconds)
            results.append({
                "extractor": score.name,
                "pages": score.pages,
                "pages_per_s": round(score.pages / score.seconds, 1),
                "wall_pages_per_s": round(score.pages / score.wall_seconds, 1),
            })  # fmt: skip
    if len(rates) == 2:
        results[0]["speed_ratio"] = round(rates[0] / rates[1], 2)
    return results


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def load_pages(devpages: Path, limit: int | None) -> list[tuple[str, dict]]:
    pages = []
    with open(devpages / "expected.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            expected = json.loads(line)
            data = gzip.decompress((devpages / "pages" / expected["page"]).read_bytes())
            pages.append((decode_page(data), expected))
            if limit and len(pages) >= limit:
                break
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devpages", type=Path, default=REPO_ROOT.parent / "shared" / "devpages")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this JSON file")
    parser.add_argument("--no-trafilatura", action="store_true", help="do not run trafilatura beside ours")
    parser.add_argument(
        "--parse-only-speed", action="store_true", help="measure the parse stage alone beside trafilatura"
    )
    parser.add_argument("--rounds", type=int, default=1, help="passes over the pages for --parse-only-speed")
    parser.add_argument(
        "--extraction-only", action="store_true", help="with --parse-only-speed: time extract_html alone"
    )
    args = parser.parse_args(argv)

    pages = load_pages(args.devpages, args.limit)
    if args.parse_only_speed:
        for result in parse_only_speed(pages, max(1, args.rounds), args.extraction_only):
            print(json.dumps(result))
        return 0
    results = []
    ours = Score("newsbeam extract_html")
    run_ours(pages, ours)
    results.append(ours.summary())
    trafilatura_extract = None if args.no_trafilatura else _trafilatura()
    if trafilatura_extract is not None:
        theirs = Score(f"trafilatura {_version('trafilatura')} extract()")
        run_other(pages, theirs, trafilatura_extract)
        results.append(theirs.summary())
    for result in results:
        print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
