"""The float path for single points gives the numpy path's numbers, bit for bit.

At one point, ``Function.value``/``gradient``/``hessian``/``derivatives``/
``domain_violation`` and Newton's one-variable steps run on Python floats. Where
that cannot promise numpy's exact answer (inf, nan, log of 0, exp of 1000, 1/0 …)
they fall back to the numpy path. Each test here compares the two paths: the
numpy path is reached with coordinates given as 0-d arrays, or, for whole runs,
by switching the float path off.
"""

from __future__ import annotations

import math
import operator
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optgui.core import expr
from optgui.core.descent import gradient_descent
from optgui.core.expr import parse_function
from optgui.core.iterates import Step, norm
from optgui.core.newton import newton

XY = ["x", "y"]

ONE_VARIABLE = [
    "exp(x) - log(x)",
    "x^4 - 2*x^2 + 0.3*x",
    "sin(x) + 0.1*x^2",
    "cos(3*x) - tan(x/4) + tanh(x)",
    "sqrt(x) - log(x + 2)",
    "sigmoid(x) * x^3",
    "abs(x - 1) + abs(x)^3",
    "1/x + 1/(x - 1) + (x - 1)/(x + 1)",
    "x^-2 + x^(1/3) + x^1.5 - x^(-0.5)",
    "2^x + e^x + pi*x + x^x",
    "log(sin(x)) + sqrt(x^2 - 1)",
    "exp(-x^2) - ln(1 + x^2) + exp(1000*x)",
    "-x - log(x) - x^3/3",
    "x*exp(x)*sin(x)*(x - 2)",
]

TWO_VARIABLES = [
    "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y",
    "log(x) * y^2 - exp(-x*y)",
    "sin(x)*cos(y) + 0.05*(x^2 + y^2)",
    "x^3 - 3*x*y^2",
    "x^y + y/(x - 1) + sqrt(x*y)",
    "sigmoid(x*y) + tanh(x - y) + abs(x - y)^2.5",
    "-x*y - log(x + y) + 1/(x*y)",
]

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-320, -1e-320, 1e-8, 1e154, -1e154]
SPECIAL += [1e200, 700.0, 709.9, -709.9, 710.0, 1000.0, -1000.0, math.pi / 2, 38.68118010735748]


def bits(a) -> bytes:
    return np.asarray(a, dtype=float).tobytes()


def assert_same(f, point) -> None:
    """Every single-point result at ``point``: floats in, and 0-d arrays in (numpy's path)."""
    numpy_point = [np.asarray(c, dtype=float) for c in point]
    for name in ("value", "gradient", "hessian"):
        fast = getattr(f, name)(point)
        slow = getattr(f, name)(numpy_point)
        assert type(fast) is type(slow), name
        assert bits(fast) == bits(slow), (f.text, point, name, fast, slow)
        assert np.shape(fast) == np.shape(slow)
    value, gradient, hessian = f.derivatives(point)
    assert bits(value) == bits(f.value(numpy_point)) and isinstance(value, float)
    assert bits(gradient) == bits(f.gradient(numpy_point))
    assert bits(hessian) == bits(f.hessian(numpy_point)) and hessian.shape == (f.n, f.n)
    floats = f.derivative_floats(list(map(float, point)))
    if floats is not None:
        assert bits(floats) == bits([value, *gradient, *hessian.ravel()])
    assert f.domain_violation(point) == f.domain_violation(numpy_point)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("text", ONE_VARIABLE)
def test_one_variable_functions_at_special_and_ordinary_points(text):
    f = parse_function(text, ["x"])
    for x in [*SPECIAL, *np.linspace(-4, 4, 41)]:
        assert_same(f, [float(x)])


@pytest.mark.parametrize("text", TWO_VARIABLES)
def test_two_variable_functions_on_a_grid_with_special_values(text):
    f = parse_function(text, XY)
    values = [*SPECIAL[:12], 709.9, 1000.0, *np.linspace(-3, 3, 7)]
    for x in values:
        for y in values:
            assert_same(f, [float(x), float(y)])


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([(t, ("x",)) for t in ONE_VARIABLE] + [(t, tuple(XY)) for t in TWO_VARIABLES]),
    st.lists(st.floats(-50, 50) | st.floats(allow_nan=False), min_size=2, max_size=2),
)
def test_random_points(case, point):
    text, variables = case
    assert_same(_parse(text, variables), point[: len(variables)])


_cache: dict = {}


