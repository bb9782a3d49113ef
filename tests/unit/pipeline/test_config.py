"""Configuration: merged over the packaged defaults, validated with one clear sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbeam.pipeline.config.loader import ConfigError, load_config


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_defaults_load():
    config = load_config()
    assert config.steps == ("parse", "boilerplate", "dedup", "classify")
    assert config.write.partition_by == ("section", "date")
    assert "sport" in config.classify.taxonomy.slugs and len(config.sha256) == 64


def test_user_file_is_merged_key_by_key_and_lists_are_replaced(tmp_path: Path):
    config = load_config(write(tmp_path, "parse:\n  min_words: 10\nwrite:\n  partition_by: [source]\n"))
    assert config.parse.min_words == 10
    assert config.parse.max_page_bytes == 20_000_000  # from the defaults
    assert config.parse.timeout_seconds == 5.0
    assert config.write.partition_by == ("source",)
    assert config.sha256 != load_config().sha256


def test_relative_taxonomy_is_read_beside_the_user_config(tmp_path: Path):
    write(tmp_path, "sections:\n  ferries:\n    aliases: [boats]\n", name="mine.yaml")
    config = load_config(write(tmp_path, "classify:\n  taxonomy: mine.yaml\n"))
    assert config.classify.taxonomy.slugs == ("ferries",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("parse:\n  min_word: 3\n", "unknown config key 'parse.min_word'"),
        ("colour: blue\n", "unknown config key 'colour'"),
        ("parse:\n  min_words: many\n", "parse.min_words must be a whole number, not 'many'"),
        ("parse:\n  min_words: -1\n", "parse.min_words must be at least 0"),
        ("classify:\n  min_confidence: 2\n", "classify.min_confidence must be a number between 0 and 1"),
        ("write:\n  partition_by: [colour]\n", "write.partition_by holds 'colour'"),
        ("steps: [parse, translate]\n", "steps holds 'translate', which is not a known step"),
        ("steps: [dedup, parse]\n", "steps must start with 'parse'"),
        ("parse: [1, 2]\n", "config key 'parse' in"),
        ("parse:\n  min_words: 3\n   bad indent: x\n", "is not valid YAML"),
        ("- just\n- a list\n", "must hold a mapping"),
        ("classify:\n  taxonomy: missing.yaml\n", "cannot be read"),
        ("parse:\n  timeout_seconds: 0\n", "parse.timeout_seconds must be a number of seconds above 0"),
        ("parse:\n  timeout_seconds: soon\n", "parse.timeout_seconds must be a number of seconds"),
        (
            "dedup:\n  bands: 20\n  rows: 7\n",
            "dedup.bands x dedup.rows (20 x 7) exceeds dedup.num_perm (128)",
        ),
        ("dedup:\n  bands: 20\n", "dedup.bands and dedup.rows must both be auto or both be numbers"),
        ("dedup:\n  threshold: 1\n", "dedup.threshold must be between 0 and 1 (exclusive)"),
        ("dedup:\n  prefer: longest\n", "dedup.prefer must be one of earliest, latest"),
        ("dedup:\n  near_duplicates: 1\n", "dedup.near_duplicates must be true or false"),
        ("dedup:\n  shingle: 4\n", "unknown config key 'dedup.shingle'"),
    ],
)
def test_bad_config_is_one_sentence(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_config_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")


def test_dedup_bands_follow_the_threshold(tmp_path: Path):
    defaults = load_config().dedup.near
    assert defaults is not None and (defaults.lsh.bands, defaults.lsh.rows) == (18, 7)
    looser = load_config(write(tmp_path, "dedup:\n  threshold: 0.6\n")).dedup.near
    assert looser is not None and looser.lsh.rows < 7
    fixed = load_config(write(tmp_path, "dedup:\n  bands: 16\n  rows: 8\n  containment: null\n")).dedup.near
    assert fixed is not None and (fixed.lsh.bands, fixed.lsh.rows, fixed.containment) == (16, 8, None)
    assert load_config(write(tmp_path, "dedup:\n  near_duplicates: false\n")).dedup.near is None
