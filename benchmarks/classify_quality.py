"""Quality of section classification on a held-out split of the labelled example articles.

    python benchmarks/classify_quality.py [--input examples/labelled/articles.jsonl]
                                          [--held-out 0.3] [--seed 5] [--json]

The labelled articles are split per section (seeded): a model is trained on the larger part
exactly as ``newsbeam sections train`` would, and three figures are measured on the rest:

* ``model``: the text model alone, title and body, never abstaining (what ``sections evaluate`` reports);
* ``text_only``: the whole cascade with metadata, breadcrumbs and URL hidden, so only the text
  decides (it may abstain below ``min_confidence``: an abstention counts as wrong);
* ``cascade``: the whole cascade on pages given the structure sites give: each held-out article
  gets, by a seeded draw, a section name in its metadata (a random alias of its section), a
  breadcrumb, a URL path segment, or nothing at all (a quarter of them), as the corpus of a real
  crawl mixes them.

Held-out articles of the same generator share its phrases with the training articles, which
flatters the text model. So two more figures come from a harder split made by
``examples/labelled_articles.py`` itself: training articles written from one half of every
section's sentences, headlines and terms, test articles from the other half, so no test sentence
or section term was seen in training (``unseen_phrasing_model`` and ``unseen_phrasing_text_only``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
from newsbeam.pipeline.config.loader import packaged_config_path  # noqa: E402
from newsbeam.transforms.classification.cascade import classify_article, prepare_model  # noqa: E402
from newsbeam.transforms.classification.labelled import read_labelled, scores  # noqa: E402
from newsbeam.transforms.classification.taxonomy import Taxonomy, load_taxonomy  # noqa: E402
from newsbeam.transforms.classification.text_model import train_model  # noqa: E402
from newsbeam.transforms.model import Article, Provenance  # noqa: E402

sys.path.insert(0, str(REPO / "examples"))
from labelled_articles import generate  # noqa: E402

DEFAULT_INPUT = REPO / "examples" / "labelled" / "articles.jsonl"
MIN_CONFIDENCE = 0.35


def split(
    examples: list[tuple[str, str, str]], held_out: float, seed: int
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    by_section: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for example in examples:
        by_section[example[2]].append(example)
    rng = random.Random(seed)
    train, test = [], []
    for section in sorted(by_section):
        items = by_section[section]
        rng.shuffle(items)
        cut = round(len(items) * held_out)
        test += items[:cut]
        train += items[cut:]
    return train, test


def with_structure(
    number: int, example: tuple[str, str, str], taxonomy: Taxonomy, rng: random.Random
) -> Article:
    title, body, section = example
    names = [taxonomy.section(section).name, *taxonomy.section(section).aliases]
    label = rng.choice(names)
    kind = rng.choice(["metadata", "breadcrumb", "url", "none"])
    article = Article(id=str(number), input=Provenance("held-out", number), body=body, title=title)
    if kind == "metadata":
        article.hints = {"sections": [label]}
    elif kind == "breadcrumb":
        article.hints = {"breadcrumbs": ["Home", label]}
    elif kind == "url":
        segment = label.casefold().replace(" ", "-")
        article.url = f"https://news.example/{segment}/2025/03/14/story-{number}"
    return article


def measure(args: argparse.Namespace) -> dict:
    taxonomy = load_taxonomy(packaged_config_path().parent / "sections.yaml")
    data = read_labelled([args.input])
    train, test = split(data.examples, args.held_out, args.seed)
    started = time.perf_counter()
    model = prepare_model(train_model(train), taxonomy)
    trained_in = time.perf_counter() - started
    gold = [section for _, _, section in test]

    started = time.perf_counter()
    predicted_model = [model.predict(title, body)[0] for title, body, _ in test]
    per_article_ms = (time.perf_counter() - started) / len(test) * 1000
    text_only = [
        classify_article(
            Article(id=str(n), input=Provenance("held-out", n), body=body, title=title),
            taxonomy,
            MIN_CONFIDENCE,
            model,
        )
        for n, (title, body, _) in enumerate(test)
    ]
    rng = random.Random(args.seed)
    cascade = [
        classify_article(with_structure(n, example, taxonomy, rng), taxonomy, MIN_CONFIDENCE, model)
        for n, example in enumerate(test)
    ]
    unseen_train = [(a["title"], a["body"], a["section"]) for a in generate(30, args.seed, half=0)]
    unseen_test = [(a["title"], a["body"], a["section"]) for a in generate(20, args.seed + 1, half=1)]
    unseen_model = prepare_model(train_model(unseen_train), taxonomy)
    unseen_gold = [section for _, _, section in unseen_test]
    unseen_text = [
        classify_article(
            Article(id=str(n), input=Provenance("unseen", n), body=body, title=title),
            taxonomy,
            MIN_CONFIDENCE,
            unseen_model,
        )
        for n, (title, body, _) in enumerate(unseen_test)
    ]
    return {
        "input": str(args.input),
        "train": len(train),
        "held_out": len(test),
        "train_seconds": round(trained_in, 2),
        "predict_ms_per_article": round(per_article_ms, 3),
        "model": _brief(scores(gold, predicted_model)),
        "text_only": _brief(scores(gold, [d.section for d in text_only]))
        | {"abstained": sum(d.signal == "default" for d in text_only)},
        "cascade": _brief(scores(gold, [d.section for d in cascade]))
        | {"signals": dict(Counter(d.signal for d in cascade).most_common())},
        "unseen_phrasing": {"train": len(unseen_train), "test": len(unseen_test)},
        "unseen_phrasing_model": _brief(
            scores(unseen_gold, [unseen_model.predict(title, body)[0] for title, body, _ in unseen_test])
        ),
        "unseen_phrasing_text_only": _brief(scores(unseen_gold, [d.section for d in unseen_text]))
        | {"abstained": sum(d.signal == "default" for d in unseen_text)},
    }


def _brief(result: dict) -> dict:
    return {key: result[key] for key in ("n", "accuracy", "macro_f1")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--held-out", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args)
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return
    print(f"labelled articles: {result['train']} to train, {result['held_out']} held out ({args.input})")
    print(f"trained in {result['train_seconds']} s; {result['predict_ms_per_article']} ms per article")
    for name, label in (
        ("model", "text model alone          "),
        ("text_only", "cascade, text only        "),
        ("cascade", "cascade, with page signals"),
        ("unseen_phrasing_model", "unseen phrasing: model    "),
        ("unseen_phrasing_text_only", "unseen phrasing: text only"),
    ):
        if name == "unseen_phrasing_model":
            split_sizes = result["unseen_phrasing"]
            print(
                f"unseen phrasing: {split_sizes['train']} articles to train from half of the phrases, "
                f"{split_sizes['test']} to test from the other half"
            )
        figures = result[name]
        extra = ""
        if name.endswith("text_only"):
            extra = f"  abstained {figures['abstained']}"
        if name == "cascade":
            extra = "  signals " + ", ".join(f"{k} {v}" for k, v in figures["signals"].items())
        print(f"{label}  accuracy {figures['accuracy']:.3f}  macro-F1 {figures['macro_f1']:.3f}{extra}")


if __name__ == "__main__":
    main()
