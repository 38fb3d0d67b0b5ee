"""How large a gradient-descent step may be: the bound 2/λ_max of a Hessian.

On a quadratic J(θ) = J* + ½(θ − θ*)ᵀH(θ − θ*) a step θ ← θ − α∇J multiplies the offset
along each eigenvector of H by 1 − αλ. Every factor is below 1 in size, and the run
converges, exactly when 0 < α < 2/λ_max (H positive definite). The regression cost is
such a quadratic, with H = AᵀA/m (A = [X 1], J = mean of ½(y − ŷ)²)::

    bound = rate_bound(regression_hessian(X))
    bound.limit            # 2/λ_max: α must stay below it
    bound.zone(0.9)        # "falls", "zigzags" or "diverges"

For any other function the same bound from H(x_k) is local: it says whether a step of
size α overshoots along the steepest-curved direction at x_k.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

#: α at most 1/λ_max: every factor 1 − αλ lies in [0, 1), the run slides straight in.
FALLS = "falls"
#: 1/λ_max < α < 2/λ_max: along the steepest direction the factor is negative; the run
#: overshoots from side to side but still converges (and the cost still falls).
ZIGZAGS = "zigzags"
#: α ≥ 2/λ_max: the factor along the steepest direction is −1 or less: the run diverges.
DIVERGES = "diverges"


@dataclass(frozen=True)
class RateBound:
    """The eigenvalues of a symmetric H (largest first) and what they allow α to be.

    ``limit`` is 2/λ_max, or None when λ_max ≤ 0 (no positive curvature: no bound).
    ``positive_definite``: every eigenvalue is above 0 (then the bound is also enough
    for convergence; otherwise some direction never settles for any α).
    """

    eigenvalues: tuple[float, ...]

    @property
    def largest(self) -> float:
        """λ_max."""
        return self.eigenvalues[0]

    @property
    def smallest(self) -> float:
        return self.eigenvalues[-1]

    @property
    def positive_definite(self) -> bool:
        return self.smallest > 0

    @property
    def limit(self) -> float | None:
        """2/λ_max (None if λ_max ≤ 0)."""
        return 2.0 / self.largest if self.largest > 0 else None

    def zone(self, learning_rate: float) -> str:
        """:data:`FALLS`, :data:`ZIGZAGS` or :data:`DIVERGES` for this α (along the
        positively curved directions; with no bound: FALLS)."""
        return FALLS if self.limit is None else zone(learning_rate, self.limit)

    def converges(self, learning_rate: float) -> bool:
        """Whether gradient descent with this α converges on the quadratic with this H."""
        limit = self.limit
        return self.positive_definite and limit is not None and 0 < learning_rate < limit


def zone(learning_rate: float, limit: float) -> str:
    """Where α lies against the bound ``limit`` = 2/λ_max: FALLS up to limit/2 (1/λ_max),
    ZIGZAGS below the limit, DIVERGES from it on."""
    if learning_rate >= limit * (1 - 1e-12):  # (at the bound but for round-off: no descent)
        return DIVERGES
    return ZIGZAGS if learning_rate > limit / 2 * (1 + 1e-12) else FALLS


def advised_rate(limit: float) -> float:
    """A safe α under the bound: half of it (1/λ_max: no zigzag), rounded down to two
    significant digits (2 → 1, 4.2857e−7 → 2.1e−7)."""
    half = limit / 2
    scale = 10.0 ** (math.floor(math.log10(half)) - 1)
    return float(f"{math.floor(half / scale * (1 + 1e-12)) * scale:.2g}")


def rate_bound(hessian: ArrayLike) -> RateBound:
    """The bound of a symmetric matrix ``hessian`` (its eigenvalues by ``eigvalsh``)."""
    h = np.asarray(hessian, dtype=float)
    values = np.linalg.eigvalsh((h + h.T) / 2)[::-1]
    return RateBound(tuple(float(v) for v in values))


def regression_hessian(X: ArrayLike) -> np.ndarray:
    """The Hessian of J = mean ½(y − ŷ)² for ŷ = w·x + b in (w…, b): AᵀA/m, A = [X 1]."""
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    A = np.column_stack([X, np.ones(len(X))])
    return A.T @ A / len(X)


def regression_bound(X: ArrayLike) -> RateBound:
    """The bound of full-batch gradient descent on the regression cost over inputs ``X``."""
    return rate_bound(regression_hessian(X))
