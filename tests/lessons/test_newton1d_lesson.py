"""Newton 1-D's lesson without Qt: settings, the run and every text, against curriculum §4."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.lessons import newton1d as lesson
from optgui.lessons.newton1d import DEFAULT, PRESETS, Newton1DSettings
from optgui.lessons.settings import SettingsError

#: Curriculum §4: Newton's iterates from x₀ = 0.05 (the slides), then from 1.6 (the notebook).
SLIDES = [0.09724765, 0.18317667, 0.32051969, 0.47729765, 0.55784977, 0.56705989, 0.56714328]
NOTEBOOK = [
    0.7900617721793732,
    0.5436324685389214,
    0.5665913613835818,
    0.567143002403454,
    0.5671432904097056,
    0.5671432904097838,
]
MINIMUM = 0.5671432904097838


def run(settings: Newton1DSettings, n: int | None = None):
    records = []
    for record in lesson.factory(settings)(None):
        records.append(record)
        if n is not None and len(records) == n:
            break
    return records


def numbers(text: str) -> list[float]:
    """The numbers in a text, typographic minus included (HTML tags and subscripts dropped)."""
    text = re.sub(r"<sub>\d+</sub>|<[^>]+>|&nbsp;", " ", text)
    return [
        float(t.replace("−", "-")) for t in re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)
    ]


def g1(x: float) -> float:
    """g′ of g = eˣ − ln x by central differences of g."""
    h = 1e-6 * max(1.0, abs(x))
    return ((math.exp(x + h) - math.log(x + h)) - (math.exp(x - h) - math.log(x - h))) / (2 * h)


def g2(x: float) -> float:
    """g″ by central differences of g′ (the curriculum's formula: eˣ + 1/x²)."""
    h = 1e-4 * max(1.0, abs(x))
    return (g1(x + h) - g1(x - h)) / (2 * h)


# ============================================================== settings


def test_defaults_are_the_slides():
    s = Newton1DSettings()
    assert (s.function, s.x0, s.learning_rate, s.tolerance) == (DEFAULT, 0.05, 0.1, 1e-12)
    assert s.window == (0.0, 2.2) and s.point == (0.05,) and s.damping == 0.0
    assert s.slides and not s.replace(x0=1.6).slides
    assert s.start_text() == "x₀ = 0.05"


def test_settings_round_trip_through_json():
    s = Newton1DSettings(
        function="x^4 - 4*x^2", x0=0.5, learning_rate=0.05, tolerance=1e-8, x_min=-2.2, x_max=2.2
    )
    again = Newton1DSettings.from_json(json.loads(json.dumps(s.to_json())))
    assert again == s
    assert Newton1DSettings.from_state(s.to_json()) == s


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"learning_rate": 0.0}, "learning rate α should be between 1e-06 and 100"),
        ({"learning_rate": 101}, "learning rate α should be between 1e-06 and 100"),
        ({"tolerance": 1e-5}, "tolerance should be one of 0.0001, 1e-06, 1e-08, 1e-10, 1e-12"),
        ({"x0": "abc"}, "start x₀ should be a number"),
        ({"x0": math.inf}, "start x₀ should be a number"),
        ({"x0": 2e4}, "start x₀ should be between -10000 and 10000"),
        ({"x_min": 3.0}, "the right end of the x range must be larger than the left end"),
        ({"function": "  "}, "g should not be empty"),
        ({"function": 3}, "g(x) should be text"),
    ],
)
def test_settings_say_what_is_wrong(changes, message):
    with pytest.raises(SettingsError) as error:
        Newton1DSettings().replace(**changes)
    assert str(error.value) == message


def test_sessions_saved_by_the_previous_version_still_open():
    saved = {  # what main's Newton 1-D tab saved: tolerance as an index, the x range as "window"
        "speed": 2,
        "limit": 100,
        "steps": 3,
        "function": "exp(x) - log(x)",
        "learning_rate": 0.2,
        "tolerance": 4,
        "x0": 1.6,
        "window": [0.0, 2.2],
    }
    s = Newton1DSettings.from_state(saved)
    assert (s.x0, s.learning_rate, s.tolerance, s.window) == (1.6, 0.2, 1e-12, (0.0, 2.2))
    with pytest.raises(SettingsError, match="x range should hold 2 numbers"):
        Newton1DSettings.from_state({"window": [1.0]})
    with pytest.raises(SettingsError, match="start x₀ should be a number"):
        Newton1DSettings.from_state({"x0": "far away"})