def _parse(text, variables):
    if (text, variables) not in _cache:
        _cache[text, variables] = parse_function(text, list(variables))
    return _cache[text, variables]


def test_float_path_is_taken_at_ordinary_points_and_left_where_math_fails():
    g = parse_function("exp(x) - log(x)", ["x"])
    assert g.derivative_floats([0.05]) is not None
    assert g.derivative_floats([-1.0]) is None  # log(-1)
    assert g.derivative_floats([0.0]) is None  # log(0), 1/0
    assert g.derivative_floats([1000.0]) is None  # exp(1000) overflows
    assert parse_function("sqrt(x)", ["x"]).derivative_floats([-4.0]) is None
    assert parse_function("1/x", ["x"]).derivative_floats([0.0]) is None
    assert parse_function("x^0.5", ["x"]).derivative_floats([-4.0]) is None
    assert parse_function("x^y", XY).derivative_floats([10.0, 400.0]) is None
    assert parse_function("x^y", XY).derivative_floats([2.0, 3.0]) is not None
    assert parse_function("x*y", XY).derivative_floats([1e200, 1e200]) is None  # inf
    # and what the float path gives there is exactly numpy's answer
    for text, point in [("exp(x) - log(x)", -1.0), ("exp(x)", 1000.0), ("1/x", 0.0)]:
        assert_same(parse_function(text, ["x"]), [point])


def test_transcendental_functions_keep_numpys_last_bit():
    # numpy's exp, log … (SIMD) and math's can differ in the last bit; the float path is numpy's
    cases = [
        ("exp(x)", np.exp),
        ("log(x)", np.log),
        ("tanh(x)", np.tanh),
        ("tan(x)", np.tan),
        ("sin(x)", np.sin),
        ("x^-2.5", lambda x: np.power(x, -2.5)),
    ]
    for text, ufunc in cases:
        f = parse_function(text, ["x"])
        for x in np.linspace(0.1, 40.0, 997):
            assert f.value(float(x)) == float(ufunc(float(x))), (text, x)


def test_minus_signs_become_subtractions_with_the_same_bits():
    plan = parse_function("exp(x) - log(x) - sin(x)", ["x"])._derivatives_fn.at_point
    minus_one = 1 + plan.constants.index(-1.0)  # its index among the values (after x)
    assert not any(minus_one in step[1:] for step in plan.steps)
    assert sum(step[0] is operator.sub for step in plan.steps) == 2
    for text in ("exp(x) - log(x) - sin(x)", "-log(x) + exp(x) - x^3 - (-x)*sin(x) - cos(x)"):
        f = parse_function(text, ["x"])
        for x in np.linspace(0.05, 5, 200):
            assert_same(f, [float(x)])


