"""Activations and log loss: the course fixtures, stability at |z| = 1000, derivatives."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optgui.core.activations import (
    ACTIVATIONS,
    ACTIVATIONS_WITH_DERIVATIVE,
    log_loss,
    log_loss_from_z,
    log_loss_per_example,
    relu,
    sigmoid,
    sigmoid_derivative,
    tanh,
)


def test_sigmoid_course_fixtures() -> None:
    assert float(sigmoid(-2)) == pytest.approx(0.11920292202211755, rel=1e-15)
    assert float(sigmoid(3.5)) == pytest.approx(0.9706877692486436, rel=1e-15)
    assert float(sigmoid(0)) == 0.5


def test_log_loss_course_fixture_with_soft_labels() -> None:
    yhat = [0.64, 0.60, 0.35, 0.15, 0.95]
    y = [0.58, 0.01, 0.42, 0.24, 0.99]
    assert log_loss(yhat, y) == pytest.approx(0.5901032749748385, rel=1e-14)


def test_no_warning_and_right_limits_at_large_z() -> None:
    z = np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        d = sigmoid_derivative(z)
        for f, df in ACTIVATIONS.values():
            assert np.all(np.isfinite(f(z)))
            assert np.all(np.isfinite(df(z)))
        loss = log_loss_from_z(z, np.ones_like(z))
        clipped = log_loss_per_example(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert np.all((s >= 0) & (s <= 1))
    assert d[0] == 0.0 and d[-1] == 0.0
    assert loss[0] == pytest.approx(1000.0) and loss[-1] == 0.0
    assert np.all(np.isfinite(clipped)) and np.all(clipped > 700)


def test_log_loss_is_finite_when_predictions_round_to_0_or_1() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = log_loss([0.0, 1.0, 1.0], [1.0, 0.0, 1.0])
    assert math.isfinite(value)


@given(st.floats(-30, 30), st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_log_loss_from_z_matches_the_formula(z: float, y: float) -> None:
    # ln σ(z) = −ln(1 + e^(−z)), ln(1 − σ(z)) = −ln(1 + e^z): exact references for any z
    reference = y * math.log1p(math.exp(-z)) + (1 - y) * math.log1p(math.exp(z))
    assert float(log_loss_from_z(z, y)) == pytest.approx(reference, rel=1e-12, abs=1e-300)
    if abs(z) < 5:  # the slides' formula, where 1 − ŷ does not lose digits
        s = float(sigmoid(z))
        direct = -y * math.log(s) - (1 - y) * math.log(1 - s)
        assert float(log_loss_per_example(s, y)) == pytest.approx(direct, rel=1e-12)
        assert float(log_loss_from_z(z, y)) == pytest.approx(direct, rel=1e-9, abs=1e-12)


@given(st.floats(-20, 20))
@settings(max_examples=60, deadline=None)
def test_sigmoid_symmetry_and_derivative(z: float) -> None:
    s = float(sigmoid(z))
    assert float(sigmoid(-z)) == pytest.approx(1 - s, abs=1e-15)
    e = math.exp(-abs(z))
    assert float(sigmoid_derivative(z)) == pytest.approx(e / (1 + e) ** 2, rel=1e-12)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@given(z=st.floats(-6, 6).filter(lambda v: abs(v) > 1e-3))
@settings(max_examples=40, deadline=None)
def test_derivatives_match_finite_differences(name: str, z: float) -> None:
    f, df = ACTIVATIONS[name]
    h = 1e-6
    numeric = (float(f(z + h)) - float(f(z - h))) / (2 * h)
    assert float(df(z)) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_tanh_and_relu_values() -> None:
    assert float(tanh(0.5)) == pytest.approx(math.tanh(0.5))
    assert relu(np.array([-2.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 3.0]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_with_derivative_matches_the_two_functions(name: str) -> None:
    z = np.concatenate([np.linspace(-40, 40, 161), [-1000.0, -745.0, 0.0, 745.0, 1000.0]])
    z = np.vstack([z, -z])  # a hidden layer: one row per unit
    f, df = ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, da = ACTIVATIONS_WITH_DERIVATIVE[name](z)
    assert a.shape == da.shape == z.shape
    assert a == pytest.approx(f(z), rel=1e-15, abs=0.0)
    assert da == pytest.approx(df(z), rel=1e-14, abs=0.0)  # tiny values keep their digits
