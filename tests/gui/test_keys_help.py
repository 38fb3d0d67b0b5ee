"""Help → Keyboard shortcuts lists every key of the window, readably."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QFontMetrics, QShortcut
from PySide6.QtWidgets import QDialog, QTableWidget

from optgui.gui.keys_help import key_text

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def open_help(window, qtbot) -> QTableWidget:
    """Help → Keyboard shortcuts, as a click on the menu entry does."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in menu.actions() if "Keyboard" in a.text()).trigger()
    dialogs = [d for d in window.findChildren(QDialog, "shortcuts_dialog") if d.isVisible()]
    assert len(dialogs) == 1, "no shortcuts dialog"
    dialog = dialogs[0]
    qtbot.waitExposed(dialog)
    return dialog.findChild(QTableWidget, "shortcuts")


def keys(cell: str) -> set[str]:
    """The single keys of a cell: "V / Shift+V", "Ctrl+1 … Ctrl+6" (every one of 1 … 6)."""
    found = set()
    for part in cell.split(" / "):
        run = re.fullmatch(r"(.*?)(\d+) … (.*?)(\d+)", part)
        if run:
            found |= {f"{run[1]}{i}" for i in range(int(run[2]), int(run[4]) + 1)}
        else:
            found.add(part.strip())
    return found


def shown(table: QTableWidget) -> set[str]:
    return set().union(*(keys(table.item(r, 0).text()) for r in range(table.rowCount())))


def test_the_help_lists_every_key_the_readme_lists(window, qtbot):
    section = README.split("## Keyboard", 1)[1].split("\n## ", 1)[0]
    cells = re.findall(r"^\| ([^|]+?) \| [^|]+ \|$", section, re.M)[1:]  # (not the header)
    listed = set().union(*(keys(c) for c in cells))
    assert {"Ctrl+S", "Ctrl+O", "Ctrl+E", "Ctrl+Shift+E", "Space", "→", "F5"} <= listed
    assert listed <= shown(open_help(window, qtbot))


def test_every_key_of_the_window_is_in_the_help_with_its_words(window, qtbot):
    table = open_help(window, qtbot)
    words = {
        key: table.item(r, 1).text()
        for r in range(table.rowCount())
        for key in keys(table.item(r, 0).text())
    }
    bound = [
        key_text(c.key() if isinstance(c, QShortcut) else c.shortcut())
        for c in window.children()
        if isinstance(c, QShortcut | QAction)
        and not (c.key() if isinstance(c, QShortcut) else c.shortcut()).isEmpty()
    ]
    assert len(bound) > 20
    for key in bound:
        assert key in words or f"{key} (hold)" in words, key
    assert words["Space"] == "Play / pause the run"
    assert words["Ctrl+S"] == "Save session" and words["Ctrl+O"] == "Open session"


def assert_readable(table: QTableWidget) -> None:
    """Every text whole: on one line where the screen has room, else wrapped between words
    in a row tall enough; the table no wider than the screen."""
    screen = table.screen().availableGeometry()
    assert table.window().frameGeometry().width() <= screen.width()
    assert table.viewport().width() >= table.horizontalHeader().length()  # no column cut
    spare = table.window().width() + 200 < screen.width()
    for r in range(table.rowCount()):
        for c in (0, 1):
            item = table.item(r, c)
            metrics, width = QFontMetrics(item.font()), table.columnWidth(c) - 8
            one_line = metrics.horizontalAdvance(item.text()) <= width
            if spare:  # room to spare: nothing wraps
                assert one_line and not table.wordWrap(), item.text()
            if not one_line:
                assert table.wordWrap()
                assert all(metrics.horizontalAdvance(w) <= width for w in item.text().split())
                flags = Qt.TextFlag.TextWordWrap
                needed = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, item.text())
                assert table.rowHeight(r) >= needed.height(), item.text()


def test_the_help_reads_whole_at_normal_and_large_text(window, qtbot):
    table = open_help(window, qtbot)
    assert_readable(table)
    table.window().close()
    for _ in range(3):  # 18 pt
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert_readable(open_help(window, qtbot))
