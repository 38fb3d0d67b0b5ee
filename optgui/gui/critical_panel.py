"""The critical points of f in the map's window, searched in the background and listed.

Newton from a grid of starts can take most of a second (flat minima converge
slowly), so the search runs on its own run engine; a stale result is dropped
and the newest request searched next. Searches wait while the panel's tab is
hidden (:meth:`allow`).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from optgui.core.expr import Function
from optgui.gui.engine import RunEngine
from optgui.gui.tables import WrapTable
from optgui.lessons import hessian as lesson


class CriticalPanel(QGroupBox):
    """A "find" button, the list of critical points found and a note.

    Signals:
        find_clicked(): the button was pressed (the tab asks for a search).
        chosen(tuple): a listed point was clicked (its coordinates, round-off tidied).
        found(list): a new list is shown (of :class:`~optgui.core.hessian.Analysis`).
    """

    find_clicked = Signal()
    chosen = Signal(object)
    found = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Critical points in the map", parent)
        layout = QVBoxLayout(self)
        self.button = QPushButton("Find the critical points")
        self.button.setObjectName("find_critical")
        self.button.setToolTip(
            "Newton's method from a grid of starts across the map; the points where ∇f = 0 "
            "are listed with their kind. Click one to go there."
        )
        layout.addWidget(self.button)
        self.table = WrapTable(["point", "f", "kind"])
        self.table.setObjectName("critical_points")
        self.table.setToolTip("Click a row to move the point there")
        self.table.setMinimumHeight(120)
        layout.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setObjectName("critical_note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        self.critical: list = []  # the Analysis of each listed point
        self.finder = RunEngine(self)
        self.finder.set_speed(0)
        self.finder.steps_ready.connect(self._found)
        self.finder.state_changed.connect(self._state)
        self.finder.failed.connect(self._failed)
        self._search: tuple | None = None  # (key, function, bounds) the list should show
        self._shown_key: tuple | None = None  # the key of the list shown
        self._listed: tuple | None = None  # (text, variables) of the function listed
        self._allowed = False  # searches start once the tab is shown

        self.button.clicked.connect(self.find_clicked)
        self.table.cellClicked.connect(self._clicked)

    def search(self, function: Function, bounds: list[tuple[float, float]]) -> None:
        """Search the critical points of ``function`` inside ``bounds``."""
        key = (function.text, function.variables, tuple(tuple(b) for b in bounds))
        if self._listed != key[:2]:  # the list is of another function: clear it now
            self._show([], "")
            self._shown_key = None
            self._listed = key[:2]
        self._search = (key, function, bounds)
        if key != self._shown_key:
            self.note.setText(lesson.SEARCHING)
        self._start()

    def allow(self, allowed: bool) -> None:
        """Let searches run (the tab is shown) or stop them (hidden, closing)."""
        self._allowed = allowed
        if allowed:
            self._start()
        elif self.finder.running:
            self.finder.stop()
            self._shown_key = None  # interrupted: search again when allowed

    def _start(self) -> None:
        if self._search is None or not self._allowed or self.finder.running:
            return
        key, f, bounds = self._search
        if key == self._shown_key:
            return
        self.finder.reset()
        self.finder.set_factory(partial(lesson.search_factory, f, bounds, key))
        self.finder.step_in_background(1)

    def _found(self, records: list) -> None:
        record = records[-1]
        if self._search is None or record.key != self._search[0]:
            return  # stale: the next search starts when this run ends
        self._shown_key = record.key
        found = list(record.points)
        self._show(found, lesson.critical_note(found))

    def _failed(self, text: str) -> None:
        if self._search is not None:
            self._shown_key = self._search[0]
        self._show([], f"The search failed: {text}")

    def _state(self, state: str) -> None:
        if state != "playing":
            self._start()

    def _show(self, found: list, note: str) -> None:
        self.critical = found
        self.note.setText(note)
        self.table.set_rows(lesson.critical_rows(found))
        self.found.emit(found)

    def _clicked(self, row: int, column: int) -> None:
        if 0 <= row < len(self.critical):
            # the point as listed: round-off such as 1e-29 is the 0 it shows
            self.chosen.emit(tuple(lesson.tidy(v) for v in self.critical[row].point))
