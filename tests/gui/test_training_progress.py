"""Issue 16 through the real window: a diverging run can be watched (item 3), the
training tabs say when the cost swings, rises or stalls (item 4), and step 0's plots
frame the start (item 9)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from optgui.core.stepping import DIVERGED, STEP_LIMIT
from tests.gui.helpers import TIMEOUT, click, number, open_tab, step_to, table_value

RAW_X = np.array([1000.0, 2000.0, 3000.0])
RAW_Y = np.array([20000.0, 30000.0, 50000.0])


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def raw_loop(alpha: float, steps: int) -> list[tuple[float, float, float]]:
    """(w, b, cost) of gradient descent on the slides' houses in $ and ft², by hand."""
    w, b = 0.01788628, 0.0  # the course's start: 0.01·randn with seed 3
    out = []
    for _ in range(steps):
        error = w * RAW_X + b - RAW_Y
        out.append((w, b, float(np.mean(error**2) / 2)))
        w, b = w - alpha * np.mean(error * RAW_X), b - alpha * np.mean(error)
    return out


def status(window) -> str:
    return window.statusBar().currentMessage()


def at_full_speed(qtbot, tab, limit: int | None = None) -> None:
    qtbot.keyClick(tab.controls.speed, Qt.Key.Key_End)  # max
    if limit is not None:
        type_into(qtbot, tab.controls.limit, str(limit))
        assert tab.engine.max_steps == limit


def play_to_the_end(qtbot, tab):
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT) as blocker:
        click(qtbot, tab.controls.play_button)
    return blocker.args[0]


@pytest.fixture
def raw_regression(window, qtbot):
    """Regression on the slides' houses with Normalise off and α = 0.1."""
    tab = open_tab(window, qtbot, "Regression")
    box = tab.normalize  # off: its tick box is clicked, as a teacher would
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not tab.lesson.normalize
    type_into(qtbot, tab.rate, "0.1")
    assert tab.lesson.learning_rate == 0.1
    return tab


# --- item 3: a diverging run can be watched ---------------------------------------------------


def test_a_diverging_regression_shows_every_step_up_to_its_end(window, qtbot, raw_regression):
    tab = raw_regression
    outcome = play_to_the_end(qtbot, tab)
    reference = raw_loop(0.1, 4)
    assert outcome.status == DIVERGED and outcome.k == 3
    # the timeline holds every step and stands on the last, the step the status names
    assert len(tab.history) == 4 and tab.controls.timeline.value() == 3
    assert tab.controls.timeline_label.text() == "step 3 of 3"
    assert status(window) == (
        "Diverged at step 3: the cost grew to 6.5e+42 — "
        "the learning rate α = 0.1 is too large for this data"
    )
    # the last finite state is what the table and the line show
    w, b, cost = reference[3]
    assert number(table_value(tab, "w1")) == pytest.approx(w, rel=1e-3)
    assert number(table_value(tab, "b")) == pytest.approx(b, rel=1e-3)
    x, y = tab.fit_line.getData()
    assert y == pytest.approx(w * x + b, rel=1e-9)
    # the cost curve climbs on a log scale, switched on by itself, and says so
    assert tab.cost_curve.yData == pytest.approx([c for _, _, c in reference], rel=1e-9)
    assert tab.log_cost.isChecked()
    assert "Log scale (switched on): the cost spans 34 powers of ten." in tab.cost_note.text
    assert "⚠ Diverged at step 3: α = 0.1 is too large for this data." in tab.cost_note.text
    (_, _), (y0, y1) = tab.cost_plot.getPlotItem().getViewBox().viewRange()
    assert y0 <= np.log10(reference[0][2]) and y1 >= np.log10(cost)


