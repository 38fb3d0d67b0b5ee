"""Gradient descent: the course notebook's numbers and how a run ends."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from optgui.core.descent import gradient_descent
from optgui.core.expr import parse_function
from optgui.core.iterates import row_columns
from optgui.core.stepping import CONVERGED, DIVERGED, DOMAIN, STEP_LIMIT

XY = ["x", "y"]
NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def run_all(run):
    steps = list(run)
    for step in steps:
        assert np.isfinite(step.value)
        assert np.all(np.isfinite(step.x_next)) and np.all(np.isfinite(step.gradient))
        assert step.hessian is None and step.eigenvalues is None
        np.testing.assert_allclose(step.s, step.learning_rate * step.gradient)
    return steps, run.outcome


def g():
    return parse_function("exp(x) - log(x)", ["x"])


def test_notebook_25_steps_from_1_6():
    steps, outcome = run_all(gradient_descent(g(), 1.6, learning_rate=0.1, max_steps=25))
    assert len(steps) == 25
    assert steps[-1].x_next[0] == pytest.approx(0.5671434156768685, abs=1e-15)
    assert outcome.status == STEP_LIMIT and outcome.k == 25
    assert steps[0].method == "gradient descent" and steps[0].learning_rate == 0.1


def test_converges_with_enough_steps():
    steps, outcome = run_all(gradient_descent(g(), 1.6, learning_rate=0.1))
    assert outcome.status == CONVERGED
    assert outcome.message.startswith(f"converged at step {outcome.k}: |g'(x)| = ")
    assert steps[-1].gradient_norm < 1e-12
    assert steps[-1].x_next[0] == pytest.approx(0.5671432904097838, abs=1e-12)


def test_2d_from_4_4():
    f = parse_function(NEWTON_2D, XY)
    steps, _ = run_all(gradient_descent(f, (4, 4), learning_rate=0.02))
    np.testing.assert_allclose(steps[0].x_next, [-1.552, -0.272], atol=1e-12)
    np.testing.assert_allclose(steps[299].x_next, [-7.1e-12, -3.0e-11], rtol=2e-2)
    assert steps[299].k == 299


def test_resume_with_k0():
    f = parse_function(NEWTON_2D, XY)
    first, _ = run_all(gradient_descent(f, (4, 4), learning_rate=0.02, max_steps=10))
    rest, _ = run_all(
        gradient_descent(f, first[-1].x_next, learning_rate=0.02, k0=10, max_steps=290)
    )
    assert rest[0].k == 10 and rest[-1].k == 299
    np.testing.assert_allclose(rest[-1].x_next, [-7.1e-12, -3.0e-11], rtol=2e-2)


def test_too_large_a_learning_rate_diverges():
    steps, outcome = run_all(
        gradient_descent(parse_function("x^2", ["x"]), 1.0, learning_rate=1.5)
    )
    assert outcome.status == DIVERGED
    assert outcome.message.startswith(f"diverged at step {outcome.k}: |x| grew to")
    assert outcome.message.endswith("— the learning rate α = 1.5 is too large for this function")
    assert outcome.k == len(steps) - 1
    _, outcome = run_all(
        gradient_descent(parse_function("exp(x^2)", ["x"]), 3.0, learning_rate=1.0)
    )
    assert outcome.status == DIVERGED
    assert outcome.message == (
        "diverged at step 1: g(x) grew to ∞ — "
        "the learning rate α = 1 is too large for this function"
    )


def test_leaving_the_domain():
    # from 0.1 the first step jumps to x = 9, the second far below 0
    steps, outcome = run_all(gradient_descent(g(), 0.1, learning_rate=1.0))
    assert len(steps) == 2 and outcome.status == DOMAIN and outcome.k == 1
    assert outcome.message.startswith(
        "left the domain of log at step 1: log needs a positive number, got -"
    )


def test_settings_are_checked():
    for rate in (0, -0.1, float("nan")):
        with pytest.raises(ValueError):
            gradient_descent(g(), 1.0, learning_rate=rate)


def test_rows_without_hessian():
    steps, _ = run_all(gradient_descent(parse_function(NEWTON_2D, XY), (4, 4), learning_rate=0.02))
    row = steps[0].as_row()
    columns = row_columns(XY, hessian=False)
    assert len(row) == len(columns) == 10
    named = dict(zip(columns, row, strict=True))
    assert named["s_x"] == pytest.approx(0.02 * 277.6) and named["x_next"] == pytest.approx(-1.552)
