"""Newton 2-D's lesson without Qt: settings, the run and every text, against curriculum §5."""

from __future__ import annotations

import json
import re
from itertools import islice

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.core.format import fmt
from optgui.lessons import newton2d as lesson
from optgui.lessons import race
from optgui.lessons.newton2d import DEFAULT, PRESETS, Newton2DSettings
from optgui.lessons.settings import SettingsError

#: Curriculum §5: Newton's iterates from (4, 4).
SLIDES = [
    (2.58273866, 2.62128884),
    (1.59225691, 1.67481611),
    (0.87058917, 1.00182107),
    (0.33519431, 0.49397623),
    (0.04123585, 0.12545903),
    (0.00019466, 0.00301029),
]


def run(settings: Newton2DSettings, n: int):
    return list(islice(lesson.factory(settings)(None), n))


def f(x: float, y: float) -> float:
    return x**4 + 0.8 * y**4 + 4 * x**2 + 2 * y**2 - x * y - 0.2 * x**2 * y


def gradient(x: float, y: float) -> np.ndarray:
    """The curriculum's ∇f."""
    return np.array([4 * x**3 + 8 * x - y - 0.4 * x * y, 3.2 * y**3 + 4 * y - x - 0.2 * x**2])


def hessian(x: float, y: float) -> np.ndarray:
    """The curriculum's H."""
    return np.array([[12 * x**2 + 8 - 0.4 * y, -1 - 0.4 * x], [-1 - 0.4 * x, 9.6 * y**2 + 4]])


def finite_gradient(x: float, y: float, h: float = 1e-5) -> np.ndarray:
    return np.array([(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)])


def values(cells: list[list[str]]) -> np.ndarray:
    return np.array([[float(c.replace("−", "-")) for c in row] for row in cells])


def numbers(text: str) -> list[float]:
    text = re.sub(r"<sub>\d+</sub>|<[^>]+>", " ", text)
    return [
        float(t.replace("−", "-")) for t in re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)
    ]


# ============================================================== settings


def test_defaults_are_the_slides():
    s = Newton2DSettings()
    assert (s.function, s.start, s.learning_rate, s.tolerance) == (
        DEFAULT,
        (4.0, 4.0),
        0.02,
        1e-12,
    )
    assert (s.modified, s.tau, s.damping) == (False, 2.0, 0.0)
    assert s.map_window == ((-5.0, 5.0), (-5.0, 5.0)) and s.start_text() == "(4, 4)"
    assert s.replace(modified=True).damping == 2.0


def test_settings_round_trip_through_json():
    s = Newton2DSettings(
        function="x^2 + y^4",
        start=(2.0, -0.5),
        learning_rate=0.1,
        tolerance=1e-6,
        modified=True,
        tau=3.5,
        window=(-3.0, 3.0, -1.0, 2.0),
    )
    assert Newton2DSettings.from_json(json.loads(json.dumps(s.to_json()))) == s
    assert Newton2DSettings.from_state(s.to_json()) == s


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tau": -1.0}, "τ should be between 0 and 1000"),
        ({"modified": 1}, "modified Newton should be yes or no"),
        ({"start": ("a", "4")}, "start (x₀, y₀) should be a number"),
        ({"start": (1.0,)}, "start (x₀, y₀) should hold 2 values"),
        ({"start": (2e6, 0.0)}, "the start and the map should lie within ±1e+06"),
        (
            {"window": (5.0, -5.0, -5.0, 5.0)},
            "the map's window should have its right and top ends larger",
        ),
        ({"learning_rate": 1e-7}, "learning rate α should be between 1e-06 and 100"),
        ({"function": ""}, "f should not be empty"),
    ],
)
def test_settings_say_what_is_wrong(changes, message):
    with pytest.raises(SettingsError) as error:
        Newton2DSettings().replace(**changes)
    assert str(error.value) == message


def test_sessions_saved_by_the_previous_version_still_open():
    saved = {  # what main's Newton 2-D tab saved (the tolerance as an index)
        "speed": 2,
        "limit": 300,
        "steps": 2,
        "function": "x^2 + 3*y^2 + x*y",
        "learning_rate": 0.02,
        "tolerance": 4,
        "start": [1.5, -2.0],
        "window": [-5.0, 5.0, -5.0, 5.0],
        "modified": True,
        "tau": 2.0,
    }
    s = Newton2DSettings.from_state(saved)
    assert (s.start, s.tolerance, s.damping) == ((1.5, -2.0), 1e-12, 2.0)


