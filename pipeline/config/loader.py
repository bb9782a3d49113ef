"""Loading and validating newsbeam's YAML configuration.

The packaged ``configs/default.yaml`` holds every setting with its default
(``docs/configuration.md``). A user's file (``--config``) is merged over it: mappings key
by key, lists and scalars replaced.
Validation happens here, once, before any work starts; it raises :class:`ConfigError`
with one sentence naming the key and what is wrong, which the CLI turns into exit 2.

The result is a :class:`~.settings.Config` (:mod:`.settings`).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsbeam.pipeline.config.settings import (
    PARTITION_FIELDS,
    BoilerplateSettings,
    ClassifySettings,
    Config,
    ConfigError,
    DedupSettings,
    ParseSettings,
    WriteSettings,
)
from newsbeam.pipeline.registry.builtin import BUILTIN_STEPS
from newsbeam.pipeline.registry.user_steps import StepError, StepPlan, plan_steps
from newsbeam.transforms.classification.cascade import DEFAULT_CONFIDENCE
from newsbeam.transforms.classification.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from newsbeam.transforms.classification.text_model import ModelError, packaged_model_path, read_header
from newsbeam.transforms.dedup.minhash import LshParams, choose_bands
from newsbeam.transforms.dedup.near import PREFERENCES, NearDedupSettings
from newsbeam.transforms.formats.checksum import CHECKSUM_BLOCK

__all__ = ["Config", "ConfigError", "load_config", "packaged_config_path", "packaged_model_path"]


def packaged_config_path() -> Path:
    return Path(str(resources.files("newsbeam.configs").joinpath("default.yaml")))


def load_config(path: str | Path | None = None) -> Config:
    """Load the packaged defaults, merge ``path`` over them and validate the result."""
    default_path = packaged_config_path()
    merged = _read_yaml(default_path)
    # Where each file-valued key is read relative to: the file that set it.
    base_dirs = {"taxonomy": default_path.parent, "model": default_path.parent}
    if path is not None:
        user_path = Path(path)
        if not user_path.is_file():
            raise ConfigError(f"config file {str(path)!r} does not exist")
        user = _read_yaml(user_path)
        _check_known_keys(user, merged, prefix="", source=str(user_path))
        merged = _merge(merged, user)
        for key in base_dirs:
            if key in (user.get("classify") or {}):
                base_dirs[key] = user_path.resolve().parent
    return _build(merged, base_dirs, source=str(path) if path else str(default_path))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"config file {str(path)!r} is not valid YAML{where}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"config file {str(path)!r} cannot be read: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {str(path)!r} must hold a mapping of settings at its top level")
    return data


def _check_known_keys(user: dict[str, Any], defaults: dict[str, Any], prefix: str, source: str) -> None:
    for key, value in user.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            known = ", ".join(sorted(str(k) for k in defaults))
            raise ConfigError(f"unknown config key {dotted!r} in {source} (known here: {known})")
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"config key {dotted!r} in {source} must be a mapping")
            _check_known_keys(value, defaults[key], prefix=f"{dotted}.", source=source)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _build(settings: dict[str, Any], base_dirs: dict[str, Path], source: str) -> Config:
    parse = settings["parse"]
    read = settings["read"]
    classify = settings["classify"]
    write = settings["write"]
    boilerplate = settings["boilerplate"]

    taxonomy_path = Path(_typed(classify, "taxonomy", str, "classify"))
    if not taxonomy_path.is_absolute():
        taxonomy_path = base_dirs["taxonomy"] / taxonomy_path
    try:
        taxonomy = load_taxonomy(taxonomy_path)
    except TaxonomyError as error:
        raise ConfigError(str(error)) from error
    model_path = _model_path(classify, base_dirs["model"], taxonomy)

    partition_by = _typed(write, "partition_by", list, "write")
    for item in partition_by:
        if item not in PARTITION_FIELDS:
            raise ConfigError(
                f"write.partition_by holds {item!r}, which is not one of {', '.join(PARTITION_FIELDS)}"
            )
    if len(set(partition_by)) != len(partition_by):
        raise ConfigError("write.partition_by names a field twice")

    plan = _steps(settings["steps"])
    config = Config(
        parse=ParseSettings(
            min_words=_bounded(parse, "min_words", "parse", low=0),
            max_page_bytes=_bounded(read, "max_page_bytes", "read", low=1),
            timeout_seconds=_seconds(parse, "timeout_seconds", "parse"),
            split_bytes=_split_bytes(read),
        ),
        boilerplate=BoilerplateSettings(min_pages=_bounded(boilerplate, "min_pages", "boilerplate", low=2)),
        classify=ClassifySettings(
            taxonomy=taxonomy,
            min_confidence=_probability(classify, "min_confidence", "classify"),
            model_path=None if model_path is None else str(model_path),
            confidence=_confidences(classify),
        ),
        dedup=_dedup(settings["dedup"]),
        write=WriteSettings(
            partition_by=tuple(partition_by),
            max_records_per_file=_bounded(write, "max_records_per_file", "write", low=1),
        ),
        steps=plan.names,
        sha256=_digest(settings, taxonomy_path, model_path),
        source=source,
        user_steps=plan.user_steps,
    )
    return config


def _dedup(dedup: dict[str, Any]) -> DedupSettings:
    near_on = _typed(dedup, "near_duplicates", bool, "dedup")
    cap = _bounded(dedup, "duplicate_urls_cap", "dedup", low=0)
    shingle_size = _bounded(dedup, "shingle_size", "dedup", low=1)
    num_perm = _bounded(dedup, "num_perm", "dedup", low=8)
    seed = _bounded(dedup, "seed", "dedup", low=0)
    threshold = _probability(dedup, "threshold", "dedup")
    if not 0.0 < threshold < 1.0:
        raise ConfigError(f"dedup.threshold must be between 0 and 1 (exclusive), not {threshold}")
    containment = None if dedup.get("containment") is None else _probability(dedup, "containment", "dedup")
    if containment == 0.0:
        raise ConfigError("dedup.containment must be above 0 (or null to turn the test off)")
    weight = _probability(dedup, "false_negative_weight", "dedup")
    bands, rows = dedup.get("bands"), dedup.get("rows")
    if (bands == "auto") != (rows == "auto"):
        raise ConfigError("dedup.bands and dedup.rows must both be auto or both be numbers")
    if bands == "auto":
        bands, rows = choose_bands(threshold, num_perm, weight)
    else:
        bands = _bounded(dedup, "bands", "dedup", low=1)
        rows = _bounded(dedup, "rows", "dedup", low=1)
        if bands * rows > num_perm:
            raise ConfigError(
                f"dedup.bands x dedup.rows ({bands} x {rows}) exceeds dedup.num_perm ({num_perm})"
            )
    prefer = _typed(dedup, "prefer", str, "dedup")
    if prefer not in PREFERENCES:
        raise ConfigError(f"dedup.prefer must be one of {', '.join(PREFERENCES)}, not {prefer!r}")
    length_tolerance = _probability(dedup, "length_tolerance", "dedup")
    if length_tolerance >= 1.0:
        raise ConfigError("dedup.length_tolerance must be below 1")
    near = NearDedupSettings(
        lsh=LshParams(shingle_size=shingle_size, num_perm=num_perm, bands=bands, rows=rows, seed=seed),
        threshold=threshold,
        containment=containment,
        max_bucket=_bounded(dedup, "max_bucket", "dedup", low=2),
        max_rounds=_bounded(dedup, "max_rounds", "dedup", low=1),
        length_tolerance=length_tolerance,
        prefer=prefer,
        duplicate_urls_cap=cap,
    )
    return DedupSettings(near=near if near_on else None, duplicate_urls_cap=cap)


def _model_path(classify: dict[str, Any], base_dir: Path, taxonomy: Taxonomy) -> Path | None:
    """The user's text model, its header checked against the taxonomy; ``None`` for the packaged one."""
    value = classify.get("model")
    if value is None:
        # The packaged model knows the default sections; with another taxonomy, a prediction of
        # a label that the taxonomy lacks is not used (the text signal abstains instead).
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"classify.model must be the path of a model file or null, not {value!r}")
    path = Path(value)
    if not path.is_absolute():
        path = base_dir / path
    try:
        header = read_header(path)
    except ModelError as error:
        raise ConfigError(f"classify.model: {error}") from error
    for label in header.get("labels", []):
        if taxonomy.lookup(str(label)) is None:
            raise ConfigError(
                f"classify.model {str(path)!r} predicts section {label!r}, which the taxonomy does not have"
            )
    return path


