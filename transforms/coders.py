"""How records cross stages: Beam coders that know each record's fields, and fail loudly when they differ.

Every record class of :mod:`.model` (``Page``, ``Article``, ``Duplicate``,
``Reject``) has a registered :class:`RecordCoder`. A record is encoded as one pickled tuple:
a fingerprint of its class's field names (and of ``Provenance``'s, which every record holds),
then its fields in order. Decoding checks the fingerprint first, so a record encoded by a
process whose classes have other fields (a worker of another newsbeam version, a user's step
built against an older ``Article``) raises :class:`RecordMismatchError` naming the class,
instead of putting values into the wrong fields.

The stages declare their output types with :func:`typed`, so Beam picks these coders for the
PCollections between them. The same encoding parks articles in files
(:func:`pack_article`), and :func:`pack_value` carries the small values of dedup's shuffles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

import apache_beam as beam
from apache_beam import coders

from newsbeam.transforms.model import Article, Duplicate, Page, Provenance, Reject

__all__ = [
    "RECORD_CLASSES",
    "RecordCoder",
    "RecordMismatchError",
    "fingerprint",
    "pack_article",
    "pack_value",
    "typed",
    "unpack_article",
    "unpack_value",
]

RECORD_CLASSES: tuple[type, ...] = (Page, Article, Duplicate, Reject)
_PROTOCOL = pickle.HIGHEST_PROTOCOL
T = TypeVar("T")


class RecordMismatchError(TypeError):
    """A record was encoded by a class with other fields than the one decoding it."""


def fingerprint(cls: type) -> bytes:
    """4 bytes that change whenever the names or order of ``cls``'s fields (or Provenance's) change."""
    described = ";".join(
        f"{kind.__name__}:{','.join(item.name for item in dataclasses.fields(kind))}"
        for kind in (cls, Provenance)
    )
    return hashlib.blake2b(described.encode("utf-8"), digest_size=4).digest()


def _packer(cls: type[T]) -> tuple[Callable[[T], bytes], Callable[[bytes], T]]:
    mark = fingerprint(cls)
    fields = operator.attrgetter(*(item.name for item in dataclasses.fields(cls)))  # type: ignore[arg-type]

    def pack(record: T) -> bytes:
        return pickle.dumps((mark, *fields(record)), protocol=_PROTOCOL)

    def unpack(data: bytes) -> T:
        found, *values = pickle.loads(data)
        if found != mark:
            raise RecordMismatchError(
                f"a {cls.__name__} record was encoded with other fields than this process's "
                f"{cls.__name__} has: every worker must run the same newsbeam version"
            )
        return cls(*values)

    return pack, unpack


_PACKERS: dict[type, tuple[Callable[[Any], bytes], Callable[[bytes], Any]]] = {
    cls: _packer(cls) for cls in RECORD_CLASSES
}
#: ``article`` as bytes, and back: the coder's encoding, for the steps that park articles.
pack_article: Callable[[Article], bytes] = _PACKERS[Article][0]
unpack_article: Callable[[bytes], Article] = _PACKERS[Article][1]


def pack_value(value: Any) -> bytes:
    """``value`` pickled, for the shuffles of many small records (dedup entries, MinHash nodes).

    The DirectRunner keeps grouped values decoded; one bytes object takes about half the memory
    of a named tuple with its strings and tuples.
    """
    return pickle.dumps(value, protocol=_PROTOCOL)


def unpack_value(packed: bytes) -> Any:
    return pickle.loads(packed)


class RecordCoder(coders.Coder):
    """The coder of one record class (see the module docstring); subclasses name the class."""

    record_class: type = object

    def __init__(self) -> None:
        self._pack, self._unpack = _PACKERS[self.record_class]

    def encode(self, value: Any) -> bytes:
        return self._pack(value)

    def decode(self, encoded: bytes) -> Any:
        return self._unpack(encoded)

    def is_deterministic(self) -> bool:
        return False  # dicts inside records; records are never grouping keys

    def to_type_hint(self) -> type:
        return self.record_class

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


class PageCoder(RecordCoder):
    record_class = Page


class ArticleCoder(RecordCoder):
    record_class = Article


class DuplicateCoder(RecordCoder):
    record_class = Duplicate


class RejectCoder(RecordCoder):
    record_class = Reject


for _coder in (PageCoder, ArticleCoder, DuplicateCoder, RejectCoder):
    coders.registry.register_coder(_coder.record_class, _coder)


def typed(pcoll: beam.PCollection, record_class: type) -> beam.PCollection:
    """``pcoll``, declared to hold ``record_class`` records, so Beam encodes them with its coder."""
    pcoll.element_type = record_class
    return pcoll
