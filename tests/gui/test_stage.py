"""Presentation's stage: the lesson's figure large, the math beside it, at projector sizes."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QWidget

from optgui.gui.style import Look
from optgui.tabs import TABS
from tests.gui.helpers import open_tab, step_to

TITLES = [title for title, _ in TABS]
SIZES = [(1024, 768), (1280, 800), (1920, 1080)]


def present(window, qtbot, size: tuple[int, int]) -> None:
    """Presentation mode with the window given a projector's whole screen (Qt's
    offscreen screen is 800 × 600, and full screen would keep the window that size)."""
    qtbot.keyClick(window, Qt.Key.Key_F5)
    window.showNormal()
    window.setGeometry(0, 0, *size)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0


def sideways(tab) -> list[str]:
    """Visible boxes that scroll sideways (a horizontal scroll bar with a range)."""
    return [
        area.objectName() or type(area).__name__
        for area in tab.findChildren(QAbstractScrollArea)
        if shown(area) and area.horizontalScrollBar().maximum() > 0
    ]


def small_plots(tab, size) -> list[tuple[str, int, int]]:
    w, h = size
    return [
        (plot.getPlotItem().titleLabel.text, plot.width(), plot.height())
        for plot in tab.findChildren(pg.PlotWidget)
        if shown(plot) and (plot.width() < w / 4 or plot.height() < h / 4)
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("title", TITLES)
def test_every_view_of_every_tab_fits_a_projector(window, qtbot, title, size):
    tab = open_tab(window, qtbot, title)
    step_to(qtbot, window, tab, 3)
    present(window, qtbot, size)
    assert tab.staged
    assert not window.welcome.isVisible()
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    for index in range(len(tab.stage.views)):
        qtbot.keyClick(window, Qt.Key.Key_1 + index)
        QApplication.processEvents()
        name = tab.stage.view.name
        assert tab.stage.index == index
        legends = [w for w in tab.stage.findChildren(QLabel, "stage_legend") if shown(w)]
        assert len(legends) <= len(tab.stage.view.figures) + 1  # (this view's only)
        figures = tab.stage.view.figures  # (plots, the network diagram, the 3-D surface)
        assert all(shown(figure) for figure in figures), name
        small = [
            (type(f).__name__, f.width(), f.height())
            for f in figures
            if f.width() < size[0] / 4 or f.height() < size[1] / 4
        ]
        assert not small, (name, small)
        assert not small_plots(tab, size), (name, small_plots(tab, size))
        assert not sideways(tab), (name, sideways(tab))
        small = [
            label.text()[:40]
            for label in tab.findChildren(QLabel)
            if shown(label) and label.text() and label.font().pointSize() < Look.font_pt - 1
        ]
        assert not small, (name, small)


def test_v_cycles_the_views_and_leaving_puts_every_widget_back(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    step_to(qtbot, window, tab, 2)
    homes = {id(w): w.parentWidget() for w in (tab.map, tab.table, tab.math, tab.summary)}
    warning_hidden = tab.warning.isHidden()
    present(window, qtbot, (1024, 768))
    stage = tab.stage
    assert stage.view.name == "Map and both paths" and stage.isAncestorOf(tab.map)
    assert stage.isAncestorOf(tab.math) and not tab.columns.isVisible()
    legend = tab.map.getPlotItem().legend
    assert not legend.isVisible()  # the legend is a line under the map, off the data
    under = stage.findChild(QLabel, "stage_legend")
    assert "Newton" in under.text() and "gradient descent" in under.text()
    assert tab.warning.isHidden() == warning_hidden  # a note stays as the tab had it
    window.presenter.overlay.strokes.append([tab.map.rect().center()])  # a drawing …
    qtbot.keyClick(window, Qt.Key.Key_V)
    assert stage.index == 1 and stage.isAncestorOf(tab.derivatives)
    assert not window.presenter.overlay.strokes  # … goes with the picture it was on
    assert not stage.isAncestorOf(tab.table)
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ShiftModifier)
    assert stage.index == 0
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert stage.view.name == "Iterates" and stage.isAncestorOf(tab.table)
    step_to(qtbot, window, tab, 4)  # the run goes on while staged
    assert tab.table.rowCount() >= 4
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not tab.staged and not stage.isVisible() and tab.columns.isVisible()
    for widget in (tab.map, tab.table, tab.math, tab.summary):
        assert widget.parentWidget() is homes[id(widget)], widget.objectName()
        assert not stage.isAncestorOf(widget)
    assert legend.isVisible() and window.menuBar().isVisible()
    assert window.welcome.isVisible()  # (not dismissed in this fresh profile)
    assert tab.findChild(QWidget, "settings_panel").isVisible()


def test_escape_leaves_presentation_and_views_need_it(window, qtbot):
    tab = window.current
    qtbot.keyClick(window, Qt.Key.Key_V)
    assert "presentation mode" in window.statusBar().currentMessage()
    present(window, qtbot, (1024, 768))
    assert tab.staged
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presentation and not tab.staged


def test_a_tab_built_while_presenting_is_staged(window, qtbot):
    present(window, qtbot, (1024, 768))
    tab = open_tab(window, qtbot, "Hessian Explorer")
    assert tab.staged and tab.stage.isAncestorOf(tab.map)
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert tab.stage.view.name == ("Surface" if tab.surface.view else "Critical points")
    assert tab.stage.isAncestorOf(tab.surface if tab.surface.view else tab.critical_panel)
