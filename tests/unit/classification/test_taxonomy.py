"""The taxonomy: slugs, aliases, parents, genres and per-site rules, validated with one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbeam.pipeline.config.loader import packaged_config_path
from newsbeam.transforms.classification.taxonomy import TaxonomyError, build_taxonomy, load_taxonomy


def test_packaged_taxonomy_has_the_default_sections():
    taxonomy = load_taxonomy(packaged_config_path().parent / "sections.yaml")
    assert set(taxonomy.slugs) == {
        "world", "national", "politics", "business", "sport", "technology", "science", "health",
        "entertainment", "lifestyle", "opinion", "editorial",
    }  # fmt: skip
    assert taxonomy.ancestors("editorial") == ("opinion",)
    assert taxonomy.is_genre("opinion") and not taxonomy.is_genre("business")


def test_lookup_normalises_case_and_separators():
    taxonomy = build_taxonomy({"lifestyle": {"aliases": ["Life & Style", "home-and-garden"]}})
    assert taxonomy.lookup("HOME and GARDEN") == "lifestyle"
    assert taxonomy.lookup("Home_And_Garden") == "lifestyle"
    assert taxonomy.lookup("garden") is None
    assert taxonomy.lookup("life & style") == "lifestyle"


def test_parents_chain_nearest_first():
    taxonomy = build_taxonomy({"sport": {}, "cricket": {"parent": "sport"}, "ipl": {"parent": "cricket"}})
    assert taxonomy.ancestors("ipl") == ("cricket", "sport")
    assert taxonomy.ancestors("sport") == ()


def test_site_rules_match_the_source_with_or_without_www():
    taxonomy = build_taxonomy(
        {"sport": {}, "opinion": {}},
        {
            "www.harbourtimes.example": {
                "sections": {"Hākinakina": "sport"},
                "url_prefixes": {"/kaupapa/": "opinion"},
            }
        },
    )
    assert taxonomy.lookup("hākinakina", "harbourtimes.example") == "sport"
    assert taxonomy.lookup("hākinakina") is None
    assert taxonomy.url_override("harbourtimes.example", "/kaupapa/2025/x") == "opinion"
    assert taxonomy.url_override("harbourtimes.example", "/sport/x") is None
    assert taxonomy.url_override("other.example", "/kaupapa/x") is None


@pytest.mark.parametrize(
    ("sections", "sites", "message"),
    [
        (
            {"business": {"aliases": ["markets"]}, "money": {"aliases": ["Markets"]}},
            None,
            "alias 'Markets' is given to both 'business' and 'money'",
        ),
        (
            {"cricket": {"parent": "sport"}},
            None,
            "section 'cricket' has parent 'sport', which is not a section",
        ),
        ({"a": {"parent": "b"}, "b": {"parent": "a"}}, None, "parent sections form a cycle (a -> b -> a)"),
        ({"a": {"parent": "a"}}, None, "parent sections form a cycle (a -> a)"),
        ({"Bad Slug": {}}, None, "not a usable section slug"),
        ({"uncategorized": {}}, None, "not a usable section slug"),
        ({"sport": {"parent_of": "x"}}, None, "unknown key 'parent_of'"),
        ({"sport": {"genre": "yes"}}, None, "genre of section 'sport' must be true or false"),
        ({"sport": {"aliases": "football"}}, None, "aliases of section 'sport' must be a list"),
        (
            {"sport": {}},
            {"x.example": {"sections": {"Footy": "rugby"}}},
            "maps 'Footy' to unknown section 'rugby'",
        ),
        ({"sport": {}}, {"x.example": {"url_prefixes": {"sport/": "sport"}}}, "must start with '/'"),
        ({"sport": {}}, {"x.example": {"paths": {}}}, "site 'x.example' has unknown key 'paths'"),
    ],
)
def test_bad_taxonomy_is_refused_with_one_sentence(sections: dict, sites: dict | None, message: str):
    with pytest.raises(TaxonomyError) as error:
        build_taxonomy(sections, sites)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_or_malformed_taxonomy_file(tmp_path: Path):
    with pytest.raises(TaxonomyError, match="cannot be read"):
        load_taxonomy(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sections:\n  sport: {}\ncolours: {}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="unknown top-level key 'colours'"):
        load_taxonomy(bad)
