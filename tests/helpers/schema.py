"""Validating a run's output against the packaged record schema (``newsbeam.schema``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsbeam.schema import load_schema

KINDS = {"articles": "article", "duplicates": "duplicate", "rejects": "reject"}


def validator(definition: str) -> Any:
    """A validator of one ``$defs`` entry, with the other definitions reachable by ``#/$defs/...``."""
    from jsonschema import Draft202012Validator

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"})


def validate_output(output: Path) -> dict[str, int]:
    """Validate every line and every manifest under ``output``; returns how many of each were checked."""
    checked: dict[str, int] = {}
    for folder, definition in KINDS.items():
        check = validator(definition)
        for path in sorted((output / folder).rglob("*.jsonl")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                errors = sorted(check.iter_errors(json.loads(line)), key=str)
                assert not errors, f"{path.name}:{number}: {errors[0].message} at {list(errors[0].path)}"
                checked[definition] = checked.get(definition, 0) + 1
    check = validator("manifest")
    for path in sorted((output / "_runs").glob("*.json")):
        errors = list(check.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].path)}"
        checked["manifest"] = checked.get("manifest", 0) + 1
    return checked
