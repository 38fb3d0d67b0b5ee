"""Gradient descent: x_{k+1} = x_k − α·∇f(x_k).

Records are the same :class:`~optgui.core.iterates.Step` as Newton's, with
``s = α·∇f``, ``hessian`` None and ``learning_rate`` α. The run converges at
step k when |∇f(x_k)| < tol (the step length α·|∇f| would depend on α).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

import numpy as np

from optgui.core.divergence import diverged, grew, rate_too_large
from optgui.core.expr import Function
from optgui.core.iterates import (
    Step,
    after_step,
    as_point,
    bad_values,
    check_settings,
    names,
    start_outcome,
    step_limit,
)
from optgui.core.stepping import DIVERGED, Outcome, Stepper

__all__ = ["gradient_descent"]


def gradient_descent(
    function: Function,
    x0: float | Sequence[float] | np.ndarray,
    *,
    learning_rate: float,
    max_steps: int = 1000,
    tol: float = 1e-12,
    k0: int = 0,
) -> Stepper[Step]:
    """Gradient descent on ``function`` from ``x0`` with step size α = ``learning_rate``.

    Steps are numbered from ``k0``; resume with
    ``gradient_descent(f, step.x_next, learning_rate=α, k0=step.k + 1)``.
    """
    x = as_point(x0, function.n)
    check_settings(max_steps, tol)
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError("the learning rate must be a number > 0")
    return Stepper(_descent(function, x, float(learning_rate), max_steps, tol, k0))


def _descent(
    function: Function, x: np.ndarray, alpha: float, max_steps: int, tol: float, k0: int
) -> Generator[Step, None, Outcome]:
    k = k0
    start = start_outcome(function, x, k)
    if start is not None:
        return start
    _, g_name, _ = names(function)
    last: Step | None = None
    why = rate_too_large(alpha)  # (if it diverges)
    for _ in range(max_steps):
        value = function.value(x)
        gradient = function.gradient(x)
        bad = bad_values(function, x, k, value, gradient, why=why)
        if bad is not None:
            return bad
        with np.errstate(all="ignore"):
            s = alpha * gradient
            x_next = x - s
        if not (np.all(np.isfinite(s)) and np.all(np.isfinite(x_next))):
            return Outcome(DIVERGED, diverged(k, grew("the next point", np.inf), why), k)
        step = Step(
            k, x, value, gradient, None, s, x_next, learning_rate=alpha, method="gradient descent"
        )
        yield step
        last = step
        gnorm = step.gradient_norm
        converged = f"|{g_name}| = {gnorm:.2g} < {tol:g}." if gnorm < tol else None
        outcome = after_step(function, step, converged, why=why)
        if outcome is not None:
            return outcome
        x = x_next
        k += 1
    return step_limit(function, last, k, max_steps)
