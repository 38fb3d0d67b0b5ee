"""The Regression tab's derivations, raw units and the preset "the slides' MSE table"."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QTabWidget, QWidget

from optgui.core.training import TrainSettings, train
from optgui.gui import mathtext
from optgui.lessons import regression as lesson
from optgui.lessons import regression_derivations as rd
from optgui.lessons.derivation import Line
from optgui.lessons.regression import RegressionLesson
from tests.gui.helpers import TIMEOUT, click, number, open_tab, table_value


@pytest.fixture
def tab(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    if not window.isActiveWindow():  # keys reach the active window's shortcuts only
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    return tab


def show_derivations(tab, qtbot, title: str):
    pages = next(p for p in tab.findChildren(QTabWidget) if p.objectName() == "math_pages")
    pages.setCurrentWidget(tab.derivation)
    qtbot.waitUntil(tab.derivation.isVisible)
    tab.derivation.choose(title)
    return tab.derivation


# -- every formula typesets ------------------------------------------------------------------


def all_derivations():
    """The derivations of every kind of run: raw and normalised, 1 and 2 inputs, many rows,
    one example at a time."""
    cases = [
        ("house1", False, "full"),
        ("house1", True, "full"),
        ("house2", False, "single"),
        ("line", True, "full"),
        ("plane", False, "single"),
    ]
    for source, normalize, batch in cases:
        settings = RegressionLesson(source=source, normalize=normalize, batch=batch)
        p = lesson.prepare(settings, lesson.dataset(settings))
        params = np.linspace(15, -3, p.model.n_params)
        core = TrainSettings(1e-8, batch)
        run = train(p.model, p.X, p.y, params, core)
        record = [next(run) for _ in range(2)][-1]
        i = record.example if record.example is not None else p.data.m - 1
        yield from rd.derivations(record, p, i)


def test_every_line_of_every_derivation_typesets(qtbot):
    seen = 0
    for d in all_derivations():
        assert d.title in (rd.MSE_TITLE, rd.PARTIALS_TITLE, rd.RATE_TITLE)
        for line in d.lines:
            if isinstance(line, Line) and line.latex:
                assert not mathtext.pixmap(line.latex).isNull(), line.latex  # ValueError if not
                seen += 1
    assert seen > 100


# -- the Derivation page ---------------------------------------------------------------------


def test_right_reveals_the_partials_in_order(window, qtbot, tab):
    panel = show_derivations(tab, qtbot, rd.PARTIALS_TITLE)
    lines = panel.current.plain()
    assert panel.shown_lines() == lines[:1] and "house 1" in lines[0]
    for k in range(2, len(lines) + 1):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        assert panel.shown_lines() == lines[:k]
    assert len(tab.history) == 0  # → revealed lines, it did not step
    assert r"\frac{\partial L}{\partial \hat{y}} = " in lines[3]  # ∂L/∂ŷ, the 4th line
    assert lines.index(next(t for t in lines if r"\partial b} = 1" in t)) == 5
    # the normalised run says where it differs from the slides
    assert panel.note.isVisible() and "z-scores" in panel.note.text()
    # a click on house 3 follows it
    tab.select_example(2)
    qtbot.waitUntil(lambda: "house 3" in panel.current.plain()[0])


def test_the_preset_gives_the_slides_mse_table(window, qtbot, tab):
    button = tab.findChild(QPushButton, "mse_preset")
    click(qtbot, button)
    settings = tab.lesson
    assert (settings.source, settings.normalize, settings.init) == ("house1", False, "typed")
    assert not tab.normalize.isChecked() and settings.learning_rate == 2.1e-7
    assert tab.rate.text() == "2.1e-7"
    assert number(table_value(tab, "w1")) == 15 and number(table_value(tab, "b")) == 0
    assert number(table_value(tab, "cost J")) == pytest.approx(8_333_333.33, rel=1e-5)
    assert table_value(tab, "w1", 3) == "$15/ft²"
    # the Derivation page is in front, with the whole table
    panel = tab.derivation
    qtbot.waitUntil(panel.isVisible)
    assert panel.current.title == rd.MSE_TITLE and panel.remaining == 0
    table = panel.findChild(QWidget, "derivation_table")
    assert table is not None and table.isVisible()
    assert "J |  |  |  |  | 8,333,333" in table.accessibleName()
    assert "1,000 | 20,000 | 15,000 | 5,000 | 25,000,000 | 12,500,000" in table.accessibleName()
    assert not panel.note.isVisible()  # raw units: as on the slides
    note = tab.findChild(QLabel, "units_note")
    assert "Raw units ($, ft²)" in note.text() and "α = 2.1e−07 converges" in note.text()
    assert "MSE table" in window.statusBar().currentMessage()
    # → now steps the run (every line is shown); step 1 starts from the new line
    for k in (1, 2):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda k=k: len(tab.history) == k and not tab.engine.running)
    qtbot.waitUntil(lambda: r"\hat{y} = 16.4\,x_1 + 0.0007" in panel.current.plain()[0])


def test_the_preset_while_presenting_shows_the_stage_derivation(window, qtbot, tab):
    window.set_presentation(True)
    tab.use_mse_preset()
    assert tab.stage.views[tab.stage.index].name == "Derivation"
    qtbot.waitUntil(tab.derivation.isVisible)
    assert tab.derivation.current.title == rd.MSE_TITLE


# -- raw units -----------------------------------------------------------------------------


def test_normalise_off_scales_alpha_and_the_run_converges(window, qtbot, tab):
    assert tab.lesson.learning_rate == 0.1
    click(qtbot, tab.findChild(QCheckBox, "normalize"))
    assert not tab.lesson.normalize and tab.lesson.learning_rate == 2.1e-7
    assert tab.rate.text() == "2.1e-7" and "α set to 2.1e−07" in tab.status
    assert "stable only for α < 2/λ1" in tab.findChild(QLabel, "units_note").text()
    tab.controls.limit.setValue(60)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT) as blocker:
        click(qtbot, tab.controls.play_button)
    assert blocker.args[0].status != "diverged"
    cost = tab.history.column(tab.history_columns().index("cost"))
    assert len(cost) == 60 and np.all(np.isfinite(cost))
    assert np.all(np.diff(cost) <= 0) and cost[-1] < 0.5 * cost[0]
    # normalising again brings α back to 0.1
    click(qtbot, tab.findChild(QCheckBox, "normalize"))
    assert tab.lesson.normalize and tab.lesson.learning_rate == 0.1 and tab.rate.text() == "0.1"
    assert tab.findChild(QLabel, "units_note").text() == lesson.NORMALISE_REASON


def test_a_small_rate_can_be_typed(window, qtbot, tab):
    click(qtbot, tab.findChild(QCheckBox, "normalize"))
    edit = tab.rate.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "3e-7")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert tab.lesson.learning_rate == pytest.approx(3e-7) and tab.rate.text() == "3e-7"
    assert "α = 3.0e−07 converges" in tab.findChild(QLabel, "units_note").text()
    tab.rate.stepBy(1)  # the arrows double it: past the limit, the note says so
    assert "diverges: use α = 2.1e−07" in tab.findChild(QLabel, "units_note").text()
