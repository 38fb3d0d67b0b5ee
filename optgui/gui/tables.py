"""Tables of numbers: the parameter table and a generic read-only table."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from optgui.core.format import fmt  # noqa: F401 - the app's one formatter

CHANGED = QColor("#FFF3C4")  # soft yellow: this value changed in the last step


def parse_number(text: str) -> float:
    """A typed number; accepts the typographic minus sign."""
    value = float(text.strip().replace("−", "-").replace(",", ""))
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


class NumberTable(QTableWidget):
    """A read-only table of labelled numbers, with changed cells highlighted."""

    def __init__(self, columns: Sequence[str], parent=None):
        super().__init__(0, len(columns), parent)
        self.setHorizontalHeaderLabels(list(columns))
        self.verticalHeader().setVisible(False)
        # every column as wide as its widest number (never cut to "…"); the last one
        # takes what is left; a scroll bar if the numbers are wider than the panel
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)

    #: Significant digits shown for numbers.
    digits = 7

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        """Fill the table: numbers are formatted, strings shown as they are."""
        if self.rowCount() != len(rows):
            self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = value if isinstance(value, str) else fmt(value, self.digits)
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignVCenter
                        | (Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight)
                    )
                    self.setItem(r, c, item)
                item.setText(text)

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return "" if item is None else item.text()

    def fit_height(self) -> None:
        """Size the table to its rows (no inner scrollbar for short tables)."""
        height = self.horizontalHeader().height() + 4
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setMinimumHeight(min(height, 600))
        self.setMaximumHeight(height)


class ParameterTable(NumberTable):
    """Parameters with their values and gradients; values editable before a run.

    Row labels are the slides' names (w1, w2, b …); below them the cost (and
    accuracy for classifiers). Cells that changed in the last step are tinted.
    """

    initial_edited = Signal(str, float)
    edit_rejected = Signal(str)

    def __init__(self, parent=None, *, units: bool = False):
        columns = ["parameter", "value", "∂J/∂·"]
        if units:
            columns.append("in units")
        super().__init__(columns, parent)
        self.setObjectName("parameters")
        self._names: tuple[str, ...] = ()
        self._editable = False
        self._previous: dict[tuple[int, int], str] = {}
        self.itemChanged.connect(self._item_changed)
        self._filling = False

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def show_values(
        self,
        names: Sequence[str],
        values: Sequence[float],
        gradients: Sequence[float] | None,
        extra: Sequence[tuple[str, float | None]] = (),
        units: Sequence[str] | None = None,
        *,
        editable: bool = False,
    ) -> None:
        """Show one step: parameter values, gradients, and extra rows (cost …)."""
        self._filling = True
        self._names = tuple(names)
        rows: list[list[object]] = []
        for i, name in enumerate(names):
            row: list[object] = [name, values[i], "" if gradients is None else gradients[i]]
            if self.columnCount() > 3:
                row.append(units[i] if units else "")
            rows.append(row)
        for label, value in extra:
            row = [label, value, ""]
            if self.columnCount() > 3:
                row.append("")
            rows.append(row)
        self.set_rows(rows)
        for r in range(self.rowCount()):
            for c in range(1, self.columnCount()):
                item = self.item(r, c)
                old = self._previous.get((r, c))
                changed = old is not None and old != item.text() and not editable
                item.setBackground(QBrush(CHANGED) if changed else QBrush())
                self._previous[(r, c)] = item.text()
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if editable and c == 1 and r < len(names):
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
        self._editable = editable
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable else Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
            if editable
            else QAbstractItemView.SelectionMode.NoSelection
        )
        self._filling = False

    def forget_changes(self) -> None:
        self._previous.clear()

    def value(self, name: str) -> str:
        return self.text(self._names.index(name), 1)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or not self._editable or item.column() != 1:
            return
        if item.row() >= len(self._names):
            return
        name = self._names[item.row()]
        try:
            value = parse_number(item.text())
        except ValueError:
            self.edit_rejected.emit(f"'{item.text()}' is not a number; {name} keeps its value.")
            return
        self.initial_edited.emit(name, value)
