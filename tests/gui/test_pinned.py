"""Runs side by side in the real window: P pins, the button pins, four at most, Shift+P
clears; the legend names what differs, the table's figures match the histories, and the
pins survive a session."""

from __future__ import annotations

import json

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QTableWidget

from optgui.core.format import short
from optgui.core.race import race_columns
from optgui.core.training import row_columns
from optgui.lessons.pinned import MAX_PINNED, TRAIN_TOL
from tests.gui.helpers import TIMEOUT, click, fresh_window, open_tab, step_to


def table(tab) -> list[list[str]]:
    t = tab.findChild(QTableWidget, "pinned_table")
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def pinned_items(plot) -> list:
    return [
        i for i in plot.getPlotItem().items if isinstance(i, pg.PlotDataItem) and i.zValue() < 0
    ]


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifier)


def test_p_pins_the_run_and_a_new_one_starts_beside_it(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(0.05)
    step_to(qtbot, window, tab, 12)
    columns = row_columns(tab.model)
    cost = tab.history.column(columns.index("cost")).copy()
    path = tab.history.rows[:, [columns.index("w1"), columns.index("b")]].copy()
    press(qtbot, window, Qt.Key.Key_P)
    assert len(tab.board.runs) == 1 and len(tab.history) == 0  # a new run starts
    assert "Pinned" in window.statusBar().currentMessage()
    (item,) = pinned_items(tab.cost_plot)
    x, y = item.getData()
    assert np.array_equal(y, cost) and np.array_equal(x, np.arange(12))
    # … and its path on the cost surface, under this run's
    items = tab.surface_plot.getPlotItem().items
    (faded,) = [i for i in items if isinstance(i, pg.PlotDataItem) and i.zValue() == 1.5]
    assert np.array_equal(np.column_stack(faded.getData()), path)
    assert faded.zValue() < tab.surface_plot.path.zValue()
    # the table shows the Runs page: the pinned run and this one
    assert tab.board.panel.isVisible()
    assert [row[0] for row in table(tab)] == ["run 1", "now"]
    # one setting changed: the legend says which
    tab.rate.setValue(0.3)
    step_to(qtbot, window, tab, 30)
    legend = tab.board.panel.legend.text()
    assert "run 1</b>: α = 0.05" in legend and "now</b>: α = 0.3" in legend
    names = [label.text for _sample, label in tab.cost_plot.getPlotItem().legend.items]
    assert names == ["run 1: α = 0.05", "now: α = 0.3"]
    # the current row's figures come from its history
    rows = tab.history.rows
    cols = row_columns(tab.model)
    grads = rows[:, [cols.index("grad_w1"), cols.index("grad_b")]]
    first = int(rows[np.flatnonzero(np.linalg.norm(grads, axis=1) < TRAIN_TOL)[0], 0])
    now = table(tab)[-1]
    assert now[1] == str(first) and now[3] == "no"
    assert now[2] == short(rows[-1, cols.index("cost")])


def test_the_button_pins_four_at_most_and_shift_p_clears(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    button = tab.findChild(QPushButton, "pin_run")
    rates = [0.5, 1.0, 2.0, 4.0, 8.0]
    for rate in rates:
        tab.rate.setValue(rate)
        step_to(qtbot, window, tab, 3)
        click(qtbot, button)
    assert len(tab.board.runs) == MAX_PINNED
    assert "oldest" in window.statusBar().currentMessage()
    kept = [run.settings["learning_rate"] for run in tab.board.runs]
    assert kept == rates[1:]  # the fifth replaced the oldest
    assert len(pinned_items(tab.cost_plot)) == MAX_PINNED
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert tab.board.runs == [] and pinned_items(tab.cost_plot) == []
    assert [row[0] for row in table(tab)] == ["now"]


def test_nothing_to_pin_is_said_in_words(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    press(qtbot, window, Qt.Key.Key_P)
    assert tab.board.runs == [] and "no run to pin" in window.statusBar().currentMessage()
    hessian = open_tab(window, qtbot, "Hessian Explorer")
    press(qtbot, window, Qt.Key.Key_P)
    assert hessian.board is None and "Newton 2-D" in window.statusBar().currentMessage()


def test_newton_runs_side_by_side_and_their_figures(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    tab.rate.setValue(0.1)  # gradient descent diverges on the course's f
    tab.controls.speed.setValue(0)  # (full speed: the race runs to its end)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tab.engine.outcome is not None, timeout=TIMEOUT)
    rows = tab.history.rows.copy()
    press(qtbot, window, Qt.Key.Key_P)
    tab.modified.setChecked(True)
    tab.rate.setValue(0.02)
    step_to(qtbot, window, tab, 3)
    legend = tab.board.panel.legend.text()
    assert "α = 0.1, modified Newton = off" in legend
    assert "α = 0.02, modified Newton = on" in legend
    # the pinned run's figures, recomputed from its rows by the columns' names
    cols = race_columns(["x", "y"])
    pinned_rows = [r for r in table(tab) if r[0] == "run 1"]
    newton, descent = pinned_rows
    assert newton[1] == "Newton" and descent[1] == "GD"
    assert newton[2] == str(int(rows[-1, cols.index("newton_end_k")]))
    assert rows[-1, cols.index("newton_status")] == 1  # converged
    assert rows[-1, cols.index("gd_status")] == 5 and descent[4] == "diverged"
    taken = rows[rows[:, cols.index("newton_k")] == rows[:, 0]]
    assert newton[3] == short(taken[-1, cols.index("newton_f")])
    # both paths of the pinned run are on the map, faded, under this run's
    items = [i for i in tab.map.getPlotItem().items if isinstance(i, pg.PlotDataItem)]
    faded = [i for i in items if i.zValue() == 15]
    assert len(faded) == 2


def test_pinned_runs_survive_a_session(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "2-2-1 Network")
    tab.rate.setValue(2.0)
    step_to(qtbot, window, tab, 5)
    tab.pin_run()
    newton = open_tab(window, qtbot, "Newton 1-D")
    step_to(qtbot, window, newton, 4)
    newton.pin_run()
    step_to(qtbot, window, newton, 2)
    before = {t.title: (t.board.to_json(), table(t), len(t.history)) for t in (newton, tab)}
    window.save_session(tmp_path / "pins.json")

    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "pins.json") == ""
    # (the current tab, Newton 1-D, first: leaving a tab stops its replay)
    for title, (runs, rows, steps) in before.items():
        again = open_tab(other, qtbot, title)
        done = lambda a=again, n=steps: len(a.history) == n and not a.engine.running  # noqa: E731
        qtbot.waitUntil(done, timeout=TIMEOUT)
        assert again.board.to_json() == runs
        assert table(again) == rows
    other.close()


def test_presenting_shows_the_runs_as_a_view(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    step_to(qtbot, window, tab, 3)
    tab.pin_run()
    window.set_presentation(True)
    names = [view.name for view in tab.stage.views]
    assert names[-2:] == ["Runs side by side", "Derivation"]  # (the derivation stays last)
    press(qtbot, window, Qt.Key.Key_1 + len(names) - 2)
    qtbot.waitUntil(tab.board.panel.isVisible)
    assert tab.cost_box.isVisible()
    window.set_presentation(False)


def test_p_typed_into_a_function_box_is_typed_there(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    step_to(qtbot, window, tab, 2)
    edit = tab.function_box.findChild(QLineEdit)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Qt.Key.Key_End)
    qtbot.keyClicks(edit, " + p")
    assert edit.text().endswith(" + p")
    assert tab.board.runs == [] and len(tab.history) == 2


def test_a_damaged_pinned_run_leaves_the_session_unopened(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    step_to(qtbot, window, tab, 2)
    tab.pin_run()
    window.save_session(tmp_path / "s.json")
    document = json.loads((tmp_path / "s.json").read_text())
    document["tabs"]["Regression"]["pinned"][0]["curves"]["cost"][1] = ["fast"]
    (tmp_path / "bad.json").write_text(json.dumps(document))
    step_to(qtbot, window, tab, 3)
    reason = window.open_session(tmp_path / "bad.json")
    assert "pinned curve" in reason and "not a number" in reason
    assert len(tab.board.runs) == 1 and len(tab.history) == 3  # nothing changed


def test_a_curve_the_legend_names_already_is_renamed_and_named_back(window, qtbot):
    tab = open_tab(window, qtbot, "2-2-1 Network")
    legend = tab.cost_plot.getPlotItem().legend

    def names():
        return [label.text for _sample, label in legend.items]

    before = names()
    step_to(qtbot, window, tab, 3)
    tab.pin_run()
    tab.rate.setValue(1.0)
    step_to(qtbot, window, tab, 2)
    tab.rate.setValue(2.0)
    after = names()
    assert sum(n.startswith("now: ") for n in after) == 1 and "now: α = 2" in after
    assert "run 1: α = 5" in after
    assert len(after) == len(before) + 1  # the pinned run's entry, nothing doubled
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert names() == before
