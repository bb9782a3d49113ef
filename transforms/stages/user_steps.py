"""User steps inside the pipeline: articles in; articles and rejects out.

:class:`ApplyUserStep` wraps what a config's user step names (``pipeline/registry/user_steps.py``
resolves it) so that every article stays accounted for:

* a **function** ``(article) -> Article | None`` (its parameters already bound) and a
  **step object** with ``process(article)`` run in one ``DoFn`` through
  :func:`apply_article_step`; the object's ``setup()`` runs once per worker (load a model
  or a table there) and its ``teardown()``, if any, when the worker stops. ``None``
  becomes a reject ``dropped_by:<step>``. An exception on one article (or a return value
  that is not an Article) becomes a reject ``step_failed:<step>`` with the traceback in
  ``detail``; with ``on_error: fail`` it fails the run instead.
* a **PTransform** gets the PCollection of articles and returns one (or a dict with
  ``articles`` and ``rejects``, a PCollection of :class:`Reject`). Articles it does not
  return become rejects ``dropped_by:<step>``; returning one page's article twice, or
  something that is not an Article, fails the run. An exception inside it fails the run.

Fields a step adds go in ``article.extra`` and are written as they are. A value that is
not plain JSON (str, int, float, bool, None, lists, mappings with string keys) is a
failure of the step on that article, like an exception. A field named like a contract
field of the article record (``ARTICLE_FIELDS``) fails the run, whatever ``on_error``
says: it is a mistake in the step, not in the page, and would otherwise hit every article.
"""

from __future__ import annotations

import functools
import math
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import PCollection, TaggedOutput

from newsbeam.transforms.coders import typed
from newsbeam.transforms.extraction.soup import HTML_HINT, page_soup
from newsbeam.transforms.model import (
    ARTICLE_FIELDS,
    EXCERPT_CHARS,
    Article,
    Provenance,
    Reject,
    replace_article,
)

__all__ = [
    "ApplyUserStep",
    "UserStepError",
    "apply_article_step",
    "extra_problem",
    "check_extra_names",
    "without_html",
]

ARTICLES, REJECTS = "articles", "rejects"
DROPPED_BY, STEP_FAILED = "dropped_by", "step_failed"
TRACEBACK_CHARS = 4000
_CONTRACT_FIELDS = frozenset(ARTICLE_FIELDS)


class UserStepError(RuntimeError):
    """A user step broke the run: ``on_error: fail``, or a step that breaks the record contract."""


def extra_problem(extra: dict[Any, Any]) -> str | None:
    """Why ``extra`` cannot be written as JSON (naming the field), or None when it can."""
    for key, value in extra.items():
        if not isinstance(key, str):
            return f"extra field {key!r} is named by a {type(key).__name__}, not a string"
        problem = _json_problem(value, key)
        if problem:
            return problem
    return None


