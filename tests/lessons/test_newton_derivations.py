"""The Newton tabs' derivations without Qt: every number against the curriculum (§4, §5,
Errata) and independent references (finite differences, np.linalg)."""

from __future__ import annotations

import re
from itertools import islice

import numpy as np
import pytest

from optgui.lessons import newton1d, newton2d
from optgui.lessons import newton_derivations as nd
from optgui.lessons.derivation import Line, Table
from optgui.lessons.newton1d import Newton1DSettings
from optgui.lessons.newton2d import Newton2DSettings
from optgui.lessons.race import parse
from tests.lessons.test_newton1d_lesson import g1, g2

#: Curriculum §4: Newton's iterates from x₀ = 0.05.
SLIDES_1D = [0.05, 0.09724765, 0.18317667, 0.32051969, 0.47729765, 0.55784977, 0.56705989]
#: Curriculum §5: Newton's iterates from (4, 4).
SLIDES_2D = [
    (4.0, 4.0),
    (2.58273866, 2.62128884),
    (1.59225691, 1.67481611),
    (0.87058917, 1.00182107),
]


def records(settings, lesson, n: int):
    return list(islice(lesson.factory(settings)(None), n))


def at_k(settings, lesson, k: int) -> nd.At:
    record = records(settings, lesson, k + 1)[k]
    at = nd.at_record(record, settings, parse(settings))
    assert at is not None and at.k == k
    return at


def tex_numbers(latex: str) -> list[float]:
    """The numbers of a formula (subscripts such as x_{3} left out, ×10ⁿ read)."""
    latex = latex.replace(r"\genfrac{}{}{0}{0}", "").replace("^{-1}", "")
    latex = re.sub(r"_\{?\d+\}?", "", latex)
    latex = re.sub(r"\\times 10\^\{(-?\d+)\}", r"e\1", latex)
    found = re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", latex)
    return [float(t) for t in found]


def html_numbers(text: str) -> list[float]:
    text = re.sub(r"<sub>[^<]*</sub>|<[^>]+>|&\w+;", " ", text)
    text = text.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "          "))
    return [float(t.replace("−", "-")) for t in re.findall(r"[−-]?\d+(?:\.\d+)?", text)]


def by_title(derivations, title):
    return next(d for d in derivations if d.title == title)


# ============================================================== Newton 1-D


@pytest.mark.parametrize("k", range(6))
def test_root_finding_ends_with_the_tangent_of_g_prime_and_the_slides_iterate(k):
    settings = Newton1DSettings()
    at = at_k(settings, newton1d, k)
    d = nd.root_finding(at, parse(settings))
    assert d.title == nd.ROOT_FINDING
    texts = [line.latex for line in d.lines]
    # the slides' order: root finding of f first, then the substitution f ↦ g′
    assert texts[3] == r"x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)}"
    assert r"f \mapsto g'" in texts[4] and r"\frac{g'(x_k)}{g''(x_k)}" in texts[5]
    assert texts[6] == "f(x) = g'(x) = e^{x} - \\frac{1}{x}"
    assert texts[7] == "f'(x) = g''(x) = e^{x} + \\frac{1}{x^{2}}"
    tangent, crossing = texts[-2], texts[-1]
    x = SLIDES_1D[k]
    slope, curvature, x_k = tex_numbers(tangent.split(" = ")[-1])
    assert x_k == pytest.approx(x, abs=1e-8)
    assert slope == pytest.approx(g1(x), rel=1e-5)
    assert curvature == pytest.approx(g2(x), rel=1e-4)
    assert "the middle plot" in d.lines[-2].words.lower()
    before, g_prime, g_second, after = tex_numbers(crossing)
    assert before == pytest.approx(x, abs=1e-8) and after == pytest.approx(
        SLIDES_1D[k + 1], abs=1e-8
    )
    assert before - g_prime / g_second == pytest.approx(after, abs=1e-5)  # (6 digits shown)
    assert crossing.startswith(f"x_{{{k + 1}}} = ")


