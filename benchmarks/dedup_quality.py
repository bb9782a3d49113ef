"""Precision and recall of newsbeam's dedup stage on a labelled corpus of invented articles.

    python benchmarks/dedup_quality.py [--stories 240] [--seed 7] [--config FILE] [--json OUT]

The corpus (all text made up by ``_corpus_text.TextBank``, seeded):

* ``--stories`` distinct articles of six invented sites, each with 0 to 5 copies made by
  one or two realistic transformations: another site's headline and a sidebar line
  left in the body; a first or last paragraph added or removed; the agency line changed;
  typos (a few words misspelt); whitespace and punctuation changed; the last 20% of the
  words cut;
* hard negatives, which must stay apart: articles of one site whose bodies all carry the
  same header, footer and sidebar text (as when boilerplate removal misses it); pairs of
  articles about one event by two outlets, sharing the names and two quoted paragraphs;
  live blogs whose updates share a preamble paragraph.

It runs :class:`newsbeam.transforms.stages.dedup.DeduplicateArticles` with the config's ``dedup``
settings (the packaged defaults without ``--config``) on Beam's in-memory runner, then
compares the clusters it made (each kept article with its duplicates) with the truth
and prints pairwise precision and recall: over all pairs of pages, a pair is predicted
together when both end in one cluster and truly together when both come from one story.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import apache_beam as beam  # noqa: E402
from _corpus_text import TextBank  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions  # noqa: E402

from newsbeam.pipeline.config.loader import load_config  # noqa: E402
from newsbeam.transforms.extraction.page import content_hash, word_count  # noqa: E402
from newsbeam.transforms.model import Article, Provenance  # noqa: E402
from newsbeam.transforms.stages.dedup import DeduplicateArticles  # noqa: E402

SITES: tuple[str, ...] = (
    "harbourpost.example",
    "valleyledger.example",
    "northgazette.example",
    "cityecho.example",
    "coastcourier.example",
    "plainsherald.example",
)
AGENCIES = ("(Reuters)", "(AP)", "(AFP)", "(NWS)", "(Pacific Wire)")
TRANSFORMS = (
    "headline_sidebar",
    "first_paragraph",
    "last_paragraph",
    "agency",
    "typos",
    "punctuation",
    "cut",
)


def _agency_lead(rng: random.Random, city: str, paragraphs: list[str]) -> list[str]:
    return [f"{city.upper()} {rng.choice(AGENCIES)} - {paragraphs[0]}", *paragraphs[1:]]


def transform(
    rng: random.Random, bank: TextBank, paragraphs: list[str], kind: str, section: str
) -> list[str]:
    """One realistic edit of a syndicated or re-crawled copy."""
    out = list(paragraphs)
    if kind == "headline_sidebar":
        # The headline is not in the body; what survives extraction is a sidebar line.
        out.append(f"Most read: {bank.headline(rng, section)}. {bank.headline(rng, section)}.")
    elif kind == "first_paragraph":
        if rng.random() < 0.5 and len(out) > 4:
            out = out[1:]
        else:
            out.insert(0, " ".join(bank.sentence(rng, section) for _ in range(2)))
    elif kind == "last_paragraph":
        if rng.random() < 0.5 and len(out) > 4:
            out = out[:-1]
        else:
            out.append(" ".join(bank.sentence(rng, section) for _ in range(2)))
    elif kind == "agency":
        first = re.sub(r"^[A-Z ]+ \([^)]*\) - ", "", out[0])
        out[0] = f"{rng.choice(('LONDON', 'SYDNEY', 'NAIROBI', 'OTTAWA'))} {rng.choice(AGENCIES)} - {first}"
    elif kind == "typos":
        for _ in range(rng.randint(2, 5)):
            index = rng.randrange(len(out))
            words = out[index].split(" ")
            position = rng.randrange(len(words))
            word = words[position]
            if len(word) > 3:
                cut = rng.randrange(1, len(word) - 1)
                words[position] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
            out[index] = " ".join(words)
    elif kind == "punctuation":
        out = [
            re.sub(r", ", " , " if rng.random() < 0.5 else "; ", p)
            .replace(". ", ".  ")
            .replace('"', "\u201c")
            for p in out
        ]
    elif kind == "cut":
        words = " \n\n ".join(out).split(" ")
        kept = " ".join(words[: int(len(words) * 0.8)])
        out = [p.strip() for p in kept.split("\n\n") if p.strip()]
    return out


def make_article(
    site: str, slug: str, paragraphs: list[str], published: str, title: str, path: str
) -> Article:
    body = "\n\n".join(paragraphs)
    url = f"https://www.{site}/news/{slug}"
    return Article(
        id=hashlib.blake2b(f"url:{site}/news/{slug}".encode(), digest_size=12).hexdigest(),
        input=Provenance(path, 0),
        body=body,
        url=url,
        source=site,
        title=title,
        published_at=published,
        word_count=word_count(body),
        content_hash=content_hash(body),
    )


def build_corpus(stories: int, seed: int) -> tuple[list[Article], dict[str, str]]:
    """Articles, and for each page (its input path) the story it truly belongs to."""
    rng = random.Random(seed)
    bank = TextBank(seed)
    articles: list[Article] = []
    truth: dict[str, str] = {}

    def add(story: str, site: str, paragraphs: list[str], day: int, title: str) -> None:
        path = f"/corpus/{len(articles):05d}.html"
        published = f"2025-03-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00"
        articles.append(make_article(site, f"{story}-{len(articles)}", paragraphs, published, title, path))
        truth[path] = story

    boilerplate = {
        site: (
            f"{site.split('.')[0].title()} | Home | World | Business | Sport | Subscribe now",
            f"Sign up to the {site} newsletter for the day's most important stories, delivered to your inbox "
            f"every morning. Follow us on social media. Copyright 2025 {site}, all rights reserved, "
            "reproduction without permission prohibited.",
            f"Most popular on {site}: {bank.headline(rng, 'world')}; {bank.headline(rng, 'business')}; "
            f"{bank.headline(rng, 'sport')}",
        )
        for site in SITES[:2]
    }
    for number in range(stories):
        story = bank.story(rng, f"s{number}")
        site = SITES[number % len(SITES)]
        paragraphs = list(story.paragraphs)
        if rng.random() < 0.3:
            paragraphs = _agency_lead(rng, story.city, paragraphs)
        if site in boilerplate:  # hard negative: a site's boilerplate left in every body
            header, footer, sidebar = boilerplate[site]
            paragraphs = [header, *paragraphs, sidebar, footer]
        add(f"s{number}", site, paragraphs, rng.randint(1, 20), story.title)
        for _ in range(rng.randint(0, 5)):
            copy = list(story.paragraphs) if site in boilerplate else list(paragraphs)
            for kind in rng.sample(TRANSFORMS, rng.choice((1, 1, 2))):
                copy = transform(rng, bank, copy, kind, story.section)
            add(f"s{number}", rng.choice(SITES), copy, rng.randint(1, 28), bank.headline(rng, story.section))

    for number in range(20):  # hard negative: one event, two outlets, shared names and quotes
        first, second = bank.story(rng, f"e{number}a", "world"), bank.story(rng, f"e{number}b", "world")
        person = first.lead_person
        quotes = [
            f'"{bank.sentence(rng, "world", person)}" said {person}, speaking in {first.city.title()}.',
            f'"{bank.sentence(rng, "world", person)}" {person} added.',
        ]
        for label, story in (("a", first), ("b", second)):
            body = [story.paragraphs[0], quotes[0], *story.paragraphs[1:3], quotes[1], *story.paragraphs[3:6]]
            add(f"e{number}{label}", SITES[number % 3 + (3 if label == "b" else 0)], body, 10, story.title)

    for number in range(15):  # hard negative: live-blog updates sharing a preamble
        blog = bank.story(rng, f"live{number}")
        preamble = (
            f"Live: {blog.title}. Follow our live coverage as events unfold in {blog.city.title()}; "
            "this page is updated through the day with the latest news, pictures and reaction."
        )
        for update in range(4):
            body = [preamble, *bank.story(rng, f"live{number}-{update}").paragraphs[:4]]
            add(
                f"live{number}-{update}",
                SITES[number % len(SITES)],
                body,
                12,
                f"{blog.title}: update {update}",
            )
    return articles, truth


def run_dedup(articles: list[Article], config_path: str | None) -> dict[str, str]:
    """Each page's cluster: the input path of the page kept for it."""
    config = load_config(config_path)
    with tempfile.TemporaryDirectory() as folder:
        options = PipelineOptions(["--direct_running_mode", "in_memory"])
        with beam.Pipeline(options=options) as pipeline:
            result = (
                pipeline
                | beam.Create(articles)
                | DeduplicateArticles(config.dedup.near, config.dedup.duplicate_urls_cap)
            )
            kept = result["articles"] | "Kept" >> beam.Map(lambda a: json.dumps(["kept", a.id, a.input.path]))
            dropped = result["duplicates"] | "Dropped" >> beam.Map(
                lambda d: json.dumps(["dup", d.duplicate_of, d.input.path])
            )
            _ = (
                (kept, dropped)
                | beam.Flatten()
                | beam.io.WriteToText(f"{folder}/out", shard_name_template="")
            )
        rows = [json.loads(line) for line in Path(f"{folder}/out").read_text().splitlines()]
    return {path: kept_id for _, kept_id, path in rows}


