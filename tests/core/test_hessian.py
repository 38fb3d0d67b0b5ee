"""The Hessian test: curriculum examples, non-critical points, the critical-point search."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.core.hessian import analyze, find_critical_points

XY = ["x", "y"]
NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"
R2 = math.sqrt(2)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize(
    ("text", "hessian", "poly", "poly_text", "eigenvalues", "kind", "verdict"),
    [
        (
            "2*x^2 + 3*y^2 - x*y",
            [[4, -1], [-1, 6]],
            [1, -10, 23],
            "λ² − 10λ + 23",
            [5 - R2, 5 + R2],
            "minimum",
            "local minimum",
        ),
        (
            "-2*x^2 - 3*y^2 - x*y + 15",
            [[-4, -1], [-1, -6]],
            [1, 10, 23],
            "λ² + 10λ + 23",
            [-5 - R2, -5 + R2],
            "maximum",
            "local maximum",
        ),
        (
            "2*x^2 - 2*y^2",
            [[4, 0], [0, -4]],
            [1, 0, -16],
            "λ² − 16",
            [-4, 4],
            "saddle",
            "saddle point",
        ),
        (
            NEWTON_2D,
            [[8, -1], [-1, 4]],
            [1, -12, 31],
            "λ² − 12λ + 31",
            [3.7639320225002106, 8.23606797749979],
            "minimum",
            "local minimum",
        ),
        ("x^4 + y^4", [[0, 0], [0, 0]], [1, 0, 0], "λ²", [0, 0], "inconclusive", "inconclusive"),
        (
            "x^3 - 3*x*y^2",
            [[0, 0], [0, 0]],
            [1, 0, 0],
            "λ²",
            [0, 0],
            "inconclusive",
            "inconclusive",
        ),
    ],
)
def test_curriculum_examples_at_origin(text, hessian, poly, poly_text, eigenvalues, kind, verdict):
    a = analyze(parse_function(text, XY), (0, 0))
    np.testing.assert_allclose(a.hessian, hessian, atol=1e-15)
    np.testing.assert_allclose(a.char_poly, poly, atol=1e-14)
    assert a.char_poly_text == poly_text
    np.testing.assert_allclose(a.eigenvalues, eigenvalues, atol=1e-12)
    assert a.is_critical
    assert a.kind == kind and a.verdict == verdict
    assert a.trace == pytest.approx(-poly[1]) and a.det == pytest.approx(poly[2])
    for lam, v in zip(a.eigenvalues, a.eigenvectors.T, strict=True):
        np.testing.assert_allclose(a.hessian @ v, lam * v, atol=1e-12)
    assert a.explanation


def test_rounded_values_as_the_slides_print_them():
    a = analyze(parse_function("2*x^2 + 3*y^2 - x*y", XY), (0, 0))
    assert [round(v, 2) for v in a.eigenvalues] == [3.59, 6.41]
    b = analyze(parse_function("-2*x^2 - 3*y^2 - x*y + 15", XY), (0, 0))
    assert [round(v, 2) for v in b.eigenvalues] == [-6.41, -3.59]
    c = analyze(parse_function(NEWTON_2D, XY), (0, 0))
    assert [round(v, 4) for v in c.eigenvalues] == [3.7639, 8.2361]


def test_non_critical_point_is_never_called_a_minimum():
    a = analyze(parse_function("2*x^2 + 3*y^2 - x*y", XY), (1, 0))
    assert not a.is_critical
    assert a.kind == "minimum"
    assert a.verdict == "not a critical point"
    assert a.explanation.startswith("not a critical point (∇f ≠ 0): the surface curves up")
    assert "still sloping" in a.explanation
    np.testing.assert_allclose(a.gradient, [4, -1])


def test_explanations_name_the_kind():
    minimum = analyze(parse_function("2*x^2 + 3*y^2 - x*y", XY), (0, 0)).explanation
    assert "local minimum" in minimum and "every eigenvalue of H is positive" in minimum
    saddle = analyze(parse_function("2*x^2 - 2*y^2", XY), (0, 0)).explanation
    assert "saddle" in saddle
    flat = analyze(parse_function("x^4 + y^4", XY), (0, 0)).explanation
    assert "needs more information" in flat


@pytest.mark.parametrize(
    ("text", "point", "kind", "critical"),
    [
        ("x^2", 0.0, "minimum", True),
        ("-x^2", 0.0, "maximum", True),
        ("x^3", 0.0, "inconclusive", True),
        ("x^2", 1.0, "minimum", False),
        ("exp(x) - log(x)", 0.5671432904097838, "minimum", True),
    ],
)
def test_one_variable(text, point, kind, critical):
    a = analyze(parse_function(text, ["x"]), point)
    assert a.kind == kind and a.is_critical == critical
    assert a.hessian.shape == (1, 1) and a.eigenvalues.shape == (1,)
    assert a.char_poly[0] == 1 and a.char_poly[1] == pytest.approx(-a.hessian[0, 0])
    if critical and kind == "minimum":
        assert "happy face" in a.explanation
    if not critical:
        assert a.verdict == "not a critical point" and "g'(x) ≠ 0" in a.explanation


def test_three_variables():
    a = analyze(parse_function("x^2 + y^2 + z^2 - x*z", ["x", "y", "z"]), (0, 0, 0))
    np.testing.assert_allclose(a.eigenvalues, [1, 2, 3])
    np.testing.assert_allclose(a.char_poly, [1, -6, 11, -6])
    np.testing.assert_allclose(a.char_poly, np.poly(a.hessian), atol=1e-12)
    assert a.char_poly_text == "λ³ − 6λ² + 11λ − 6"
    assert a.det == pytest.approx(6) and a.trace == pytest.approx(6)
    assert a.verdict == "local minimum"
    b = analyze(parse_function("x^2 - y^2 + z^2", ["x", "y", "z"]), (0, 0, 0))
    assert b.kind == "saddle"
    # a zero eigenvalue with others of both signs is still a saddle
    c = analyze(parse_function("x^2 - y^2 + z^4", ["x", "y", "z"]), (0, 0, 0))
    assert c.kind == "saddle"


def test_find_critical_points_of_the_newton_example():
    found = find_critical_points(parse_function(NEWTON_2D, XY), [(-2, 2), (-2, 2)])
    assert len(found) == 1
    np.testing.assert_allclose(found[0].point, [0, 0], atol=1e-12)
    assert found[0].verdict == "local minimum"


def test_find_critical_points_lists_each_kind_once():
    found = find_critical_points(parse_function("x^3 - 3*x + y^2", XY), [(-2, 2), (-2, 2)])
    assert [a.verdict for a in found] == ["saddle point", "local minimum"]
    np.testing.assert_allclose([a.point for a in found], [[-1, 0], [1, 0]], atol=1e-12)
    grid = find_critical_points(parse_function("sin(x)*cos(y)", XY), [(-2, 2), (-2, 2)])
    kinds = sorted(a.verdict for a in grid)
    assert kinds == ["local maximum", "local minimum", "saddle point", "saddle point"]
    for a in grid:
        assert np.all(np.abs(a.point) <= 2)


def test_find_critical_points_degenerate_and_one_variable():
    found = find_critical_points(parse_function("x^4 + y^4", XY), [(-1, 1), (-1, 1)])
    assert len(found) == 1 and found[0].verdict == "inconclusive"
    np.testing.assert_allclose(found[0].point, [0, 0], atol=1e-6)
    one = find_critical_points(parse_function("exp(x) - log(x)", ["x"]), [(0.01, 3)])
    assert len(one) == 1 and one[0].point[0] == pytest.approx(0.5671432904097838, abs=1e-12)
    assert find_critical_points(parse_function("x + y", XY), [(-1, 1), (-1, 1)]) == []
