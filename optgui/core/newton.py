"""Newton's method for optimisation: find a zero of the gradient.

One variable: x_{k+1} = x_k − g'(x_k)/g''(x_k). Several: solve H·s = ∇f and
set x_{k+1} = x_k − s (H⁻¹ is never formed). Each iteration yields a
:class:`~optgui.core.iterates.Step`; the run returns an
:class:`~optgui.core.stepping.Outcome`.

Convergence: the run stops after yielding step k when that Newton step is
tiny, |s_k| ≤ tol·max(1, |x_k|). Near a solution Newton's step is about the
distance to it, so "converged at step k" means x_k is the answer to within
tol, and the last record's ``x_next`` is one more, even better, iterate. A
test on |∇f| alone would report false convergence where the function merely
flattens out (e^x walking to −∞). For the curriculum's 2-D example from (4, 4)
the run converges at k = 8, x_8 = (4.2e-17, -2.1e-17): the slides' "needed
k = 8 steps"; from x0 = 1.6 for e^x − ln x at k = 5 (|s_5| = 7.8e-14), whose
x_next is the notebook's last iterate 0.5671432904097838.

In one variable a step runs on Python floats (:meth:`Function.derivative_floats`);
wherever that path declines (inf, nan, a domain error, g'' = 0) the numpy path
takes the step, so the numbers and messages are the same either way.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence

import numpy as np

from optgui.core.divergence import NEWTON_RUNS_AWAY as RUNS_AWAY
from optgui.core.divergence import diverged, grew
from optgui.core.expr import Function
from optgui.core.iterates import (
    Step,
    after_step,
    as_point,
    bad_values,
    check_settings,
    curvature_kind,
    fmt,
    fmt_point,
    is_finite,
    names,
    norm,
    start_outcome,
    step_limit,
)
from optgui.core.stepping import DIVERGED, SINGULAR, Outcome, Stepper

#: Hessians with a larger condition number count as singular.
MAX_CONDITION = 1e14

__all__ = ["MAX_CONDITION", "Step", "newton"]


def newton(
    function: Function,
    x0: float | Sequence[float] | np.ndarray,
    *,
    max_steps: int = 50,
    tol: float = 1e-12,
    k0: int = 0,
    damping: float = 0.0,
) -> Stepper[Step]:
    """Newton's method on ``function`` from ``x0``; steps are numbered from ``k0``.

    ``damping`` τ ≥ 0 solves (H + τI)·s = ∇f instead (modified Newton). Resume a
    run with ``newton(f, step.x_next, k0=step.k + 1)``.
    """
    x = as_point(x0, function.n)
    check_settings(max_steps, tol)
    if not (is_finite(damping) and damping >= 0):
        raise ValueError("damping must be a number ≥ 0")
    return Stepper(_newton(function, x, max_steps, tol, k0, float(damping)))


def _curvature_note(function: Function, eigenvalues: np.ndarray) -> str:
    kind = curvature_kind(eigenvalues)
    if function.n == 1:
        h = fmt(eigenvalues[0])
        return {
            "minimum": f" g''(x) = {h} > 0: a local minimum.",
            "maximum": f" g''(x) = {h} < 0: a local maximum, not a minimum.",
            "saddle": "",
            "inconclusive": f" g''(x) = {h}: the second derivative cannot tell what kind.",
        }[kind]
    return {
        "minimum": " All eigenvalues of H are positive: a local minimum.",
        "maximum": " All eigenvalues of H are negative: a local maximum, not a minimum.",
        "saddle": " H has eigenvalues of both signs: a saddle point, not a minimum.",
        "inconclusive": " An eigenvalue of H is 0: the Hessian cannot tell what kind of point.",
    }[kind]


def _singular(
    function: Function,
    x: np.ndarray,
    matrix: np.ndarray,
    gradient: np.ndarray,
    tol: float,
    damping: float,
) -> str | None:
    if function.n == 1:
        if matrix[0, 0] != 0:
            return None
        what = "second derivative" if damping == 0 else "g''(x) + τ"
        note = ""
        if norm(gradient) < max(tol, 1e-300):
            note = " (g'(x) is 0 too: a critical point the second derivative cannot classify)"
        where = fmt_point(x, function.variables)
        return f"{what} is zero at {where}: the Newton step is undefined{note}"
    with np.errstate(all="ignore"):
        cond = float(np.linalg.cond(matrix))
    if np.isfinite(cond) and cond <= MAX_CONDITION:
        return None
    what, eq = ("Hessian", "H·s = ∇f") if damping == 0 else ("H + τI", "(H + τI)·s = ∇f")
    where = fmt_point(x, function.variables)
    if np.isfinite(cond) and np.linalg.matrix_rank(matrix) == len(matrix):
        return (
            f"{what} is nearly singular at {where} (condition number {cond:.1e}):"
            f" cannot solve {eq} reliably"
        )
    return f"{what} is singular at {where}: cannot solve {eq}"


def _newton(
    function: Function,
    x: np.ndarray,
    max_steps: int,
    tol: float,
    k0: int,
    damping: float,
) -> Generator[Step, None, Outcome]:
    k = k0
    start = start_outcome(function, x, k)
    if start is not None:
        return start
    _, g_name, _ = names(function)
    last: Step | None = None
    for _ in range(max_steps):
        step = _step_1d(function, x, k, damping) if function.n == 1 else None
        if step is None:
            step = _step(function, x, k, tol, damping)
            if isinstance(step, Outcome):
                return step
        yield step
        last = step
        outcome = after_step(
            function, step, _converged(function, step, tol, g_name), why=RUNS_AWAY
        )
        if outcome is not None:
            return outcome
        x = step.x_next
        k += 1
    return step_limit(function, last, k, max_steps)


def _step_1d(function: Function, x: np.ndarray, k: int, damping: float) -> Step | None:
    """The step at x in one variable from floats; None where :func:`_step` must decide."""
    coords = x.tolist()
    values = function.derivative_floats(coords)
    if values is None:
        return None
    value, g, h = values
    m = h + damping
    if m == 0:
        return None
    s = g / m
    x_next = coords[0] - s
    if not (math.isfinite(s) and math.isfinite(x_next)):
        return None
    return Step.newton_1d(k, coords[0], value, g, h, s, x_next, damping)


def _step(function: Function, x: np.ndarray, k: int, tol: float, damping: float) -> Step | Outcome:
    """The Newton step at x, or the Outcome that ends the run there."""
    value, gradient, hessian = function.derivatives(x)
    bad = bad_values(function, x, k, value, gradient, hessian, why=RUNS_AWAY)
    if bad is not None:
        return bad
    n = function.n
    matrix = hessian + damping * np.eye(n)
    singular = _singular(function, x, matrix, gradient, tol, damping)
    if singular is not None:
        return Outcome(SINGULAR, singular, k)
    with np.errstate(all="ignore"):
        s = gradient / matrix[0, 0] if n == 1 else np.linalg.solve(matrix, gradient)
        x_next = x - s
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(x_next))):
        return Outcome(DIVERGED, diverged(k, grew("the next point", np.inf), RUNS_AWAY), k)
    eigenvalues = np.linalg.eigvalsh(hessian)
    return Step(k, x, value, gradient, hessian, s, x_next, eigenvalues, damping)


def _converged(function: Function, step: Step, tol: float, g_name: str) -> str | None:
    """Why the run has converged after ``step``, or None."""
    snorm = step.step_norm
    if snorm > tol * max(1.0, norm(step.x)):
        return None
    gnorm = step.gradient_norm
    return (
        f"the Newton step |s| = {snorm:.2g} is below {tol:g} (|{g_name}| = {gnorm:.2g})."
        + _curvature_note(function, step.eigenvalues)
    )
