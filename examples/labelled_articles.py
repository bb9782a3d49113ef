"""Write ``examples/labelled/articles.jsonl``: invented, section-labelled news articles.

Every text here was written for newsbeam: for each section of the default taxonomy, headline
and sentence patterns in the register of that section, filled from lists of invented people,
places and organisations (and real countries, as news names them). A seeded generator picks and
orders them, so the file is the same on every run. ``examples/train_default_model.py`` trains the
packaged model on it and ``benchmarks/classify_quality.py`` measures on a held-out part of it.

    python examples/labelled_articles.py [--per-section 60] [--seed 5] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from labelled_phrases import COMMON, FRAMES, MORE_SENTENCES, MORE_WORDS, SECTIONS, TERMS, WORDS

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "labelled" / "articles.jsonl"
_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, rng: random.Random, slots: dict[str, list[str]]) -> str:
    def pick(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "num":
            return str(rng.choice([3, 4, 6, 8, 12, 15, 20, 25, 40, 60, 120, 300]))
        if name == "pct":
            return f"{rng.randint(1, 19)}.{rng.randint(0, 9)}"
        return rng.choice(slots[name])

    text = _SLOT.sub(pick, template)
    return text[0].upper() + text[1:]


def _half(items: list[str], half: int | None) -> list[str]:
    return items if half is None else items[half::2]


def make_article(section: str, rng: random.Random, half: int | None = None) -> dict[str, str]:
    """One article of ``section``; with ``half`` 0 or 1, only every other phrase and term is used,
    so that the two halves share no sentence, headline, section term or section-specific name."""
    spec = SECTIONS[section]
    terms = TERMS[section] + WORDS[section].split() + MORE_WORDS[section].split()
    own = {name: _half(values, half) for name, values in spec.get("slots", {}).items()}
    slots = {**COMMON, **own, "term": _half(terms, half)}
    title = fill(rng.choice(_half(spec["headlines"], half)), rng, slots)
    pool = _half(spec["sentences"] + MORE_SENTENCES[section], half)
    sentences = rng.sample(pool, k=min(len(pool), rng.randint(7, 11)))
    # A few neutral reporting sentences, as every article has, so that they teach nothing.
    sentences += rng.sample(COMMON["filler"], k=rng.randint(1, 3))
    # And a few neutral frames carrying the section's broader vocabulary.
    sentences += rng.sample(FRAMES, k=rng.randint(2, 4))
    rng.shuffle(sentences)
    lead = fill(rng.choice(_half(spec["leads"], half)), rng, slots)
    paragraphs = [lead]
    for start in range(0, len(sentences), 2):
        paragraphs.append(" ".join(fill(sentence, rng, slots) for sentence in sentences[start : start + 2]))
    return {"title": title, "body": "\n\n".join(paragraphs), "section": section}


def generate(per_section: int, seed: int, half: int | None = None) -> list[dict[str, str]]:
    rng = random.Random(seed)
    articles = [make_article(section, rng, half) for section in SECTIONS for _ in range(per_section)]
    rng.shuffle(articles)
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-section", type=int, default=60)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as file:
        for article in generate(args.per_section, args.seed):
            file.write(json.dumps(article, ensure_ascii=False) + "\n")
    print(f"wrote {args.per_section * len(SECTIONS)} articles to {args.out}")


if __name__ == "__main__":
    main()
