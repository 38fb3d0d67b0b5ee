"""The second-derivative test: what the Hessian says about a point.

``kind`` describes the local curvature only (from the signs of H's eigenvalues,
as in the curriculum's summary table); ``is_critical`` says whether ∇f = 0
there; ``verdict`` and ``explanation`` combine both in words, so a point that
is still sloping is never called a minimum::

    a = analyze(parse_function("2*x^2 + 3*y^2 - x*y", ["x", "y"]), (0, 0))
    a.char_poly_text, a.eigenvalues, a.verdict   # 'λ² − 10λ + 23', [3.59, 6.41], 'local minimum'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from optgui.core.expr import Function
from optgui.core.iterates import as_point, curvature_kind, fmt
from optgui.core.newton import newton
from optgui.core.stepping import CONVERGED, STEP_LIMIT

__all__ = ["Analysis", "analyze", "find_critical_points"]

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

_VERDICTS = {
    "minimum": "local minimum",
    "maximum": "local maximum",
    "saddle": "saddle point",
    "inconclusive": "inconclusive",
}


@dataclass(frozen=True, eq=False)
class Analysis:
    """The Hessian test at ``point``.

    ``eigenvalues`` ascending with ``eigenvectors`` as columns (``np.linalg.eigh``);
    ``char_poly`` holds the coefficients of det(λI − H), highest power first
    ([1, −trace, det] for 2×2; for even n this equals det(H − λI)).
    ``kind``: "minimum", "maximum", "saddle" or "inconclusive" (curvature only).
    ``verdict``: "local minimum", "local maximum", "saddle point", "inconclusive"
    at a critical point, else "not a critical point".
    """

    point: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    char_poly: np.ndarray
    trace: float
    det: float
    is_critical: bool
    kind: str
    verdict: str
    explanation: str

    @property
    def char_poly_text(self) -> str:
        """The characteristic polynomial in λ, e.g. 'λ² − 10λ + 23'."""
        return _poly_text(self.char_poly)


def analyze(function: Function, point: float | Sequence[float], *, tol: float = 1e-8) -> Analysis:
    """Gradient, Hessian, eigenvalues and the second-derivative test at ``point``.

    The point is critical when |∇f| ≤ tol·max(1, max|λ|): since ∇f ≈ H·(x − x*),
    this is roughly "within tol of where ∇f = 0". Eigenvalues with
    |λ| ≤ tol·max(1, max|λ|) count as zero.
    """
    x = as_point(point, function.n)
    value = function.value(x)
    gradient = function.gradient(x)
    hessian = function.hessian(x)
    finite = np.isfinite(value) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))
    if not finite:
        raise ValueError("f, its gradient or its Hessian is not a finite number at this point")
    hessian = (hessian + hessian.T) / 2 + 0.0  # symmetric, and no "-0"
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    eigenvalues = eigenvalues + 0.0
    scale = max(1.0, float(np.max(np.abs(eigenvalues))))
    is_critical = bool(np.linalg.norm(gradient) <= tol * scale)
    kind = curvature_kind(eigenvalues, tol)
    char_poly = _char_poly(hessian)
    verdict = _VERDICTS[kind] if is_critical else "not a critical point"
    return Analysis(
        point=x,
        value=float(value),
        gradient=gradient,
        hessian=hessian,
        eigenvalues=eigenvalues,
        eigenvectors=eigenvectors,
        char_poly=char_poly,
        trace=float(np.trace(hessian)),
        det=float(char_poly[-1] * (-1) ** len(hessian)) + 0.0,
        is_critical=is_critical,
        kind=kind,
        verdict=verdict,
        explanation=_explain(function.n, kind, is_critical),
    )


def _char_poly(h: np.ndarray) -> np.ndarray:
    """Coefficients of det(λI − H), exact for n ≤ 3 (trace, principal minors, determinant)."""
    n = len(h)
    if n == 1:
        c = [1.0, -h[0, 0]]
    elif n == 2:
        c = [1.0, -(h[0, 0] + h[1, 1]), h[0, 0] * h[1, 1] - h[0, 1] * h[1, 0]]
    elif n == 3:
        minors = sum(h[i, i] * h[j, j] - h[i, j] * h[j, i] for i, j in ((0, 1), (0, 2), (1, 2)))
        det = (
            h[0, 0] * (h[1, 1] * h[2, 2] - h[1, 2] * h[2, 1])
            - h[0, 1] * (h[1, 0] * h[2, 2] - h[1, 2] * h[2, 0])
            + h[0, 2] * (h[1, 0] * h[2, 1] - h[1, 1] * h[2, 0])
        )
        c = [1.0, -np.trace(h), minors, -det]
    else:
        c = np.real(np.poly(h))
    return np.asarray(c, dtype=float) + 0.0


def _explain(n: int, kind: str, is_critical: bool) -> str:
    if n == 1:
        if is_critical:
            return {
                "minimum": (
                    "g'(x) = 0 and g''(x) > 0: concave up (a \"happy face\"), "
                    "so this is a local minimum."
                ),
                "maximum": (
                    "g'(x) = 0 and g''(x) < 0: concave down (a \"sad face\"), "
                    "so this is a local maximum."
                ),
                "inconclusive": (
                    "g'(x) = 0 and g''(x) = 0: the second derivative test needs more "
                    "information (x³ has no extremum at 0, x⁴ has a minimum)."
                ),
            }[kind]
        like = {
            "minimum": "the graph is concave up here (g''(x) > 0), like at a minimum",
            "maximum": "the graph is concave down here (g''(x) < 0), like at a maximum",
            "inconclusive": "g''(x) = 0 here",
        }[kind]
        return f"not a critical point (g'(x) ≠ 0): {like}, but it is still sloping."
    if is_critical:
        return {
            "minimum": (
                "∇f = 0 and every eigenvalue of H is positive: the surface curves up in "
                "every direction, so this is a local minimum."
            ),
            "maximum": (
                "∇f = 0 and every eigenvalue of H is negative: the surface curves down in "
                "every direction, so this is a local maximum."
            ),
            "saddle": (
                "∇f = 0 and H has positive and negative eigenvalues: the surface curves up "
                "in some directions and down in others, so this is a saddle point."
            ),
            "inconclusive": (
                "∇f = 0 but an eigenvalue of H is 0: the second derivative test needs more "
                "information (look at the surface or at higher derivatives)."
            ),
        }[kind]
    like = {
        "minimum": "the surface curves up in every direction here, like a minimum would",
        "maximum": "the surface curves down in every direction here, like a maximum would",
        "saddle": "the surface curves up in some directions and down in others, like a saddle",
        "inconclusive": "the surface is flat in some direction here (an eigenvalue of H is 0)",
    }[kind]
    return f"not a critical point (∇f ≠ 0): {like}, but it is still sloping."


def _poly_text(coefficients: np.ndarray) -> str:
    degree = len(coefficients) - 1
    terms: list[str] = []
    for i, c in enumerate(coefficients):
        power = degree - i
        if c == 0:
            continue
        magnitude = abs(float(c))
        number = fmt(magnitude)
        if power == 0:
            body = number
        else:
            lam = "λ" if power == 1 else "λ" + str(power).translate(_SUPERSCRIPTS)
            body = lam if number == "1" else number + lam
        sign = "−" if c < 0 else "+"
        if not terms:
            terms.append(("−" if c < 0 else "") + body)
        else:
            terms.append(f"{sign} {body}")
    return " ".join(terms) if terms else "0"


def find_critical_points(
    function: Function,
    bounds: Sequence[tuple[float, float]],
    *,
    grid: int = 9,
    tol: float = 1e-8,
) -> list[Analysis]:
    """Critical points inside ``bounds`` ((xmin, xmax), (ymin, ymax), …), found by Newton.

    Newton runs from a ``grid``-per-axis lattice of starts; points where it ends
    inside the bounds with ∇f = 0 (to ``tol``) are kept, points closer than
    1e-6 of the window's size merged, and the list sorted by coordinates.
    """
    n = function.n
    box = np.array(bounds, dtype=float).reshape(n, 2)
    if not np.all(box[:, 1] > box[:, 0]):
        raise ValueError("each bound needs min < max")
    width = float(np.max(box[:, 1] - box[:, 0]))
    merge = 1e-6 * width
    slack = 1e-9 * width
    axes = [np.linspace(lo, hi, max(grid, 1)) for lo, hi in box]
    found: list[Analysis] = []
    for start in itertools.product(*axes):
        run = newton(function, np.array(start), max_steps=100)
        steps = list(run)
        if not steps or run.outcome is None or run.outcome.status not in (CONVERGED, STEP_LIMIT):
            continue
        x = steps[-1].x_next
        if np.any(x < box[:, 0] - slack) or np.any(x > box[:, 1] + slack):
            continue
        if any(np.max(np.abs(a.point - x)) <= merge for a in found):
            continue
        if function.domain_violation(x) is not None:
            continue
        try:
            analysis = analyze(function, x, tol=tol)
        except ValueError:
            continue
        if analysis.is_critical:
            found.append(analysis)
    found.sort(key=lambda a: tuple(a.point))
    return found
