"""Both Newton tabs read their settings from the binding: steps rebuilt long after with the
α and τ they ran with, typed settings refused in words, presets and old sessions."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from optgui.core.history import History
from optgui.core.race import RowLayout
from optgui.gui import session, style
from optgui.lessons import newton2d, race
from optgui.lessons.newton1d import PRESETS
from tests.gui.helpers import TIMEOUT, click, open_tab, step_to

#: Full records the history keeps; older steps are rebuilt from their rows.
KEPT = inspect.signature(History).parameters["keep_records"].default


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def play_until(qtbot, tab, n: int) -> None:
    """Play at full speed until the run has at least ``n`` steps, then pause."""
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: len(tab.history) >= n, timeout=TIMEOUT)
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: not tab.engine.running, timeout=TIMEOUT)


def test_the_math_of_a_step_long_ago_shows_the_alpha_and_tau_it_ran_with(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    tab.controls.limit.setValue(5000)
    click(qtbot, tab.modified)  # modified Newton, τ = 2, α = 0.02
    step_to(qtbot, window, tab, 3)
    first = tab.binding.settings
    assert (first.damping, first.learning_rate) == (2.0, 0.02)
    tab.tau.setValue(5.0)  # mid-run: τ = 5 and α = 0.001 from the next step
    tab.rate.setValue(0.001)
    play_until(qtbot, tab, KEPT + 20)
    assert tab.history.record(3).descent.learning_rate == 0.001  # (the run did change)
    n = len(tab.history)
    assert n - KEPT > 1  # step 1 is no longer kept: it is rebuilt from its row

    row = tab.history.rows[1]
    rebuilt = tab.rebuild(row, first)
    assert (rebuilt.newton.damping, rebuilt.descent.learning_rate) == (2.0, 0.02)
    assert np.array_equal(rebuilt.as_row(), row, equal_nan=True)
    tab.present(rebuilt)
    math = tab.math.text()
    assert "Modified Newton (τ = 2), step 1</b>" in math  # the τ it ran with, not 5
    assert "Gradient descent, step 1</b>" in math
    assert " − 0.02 × (" in math and "0.001" not in math
    equation = tab.equation
    assert not equation.isHidden() and equation.h.caption.text() == "H + τI (2×2)"
    assert "with τ = 2 " in equation.solve.text()
    hessian = row[RowLayout(2).newton.hessian].reshape(2, 2)
    assert equation.h.texts() == newton2d.matrix_texts(hessian + 2 * np.eye(2), 2, 2)

    # without the settings it ran with, a row is read with today's (the engine passes them)
    today = tab.rebuild(row)
    assert (today.newton.damping, today.descent.learning_rate) == (5.0, 0.001)
    # a step still kept in full knows its α: the timeline one step back
    tab.controls.timeline.setValue(n - 2)
    qtbot.waitUntil(lambda: tab.shown_index == n - 2)
    assert " − 0.001 × (" in tab.math.text()


def test_newton_1d_rebuilds_an_old_step_with_its_learning_rate(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    tab.controls.limit.setValue(5000)
    tab.rate.setValue(1e-4)  # gradient descent crawls: the run stays long
    step_to(qtbot, window, tab, 3)
    first = tab.binding.settings
    tab.rate.setValue(2e-4)
    play_until(qtbot, tab, KEPT + 20)
    row = tab.history.rows[1]
    rebuilt = tab.rebuild(row, first)
    assert rebuilt.descent.learning_rate == 1e-4
    assert np.array_equal(rebuilt.as_row(), row, equal_nan=True)
    tab.present(rebuilt)
    math = tab.math.text()
    assert "x<sub>2</sub> = x<sub>1</sub> − g′(x<sub>1</sub>) / g″(x<sub>1</sub>)" in math
    assert " − 0.0001 × (" in math and "0.0002" not in math
    assert tab.rebuild(row).descent.learning_rate == 2e-4


def test_factories_are_made_from_the_settings_and_carry_them(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    tab.rate.setValue(0.05)
    click(qtbot, tab.modified)
    factory = tab.make_factory()
    assert factory.settings is tab.binding.settings
    assert (factory.settings.learning_rate, factory.settings.damping) == (0.05, 2.0)
    step_to(qtbot, window, tab, 1)
    step = tab.history.record(0)
    assert (step.descent.learning_rate, step.newton.damping) == (0.05, 2.0)


def test_a_typed_start_that_cannot_be_used_is_refused_in_words(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    edit = tab.findChild(QLineEdit, "x0")
    error = tab.findChild(QLabel, "start_error")
    type_into(qtbot, edit, "abc")
    # said under the box (and in the status bar); the typed text stays to be corrected
    words = "⚠ x₀: “abc” is not a number — still starting from 0.05"
    assert error.isVisible() and error.text() == words and tab.status == words
    assert edit.text() == "abc" and tab.x0 == 0.05
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # left: the start in use comes back
    assert edit.text() == "0.05" and tab.x0 == 0.05 and error.text() == words
    type_into(qtbot, edit, "-1")
    assert tab.status.startswith("g is not defined at x = −1 (")
    assert error.isVisible() and error.text() == f"⚠ {tab.status}"
    assert edit.text() == "0.05" and tab.x0 == 0.05
    type_into(qtbot, edit, "1.6")
    assert tab.x0 == 1.6 and tab.binding.settings.x0 == 1.6
    assert tab.status == "Both methods start at x₀ = 1.6. Press Space to play."
    assert not error.isVisible()
    type_into(qtbot, edit, "5")  # outside the x range: the range grows to show it
    assert tab.window[1] > 5 and tab.x_max.value() == pytest.approx(tab.window[1], abs=0.01)


def test_an_x_range_backwards_is_refused(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    tab.x_min.setValue(3.0)
    assert tab.status == "The right end of the x range must be larger than the left end."
    assert tab.x_min.value() == 0.0 and tab.window == (0.0, 2.2)
    tab.x_max.setValue(4.0)
    assert tab.window == (0.0, 4.0)


def test_a_typed_2d_start_that_is_not_a_number_is_refused(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    y0 = tab.findChild(QLineEdit, "y0")
    type_into(qtbot, y0, "two")
    error = tab.findChild(QLabel, "start_error")
    words = "⚠ y₀: “two” is not a number — still starting from 4"
    assert error.isVisible() and error.text() == words
    assert tab.status == error.text()
    assert y0.text() == "two" and tab.x0 == (4.0, 4.0)
    qtbot.keyClicks(y0, "\b\b\b")  # corrected: the message goes once it is a number
    qtbot.keyClicks(y0, "2")
    assert not error.isVisible()
    qtbot.keyClick(y0, Qt.Key.Key_Tab)  # leaving the box applies it, as Enter does
    assert tab.x0 == (4.0, 2.0)


def test_a_preset_writes_every_setting(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    tab.function_box.choose_preset(2)  # x⁴ − 4x² from 0.5 with α = 0.05
    assert tab.binding.settings == PRESETS[2].apply(tab.settings_class())
    assert tab.rate.value() == 0.05 and (tab.x_min.value(), tab.x_max.value()) == (-2.2, 2.2)
    assert tab.findChild(QLineEdit, "x0").text() == "0.5"
    assert "g″(x<sub>0</sub>) = −5 &lt; 0" in tab.math.text()  # the preview of Newton's step


def test_a_session_saved_by_the_previous_version_opens(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    saved = {  # as main saved it: the tolerance as the index of its choice
        "function": "x^2+3*y^2 + x*y",
        "learning_rate": 0.05,
        "tolerance": 2,
        "start": [1.5, -2.0],
        "window": [-4.0, 4.0, -3.0, 3.0],
        "modified": True,
        "tau": 3.0,
    }
    tab.read_settings(saved)()
    s = tab.binding.settings
    assert s.function == tab.function.text == "x^2+3*y^2 + x*y"
    assert (s.start, s.tolerance, s.damping, s.map_window) == (
        (1.5, -2.0),
        1e-8,
        3.0,
        ((-4.0, 4.0), (-3.0, 3.0)),
    )
    assert tab.tolerance.currentData() == 1e-8 and tab.modified.isChecked()
    assert tab.tau.value() == 3.0 and tab.map.window == ((-4.0, 4.0), (-3.0, 3.0))
    assert tab.settings_state() == s.to_json()
    with pytest.raises(session.SessionError, match="τ should be between 0 and 1000"):
        tab.read_settings({**saved, "tau": -1})
    with pytest.raises(session.SessionError, match="the function does not parse"):
        tab.read_settings({**saved, "function": "x^^2"})
    with pytest.raises(session.SessionError, match=r"start \(−1, 0\) is outside"):
        tab.read_settings({**saved, "function": "log(x) + y", "start": [-1, 0]})
    assert tab.binding.settings == s  # a refused state changes nothing


def test_the_lessons_colours_are_the_apps():
    assert race.NEWTON_COLOR == style.VERMILION and race.DESCENT_COLOR == style.BLUE


def test_a_start_that_is_not_a_number_is_said_when_the_box_is_left(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    edit = tab.findChild(QLineEdit, "x0")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "abc")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # no Enter: leaving the box confirms it
    error = tab.findChild(QLabel, "start_error")
    words = "⚠ x₀: “abc” is not a number — still starting from 0.05"
    assert error.isVisible() and error.text() == words
    assert edit.text() == "0.05" and tab.x0 == 0.05 and tab.status == error.text()
