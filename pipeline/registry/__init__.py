"""The registry of steps: what a name in the config's ``steps`` list adds to the pipeline.

Every step, built-in or the user's, is a :class:`Step`: a name, and ``apply(stream,
context)`` that adds the step to the pipeline and returns a :class:`StepOutput` (its
articles, and any rejects or duplicates it made). Built-in stages are registered in
:mod:`.builtin`; users' steps are resolved from import paths or entry points in
:mod:`.user_steps`. The pipeline graph (:mod:`newsbeam.pipeline.running.graph`) applies
them in the config's order, whatever their kind.
"""

from __future__ import annotations

from newsbeam.pipeline.registry.base import Step, StepContext, StepOutput

__all__ = ["Step", "StepContext", "StepOutput"]