def test_the_line_swings_as_the_run_diverges(window, qtbot, raw_regression):
    tab = raw_regression
    play_to_the_end(qtbot, tab)
    slopes = []
    for k in (1, 2, 3):
        tab.controls.timeline.setValue(k)
        x, y = tab.fit_line.getData()
        slopes.append(np.sign(y[-1] - y[0]))
        assert number(table_value(tab, "w1")) == pytest.approx(raw_loop(0.1, 4)[k][0], rel=1e-3)
    assert slopes == [1, -1, 1]


def test_step_by_step_the_run_ends_at_the_same_step_and_then_stays(window, qtbot, raw_regression):
    tab = raw_regression
    step_to(qtbot, window, tab, 4)
    assert tab.engine.outcome is not None and tab.engine.outcome.k == 3
    assert status(window).startswith("Diverged at step 3: the cost grew to 6.5e+42")
    assert tab.controls.timeline_label.text() == "step 3 of 3"
    qtbot.keyClick(window, Qt.Key.Key_Right)  # → after the end: nothing more
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    assert len(tab.history) == 4
    assert status(window).startswith("Diverged at step 3: the cost grew to 6.5e+42")


def test_axes_after_a_divergence_read_the_new_data_unscaled(window, qtbot, raw_regression):
    """pyqtgraph picks an SI scale (1e-21) when an axis is styled while it spans 1e21;
    the next data (house prices near 20000-50000) must not be read through it."""
    tab = raw_regression
    play_to_the_end(qtbot, tab)  # the price axis now spans about 5e21
    tab.source.setCurrentIndex(tab.source.findData("house2"))
    qtbot.waitUntil(lambda: tab.prepared_with is not None and tab.prepared_with.source == "house2")
    click(qtbot, tab.controls.reset_button)
    axis = tab.data_plot.getPlotItem().getAxis("left")
    (_, _), (y0, y1) = tab.data_plot.getPlotItem().getViewBox().viewRange()
    assert y0 < 25000 and y1 > 45000
    values = [20000.0, 50000.0]
    assert axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, 10000.0) == [
        "20000",
        "50000",
    ]


def test_reset_after_a_divergence_gives_back_the_linear_axis(window, qtbot, raw_regression):
    tab = raw_regression
    play_to_the_end(qtbot, tab)
    assert tab.log_cost.isChecked()
    click(qtbot, tab.controls.reset_button)
    assert not tab.log_cost.isChecked() and tab.cost_note.text == ""
    assert not tab.cost_plot.getPlotItem().getViewBox().state["logMode"][1]


def test_unticking_the_automatic_log_scale_keeps_it_linear(window, qtbot, raw_regression):
    tab = raw_regression
    step_to(qtbot, window, tab, 2)
    assert tab.log_cost.isChecked()
    click(qtbot, tab.log_cost)
    step_to(qtbot, window, tab, 3)
    assert not tab.log_cost.isChecked() and "Log scale" not in tab.cost_note.text