def _json_problem(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str | bool | int):
        return None
    if isinstance(value, float):
        return (
            None if math.isfinite(value) else f"extra field {where!r} holds {value}, which JSON cannot hold"
        )
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            problem = _json_problem(item, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"extra field {where!r} has the key {key!r}, which is not a string"
            problem = _json_problem(item, f"{where}.{key}")
            if problem:
                return problem
        return None
    return (
        f"extra field {where!r} holds a {type(value).__name__}, which is not JSON-serializable "
        "(use str, int, float, bool, None, lists and mappings with string keys)"
    )


def check_extra_names(step: str, article: Article) -> None:
    """Raise :class:`UserStepError` when an extra field would shadow a contract field."""
    clashes = sorted(_CONTRACT_FIELDS.intersection(article.extra))
    if clashes:
        raise UserStepError(
            f"step {step!r} added the extra field {clashes[0]!r}, which is a contract field of the "
            "article record; set the article's attribute, or name the field differently"
        )


def apply_article_step(
    step: str, call: Callable[[Article], Any], article: Article, on_error: str = "reject"
) -> Article | Reject:
    """Run one article through a function or step object; see the module docstring."""
    try:
        result = call(article)
    except Exception as error:  # noqa: BLE001 - one article must not fail the run unless on_error says so
        return _failed(step, article, error, on_error, with_traceback=True)
    if result is None:
        return Reject.of(
            article.input, f"{DROPPED_BY}:{step}", f"step {step!r} dropped the article", article.body
        )
    if not isinstance(result, Article):
        wrong = TypeError(f"step {step!r} returned a {type(result).__name__}, not an Article or None")
        return _failed(step, article, wrong, on_error, with_traceback=False)
    check_extra_names(step, result)
    problem = extra_problem(result.extra)
    if problem:
        return _failed(step, article, ValueError(f"step {step!r}: {problem}"), on_error, with_traceback=False)
    return result


def _failed(step: str, article: Article, error: Exception, on_error: str, with_traceback: bool) -> Reject:
    where = f"{article.input.path} record {article.input.record}"
    summary = f"{type(error).__name__}: {error}"
    if on_error == "fail":
        raise UserStepError(f"step {step!r} failed on {where}: {summary}") from error
    detail = f"step {step!r} raised {summary}" if with_traceback else str(error)
    if with_traceback and error.__traceback__ is not None:
        # The first frame is apply_article_step's own call; the user's code starts below it.
        frames = "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
        detail = f"{detail}\n{frames[-TRACEBACK_CHARS:]}"
    return Reject.of(article.input, f"{STEP_FAILED}:{step}", detail, article.body)


@beam.typehints.with_input_types(Article)
class ApplyUserStep(beam.PTransform):
    """Articles in; a dict of ``articles`` and ``rejects`` out (see the module docstring).

    ``step`` is what the pipeline applies: a function of one article (parameters bound),
    an object with ``process(article)``, or a ``beam.PTransform``. With ``soup`` the function
    or ``process`` is also given ``soup=`` the page's tree; with ``drop_html`` the articles
    leave without the page's HTML (no later step asks for it).
    """

    def __init__(
        self, name: str, step: Any, on_error: str = "reject", soup: bool = False, drop_html: bool = False
    ) -> None:
        super().__init__()
        if on_error not in ("reject", "fail"):
            raise ValueError(f"on_error must be 'reject' or 'fail', not {on_error!r}")
        if not (
            isinstance(step, beam.PTransform) or callable(getattr(step, "process", None)) or callable(step)
        ):
            raise ValueError(
                f"step {name!r} is neither a function, an object with process() nor a PTransform"
            )
        if soup and isinstance(step, beam.PTransform):
            raise ValueError(f"step {name!r} is a PTransform: it reads a page's soup with page_soup(article)")
        self._name = name
        self._step = step
        self._on_error = on_error
        self._soup = soup
        self._drop_html = drop_html

    def expand(self, articles: PCollection[Article]) -> dict[str, PCollection]:
        if isinstance(self._step, beam.PTransform):
            return self._expand_transform(articles)
        outputs = articles | "Apply" >> beam.ParDo(
            _ArticleStepFn(self._name, self._step, self._on_error, self._soup, self._drop_html)
        ).with_outputs(REJECTS, main=ARTICLES)
        return {ARTICLES: typed(outputs[ARTICLES], Article), REJECTS: typed(outputs[REJECTS], Reject)}

    def _expand_transform(self, articles: PCollection[Article]) -> dict[str, PCollection]:
        name = self._name
        try:
            result = articles | "Apply" >> self._step
        except Exception as error:  # noqa: BLE001 - name the step whose expand() failed
            raise UserStepError(
                f"step {name!r} could not be added to the pipeline: {type(error).__name__}: {error}"
            ) from error
        if isinstance(result, PCollection):
            returned, given_rejects = result, None
        elif isinstance(result, dict) and isinstance(result.get(ARTICLES), PCollection):
            returned, given_rejects = result[ARTICLES], result.get(REJECTS)
        else:
            raise UserStepError(
                f"step {name!r} returned a {type(result).__name__}; a PTransform step returns a PCollection "
                "of Articles, or a dict with 'articles' (and 'rejects')"
            )
        checked = returned | "Check articles" >> beam.ParDo(_CheckReturnedFn(name)).with_outputs(
            REJECTS, main=ARTICLES
        )
        rejects = [checked[REJECTS]]
        returned_keys = [returned | "Pages returned" >> beam.Map(_returned_key, name)]
        if given_rejects is not None:
            given_rejects = given_rejects | "Check rejects" >> beam.Map(_check_reject, name)
            rejects.append(given_rejects)
            returned_keys.append(given_rejects | "Pages rejected" >> beam.Map(_rejected_key))
        dropped = (
            {
                "given": articles | "Pages given" >> beam.Map(_given_key),
                "returned": tuple(returned_keys) | "All returned" >> beam.Flatten(),
            }
            | "Match pages" >> beam.CoGroupByKey()
            | "Dropped" >> beam.FlatMap(_dropped, name)
        )
        rejects.append(dropped)
        all_rejects = tuple(rejects) | "All rejects" >> beam.Flatten()
        return {ARTICLES: typed(checked[ARTICLES], Article), REJECTS: typed(all_rejects, Reject)}


class _ArticleStepFn(beam.DoFn):
    def __init__(self, name: str, step: Any, on_error: str, soup: bool, drop_html: bool) -> None:
        self._name = name
        self._step = step
        self._on_error = on_error
        self._soup = soup
        self._drop_html = drop_html
        self._articles = Metrics.counter(f"step:{name}", "articles")
        self._rejects = Metrics.counter(f"step:{name}", "rejects")

    def setup(self) -> None:
        setup = getattr(self._step, "setup", None)
        if callable(setup):
            setup()

    def process(self, article: Article) -> Iterable[Article | TaggedOutput]:
        process = getattr(self._step, "process", None)
        call = process if callable(process) else self._step
        if self._soup:
            call = functools.partial(call, soup=page_soup(article))
        result = apply_article_step(self._name, call, article, self._on_error)
        if isinstance(result, Reject):
            self._rejects.inc()
            yield TaggedOutput(REJECTS, result)
        else:
            self._articles.inc()
            yield without_html(result) if self._drop_html else result

    def teardown(self) -> None:
        teardown = getattr(self._step, "teardown", None)
        if callable(teardown):
            teardown()


class _CheckReturnedFn(beam.DoFn):
    def __init__(self, name: str) -> None:
        self._name = name

    def process(self, article: Any) -> Iterable[Article | TaggedOutput]:
        _returned_key(article, self._name)
        check_extra_names(self._name, article)
        problem = extra_problem(article.extra)
        if problem:
            detail = f"step {self._name!r}: {problem}"
            yield TaggedOutput(
                REJECTS, Reject.of(article.input, f"{STEP_FAILED}:{self._name}", detail, article.body)
            )
        else:
            yield article


def without_html(article: Article) -> Article:
    """``article`` without the page's HTML that it carried for the steps asking for a soup."""
    if HTML_HINT not in article.hints:
        return article
    hints = {key: value for key, value in article.hints.items() if key != HTML_HINT}
    return replace_article(article, hints=hints)


def _page_key(provenance: Provenance) -> tuple[str, int]:
    return provenance.path, provenance.record


def _given_key(article: Article) -> tuple[tuple[str, int], str]:
    return _page_key(article.input), article.body[:EXCERPT_CHARS]


def _returned_key(article: Any, name: str) -> tuple[tuple[str, int], int]:
    if not isinstance(article, Article):
        raise UserStepError(f"step {name!r} returned a {type(article).__name__} where an Article belongs")
    return _page_key(article.input), 1


def _rejected_key(reject: Reject) -> tuple[tuple[str, int], int]:
    return _page_key(reject.input), 1


def _check_reject(reject: Any, name: str) -> Reject:
    if not isinstance(reject, Reject):
        raise UserStepError(
            f"step {name!r} returned a {type(reject).__name__} among its rejects, not a Reject"
        )
    return reject


def _dropped(keyed: tuple[tuple[str, int], dict[str, list[Any]]], name: str) -> Iterable[Reject]:
    (path, record), groups = keyed
    given, returned = list(groups["given"]), list(groups["returned"])
    if len(returned) > len(given):
        what = "an article it was not given" if not given else f"one article {len(returned)} times"
        raise UserStepError(f"step {name!r} returned {what} ({path} record {record})")
    if given and not returned:
        yield Reject.of(
            Provenance(path, record),
            f"{DROPPED_BY}:{name}",
            f"step {name!r} did not return the article",
            given[0],
        )
