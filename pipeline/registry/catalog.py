"""``newsbeam steps``: the built-in steps and the installed user steps, with parameters and docs."""

from __future__ import annotations

import inspect
from typing import Any

import yaml

from newsbeam.pipeline.registry.builtin import BUILTIN_STEPS
from newsbeam.pipeline.registry.user_steps import (
    ENTRY_POINT_GROUP,
    StepError,
    installed_steps,
    resolve_use,
    step_kind,
    step_parameters,
)

__all__ = ["format_catalog"]

_INDENT = " " * 4


def format_catalog(defaults: dict[str, Any]) -> str:
    """The text ``newsbeam steps`` prints; ``defaults`` are the packaged settings."""
    width = max([len(name) for name in BUILTIN_STEPS] + [len(name) for name, _ in installed_steps()] + [11])
    lines = ["Built-in steps (list them by name under `steps`; they take their settings from the config):"]
    for step in BUILTIN_STEPS.values():
        lines.append(f"  {step.name.ljust(width)}  {step.doc}".rstrip())
        if step.settings:
            values = ", ".join(f"{key}={_setting(defaults, key)}" for key in step.settings)
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
