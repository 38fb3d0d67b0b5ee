"""The Hessian Explorer's lesson without Qt: settings, the walk and every text it shows,
against the curriculum's worked examples (§6) and numpy."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.core.format import fmt
from optgui.core.newton import newton
from optgui.lessons import hessian as lesson
from optgui.lessons.hessian import ERRATUM, PRESETS, HessianLesson
from optgui.lessons.notation import subscript, tex_matrix
from optgui.lessons.settings import SettingsError

R2 = math.sqrt(2)
NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"
THREE = "x^2 + 2*y^2 - z^2 + x*y"


def at(text: str, point=(0.0, 0.0), variables=("x", "y")):
    settings = HessianLesson(function=text, variables=variables, point=point)
    function = lesson.parse(settings)
    r, problem = lesson.analysis_at(function, settings.point)
    return settings, function, r, problem


def rows(point, r, problem="") -> dict[str, str]:
    return dict(lesson.analysis_rows(point, r, problem))


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def vector(text: str) -> np.ndarray:
    return np.array([number(v) for v in text.strip("()[]").split(",")])


def test_settings_defaults_are_the_first_slides_example():
    s = HessianLesson()
    assert (s.function, s.variables, s.point, s.center, s.half) == (
        "2*x^2 + 3*y^2 - x*y",
        ("x", "y"),
        (0.0, 0.0),
        (0.0, 0.0),
        3.0,
    )


@pytest.mark.parametrize(
    "settings",
    [
        HessianLesson(),
        HessianLesson(function=NEWTON_2D, point=(4, 4), center=(1.5, -2), half=5),
        HessianLesson(function=THREE, variables=("x", "y", "z"), point=(1, 1, 1), half=0.01),
    ],
)
def test_settings_json_round_trip(settings):
    data = settings.to_json()
    assert data == json.loads(json.dumps(data))
    assert HessianLesson.from_json(data) == settings


def test_a_session_saved_before_the_lesson_still_reads():
    """The keys the tab saved before (function, variables, point, center, half) are the
    settings' fields; the run's own keys are ignored."""
    old = {
        "speed": 2,
        "limit": 50,
        "steps": 3,
        "function": "x^3 - 3*x*y^2",
        "variables": ["x", "y"],
        "point": [0.5, 0.25],
        "center": [0, 0],
        "half": 2,
    }
    s = HessianLesson.from_json(old)
    assert s == HessianLesson(function="x^3 - 3*x*y^2", point=(0.5, 0.25), half=2.0)
    assert isinstance(s.half, float) and all(isinstance(v, float) for v in s.point)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"point": (1.0, 2.0, 3.0)}, "the point should have 2 coordinates (x, y)"),
        ({"variables": ("x", "y", "z")}, "the point should have 3 coordinates (x, y, z)"),
        ({"variables": ("x",), "point": (0.0,)}, "the variables should be x, y or x, y, z"),
        ({"function": "  "}, "the function is empty"),
        ({"function": "x+" * 150 + "y"}, "the function is too long: at most 200 characters"),
        ({"half": 0.0}, "the map's half-width should be between 0.01 and 1000"),
        ({"half": 5000.0}, "the map's half-width should be between 0.01 and 1000"),
        ({"point": (0.0, math.nan)}, "the point should be a number"),
        ({"center": (0.0,)}, "the map's centre should hold 2 values"),
        ({"function": 3}, "the function should be text"),
    ],
)
def test_settings_validation_messages(changes, message):
    with pytest.raises(SettingsError) as error:
        HessianLesson().replace(**changes)
    assert str(error.value) == message


def test_damaged_json_says_so():
    with pytest.raises(SettingsError, match="damaged"):
        HessianLesson.from_json(["function"])
    with pytest.raises(SettingsError, match="should be a number"):
        HessianLesson.from_json({"point": ["a", 0]})


# ---------------------------------------------------------------- curriculum §6


SLIDES = [
    # f, H(0, 0), the characteristic polynomial, λ1 and λ2 (largest first, to 2 places), kind
    ("2*x^2 + 3*y^2 - x*y", [[4, -1], [-1, 6]], "λ² − 10λ + 23", (6.41, 3.59), "minimum"),
    (
        "-2*x^2 - 3*y^2 - x*y + 15",
        [[-4, -1], [-1, -6]],
        "λ² + 10λ + 23",
        (-3.59, -6.41),
        "maximum",
    ),
    ("2*x^2 - 2*y^2", [[4, 0], [0, -4]], "λ² − 16", (4, -4), "saddle"),
]


@pytest.mark.parametrize(("text", "hessian", "poly", "values", "kind"), SLIDES)
def test_the_slides_worked_examples(text, hessian, poly, values, kind):
    _, _, r, problem = at(text)
    assert problem == ""
    table = rows((0.0, 0.0), r)
    assert table["point (x, y)"] == "(0, 0)" and table["∇f"] == "(0, 0)"
    assert [vector(table["H row 1"]).tolist(), vector(table["H row 2"]).tolist()] == hessian
    assert table["det(H − λI)"] == poly
    # the polynomial is numpy's characteristic polynomial of H
    coefficients = [int(c) for c in np.round(np.poly(np.array(hessian, dtype=float)), 12)]
    assert r.char_poly.tolist() == coefficients
    # eigenvalues as the slides number them: λ1 the largest
    shown = (number(table["λ₁"]), number(table["λ₂"]))
    assert shown == pytest.approx(sorted(np.linalg.eigvalsh(hessian), reverse=True), abs=1e-6)
    assert tuple(round(v, 2) for v in shown) == values
    assert table["critical point?"] == "yes: ∇f = 0"
    assert kind in table["verdict"]
    assert (
        lesson.verdict(r)
        .title.lower()
        .endswith({"minimum": "minimum", "maximum": "maximum", "saddle": "saddle point"}[kind])
    )


def test_the_saddle_polynomial_is_the_slides_product():
    """The slides write (4 − λ)(−4 − λ); expanded it is the λ² − 16 the tab shows."""
    _, _, r, _ = at("2*x^2 - 2*y^2")
    assert np.polymul([-1, 4], [-1, -4]).tolist() == r.char_poly.tolist() == [1, 0, -16]
    assert r.char_poly_text == "λ² − 16"


def test_exact_roots_of_the_slides_polynomials():
    for text, roots in [
        ("2*x^2 + 3*y^2 - x*y", (5 + R2, 5 - R2)),
        ("-2*x^2 - 3*y^2 - x*y + 15", (-5 + R2, -5 - R2)),
    ]:
        _, _, r, _ = at(text)
        values, _ = lesson.slides_order(r)
        assert values == pytest.approx(roots, abs=1e-12)
        table = rows((0.0, 0.0), r)
        assert table["λ₁"] == fmt(roots[0], 7) and table["λ₂"] == fmt(roots[1], 7)


@pytest.mark.parametrize("text", [t for t, *_ in SLIDES] + [NEWTON_2D, "x^3 - 3*x*y^2"])
def test_eigenvector_rows_are_eigenvectors(text):
    _, _, r, _ = at(text, (0.3, -0.7))
    table = rows((0.3, -0.7), r)
    h = np.asarray(r.hessian)
    for i in (1, 2):
        sub = subscript(i)
        value, v = number(table[f"λ{sub}"]), vector(table[f"eigenvector of λ{sub}"])
        assert np.linalg.norm(v) == pytest.approx(1, abs=1e-3)
        np.testing.assert_allclose(h @ v, value * v, atol=1e-3 * max(1, abs(value)))


def test_numbers_as_formulas():
    _, _, r, _ = at("2*x^2 + 3*y^2 - x*y")
    grad, hess, poly, values = lesson.numbers_latex(r)
    assert grad == r"\nabla f = \left[\genfrac{}{}{0}{0}{0}{0}\right]"
    assert hess == r"H = \left[\genfrac{}{}{0}{0}{4}{-1}\quad \genfrac{}{}{0}{0}{-1}{6}\right]"
    assert poly == r"\det(H - \lambda I) = \lambda ^2 - 10\lambda  + 23 = 0"
    assert values == r"\lambda_1 = 6.414,\quad \lambda_2 = 3.586"
    assert lesson.numbers_latex(None) == ["", "", "", ""]
    assert lesson.point_heading((0.0, 2.5)) == "<b>At the point (0, 2.5)</b>"


def test_function_as_formulas():
    f = parse_function("2*x^2 + 3*y^2 - x*y", ["x", "y"])
    text, grad, hess = lesson.function_latex(f)
    assert text.startswith("f(x, y) = ")
    assert grad.startswith(r"\nabla f = \left[\genfrac{}{}{0}{0}{")
    assert hess == "H = " + tex_matrix(f.hessian_latex)


def test_erratum_only_for_the_slides_maximum():
    """The slides print −3.49; the roots of λ² + 10λ + 23 are −5 ± √2 = −3.59, −6.41."""
    _, f, r, _ = at("-2*x^2 - 3*y^2 - x*y + 15")
    assert lesson.erratum(f) == ERRATUM
    assert "−3.49" in ERRATUM and "λ² + 10λ + 23" in ERRATUM
    values, _ = lesson.slides_order(r)
    assert f"{fmt(values[0], 3)} and {fmt(values[1], 3)}" in ERRATUM
    assert fmt(-5 + R2, 3) == "−3.59"
    for text in ("2*x^2 + 3*y^2 - x*y", "2*x^2 - 2*y^2", "-2*x^2 - 3*y^2 - x*y + 16"):
        assert lesson.erratum(at(text)[1]) == ""


# ---------------------------------------------------------------- verdicts


def test_verdicts_in_the_slides_words():
    _, _, r, _ = at("x^4 + y^4")
    assert rows((0.0, 0.0), r)["verdict"] == "need more information (the test is inconclusive)"
    v = lesson.verdict(r)
    assert (v.title, v.row, v.color) == ("Need more information", "other", "#EEEEEE")
    assert v.text.startswith("∇f = 0 but an eigenvalue of H is 0")

    _, _, r, _ = at("2*x^2 + 3*y^2 - x*y", (1.0, 1.0))
    v = lesson.verdict(r)
    assert (v.title, v.row, v.color) == ("Not a critical point", None, "#EEEEEE")
    assert v.text.startswith("Not a critical point (∇f ≠ 0): the surface curves up")
    table = rows((1.0, 1.0), r)
    assert table["∇f"] == "(3, 5)" and table["critical point?"] == "no: ∇f ≠ 0"
    assert table["curvature here"] == "curves up in every direction (all λ > 0)"
    assert lesson.point_status((1.0, 1.0), r) == (
        "At (1, 1): not a critical point. Press Space to walk to one with Newton's method."
    )

    _, _, r, _ = at("2*x^2 - 2*y^2")
    assert lesson.point_status((0, 0), r) == (
        "At (0, 0): saddle point. Click or drag on the map to explore."
    )


def test_no_analysis_outside_the_domain():
    _, f, r, problem = at("log(x) + y^2", (-1.0, 0.0))
    assert r is None and problem.startswith("f is not defined here")
    assert rows((-1.0, 0.0), r, problem) == {"point (x, y)": "(−1, 0)", "verdict": problem}
    v = lesson.verdict(None, problem)
    assert (v.title, v.text, v.row) == ("No analysis here", problem, None)
    assert lesson.point_status((-1.0, 0.0), None, problem) == f"At (−1, 0): {problem}"


@pytest.mark.parametrize(
    ("row", "marked"),
    [("minimum", "▶ local minimum"), ("maximum", "▶ local maximum"), ("other", "▶ other")],
)
def test_summary_table_marks_the_row(row, marked):
    headings, rows = lesson.summary_rows(row, 2)
    assert headings == ["", "2 variables"]
    assert [name for name, _, hit in rows if hit] == [marked]
    assert sum("▶" in name for name, _, _ in rows) == 1
    assert rows[0][1] == "λ₁ > 0 and λ₂ > 0 (upward paraboloid)"
    headings, rows = lesson.summary_rows(row, 3)
    assert headings[1] == "n variables" and rows[0][1] == "all λᵢ > 0"
    assert not any(hit or "▶" in name for name, _, hit in lesson.summary_rows(None, 2)[1])


# ---------------------------------------------------------------- three variables


def test_three_variables():
    s, f, r, _ = at(THREE, (0.0, 0.0, 0.0), ("x", "y", "z"))
    table = rows(s.point, r)
    assert table["point (x, y, z)"] == "(0, 0, 0)"
    assert table["H row 3"] == "[0, 0, −2]"
    # one convention in every dimension, the slides' det(H − λI): for 3×3 it starts with −λ³
    assert "det(λI − H)" not in table
    assert table["det(H − λI)"] == "−λ³ + 4λ² + 5λ − 14"
    lam = 1.7  # the reference: the determinant itself at some λ
    expected = np.linalg.det(np.asarray(r.hessian) - lam * np.eye(3))
    assert np.polyval(lesson.det_poly(r), lam) == pytest.approx(expected, abs=1e-9)
    shown = [number(table[f"λ{subscript(i)}"]) for i in (1, 2, 3)]
    assert shown == pytest.approx([3 + R2, 3 - R2, -2], abs=1e-6)
    assert shown == pytest.approx(sorted(np.linalg.eigvalsh(r.hessian), reverse=True))
    assert "saddle" in table["verdict"]
    assert lesson.numbers_latex(r)[2].startswith(r"\det(H - \lambda I) = -\lambda ^3")
    assert lesson.slice_note(0.0).endswith("the slice z = 0; its lines use the x, y part of H.")
    assert lesson.map_title(3, 1.5) == "Contours of the slice z = 1.5"
    assert lesson.map_title(2, 0.0) == "Contours of f(x, y)"
    assert lesson.surface_name(3, -1.0) == "f(x, y, −1)"


def test_planes_and_slices():
    f3 = parse_function(THREE, ["x", "y", "z"])
    full, plane, z = lesson.planes(f3, 2.0)
    assert full is f3 and z == 2.0 and plane.variables == ("x", "y")
    assert plane.value([1.0, 1.0]) == pytest.approx(f3.value([1.0, 1.0, 2.0]))
    # no slice at z = 0 for log(z): the slice moves to z = 1
    flog = parse_function("log(z) + x^2 + y^2", ["x", "y", "z"])
    assert lesson.planes(flog, 0.0)[2] == 1.0
    assert lesson.slice_problem(flog, -1.0).startswith("No slice at z = −1: ")
    assert lesson.slice_problem(flog, 2.0) == ""
    # a function of x and y typed in the box (which reads x, y, z) becomes one of x and y
    full, plane, z = lesson.planes(parse_function("x^2 + y", ["x", "y", "z"]))
    assert full.variables == ("x", "y") and plane is full and z == 0.0
    assert lesson.start_point((1, 2), 3, 0.5) == (1.0, 2.0, 0.5)
    assert lesson.start_point((1, 2, 3), 2, 0.0) == (1.0, 2.0)
    assert lesson.slice_text("z^2 + zz + x*z", "z", 1.5) == "(1.5)^2 + zz + x*(1.5)"


def test_eigen_labels_and_signs():
    assert lesson.eigen_label(0, 6.414213, 2) == "λ₁ = 6.414"
    assert lesson.eigen_label(1, -4.0, 3) == "λ = −4"
    assert lesson.signs([4.0, 0.0, -1e-12, -3.0]) == [1, 0, 0, -1]


# ---------------------------------------------------------------- presets


@pytest.mark.parametrize("preset", PRESETS, ids=[p.label for p in PRESETS])
def test_preset_descriptions_match_their_analysis(preset):
    n = 3 if "z" in preset.text else 2
    s, f, r, _ = at(preset.text, lesson.preset_point(preset, n), lesson.VARIABLES[:n])
    values, _ = lesson.slides_order(r)
    tip = preset.tooltip
    if tip.startswith("H = [["):  # the slides' examples: H and its eigenvalues
        matrix = tip[len("H = ") : tip.index("]]") + 2].replace("−", "-")
        assert json.loads(matrix) == np.asarray(r.hessian).tolist()
        listed = tip.split("eigenvalues ")[1].replace(" and ", ", ").split(", ")
        # in the slides' order, λ1 the largest (the saddle too: 4 and −4)
        assert [number(v) for v in listed] == [round(v, 2) for v in values]
    if "λ²" in tip:
        assert r.char_poly_text in tip
    if "H = 0" in tip:
        assert np.allclose(r.hessian, 0)
        assert r.kind == "inconclusive"
    if "both signs" in tip:
        assert r.kind == "saddle"
    assert lesson.preset_point(preset, n) == tuple(float(v) for v in preset.point)


# ---------------------------------------------------------------- the walk


def test_walk_from_the_settings_point():
    s, f, _, _ = at(NEWTON_2D, (4.0, 4.0))
    walk = lesson.walk_factory(s, f)
    assert walk.settings is s
    first = next(iter(walk(None)))
    np.testing.assert_allclose(first.x_next, [2.58273866, 2.62128884], atol=1e-8)
    second = next(iter(walk(first)))
    assert second.k == 1
    np.testing.assert_array_equal(second.x, first.x_next)
    # the same step as the core's Newton from (4, 4)
    steps = list(newton(f, (4.0, 4.0), max_steps=2))
    np.testing.assert_array_equal(second.x_next, steps[1].x_next)


def test_walk_refuses_another_function():
    s, _, _, _ = at(NEWTON_2D, (4.0, 4.0))
    with pytest.raises(ValueError):
        lesson.walk_factory(s, parse_function("x^2 + y^2", ["x", "y"]))


@pytest.mark.parametrize(
    ("text", "point", "variables"),
    [(NEWTON_2D, (4.0, 4.0), ("x", "y")), (THREE, (1.0, 1.0, 1.0), ("x", "y", "z"))],
)
def test_rebuild_a_step_from_its_row(text, point, variables):
    s, f, _, _ = at(text, point, variables)
    step = next(iter(lesson.walk_factory(s, f)(None)))
    back = lesson.rebuild_step(step.as_row(), s)
    for name in ("x", "gradient", "hessian", "s", "x_next"):
        np.testing.assert_array_equal(getattr(back, name), getattr(step, name))
    assert back.k == step.k and back.value == step.value


# ---------------------------------------------------------------- critical points


def test_critical_points_list():
    f = parse_function("2*x^2 - 2*y^2", ["x", "y"])
    bounds = lesson.search_bounds(((-3, 3), (-3, 3)), 2, 0.0, 3.0)
    assert bounds == [(-3.0, 3.0), (-3.0, 3.0)]
    run = lesson.search_run(f, bounds, ("key",))
    records = list(run)
    assert len(records) == 1 and records[0].key == ("key",)
    assert records[0].as_row().tolist() == [0.0, 1.0]
    found = list(records[0].points)
    assert lesson.critical_rows(found) == [("(0, 0)", "0", "saddle")]
    assert lesson.critical_note(found).startswith("1 found by Newton's method")
    assert lesson.critical_note([]) == "None found in this window."
    assert lesson.search_bounds(((-1, 1), (-2, 2)), 3, 0.5, 2.0)[2] == (-1.5, 2.5)
    assert lesson.tidy(1e-30) == 0.0 and lesson.tidy(-0.5) == -0.5
    flat = lesson.search_run(parse_function("x^4 + y^4", ["x", "y"]), bounds, ())
    assert [lesson.critical_kind(c) for c in next(iter(flat)).points] == ["need more info"]
