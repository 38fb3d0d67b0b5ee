"""Gradient-descent training of the models, one frozen :class:`TrainStep` per update.

::

    run = train(model, X, y, model.initial_params(), TrainSettings(learning_rate=1.2))
    for step in run: ...
    run.outcome.message   # "converged at step 412: the gradient is below 1e-08"

To change a setting mid-run, start a new run where the old one stopped:
``train(model, X, y, step.params_next, new_settings, k0=step.k + 1)``.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from optgui.core.divergence import diverged, grew, rate_too_large
from optgui.core.models import Examples, Forward, Model
from optgui.core.stepping import CONVERGED, DIVERGED, STEP_LIMIT, Outcome, Stepper

#: A run diverges when its cost exceeds max(DIVERGE_FACTOR × initial cost, DIVERGE_COST).
DIVERGE_FACTOR = 1e6
DIVERGE_COST = 1e12


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


def _diverged(k: int, what: str, alpha: float) -> Outcome:
    return Outcome(DIVERGED, diverged(k, what, rate_too_large(alpha, "this data")), k)


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
    model: Model, ex: Examples, params: np.ndarray, settings: TrainSettings, k0: int
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

    limit: float | None = None
    for k in range(k0, k0 + settings.max_steps):
        example = k % ex.m if single else None
        # overflow gives inf or nan (no warning), reported as divergence below
        cost, gradient, accuracy, gradient_norm, used, params_next = quietly(
            numbers, params, example
        )
        if limit is None and math.isfinite(cost):
            limit = max(DIVERGE_FACTOR * cost, DIVERGE_COST)
        if not math.isfinite(cost) or (limit is not None and cost > limit):
            return _diverged(k, _cost_text(cost), alpha)
        # a finite cost means finite forward values (a network reports an overflowed hidden
        # layer as a nan gradient), and a finite norm a finite gradient
        if not math.isfinite(gradient_norm):
            return _diverged(k, "the numbers grew too large to compute", alpha)
        if gradient_norm < tol:
            return Outcome(CONVERGED, f"converged at step {k}: the gradient is below {tol:g}", k)
        if not _all_finite(params_next):
            return _diverged(k, "the parameters grew too large to compute", alpha)
        used.setflags(write=False)
        params_next.setflags(write=False)
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
) -> Stepper[TrainStep]:
    """Gradient descent on ``model`` from ``params0``; steps are numbered from ``k0``.

    Ends with CONVERGED when the full-batch gradient's length is below ``settings.tol``,
    STEP_LIMIT after ``settings.max_steps`` steps of this call, or DIVERGED when the cost
    is not finite or exceeds max(1e6 × its first value, 1e12). Every yielded value is finite.
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
    return Stepper(_run(model, model.examples(X, y), params, settings, k0))
