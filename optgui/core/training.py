"""Gradient-descent training of the models, one frozen :class:`TrainStep` per update.

::

    run = train(model, X, y, model.initial_params(), TrainSettings(learning_rate=1.2))
    for step in run: ...
    run.outcome.message   # "converged at step 412: the gradient is below 1e-08"

To change a setting mid-run, start a new run where the old one stopped:
``train(model, X, y, step.params_next, new_settings, k0=step.k + 1)``.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from optgui.core.models import Forward, Model
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


@dataclass(frozen=True, eq=False)
class TrainStep:
    """One update ``params_next = params − learning_rate · gradients``.

    ``cost``, ``forward``, ``accuracy`` (None for regression) and ``gradient_norm`` (of the
    full-batch gradient) describe the whole data set at ``params``. ``gradients`` is the
    gradient used: the batch mean, or example ``example``'s own gradient in single mode.
    """

    k: int
    params: np.ndarray
    cost: float
    gradients: np.ndarray
    params_next: np.ndarray
    example: int | None
    forward: Forward
    accuracy: float | None
    gradient_norm: float
    learning_rate: float

    def as_row(self) -> tuple[float, ...]:
        """k, params…, cost, gradients…, [accuracy]: matches :func:`row_columns`."""
        row = (float(self.k), *map(float, self.params), self.cost, *map(float, self.gradients))
        return row if self.accuracy is None else (*row, self.accuracy)


def row_columns(model: Model) -> tuple[str, ...]:
    """Column names for :meth:`TrainStep.as_row` (e.g. k, w1, b, cost, grad_w1, grad_b)."""
    cols = ("k", *model.names, "cost", *(f"grad_{n}" for n in model.names))
    return (*cols, "accuracy") if model.is_classifier else cols


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _finite_forward(fwd: Forward) -> bool:
    return all(bool(np.all(np.isfinite(a))) for a in fwd.arrays().values())


def _diverged(k: int, what: str) -> Outcome:
    return Outcome(DIVERGED, f"diverged at step {k}: {what} — try a smaller learning rate", k)


def _cost_text(cost: float) -> str:
    if math.isnan(cost):
        return "the cost is not a number (nan)"
    return f"the cost is {cost:.3g}"


def _run(
    model: Model,
    X: np.ndarray,
    y: np.ndarray,
    params: np.ndarray,
    settings: TrainSettings,
    k0: int,
) -> Generator[TrainStep, None, Outcome]:
    m = X.shape[0]
    alpha = settings.learning_rate
    limit: float | None = None
    for k in range(k0, k0 + settings.max_steps):
        with np.errstate(all="ignore"):
            fwd, cost, rows = model.evaluate(params, X, y)
            full = rows.mean(axis=0)
            grad_norm = float(np.linalg.norm(full))
        if limit is None and math.isfinite(cost):
            limit = max(DIVERGE_FACTOR * cost, DIVERGE_COST)
        if not math.isfinite(cost) or (limit is not None and cost > limit):
            return _diverged(k, _cost_text(cost))
        if not (math.isfinite(grad_norm) and _finite_forward(fwd)):
            return _diverged(k, "the numbers grew too large to compute")
        if grad_norm < settings.tol:
            return Outcome(
                CONVERGED, f"converged at step {k}: the gradient is below {settings.tol:g}", k
            )
        if settings.batch == "single":
            example: int | None = k % m
            g = rows[example]
        else:
            example = None
            g = full
        with np.errstate(all="ignore"):
            params_next = params - alpha * g
        if not np.all(np.isfinite(params_next)):
            return _diverged(k, "the parameters grew too large to compute")
        params_next = _frozen(params_next)
        accuracy = None
        if model.is_classifier:
            accuracy = float(np.mean((fwd.yhat >= 0.5) == (y >= 0.5)))
        yield TrainStep(
            k=k,
            params=params,
            cost=cost,
            gradients=_frozen(g),
            params_next=params_next,
            example=example,
            forward=fwd,
            accuracy=accuracy,
            gradient_norm=grad_norm,
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
    params = _frozen(np.asarray(params0, dtype=float).reshape(-1))
    if params.shape[0] != model.n_params:
        raise ValueError(f"expected {model.n_params} parameters, got {params.shape[0]}")
    return Stepper(_run(model, X, y, params, settings, k0))