def test_accepted_forms_of_a_point():
    f = parse_function("x^2 + 3*y", XY)
    expected = f.value([np.asarray(2.0), np.asarray(5.0)])
    for point in ([2, 5], (2.0, 5.0), np.array([2.0, 5.0]), [np.float64(2), 5], np.array([2, 5])):
        assert f.value(point) == expected
    one = parse_function("x^2", ["x"])
    for point in (3, 3.0, np.float64(3), np.array(3.0), np.array([3.0]), [3], (3.0,)):
        assert one.value(point) == one.value([np.asarray(3.0)]) == 9.0
    assert one.gradient(True)[0] == one.gradient([True])[0] == 2.0
    with pytest.raises(ValueError, match="expected 2 coordinates"):
        f.value([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expected 1 coordinates"):
        one.value([1.0, 2.0])
    with pytest.raises((TypeError, OverflowError)):
        one.value(10**400)


# ---------------------------------------------------------------- whole runs


@pytest.fixture
def numpy_only(monkeypatch):
    """Switch the float path off: every evaluation goes through numpy, as before it existed."""

    def numpy_only():
        monkeypatch.setattr(expr._FloatPlan, "__call__", lambda self, coords: None)

    return numpy_only


def record(run) -> tuple:
    steps = list(run)
    fields = ("x", "gradient", "hessian", "s", "x_next", "eigenvalues")
    rows = [
        (s.k, bits(s.value), s.damping, s.method, *(bits(getattr(s, a)) for a in fields))
        for s in steps
    ]
    return rows, run.outcome


NEWTON_RUNS = [
    ("exp(x) - log(x)", 0.05, 0.0),
    ("exp(x) - log(x)", 1.6, 0.0),
    ("exp(x) - log(x)", 3.0, 0.0),  # leaves the domain of log
    ("exp(x) - log(x)", 0.05, 0.7),
    ("x^4 - 2*x^2 + 0.3*x", 2.0, 0.0),
    ("x^3", 1.0, 0.0),  # to 0, where g'' = 0
    ("x^3 - 3*x", 0.0, 0.0),  # g'' = 0 at the start: singular
    ("-exp(x)", 0.0, 0.0),  # walks off to -inf
    ("exp(-x) + 0.1*x", -30.0, 0.0),
    ("x*sin(x)", 4.0, 0.0),
    ("sqrt(x) - log(x + 2)", 4.0, 0.0),
    ("x^2 * tanh(x) + sigmoid(x)", 2.0, 0.5),
    ("exp(x^2)", 20.0, 0.0),  # overflows
    ("1/x + x", 3.0, 0.0),
    ("abs(x - 1)^3", 5.0, 0.0),
]


@pytest.mark.parametrize(("text", "x0", "damping"), NEWTON_RUNS)
def test_newton_runs_in_one_variable_are_unchanged(text, x0, damping, numpy_only):
    f = parse_function(text, ["x"])
    fast = record(newton(f, x0, damping=damping, max_steps=60))
    numpy_only()
    assert record(newton(f, x0, damping=damping, max_steps=60)) == fast


@pytest.mark.parametrize(
    ("text", "x0", "damping"),
    [
        ("x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y", (4, 4), 0.0),
        ("log(x) * y^2 - exp(-x*y)", (0.6974617430566585, 1.595458151659602), 1.595458151659602),
        ("sin(x)*cos(y) + 0.05*(x^2 + y^2)", (1.0, 2.0), 0.3),
        ("x^3 - 3*x*y^2", (0.0, 0.0), 0.0),
        ("log(x) + y^2", (2.0, 1.0), 0.0),
    ],
)
def test_newton_and_descent_runs_in_two_variables_are_unchanged(text, x0, damping, numpy_only):
    f = parse_function(text, XY)
    fast = record(newton(f, x0, damping=damping, max_steps=60))
    descent = record(gradient_descent(f, x0, learning_rate=0.05, max_steps=60))
    numpy_only()
    assert record(newton(f, x0, damping=damping, max_steps=60)) == fast
    assert record(gradient_descent(f, x0, learning_rate=0.05, max_steps=60)) == descent


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["exp(x) - log(x)", "x^4 - 2*x^2 + 0.3*x", "sin(x) + 0.1*x^2", "x^3"]),
    st.floats(-5, 5),
    st.floats(0, 2),
)
def test_random_newton_runs_are_unchanged(text, x0, damping):
    f = _parse(text, ("x",))
    fast = record(newton(f, x0, damping=damping, max_steps=40))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(expr._FloatPlan, "__call__", lambda self, coords: None)
        assert record(newton(f, x0, damping=damping, max_steps=40)) == fast


def test_a_one_variable_step_is_the_record_step_would_build():
    built = Step.newton_1d(3, 0.5, 1.25, -2.0, 4.0, -0.5, 1.0, 0.25)
    plain = Step(3, [0.5], 1.25, [-2.0], [[4.0]], [-0.5], [1.0], [4.0], 0.25)
    for name in ("x", "gradient", "hessian", "s", "x_next", "eigenvalues"):
        a, b = getattr(built, name), getattr(plain, name)
        assert a.shape == b.shape and a.dtype == b.dtype and bits(a) == bits(b)
        assert not a.flags.writeable
        with pytest.raises(ValueError):
            a[0] = 9.0
    assert (built.k, built.value, built.damping) == (3, 1.25, 0.25)
    assert (built.learning_rate, built.method) == (None, "newton")
    assert repr(built) == repr(plain)
    assert np.array_equal(built.as_row(), plain.as_row())
    with pytest.raises(AttributeError):
        built.k = 4  # type: ignore[misc]


def test_norm_is_numpys_without_overflow_warnings():
    for v in (0.0, -0.0, 3.0, -1e-200, 1e-170, 1e160, -1e300, 5e-324):
        with np.errstate(over="ignore"):
            expected = np.linalg.norm(np.array([v]))
        assert bits(norm(np.array([v]))) == bits(expected)
    for a in ([3.0, 4.0], [1e-200, 1e-200], [0.1, -0.2, 0.3]):
        assert norm(np.array(a)) == np.linalg.norm(a)
    assert norm(np.array([1e200, 1e200])) == math.inf  # numpy would warn here
