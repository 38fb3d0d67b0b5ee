"""Gradient-descent training of the models, one frozen :class:`TrainStep` per update.

::

    run = train(model, X, y, model.initial_params(), TrainSettings(learning_rate=1.2))
    for step in run: ...
    run.outcome.message   # "converged at step 412: the gradient is below 1e-08"

To change a setting mid-run, start a new run where the old one stopped:
``train(model, X, y, step.params_next, new_settings, k0=step.k + 1, start_cost=...)``
(the cost at the run's start, so the continued run diverges where the whole run would).

A diverging run yields every step whose numbers are finite, the step that made it
diverge included, so the explosion can be watched: the outcome's step is the last step
yielded (or, when even the first step of a call overflows, the step before it).
"""

from __future__ import annotations

import contextvars
import math
import weakref
from collections.abc import Callable, Generator
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from optgui.core.divergence import diverged, grew, rate_too_large
from optgui.core.models import Examples, Forward, LinearRegression, Model
from optgui.core.stability import regression_bound
from optgui.core.stepping import CONVERGED, DIVERGED, STEP_LIMIT, Outcome, Stepper

#: A run diverges when its cost exceeds max(DIVERGE_FACTOR × initial cost, DIVERGE_COST) …
DIVERGE_FACTOR = 1e6
DIVERGE_COST = 1e12
#: … at step DIVERGE_MIN_STEP or later: a run that explodes at once still shows steps
#: 0 to 3 (while its numbers stay finite), so the line's swing and the cost's climb show.
DIVERGE_MIN_STEP = 3


@dataclass(frozen=True)
class TrainSettings:
    """How to train: learning rate α, "full" batch (mean gradient) or "single" example
    (cycling through the examples in order), step limit and gradient tolerance."""

    learning_rate: float
    batch: Literal["full", "single"] = "full"
    max_steps: int = 10_000
    tol: float = 1e-8

    def __post_init__(self) -> None:
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(
                f"the learning rate must be a positive number, not {self.learning_rate}"
            )
        if self.batch not in ("full", "single"):
            raise ValueError(f"batch must be 'full' or 'single', not {self.batch!r}")
        if self.max_steps < 0:
            raise ValueError("max_steps cannot be negative")
        if not self.tol >= 0:
            raise ValueError("tol cannot be negative")