def test_presets_parse_as_written_and_make_valid_settings():
    for preset in PRESETS:
        assert parse_function(preset.text, ("x",)).text == preset.text
        s = preset.apply(Newton1DSettings())
        assert (s.function, s.x0, s.learning_rate, s.window) == (
            preset.text,
            preset.x0,
            preset.rate,
            preset.window,
        )
        assert s.x_min <= s.x0 <= s.x_max
    assert PRESETS[0].apply(Newton1DSettings(x0=3.0, learning_rate=0.7)) == Newton1DSettings()


def test_the_x_range_widens_to_show_a_start_outside_it():
    assert lesson.window_around(1.0, (0.0, 2.2)) == (0.0, 2.2)
    lo, hi = lesson.window_around(5.0, (0.0, 2.2))
    assert lo == 0.0 and hi == pytest.approx(5.22)
    assert lesson.window_around(-9999.9, (0.0, 2.2))[0] == -10000.0  # (the boxes' limit)


# ============================================================== the run and the table


def test_the_slides_iterates():
    records = run(Newton1DSettings(), 7)
    got = [r.newton.x_next[0] for r in records]
    assert got == pytest.approx(SLIDES, abs=5e-9)
    assert [round(x, 3) for x in got[:2]] == [0.097, 0.183]


def test_the_notebook_iterates_and_gradient_descent():
    records = run(Newton1DSettings(x0=1.6))
    first = records[0].newton
    assert first.value == pytest.approx(4.483028795149379, rel=1e-14)
    assert first.gradient[0] == pytest.approx(4.328032424395115, rel=1e-14)
    assert first.hessian[0, 0] == pytest.approx(5.343657424395115, rel=1e-14)
    newton = [r.newton.x_next[0] for r in records if r.newton_here]
    assert newton[:6] == pytest.approx(NOTEBOOK, rel=1e-12)
    assert records[25].descent.x[0] == pytest.approx(0.5671434156768685, rel=1e-12)


def test_table_rows_from_history_rows():
    records = run(Newton1DSettings(), 6)
    texts = lesson.TABLE.texts(np.vstack([r.as_row() for r in records]), lesson.DIGITS)
    assert texts[0] == ["0", "0.05", "−18.948729", "401.05127", "0.097247647", "0.05"]
    assert [float(t[4]) for t in texts] == pytest.approx(SLIDES[:6], abs=5e-9)
    for k, t in enumerate(texts):
        x = float(t[1])
        assert float(t[2].replace("−", "-")) == pytest.approx(g1(x), rel=1e-6)
        assert float(t[3]) == pytest.approx(g2(x), rel=1e-5)
        assert float(t[5]) == pytest.approx(records[k].descent.x[0], rel=1e-7)


# ============================================================== the math panel


def test_newtons_step_with_its_numbers():
    step = run(Newton1DSettings(), 5)[4].newton
    formula, values = lesson.newton_update(step)
    assert formula == "x<sub>5</sub> = x<sub>4</sub> − g′(x<sub>4</sub>) / g″(x<sub>4</sub>)"
    xk, d1, d2, xn = numbers(values)
    assert (xk, xn) == (0.47729765, 0.55784977)  # curriculum §4, 8 digits
    assert d1 == pytest.approx(g1(0.47729765), rel=1e-5)
    assert d2 == pytest.approx(g2(0.47729765), rel=1e-5)
    assert xn == pytest.approx(xk - d1 / d2, abs=1e-6)


