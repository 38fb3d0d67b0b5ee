"""Cost surfaces: every grid value is the model's own cost at that point."""

from __future__ import annotations

import numpy as np
import pytest

from optgui.core.models import LinearRegression, Perceptron
from optgui.core.surfaces import cost_grid


def looped(model, X, y, params, axes, ranges, size):
    """The reference: one call of model.cost per grid point."""
    u, v = np.linspace(*ranges[0], size), np.linspace(*ranges[1], size)
    p = np.array(params, dtype=float)
    J = np.empty((size, size))
    for r, vv in enumerate(v):
        for c, uu in enumerate(u):
            p[axes[0]], p[axes[1]] = uu, vv
            J[r, c] = model.cost(p, X, y)
    return u, v, J


@pytest.mark.parametrize(
    ("model", "params", "axes"),
    [
        (LinearRegression(1), [0.3, -1.0], (0, 1)),
        (LinearRegression(2), [0.3, -0.2, 5.0], (0, 2)),
        (Perceptron(2), [0.5, -0.5, 0.1], (1, 2)),
    ],
)
def test_cost_grid_matches_the_cost_at_each_point(model, params, axes):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(23, model.n_inputs))
    y = (rng.random(23) > 0.5).astype(float) if model.is_classifier else rng.normal(size=23)
    ranges = ((-2.0, 3.0), (-1.5, 4.0))
    u, v, J = cost_grid(model, X, y, params, axes, ranges, size=17)
    u0, v0, J0 = looped(model, X, y, params, axes, ranges, 17)
    assert np.array_equal(u, u0) and np.array_equal(v, v0)
    assert np.allclose(J, J0, rtol=1e-12, atol=1e-12)


def test_cost_grid_marks_overflow_as_nan():
    X = np.array([[1e200], [2e200]])
    _, _, J = cost_grid(
        LinearRegression(1), X, [1.0, 2.0], [0, 0], (0, 1), ((1e200, 2e200), (0, 1)), 4
    )
    assert np.isnan(J).all()


def test_cost_grid_in_chunks_gives_the_same_numbers():
    """Large data sets are evaluated a few grid points at a time (bounded memory)."""
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(300, 1)), rng.normal(size=300)
    whole = cost_grid(LinearRegression(1), X, y, [0, 0], (0, 1), ((-1, 1), (-1, 1)), 9)[2]
    chunks = cost_grid(
        LinearRegression(1), X, y, [0, 0], (0, 1), ((-1, 1), (-1, 1)), 9, budget=1000
    )[2]  # three grid points per chunk
    assert np.array_equal(whole, chunks)
