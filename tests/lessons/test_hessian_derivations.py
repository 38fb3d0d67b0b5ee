"""The Hessian slides' derivations without Qt: each line's numbers against the slides
(curriculum §6), numpy's eigenvalues and finite differences."""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pytest

from optgui.core.expr import parse_function, second_partial
from optgui.lessons import hessian as lesson
from optgui.lessons import hessian_derivations as hd
from optgui.lessons.derivation import Line, Table

R2 = math.sqrt(2)
MINIMUM = "2*x^2 + 3*y^2 - x*y"
MAXIMUM = "-2*x^2 - 3*y^2 - x*y + 15"
SADDLE = "2*x^2 - 2*y^2"
NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"
THREE = "x^2 + 2*y^2 - z^2 + x*y"


def made(text: str, point=(0.0, 0.0)):
    variables = lesson.VARIABLES[: len(point)]
    f = parse_function(text, variables)
    r, problem = lesson.analysis_at(f, point)
    return f, r, problem, {d.title: d for d in hd.derivations(f, point, r, problem)}


def latexes(d) -> list[str]:
    return [line.latex for line in d.lines if isinstance(line, Line)]


def numbers_in(latex: str, name: str) -> float:
    """The number after ``name = … =`` at the end of a chain (``\\lambda_1 = … = 6.4142``)."""
    match = re.search(re.escape(name) + r"[^,]*= (-?[\d.]+)(?:,|$| [<>=])", latex)
    assert match, (name, latex)
    return float(match.group(1))


# ---------------------------------------------------------------- the slides' lines


def test_the_first_preset_is_the_slides_example():
    assert lesson.PRESETS[0].text == MINIMUM == lesson.START_TEXT


def test_how_the_hessian_is_built_for_the_slides_example():
    _, _, _, ds = made(MINIMUM)
    d = ds[hd.BUILT]
    assert [x.title for x in ds.values()] == [hd.BUILT, hd.EIGEN, hd.SUMMARY]
    lines = latexes(d)
    # ∇f = (4x − y, 6y − x), as sympy orders it
    assert r"f_{x} = \frac{\partial f}{\partial x} = 4 x - y" in lines[1]
    assert r"f_{y} = \frac{\partial f}{\partial y} = - x + 6 y" in lines[1]
    # the tree: f → f_x, f_y → f_xx, f_xy, f_yx, f_yy = 4, −1, −1, 6
    tree = next(line for line in d.lines if isinstance(line, Table))
    assert list(tree.rows) == [
        ["f = 2x² + 3y² − x·y", "f_x = 4x − y", "f_y = −x + 6y"],
        ["f_x = 4x − y", "f_xx = 4", "f_xy = −1"],
        ["f_y = −x + 6y", "f_yx = −1", "f_yy = 6"],
    ]
    text = d.text()
    assert "They are the same!" in text and "both give −1: equal" in text
    assert r"\frac{\partial^2 f}{\partial x\,\partial y} = f_{xy}" in text
    assert r"\nabla f_{x}^T" in text and r"\nabla f_{y}^T" in text
    # ∇f_x = [4, −1], ∇f_y = [−1, 6] and H(0, 0) = [[4, −1], [−1, 6]]
    assert r"\left[\genfrac{}{}{0}{0}{4}{-1}\right]" in text
    assert r"\left[\genfrac{}{}{0}{0}{-1}{6}\right]" in text
    assert (
        r"H(0, 0) = \left[\genfrac{}{}{0}{0}{4}{-1}\quad \genfrac{}{}{0}{0}{-1}{6}\right]"
        in (lines[-1])
    )


def test_the_slides_det_expanded_with_numbers():
    _, _, _, ds = made(MINIMUM)
    d = ds[hd.EIGEN]
    lines = latexes(d)
    assert r"\det\left(\left[\genfrac{}{}{0}{0}{4 - \lambda}{-1}\quad " in lines[1]
    assert lines[2] == r"= (4 - \lambda)(6 - \lambda) - (-1)(-1)"
    assert lines[3] == r"= \lambda^2 - 10\lambda + 23"
    assert lines[4] == (r"\lambda = \frac{10 \pm \sqrt{100 - 92}}{2} = \frac{10 \pm 2.8284}{2}")
    assert numbers_in(lines[5], r"\lambda_1") == 6.4142
    assert numbers_in(lines[5], r"\lambda_2") == 3.5858
    assert "λ₁ is the larger root" in d.text()
    assert "(0, 0) is a minimum!" in d.text() and d.note == ""


def test_the_maximum_keeps_the_erratum_and_the_slides_product():
    _, _, _, ds = made(MAXIMUM)
    d = ds[hd.EIGEN]
    lines = latexes(d)
    assert lines[2] == r"= (-4 - \lambda)(-6 - \lambda) - (-1)(-1)"
    assert lines[3] == r"= \lambda^2 + 10\lambda + 23"
    assert numbers_in(lines[5], r"\lambda_1") == round(-5 + R2, 4)  # not the slides' −3.49
    assert numbers_in(lines[5], r"\lambda_2") == round(-5 - R2, 4)
    assert d.note == lesson.ERRATUM


