"""Exact deduplication: the pure choice of the kept copy, and the Beam step."""

from __future__ import annotations

from helpers.builders import make_article

from newsbeam.transforms.coders import pack_article
from newsbeam.transforms.dedup.near import Gain, Redirect
from newsbeam.transforms.dedup.passes import (
    Comparison,
    Verdict,
    apply_verdicts,
    canonical_sort_key,
    compare_same_id,
    decide,
    entry_of,
    resolve_group,
    word_jaccard,
)
from newsbeam.transforms.model import Article, Duplicate

BODY = "The harbour council voted on Thursday to approve a new ferry terminal on the eastern quay."


def test_copy_with_url_and_metadata_is_kept_over_a_bare_copy():
    bare = make_article(id="b", body=BODY, url=None, path="/d/dump.txt")
    rich = make_article(
        id="r",
        body=BODY,
        url="https://harbour.example/a",
        title="Ferry terminal approved",
        published_at="2025-03-14",
    )
    kept, dropped = resolve_group([entry_of(bare), entry_of(rich)], "exact")
    assert (kept.id, kept.copies, kept.copy_urls) == ("r", 1, ())
    assert [
        (d.duplicate.id, d.duplicate.duplicate_of, d.duplicate.kind, d.compare_with) for d in dropped
    ] == [("b", "r", "exact", None)]


def test_earliest_published_copy_wins_between_equally_rich_copies():
    late = make_article(id="x1", body=BODY, title="T", published_at="2025-03-15T08:00:00+00:00")
    early = make_article(id="x2", body=BODY, title="T", published_at="2025-03-14T08:00:00+00:00")
    assert resolve_group([entry_of(late), entry_of(early)], "exact")[0].id == "x2"


def test_choice_does_not_depend_on_input_order():
    copies = [make_article(id="same", body=BODY, path=f"/d/{n}.html") for n in range(5)]
    entries = [entry_of(copy) for copy in copies]
    first = resolve_group(entries, "exact")[0]
    again = resolve_group(list(reversed(entries)), "exact")[0]
    assert first.input == again.input == copies[0].input
    assert canonical_sort_key(copies[0]) < canonical_sort_key(copies[1])


def test_word_jaccard():
    assert word_jaccard("a b c", "A, b; c!") == 1.0
    assert word_jaccard("a b c d", "a b") == 0.5


def test_a_survivor_dropped_by_the_near_pass_takes_its_copies_along():
    kept = make_article(id="k", body=BODY, url="https://harbour.example/k", path="/d/k.html")
    exact = make_article(id="e", body=BODY, url="https://valley.example/e", path="/d/e.html")
    survivor, dropped = resolve_group([entry_of(kept), entry_of(exact)], "exact")
    verdicts = decide(survivor, dropped, Redirect("w", "near", 0.9), None)
    assert sorted(
        (v.input.path, v.duplicate.duplicate_of, v.duplicate.kind, v.duplicate.similarity) for v in verdicts
    ) == [
        ("/d/e.html", "w", "near", 0.9),
        ("/d/k.html", "w", "near", 0.9),
    ]


def test_a_kept_survivor_counts_the_copies_of_every_pass():
    kept = make_article(id="k", body=BODY, url="https://harbour.example/k", title="Ferry", path="/d/k.html")
    exact = make_article(id="e", body=BODY, url="https://valley.example/e", path="/d/e.html")
    survivor, dropped = resolve_group([entry_of(kept), entry_of(exact)], "exact")
    gain = Gain(2, ("https://coast.example/n1", "https://valley.example/e"))
    verdicts = decide(survivor, dropped, None, gain)
    [keep] = [v for v in verdicts if v.duplicate is None]
    assert (keep.input.path, keep.copies) == ("/d/k.html", 3)
    assert keep.copy_urls == ("https://coast.example/n1", "https://valley.example/e")
    assert [(v.duplicate.id, v.duplicate.duplicate_of) for v in verdicts if v.duplicate] == [("e", "k")]


def test_verdicts_applied_per_batch_compare_the_bodies_of_a_recrawled_page():
    # The two crawls of one URL were parked in different batches: each batch is applied
    # alone, and the comparison is completed from both batches' word sets.
    old = make_article(id="c", body="Trams return to the old town on Monday.", path="/d/c1.html")
    new = make_article(id="c", body="Trams return to the old town on Monday morning.", path="/d/c2.html")
    entries = [entry_of(old, location=("first", 0)), entry_of(new, location=("second", 0))]
    survivor, dropped = resolve_group(entries, "near")
    assert survivor.input.path == "/d/c2.html" and dropped[0].compare_with == new.input
    verdicts = decide(survivor, dropped, None, None)
    assert [(v.input.path, v.location, v.compared) for v in verdicts] == [
        ("/d/c1.html", ("first", 0), False),
        ("/d/c2.html", ("second", 0), True),
    ]
    records = [
        record
        for batch, article in (("first", old), ("second", new))
        for record in apply_verdicts(
            [pack_article(article)], {v.location[1]: v for v in verdicts if v.location[0] == batch}
        )
    ]
    [article] = [r for r in records if isinstance(r, Article)]
    assert article.body == new.body and article.extra == {"duplicate_count": 1, "duplicate_urls": []}
    comparisons = [r for r in records if isinstance(r, Comparison)]
    assert sorted(c.duplicate is None for c in comparisons) == [False, True]
    [duplicate] = compare_same_id(comparisons)
    assert duplicate.input == old.input and duplicate.duplicate_of == "c"
    assert duplicate.similarity == word_jaccard(old.body, new.body) < 1.0


def test_a_batch_yields_decided_duplicates_unread_and_keeps_an_article_without_verdict():
    dropped = make_article(id="e", body=BODY, url="https://valley.example/e", path="/d/e.html")
    unjudged = make_article(id="u", body=BODY + " More.", url="https://valley.example/u", path="/d/u.html")
    verdict = Verdict("e", dropped.input, Duplicate("e", dropped.url, "k", "exact", 1.0, dropped.input))
    # The dropped article's record is not even unpacked: its verdict says all.
    records = list(apply_verdicts([b"not a packed article", pack_article(unjudged)], {0: verdict}))
    assert records[0] == verdict.duplicate
    assert records[1].id == "u" and records[1].extra["duplicate_count"] == 0
