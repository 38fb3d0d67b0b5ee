"""The Classification tab's pictures and numbers (issue 16, item 7): the sigmoid plot
shows every example where it is (or marks it at the edge), the legend stays off the
points, and the math panel's arithmetic adds up as shown."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from optgui.gui.layout import settle
from optgui.lessons.arithmetic import value_of
from tests.gui.helpers import TIMEOUT, open_tab


@pytest.fixture
def tab(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    return tab


def type_start(qtbot, tab, name: str, text: str) -> None:
    """Double-click parameter ``name``'s value in the table and type ``text``."""
    item = tab.table.item(tab.table.names.index(name), 1)
    rect = tab.table.visualItemRect(item)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def editor() -> QLineEdit | None:  # (the last edit's editor may not be gone yet)
        shown = [e for e in tab.table.findChildren(QLineEdit) if e.isVisible()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: editor() is not None, timeout=TIMEOUT)
    editor = editor()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    k = tab.table.names.index(name)
    qtbot.waitUntil(lambda: tab.params0[k] == float(text), timeout=TIMEOUT)
    assert tab.init.currentData() == "typed"


def drawn_z(tab) -> list[float]:
    xs = [item.getData()[0] for item in tab.sig_points]
    return sorted(float(x) for part in xs if part is not None for x in part)


def test_every_example_is_drawn_at_its_own_z(window, qtbot, tab):
    """300 steps on the aliens: "Aack aack aack!" has z = 10.65 (it was drawn at 8)."""
    tab.controls.limit.setValue(300)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    z = tab.history.record(len(tab.history) - 1).forward.z
    assert z.max() > 10
    assert drawn_z(tab) == pytest.approx(sorted(z.tolist()))
    (x0, x1), _ = tab.sig_plot.getViewBox().viewRange()
    assert x0 <= z.min() and z.max() <= x1
    curve_z, _ = tab.sig_curve.getData()
    assert curve_z.min() <= z.min() and z.max() <= curve_z.max()  # the curve reaches them
    assert len(tab.sig_clipped.data) == 0 and tab.sig_note.toPlainText() == ""


def test_examples_beyond_the_range_are_marked_at_the_edge(window, qtbot, tab):
    type_start(qtbot, tab, "w1", "10")
    type_start(qtbot, tab, "w2", "-10")
    type_start(qtbot, tab, "b", "-5")
    z = tab.initial_record().forward.z  # 25, −25, −25, 5
    beyond = np.abs(z) > 20
    assert beyond.sum() == 3
    (x0, x1), _ = tab.sig_plot.getViewBox().viewRange()
    marks = tab.sig_clipped.data
    assert sorted(marks["x"].tolist()) == [-20.0, -20.0, 20.0]  # at the edges …
    assert x0 <= -20 and x1 >= 20  # … inside the view
    symbols = {float(m["x"]): m["symbol"] for m in marks}
    assert symbols == {20.0: "t2", -20.0: "t3"}  # arrows pointing the way the examples lie
    assert drawn_z(tab) == pytest.approx(sorted(z[~beyond].tolist()))
    note = tab.sig_note.toPlainText()
    assert note == "▶ 3 examples with |z| > 20 are drawn at the edge"
    assert tab.sig_note.isVisible()


def test_the_legend_stays_off_the_points(window, qtbot, tab):
    for source in ("aliens", "blobs", "xor"):
        tab.source.setCurrentIndex(tab.source.findData(source))
        qtbot.waitUntil(lambda s=source: tab.lesson.source == s)
        settle()  # (the plot's new layout, every level of it)
        view = tab.plane.getViewBox()
        legend = tab.plane.legend
        assert len(legend.items) == 2 and legend.isVisible()
        frame = view.sceneBoundingRect()
        box = legend.sceneBoundingRect()
        assert box.top() >= frame.bottom() - 1  # under the plot, not over its data
        for item in tab.plane.class_points:
            for point in item.points():
                assert not box.contains(view.mapViewToScene(point.pos()))


def test_the_math_adds_up_as_shown(window, qtbot, tab):
    """With ŷ near 1 the panel showed "−(1 − 1) × 3 = −7.11e−05"."""
    tab.controls.limit.setValue(300)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    text = tab.math.text()
    assert "−(1 − 1)" not in text
    partials = re.findall(r"−\((\S+) − (\S+)\) × (\S+) = <b>(\S+)</b>", text)
    assert len(partials) == 2
    for y, yhat, x, result in partials:
        assert float(value_of(result)) == pytest.approx(
            -(value_of(y) - value_of(yhat)) * value_of(x), rel=1e-3, abs=5e-7
        )
