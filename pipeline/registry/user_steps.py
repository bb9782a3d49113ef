"""The registry of steps: which step a name in the config's ``steps`` list means, and its parameters.

A run's steps sit between the implicit ``read`` and ``write``. An item of ``steps`` is
either a built-in step's name (``parse``, ``boilerplate``, ``dedup``, ``classify``) or a
mapping for a *user step*::

    - use: newsbeam_example_steps.press:drop_press_releases   # import path, or
    - use: drop_press_releases                                 # a name under newsbeam.transforms
      name: no_press        # optional; defaults to the last part of `use`
      with: {markers: ["press release"]}   # keyword arguments, checked against the signature
      on_error: reject      # or `fail`: see transforms/stages/user_steps.py

:func:`plan_steps` resolves every item when the run starts (imports the module or loads
the entry point), checks the parameters against the callable's signature and type
hints, and checks where the user steps sit. Anything wrong raises :class:`StepError`
with one sentence, which the config loader turns into exit 2. Three kinds of user
step are told apart by what ``use`` names (:func:`step_kind`):

* ``function``: a plain function ``(article, **params) -> Article | None``;
* ``transform``: a ``beam.PTransform`` subclass, built as ``Name(**params)``;
* ``class``: any other class with a ``process(article)`` method, built as ``Name(**params)``,
  whose optional ``setup()`` runs once per worker before the first article.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import apache_beam as beam

from newsbeam.pipeline.registry.base import StepContext, StepOutput
from newsbeam.pipeline.registry.params import check_value, describe, parameter_hints

__all__ = [
    "ENTRY_POINT_GROUP",
    "ON_ERROR",
    "StepError",
    "StepParameter",
    "StepPlan",
    "UserStep",
    "installed_steps",
    "plan_steps",
    "resolve_use",
    "step_kind",
    "step_parameters",
    "wants_soup",
]

ENTRY_POINT_GROUP = "newsbeam.transforms"
#: The parameter through which a step asks for the page's parsed HTML (:func:`wants_soup`).
SOUP = "soup"
#: What a user step's exception on one article does: a reject ``step_failed:<step>``, or a failed run.
ON_ERROR = ("reject", "fail")
IMPLICIT_FIRST, IMPLICIT_LAST = "read", "write"
_STEP_KEYS = ("use", "name", "with", "on_error")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


class StepError(ValueError):
    """A step that cannot be run; the message is one sentence for the user."""


@dataclass(frozen=True)
class StepParameter:
    """One keyword parameter of a user step, as its signature declares it."""

    name: str
    hint: Any  # a type, a typing construct, or None when not annotated
    required: bool
    default: Any = None

    def describe(self) -> str:
        typed = f"{self.name}: {describe(self.hint)}" if self.hint is not None else self.name
        return typed if self.required else f"{typed} = {self.default!r}"


@dataclass(frozen=True)
class UserStep:
    """A resolved user step: what to call and with which (checked) keyword arguments."""

    name: str
    use: str
    kind: str  # "function" | "transform" | "class"
    target: Any  # the function or the class named by `use`
    params: Mapping[str, Any] = field(default_factory=dict)
    on_error: str = "reject"
    #: The step takes ``soup``: the page's BeautifulSoup tree, built for it (see :func:`wants_soup`).
    wants_soup: bool = False

    def instantiate(self) -> Any:
        """What the pipeline applies: the function with its parameters bound, or a fresh object."""
        if self.kind == "function":
            return functools.partial(self.target, **self.params)
        return self.target(**self.params)

    def apply(self, stream: beam.PCollection, context: StepContext) -> StepOutput:
        """Add the step after the articles of ``stream`` (see :class:`~.base.Step`)."""
        from newsbeam.transforms.stages.user_steps import ApplyUserStep

        # After the last step that asks for the page's soup, the articles drop the page's HTML.
        drop_html = self.wants_soup and context.last_soup_step == self.name
        stepped = stream | f"Step {self.name}" >> ApplyUserStep(
            self.name, self.instantiate(), self.on_error, soup=self.wants_soup, drop_html=drop_html
        )
        return StepOutput(stepped["articles"], rejects=(stepped["rejects"],))


@dataclass(frozen=True)
class StepPlan:
    """The steps of a run in order (built-in and user step names), and the user steps by name."""

    names: tuple[str, ...]
    user_steps: Mapping[str, UserStep]


def plan_steps(items: Any, builtin: Sequence[str]) -> StepPlan:
    """Resolve and check the config's ``steps`` list (see the module docstring)."""
    if not isinstance(items, list) or not items:
        raise StepError("steps must be a non-empty list of step names")
    items = list(items)
    if IMPLICIT_FIRST in items[1:] or IMPLICIT_LAST in items[:-1]:
        raise StepError(
            f"steps may name {IMPLICIT_FIRST!r} only first and {IMPLICIT_LAST!r} only last "
            "(both are implicit and can be left out)"
        )
    items = [item for item in items if item not in (IMPLICIT_FIRST, IMPLICIT_LAST)]
    names: list[str] = []
    user_steps: dict[str, UserStep] = {}
    for item in items:
        if isinstance(item, dict):
            step = _user_step(item, builtin)
            user_steps[step.name] = step
            name = step.name
        elif isinstance(item, str) and item in builtin:
            name = item
        else:
            raise StepError(
                f"steps holds {item!r}, which is not a known step ({', '.join(builtin)}); "
                f"a user step is a mapping such as `- use: package.module:Name`"
            )
        if name in names:
            raise StepError(f"steps lists {name!r} twice; give one of them another `name`")
        names.append(name)
    if "parse" not in names:
        raise StepError("steps must include 'parse': every other step works on parsed articles")
    if names[0] != "parse":
        if names[0] in user_steps:
            raise StepError(f"user step {names[0]!r} must come after 'parse'")
        raise StepError("steps must start with 'parse'")
    _check_placement(names, user_steps)
    return StepPlan(names=tuple(names), user_steps=user_steps)


