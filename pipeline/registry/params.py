"""Checking a user step's parameters (plain YAML values) against its type hints.

Only what YAML can hold is checked: ``bool``, ``int``, ``float`` (an ``int`` is accepted),
``str``, ``None``, ``list[X]``, ``tuple[X, ...]``, ``dict[K, V]``, ``X | Y``,
``Optional[X]``, ``Literal[...]``; ``Any``, a missing hint and a hint that does not
resolve accept anything; any other class is checked with ``isinstance``.
"""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any

__all__ = ["check_value", "describe", "parameter_hints"]

_NAMES = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
    type(None): "null",
}


def parameter_hints(function: Any) -> dict[str, Any]:
    """The resolved annotations of ``function``'s parameters; unresolvable ones are left out.

    ``typing.get_type_hints`` fails as a whole when one annotation names something imported
    only for type checkers (``Article`` under ``TYPE_CHECKING``), so each is tried on its own.
    """
    try:
        return {k: v for k, v in typing.get_type_hints(function).items() if k != "return"}
    except Exception:  # noqa: BLE001 - fall back to one annotation at a time
        pass
    annotations = getattr(function, "__annotations__", {}) or {}
    namespace = dict(vars(typing))
    namespace.update(getattr(function, "__globals__", {}))
    hints: dict[str, Any] = {}
    for name, annotation in annotations.items():
        if name == "return":
            continue
        if not isinstance(annotation, str):
            hints[name] = annotation
            continue
        try:
            hints[name] = eval(annotation, namespace)  # noqa: S307 - the step's own annotation
        except Exception:  # noqa: BLE001 - an annotation we cannot resolve is not checked
            continue
    return hints


def check_value(value: Any, hint: Any) -> bool:
    """Whether the YAML value ``value`` fits the type hint ``hint``."""
    if hint is Any or hint is None or hint is inspect.Parameter.empty:
        return True
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(check_value(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin in (list, typing.List, set, frozenset, tuple) or hint in (list, tuple):  # noqa: UP006
        if not isinstance(value, list | tuple):
            return False
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            return len(value) == len(args) and all(
                check_value(v, a) for v, a in zip(value, args, strict=True)
            )
        return not args or all(check_value(item, args[0]) for item in value)
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            return False
        if not args:
            return True
        return all(check_value(k, args[0]) and check_value(v, args[1]) for k, v in value.items())
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a typing construct we do not check (TypeVar, Callable, ...)


def describe(hint: Any) -> str:
    """A reader's name for ``hint``: ``a whole number``, ``a list of strings``, ``one of 'a', 'b'``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint in _NAMES:
        return _NAMES[hint]
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(arg) for arg in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if origin in (list, set, frozenset, tuple) or hint in (list, tuple):
        return f"a list of {_plural(args[0])}" if args and args[0] is not Ellipsis else "a list"
    if origin is dict or hint is dict:
        return f"a mapping of {_plural(args[0])} to {_plural(args[1])}" if args else "a mapping"
    return getattr(hint, "__name__", str(hint))


def _plural(hint: Any) -> str:
    text = describe(hint)
    for article in ("a ", "an "):
        if text.startswith(article):
            return text[len(article) :] + "s"
    return text
