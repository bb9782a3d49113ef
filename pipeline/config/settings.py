"""newsbeam's settings, as the validated configuration hands them to the pipeline.

Plain, frozen objects: the transforms take them as constructor arguments, so no stage
reads files or globals of its own. :mod:`.loader` builds them from the YAML files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsbeam.transforms.classification.taxonomy import Taxonomy
from newsbeam.transforms.dedup.near import NearDedupSettings
from newsbeam.transforms.stages.read import DEFAULT_SPLIT_BYTES

if TYPE_CHECKING:
    from newsbeam.pipeline.registry.user_steps import UserStep

__all__ = [
    "PARTITION_FIELDS",
    "BoilerplateSettings",
    "ClassifySettings",
    "Config",
    "ConfigError",
    "DedupSettings",
    "ParseSettings",
    "WriteSettings",
]

#: The article fields ``write.partition_by`` may name.
PARTITION_FIELDS = ("section", "date", "source", "language")


class ConfigError(ValueError):
    """A configuration that cannot be run; the message is one sentence for the user."""


@dataclass(frozen=True)
class ParseSettings:
    min_words: int
    max_page_bytes: int
    #: Per-page extraction budget (newsbeam.transforms.extraction.deadline).
    timeout_seconds: float = 5.0
    #: Big JSONL and WARC files are read in ranges of this many bytes (formats.ranges).
    split_bytes: int = DEFAULT_SPLIT_BYTES


@dataclass(frozen=True)
class BoilerplateSettings:
    min_pages: int


@dataclass(frozen=True)
class ClassifySettings:
    taxonomy: Taxonomy
    min_confidence: float
    #: the user's text model file (``classify.model``), checked; ``None``: the packaged model
    model_path: str | None
    #: confidence of each structural signal (``override``, ``metadata``, ``breadcrumb``, ``url``)
    confidence: dict[str, float]


@dataclass(frozen=True)
class DedupSettings:
    #: None when near-duplicate detection is off.
    near: NearDedupSettings | None
    duplicate_urls_cap: int


@dataclass(frozen=True)
class WriteSettings:
    partition_by: tuple[str, ...]
    max_records_per_file: int


@dataclass(frozen=True)
class Config:
    parse: ParseSettings
    boilerplate: BoilerplateSettings
    classify: ClassifySettings
    dedup: DedupSettings
    write: WriteSettings
    steps: tuple[str, ...]
    #: sha256 of the merged settings and the taxonomy, recorded in the manifest.
    sha256: str
    source: str
    #: The user steps named in ``steps``, by name (newsbeam.pipeline.registry.user_steps).
    user_steps: Mapping[str, UserStep] = field(default_factory=dict)
