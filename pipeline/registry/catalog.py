"""``newsbeam steps``: the built-in steps and the installed user steps, with parameters and docs."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import yaml

from newsbeam.pipeline.registry.user_steps import (
    ENTRY_POINT_GROUP,
    StepError,
    installed_steps,
    resolve_use,
    step_kind,
    step_parameters,
)

__all__ = ["BUILTIN_DOCS", "format_catalog"]

#: One line per built-in step, and the config settings (``section.key``) that steer it.
BUILTIN_DOCS: dict[str, tuple[str, tuple[str, ...]]] = {
    "parse": (
        "extract each page's article; pages with too few words, or lists of teasers, become not_article",
        ("parse.min_words", "read.max_page_bytes"),
    ),
    "boilerplate": (
        "remove paragraphs found on many articles of one source in the run",
        ("boilerplate.min_pages",),
    ),
    "dedup": ("keep exact copies and re-crawls once; the others become duplicate records", ()),
    "classify": (
        "give each article a section of the taxonomy (metadata, breadcrumbs, URL, text)",
        ("classify.taxonomy", "classify.min_confidence"),
    ),
}
_INDENT = " " * 4


def format_catalog(builtin: Sequence[str], defaults: dict[str, Any]) -> str:
    """The text ``newsbeam steps`` prints; ``defaults`` are the packaged settings."""
    width = max([len(name) for name in builtin] + [len(name) for name, _ in installed_steps()] + [11])
    lines = ["Built-in steps (list them by name under `steps`; they take their settings from the config):"]
    for name in builtin:
        doc, settings = BUILTIN_DOCS.get(name, ("", ()))
        lines.append(f"  {name.ljust(width)}  {doc}".rstrip())
        if settings:
            values = ", ".join(f"{key}={_setting(defaults, key)}" for key in settings)
            lines.append(f"  {' ' * width}  settings: {values}")
    lines.append(f"  {'read, write'.ljust(width)}  implicit first and last steps; may be listed only there")
    lines.append("")
    lines.append(
        f"Installed steps (entry points in {ENTRY_POINT_GROUP}; use one as `- use: NAME` under `steps`):"
    )
    entries = installed_steps()
    if not entries:
        lines.append(f"  none; a package registers steps under the entry-point group {ENTRY_POINT_GROUP}")
    for name, value in entries:
        lines.extend(_describe_installed(name, value, width))
    lines.append("")
    lines.append("Any function or class can also be used by import path: `- use: package.module:Name`.")
    return "\n".join(lines)


def _describe_installed(name: str, value: str, width: int) -> list[str]:
    pad = f"  {' ' * width}  "
    try:
        target = resolve_use(name)
        kind = step_kind(target, name)
    except StepError as error:
        return [f"  {name.ljust(width)}  {value}", f"{pad}cannot be used: {error}"]
    lines = [f"  {name.ljust(width)}  {kind:<9}  {value}"]
    doc = inspect.getdoc(target)
    if doc:
        lines.append(f"{pad}{doc.splitlines()[0]}")
    try:
        parameters, open_ended = step_parameters(target, kind)
    except (TypeError, ValueError):
        return lines
    described = [parameter.describe() for parameter in parameters] + (["**more"] if open_ended else [])
    lines.append(f"{pad}parameters: {'; '.join(described) if described else 'none'}")
    return lines


def _setting(defaults: dict[str, Any], dotted: str) -> str:
    section, _, key = dotted.partition(".")
    value = (defaults.get(section) or {}).get(key)
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()
