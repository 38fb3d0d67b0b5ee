"""Presentation mode, zoom and export, driven through the real window."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from optgui.gui import export
from optgui.gui.style import Look
from tests.gui.helpers import step_to


def pen_width(plot: pg.PlotWidget) -> float:
    return max(
        pg.mkPen(item.opts["pen"]).widthF()
        for item in plot.getPlotItem().listDataItems()
        if item.opts.get("pen") is not None
    )


def test_presentation_mode_enlarges_and_hides_panels(window, qtbot):
    tab = window.current
    panel = tab.findChild(QWidget, "settings_panel")
    assert panel.isVisible()
    font_before = QApplication.instance().font().pointSize()
    pens_before = pen_width(tab.cost_plot)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.presentation
    assert QApplication.instance().font().pointSize() >= 1.5 * font_before  # 2x on big screens
    assert pen_width(tab.cost_plot) >= 2 * pens_before
    assert not panel.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the run controls still answer the keys
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=10_000)
    tab.pause()
    qtbot.waitUntil(lambda: not tab.engine.running)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.presentation and panel.isVisible()
    assert QApplication.instance().font().pointSize() == font_before
    assert pen_width(tab.cost_plot) == pens_before


def test_zoom_is_remembered_across_a_restart(window, qtbot):
    from optgui.app import create_window

    before = Look.font_pt
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert Look.font_pt == before + 4
    window.close()
    Look.font_pt = 12  # a fresh start would begin from the default …
    again = create_window()  # … and the saved size comes back
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.activateWindow()  # shortcuts act in the active window
    qtbot.waitUntil(again.isActiveWindow)
    assert Look.font_pt == before + 4
    assert QApplication.instance().font().pointSize() == before + 4
    qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert Look.font_pt == 12
    again.close()


def test_export_png_svg_and_history_csv(window, qtbot, tmp_path):
    tab = window.current
    step_to(qtbot, window, tab, 5)
    png = export.export_plot_png(tab.cost_plot, tmp_path / "cost.png", width=1234)
    image = QImage(str(png))
    assert image.width() == 1234 and image.height() > 100
    svg = export.export_plot_svg(tab.cost_plot, tmp_path / "cost.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    path = export.export_history_csv(tab.history_columns(), tab.history.rows, tmp_path / "h.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["k", "w1", "b", "cost", "grad_w1", "grad_b"]
    assert np.array_equal(np.array(rows[1:], dtype=float), tab.history.rows)
    shot = export.export_widget_png(window, tmp_path / "window.png")
    assert QImage(str(shot)).width() == window.width()


def test_export_into_a_missing_folder_says_so(window, tmp_path):
    tab = window.current
    try:
        export.export_plot_png(tab.cost_plot, tmp_path / "nope" / "x.png")
    except OSError as error:
        assert "does not exist" in str(error)
    else:
        raise AssertionError("no error")


def test_presentation_mode_enlarges_tables_legends_and_labels_too(window, qtbot):
    """Widgets with their own text size (tables of iterates, legends, the race summary,
    tabs built later) grow with the rest: nothing stays small on the projector."""
    from tests.gui.helpers import open_tab

    newton = open_tab(window, qtbot, "Newton 1-D")
    table = newton.findChild(QWidget, "iterates")
    summary = newton.findChild(QWidget, "summary")
    legend = newton.findChildren(pg.PlotWidget)[0].getPlotItem().legend
    before = table.font().pointSize(), summary.font().pointSize()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert table.font().pointSize() == Look.font_pt >= 1.5 * before[0]
    assert summary.font().pointSize() == Look.font_pt + 1
    assert all(label.opts["size"] == f"{Look.font_pt}pt" for _, label in legend.items)
    hessian = open_tab(window, qtbot, "Hessian Explorer")  # built while presenting
    assert all(
        w.font().pointSize() >= Look.font_pt
        for w in hessian.findChildren(QWidget)
        if w.property("optgui_font_delta") is not None
    )
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert (table.font().pointSize(), summary.font().pointSize()) == before


def test_a_tab_first_shown_while_presenting_gets_the_same_lines(window, qtbot):
    """Built during presentation mode, a tab's lines are scaled once, and back to
    normal afterwards (not doubled twice, then stuck at double)."""
    from tests.gui.helpers import open_tab
    from tests.gui.test_session import fresh_window

    other = fresh_window(qtbot)
    normal = pen_width(open_tab(other, qtbot, "Newton 1-D").findChildren(pg.PlotWidget)[0])
    qtbot.keyClick(window, Qt.Key.Key_F5)
    plot = open_tab(window, qtbot, "Newton 1-D").findChildren(pg.PlotWidget)[0]
    assert pen_width(plot) == 2 * normal
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert pen_width(plot) == normal
    other.close()


@pytest.mark.qt_no_exception_capture
def test_an_error_while_taking_a_batch_does_not_hang_the_run(window, qtbot, monkeypatch):
    """If storing or showing a batch fails, the worker still goes on (and can be paused)."""
    tab = window.current
    history = tab.engine.history
    extend = history.extend_rows
    failed = []

    def once(rows, *args, **kwargs):
        if not failed:
            failed.append(len(rows))
            raise RuntimeError("storing this batch failed")
        extend(rows, *args, **kwargs)

    monkeypatch.setattr(history, "extend_rows", once)
    tab.rate.setValue(1e-5)  # (no convergence within the run)
    assert tab._prepare()
    tab.engine.set_speed(0)
    tab.engine.max_steps = 5_000
    tab.engine.play()  # in the worker process
    qtbot.waitUntil(lambda: not tab.engine.running, timeout=20_000)
    assert failed and 0 < len(tab.history) == 5_000 - failed[0]
