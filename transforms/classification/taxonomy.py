"""The section taxonomy: which sections exist, what sites call them, and how they nest.

A taxonomy file (``configs/sections.yaml``) is YAML with two mappings::

    sections:
      sport:
        name: Sport                      # display name (default: the slug, title-cased)
        aliases: [sports, football]      # what sites call it in metadata, breadcrumbs, URL paths
      cricket:
        parent: sport                    # a child section; articles in it are reported as `cricket`
        aliases: [cricket, the ashes]
      opinion:
        genre: true                      # names the kind of piece, not its topic (see below)
        aliases: [comment, op-ed]
    sites:
      harbourtimes.example:              # a source, as in the article's `source` field
        sections: {"Te Ao": world}       # the site's own section names -> slug
        url_prefixes: {"/kaupapa/": opinion}   # URL path prefix -> slug, decides before anything else

A *genre* section (opinion, editorial) wins over a topic section named by any signal: a comment
piece about interest rates is ``opinion``, not ``business``.

:func:`load_taxonomy` validates everything (slugs, aliases given twice, unknown or cyclic
parents, site mappings to unknown sections) and raises :class:`TaxonomyError` with one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "UNCATEGORIZED",
    "Section",
    "SiteRules",
    "Taxonomy",
    "TaxonomyError",
    "build_taxonomy",
    "load_taxonomy",
    "normalize_label",
]

UNCATEGORIZED = "uncategorized"
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
_SEPARATORS = re.compile(r"[\s_\-/>|:»›,]+")
_SECTION_KEYS = {"name", "aliases", "parent", "genre", "keywords"}
_SITE_KEYS = {"sections", "url_prefixes"}


class TaxonomyError(ValueError):
    """A taxonomy that cannot be used; the message is one sentence for the user."""


@dataclass(frozen=True)
class Section:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    genre: bool = False
    #: Words that pull an article toward this section in the text classifier.
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteRules:
    """One source's own section names and URL-prefix overrides."""

    #: normalised site label -> slug
    sections: dict[str, str] = field(default_factory=dict)
    #: URL path prefix (starting with "/") -> slug, longest first
    url_prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    sections: tuple[Section, ...]
    #: normalised alias -> slug
    aliases: dict[str, str]
    sites: dict[str, SiteRules] = field(default_factory=dict)
    _by_slug: dict[str, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slug", {section.slug: section for section in self.sections})

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(section.slug for section in self.sections)

    def section(self, slug: str) -> Section:
        return self._by_slug[slug]

    def lookup(self, label: str, source: str | None = None) -> str | None:
        """The slug that ``label`` (a site's own section name) stands for, if any.

        A mapping given for ``source`` in ``sites`` is tried before the global aliases.
        """
        key = normalize_label(label)
        rules = self.sites.get(_site_key(source)) if source else None
        if rules is not None and key in rules.sections:
            return rules.sections[key]
        return self.aliases.get(key)

    def url_override(self, source: str | None, path: str) -> str | None:
        """The slug a ``url_prefixes`` rule of ``source`` gives the URL path ``path``."""
        rules = self.sites.get(_site_key(source)) if source else None
        if rules is None:
            return None
        for prefix, slug in rules.url_prefixes:
            if path.startswith(prefix):
                return slug
        return None

    def ancestors(self, slug: str) -> tuple[str, ...]:
        """The parents of ``slug``, nearest first."""
        chain: list[str] = []
        parent = self._by_slug[slug].parent if slug in self._by_slug else None
        while parent is not None:
            chain.append(parent)
            parent = self._by_slug[parent].parent
        return tuple(chain)

    def is_genre(self, slug: str) -> bool:
        return slug in self._by_slug and self._by_slug[slug].genre


def normalize_label(label: str) -> str:
    return _SEPARATORS.sub(" ", label.casefold()).strip()


def _site_key(source: str) -> str:
    source = source.casefold().strip()
    return source[4:] if source.startswith("www.") else source


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy file; raises :class:`TaxonomyError` with one sentence."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TaxonomyError(f"taxonomy file {str(path)!r} cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise TaxonomyError(f"taxonomy file {str(path)!r} is not valid YAML") from error
    if not isinstance(data, dict) or not isinstance(data.get("sections"), dict) or not data["sections"]:
        raise TaxonomyError(f"taxonomy file {str(path)!r} must hold a non-empty mapping 'sections'")
    unknown = set(data) - {"sections", "sites"}
    if unknown:
        raise TaxonomyError(f"taxonomy file {str(path)!r} has unknown top-level key {sorted(unknown)[0]!r}")
    return build_taxonomy(data["sections"], data.get("sites") or {}, origin=str(path))


def build_taxonomy(
    raw_sections: Mapping[str, Any], raw_sites: Mapping[str, Any] | None = None, origin: str = "taxonomy"
) -> Taxonomy:
    sections = [_section(slug, raw, origin) for slug, raw in raw_sections.items()]
    slugs = {section.slug for section in sections}
    aliases: dict[str, str] = {}
    for section in sections:
        if section.parent is not None and section.parent not in slugs:
            raise TaxonomyError(
                f"{origin}: section {section.slug!r} has parent {section.parent!r}, which is not a section"
            )
        for alias in (section.slug, *section.aliases):
            key = normalize_label(alias)
            if aliases.get(key, section.slug) != section.slug:
                raise TaxonomyError(
                    f"{origin}: alias {alias!r} is given to both {aliases[key]!r} and {section.slug!r}"
                )
            aliases[key] = section.slug
    _check_cycles(sections, origin)
    sites = {
        _site_key(str(source)): _site(str(source), raw, slugs, origin)
        for source, raw in (raw_sites or {}).items()
    }
    return Taxonomy(sections=tuple(sections), aliases=aliases, sites=sites)


def _section(slug: Any, raw: Any, origin: str) -> Section:
    if not isinstance(slug, str) or not _SLUG.match(slug) or slug == UNCATEGORIZED:
        raise TaxonomyError(
            f"{origin}: {slug!r} is not a usable section slug (lower-case letters, digits, -)"
        )
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{origin}: section {slug!r} must be a mapping with name, aliases and parent")
    unknown = set(raw) - _SECTION_KEYS
    if unknown:
        raise TaxonomyError(f"{origin}: section {slug!r} has unknown key {sorted(unknown)[0]!r}")
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise TaxonomyError(f"{origin}: parent of section {slug!r} must be a section slug")
    genre = raw.get("genre", False)
    if not isinstance(genre, bool):
        raise TaxonomyError(f"{origin}: genre of section {slug!r} must be true or false")
    return Section(
        slug=slug,
        name=str(raw.get("name") or slug.title()),
        aliases=_strings(raw.get("aliases", []), origin, slug, "aliases"),
        parent=parent,
        genre=genre,
        keywords=_strings(raw.get("keywords", []), origin, slug, "keywords"),
    )


def _check_cycles(sections: list[Section], origin: str) -> None:
    parents = {section.slug: section.parent for section in sections}
    for slug in parents:
        seen = [slug]
        parent = parents[slug]
        while parent is not None:
            if parent in seen:
                raise TaxonomyError(
                    f"{origin}: parent sections form a cycle ({' -> '.join([*seen, parent])})"
                )
            seen.append(parent)
            parent = parents.get(parent)


def _site(source: str, raw: Any, slugs: set[str], origin: str) -> SiteRules:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{origin}: site {source!r} must be a mapping with sections and url_prefixes")
    unknown = set(raw) - _SITE_KEYS
    if unknown:
        raise TaxonomyError(f"{origin}: site {source!r} has unknown key {sorted(unknown)[0]!r}")
    mappings: dict[str, dict[str, str]] = {}
    for key in _SITE_KEYS:
        value = raw.get(key) or {}
        if not isinstance(value, dict):
            raise TaxonomyError(f"{origin}: {key} of site {source!r} must be a mapping of names to slugs")
        for name, slug in value.items():
            if slug not in slugs:
                raise TaxonomyError(f"{origin}: site {source!r} maps {name!r} to unknown section {slug!r}")
            if key == "url_prefixes" and not (isinstance(name, str) and name.startswith("/")):
                raise TaxonomyError(f"{origin}: URL prefix {name!r} of site {source!r} must start with '/'")
        mappings[key] = {str(name): str(slug) for name, slug in value.items()}
    prefixes = sorted(mappings["url_prefixes"].items(), key=lambda item: len(item[0]), reverse=True)
    return SiteRules(
        sections={normalize_label(name): slug for name, slug in mappings["sections"].items()},
        url_prefixes=tuple(prefixes),
    )


def _strings(value: object, origin: str, slug: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise TaxonomyError(f"{origin}: {key} of section {slug!r} must be a list of non-empty strings")
    return tuple(value)