def test_the_saddle_reads_as_on_the_slide_and_says_its_order():
    _, _, _, ds = made(SADDLE)
    d = ds[hd.EIGEN]
    lines = latexes(d)
    assert lines[2] == r"= (4 - \lambda)(-4 - \lambda) - 0"
    assert lines[3] == r"= \lambda^2 - 16"
    assert lines[4] == r"\lambda = \frac{0 \pm \sqrt{0 - (-64)}}{2} = \frac{0 \pm 8}{2}"
    assert numbers_in(lines[5], r"\lambda_1") == 4 and numbers_in(lines[5], r"\lambda_2") == -4
    assert d.note == hd.SADDLE_ORDER and "λ₁ = 4, λ₂ = −4" in d.note
    assert "saddle point!" in d.text()


@pytest.mark.parametrize("seed", range(20))
def test_the_quadratic_formula_gives_numpys_eigenvalues(seed):
    rng = np.random.default_rng(seed)
    a, b, d = rng.normal(0, 5, 3)
    text = f"{a / 2:.6f}*x^2 + {b:.6f}*x*y + {d / 2:.6f}*y^2".replace("+ -", "- ")
    f, r, _, ds = made(text, (0.3, -0.2))
    h = np.asarray(r.hessian)
    trace, t2, four_det, root, big = hd.quadratic_roots(h)
    exact = np.linalg.eigvalsh(h)
    assert big == pytest.approx(exact[1], abs=1e-9) and trace - big == pytest.approx(exact[0])
    assert t2 - four_det == pytest.approx(root**2)
    # the shown λ1 ≥ λ2 are numpy's, to the shown digits; their sum and product check out
    lines = latexes(ds[hd.EIGEN])
    shown = numbers_in(lines[5], r"\lambda_1"), numbers_in(lines[5], r"\lambda_2")
    assert shown == pytest.approx(exact[::-1], rel=1e-4, abs=1e-4)
    # det(H − λI) as shown has these roots
    assert np.sort(np.roots(hd.det_poly(r))) == pytest.approx(exact, abs=1e-9)


def test_three_variables_get_a_cubic():
    _, r, _, ds = made(THREE, (0.0, 0.0, 0.0))
    d = ds[hd.EIGEN]
    lines = latexes(d)
    assert lines[2] == r"= -\lambda^3 + 4\lambda^2 + 5\lambda - 14"
    assert "cubic" in d.text()
    exact = sorted([-2, 3 - R2, 3 + R2], reverse=True)
    for i, value in enumerate(exact):
        assert numbers_in(lines[3], rf"\lambda_{i + 1}") == pytest.approx(value, abs=1e-4)
    assert np.sort(np.roots(hd.det_poly(r)))[::-1] == pytest.approx(exact, abs=1e-9)
    assert "saddle point!" in d.text()
    tree = next(line for line in ds[hd.BUILT].lines if isinstance(line, Table))
    assert list(tree.headings) == ["differentiate", "… w.r.t. x", "… w.r.t. y", "… w.r.t. z"]
    assert tree.rows[3] == ["f_z = −2z", "f_zx = 0", "f_zy = 0", "f_zz = −2"]
    assert "f<sub>xz</sub> = f<sub>zx</sub>" in ds[hd.BUILT].text()


def test_poly_latex():
    assert hd.poly_latex([1, -10, 23]) == r"\lambda^2 - 10\lambda + 23"
    assert hd.poly_latex([1, 0, -16]) == r"\lambda^2 - 16"
    assert hd.poly_latex([-1, 1.5, 0, 0]) == r"-\lambda^3 + 1.5\lambda^2"
    assert hd.poly_latex([1, -356, 31261.08]) == r"\lambda^2 - 356\lambda + 31261.08"
    assert hd.poly_latex([0, 0]) == "0"


def test_the_product_puts_negative_entries_in_parentheses():
    assert hd.product_2x2(np.array([[1.0, 2.0], [2.0, 3.0]])) == (
        r"(1 - \lambda)(3 - \lambda) - 2 \cdot 2"
    )
    assert hd.product_2x2(np.array([[0.0, -0.5], [-0.5, -2.0]])) == (
        r"(0 - \lambda)(-2 - \lambda) - (-0.5)(-0.5)"
    )


# ---------------------------------------------------------------- f_xy = f_yx


def difference(f, p, i: int, j: int, h: float = 1e-5) -> float:
    """∂/∂x_j of ∂f/∂x_i at p by central differences of the gradient."""
    step = np.zeros(len(p))
    step[j] = h
    return float((f.gradient(p + step)[i] - f.gradient(p - step)[i]) / (2 * h))