def test_the_sign_of_g2_in_words():
    up = run(Newton1DSettings(), 5)[4].newton
    assert lesson.curvature_verdict(up) == (
        "g″(x<sub>4</sub>) = 6.001 &gt; 0, concave up: g′ is rising, the step heads for a minimum."
    )
    assert numbers(lesson.curvature_verdict(up))[0] == pytest.approx(g2(up.x[0]), rel=1e-3)
    hill = run(lesson.PRESETS[2].apply(Newton1DSettings()), 1)[0].newton  # x⁴ − 4x² from 0.5
    assert lesson.curvature_verdict(hill) == (
        "g″(x<sub>0</sub>) = −5 &lt; 0, concave down: g′ is falling, the step heads for a maximum."
    )  # g″ = 12x² − 8 = −5 at 0.5


def test_the_slides_slips_are_noted_at_their_steps_only():
    slides = Newton1DSettings()
    records = run(slides, 6)
    assert lesson.erratum(records[4].newton, slides) == f"<i>{lesson.ERRATUM}</i>"
    assert "0.447" in lesson.ERRATUM and "0.477" in lesson.ERRATUM
    # the slides' x₃ = 0.320 (from the rounded 0.183) at the steps that make and use x₃
    assert "rounds to 0.321" in lesson.erratum(records[2].newton, slides)
    assert "x₃ = 0.320" in lesson.erratum(records[3].newton, slides)
    assert all(lesson.erratum(r.newton, slides) is None for r in records if r.k not in (2, 3, 4))
    notebook = Newton1DSettings(x0=1.6)
    assert all(lesson.erratum(r.newton, notebook) is None for r in run(notebook, 6))


def test_math_lines_of_a_step_of_both_methods():
    settings = Newton1DSettings(x0=1.6)
    record = run(settings, 1)[0]
    lines = lesson.math_lines(record, settings)
    assert lines[0] == "<b style='color:#D55E00'>Newton, step 0</b>"
    assert lines[3].startswith("g″(x<sub>0</sub>) = 5.344 &gt; 0")
    assert lines[4] == "<b style='color:#0072B2'>Gradient descent, step 0</b>"
    assert lines[5] == "x<sub>1</sub> = 1.6 − 0.1 × (4.32803) = <b>1.1671968</b>"
    x1 = 1.6 - 0.1 * 4.328032424395115  # the notebook's g′(1.6)
    assert x1 == pytest.approx(1.1671968, abs=1e-7)


def test_math_lines_show_the_learning_rate_the_step_ran_with():
    ran = Newton1DSettings(x0=1.6, learning_rate=0.05)
    row = run(ran, 3)[2].as_row()
    now = ran.replace(learning_rate=0.3)
    rebuilt = lesson.race.rebuild(row, ran)
    assert "− 0.05 × (" in lesson.math_lines(rebuilt, now)[-1]
    assert "− 0.3 × (" in lesson.math_lines(lesson.race.rebuild(row, now), now)[-1]


def test_math_lines_before_the_first_step_and_at_the_end():
    settings = Newton1DSettings()
    preview = lesson.race.preview(settings)
    lines = lesson.math_lines(preview, settings, preview=True)
    assert lines[0].endswith("Newton's first step (press → to take it)</b>")
    assert numbers(lines[2])[-1] == 0.097247647
    assert lesson.math_lines(None, settings) == ["Choose a start x₀ inside the domain of g."]
    flat = lesson.PRESETS[3].apply(settings)  # g″(0) = 0 for x³ − 3x
    stopped = lesson.race.preview(flat)
    lines = lesson.math_lines(stopped, flat, preview=True)
    assert lines == [
        "<b>Newton</b> stops at once, undecided: g″ = 0 at x = 0, so the Newton step −g′/g″ is"
        " undefined; x = 0 is not a critical point (|g′| = 3)."
    ]


def test_texts_around_the_run():
    s = Newton1DSettings()
    assert lesson.start_summary(s) == (
        "Both start at x₀ = 0.05. Newton uses g″; gradient descent uses α = 0.1. "
        "Press Space to race them."
    )
    assert lesson.function_status(s) == "Using g(x) = exp(x) - log(x). Press Space to play."
    texts = lesson.formulas(parse_function(DEFAULT, ("x",)))
    assert [t.split(" = ")[0] for t in texts] == ["g(x)", "g'(x)", "g''(x)"]
    assert len(lesson.COLUMNS) == len(lesson.COLUMN_TIPS) == 6
