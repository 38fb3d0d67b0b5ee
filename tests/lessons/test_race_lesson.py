"""What both Newton tabs share, without Qt: small texts, the factory, rebuilt steps, summaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.core.race import RowLayout
from optgui.lessons import race
from optgui.lessons.newton1d import Newton1DSettings
from optgui.lessons.newton2d import Newton2DSettings
from optgui.lessons.race import (
    RaceFactory,
    html_sub,
    method_summary,
    newton_heading,
    point_text,
    race_end_lines,
    race_summary,
    race_table_rows,
    rounded_click,
    steps,
    subscript,
)
from optgui.lessons.settings import SettingsError

REPO = Path(__file__).resolve().parents[2]


def run(settings, n: int | None = None):
    records = []
    for record in RaceFactory(settings)(None):
        records.append(record)
        if n is not None and len(records) == n:
            break
    return records


def rows(records) -> np.ndarray:
    return np.vstack([r.as_row() for r in records])


def test_small_texts():
    assert subscript(12) == "₁₂" and subscript(0) == "₀"
    assert html_sub("x", 3) == "x<sub>3</sub>"
    assert (steps(1), steps(8)) == ("1 step", "8 steps")
    assert point_text((4.0, 4.0)) == "(4, 4)" and point_text((-1.2, 1.0)) == "(−1.2, 1)"


@pytest.mark.parametrize(
    ("value", "span", "expected"),
    [(1.23456, 2.2, 1.23), (1.23456, 10.0, 1.2), (123.456, 1000.0, 123.0), (0.5, 0.0, 0.5)],
)
def test_a_click_is_rounded_to_three_digits_of_the_span(value, span, expected):
    assert rounded_click(value, span) == expected


def test_a_rounded_click_is_never_minus_zero():
    assert str(rounded_click(-0.0001, 2.2)) == "0.0"


def test_random_start_lies_in_the_range_and_the_domain():
    f = parse_function("log(x)", ("x",))
    rng = np.random.default_rng(1)
    for _ in range(20):
        (x,) = race.random_start(f, [(-1.0, 1.0)], rng)
        assert 0 < x <= 1 and x == round(x, 2)
    assert race.random_start(f, [(-2.0, -1.0)], rng) is None


def test_the_factory_carries_its_settings_and_checks_its_function():
    settings = Newton1DSettings(x0=1.6)
    factory = RaceFactory(settings)
    assert factory.settings is settings
    assert factory.function.text == settings.function
    other = parse_function("x^2", ("x",))
    with pytest.raises(ValueError, match="not the settings' function"):
        RaceFactory(settings, other)
    with pytest.raises(SettingsError, match="does not parse"):
        RaceFactory(settings.replace(function="2x +"))


def test_a_resumed_race_continues_where_the_last_record_left_off():
    settings = Newton2DSettings()
    whole = run(settings, 12)
    factory = RaceFactory(settings)
    first = []
    for record in factory(None):
        first.append(record)
        if len(first) == 5:
            break
    rest = []
    for record in factory(first[-1]):
        rest.append(record)
        if len(first) + len(rest) == 12:
            break
    assert np.array_equal(rows(first + rest), rows(whole), equal_nan=True)


def test_rebuilt_records_use_the_settings_their_step_ran_with():
    ran = Newton2DSettings(modified=True, tau=3.0, learning_rate=0.01)
    records = run(ran, 4)
    now = ran.replace(tau=7.0, learning_rate=0.5)
    for record in records:
        row = record.as_row()
        rebuilt = race.rebuild(row, ran)
        assert rebuilt.newton.damping == 3.0 and rebuilt.descent.learning_rate == 0.01
        assert np.array_equal(rebuilt.as_row(), row, equal_nan=True)
        np.testing.assert_array_equal(rebuilt.newton.eigenvalues, record.newton.eigenvalues)
        assert race.rebuild(row, now).descent.learning_rate == 0.5  # what the row is told
    assert race.ran_rate(records[2], now) == 0.01  # the record knows its α
    assert race.ran_rate(None, now) == 0.5


def test_preview_is_newtons_first_step_or_none_outside_the_domain():
    settings = Newton1DSettings()
    preview = race.preview(settings)
    assert preview.newton.k == 0 and preview.descent is None
    assert preview.newton.x_next[0] == pytest.approx(0.09724765, abs=5e-9)
    assert race.preview(settings.replace(x0=-1.0)) is None
    problem = race.start_problem(settings.replace(x0=-1.0), race.parse(settings))
    assert problem.startswith("g is not defined at the start x₀ = −1 (")
    assert problem.endswith("): type or click another start.")


def test_summaries_of_a_finished_race():
    settings = Newton1DSettings(x0=1.6)
    records = run(settings)
    last = records[-1]
    newton_k, descent_k = last.newton_end.k, last.descent_end.k
    text = race.record_summary(last, settings, False)
    assert text == (
        f"Newton: converged in {newton_k} steps to a local minimum at x = 0.5671 "
        "(g″ = 4.872 > 0) · "
        f"gradient descent (α = 0.1): converged in {descent_k} steps to a local minimum at "
        "x = 0.5671 (g″ = 4.872 > 0)"
    )
    assert newton_k < 10 < descent_k
    assert race_summary(None, 0.1, "g′") == "Press Space to race Newton against gradient descent."
    # stopped by the engine's limit while gradient descent still runs
    early = records[newton_k + 3]
    limited = race_summary(early, 0.1, "g′", limit_reached=True)
    assert limited.startswith(f"Newton: converged in {newton_k} steps · ")
    assert (
        f"gradient descent (α = 0.1): {steps(early.k + 1)}, not yet converged (|g′| = " in limited
    )


def test_method_summary_while_running():
    record = run(Newton1DSettings(), 3)[-1]
    text = method_summary("Newton", record.newton, None, "g′")
    assert text.startswith("Newton: step 2, |g′| = ")
    assert float(text.split("= ")[1].replace("−", "-")) == pytest.approx(
        record.newton.gradient_norm, rel=5e-3
    )
    assert method_summary("Newton", None, None, "g′") == "Newton: not started"


def test_table_rows_say_how_newton_ended_then_stay_empty():
    records = run(Newton1DSettings(x0=1.6))
    end = records[-1].newton_end.k
    texts = race_table_rows(
        rows(records), RowLayout(1), lambda r, L: ["a", "b", "c", "d"], lambda r, L: "gd"
    )
    assert texts[0] == ["0", "a", "b", "c", "d", "gd"]
    # (the cells are made up: their H is the run's, at a minimum)
    assert texts[end + 1][:5] == [str(end + 1), "Newton converged to a local minimum", "", "", ""]
    assert texts[end + 2][1:5] == ["", "", "", ""]
    assert [t[0] for t in texts] == [str(k) for k in range(len(records))]


def test_end_lines_and_headings():
    records = run(Newton1DSettings(x0=1.6))
    settings = Newton1DSettings(x0=1.6)
    newton_end, descent_end = race_end_lines(records[-1], False, settings)
    assert newton_end == [
        "<b>Newton</b> converged at step 5: the step |s| = 7.8e−14 is below the tolerance 1e−12"
        " (|g′| = 3.8e−13). It found a local minimum at x = 0.5671 (g″ = 4.872 &gt; 0)."
    ]
    k = records[-1].descent_end.k
    assert descent_end[0].startswith(
        f"<b>Gradient descent (α = 0.1)</b> converged at step {k}: |g′| = "
    )
    assert "is below the tolerance 1e−12. It found a local minimum at x = 0.5671" in descent_end[0]
    # without settings (no verdict): the run's own message, typeset
    newton_end, _ = race_end_lines(records[-1], preview=False)
    assert newton_end == [
        "<b>Newton</b> converged at step 5: the Newton step |s| = 7.8e−14 is below 1e−12"
        " (|g′(x)| = 3.8e−13). g″(x) = 4.87218 &gt; 0: a local minimum."
    ]
    assert race_end_lines(records[0], preview=False) == ([], [])
    assert newton_heading(3, False) == "<b style='color:#D55E00'>Newton, step 3</b>"
    assert "press → to take it" in newton_heading(0, True)
    assert race.descent_heading(2) == "<b style='color:#0072B2'>Gradient descent, step 2</b>"


def test_sessions_saved_before_settings_were_data_keep_the_tolerance_index():
    old = {"tolerance": 1, "learning_rate": 0.5, "speed": 2, "steps": 7}
    assert Newton1DSettings.from_state(old).tolerance == 1e-6
    assert Newton1DSettings.from_state({"tolerance": 1e-8}).tolerance == 1e-8
    with pytest.raises(SettingsError, match="tolerance is out of range"):
        Newton1DSettings.from_state({"tolerance": 9})
    with pytest.raises(SettingsError, match="damaged"):
        Newton1DSettings.from_state([1, 2])
