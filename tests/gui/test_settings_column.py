"""The settings column grows with the text: at 18 pt nothing in it is cut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from optgui.gui.style import Look
from optgui.tabs import TABS
from tests.gui.helpers import open_tab


def column(tab) -> QScrollArea:
    return next(s for s in tab.findChildren(QScrollArea) if s.objectName() == "settings_panel")


def combo_room(box: QComboBox) -> int:
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    return field.width()


def cut_texts(tab) -> list[str]:
    """Texts of the settings column that do not fit where they are shown."""
    scroll = column(tab)
    panel = scroll.widget()
    cut = []
    if panel.width() > scroll.viewport().width():
        cut.append(f"the column: {panel.width()} px of content in {scroll.viewport().width()}")
    for widget in panel.findChildren(QWidget):
        if not widget.isVisibleTo(panel):
            continue
        if isinstance(widget, QComboBox):
            text, room = widget.currentText(), combo_room(widget)
            if QFontMetrics(widget.font()).horizontalAdvance(text) > room:
                cut.append(f"the list showing {text!r}")
        elif isinstance(widget, QLabel | QAbstractButton) and widget.text():
            if isinstance(widget, QLabel) and widget.wordWrap():
                continue  # (wraps: its height grows instead)
            if widget.sizeHint().width() > widget.width():  # (Qt's own need: text and margins)
                cut.append(f"{type(widget).__name__} {widget.text()!r}")
    return cut


def assert_whole(qtbot, tab) -> None:
    """Nothing cut, once the column has followed the change (it fits after a layout)."""
    try:
        qtbot.waitUntil(lambda: not cut_texts(tab), timeout=5_000)
    except qtbot.TimeoutError:
        assert cut_texts(tab) == []


@pytest.mark.parametrize("title", [t for t, _ in TABS])
def test_nothing_in_the_settings_column_is_cut_at_18_pt(window, qtbot, title):
    window.resize(1366, 768)
    tab = open_tab(window, qtbot, title)
    qtbot.waitUntil(lambda: window.width() == 1366)
    assert_whole(qtbot, tab)
    before = column(tab).width()
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert Look.font_pt == 18
    qtbot.waitUntil(lambda: column(tab).width() > before)  # it grows with the text
    assert_whole(qtbot, tab)
    assert column(tab).width() <= 0.55 * window.width() + 1  # and leaves the views room