def test_presets_parse_as_written_and_make_valid_settings():
    for preset in PRESETS:
        assert parse_function(preset.text, ("x", "y")).text == preset.text
        s = preset.apply(Newton2DSettings(modified=True))
        assert (s.function, s.start, s.map_window, s.learning_rate) == (
            preset.text,
            preset.start,
            preset.window,
            preset.rate,
        )
        assert s.modified  # a preset leaves the method alone
    assert PRESETS[0].apply(Newton2DSettings(start=(1.0, 1.0))) == Newton2DSettings()


def test_the_map_widens_to_show_a_start_outside_it():
    window = (-5.0, 5.0, -5.0, 5.0)
    assert lesson.window_around((4.0, -4.0), window) == window
    assert lesson.window_around((20.0, 1.0), window) == (-24.0, 24.0, -24.0, 24.0)


# ============================================================== the run


def test_the_slides_first_step():
    step = run(Newton2DSettings(), 1)[0].newton
    assert step.value == f(4, 4) == 528
    np.testing.assert_allclose(step.gradient, [277.6, 213.6], rtol=1e-14)
    np.testing.assert_allclose(step.gradient, gradient(4, 4), rtol=1e-14)
    np.testing.assert_allclose(step.gradient, finite_gradient(4, 4), rtol=1e-8)
    np.testing.assert_allclose(step.hessian, [[198.4, -2.6], [-2.6, 157.6]], rtol=1e-14)
    np.testing.assert_allclose(step.hessian, hessian(4, 4), rtol=1e-14)
    np.testing.assert_allclose(step.s, np.linalg.solve(hessian(4, 4), gradient(4, 4)), rtol=1e-13)


