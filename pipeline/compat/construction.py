"""Pipeline construction: Beam inspects each DoFn's methods again every time it asks about it.

Whether a DoFn keeps user state or timers is asked about a thousand times while newsbeam's
graph of about 300 transforms is built, translated and run (``userstate.get_dofn_specs``),
and each answer reads the signature of every method of the DoFn again. The answer depends
on the DoFn's class only (its methods and their default arguments), unless an instance
holds a bound method of its own (``beam.Map(obj.method)``), so it is kept per class; such
instances are inspected as before. ``tests/compat/test_construction_canaries.py`` checks
that the cached answer is Beam's.
"""

from __future__ import annotations

import functools
import types
from typing import Any

from newsbeam.pipeline.compat import is_tested_beam, untested

__all__ = ["cache_dofn_specs"]

_SPECS: dict[type, tuple[frozenset[Any], frozenset[Any]]] = {}


def cache_dofn_specs() -> bool:
    """Answer ``get_dofn_specs`` once per DoFn class (see the module docstring); whether it applies."""
    name = "caching DoFn state and timer specs per class"
    from apache_beam.transforms import userstate

    if not is_tested_beam():
        untested(name, "this Beam version was not tested with it")
        return False
    beam_specs = getattr(userstate, "get_dofn_specs", None)
    if beam_specs is None:
        untested(name, "userstate.get_dofn_specs is gone")
        return False
    if hasattr(beam_specs, "__wrapped__"):  # applied already
        return True

    @functools.wraps(beam_specs)
    def get_dofn_specs(dofn: Any) -> tuple[set[Any], set[Any]]:
        if any(isinstance(value, types.MethodType) for value in getattr(dofn, "__dict__", {}).values()):
            return beam_specs(dofn)
        cached = _SPECS.get(type(dofn))
        if cached is None:
            states, timers = beam_specs(dofn)
            cached = _SPECS[type(dofn)] = (frozenset(states), frozenset(timers))
        return set(cached[0]), set(cached[1])  # callers get sets of their own, as from Beam

    userstate.get_dofn_specs = get_dofn_specs
    return True
