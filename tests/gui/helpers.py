"""Small helpers for driving tabs in GUI tests."""

from __future__ import annotations

import contextlib

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


def child_processes() -> list[int]:
    """The process ids of this process's living children (counted by the OS, not by us).

    Linux lists them in /proc; elsewhere multiprocessing's own list stands in.
    """
    import multiprocessing
    import os
    from multiprocessing import resource_tracker
    from pathlib import Path

    multiprocessing.active_children()  # (reaps children that have ended)
    # multiprocessing's resource tracker: one process, started with the first worker on
    # POSIX, that ends with this process (it reads a pipe of ours): not a worker
    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    tasks = Path(f"/proc/{os.getpid()}/task")
    if not tasks.exists():
        return [p.pid for p in multiprocessing.active_children() if p.pid != tracker]
    pids: list[int] = []
    for task in tasks.iterdir():
        with contextlib.suppress(OSError):
            pids += [int(p) for p in (task / "children").read_text().split()]
    return [pid for pid in pids if pid != tracker and _alive(pid)]


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    from pathlib import Path

    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