@pytest.mark.parametrize(
    ("text", "point"),
    [
        (MINIMUM, (0.0, 0.0)),
        (NEWTON_2D, (4.0, 4.0)),
        ("x^3 - 3*x*y^2", (0.7, -1.1)),
        ("sin(x*y) + exp(x)*y^2 + log(x)", (1.3, 0.4)),
        (THREE + " + x*y*z^2", (0.5, -0.3, 1.2)),
    ],
)
def test_both_mixed_partials_are_computed_and_agree_with_finite_differences(text, point):
    f = parse_function(text, lesson.VARIABLES[: len(point)])
    p = np.array(point)
    for i in range(f.n):
        for j in range(f.n):
            _, _, value = second_partial(f, i, j)
            assert value(p) == pytest.approx(difference(f, p, i, j), rel=1e-6, abs=1e-6)
            assert value(p) == pytest.approx(f.hessian(p)[i, j], rel=1e-12, abs=1e-12)
    r, problem = lesson.analysis_at(f, point)
    built = hd.built(f, point, r, problem)
    assert "equal." in built.text() and "they differ" not in built.text()


def test_the_mixed_partials_of_the_newton_function_in_both_orders():
    f = parse_function(NEWTON_2D, ("x", "y"))
    assert second_partial(f, 0, 1)[0] == second_partial(f, 1, 0)[0] == "-0.4*x - 1"
    d = hd.built(f, (4.0, 4.0), *lesson.analysis_at(f, (4.0, 4.0)))
    lines = [line for line in d.lines if isinstance(line, Line)]
    first, second = (line for line in lines if "both ways" in line.words or "… and" in line.words)
    assert first.latex.startswith(r"f_{xy} = \frac{\partial}{\partial y}\left(4 x^{3}")
    assert first.latex.endswith("= - 0.4 x - 1 = -2.6")
    assert second.latex.startswith(r"f_{yx} = \frac{\partial}{\partial x}\left(- 0.2 x^{2}")
    assert second.latex.endswith("= - 0.4 x - 1 = -2.6")
    assert "At (4, 4) both give −2.6: equal." in second.words


def test_pretty():
    assert hd.pretty("12*x^2 - 0.4*y + 8") == "12x² − 0.4y + 8"
    assert hd.pretty("-0.2*x^2 - x*y") == "−0.2x² − x·y"
    assert hd.pretty("2*exp(x) + 1.0e-5*x1") == "2·exp(x) + 1.0e-5·x1"
    assert hd.pretty("x^(-1)") == "x^(−1)"


# ---------------------------------------------------------------- the summary table


@pytest.mark.parametrize(
    ("text", "point", "lit", "words"),
    [
        (MINIMUM, (0.0, 0.0), 0, "Upper paraboloid: λ₁ > 0 and λ₂ > 0"),
        (MAXIMUM, (0.0, 0.0), 1, "Down paraboloid: λ₁ < 0 and λ₂ < 0"),
        (SADDLE, (0.0, 0.0), 2, "Saddle point"),
        ("x^4 + y^4", (0.0, 0.0), 2, "Or some λᵢ = 0"),
        (THREE, (0.0, 0.0, 0.0), 2, "Some λᵢ > 0 and some λⱼ < 0"),
        (MINIMUM, (1.0, 1.0), None, "not a critical point"),
    ],
)
def test_the_summary_table_lights_the_row_that_applies(text, point, lit, words):
    _, _, _, ds = made(text, point)
    d = ds[hd.SUMMARY]
    table = next(line for line in d.lines if isinstance(line, Table))
    assert table.highlight == lit
    assert words in html.unescape(d.lines[-1].words)


def test_the_summary_table_is_the_slides():
    table = hd.summary_table(None)
    assert list(table.headings) == [
        "",
        "1 variable f(x)",
        "2 variables f(x, y)",
        "More variables f(x₁, …, xₙ)",
    ]
    assert [row[:2] for row in table.rows] == [
        ["(Local) minima", "Happy face: f″(x) > 0"],
        ["(Local) maxima", "Sad face: f″(x) < 0"],
        ["Need more information", "f″(x) = 0"],
    ]
    assert table.rows[2][3] == "Some λᵢ > 0 and some λⱼ < 0, or at least one λᵢ = 0"


def test_a_point_outside_the_domain_still_derives_the_symbols():
    _, r, problem, ds = made("log(x) + y^2", (-1.0, 0.0))
    assert r is None and "not defined" in problem
    assert "−1/x²" in ds[hd.BUILT].text()
    assert "not defined" in ds[hd.EIGEN].text() and len(ds[hd.EIGEN].lines) == 1
    table = next(line for line in ds[hd.SUMMARY].lines if isinstance(line, Table))
    assert table.highlight is None


@pytest.mark.parametrize("preset", lesson.PRESETS, ids=[p.label for p in lesson.PRESETS])
def test_the_words_are_html_a_label_can_show(preset):
    """Words are rich text: a bare "<" (f″(x) < 0) would start a tag and cut the line."""
    n = 3 if "z" in preset.text else 2
    point = lesson.preset_point(preset, n)
    for at in (point, tuple(v + 0.7 for v in point), (-1.0,) * n):
        f = parse_function(preset.text + " + log(x)", lesson.VARIABLES[:n])
        r, problem = lesson.analysis_at(f, at)
        for d in hd.derivations(f, at, r, problem):
            for line in d.lines:
                if isinstance(line, Line):
                    assert "<" not in re.sub(r"</?(sub|b|i)>", "", line.words), line.words
