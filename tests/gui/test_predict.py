"""Predict mode on the real window: G, a guess clicked on the plot (or ↑/↓ picked), →
reveals the step beside the guess, the tally; the run is the same with or without it."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from optgui.gui import style
from optgui.gui.predict import HELP, PredictBar
from tests.gui.helpers import TIMEOUT, open_tab, step_to

NUMBER = r"−?\d+(?:\.\d+)?(?:e[−+]\d+)?"


def value(text: str) -> float:
    return float(text.replace("−", "-"))


@pytest.fixture
def active(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def press(qtbot, window, key) -> None:
    qtbot.keyClick(window, key)


def bar(tab) -> PredictBar:
    return tab.findChild(PredictBar, "predict_bar")


def session(window, tab):
    return window.predictor.session(tab)


def click_at(qtbot, plot, x: float, y: float = 0.0) -> None:
    """A left click on ``plot``'s viewport where the data point (x, y) is."""
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=style.plot_point(plot, x, y))


def one_step(qtbot, window, tab) -> None:
    before = len(tab.history)
    press(qtbot, window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: len(tab.history) == before + 1, timeout=TIMEOUT)


def shown_point(text: str, dims: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(guess, truth, distance) read back from a reveal's words."""
    if dims == 1:
        pattern = rf"guessed \w+ = ({NUMBER}), .* went to \w+ = ({NUMBER}): ({NUMBER}) away"
        g, t, d = re.search(pattern, text).groups()
        return np.array([value(g)]), np.array([value(t)]), value(d)
    pair = rf"\(({NUMBER}), ({NUMBER})\)"
    pattern = rf"guessed \([^)]*\) = {pair}, .* went to \([^)]*\) = {pair}: ({NUMBER}) away"
    g1, g2, t1, t2, d = re.search(pattern, text).groups()
    return np.array([value(g1), value(g2)]), np.array([value(t1), value(t2)]), value(d)


def gradient_fd(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    e = np.eye(len(x)) * h
    return np.array([(f(x + e[i]) - f(x - e[i])) / (2 * h) for i in range(len(x))])


def hessian_fd(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    e = np.eye(len(x)) * h
    return np.array(
        [
            [
                (f(x + e[i] + e[j]) - f(x + e[i] - e[j]) - f(x - e[i] + e[j]) + f(x - e[i] - e[j]))
                / (4 * h * h)
                for j in range(len(x))
            ]
            for i in range(len(x))
        ]
    )


def test_g_is_in_the_shortcuts_help(window):
    from optgui.gui.keys_help import rows

    assert dict(rows(window))["G"] == HELP


def test_newton_2d_a_click_guesses_and_right_reveals(active, qtbot):
    window = active
    tab = open_tab(window, qtbot, "Newton 2-D")
    start = tab.binding.settings.start
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab) is not None and bar(tab).isVisible())
    assert "Click the next (x, y)" in bar(tab).text.text()
    step_to(qtbot, window, tab, 1)  # step 0 is the preview's step: x₁ is on screen
    guess = (1.5, 1.0)
    click_at(qtbot, tab.map, *guess)
    s = session(window, tab)
    (xa, xb), (ya, yb) = tab.map.getViewBox().viewRange()
    assert np.allclose(s.guess, guess, atol=0.01 * max(xb - xa, yb - ya))
    assert tab.binding.settings.start == start  # the click was a guess, not a new start
    assert "Your guess: (x, y) = " in bar(tab).text.text()
    s_guess = s.guess.copy()
    one_step(qtbot, window, tab)
    truth = tab.history.record(1).newton.x_next
    before = tab.history.record(0).newton.x_next
    shown_guess, shown_truth, distance = shown_point(bar(tab).text.text(), 2)
    assert np.allclose(shown_truth, truth, rtol=1e-4, atol=1e-6)
    # the same step by finite differences of f: x₂ = x₁ − H⁻¹∇f at x₁, where step 1 starts
    x1 = tab.history.record(1).newton.x
    assert np.allclose(x1, before)
    newton = x1 - np.linalg.solve(
        hessian_fd(tab.function.value, x1), gradient_fd(tab.function.value, x1)
    )
    assert np.allclose(shown_truth, newton, rtol=1e-4, atol=1e-5)
    assert np.allclose(shown_guess, s_guess, rtol=5e-3, atol=1e-6)  # (3 digits: a click)
    assert np.isclose(distance, np.linalg.norm(s_guess - truth), rtol=1e-3)
    reach = max(0.1 * np.linalg.norm(truth - before), s._click_size())  # (6 px of the map)
    assert s.reveal.hit == (s.reveal.distance <= reach)
    assert bar(tab).tally.text() == f"1 guess, {int(s.reveal.hit)} hit" + (
        "" if s.reveal.hit else "s"
    )
    marks = s._marks[id(tab.map)]
    assert marks.truth.isVisible() and marks.guess.isVisible()
    assert np.allclose(marks.truth.getData()[0], [truth[0]])


def test_newton_1d_reveal_names_the_next_x(active, qtbot):
    window = active
    tab = open_tab(window, qtbot, "Newton 1-D")
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab).isVisible())
    x0 = tab.x0
    (_, _), (ya, yb) = tab.g_plot.getViewBox().viewRange()
    click_at(qtbot, tab.g_plot, 1.2, (ya + yb) / 2)
    assert tab.x0 == x0
    s = session(window, tab)
    assert abs(s.guess[0] - 1.2) < 0.02
    guess = s.guess[0]
    one_step(qtbot, window, tab)  # step 0 shows the start: the guess waits
    assert "nothing moved" in bar(tab).text.text()
    assert s.guess is not None and s.tally.guesses == 0
    one_step(qtbot, window, tab)
    truth = tab.history.record(1).newton.x_next[0]
    g, t, d = shown_point(bar(tab).text.text(), 1)
    assert np.isclose(t[0], truth, rtol=1e-4)
    assert np.isclose(d, s.reveal.distance, rtol=1e-3)
    assert np.isclose(g[0], guess, rtol=5e-3)
    assert np.isclose(s.reveal.distance, abs(guess - truth), rtol=1e-9)
    assert s.tally.guesses == 1