def test_normalised_regression_at_rate_100_names_the_step_the_timeline_shows(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    type_into(qtbot, tab.rate, "100")
    outcome = play_to_the_end(qtbot, tab)
    assert outcome.status == DIVERGED and outcome.k == len(tab.history) - 1 == 4
    assert tab.controls.timeline_label.text() == "step 4 of 4"
    assert status(window).startswith("Diverged at step 4: the cost grew to 4.3e+15 — ")
    assert status(window).endswith("the learning rate α = 100 is too large for this data")


# --- item 4: every training tab says when the cost swings, rises or stalls ---------------------


def test_the_network_at_rate_100_warns_that_the_cost_swings(window, qtbot):
    tab = open_tab(window, qtbot, "2-2-1 Network")
    type_into(qtbot, tab.rate, "100")
    at_full_speed(qtbot, tab, limit=300)
    outcome = play_to_the_end(qtbot, tab)
    assert outcome.status == STEP_LIMIT and len(tab.history) == 300
    assert number(table_value(tab, "accuracy")) == 0.5
    warning = (
        "The cost has gone up and down for 299 steps, never below its start, 0.693: the "
        "learning rate α = 100 is probably too large; try α = 10."
    )
    assert status(window).endswith(warning)
    assert "⚠ Up and down for 299 steps, never lower: try a smaller α, e.g. 10." in (
        tab.cost_note.text
    )
    qtbot.keyClick(window, Qt.Key.Key_Right)  # one step more, by hand: paused, still said
    qtbot.waitUntil(lambda: len(tab.history) == 301, timeout=TIMEOUT)
    assert status(window).startswith("Paused at step 300. The cost has gone up and down for 300")


def test_classification_at_rate_100_warns_that_the_cost_swings(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    tab.source.setCurrentIndex(tab.source.findData("xor"))
    type_into(qtbot, tab.rate, "100")
    at_full_speed(qtbot, tab, limit=200)
    play_to_the_end(qtbot, tab)
    assert "The cost has gone up and down for" in status(window)
    assert "α = 100 is probably too large; try α = 10." in status(window)
    assert "⚠ Up and down for" in tab.cost_note.text


def test_regression_just_above_the_stable_rate_warns_that_the_cost_rises(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    type_into(qtbot, tab.rate, "2.1")  # normalised: stable below 2 (see under Normalise)
    at_full_speed(qtbot, tab, limit=40)
    outcome = play_to_the_end(qtbot, tab)
    assert outcome.status == STEP_LIMIT  # not yet diverged …
    assert "The cost has gone up at each of the last 39 steps" in status(window)  # … but said
    assert status(window).endswith("the learning rate α = 2.1 is too large; try α = 0.21.")
    assert "⚠ Rising for 39 steps: try a smaller α, e.g. 0.21." in tab.cost_note.text


def test_a_run_that_learns_gets_no_warning(window, qtbot):
    tab = open_tab(window, qtbot, "2-2-1 Network")
    at_full_speed(qtbot, tab, limit=400)
    play_to_the_end(qtbot, tab)
    assert tab.verdict is None and tab.cost_note.text == ""
    assert "up and down" not in status(window) and "⚠" not in status(window)


# --- item 9: step 0 frames the start -----------------------------------------------------------


@pytest.mark.parametrize("title", ["Regression", "Classification", "2-2-1 Network"])
def test_step_0_frames_the_start_cost_and_accuracy(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    assert len(tab.history) == 0
    cost = number(table_value(tab, "cost J"))
    (x0, x1), (y0, y1) = tab.cost_plot.getPlotItem().getViewBox().viewRange()
    assert x0 <= 0 < 5 <= x1  # room for the steps to come, not −0.4…0.4
    assert y0 <= min(0.0, cost) and cost <= y1 <= max(1.0, cost) * 1.2
    assert tab.cost_marker.getData()[1] == pytest.approx([cost], rel=1e-3)
    if title == "Regression":
        return
    accuracy = number(table_value(tab, "accuracy"))
    plot = tab.acc_plot if title == "Classification" else tab.cost_plot
    xs, ys = tab.acc_marker.getData()
    assert list(xs) == [0] and list(ys) == pytest.approx([accuracy])
    (_, _), (a0, a1) = plot.getPlotItem().getViewBox().viewRange()
    assert a0 <= accuracy <= a1 and a0 <= 0.0 and a1 >= 1.0


def test_a_short_run_shows_a_dot_per_step_and_a_long_one_a_line(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    assert tab.cost_curve.opts["symbol"] is None
    step_to(qtbot, window, tab, 3)
    assert tab.cost_curve.opts["symbol"] == "o" and len(tab.cost_curve.yData) == 3
    at_full_speed(qtbot, tab, limit=100)
    type_into(qtbot, tab.rate, "0.01")  # (slow: the run does not converge first)
    play_to_the_end(qtbot, tab)
    assert len(tab.history) == 100 and tab.cost_curve.opts["symbol"] is None