def test_root_finding_where_g_second_is_zero_says_the_step_is_undefined():
    settings = newton1d.PRESETS[3].apply(Newton1DSettings())  # x³ − 3x from 0
    function = parse(settings)
    preview = newton1d.factory(settings, function)  # (Newton takes no step: g″(0) = 0)
    record = next(iter(preview(None)))
    assert record.newton is None
    at = nd.at_record(record, settings, function)
    assert at is not None and at.x_next is None and at.hessian == ((0.0,),)
    assert at.gradient == (-3.0,)
    last = nd.root_finding(at, function).lines[-1]
    assert "never crosses zero" in last.words and not last.latex
    assert (
        nd.at_record(
            None,
            settings.replace(x0=-1.0, function="log(x)"),
            parse(settings.replace(function="log(x)", x0=1.0)),
        )
        is None
    )  # outside the domain: no numbers


@pytest.mark.parametrize(
    ("slope", "curvature", "row"),
    [
        (1.0, 2.0, 0),
        (1.0, -2.0, 1),
        (-1.0, 2.0, 2),
        (-1.0, -2.0, 3),
        (1e-14, 2.0, 4),
        (0.0, -2.0, 5),
        (0.0, 0.0, 6),
        (-3.0, 0.0, 7),
    ],
)
def test_the_sign_table_row_of_g_prime_and_g_second(slope, curvature, row):
    assert nd.sign_row(slope, curvature, 1e-12) == row
    cells = nd.SIGN_ROWS[row][0]
    assert ("f′ > 0" in cells) == (slope > 1e-12) and ("f″ < 0" in cells) == (curvature < 0)


def test_second_derivative_velocity_acceleration_notations_and_the_lit_row():
    settings = Newton1DSettings()
    at = at_k(settings, newton1d, 2)
    d = nd.second_derivative(at, settings.tolerance)
    latex = [line.latex for line in d.lines if isinstance(line, Line)]
    words = " ".join(line.words for line in d.lines if isinstance(line, Line))
    for said in ("distance", "velocity", "acceleration", "Leibniz", "Lagrange"):
        assert said in words
    assert r"\frac{d^2x}{dt^2}" in latex[2] and latex[3] == r"\frac{d^2f}{dx^2} = f''(x)"
    values = tex_numbers(latex[4])
    assert values[0] == pytest.approx(g1(SLIDES_1D[2]), rel=1e-5)  # g′(x₂) = −4.25818
    assert values[2] == pytest.approx(g2(SLIDES_1D[2]), rel=1e-4)  # g″(x₂) = 31.004
    assert "< 0" in latex[4] and "> 0" in latex[4]
    table = next(line for line in d.lines if isinstance(line, Table))
    assert table.highlight == 2  # decreasing, concave up
    assert table.rows[2][0] == "f′ < 0 decreasing ↘, f″ > 0 concave up ∪"
    texts = [row[1] for row in table.rows]
    assert "local minimum (“happy face”)" in texts and "local maximum (“sad face”)" in texts
    assert "need more information" in texts
    assert "local minimum" in d.lines[-1].words


def test_second_derivative_where_newton_heads_for_a_maximum():
    settings = newton1d.PRESETS[2].apply(Newton1DSettings())  # x⁴ − 4x² from 0.5
    at = at_k(settings, newton1d, 0)
    d = nd.second_derivative(at, settings.tolerance)
    table = next(line for line in d.lines if isinstance(line, Table))
    assert table.highlight == 3  # g′ = −3.5 < 0, g″ = −5 < 0
    assert "heads for a maximum" in d.lines[-1].words


