"""The step record shared by Newton's method and gradient descent, and helpers both use."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from optgui.core.divergence import diverged, grew
from optgui.core.format import fmt
from optgui.core.stepping import CONVERGED, DIVERGED, DOMAIN, STEP_LIMIT, Outcome

if TYPE_CHECKING:
    from optgui.core.expr import Function

#: A run stops as diverged once any coordinate is larger than this.
MAX_COORDINATE = 1e12


def _frozen(a: Any) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Step:
    """One iteration: at ``x`` (the iterate x_k) the method takes the step ``s``.

    ``x_next = x - s``. For Newton ``s`` solves (H + τI)·s = ∇f (τ = ``damping``);
    for gradient descent ``s = α·∇f`` (α = ``learning_rate``) and ``hessian`` is None.
    Arrays are read-only; every number is finite.
    """

    k: int
    x: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray | None
    s: np.ndarray
    x_next: np.ndarray
    eigenvalues: np.ndarray | None = None
    damping: float = 0.0
    learning_rate: float | None = None
    method: str = "newton"

    def __post_init__(self) -> None:
        for name in ("x", "gradient", "s", "x_next"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        for name in ("hessian", "eigenvalues"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "value", float(self.value))

    @classmethod
    def newton_1d(
        cls,
        k: int,
        x: float,
        value: float,
        g: float,
        h: float,
        s: float,
        x_next: float,
        damping: float,
    ) -> Step:
        """``Step(k, [x], value, [g], [[h]], [s], [x_next], [h], damping)`` from finite floats.

        The same record, built faster: its arrays are read-only views of one buffer.
        """
        buffer = np.array((x, g, h, s, x_next))
        buffer.setflags(write=False)
        step = object.__new__(cls)
        vars(step).update(
            k=k,
            x=buffer[0:1],
            value=value,
            gradient=buffer[1:2],
            hessian=buffer[2:3].reshape(1, 1),
            s=buffer[3:4],
            x_next=buffer[4:5],
            eigenvalues=buffer[2:3],
            damping=damping,
            learning_rate=None,
            method="newton",
        )
        return step

    @property
    def gradient_norm(self) -> float:
        """|∇f(x_k)|."""
        return norm(self.gradient)

    @property
    def step_norm(self) -> float:
        """|s|, the length of the step."""
        return norm(self.s)

    def as_row(self) -> np.ndarray:
        """Flat floats: k, x…, value, gradient…, [hessian row by row…], s…, x_next…

        The Hessian entries are present only when ``hessian`` is not None; name
        the columns with ``row_columns(variables, hessian=step.hessian is not None)``.
        """
        parts = [[float(self.k)], self.x, [self.value], self.gradient]
        if self.hessian is not None:
            parts.append(self.hessian.ravel())
        parts += [self.s, self.x_next]
        return np.concatenate([np.asarray(p, dtype=float) for p in parts])

    @staticmethod
    def row_columns(variables: Sequence[str], *, hessian: bool = True) -> list[str]:
        """Column names matching :meth:`as_row`."""
        return row_columns(variables, hessian=hessian)


def row_columns(variables: Sequence[str], *, hessian: bool = True) -> list[str]:
    """Column names for :meth:`Step.as_row`, e.g. k, x, y, f, df/dx, …, d2f/dxdy, …, s_x, …"""
    v = list(variables)
    cols = ["k", *v, "f", *(f"df/d{a}" for a in v)]
    if hessian:
        cols += [f"d2f/d{a}d{b}" for a in v for b in v]
    cols += [f"s_{a}" for a in v]
    cols += [f"{a}_next" for a in v]
    return cols


def norm(a: np.ndarray) -> float:
    """``np.linalg.norm(a)`` of a vector, with no warning when its square overflows."""
    if len(a) == 1:
        v = a.item()
        return math.sqrt(v * v)  # the same bits: one product, one rounded square root
    if max(map(abs, a.tolist())) < 1e150:  # (cheaper than np.errstate)
        return float(np.linalg.norm(a))
    with np.errstate(over="ignore"):
        return float(np.linalg.norm(a))


def is_finite(v: Any) -> bool:
    """``np.isfinite(v)`` of one number; math's test, 10× faster, for a float."""
    return math.isfinite(v) if type(v) is float else bool(np.isfinite(v))


