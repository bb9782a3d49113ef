"""MinHash arithmetic: shingles, signatures, band keys, band choice, estimates."""

from __future__ import annotations

import random
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from helpers.builders import prose

from newsbeam.transforms.dedup.minhash import (
    BATCH_SIGN_CHUNK,
    SIGN_CHUNK,
    LshParams,
    candidate_probability,
    choose_bands,
    estimated_containment,
    estimated_jaccard,
    shingle_hashes,
    shingle_words,
    signature,
    signatures,
)

TEXT = (
    "The harbour council voted on Thursday to approve a new ferry terminal on the eastern quay, "
    "ending a dispute that had lasted for more than three years."
)


def test_shingles_ignore_case_punctuation_and_whitespace():
    a = shingle_hashes(TEXT, 5)
    b = shingle_hashes(TEXT.upper().replace(",", " ;").replace(" ", "   "), 5)
    assert np.array_equal(a, b)
    assert a.size == len(TEXT.split()) - 4


def test_short_and_empty_texts():
    assert shingle_hashes("", 5).size == 0
    assert shingle_hashes("just three words", 5).size == 1
    assert signature(shingle_hashes("", 5), 16, 1).tolist() == [0xFFFFFFFF] * 16


def test_signature_is_deterministic_and_pinned():
    first = signature(shingle_hashes(TEXT, 5), 128, 1)
    again = signature(shingle_hashes(TEXT, 5), 128, 1)
    assert first.dtype == np.uint32 and first.shape == (128,)
    assert np.array_equal(first, again)
    # Signatures are stored in the cross-run state: a change here makes old state incomparable.
    assert first[:4].tolist() == [90502262, 50143165, 161651719, 92052110]
    assert not np.array_equal(first, signature(shingle_hashes(TEXT, 5), 128, 2))


def test_a_body_longer_than_one_chunk_of_shingles_signs_as_one_set():
    short = signature(shingle_hashes(" ".join(prose(12, 3)), 5), 128, 1)
    assert short[:4].tolist() == [9444772, 11851747, 29930538, 44974051]  # pinned, as above
    shingles = shingle_hashes(" ".join(prose(12, 24)), 5)
    assert shingles.size > SIGN_CHUNK
    whole = signature(shingles, 128, 1)
    # MinHash of a union is the position-wise minimum, wherever the chunks are cut.
    for cut in (1, SIGN_CHUNK, SIGN_CHUNK + 1, shingles.size - 1):
        parts = signature(shingles[:cut], 128, 1), signature(shingles[cut:], 128, 1)
        assert np.array_equal(whole, np.minimum(*parts))


def _one_by_one(text: str, size: int, num_perm: int, seed: int) -> tuple[int, list[int] | None]:
    shingles = shingle_hashes(text, size)
    return shingles.size, signature(shingles, num_perm, seed).tolist() if shingles.size else None


@pytest.mark.parametrize(("size", "num_perm", "seed"), [(5, 128, 1), (1, 16, 3), (8, 64, 7)])
def test_texts_signed_together_get_the_signatures_of_one_at_a_time(size, num_perm, seed):
    long_story = " ".join(prose(12, 80))
    if size > 1:  # (one-word shingles of the invented prose are its few distinct words)
        assert shingle_hashes(long_story, size).size > BATCH_SIGN_CHUNK  # more than one batch matrix
    texts = [" ".join(prose(seed, 2 + seed % 11)) for seed in range(40)]
    texts[5:5] = ["", "one", "two words", "!!! ,,, ...", "Zoë’s café — “naïve” façade", long_story, TEXT]
    texts.append(texts[0])  # a copy in the same batch
    got = [
        (count, None if sig is None else sig.tolist())
        for count, sig in signatures(texts, size, num_perm, seed)
    ]
    assert got == [_one_by_one(text, size, num_perm, seed) for text in texts]
    assert got[5] == (0, None) and got[6][0] == 1  # no words; one word, one shingle
    assert signatures([], size, num_perm, seed) == []


def test_threads_signing_at_once_get_the_signatures_of_one_thread():
    # multi_threading runs DoFns in threads; each keeps its own scratch matrix.
    bodies = [shingle_hashes(" ".join(prose(seed, 4 + seed % 9)), 5) for seed in range(64)]
    alone = [signature(shingles, 128, 1) for shingles in bodies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda shingles: signature(shingles, 128, 1), bodies * 4))
    assert all(np.array_equal(got, alone[i % len(bodies)]) for i, got in enumerate(together))


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        'Q3 revenue_growth: 4.5% (vs. 3,9%) -- ex-CEO\'s "plan"\tfailed\x0bagain\x1cand [again]!',
        "Café Zürich: straße ﬁnale, déjà vu; Ｆｕｌｌｗｉｄｔｈ ＡＢＣ and ½ of it.",
        "The minister\u2019s \u201cplan\u201d \u2014 in 2024\u20132025 \u2018again\u2019 \u2014 failed.",
        "Dashes\u2014only\u2013here, then \u00e9t\u00e9\u2014and \u2014\u2014 naïve_words",
    ],
)
def test_shingle_words_are_the_regular_expression_words_of_the_folded_text(text: str):
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert shingle_words(text) == [word.encode("utf-8") for word in re.findall(r"\w+", folded)]


@pytest.mark.parametrize("jaccard", [0.2, 0.5, 0.8, 0.95])
def test_estimate_is_close_to_exact_jaccard(jaccard: float):
    rng = random.Random(int(jaccard * 100))
    errors = []
    for _ in range(40):
        union = 1000
        shared = int(round(jaccard * union))
        ids = rng.sample(range(1 << 32), union)
        rest = union - shared
        a = np.array(ids[: shared + rest // 2], dtype=np.uint64)
        b = np.array(ids[:shared] + ids[shared + rest // 2 :], dtype=np.uint64)
        errors.append(estimated_jaccard(signature(a, 128, 1), signature(b, 128, 1)) - jaccard)
    assert abs(float(np.mean(errors))) < 0.02
    assert float(np.std(errors)) < 0.06


def test_choose_bands_uses_the_s_curve():
    bands, rows = choose_bands(0.8, 128, 0.99)
    assert (bands, rows) == (18, 7)
    assert candidate_probability(0.8, bands, rows) > 0.98
    assert candidate_probability(0.3, bands, rows) < 0.01
    balanced = choose_bands(0.8, 128, 0.5)
    assert balanced[0] * balanced[1] <= 128 and balanced[1] > rows
    assert choose_bands(0.5, 128, 0.5)[1] < balanced[1]
    with pytest.raises(ValueError):
        choose_bands(1.0, 128)


def test_containment_of_a_cut_copy():
    assert estimated_containment(0.8, 100, 80) == pytest.approx(1.0)
    assert estimated_containment(0.2, 100, 100) == pytest.approx(1 / 3)
    assert estimated_containment(0.5, 0, 10) == 0.0


def test_params_validation():
    with pytest.raises(ValueError, match="bands x rows"):
        LshParams(num_perm=64, bands=10, rows=7)
    assert LshParams().signature_tag == "minhash-v1-k5-p128-s1"