def test_regression_guess_on_the_cost_surface(active, qtbot):
    window = active
    tab = open_tab(window, qtbot, "Regression")
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab).isVisible())
    step_to(qtbot, window, tab, 1)
    s = session(window, tab)
    assert s.target.names == ("w1", "b")
    record = tab.history.record(0)
    aim = record.params_next  # a guess right on the step: a hit
    click_at(qtbot, tab.surface_plot, *aim)
    one_step(qtbot, window, tab)
    truth = tab.history.record(1).params
    np.testing.assert_allclose(truth, aim)  # (the step is the one the record computed)
    g, t, d = shown_point(bar(tab).text.text(), 2)
    assert np.allclose(t, truth, rtol=1e-4, atol=1e-6)
    assert "gradient descent went to (w₁, b)" in bar(tab).text.text()
    step = np.linalg.norm(truth - record.params)
    assert s.reveal.distance <= max(0.1 * step, s._click_size()) and s.reveal.hit
    assert bar(tab).tally.text() == "1 guess, 1 hit"
    press(qtbot, window, Qt.Key.Key_R)  # the tally starts again with the run
    qtbot.waitUntil(lambda: len(tab.history) == 0)
    assert bar(tab).tally.text() == "No guesses yet"
    assert s.tally.guesses == 0 and s.guess is None


@pytest.mark.parametrize("title", ["Classification", "2-2-1 Network"])
def test_signs_picked_with_the_buttons(active, qtbot, title):
    window = active
    tab = open_tab(window, qtbot, title)
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab).isVisible())
    step_to(qtbot, window, tab, 1)
    names = tab.model.names
    record = tab.history.record(0)
    update = record.params_next - record.params
    picks = {}
    for name, change in list(zip(names, update, strict=True))[:2]:
        sign = 1 if change > 0 else -1
        picks[name] = sign
        button = bar(tab).button(name, sign)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wrong = names[-1]
    wrong_sign = -1 if update[-1] > 0 else 1
    qtbot.mouseClick(bar(tab).button(wrong, wrong_sign), Qt.MouseButton.LeftButton)
    s = session(window, tab)
    assert s.guess == {**picks, wrong: wrong_sign}
    one_step(qtbot, window, tab)
    moved = np.sign(tab.history.record(1).params - tab.history.record(0).params)
    right = sum(moved[names.index(n)] == sign for n, sign in picks.items())
    assert right == 2
    unpicked = f" ({len(names) - 3} not guessed)" if len(names) > 3 else ""
    assert f"2 of 3 signs right{unpicked}, a miss." in bar(tab).text.text()
    assert bar(tab).tally.text() == "1 guess, 0 hits"
    # the buttons are cleared for the next guess
    assert not any(bar(tab).button(n, sg).isChecked() for n in names for sg in (1, -1))