def test_bridge_from_one_variable_with_this_steps_numbers():
    settings = Newton1DSettings()
    at = at_k(settings, newton1d, 0)
    d = nd.bridge_1d(at)
    table = next(line for line in d.lines if isinstance(line, Table))
    assert [row[1:] for row in table.rows] == [
        ("f′(x)", "gradient ∇f (2×1)"),
        ("f″(x)", "Hessian H (2×2)"),
        ("x − f″⁻¹ f′", "[x, y] − H⁻¹ ∇f"),
    ]
    step = next(
        line.latex
        for line in d.lines
        if isinstance(line, Line) and "^{-1}" in line.latex and "0.05" in line.latex
    )
    x, g_second, g_prime, after = tex_numbers(step)[:4]
    assert (x, after) == (0.05, pytest.approx(SLIDES_1D[1], abs=1e-8))
    assert g_second == pytest.approx(401.05127, rel=1e-5) and g_prime == pytest.approx(
        -18.948729, rel=1e-5
    )


def test_the_x3_erratum_at_the_slides_third_and_fourth_steps():
    settings = Newton1DSettings()
    notes = {
        k: nd.newton1d_derivations(settings, at_k(settings, newton1d, k), parse(settings))
        for k in range(6)
    }
    third = notes[2][0].note
    assert "x₃ = 0.320" in third and "0.183" in third and "0.32051969" in third
    assert "rounds to 0.321" in third
    assert html_numbers(third.split("(")[1])[1] == pytest.approx(
        newton1d.slides_step(0.183), abs=1e-5
    )  # 0.183 − g′/g″ = 0.32027: the slides' 0.320
    assert newton1d.slides_step(0.183) == pytest.approx(0.32027, abs=1e-5)
    assert "0.320" in notes[3][0].note and "0.477" in notes[3][0].note
    assert notes[4][0].note == newton1d.ERRATUM  # the 0.447 slip
    assert all(d.note == "" for k in (0, 1, 5) for d in notes[k])
    assert all(d.note == notes[2][0].note for d in notes[2])  # on each derivation of the step
    notebook = Newton1DSettings(x0=1.6)
    assert all(
        newton1d.slides_note(notebook, r.k, r.newton.x[0]) is None
        for r in records(notebook, newton1d, 6)
    )


def test_the_math_panel_notes_the_x3_erratum():
    settings = Newton1DSettings()
    rs = records(settings, newton1d, 5)
    assert any("0.321" in line for line in newton1d.math_lines(rs[2], settings))
    assert any("0.320" in line for line in newton1d.math_lines(rs[3], settings))
    assert not any("0.320" in line for line in newton1d.math_lines(rs[1], settings))
    assert "0.321" in newton1d.PRESETS[0].tooltip and "0.320" in newton1d.PRESETS[0].tooltip


# ============================================================== Newton 2-D


def test_the_matrix_step_of_the_slides_first_step():
    settings = Newton2DSettings()
    at = at_k(settings, newton2d, 0)
    (d,) = nd.newton2d_derivations(settings, at)
    assert d.title == nd.MATRIX_STEP and d.note == ""
    latex = [line.latex for line in d.lines if isinstance(line, Line)]
    assert r"f''(x_k)^{-1}\,f'(x_k)" in latex[0]
    assert r"H^{-1}(x_k, y_k)\;\nabla f(x_k, y_k)" in latex[1]
    assert r"\underset{2\times 2}{H^{-1}}\;\underset{2\times 1}{\nabla f}" in latex[2]
    g, h = np.array([277.6, 213.6]), np.array([[198.4, -2.6], [-2.6, 157.6]])
    assert tex_numbers(latex[3]) == pytest.approx([*g, 198.4, -2.6, -2.6, 157.6])
    inverse = tex_numbers(latex[4])  # 1/det, the adjugate, then H⁻¹
    assert inverse[1] == pytest.approx(np.linalg.det(h), rel=1e-5)
    assert inverse[2:6] == pytest.approx([157.6, 2.6, 2.6, 198.4])  # [[d, −b], [−c, a]]
    assert inverse[6:10] == pytest.approx(np.linalg.inv(h).T.ravel(), rel=1e-3)
    product = tex_numbers(latex[5])
    s = np.linalg.solve(h, g)
    assert product[-2:] == pytest.approx(s, rel=1e-5)  # H⁻¹ (2×2) · ∇f (2×1) in that order
    assert product[4:6] == pytest.approx(g)
    point = tex_numbers(latex[6])
    assert point[:2] == [4.0, 4.0] and point[2:4] == pytest.approx(s, rel=1e-5)
    assert point[4:] == pytest.approx(SLIDES_2D[1], abs=1e-7)
    assert "H·s = ∇f" in d.lines[-1].words


