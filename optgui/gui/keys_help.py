"""Help → Keyboard shortcuts, read from the window's own shortcuts and actions.

A key gets its words where it is bound (:func:`describe`; an action without them:
its menu text). The dialog lists every key of the window, so the list cannot
drift from the keys that work. Keys with the same words share a row
("V / Shift+V", "1 … 6").
"""

from __future__ import annotations

import re
import sys

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

#: Dynamic properties: what a key does, in words (an action without it: its menu text) …
HELP = "optgui_help"
#: … and how the key reads when not as Qt spells it ("L (hold)").
LABEL = "optgui_key"

#: Keys as people say them.
_NAMES = {"Right": "→", "Left": "←", "+": "Plus", "-": "Minus", "=": "Equal"}


def describe(obj: QObject, text: str, label: str = "") -> QObject:
    """Give a shortcut or action its words in the help (and a label for its key)."""
    obj.setProperty(HELP, text)
    if label:
        obj.setProperty(LABEL, label)
    return obj


def key_text(sequence: QKeySequence) -> str:
    """A key as the help shows it: "Ctrl+Plus", "→", "Space" (macOS: as its menus, "⌘S")."""
    if sys.platform == "darwin":  # Qt's Ctrl is the Command key there
        return sequence.toString(QKeySequence.SequenceFormat.NativeText)
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    if text.endswith("++"):  # "Ctrl++": the key is "+"
        modifiers, key = text[:-2], "+"
    elif "+" in text[:-1]:
        modifiers, _, key = text.rpartition("+")
    else:
        modifiers, key = "", text
    return "+".join([*filter(None, modifiers.split("+")), _NAMES.get(key, key)])


def _entries(window: QMainWindow) -> list[tuple[str, str]]:
    """(key, words) for each shortcut and keyed action of the window, as they were made."""
    entries = []
    for child in window.children():
        if isinstance(child, QShortcut):
            key, text = child.key(), child.property(HELP)
        elif isinstance(child, QAction):
            key = child.shortcut()
            text = child.property(HELP) or child.text().replace("&", "").rstrip("…")
        else:
            continue
        if text and not key.isEmpty():
            entries.append((child.property(LABEL) or key_text(key), str(text)))
    return entries


def _joined(keys: list[str]) -> str:
    """Keys that do one thing: "V / Shift+V"; a run of numbered keys: "Ctrl+1 … Ctrl+6"."""
    if len(keys) > 2:
        stems = {re.sub(r"\d+$", "", k) for k in keys}
        numbers = [re.search(r"(\d+)$", k) for k in keys]
        if len(stems) == 1 and all(numbers):
            values = [int(n.group(1)) for n in numbers]
            if values == list(range(values[0], values[0] + len(values))):
                return f"{keys[0]} … {keys[-1]}"
    return " / ".join(keys)


def rows(window: QMainWindow) -> list[tuple[str, str]]:
    """The help's rows: (keys, what they do); keys with the same words share a row."""
    grouped: dict[str, list[str]] = {}
    for key, text in _entries(window):
        keys = grouped.setdefault(text, [])
        if key not in keys:
            keys.append(key)
    return [(_joined(keys), text) for text, keys in grouped.items()]


class ShortcutsDialog(QDialog):
    """The keys in a table as wide as its texts; on a screen too narrow for that, the
    descriptions wrap between words and their rows grow (nothing is cut)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        entries = rows(window)
        table = self.table = QTableWidget(len(entries), 2)
        table.setObjectName("shortcuts")
        table.setHorizontalHeaderLabels(["Key", "What it does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setAlternatingRowColors(True)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for r, (key, text) in enumerate(entries):
            item = QTableWidgetItem(key)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            table.setItem(r, 0, item)
            table.setItem(r, 1, QTableWidgetItem(text))
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fit(window.screen().availableGeometry().size())

    def _fit(self, screen: QSize) -> None:
        """Columns as wide as their texts, within the screen; rows as tall as theirs."""
        table = self.table
        table.setWordWrap(False)
        table.resizeColumnsToContents()
        margin = 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        room = screen.width() - 80 - margin  # (the dialog's edges)
        if table.columnWidth(0) + table.columnWidth(1) > room:
            table.setWordWrap(True)
            table.setColumnWidth(0, min(table.columnWidth(0), int(0.4 * room)))
            table.setColumnWidth(1, room - table.columnWidth(0))
        table.resizeRowsToContents()
        width = table.horizontalHeader().length() + margin
        height = table.verticalHeader().length() + table.horizontalHeader().height()
        table.setMinimumWidth(width)
        table.setMinimumHeight(min(height + margin, int(screen.height() * 0.7)))
