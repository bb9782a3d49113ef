"""The example plugin: each step on its own, then installed and run by name through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from helpers.beam import TestPipeline
from helpers.builders import PARAGRAPHS, article_html, prose
from helpers.cli import FAST, newsbeam, read_records
from helpers.plugins import DUMPS, EXAMPLE_CONFIG, PLUGIN_PROJECT, install_example_plugin
from helpers.schema import validate_output

from newsbeam.transforms.model import Article, Provenance


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_example_plugin(tmp_path_factory.mktemp("site-packages"))


@pytest.fixture()
def example_steps(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(PLUGIN_PROJECT))
    import newsbeam_example_steps.entities as entities
    import newsbeam_example_steps.press as press
    import newsbeam_example_steps.syndication as syndication

    return press, syndication, entities


def article(number: int, title: str, body: str, source: str) -> Article:
    return Article(
        id=f"id{number}", input=Provenance(f"p{number}.html"), body=body, title=title, source=source
    )


def test_drop_press_releases(example_steps):
    press, _, _ = example_steps
    release = article(1, "Acme opens plant", "FOR IMMEDIATE RELEASE Acme today opened a plant.", "a.example")
    story = article(2, "Acme opens plant", "Acme opened a plant on Monday, its chief said.", "a.example")
    assert press.drop_press_releases(release) is None
    assert press.drop_press_releases(story) is story
    assert press.drop_press_releases(story, markers=["chief said"]) is None


def test_mark_syndicated_groups_headlines_over_sources(example_steps):
    _, syndication, _ = example_steps
    articles = [
        article(1, "Storm hits coast", "a", "one.example"),
        article(2, "Storm hits coast!", "b", "two.example"),
        article(3, "Storm hits coast", "c", "one.example"),
        article(4, "Budget passes", "d", "two.example"),
    ]
    with TestPipeline() as pipeline:
        marked = pipeline | beam.Create(articles) | syndication.MarkSyndicated()
        assert_that(
            marked | beam.Map(lambda a: (a.id, a.extra.get("syndicated_by"))),
            equal_to(
                [
                    ("id1", ["one.example", "two.example"]),
                    ("id2", ["one.example", "two.example"]),
                    ("id3", ["one.example", "two.example"]),
                    ("id4", None),
                ]
            ),
        )
    with pytest.raises(ValueError, match="min_sources must be at least 2"):
        syndication.MarkSyndicated(min_sources=1)


@pytest.mark.parametrize("table_format", ["csv", "json"])
def test_tag_entities_loads_its_table_in_setup(example_steps, tmp_path: Path, table_format: str):
    _, _, entities = example_steps
    table = tmp_path / f"table.{table_format}"
    if table_format == "csv":
        table.write_text("name,kind\nOdile Varga,person\nCorrin,place\nPort Corrin,place\n", encoding="utf-8")
    else:
        table.write_text(json.dumps({"people": ["Odile Varga"], "places": ["Corrin", "Port Corrin"]}))
    step = entities.TagEntities(table=str(table))
    step.setup()
    tagged = step.process(article(1, "Odile Varga in Port Corrin", "Corrinth is not Corrin.", "a.example"))
    assert tagged.extra == {"people": ["Odile Varga"], "places": ["Corrin", "Port Corrin"]}
    with pytest.raises(ValueError, match="must be a .csv or .json file"):
        entities.TagEntities(table="table.txt")


def test_steps_command_lists_built_in_and_installed_steps(plugin_path: Path):
    result = newsbeam("steps", pythonpath=[plugin_path])
    assert result.returncode == 0, result.stderr
    for expected in (
        "parse",
        "settings: parse.min_words=60",
        "drop_press_releases  function   newsbeam_example_steps.press:drop_press_releases",
        "mark_syndicated      transform  newsbeam_example_steps.syndication:MarkSyndicated",
        "tag_entities         class      newsbeam_example_steps.entities:TagEntities",
        "tag_keywords         function   newsbeam_example_steps.keywords:tag_keywords",
        "Drop articles whose title or opening words carry a press-release marker.",
        "parameters: table: a string; prefix: a string = ''",
    ):
        assert expected in result.stdout, expected
    bare = newsbeam("steps")
    assert bare.returncode == 0 and "none; a package registers steps" in bare.stdout


@pytest.fixture(scope="module")
def plugin_run(plugin_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("plugin-run") / "out"
    result = newsbeam(
        "run",
        "--input",
        str(DUMPS),
        "--output",
        str(output),
        "--config",
        str(EXAMPLE_CONFIG),
        "--run-id",
        "plugins",
        "--direct_running_mode",
        "in_memory",
        pythonpath=[plugin_path],
    )
    assert result.returncode == 0, result.stderr
    return output


def test_example_plugin_runs_by_name_through_the_cli(plugin_run: Path):
    manifest = json.loads((plugin_run / "_runs" / "plugins.json").read_text())
    counts = manifest["counts"]
    assert counts["pages_read"] == counts["articles"] + counts["duplicates"] + counts["rejects"] == 37
    assert manifest["rejects_by_reason"]["dropped_by:drop_press_releases"] == 1
    articles = read_records(plugin_run, "articles")
    assert all("people" in a and "places" in a for a in articles)
    ferry = next(a for a in articles if a["title"] and a["title"].startswith("Strait ferry operator"))
    assert ferry["people"] == ["Rosalind Parata"] and ferry["places"] == ["Cook Strait", "Wellington"]
    assert not any("Film Festival" in a["body"] for a in articles), "the festival story was dropped"
    checked = validate_output(plugin_run)
    assert checked["article"] == counts["articles"] and checked["reject"] == counts["rejects"]


@pytest.mark.slow
def test_step_failures_become_rejects_or_fail_the_run(tmp_path: Path):
    def run(step: str) -> tuple[int, str, Path]:
        config = tmp_path / "config.yaml"
        config.write_text(f"steps:\n  - parse\n{step}", encoding="utf-8")
        output = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        result = newsbeam(
            "run",
            "--input",
            str(DUMPS / "harbourtimes"),
            "--output",
            str(output),
            "--config",
            str(config),
            "--run-id",
            "t",
            "--max-reject-ratio",
            "1",
            "--direct_running_mode",
            "in_memory",
        )
        return result.returncode, result.stderr, output

    status, stderr, output = run("  - use: helpers.step_samples:explode_if\n    with: {word: Wellington}\n")
    assert status == 0, stderr
    failed = [r for r in read_records(output, "rejects") if r["reason"] == "step_failed:explode_if"]
    assert failed and all("ValueError: found 'Wellington'" in r["detail"] for r in failed)
    assert "Traceback (most recent call last)" in failed[0]["detail"]

    status, stderr, output = run(
        "  - use: helpers.step_samples:explode_if\n    with: {word: Wellington}\n    on_error: fail\n"
    )
    assert status == 1 and "step 'explode_if' failed on" in stderr and "found 'Wellington'" in stderr
    assert not output.joinpath("_runs").exists(), "a failed run publishes nothing"

    status, stderr, _ = run("  - use: helpers.step_samples:mark\n    with: {field: title}\n")
    assert status == 1 and "step 'mark' added the extra field 'title', which is a contract field" in stderr

    status, stderr, output = run(
        "  - use: helpers.step_samples:drop_if\n    with: {word: Wellington}\n  - dedup\n"
    )
    assert status == 0 and "dropped_by:drop_if" in json.dumps(read_records(output, "rejects"))


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("  - use: tag_people\n", "unknown step 'tag_people'"),
        ("  - use: helpers.step_samples:drop_if\n", "step 'drop_if' needs the parameter 'word' under `with`"),
        (
            "  - use: helpers.step_samples:typed\n    with: {count: lots}\n",
            "step 'typed' parameter 'count' must be a whole number, not 'lots'",
        ),
    ],
)
def test_bad_user_steps_exit_2_with_one_sentence(tmp_path: Path, step: str, message: str):
    config = tmp_path / "config.yaml"
    config.write_text(f"steps:\n  - parse\n{step}", encoding="utf-8")
    result = newsbeam(
        "run", "--input", str(DUMPS), "--output", str(tmp_path / "out"), "--config", str(config)
    )
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_step_that_asks_for_the_soup_gets_the_page_tree_and_the_html_is_not_written(tmp_path: Path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    page = article_html("Corrin Lines shares rise", PARAGRAPHS, "https://lanternpost.example/business/corrin")
    declared = (
        '<meta name="keywords" content="rail, Corrin Lines, shares">'
        '<meta property="article:tag" content="strike">'
    )
    (dumps / "page.html").write_text(page.replace("</head>", declared + "</head>"), encoding="utf-8")
    (dumps / "plain.html").write_text(
        article_html("Harbour ferry fares rise", prose(5, 7), "https://lanternpost.example/b/ferry"),
        encoding="utf-8",
    )
    (dumps / "dump.txt").write_text("\n\n".join(["Quay works begin", *prose(6, 4)]), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        "steps:\n  - parse\n  - use: newsbeam_example_steps.keywords:tag_keywords\n  - dedup\n  - classify\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    result = newsbeam(
        "run", "--input", str(dumps), "--output", str(output), "--config", str(config), *FAST,
        pythonpath=[PLUGIN_PROJECT],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    keywords = {Path(a["input"]["path"]).name: a["keywords"] for a in read_records(output, "articles")}
    assert keywords == {
        "page.html": ["rail", "Corrin Lines", "shares", "strike"],
        "plain.html": [],
        "dump.txt": [],
    }
    written = b"".join(path.read_bytes() for path in output.rglob("*.jsonl"))
    assert b"<html" not in written and b'"html"' not in written, "the page's HTML is never written"
