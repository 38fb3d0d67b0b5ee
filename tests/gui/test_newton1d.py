"""The Newton 1-D tab, driven through the real window."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QTableWidget

from optgui.gui.style import plot_point
from tests.gui.helpers import TIMEOUT, click, number, open_tab, step_to, wait_for_verdict

SLIDES = [0.097, 0.183, 0.320, 0.477, 0.558, 0.567]
NOTEBOOK = [
    0.7900617721793732,
    0.5436324685389214,
    0.5665913613835818,
    0.567143002403454,
    0.5671432904097056,
]
COL_X, COL_G1, COL_G2, COL_NEXT, COL_GD = 1, 2, 3, 4, 5


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, "Newton 1-D")


def fast(tab) -> None:
    tab.controls.speed.setValue(tab.controls.speed.maximum())


def table(tab) -> QTableWidget:
    return tab.findChild(QTableWidget, "iterates")


def cell(tab, r: int, c: int) -> str:
    """A cell's text with all its digits (a narrow table shows fewer: its tooltip has them)."""
    item = table(tab).item(r, c)
    return "" if item is None else item.toolTip() or item.text()


def shown(tab, r: int, c: int) -> str:
    """A cell's text as the table shows it."""
    item = table(tab).item(r, c)
    return "" if item is None else item.text()


def choose_preset(qtbot, tab, index: int) -> None:
    """Pick preset ``index`` (0 = first) with the keyboard, as a student would."""
    combo = tab.findChild(QComboBox, "presets")
    combo.setFocus()
    while combo.currentIndex() < index + 1:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > index + 1:
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: not tab.engine.running)


def type_function(qtbot, tab, text: str) -> None:
    edit = tab.findChild(QLineEdit, "function")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    wait_for_verdict(qtbot, edit)


def play_to_end(qtbot, tab) -> None:
    fast(tab)
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: tab.engine.state == "finished", timeout=TIMEOUT)


def test_slides_preset_reproduces_the_slides_table(window, qtbot, tab):
    choose_preset(qtbot, tab, 0)
    assert tab.findChild(QLineEdit, "x0").text() == "0.05"
    step_to(qtbot, window, tab, 6)
    got = [number(cell(tab, r, COL_NEXT)) for r in range(6)]
    # the slides print 3 decimals; their x₃ = 0.320 is the step from the rounded 0.183 (the
    # exact 0.3205 rounds to 0.321: a note at steps 2 and 3 says so)
    assert got == pytest.approx(SLIDES, abs=6e-4)
    # the rows also show x_k, g'(x_k) and g''(x_k) of each step
    assert number(cell(tab, 0, COL_X)) == 0.05
    assert number(cell(tab, 0, COL_G1)) == pytest.approx(-18.948729, abs=1e-6)
    assert number(cell(tab, 0, COL_G2)) == pytest.approx(401.05127, abs=1e-5)
    assert number(cell(tab, 3, COL_NEXT)) == pytest.approx(0.47729765, abs=1e-8)
    # the math panel shows the update with numbers, and the slide's slip at step 4
    tab.controls.timeline.setValue(4)
    numbers = tab.findChild(QLabel, "math_numbers").text()
    assert "0.47729765" in numbers and "0.55784977" in numbers
    assert "0.447" in numbers


def test_notebook_preset_and_step_counts(window, qtbot, tab):
    choose_preset(qtbot, tab, 1)
    play_to_end(qtbot, tab)
    assert number(cell(tab, 0, COL_G1)) == pytest.approx(4.328032424395115, rel=1e-7)
    assert number(cell(tab, 0, COL_G2)) == pytest.approx(5.343657424395115, rel=1e-7)
    for r, expected in enumerate(NOTEBOOK):
        assert number(cell(tab, r, COL_NEXT)) == pytest.approx(expected, rel=1e-7)
    summary = tab.findChild(QLabel, "summary").text()
    assert "Newton: converged in" in summary
    assert "gradient descent (α = 0.1): converged in" in summary
    newton_steps = int(summary.split("Newton: converged in ")[1].split()[0])
    descent_steps = int(summary.split("α = 0.1): converged in ")[1].split()[0])
    assert newton_steps < 10 < descent_steps
    assert "Newton: converged" in window.statusBar().currentMessage()
    # gradient descent's steps after Newton's are one row; at k = 25 (the timeline there)
    # its x_25 is the course notebook's (α = 0.1), in the row and in the math panel
    tab.controls.timeline.setValue(25)
    tail = table(tab).rowCount() - 1
    assert table(tab).selected_row() == tail
    assert "At k = 25: x = 0.5671" in shown(tab, tail, 1)
    numbers = tab.findChild(QLabel, "math_numbers").text()
    assert "x<sub>26</sub> = 0.56714342 −" in numbers  # 0.5671434156768685