def _confidences(classify: dict[str, Any]) -> dict[str, float]:
    values = classify.get("confidence")
    if not isinstance(values, dict):
        raise ConfigError("classify.confidence must be a mapping of signal names to numbers")
    unknown = set(values) - set(DEFAULT_CONFIDENCE)
    if unknown:
        raise ConfigError(f"classify.confidence names unknown signal {sorted(unknown)[0]!r}")
    return {signal: _probability(values, signal, "classify.confidence") for signal in DEFAULT_CONFIDENCE}


def _typed(section: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = section.get(key)
    # bool is an int in Python; a YAML `yes` for a count is a mistake worth reporting.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where}.{key} must be {_kind_name(kind)}, not {value!r}")
    return value


def _bounded(section: dict[str, Any], key: str, where: str, low: int) -> int:
    value = _typed(section, key, int, where)
    if value < low:
        raise ConfigError(f"{where}.{key} must be at least {low}, not {value}")
    return int(value)


def _split_bytes(read: dict[str, Any]) -> int:
    value = _bounded(read, "split_bytes", "read", low=CHECKSUM_BLOCK)
    if value % CHECKSUM_BLOCK:
        raise ConfigError(f"read.split_bytes must be a multiple of {CHECKSUM_BLOCK} (1 MiB), not {value}")
    return value


def _probability(section: dict[str, Any], key: str, where: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{where}.{key} must be a number between 0 and 1, not {value!r}")
    return float(value)


def _seconds(section: dict[str, Any], key: str, where: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 3600:
        raise ConfigError(
            f"{where}.{key} must be a number of seconds above 0 and at most 3600, not {value!r}"
        )
    return float(value)


def _steps(steps: Any) -> StepPlan:
    """Built-in step names and user steps, resolved and checked by pipeline/registry/user_steps.py."""
    try:
        return plan_steps(steps, tuple(BUILTIN_STEPS))
    except StepError as error:
        raise ConfigError(str(error)) from error


def _digest(settings: dict[str, Any], taxonomy_path: Path, model_path: Path | None) -> str:
    digest = hashlib.sha256()
    digest.update(yaml.safe_dump(settings, sort_keys=True).encode("utf-8"))
    digest.update(taxonomy_path.read_bytes())
    digest.update((model_path or packaged_model_path()).read_bytes())
    return digest.hexdigest()


def _kind_name(kind: type) -> str:
    return {
        int: "a whole number",
        str: "a string",
        list: "a list",
        float: "a number",
        bool: "true or false",
    }.get(kind, kind.__name__)
