"""Near-duplicate detection: pure choices, connected components, and the Beam stage with hard negatives."""

from __future__ import annotations

from helpers.builders import body, make_article, prose

from newsbeam.transforms.dedup.connected_components import (
    large_star,
    small_star,
    star_labels,
)
from newsbeam.transforms.dedup.minhash import LshParams
from newsbeam.transforms.dedup.near import (
    NearDedupSettings,
    Node,
    bucket_pairs,
    bucket_tokens,
    buckets_of_group,
    choose_canonical,
    match_heads,
    node_of,
    nodes_of,
    resolve_cluster,
    verify_pair,
)

# Three rounds are plenty for these small clusters and keep the Beam graphs of the tests short.
SETTINGS = NearDedupSettings(lsh=LshParams(bands=18, rows=7), max_rounds=3)


def node(key: str, words: int = 100, published: str | None = None, **fields: object) -> Node:
    values = dict(
        key=key,
        id=key[2:],
        url=None,
        published_at=published,
        word_count=words,
        content_hash=key,
        shingles=words,
        signature=b"",
    )
    values.update(fields)
    return Node(**values)  # type: ignore[arg-type]


# --- canonical choice -------------------------------------------------------------------------


def test_earliest_among_bodies_within_five_percent_of_the_longest():
    longest = node("n:a", 1000, "2025-03-14T10:00:00+00:00")
    close = node("n:b", 960, "2025-03-13T10:00:00+00:00")
    short_early = node("n:c", 900, "2025-03-01T10:00:00+00:00")
    assert choose_canonical([longest, close, short_early]).id == "b"
    assert choose_canonical([longest, close, short_early], prefer="latest").id == "a"
    assert choose_canonical([longest, close, short_early], length_tolerance=0.2).id == "c"


def test_ties_go_to_the_smallest_id_and_undated_copies_come_last():
    assert choose_canonical([node("n:z", 500, "2025-01-01"), node("n:y", 500, "2025-01-01")]).id == "y"
    assert choose_canonical([node("n:a", 500), node("n:b", 500, "2025-05-01")]).id == "b"


def test_an_article_of_an_earlier_run_is_always_kept():
    earlier = node("s:old", 300, "2025-03-20")
    assert choose_canonical([node("n:new", 900, "2025-03-01"), earlier]).key == "s:old"


def test_resolve_cluster_redirects_this_runs_copies_only():
    kept, redirects, gain = resolve_cluster(
        [
            node("s:old", 300, content_hash="h1"),
            node(
                "n:x", 300, content_hash="h1", url="https://b.example/x", copies=2, copy_urls=("https://c/x",)
            ),
            node("n:y", 310, content_hash="h2"),
        ],
        SETTINGS,
    )
    assert kept.key == "s:old"
    assert [(dropped, r.kept_id, r.kind) for dropped, r in redirects] == [
        ("x", "old", "exact"),
        ("y", "old", "near"),
    ]
    assert gain.copies == 4 and gain.urls == ("https://b.example/x", "https://c/x")


def test_verify_pair_by_jaccard_or_containment():
    full = make_article(id="full", body=body(prose(1, 10)))
    cut_paragraphs = prose(1, 10)[:8]
    cut = make_article(id="cut", body=body(cut_paragraphs))
    other = make_article(id="other", body=body(prose(2, 10)))
    a, b, c = (node_of(article, SETTINGS.lsh) for article in (full, cut, other))
    assert verify_pair(a, b, "b:001:x", SETTINGS)
    no_containment = NearDedupSettings(lsh=SETTINGS.lsh, threshold=0.9, containment=None)
    assert not verify_pair(a, b, "b:001:x", no_containment)
    assert not verify_pair(a, c, "b:001:x", SETTINGS)
    assert verify_pair(a, c, "u:same-url", SETTINGS)


def test_a_huge_bucket_makes_linear_not_quadratic_pairs():
    members = [f"n:{index:04d}" for index in reversed(range(1000))]
    pairs = list(bucket_pairs(members, [], max_bucket=10))
    assert len(pairs) == len(set(pairs)) == 10 * 9 // 2 + 990 * 10
    assert {first for first, _ in pairs} == {f"n:{index:04d}" for index in range(10)}
    assert len(list(bucket_pairs(members[:5], ["s:e"], max_bucket=10))) == 10 + 5


def test_articles_signed_together_get_the_nodes_of_one_at_a_time():
    stories = [body(prose(seed=seed, paragraphs=1 + seed % 7)) for seed in range(20)]
    articles = [make_article(id=f"a{index}", body=story) for index, story in enumerate(stories)]
    articles += [
        make_article(id="copy", body=stories[3]),  # the same body, signed once
        make_article(id="empty", body="..."),  # no words: no signature
    ]
    assert nodes_of(articles, SETTINGS.lsh) == [node_of(article, SETTINGS.lsh) for article in articles]
    assert nodes_of(articles, SETTINGS.lsh)[-1].signature == b""
    assert nodes_of([], SETTINGS.lsh) == []


def test_band_heads_depend_on_band_index_and_rows():
    params = LshParams(shingle_size=5, num_perm=128, bands=18, rows=7)
    node = node_of(make_article(id="a", body=body(prose(seed=3))), params)
    heads = match_heads(node, params)
    assert len(heads) == len(set(heads)) == 2 + 18
    changed = bytearray(node.signature)
    changed[8 * 4] ^= 1  # row 1 of band 1
    other = match_heads(node._replace(signature=bytes(changed)), params)
    assert [h1 == h2 for h1, h2 in zip(heads, other, strict=True)].count(False) == 1
    assert heads[2 + 1] != other[2 + 1]
    # A band of the same rows at another index is another bucket.
    uniform = node._replace(signature=b"\x01\x00\x00\x00" * 128)
    assert len(set(match_heads(uniform, params)[2:])) == 18


def test_tokens_meet_in_buckets_by_match_key_and_lone_keys_make_no_bucket():
    story = body(prose(seed=3))
    params = SETTINGS.lsh
    original = node_of(make_article(id="a", body=story), params)
    recrawl = node_of(make_article(id="b", body=story), params)._replace(content_hash="other")
    earlier = node_of(make_article(id="a", body=body(prose(seed=9))), params)._replace(key="s:a")
    tokens = [token for each in (original, recrawl, earlier) for token in bucket_tokens(each, params)]
    assert len(tokens) == 3 * (params.bands + 2)
    groups: dict[int, list[bytes]] = {}
    for group, token in tokens:
        groups.setdefault(group, []).append(token)
    buckets = sorted(
        (exempt, sorted(new), old)
        for members in groups.values()
        for exempt, new, old in buckets_of_group(members)
    )
    # Same body: every band of the two new nodes agrees. Same id: the earlier run's node meets
    # the original under its u: key, exempt from the similarity test. Lone keys: no bucket.
    assert buckets == [(False, ["n:a", "n:b"], [])] * params.bands + [(True, ["n:a"], ["s:a"])]


# --- connected components ---------------------------------------------------------------------


def test_star_operations():
    assert large_star("b", ["a", "c", "d"]) == [("a", "c"), ("a", "d")]
    assert small_star("d", ["b", "c"]) == [("b", "c"), ("b", "d")]
    assert star_labels([("a", "b"), ("a", "c")]) == {"a": "a", "b": "a", "c": "a"}


# --- the Beam stage ---------------------------------------------------------------------------