def test_the_slides_iterates_and_convergence_at_k8():
    records = run(Newton2DSettings(), 301)
    newton = [r.newton.x_next for r in records[:8]]
    np.testing.assert_allclose(newton[:6], SLIDES, atol=6e-9)
    np.testing.assert_allclose(newton[6], [-2.49e-8, 3.55e-8], rtol=5e-3)
    np.testing.assert_allclose(newton[7], [4.16e-17, -2.05e-17], rtol=5e-3)
    assert records[8].newton_end.k == 8 and "converged" in records[8].newton_end.message
    for r in records[:8]:  # every step: H·s = ∇f and x_{k+1} = x_k − s
        x, y = r.newton.x
        np.testing.assert_allclose(r.newton.hessian, hessian(x, y), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(r.newton.x_next, r.newton.x - r.newton.s, rtol=0, atol=1e-15)
    # gradient descent with α = 0.02: first step, then 300 steps later
    np.testing.assert_allclose(records[0].descent.x_next, [-1.552, -0.272], rtol=1e-12)
    np.testing.assert_allclose(records[299].descent.x_next, [-7.1e-12, -3.0e-11], rtol=2e-2)


def test_table_rows_from_history_rows():
    records = run(Newton2DSettings(), 3)
    texts = lesson.TABLE.texts(np.vstack([r.as_row() for r in records]), lesson.DIGITS)
    assert texts[0] == [
        "0",
        "4\n4",
        "277.6\n213.6",
        "198.4, −2.6\n−2.6, 157.6",
        f"{fmt(records[0].newton.s[0], 5)}\n{fmt(records[0].newton.s[1], 5)}",
        "4\n4",
    ]
    assert texts[1][1] == "2.5827387\n2.6212888"
    assert texts[1][5] == "−1.552\n−0.272"


# ============================================================== the math panel


def test_the_update_as_2x2_times_2x1_with_numbers():
    step = run(Newton2DSettings(), 1)[0].newton
    eq = lesson.equation(step)
    assert eq.h == [["198.4", "−2.6"], ["−2.6", "157.6"]] and eq.h_caption == "H (2×2)"
    assert eq.g == [["277.6"], ["213.6"]] and eq.x == [["4"], ["4"]]
    s = np.linalg.solve(hessian(4, 4), gradient(4, 4))
    np.testing.assert_allclose(values(eq.s)[:, 0], s, rtol=5e-5)
    np.testing.assert_allclose(values(eq.x_next)[:, 0], [2.5827, 2.6213], rtol=0, atol=1e-12)
    np.testing.assert_allclose(values(eq.x_next)[:, 0], np.array([4, 4]) - s, atol=1e-4)
    assert eq.solve == (
        "the step s, found by solving H·s = ∇f (H⁻¹ is never formed); then xₖ₊₁ = xₖ − s."
    )


def test_modified_newton_shows_h_plus_tau_i_and_its_tau():
    step = run(Newton2DSettings(modified=True, tau=2.0), 1)[0].newton
    eq = lesson.equation(step)
    assert eq.h == [["200.4", "−2.6"], ["−2.6", "159.6"]] and eq.h_caption == "H + τI (2×2)"
    assert "(H + τI)·s = ∇f with τ = 2 " in eq.solve
    s = np.linalg.solve(hessian(4, 4) + 2 * np.eye(2), gradient(4, 4))
    np.testing.assert_allclose(values(eq.s)[:, 0], s, rtol=5e-5)


def test_the_warning_where_h_is_not_positive_definite():
    assert lesson.hessian_warning(run(Newton2DSettings(), 1)[0].newton) is None
    indefinite = PRESETS[1].apply(Newton2DSettings())  # x⁴ + 0.8y⁴ − xy from (0.2, 0.1)
    step = run(indefinite, 1)[0].newton
    lam = np.linalg.eigvalsh([[12 * 0.2**2, -1], [-1, 9.6 * 0.1**2]])
    text = lesson.hessian_warning(step)
    assert text.startswith(
        "⚠ H is not positive definite at (0.2, 0.1) (eigenvalues −0.73 and 1.31)."
    )
    assert numbers(text)[2:4] == pytest.approx(lam, abs=5e-3)
    assert text.endswith("Tick “modified Newton: H + τI” to compare.")
    damped = run(indefinite.replace(modified=True, tau=2.0), 1)[0].newton
    assert lesson.hessian_warning(damped).endswith(
        "Modified Newton uses H + 2·I (eigenvalues 1.27 and 3.31)."
    )


def test_math_lines_of_the_first_step():
    settings = Newton2DSettings()
    lines = lesson.math_lines(run(settings, 1)[0], settings)
    assert lines == [
        "<b style='color:#D55E00'>Newton, step 0</b>",
        f"f(4, 4) = 528, |∇f| = {fmt(np.hypot(277.6, 213.6), 4)}",
        "<b>Gradient descent at x<sub>k</sub></b>: H has eigenvalues 157.4 and 198.6, so α must "
        "stay below 2/λ<sub>max</sub> = 2/198.6 = <b>0.0101</b> to settle here. "
        "α = 0.02 is above it: along H's steepest direction the step overshoots.",
        "<b style='color:#0072B2'>Gradient descent, step 0</b>: x<sub>1</sub> = (4, 4) − 0.02 × "
        "(277.6, 213.6) = <b>(−1.552, −0.272)</b>",
    ]
    assert lesson.math_lines(None, settings) == ["Choose a start inside the domain of f."]


def test_math_lines_show_the_learning_rate_the_step_ran_with():
    ran = Newton2DSettings(learning_rate=0.01)
    row = run(ran, 2)[1].as_row()
    now = ran.replace(learning_rate=0.04)
    assert " − 0.01 × (" in lesson.math_lines(race.rebuild(row, ran), now)[-1]
    assert " − 0.04 × (" in lesson.math_lines(race.rebuild(row, now), now)[-1]


def test_texts_around_the_run():
    s = Newton2DSettings()
    assert lesson.start_summary(s) == (
        "Both start at (4, 4). Newton uses H; gradient descent uses α = 0.02. "
        "Press Space to race them."
    )
    modified = lesson.start_summary(s.replace(modified=True, tau=2.5))
    assert "Modified Newton (τ = 2.5) uses H + 2.5·I;" in modified
    assert lesson.damping_status(s) == "From the next step on, Newton solves H·s = ∇f."
    assert lesson.damping_status(s.replace(modified=True)) == (
        "From the next step on, modified Newton (τ = 2) solves (H + 2·I)·s = ∇f."
    )
    gradient_tex, hessian_tex = lesson.derivatives_latex(parse_function(DEFAULT, ("x", "y")))
    assert len(gradient_tex) == 2 and all(len(r) == 1 for r in gradient_tex)
    assert len(hessian_tex) == 2 and all(len(r) == 2 for r in hessian_tex)
    assert hessian_tex[0][1] == hessian_tex[1][0]
    assert "2×2" in lesson.ORDER_NOTE and "2×1" in lesson.ORDER_NOTE