def test_the_matrix_step_says_where_the_order_matters():
    at = at_k(Newton2DSettings(), newton2d, 0)
    words = " ".join(line.words for line in nd.matrix_step(at).lines if isinstance(line, Line))
    assert "order matters" in words and "2×1 times 2×2, is not even defined" in words


def test_the_second_step_erratum_with_both_the_slides_and_the_exact_values():
    settings = Newton2DSettings()
    at = at_k(settings, newton2d, 1)
    (d,) = nd.newton2d_derivations(settings, at)
    note = d.note
    assert "(2.58, 2.62)" in note and "(2.58, 2.61)" in note
    assert "[84.25, 63.4]" in note and "[[86.83, −2.032], [−2.032, 69.39]]" in note
    assert "[84.2456, 64.2044]" in note and "[[86.998, −2.0331], [−2.0331, 69.963]]" in note
    assert "x₂ = (1.592, 1.675)" in note
    # the exact values: ∇f and H at the exact x₁, against the curriculum's formulas
    x, y = SLIDES_2D[1]
    grad = [4 * x**3 + 8 * x - y - 0.4 * x * y, 3.2 * y**3 + 4 * y - x - 0.2 * x**2]
    hess = [12 * x**2 + 8 - 0.4 * y, -1 - 0.4 * x, 9.6 * y**2 + 4]
    assert grad == pytest.approx([84.2456, 64.2044], abs=1e-4)
    assert hess == pytest.approx([86.998, -2.0331, 69.963], abs=1e-3)
    # … and the slides' from their rounded point (2.58, 2.61): H = [[86.83, −2.032], [·, 69.39]]
    assert pytest.approx([86.83, -2.032], 1e-4) == [12 * 2.58**2 + 8 - 0.4 * 2.61, -1 - 0.4 * 2.58]
    # the math panel says it too, at that step only
    rs = records(settings, newton2d, 3)
    assert any("84.25" in line for line in newton2d.math_lines(rs[1], settings))
    assert not any(
        "84.25" in line for k in (0, 2) for line in newton2d.math_lines(rs[k], settings)
    )
    assert nd.newton2d_derivations(settings, at_k(settings, newton2d, 2))[0].note == ""
    modified = settings.replace(modified=True)
    assert nd.newton2d_derivations(modified, at_k(modified, newton2d, 1))[0].note == ""


def test_modified_newton_and_a_singular_hessian():
    settings = Newton2DSettings(modified=True, tau=2.0)
    d = nd.matrix_step(at_k(settings, newton2d, 0))
    latex = [line.latex for line in d.lines if isinstance(line, Line)]
    assert r"(H + 2I) = " in latex[3]
    assert tex_numbers(latex[3])[3:] == pytest.approx([200.4, -2.6, -2.6, 159.6])
    point = tex_numbers(latex[6])
    s = np.linalg.solve([[200.4, -2.6], [-2.6, 159.6]], [277.6, 213.6])
    assert point[-2:] == pytest.approx(np.array([4.0, 4.0]) - s, abs=1e-6)
    singular = newton2d.PRESETS[4].apply(Newton2DSettings())  # x² + y⁴ from (2, 0)
    function = parse(singular)
    record = next(iter(newton2d.factory(singular, function)(None)))
    at = nd.at_record(record, singular, function)
    assert at is not None and at.x_next is None
    last = nd.matrix_step(at).lines[-1]
    assert "no inverse" in last.words and "det H = 0" in last.words


def test_every_derivation_says_something_before_a_start_is_usable():
    function = parse(Newton1DSettings())
    for d in nd.newton1d_derivations(Newton1DSettings(), None, function):
        assert nd.NO_START in d.text()
    assert nd.NO_START in nd.newton2d_derivations(Newton2DSettings(), None)[0].text()