class _Lazy:
    """A frozen-dataclass field that may be given a zero-argument function instead of its
    value: the function runs on first access and its result is kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"_{name}"

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError(self.key)  # no default value: the field is required
        value = obj.__dict__[self.key]
        if callable(value):
            value = obj.__dict__[self.key] = value()
        return value

    def __set__(self, obj: object, value: object) -> None:
        obj.__dict__[self.key] = value  # only __init__ gets here: the dataclass is frozen


@dataclass(frozen=True, eq=False)
class TrainStep:
    """One update ``params_next = params − learning_rate · gradients``.

    ``cost``, ``forward``, ``accuracy`` (None for regression) and ``gradient_norm`` (of the
    full-batch gradient) describe the whole data set at ``params``. ``gradients`` is the
    gradient used: the batch mean, or example ``example``'s own gradient in single mode.
    ``forward`` is computed on first access (it may be given as a function returning it).
    """

    k: int
    params: np.ndarray
    cost: float
    gradients: np.ndarray
    params_next: np.ndarray
    example: int | None
    forward: Forward = _Lazy()  # type: ignore[assignment]
    accuracy: float | None
    gradient_norm: float
    learning_rate: float

    def as_row(self) -> tuple[float, ...]:
        """k, params…, cost, gradients…, [accuracy]: matches :func:`row_columns`."""
        row = (float(self.k), *self.params.tolist(), self.cost, *self.gradients.tolist())
        return row if self.accuracy is None else (*row, self.accuracy)


def row_columns(model: Model) -> tuple[str, ...]:
    """Column names for :meth:`TrainStep.as_row` (e.g. k, w1, b, cost, grad_w1, grad_b)."""
    cols = ("k", *model.names, "cost", *(f"grad_{n}" for n in model.names))
    return (*cols, "accuracy") if model.is_classifier else cols


def _all_finite(v: np.ndarray) -> bool:
    """No inf or nan in the vector ``v`` (a finite sum proves it, and is quicker to get)."""
    return math.isfinite(sum(v.tolist())) or bool(np.isfinite(v).all())


def divergence_limit(start_cost: float) -> float:
    """The cost above which a run that started at ``start_cost`` has diverged."""
    return max(DIVERGE_FACTOR * start_cost, DIVERGE_COST)


def rate_limit(model: Model, X: ArrayLike, batch: str = "full") -> float | None:
    """2/λ_max of the cost's Hessian where it decides convergence exactly: full-batch
    regression (a quadratic cost); None for the classifiers and one example at a time."""
    if not isinstance(model, LinearRegression) or batch != "full":
        return None
    return regression_bound(X).limit


def grew_outcome(k: int, cost: float, learning_rate: float, limit: float | None = None) -> Outcome:
    """The run diverged at step ``k``, whose cost ``cost`` is above the limit (``limit``:
    the bound 2/λ_max α broke, if known)."""
    what = grew("the cost", cost)
    why = rate_too_large(learning_rate, "this data", limit)
    return Outcome(DIVERGED, diverged(k, what, why), k)


def overflow_outcome(
    k: int, learning_rate: float, what: str, limit: float | None = None
) -> Outcome:
    """Step ``k`` could not be computed (``what`` overflowed): the run ends at step k − 1,
    the last that could (at step 0: with nothing shown)."""
    why = rate_too_large(learning_rate, "this data", limit)
    if k == 0:
        return Outcome(DIVERGED, diverged(0, what, why), 0)
    return Outcome(DIVERGED, diverged(k - 1, f"at step {k} {what}", why), k - 1)


def _cost_text(cost: float) -> str:
    return grew("the cost", cost)


def _quiet_runner() -> Callable[..., Any]:
    """``run(f, *args)``: ``f(*args)`` with numpy's floating-point warnings off.

    numpy ≥ 2 keeps its error state in a context variable, so running ``f`` in a private
    context where the warnings are off costs less than entering ``np.errstate`` each time.
    """
    if np.lib.NumpyVersion(np.__version__) < "2.0.0":
        return _run_in_errstate
    context = contextvars.copy_context()
    context.run(np.errstate(all="ignore").__enter__)  # never left: the context is private
    return context.run


def _run_in_errstate(f: Callable[..., Any], *args: Any) -> Any:
    with np.errstate(all="ignore"):
        return f(*args)


def _run(
    model: Model,
    ex: Examples,
    params: np.ndarray,
    settings: TrainSettings,
    k0: int,
    start_cost: float | None,
    stepper: Callable[[], Stepper | None],
) -> Generator[TrainStep, None, Outcome]:
    alpha, tol, single = settings.learning_rate, settings.tol, settings.batch == "single"
    cost_and_gradient = model._cost_and_gradient  # unchecked and not quiet: see below
    forward, X = model.forward, ex.X
    quietly = _quiet_runner()

    def numbers(params: np.ndarray, example: int | None) -> tuple:
        """cost, gradient, accuracy, gradient norm, gradient used, next parameters."""
        cost, gradient, accuracy = cost_and_gradient(params, ex)
        used = gradient if example is None else cost_and_gradient(params, ex.example(example))[1]
        norm = math.sqrt(np.dot(gradient, gradient))
        return cost, gradient, accuracy, norm, used, params - alpha * used

    limit = None if start_cost is None else divergence_limit(start_cost)

    def bound() -> float | None:  # (only asked for when the run diverges)
        return rate_limit(model, X, settings.batch)

    for k in range(k0, k0 + settings.max_steps):
        example = k % ex.m if single else None
        # overflow gives inf or nan (no warning), reported as divergence below
        cost, gradient, accuracy, gradient_norm, used, params_next = quietly(
            numbers, params, example
        )
        if not math.isfinite(cost):
            return overflow_outcome(k, alpha, _cost_text(cost), bound())
        if limit is None:
            limit = divergence_limit(cost)
        # a finite cost means finite forward values (a network reports an overflowed hidden
        # layer as a nan gradient), and a finite norm a finite gradient
        if not (math.isfinite(gradient_norm) and _all_finite(params_next)):
            return overflow_outcome(k, alpha, "the numbers grew too large to compute", bound())
        if gradient_norm < tol:
            return Outcome(CONVERGED, f"converged at step {k}: the gradient is below {tol:g}", k)
        used.setflags(write=False)
        params_next.setflags(write=False)
        if cost > limit and k >= DIVERGE_MIN_STEP:
            # this step is shown, and the run ends with it: said before the next is asked for
            run = stepper()
            if run is not None:
                run.outcome = grew_outcome(k, cost, alpha, bound())
        yield TrainStep(
            k=k,
            params=params,
            cost=cost,
            gradients=used,
            params_next=params_next,
            example=example,
            forward=partial(forward, params, X),
            accuracy=accuracy,
            gradient_norm=gradient_norm,
            learning_rate=alpha,
        )
        params = params_next
    k_end = k0 + settings.max_steps
    return Outcome(
        STEP_LIMIT,
        f"stopped at step {k_end}: reached the limit of {settings.max_steps} steps",
        k_end,
    )


def train(
    model: Model,
    X: ArrayLike,
    y: ArrayLike,
    params0: ArrayLike,
    settings: TrainSettings,
    *,
    k0: int = 0,
    start_cost: float | None = None,
) -> Stepper[TrainStep]:
    """Gradient descent on ``model`` from ``params0``; steps are numbered from ``k0``.

    Ends with CONVERGED when the full-batch gradient's length is below ``settings.tol``,
    STEP_LIMIT after ``settings.max_steps`` steps of this call, or DIVERGED when the numbers
    overflow or, from step :data:`DIVERGE_MIN_STEP` on, the cost exceeds
    :func:`divergence_limit` of ``start_cost`` (the run's first cost; None: the first
    cost of this call). Every yielded value is finite; the step whose cost exceeded the
    limit is yielded, and the outcome is set as it is (the run ends with that step).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    y = np.asarray(y, dtype=float).reshape(-1)
    if X.ndim != 2 or X.shape[1] != model.n_inputs:
        raise ValueError(f"{model!r} needs inputs of shape (m, {model.n_inputs}), got {X.shape}")
    if X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"{X.shape[0]} examples but {y.shape[0]} targets")
    params = np.array(params0, dtype=float).reshape(-1)
    if params.shape[0] != model.n_params:
        raise ValueError(f"expected {model.n_params} parameters, got {params.shape[0]}")
    params.setflags(write=False)
    if start_cost is not None and not math.isfinite(start_cost):
        start_cost = None
    # the run sets the outcome with its last step (a weak reference: no cycle to collect)
    ref: list[weakref.ref[Stepper]] = []
    stepper = Stepper(
        _run(model, model.examples(X, y), params, settings, k0, start_cost, lambda: ref[0]())
    )
    ref.append(weakref.ref(stepper))
    return stepper
