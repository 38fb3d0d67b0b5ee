"""Grids for the pictures: a model's cost over two of its parameters, and the
least-squares optimum of linear regression (a reference the path heads to)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from optgui.core.models import Model


def cost_grid(
    model: Model,
    X: ArrayLike,
    y: ArrayLike,
    params: ArrayLike,
    axes: tuple[int, int],
    ranges: tuple[tuple[float, float], tuple[float, float]],
    size: int = 80,
    *,
    budget: int = 2_000_000,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cost J over a ``size``×``size`` grid of two parameters, the others held at ``params``.

    Returns (values along the first axis, values along the second, J with shape
    (size, size), rows following the second parameter). Non-finite costs are NaN.
    Grid points are evaluated in chunks of about ``budget`` (point, example) pairs,
    so a data set of a million rows needs tens of megabytes, not gigabytes.
    """
    i, j = axes
    u = np.linspace(*ranges[0], size)
    v = np.linspace(*ranges[1], size)
    U, V = np.meshgrid(u, v)  # rows follow the second parameter
    rows = np.tile(np.asarray(params, dtype=float), (size * size, 1))
    rows[:, i], rows[:, j] = U.ravel(), V.ravel()
    chunk = max(1, budget // max(1, len(np.asarray(y))))
    with np.errstate(all="ignore"):
        J = np.concatenate(
            [model.costs(rows[s : s + chunk], X, y) for s in range(0, len(rows), chunk)]
        ).reshape(size, size)
    J[~np.isfinite(J)] = np.nan
    return u, v, J


def least_squares(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Parameters (w…, b) that minimise the squared error: where gradient descent heads."""
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    A = np.hstack([X, np.ones((len(X), 1))])
    solution, *_ = np.linalg.lstsq(A, np.asarray(y, dtype=float), rcond=None)
    return solution


def line_in_box(
    w: ArrayLike, b: float, lo: ArrayLike, hi: ArrayLike
) -> tuple[np.ndarray, np.ndarray] | None:
    """The segment of the line w1·x1 + w2·x2 + b = 0 inside the box [lo, hi].

    For a perceptron this is the decision boundary σ(z) = 0.5 (z = 0). Returns
    (x1 values, x2 values) of its two ends, or None if the line misses the box.
    """
    w1, w2 = (float(v) for v in np.asarray(w, dtype=float)[:2])
    (x_lo, y_lo), (x_hi, y_hi) = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    points = []
    if abs(w2) > 1e-300:
        for x in (x_lo, x_hi):
            y = -(w1 * x + b) / w2
            if y_lo <= y <= y_hi:
                points.append((x, y))
    if abs(w1) > 1e-300:
        for y in (y_lo, y_hi):
            x = -(w2 * y + b) / w1
            if x_lo <= x <= x_hi:
                points.append((x, y))
    points = sorted(set(points))
    if len(points) < 2:
        return None
    (xa, ya), (xb, yb) = points[0], points[-1]
    return np.array([xa, xb]), np.array([ya, yb])