def pairwise_scores(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = {}
        for page, label in labels.items():
            groups.setdefault(label, []).append(page)
        return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}

    predicted_pairs, true_pairs = pairs(predicted), pairs(truth)
    hits = len(predicted_pairs & true_pairs)
    return {
        "pages": len(truth),
        "stories": len(set(truth.values())),
        "true_pairs": len(true_pairs),
        "predicted_pairs": len(predicted_pairs),
        "precision": hits / len(predicted_pairs) if predicted_pairs else 1.0,
        "recall": hits / len(true_pairs) if true_pairs else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stories", type=int, default=240, help="distinct articles with copies (default 240)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--config", help="YAML merged over the packaged defaults, as for newsbeam run")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    articles, truth = build_corpus(args.stories, args.seed)
    started = time.perf_counter()
    predicted = run_dedup(articles, args.config)
    scores = pairwise_scores(predicted, truth)
    scores["seconds"] = round(time.perf_counter() - started, 2)
    missing = set(truth) - set(predicted)
    if missing:
        raise SystemExit(f"dedup lost {len(missing)} pages")
    print(
        f"pages {scores['pages']}  stories {scores['stories']}  true pairs {scores['true_pairs']}  "
        f"predicted pairs {scores['predicted_pairs']}\n"
        f"precision {scores['precision']:.4f}  recall {scores['recall']:.4f}  ({scores['seconds']} s)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(scores, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