def as_point(x0: float | Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """A start point as a float array of shape (n,); a number is accepted when n == 1."""
    x = np.array(x0, dtype=float)
    if x.ndim == 0:
        x = x.reshape(1)
    if x.shape != (n,):
        raise ValueError(f"the start point needs {n} coordinate(s), got shape {x.shape}")
    if not (math.isfinite(sum(x.tolist())) or np.all(np.isfinite(x))):
        raise ValueError("the start point must be finite numbers")
    return x


def fmt_point(x: np.ndarray, variables: Sequence[str]) -> str:
    """'x = 0.5' in one variable, '(0, 0)' in several."""
    if len(x) == 1:
        return f"{variables[0]} = {fmt(x[0])}"
    return "(" + ", ".join(fmt(v) for v in x) + ")"


def nonfinite_word(a: Any) -> str:
    """'inf', '-inf' or 'nan': the first bad entry of ``a``, for messages."""
    flat = np.atleast_1d(np.asarray(a, dtype=float)).ravel()
    for v in flat:
        if not np.isfinite(v):
            return "not a number (nan)" if np.isnan(v) else ("inf" if v > 0 else "-inf")
    return "finite"


def domain_message(violation: Any, k: int) -> str:
    """'left the domain of log at step 3: log needs a positive number, got -0.2'."""
    if violation.name in ("log", "ln", "sqrt"):
        return f"left the domain of {violation.name} at step {k}: {violation.reason}"
    return f"left the domain at step {k}: {violation.reason}"


def curvature_kind(eigenvalues: np.ndarray, tol: float = 1e-8) -> str:
    """'minimum', 'maximum', 'saddle' or 'inconclusive' from the signs of H's eigenvalues.

    An eigenvalue counts as zero when ``|λ| <= tol·max(1, max|λ|)``. Eigenvalues of
    both signs make a saddle even if another is zero.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    zero = tol * max(1.0, float(np.max(np.abs(lam)))) if lam.size else tol
    pos = bool(np.any(lam > zero))
    neg = bool(np.any(lam < -zero))
    if pos and neg:
        return "saddle"
    if np.any(np.abs(lam) <= zero):
        return "inconclusive"
    return "minimum" if pos else "maximum"


def check_settings(max_steps: int, tol: float) -> None:
    """Reject settings no run can use."""
    if max_steps < 0:
        raise ValueError("max_steps must be ≥ 0")
    if not (is_finite(tol) and tol >= 0):
        raise ValueError("tol must be a number ≥ 0")


def names(function: Function) -> tuple[str, str, str]:
    """How messages call the value, gradient and Hessian: g, g', g'' in one variable."""
    if function.n == 1:
        return "g(x)", "g'(x)", "g''(x)"
    return "f", "∇f", "H"


def start_outcome(function: Function, x: np.ndarray, k: int) -> Outcome | None:
    """DOMAIN when the start point is outside the function's domain."""
    violation = function.domain_violation(x)
    if violation is None:
        return None
    where = fmt_point(x, function.variables)
    return Outcome(DOMAIN, f"the start {where} is outside the domain: {violation.reason}", k)


def bad_values(
    function: Function,
    x: np.ndarray,
    k: int,
    value: float,
    gradient: np.ndarray,
    hessian: np.ndarray | None = None,
    why: str = "",
) -> Outcome | None:
    """An Outcome when f, ∇f or H at x_k is not a finite number, else None (``why``: the
    reason a divergence is given, see :mod:`optgui.core.divergence`)."""
    f_name, g_name, h_name = names(function)
    if not np.isfinite(value):
        return Outcome(DIVERGED, diverged(k, grew(f_name, value), why), k)
    for name, a in ((g_name, gradient), (h_name, hessian)):
        if a is not None and not np.all(np.isfinite(a)):
            if abs(value) > 1e300:
                return Outcome(DIVERGED, diverged(k, grew(name, _first_bad(a)), why), k)
            return Outcome(
                DOMAIN,
                f"left the domain at step {k}: {name} is not defined at"
                f" {fmt_point(x, function.variables)} ({nonfinite_word(a)})",
                k,
            )
    return None


def _first_bad(a: Any) -> float:
    flat = np.atleast_1d(np.asarray(a, dtype=float)).ravel()
    return float(flat[~np.isfinite(flat)][0])


def after_step(
    function: Function, step: Step, converged: str | None, *, why: str = ""
) -> Outcome | None:
    """The Outcome once ``step`` has been yielded: converged, out of domain, too far, or None."""
    k = step.k
    if converged is not None:
        return Outcome(CONVERGED, f"converged at step {k}: {converged}", k)
    violation = function.domain_violation(step.x_next)
    if violation is not None:
        return Outcome(DOMAIN, domain_message(violation, k), k)
    x_next = step.x_next
    size = abs(x_next.item()) if len(x_next) == 1 else float(np.max(np.abs(x_next)))
    if size > MAX_COORDINATE:
        return Outcome(DIVERGED, diverged(k, grew("|x|", size), why), k)
    return None


def step_limit(function: Function, last: Step | None, k: int, max_steps: int) -> Outcome:
    """STEP_LIMIT after ``max_steps`` steps, with how far from converged the last point was."""
    _, g_name, _ = names(function)
    detail = ""
    if last is not None:
        detail = f" (last step: |{g_name}| = {last.gradient_norm:.2g}, |s| = {last.step_norm:.2g})"
    return Outcome(
        STEP_LIMIT, f"step limit reached: {max_steps} steps without converging{detail}", k
    )