def _check_placement(names: list[str], user_steps: Mapping[str, UserStep]) -> None:
    """User steps go after parse, and before dedup or after classify (never between the two)."""
    dedup = names.index("dedup") if "dedup" in names else None
    classify = names.index("classify") if "classify" in names else None
    for position, name in enumerate(names):
        if name not in user_steps or dedup is None or position < dedup:
            continue
        if classify is None or position < classify:
            raise StepError(
                f"user step {name!r} sits after 'dedup' but not after 'classify'; "
                "user steps go before 'dedup' or after 'classify'"
            )


def _user_step(item: dict[str, Any], builtin: Sequence[str]) -> UserStep:
    unknown = sorted(str(key) for key in item if key not in _STEP_KEYS)
    if unknown:
        raise StepError(
            f"a user step has the unknown key {unknown[0]!r} (known: {', '.join(_STEP_KEYS)}) in {item!r}"
        )
    use = item.get("use")
    if not isinstance(use, str) or not use.strip():
        raise StepError(f"a user step needs `use: package.module:Name` or a registered name, in {item!r}")
    use = use.strip()
    if use in builtin:
        raise StepError(f"{use!r} is a built-in step; list it by its name, not with `use`")
    name = item.get("name", _default_name(use))
    if not isinstance(name, str) or not _NAME.match(name):
        raise StepError(
            f"user step name {name!r} must start with a letter and hold only letters, digits, '_', '.', '-'"
        )
    if name in builtin or name in (IMPLICIT_FIRST, IMPLICIT_LAST):
        raise StepError(f"user step {use!r} cannot be named {name!r}, the name of a built-in step")
    with_ = item.get("with") or {}
    if not isinstance(with_, dict):
        raise StepError(f"`with` of step {name!r} must be a mapping of parameters, not {with_!r}")
    on_error = item.get("on_error", "reject")
    if on_error not in ON_ERROR:
        raise StepError(f"on_error of step {name!r} must be 'reject' or 'fail', not {on_error!r}")
    target = resolve_use(use)
    kind = step_kind(target, use)
    if kind == "transform" and "on_error" in item:
        raise StepError(
            f"step {name!r} is a PTransform: an exception inside it always fails the run, "
            "so on_error does not apply"
        )
    params = _check_params(name, target, kind, with_)
    step = UserStep(
        name=name,
        use=use,
        kind=kind,
        target=target,
        params=params,
        on_error=on_error,
        wants_soup=wants_soup(target, kind),
    )
    if kind != "function":
        try:  # constructors validate their arguments at once (STYLE.md); setup() does the loading
            step.instantiate()
        except Exception as error:  # noqa: BLE001 - any refusal of the parameters is a config error
            raise StepError(
                f"step {name!r} refuses its parameters: {type(error).__name__}: {error}"
            ) from error
    return step


def _default_name(use: str) -> str:
    return use.rsplit(":", 1)[-1].rsplit(".", 1)[-1]


