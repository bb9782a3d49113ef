"""Installing the example plugin into a temporary folder, as pip would, without a network or a build.

The package's modules are copied and a ``.dist-info`` folder is written beside them with the
entry points of the package's own ``pyproject.toml``; with the folder on ``PYTHONPATH``,
``importlib.metadata`` finds the steps exactly as it finds those of a pip-installed package.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers.builders import REPO

PLUGIN_PROJECT = REPO / "examples" / "plugins" / "newsbeam_example_steps"
EXAMPLE_CONFIG = REPO / "examples" / "plugins" / "example.yaml"
DUMPS = REPO / "examples" / "dumps"


_KEY_VALUE = re.compile(r'^(?P<key>[\w.-]+)\s*=\s*"(?P<value>[^"]*)"$')


def read_pyproject(text: str) -> tuple[str, str, dict[str, dict[str, str]]]:
    """Name, version and entry points of the example's pyproject.toml (plain ``key = "value"`` lines).

    ``tomllib`` is Python 3.11+; newsbeam supports 3.10, and this file needs no more than this.
    """
    section, project, groups = "", {}, {}
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line.strip("[]")
            continue
        match = _KEY_VALUE.match(line)
        if not match:
            continue
        if section == "project":
            project[match["key"]] = match["value"]
        elif section.startswith("project.entry-points."):
            groups.setdefault(section.split(".", 2)[2].strip('"'), {})[match["key"]] = match["value"]
    return project["name"], project["version"], groups


def install_example_plugin(target: Path) -> Path:
    name, version, groups = read_pyproject((PLUGIN_PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    package = "newsbeam_example_steps"
    shutil.copytree(PLUGIN_PROJECT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    dist_info = target / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = []
    for group, entries in groups.items():
        lines.append(f"[{group}]")
        lines.extend(f"{entry} = {value}" for entry, value in entries.items())
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
