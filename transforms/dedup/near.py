"""Near-duplicate detection with MinHash LSH, in Beam, within a run and against earlier runs.

Input: the articles left after the exact and same-URL passes (ids are unique), and the
*state* nodes of articles kept by earlier runs (:mod:`.state`). Steps:

1. **sign** — each article becomes a :class:`Node`: its id, a few fields the canonical
   choice needs, and its MinHash signature (:mod:`.minhash`).
2. **match keys** — a node is keyed by each of its LSH band keys, by ``h:<content_hash>``
   and by ``u:<id>``; one ``GroupByKey`` puts the node keys (not the signatures) of this
   run and of the state met under one key together. Pairs are formed new-new and
   new-state, never state-state, and made distinct. Most keys meet a single node, and a
   runner keeps a grouped value per (key, node), ~20 per article; so the shuffle is keyed
   by :data:`MEET_GROUPS` coarse groups instead, each value one compact token (the match
   key's 64-bit digest and the node key), and the buckets are formed within each group
   (:func:`bucket_tokens`, :func:`buckets_of_group`), which keeps the runner's memory small.
   A bucket holding more than ``max_bucket`` of this run's nodes (boilerplate-only bodies,
   a template page crawled ten thousand times) does not make all its ``n^2/2`` pairs:
   each node is paired with the ``max_bucket`` smallest node keys of the bucket only,
   found in one streaming pass, so work and memory stay linear in the bucket's size and
   copies still connect through those anchors. Such buckets are counted
   (``near_dedup/capped_buckets``).
3. **verify** — two ``CoGroupByKey`` joins attach each candidate pair's two nodes (so a
   signature is shuffled twice, not once per band); a band pair is an edge when its
   estimated Jaccard similarity is at least ``threshold``, or the estimated containment
   (share of the smaller body's shingles found in the larger) is at least ``containment``:
   a syndicated copy cut by 20% keeps containment near 1 while its Jaccard falls to
   about 0.8. ``h:`` pairs (the same normalized body) and ``u:`` pairs (the same URL,
   crawled by an earlier run) are edges without a test.
4. **cluster** — connected components of the edges (:mod:`.connected_components`).
5. **choose** — per cluster, the kept node (:func:`choose_canonical`); every other node
   of this run becomes a :class:`Redirect` to it.

:class:`NearDuplicates` returns the redirects (dropped article id -> kept id, kind,
similarity) and, keyed by kept id, what each kept article gained (:class:`Gain`).
:class:`newsbeam.transforms.stages.dedup.DeduplicateArticles` turns them into records.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from xxhash import xxh3_64_digest

from newsbeam.transforms.dedup.minhash import (
    LshParams,
    estimated_containment,
    estimated_jaccard,
    shingle_hashes,
    signature_from_bytes,
    signatures,
)
from newsbeam.transforms.dedup.minhash import signature as minhash_signature
from newsbeam.transforms.model import Article

__all__ = [
    "Gain",
    "NearDedupSettings",
    "Node",
    "PREFERENCES",
    "Redirect",
    "bucket_tokens",
    "buckets_of_group",
    "choose_canonical",
    "match_heads",
    "node_of",
    "nodes_of",
    "resolve_cluster",
    "verify_pair",
]

NEW, STATE = "n:", "s:"


#: Pairs met under these keys (same normalized body, same URL) are copies without a test.
EXEMPT_KEYS = ("h:", "u:")


PREFERENCES = ("earliest", "latest")


#: Coarse groups the match keys meet in (the first 16 bits of their digests).
MEET_GROUPS = 1 << 16


_DIGEST_BYTES = 8  # xxh3_64


_EXEMPT_FLAG, _BAND_FLAG = b"x", b"b"


_TOKEN_HEAD = 1 + _DIGEST_BYTES


@dataclass(frozen=True)
class NearDedupSettings:
    """The ``dedup:`` settings of the config that near-duplicate detection uses."""

    lsh: LshParams = LshParams()
    threshold: float = 0.8
    containment: float | None = 0.9
    max_bucket: int = 100
    max_rounds: int = 8
    length_tolerance: float = 0.05
    prefer: str = "earliest"
    duplicate_urls_cap: int = 20

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if self.containment is not None and not 0.0 < self.containment <= 1.0:
            raise ValueError(f"containment must be in (0, 1] or null, not {self.containment}")
        if self.max_bucket < 2 or self.max_rounds < 1 or self.duplicate_urls_cap < 0:
            raise ValueError("max_bucket must be at least 2, max_rounds at least 1, duplicate_urls_cap >= 0")
        if not 0.0 <= self.length_tolerance < 1.0:
            raise ValueError(f"length_tolerance must be in [0, 1), not {self.length_tolerance}")
        if self.prefer not in PREFERENCES:
            raise ValueError(f"prefer must be one of {', '.join(PREFERENCES)}, not {self.prefer!r}")


class Node(NamedTuple):
    """What near-dedup needs of an article (of this run, or of an earlier one from the state)."""

    key: str  # "n:<id>" for this run's articles, "s:<id>" for the state's
    id: str
    url: str | None
    published_at: str | None
    word_count: int
    content_hash: str
    shingles: int  # size of the shingle set
    signature: bytes  # uint32 little-endian; empty when not comparable with this run's
    copies: int = 0  # copies dropped by the exact and same-URL passes
    copy_urls: tuple[str, ...] = ()
    run_id: str = ""

    @property
    def from_state(self) -> bool:
        return self.key.startswith(STATE)


class Redirect(NamedTuple):
    """A dropped article of this run: the article kept instead, and how alike they are."""

    kept_id: str
    kind: str  # "exact" | "near"
    similarity: float


class Gain(NamedTuple):
    """What a kept article of this run gained from the near pass: copies and their URLs."""

    copies: int
    urls: tuple[str, ...]


def node_of(article: Article, params: LshParams) -> Node:
    shingles = shingle_hashes(article.body, params.shingle_size)
    sig = minhash_signature(shingles, params.num_perm, params.seed) if shingles.size else None
    return _node(article, int(shingles.size), sig)


def nodes_of(articles: Sequence[Article], params: LshParams) -> list[Node]:
    """``[node_of(article, params) for article in articles]``, the articles signed together
    (:func:`.minhash.signatures`); articles with the same body are signed once.
    """
    first: dict[str, int] = {}
    bodies = [first.setdefault(article.body, len(first)) for article in articles]
    signed = signatures(list(first), params.shingle_size, params.num_perm, params.seed)
    return [_node(article, *signed[body]) for article, body in zip(articles, bodies, strict=True)]


def _node(article: Article, shingles: int, signature: np.ndarray | None) -> Node:
    return Node(
        key=NEW + article.id,
        id=article.id,
        url=article.url,
        published_at=article.published_at,
        word_count=article.word_count,
        content_hash=article.content_hash,
        shingles=shingles,
        signature=b"" if signature is None else signature.astype("<u4").tobytes(),
        copies=int(article.hints.get("copies", 0)),
        copy_urls=tuple(article.hints.get("copy_urls", ())),
    )


def _digest(data: bytes) -> bytes:
    # xxh3 is eight times faster than an 8-byte blake2b on these short inputs; the
    # digests live for one run only, so the function may change between releases.
    return xxh3_64_digest(data)


def match_heads(node: Node, params: LshParams) -> list[bytes]:
    """What a node meets its candidates under, as token heads: a flag and a digest.

    The same normalized body (``h:``) and the same id (``u:``) are exempt from the
    similarity test; each LSH band (its index and its rows' bytes) is not. The digests
    live for one run only (a run signs the earlier runs' nodes again with the same code).
    """
    heads = [
        _EXEMPT_FLAG + _digest(f"h:{node.content_hash}".encode()),
        _EXEMPT_FLAG + _digest(f"u:{node.id}".encode()),
    ]
    if node.signature:
        width = params.rows * 4  # the signature is stored as little-endian uint32 values
        rows = node.signature[: params.bands * width]
        heads.extend(
            _BAND_FLAG + _digest(band.to_bytes(2, "big") + rows[band * width : (band + 1) * width])
            for band in range(params.bands)
        )
    return heads


def bucket_tokens(node: Node, params: LshParams) -> list[tuple[int, bytes]]:
    """``(group, token)`` per match key of ``node``; a token is the key's head and the node key."""
    node_key = node.key.encode("utf-8")
    return [
        (int.from_bytes(head[1:3], "big") % MEET_GROUPS, head + node_key)
        for head in match_heads(node, params)
    ]


def buckets_of_group(tokens: Iterable[bytes]) -> Iterator[tuple[bool, list[str], list[str]]]:
    """The buckets of one group with two nodes or more: ``(exempt, new node keys, earlier node keys)``."""
    buckets: dict[bytes, tuple[list[str], list[str]]] = {}
    for token in tokens:
        new, old = buckets.setdefault(token[:_TOKEN_HEAD], ([], []))
        node_key = token[_TOKEN_HEAD:].decode("utf-8")
        (old if node_key.startswith(STATE) else new).append(node_key)
    for head, (new, old) in buckets.items():
        if new and len(new) + len(old) >= 2:
            yield head[:1] == _EXEMPT_FLAG, new, old


def similarity(first: Node, second: Node) -> float:
    if first.content_hash == second.content_hash:
        return 1.0
    if not first.signature or len(first.signature) != len(second.signature):
        return 0.0
    return estimated_jaccard(signature_from_bytes(first.signature), signature_from_bytes(second.signature))


def verify_pair(first: Node, second: Node, match_key: str, settings: NearDedupSettings) -> bool:
    """Whether two nodes met under ``match_key`` are copies (see the module docstring, step 3)."""
    if match_key.startswith(EXEMPT_KEYS):
        return True
    jaccard = similarity(first, second)
    if jaccard >= settings.threshold:
        return True
    if settings.containment is None:
        return False
    return estimated_containment(jaccard, first.shingles, second.shingles) >= settings.containment


def bucket_pairs(new: list[str], old: list[str], max_bucket: int) -> Iterator[tuple[str, str]]:
    """New-new and new-state pairs of node keys met in one bucket, capped as the module docstring says."""
    if not new:
        return
    if len(new) <= max_bucket:
        anchors = sorted(new)
        rest: list[str] = []
    else:
        anchors = heapq.nsmallest(max_bucket, new)
        chosen = set(anchors)
        rest = [key for key in new if key not in chosen]
    for index, first in enumerate(anchors):
        for second in anchors[index + 1 :]:
            yield first, second
    for key in rest:
        for anchor in anchors:
            yield anchor, key
    for earlier in heapq.nsmallest(max_bucket, old):
        for key in new:
            yield earlier, key


def _published_rank(node: Node, prefer: str) -> tuple[bool, str]:
    # Undated copies come last whichever way dates are preferred.
    published = node.published_at or ""
    if prefer == "latest":
        return (not published, "".join(chr(0x10FFFF - ord(char)) for char in published))
    return (not published, published)


def choose_canonical(nodes: Iterable[Node], length_tolerance: float = 0.05, prefer: str = "earliest") -> Node:
    """The node to keep of one cluster.

    A node of an earlier run always wins (its article is already published). Among the
    candidates, those whose body is within ``length_tolerance`` of the longest (in words)
    are eligible; of these the earliest published (``prefer: latest``: the latest; undated
    ones last), then the smallest id.
    """
    members = list(nodes)
    earlier = [node for node in members if node.from_state]
    pool = earlier or members
    longest = max(node.word_count for node in pool)
    eligible = [node for node in pool if node.word_count >= (1.0 - length_tolerance) * longest]
    return min(eligible, key=lambda node: (_published_rank(node, prefer), node.id, node.key))


def resolve_cluster(
    members: Iterable[Node], settings: NearDedupSettings
) -> tuple[Node, list[tuple[str, Redirect]], Gain]:
    """The kept node, a redirect per dropped node of this run, and what the kept node gained."""
    nodes = sorted(members, key=lambda node: node.key)
    kept = choose_canonical(nodes, settings.length_tolerance, settings.prefer)
    redirects: list[tuple[str, Redirect]] = []
    copies, urls = 0, set[str]()
    for node in nodes:
        if node.key == kept.key or node.from_state:
            continue
        kind = "exact" if node.content_hash == kept.content_hash else "near"
        redirects.append((node.id, Redirect(kept.id, kind, similarity(node, kept))))
        copies += 1 + node.copies
        urls.update(url for url in (node.url, *node.copy_urls) if url)
    return kept, redirects, Gain(copies, capped_urls(urls, kept.url, settings.duplicate_urls_cap))


def capped_urls(urls: Iterable[str], own_url: str | None, cap: int) -> tuple[str, ...]:
    """The ``cap`` smallest distinct URLs other than the article's own (order-independent)."""
    return tuple(heapq.nsmallest(cap, {url for url in urls if url and url != own_url}))
