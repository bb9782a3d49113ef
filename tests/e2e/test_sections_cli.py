"""`newsbeam sections train|evaluate` and classify settings, through the CLI as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.builders import REPO
from helpers.cli import newsbeam

from newsbeam.pipeline.config.loader import ConfigError, load_config

LABELLED = REPO / "examples" / "labelled" / "articles.jsonl"


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("labelled")
    lines = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()][:240]
    # Half as article records (weakly supervised), half as plain labelled lines.
    train = [
        {**line, "section_signal": "metadata", "id": str(n), "word_count": 1} if n % 2 else line
        for n, line in enumerate(lines[:160])
    ]
    # Sections guessed from text must not be learned from: this one would teach nonsense.
    train.append({"title": "x", "body": "sport " * 50, "section": "health", "section_signal": "text"})
    train.append("not an object")
    return write_lines(folder / "train.jsonl", train), write_lines(folder / "test.jsonl", lines[160:])


def test_train_then_evaluate_round_trip(tmp_path: Path, split: tuple[Path, Path]):
    train, test = split
    model = tmp_path / "mine.npz"
    trained = newsbeam("sections", "train", "--input", str(train), "--out", str(model))
    assert trained.returncode == 0, trained.stderr
    assert "trained on 160 articles" in trained.stdout and "section guessed (text)" in trained.stdout
    evaluated = newsbeam("sections", "evaluate", "--model", str(model), "--input", str(test), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    result = json.loads(evaluated.stdout)
    assert result["n"] == 80 and result["accuracy"] >= 0.9 and result["macro_f1"] >= 0.9
    assert len(result["confusion"]["matrix"]) == len(result["confusion"]["labels"])
    table = newsbeam("sections", "evaluate", "--model", str(model), "--input", str(test))
    assert "accuracy" in table.stdout and "confusion matrix" in table.stdout


def test_train_reads_a_newsbeam_output_folder(tmp_path: Path, split: tuple[Path, Path]):
    train, _ = split
    partition = tmp_path / "out" / "articles" / "section=mixed" / "date=unknown"
    partition.mkdir(parents=True)
    (partition / "part-x-00000.jsonl").write_bytes(train.read_bytes())
    result = newsbeam("sections", "train", "--input", str(tmp_path / "out"), "--out", str(tmp_path / "m.npz"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.npz").is_file()


def test_bad_usage_exits_2_with_one_sentence(tmp_path: Path):
    missing = newsbeam(
        "sections", "train", "--input", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "m")
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    one = write_lines(tmp_path / "one.jsonl", [{"title": "a", "body": "b", "section": "sport"}])
    single = newsbeam("sections", "train", "--input", str(one), "--out", str(tmp_path / "m"))
    assert single.returncode == 2 and "at least two sections" in single.stderr
    bad_model = newsbeam("sections", "evaluate", "--model", str(one), "--input", str(one))
    assert bad_model.returncode == 2 and "not a newsbeam section model" in bad_model.stderr
    assert newsbeam("sections").returncode == 2


@pytest.mark.parametrize(
    ("taxonomy", "message"),
    [
        ("sections:\n  cricket:\n    parent: sport\n", "has parent 'sport', which is not a section"),
        ("sections:\n  a: {aliases: [x]}\n  b: {aliases: [X]}\n", "alias 'X' is given to both 'a' and 'b'"),
        ("sections:\n  a: {parent: b}\n  b: {parent: a}\n", "parent sections form a cycle"),
    ],
)
def test_bad_taxonomy_stops_the_run_with_exit_2(tmp_path: Path, taxonomy: str, message: str):
    (tmp_path / "sections.yaml").write_text(taxonomy, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("classify:\n  taxonomy: sections.yaml\n", encoding="utf-8")
    result = newsbeam(
        "run", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--config", str(config)
    )
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_classify_model_setting_is_checked_against_the_taxonomy(tmp_path: Path, split: tuple[Path, Path]):
    train, _ = split
    model = tmp_path / "mine.npz"
    assert newsbeam("sections", "train", "--input", str(train), "--out", str(model)).returncode == 0
    config = tmp_path / "config.yaml"
    config.write_text("classify:\n  model: mine.npz\n  confidence: {url: 0.7}\n", encoding="utf-8")
    loaded = load_config(config)
    assert loaded.classify.model_path == str(model)
    assert loaded.classify.confidence["url"] == 0.7 and loaded.classify.confidence["metadata"] == 0.95
    (tmp_path / "tiny.yaml").write_text("sections:\n  sport: {}\n", encoding="utf-8")
    config.write_text("classify:\n  model: mine.npz\n  taxonomy: tiny.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="predicts section 'business', which the taxonomy does not have"):
        load_config(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("classify:\n  model: nope.npz\n", "classify.model: model file"),
        ("classify:\n  model: 3\n", "classify.model must be the path of a model file or null"),
        ("classify:\n  confidence: {text: 0.5}\n", "unknown config key 'classify.confidence.text'"),
        ("classify:\n  confidence: {url: 1.5}\n", "classify.confidence.url must be a number between 0 and 1"),
    ],
)
def test_bad_classify_settings_are_one_sentence(tmp_path: Path, text: str, message: str):
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_evaluate_matches_section_names_through_the_taxonomy(tmp_path: Path):
    lines = [
        {
            "title": "Late goal wins the derby",
            "body": "The striker scored and the coach praised the squad.",
            "section": "Sports",
        },
        {
            "title": "Central bank holds rates",
            "body": "Inflation eased and investors bought shares.",
            "section": "Markets",
        },
    ]
    labelled = write_lines(tmp_path / "named.jsonl", lines)
    model = str(REPO / "configs" / "section_model.npz")
    result = newsbeam("sections", "evaluate", "--model", model, "--input", str(labelled), "--json")
    assert result.returncode == 0, result.stderr
    scored = json.loads(result.stdout)
    assert scored["accuracy"] == 1.0 and scored["confusion"]["labels"] == ["business", "sport"]
