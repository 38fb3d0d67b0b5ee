"""Small helpers for driving tabs in GUI tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

TIMEOUT = 20_000  # ms: generous for a loaded CI machine; conditions end waits early


def open_tab(window, qtbot, title: str):
    """Bring the tab called ``title`` to the front (as a click on its tab would)."""
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == title)
    window.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == index)
    return window.tab(index)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def table_value(tab, row_label: str, column: int = 1) -> str:
    table: QTableWidget = tab.findChild(QTableWidget, "parameters")
    for r in range(table.rowCount()):
        if table.item(r, 0).text() == row_label:
            return table.item(r, column).text()
    raise KeyError(row_label)


def number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


def step_to(qtbot, window, tab, n: int) -> None:
    """Press → until the tab has ``n`` recorded steps (each press waits for its step)."""
    if not window.isActiveWindow():  # keys reach the active window's shortcuts only
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    while len(tab.history) < n:
        before = len(tab.history)
        qtbot.keyClick(window, Qt.Key.Key_Right)
        qtbot.waitUntil(
            lambda b=before: len(tab.history) == b + 1 and not tab.engine.running, timeout=TIMEOUT
        )


def fresh_window(qtbot):
    """A second real main window (to open a saved session in), shown."""
    from optgui.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def wait_for_verdict(qtbot, edit) -> None:
    """After Return in a function box: wait for its verdict (it may come off the GUI thread)."""
    from optgui.gui.function_box import FunctionBox

    box = edit.parent()
    if isinstance(box, FunctionBox):
        qtbot.waitUntil(lambda: not box.busy, timeout=TIMEOUT)
