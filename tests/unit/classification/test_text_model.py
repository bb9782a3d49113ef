"""The text model: features, training, calibration, keywords and the model file's round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsbeam.transforms.classification.text_model import (
    ModelError,
    feature_ids,
    load_model,
    read_header,
    save_model,
    train_model,
    with_keywords,
)

SPORT = [
    ("Late goal wins the derby", "The striker scored in stoppage time and the coach praised the squad."),
    ("Champions knocked out on penalties", "The goalkeeper saved twice but the visitors won the shootout."),
    ("Captain ruled out for the season", "The midfielder injured his knee in training before the cup final."),
]
BUSINESS = [
    (
        "Shares fall after profit warning",
        "Investors sold the stock after the company cut its revenue forecast.",
    ),
    (
        "Central bank holds interest rates",
        "Inflation eased but economists expect borrowing costs to stay high.",
    ),
    ("Retailer to close stores", "The chain said sales fell and it would cut jobs to protect its margins."),
]
EXAMPLES = [(t, b, "sport") for t, b in SPORT] * 5 + [(t, b, "business") for t, b in BUSINESS] * 5


def test_features_are_stable_and_include_bigrams():
    ids = feature_ids("Cup final", "The cup final", 1 << 18)
    assert ids.tolist() == feature_ids("Cup final", "The cup final", 1 << 18).tolist()
    # title words twice (2 words + 1 bigram each time), body: 2 words + 1 bigram; "the" is a stop word
    assert len(ids) == 2 * 3 + 3
    assert feature_ids("", "", 1 << 18).size == 0


def test_trained_model_separates_sections_and_is_calibrated():
    model = train_model(EXAMPLES)
    assert model.labels == ("business", "sport")
    label, confidence = model.predict("Striker's late goal", "The coach said the squad deserved the win.")
    assert label == "sport" and 0.5 < confidence <= 1.0
    assert model.predict("", "Investors expect interest rates to fall.")[0] == "business"
    probabilities = model.probabilities("", "words it never saw")
    assert probabilities.sum() == pytest.approx(1.0)


def test_training_needs_two_sections():
    with pytest.raises(ModelError, match="at least two sections"):
        train_model([(t, b, "sport") for t, b in SPORT])


def test_model_file_round_trip(tmp_path: Path):
    model = train_model(EXAMPLES)
    path = tmp_path / "model.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert loaded.labels == model.labels and loaded.scale == model.scale
    assert np.array_equal(loaded.rows, model.rows)
    for title, body, _ in EXAMPLES[:4]:
        assert loaded.predict(title, body)[0] == model.predict(title, body)[0]
        assert loaded.predict(title, body)[1] == pytest.approx(model.predict(title, body)[1], abs=1e-5)
    header = read_header(path)
    assert header["format"] == "newsbeam-section-model" and header["labels"] == ["business", "sport"]
    assert header["documents"] == {"business": 15, "sport": 15}


def test_bad_model_files_are_refused_with_one_sentence(tmp_path: Path):
    with pytest.raises(ModelError, match="does not exist"):
        read_header(tmp_path / "nope.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip archive")
    with pytest.raises(ModelError, match="is not a newsbeam section model"):
        load_model(junk)
    other = tmp_path / "other.npz"
    np.savez(other, header=np.frombuffer(b'{"format": "something else"}', dtype=np.uint8))
    with pytest.raises(ModelError, match="is not a newsbeam section model"):
        load_model(other)


def test_keywords_pull_toward_their_section():
    model = train_model(EXAMPLES)
    text = ("", "The regatta was held on the harbour in bright sunshine.")
    assert model.predict(*text)[1] < 0.9
    tuned = with_keywords(model, {"sport": ["regatta", "yacht race"]})
    assert tuned.predict(*text)[0] == "sport"
    assert tuned.predict(*text)[1] > model.predict(*text)[1]
    assert with_keywords(model, {"weather": ["rain"]}) is model