def test_slides_step_counts_in_summary(window, qtbot, tab):
    play_to_end(qtbot, tab)  # the default is the slides' function from 0.05
    summary = tab.findChild(QLabel, "summary").text()
    assert "Newton: converged in 8 steps" in summary
    assert "gradient descent (α = 0.1): converged in" in summary
    texts = [cell(tab, r, c) for r in range(table(tab).rowCount()) for c in range(6)]
    assert not any("nan" in t.lower() or "undefined" in t for t in texts)


def test_typed_function_works(window, qtbot, tab):
    type_function(qtbot, tab, "x^2 - 2*x")
    assert tab.function.text == "x^2 - 2*x"
    assert not tab.findChild(QLabel, "function_error").isVisible()
    play_to_end(qtbot, tab)
    assert number(cell(tab, 0, COL_NEXT)) == 1.0  # a quadratic: one Newton step
    assert "Newton: converged in 1 step" in tab.findChild(QLabel, "summary").text()


def test_bad_function_shows_message_and_keeps_the_old_one(window, qtbot, tab):
    type_function(qtbot, tab, "2x + ")
    error = tab.findChild(QLabel, "function_error")
    qtbot.waitUntil(error.isVisible)
    assert error.text()
    assert tab.function.text == "exp(x) - log(x)"
    type_function(qtbot, tab, "2x")
    assert "2*x" in error.text()
    step_to(qtbot, window, tab, 1)  # the previous function still runs
    assert round(number(cell(tab, 0, COL_NEXT)), 3) == 0.097


def test_clicking_the_plot_sets_the_start(window, qtbot, tab):
    plot = tab.g_plot
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot_point(plot, 1.2, 5))
    qtbot.waitUntil(lambda: abs(tab.x0 - 1.2) < 0.02)
    assert number(tab.findChild(QLineEdit, "x0").text()) == pytest.approx(1.2, abs=0.02)
    step_to(qtbot, window, tab, 1)
    assert number(cell(tab, 0, COL_X)) == pytest.approx(tab.x0)


def test_typed_start_point(window, qtbot, tab):
    edit = tab.findChild(QLineEdit, "x0")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "1.6")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert tab.x0 == 1.6
    step_to(qtbot, window, tab, 1)
    assert number(cell(tab, 0, COL_NEXT)) == pytest.approx(NOTEBOOK[0], rel=1e-7)


def summary(tab) -> str:
    """The summary line as the student reads it (the label holds rich text)."""
    return html.unescape(tab.findChild(QLabel, "summary").text())


def test_newton_walks_to_a_maximum_and_says_so(window, qtbot, tab):
    choose_preset(qtbot, tab, 2)  # x⁴ − 4x² from 0.5
    play_to_end(qtbot, tab)
    assert abs(tab.history.last().newton.x_next[0]) < 1e-9  # the top of the hill at 0
    newton = (
        "Newton: converged in 4 steps to a local maximum at x = 0 (g″ = −8 < 0) ⚠ not a minimum"
    )
    descent = (
        "gradient descent (α = 0.05): converged in 23 steps to a local minimum at x = 1.414"
        " (g″ = 16 > 0)"
    )
    assert summary(tab) == window.statusBar().currentMessage() == f"{newton} · {descent}"
    # the math panel says it too, on a line of its own (g″ = −8 < 0 is not a tag)
    math = tab.math.text()
    assert "It found a local maximum at x = 0 (g″ = −8 &lt; 0) ⚠ not a minimum.<br>" in math
    assert "g''" not in math and "-8" not in math
    assert cell(tab, 5, COL_X) == "Newton converged to a local maximum"


def test_second_derivative_zero_stops_newton_undecided(window, qtbot, tab):
    choose_preset(qtbot, tab, 3)  # x³ − 3x from 0
    play_to_end(qtbot, tab)
    assert summary(tab) == window.statusBar().currentMessage()
    assert summary(tab).startswith(
        "Newton: stopped at step 0, undecided: g″ = 0 at x = 0, so the Newton step −g′/g″ is"
        " undefined; x = 0 is not a critical point (|g′| = 3) · "
    )
    assert "gradient descent (α = 0.1): converged in 34 steps to a local minimum at x = 1" in (
        summary(tab)
    )
    assert cell(tab, 0, COL_X) == "Newton singular"


def test_leaving_the_domain_stops_with_a_message(window, qtbot, tab):
    choose_preset(qtbot, tab, 4)
    play_to_end(qtbot, tab)
    assert "left the domain of log at step" in summary(tab)
    texts = [cell(tab, r, c) for r in range(table(tab).rowCount()) for c in range(6)]
    assert not any("nan" in t.lower() or "undefined" in t or "∞" in t for t in texts)
