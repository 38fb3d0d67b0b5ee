"""The iterates table: one row per step, filled as the run grows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidgetItem

from optgui.core.history import History
from optgui.gui import style
from optgui.gui.tables import NumberTable


class IteratesTable(NumberTable):
    """One row per step, filled incrementally; the row of the shown step is selected."""

    MAX_ROWS = 2000

    def __init__(self, columns: list[str], tooltips: list[str] | None = None, parent=None):
        super().__init__(columns, parent)
        self.setObjectName("iterates")
        style.relative_font(self)
        header = self.horizontalHeader()
        style.relative_font(header)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(36)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        if tooltips:
            for c, tip in enumerate(tooltips):
                self.horizontalHeaderItem(c).setToolTip(tip)
        self.setToolTip("One row per step k; the shown step is highlighted")
        self._filled = 0
        #: Columns always fit their contents (wide cells such as matrices).
        self.fit_contents = False

    def reset(self) -> None:
        self.setRowCount(0)
        self._filled = 0

    def set_compact(self, compact: bool) -> None:
        """Narrow windows: columns fit their numbers and the table scrolls sideways."""
        header = self.horizontalHeader()
        mode = QHeaderView.ResizeMode
        fit = compact or self.fit_contents
        header.setSectionResizeMode(mode.ResizeToContents if fit else mode.Stretch)
        header.setStretchLastSection(fit)
        header.setSectionResizeMode(0, mode.ResizeToContents)

    @property
    def filled(self) -> int:
        return self._filled

    def extend(self, rows: list[list[str]]) -> None:
        """Append rows of text (at most :attr:`MAX_ROWS` in all)."""
        rows = rows[: max(0, self.MAX_ROWS - self._filled)]
        if not rows:
            return
        start = self._filled
        self.setRowCount(start + len(rows))
        for r, row in enumerate(rows, start=start):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setTextAlignment(
                    Qt.AlignmentFlag.AlignVCenter
                    | (Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight)
                )
                self.setItem(r, c, item)
        self._filled = start + len(rows)

    def follow(self, history: History, texts: Callable[[np.ndarray], list[list[str]]]) -> None:
        """Append the history rows not shown yet, as ``texts(rows)`` (restart if it shrank)."""
        n = len(history)
        if n < self._filled:
            self.reset()
        if n == self._filled or self._filled >= self.MAX_ROWS:
            return
        self.extend(texts(history.rows[self._filled : n]))

    def show_row(self, r: int) -> None:
        if 0 <= r < self.rowCount():
            self.selectRow(r)
            self.scrollToItem(self.item(r, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        else:
            self.clearSelection()
