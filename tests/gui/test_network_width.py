"""The 2-h-1 network at other widths and from the equal start (issue 16, items 8 and 9):
the guide counts the parameters shown, crowded edges are labelled with their names, and
twin hidden units move together; examples are counted from 1."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from optgui.core.training import row_columns
from optgui.lessons.network import pretty
from tests.gui.helpers import TIMEOUT, open_tab, step_to


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, "2-2-1 Network")


def set_width(qtbot, tab, hidden: int) -> None:
    box = tab.width_box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(hidden))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.hidden == hidden, timeout=TIMEOUT)


@pytest.mark.parametrize(("hidden", "count"), [(1, "five"), (2, "nine"), (8, "33")])
def test_the_guide_counts_the_parameters(window, qtbot, tab, hidden, count):
    set_width(qtbot, tab, hidden)
    text = tab.guide.text()
    assert f"all {count} parameters" in text and len(tab.table.names) == 4 * hidden + 1
    if hidden != 2:
        assert "nine" not in text and "two hidden units" not in text


def test_at_width_eight_every_edge_label_names_its_weight(window, qtbot, tab):
    set_width(qtbot, tab, 8)
    step_to(qtbot, window, tab, 1)
    diagram = tab.diagram
    diagram.grab()  # (painted: the labels are placed)
    rects = diagram._label_rects
    inputs = [name for name in diagram.edge_names() if len(name) == 3]
    assert len(inputs) == 16
    for name in diagram.edge_names():
        assert diagram._edge_text(name).startswith(f"{pretty(name)} = ")
        assert diagram.rect().toRectF().contains(rects[name])
    for a, b in itertools.combinations(diagram.edge_names(), 2):
        assert not rects[a].intersects(rects[b]), (a, b)  # legible: none on another
    # a label is where a click selects its weight, and hovering names it in words
    where = rects["w25"].center().toPoint()
    qtbot.mouseClick(diagram, Qt.MouseButton.LeftButton, pos=where)
    assert diagram.selected == "w25" and tab.chain.parameter.currentData() == "w25"
    qtbot.mouseMove(diagram, where)
    diagram.event(_tooltip_event(diagram, where))
    assert QToolTip.text().startswith("w₂₅ = ") and "to hidden unit a5" in QToolTip.text()


def _tooltip_event(widget, pos: QPoint):
    from PySide6.QtGui import QHelpEvent

    return QHelpEvent(QHelpEvent.Type.ToolTip, pos, widget.mapToGlobal(pos))


def test_the_equal_start_moves_twin_hidden_units(window, qtbot, tab):
    tab.init.setCurrentIndex(tab.init.findData("equal"))
    qtbot.waitUntil(lambda: tab.lesson.init == "equal", timeout=TIMEOUT)
    assert tab.params0.tolist() == [0.5] * 9
    assert tab.symmetry.isVisible()  # the twins are there from the start …
    step_to(qtbot, window, tab, 40)
    cols = row_columns(tab.model)
    rows = tab.history.rows
    pairs = [("w11", "w12"), ("w21", "w22"), ("b1", "b2"), ("w1", "w2")]
    for one, two in pairs:
        assert np.array_equal(rows[:, cols.index(one)], rows[:, cols.index(two)])
    assert not np.all(rows[-1, cols.index("w11")] == 0.5)  # … they move …
    cost = rows[:, cols.index("cost")]
    assert cost[-1] < cost[0]  # … the cost falls …
    assert tab.symmetry.isVisible() and "a₁ = a₂" in tab.symmetry.text()  # … still twins
    assert "converged" not in window.statusBar().currentMessage()


def test_examples_are_counted_from_one(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    assert tab.chain.example.value() == 1 and tab.chain.example.minimum() == 1
    tab.chain.example.setFocus()
    tab.chain.example.selectAll()
    qtbot.keyClicks(tab.chain.example, "3")
    qtbot.keyClick(tab.chain.example, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.selected == 2, timeout=TIMEOUT)
    assert tab.chain.example_info.text().startswith("Example 3: ")
    assert "example 3's" in tab.chain.batch.text()
    assert tab.chain.example.maximum() == len(tab.y)