@pytest.mark.parametrize("title", ["Newton 2-D", "Regression", "Classification"])
def test_the_run_is_the_same_with_and_without_predicting(active, qtbot, title):
    window = active
    tab = open_tab(window, qtbot, title)
    step_to(qtbot, window, tab, 5)
    plain = tab.history.rows.copy()
    press(qtbot, window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: len(tab.history) == 0)
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab).isVisible())
    s = session(window, tab)
    for i in range(5):
        if s.target.kind == "point":
            plot = s.target.plots[0]
            (xa, xb), (ya, yb) = plot.getViewBox().viewRange()
            click_at(qtbot, plot, xa + (0.3 + 0.1 * i) * (xb - xa), ya + 0.5 * (yb - ya))
        else:
            s.guess_signs({s.target.names[0]: 1})
        one_step(qtbot, window, tab)
    assert s.tally.guesses == 4  # (step 0 shows the start)
    np.testing.assert_array_equal(tab.history.rows, plain)


def test_predict_mode_follows_the_tab_in_front_and_goes_off(active, qtbot):
    window = active
    first = open_tab(window, qtbot, "Newton 2-D")
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(first).isVisible())
    second = open_tab(window, qtbot, "Regression")
    qtbot.waitUntil(lambda: bar(second) is not None and bar(second).isVisible())
    assert not bar(first).isVisible()
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: not bar(second).isVisible())
    start = first.binding.settings.start
    open_tab(window, qtbot, "Newton 2-D")
    click_at(qtbot, first.map, 1.0, 1.0)  # predict mode off: a click sets the start again
    qtbot.waitUntil(lambda: first.binding.settings.start != start)


def test_the_bar_stays_on_presentations_stage(active, qtbot):
    window = active
    tab = open_tab(window, qtbot, "Newton 2-D")
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab).isVisible())
    window.set_presentation(True)
    qtbot.waitUntil(lambda: tab.staged)
    assert bar(tab).isVisible()
    window.set_presentation(False)
    qtbot.waitUntil(lambda: not tab.staged)
    assert bar(tab).isVisible()


def test_presenting_shows_the_stage_view_with_the_guessing_plot(active, qtbot):
    window = active
    tab = open_tab(window, qtbot, "Regression")
    window.set_presentation(True)
    qtbot.waitUntil(lambda: tab.staged)
    assert tab.surface_plot not in tab.stage.view.figures  # (the stage opens on the data)
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab) is not None and bar(tab).isVisible())
    assert tab.surface_plot in tab.stage.view.figures
    qtbot.waitUntil(tab.surface_plot.isVisible)


def test_g_typed_into_a_text_box_is_typed(active, qtbot):
    from PySide6.QtWidgets import QLineEdit

    window = active
    tab = open_tab(window, qtbot, "Newton 2-D")
    edit = tab.findChild(QLineEdit, "function")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.end(False)
    before = edit.text()
    qtbot.keyClicks(edit, "gG")
    assert edit.text() == before + "gG"
    assert not window.predictor.on
    assert bar(tab) is None or not bar(tab).isVisible()


def test_a_guess_before_play_is_not_scored(active, qtbot):
    window = active
    tab = open_tab(window, qtbot, "Newton 2-D")
    press(qtbot, window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bar(tab).isVisible())
    step_to(qtbot, window, tab, 1)
    click_at(qtbot, tab.map, 1.0, 1.0)
    s = session(window, tab)
    assert s.guess is not None
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(tab.history) > 2, timeout=TIMEOUT)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not tab.engine.running, timeout=TIMEOUT)
    assert s.guess is None and s.tally.guesses == 0
    assert "played on" in bar(tab).text.text()