def resolve_use(use: str) -> Any:
    """The object ``use`` names: ``package.module:Name`` is imported, anything else is an entry point."""
    if ":" in use:
        module_name, _, attribute = use.partition(":")
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # noqa: BLE001 - an import can fail in any way; the user needs to know.
            raise StepError(
                f"step {use!r}: cannot import {module_name!r} ({type(error).__name__}: {error})"
            ) from error
        target: Any = module
        for part in attribute.split("."):
            if not hasattr(target, part):
                raise StepError(f"step {use!r}: module {module_name!r} has no {attribute!r}")
            target = getattr(target, part)
        return target
    found = [entry for entry in _entry_points() if entry.name == use]
    if not found:
        installed = sorted({entry.name for entry in _entry_points()})
        hint = f"installed: {', '.join(installed)}" if installed else "no step is installed"
        raise StepError(
            f"unknown step {use!r}: not an import path `package.module:Name` "
            f"nor a name registered under {ENTRY_POINT_GROUP} ({hint})"
        )
    values = sorted({entry.value for entry in found})
    if len(values) > 1:
        raise StepError(f"step {use!r} is registered by more than one package ({', '.join(values)})")
    try:
        return found[0].load()
    except Exception as error:  # noqa: BLE001 - a broken plugin must say so, not crash the CLI.
        raise StepError(
            f"step {use!r} ({found[0].value}) cannot be loaded: {type(error).__name__}: {error}"
        ) from error


def _entry_points() -> list[metadata.EntryPoint]:
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


def wants_soup(target: Any, kind: str) -> bool:
    """Whether a function or step class takes a parameter named ``soup`` (after the article).

    Such a step is called with ``soup=`` the page's BeautifulSoup tree (lxml builder), built
    for that step only, or None for a page that was a text dump. The parse step then keeps
    each page's HTML on its article until the last step that asks for it.
    """
    function = target if kind == "function" else getattr(target, "process", None) if kind == "class" else None
    if function is None:
        return False
    try:
        return SOUP in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def step_kind(target: Any, use: str) -> str:
    """``function``, ``transform`` or ``class``; raises :class:`StepError` for anything else."""
    if inspect.isclass(target):
        if issubclass(target, beam.PTransform):
            return "transform"
        if issubclass(target, beam.DoFn):
            raise StepError(
                f"step {use!r} is a beam.DoFn; write a class with setup() and process(article), "
                "or a PTransform that applies your DoFn"
            )
        if callable(getattr(target, "process", None)):
            return "class"
        raise StepError(f"step {use!r} is a class without a process(article) method")
    if isinstance(target, beam.PTransform):
        raise StepError(f"step {use!r} names a PTransform object; name its class, so `with` can build it")
    if callable(target):
        if not _takes_one_positional(target):
            raise StepError(f"step {use!r} is a function but does not take the article as its first argument")
        return "function"
    raise StepError(
        f"step {use!r} names a {type(target).__name__}, not a function, a PTransform class or a step class"
    )


def _takes_one_positional(function: Any) -> bool:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return True  # a builtin without a signature; let the call decide
    return bool(parameters) and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    )


def step_parameters(target: Any, kind: str) -> tuple[list[StepParameter], bool]:
    """The keyword parameters of a step, and whether it also takes any other (``**kwargs``)."""
    signature = inspect.signature(target)
    listed = list(signature.parameters.values())
    if kind == "function":
        listed = [parameter for parameter in listed[1:] if parameter.name != SOUP]  # the article, the soup
    elif kind == "transform" and target.__init__ is beam.PTransform.__init__:
        listed = []  # no constructor of its own: PTransform's `label` is not a step parameter
    hints = parameter_hints(target.__init__ if inspect.isclass(target) else target)
    found: list[StepParameter] = []
    open_ended = False
    for parameter in listed:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            open_ended = True
            continue
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.POSITIONAL_ONLY):
            continue
        required = parameter.default is inspect.Parameter.empty
        found.append(
            StepParameter(
                name=parameter.name,
                hint=hints.get(parameter.name),
                required=required,
                default=None if required else parameter.default,
            )
        )
    return found, open_ended


def _check_params(name: str, target: Any, kind: str, given: dict[str, Any]) -> dict[str, Any]:
    try:
        declared, open_ended = step_parameters(target, kind)
    except (TypeError, ValueError):
        return dict(given)  # no signature to check against
    by_name = {parameter.name: parameter for parameter in declared}
    for key in given:
        if key not in by_name and not open_ended:
            known = ", ".join(by_name) or "none"
            raise StepError(f"step {name!r} has no parameter {key!r} (its parameters: {known})")
    for parameter in declared:
        if parameter.required and parameter.name not in given:
            raise StepError(f"step {name!r} needs the parameter {parameter.name!r} under `with`")
    for key, value in given.items():
        hint = by_name[key].hint if key in by_name else None
        if hint is not None and not check_value(value, hint):
            raise StepError(f"step {name!r} parameter {key!r} must be {describe(hint)}, not {value!r}")
    return dict(given)


def installed_steps() -> list[tuple[str, str]]:
    """``(name, value)`` of every entry point under ``newsbeam.transforms``, sorted by name."""
    return sorted({(entry.name, entry.value) for entry in _entry_points()})
