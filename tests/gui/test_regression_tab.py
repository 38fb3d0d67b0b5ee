"""The Regression tab, driven through the real window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from optgui.core import datasets
from optgui.core.models import LinearRegression
from optgui.core.training import TrainSettings, train
from optgui.gui.workers import live_processes
from tests.gui.helpers import (
    TIMEOUT,
    child_processes,
    click,
    number,
    open_tab,
    step_to,
    table_value,
)


@pytest.fixture
def tab(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.controls.speed.setValue(tab.controls.speed.maximum())  # as fast as possible
    return tab


def core_steps(n: int, rate: float = 0.1):
    """The same run, computed by the core alone: the slides' houses, normalised."""
    data = datasets.house_prices(1)
    xn = datasets.Normalizer.fit(data.X)
    yn = datasets.Normalizer.fit(data.y)
    model = LinearRegression(1)
    run = train(
        model,
        xn.transform(data.X),
        yn.transform(data.y),
        model.initial_params("course", seed=3),
        TrainSettings(learning_rate=rate),
    )
    return [next(run) for _ in range(n)]


def test_play_trains_and_table_matches_core(window, qtbot, tab):
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: len(tab.history) >= 50, timeout=TIMEOUT)
    click(qtbot, tab.controls.play_button)  # pause
    qtbot.waitUntil(lambda: not tab.engine.running, timeout=TIMEOUT)
    n = len(tab.history)
    expected = core_steps(n)[-1]
    assert number(table_value(tab, "w1")) == pytest.approx(expected.params[0], rel=1e-5)
    assert number(table_value(tab, "b")) == pytest.approx(expected.params[1], abs=1e-9)
    assert number(table_value(tab, "cost J")) == pytest.approx(expected.cost, rel=1e-5)
    assert number(table_value(tab, "w1", 2)) == pytest.approx(expected.gradients[0], rel=1e-4)
    # the cost fell, and the curve holds every step
    assert expected.cost < core_steps(1)[0].cost
    assert len(tab.cost_curve.getData()[0]) == n


def test_step_key_advances_exactly_one_step(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    assert len(tab.history) == 1
    step_to(qtbot, window, tab, 2)
    assert len(tab.history) == 2
    assert tab.history.record(1).k == 1
    assert "step 1 of 1" in tab.controls.timeline_label.text()


def test_reset_restores_initial_parameters(window, qtbot, tab):
    initial = table_value(tab, "w1")
    assert number(initial) == pytest.approx(0.01788628, abs=1e-8)  # the course's seed-3 start
    step_to(qtbot, window, tab, 5)
    assert table_value(tab, "w1") != initial
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert len(tab.history) == 0
    assert table_value(tab, "w1") == initial


def test_timeline_shows_step_k(window, qtbot, tab):
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(
        lambda: tab.engine.state != "playing" or len(tab.history) >= 30, timeout=TIMEOUT
    )
    tab.pause()
    qtbot.waitUntil(lambda: not tab.engine.running, timeout=TIMEOUT)
    tab.controls.timeline.setValue(7)
    expected = core_steps(8)[7]
    assert number(table_value(tab, "w1")) == pytest.approx(expected.params[0], rel=1e-5)
    assert "step 7" in tab.controls.timeline_label.text()
    # Play from there continues from step 7: the run is cut after it and grows again
    click(qtbot, tab.controls.step_button)
    qtbot.waitUntil(lambda: not tab.engine.running and len(tab.history) == 9, timeout=TIMEOUT)
    assert tab.history.record(8).k == 8


def test_learning_rate_change_applies_without_reset(window, qtbot, tab):
    step_to(qtbot, window, tab, 3)
    tab.rate.setValue(0.3)
    step_to(qtbot, window, tab, 4)
    record = tab.history.record(3)
    assert record.learning_rate == pytest.approx(0.3)
    assert tab.history.record(2).learning_rate == pytest.approx(0.1)
    assert np.allclose(record.params, tab.history.record(2).params_next)


def test_bad_csv_shows_error_and_keeps_data(window, qtbot, tab, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("size,price\n1,2\n2,4.1\n3,5.9\n")
    assert tab.load_csv(str(good), ["size"], "price")
    assert tab.dataset.m == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("size,price\n1,2\n2,abc\n3,6\n")
    assert not tab.load_csv(str(bad), ["size"], "price")
    error = tab.data_error.text()
    assert "row 3" in error and "price" in error and "abc" in error
    assert tab.data_error.isVisible()
    assert tab.dataset.m == 3 and list(tab.dataset.X[:, 0]) == [1, 2, 3]
    assert tab.dataset.y[1] == pytest.approx(4.1)


def test_huge_rate_on_raw_prices_diverges_without_nan(window, qtbot, tab):
    tab.normalize.setChecked(False)
    tab.rate.setValue(50)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT) as blocker:
        click(qtbot, tab.controls.play_button)
    assert blocker.args[0].status == "diverged"
    assert "diverged" in window.statusBar().currentMessage().lower()
    table = tab.findChild(QTableWidget, "parameters")
    texts = [
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c)
    ]
    assert not any(t in ("nan", "inf", "undefined", "∞") for t in texts)


def test_two_inputs_plot_predicted_against_actual(window, qtbot, tab):
    tab.source.setCurrentIndex(tab.source.findData("house2"))
    assert tab.model.names == ("w1", "w2", "b")
    step_to(qtbot, window, tab, 2)
    assert "Predicted against actual" in tab.data_plot.getPlotItem().titleLabel.text
    # three parameters: the cost is shown as a slice, J(w1, w2) at the current b
    assert tab.surface_plot.isVisible() and "(a slice)" in tab.surface_plot.title


def test_math_panel_shows_numbers_of_selected_example(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    tab.select_example(2)
    text = tab.math.text()
    assert "Example 3" in text and "$50,000" in text
    record = tab.history.record(0)
    assert f"{record.params_next[0]:.4g}".replace("-", "−") in text


def test_closing_mid_run_leaves_no_thread(qtbot):
    from optgui.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.show()
    tab = win.current
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.controls.limit.setValue(10_000_000)
    tab.rate.setValue(1e-6)  # far from converging: the run goes on until stopped
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: len(tab.history) > 100, timeout=TIMEOUT)
    assert tab.engine.running
    win.close()
    assert not live_processes() and not child_processes()


def test_money_in_the_data_units_column():
    from optgui.lessons.regression import money

    assert money(20000, "$") == "$20,000"
    assert money(-28578761309, "$") == "−$28,578,761,309"
    assert money(-12.5, "$") == "−$12.50"
    assert money(-1234.5678, "ft²") == "−1,235 ft²"
    assert money(50000, None) == "50,000"
