"""A point typed coordinate by coordinate (x, y and, for f(x, y, z), z).

Enter in a box, or leaving a box whose text changed (Tab, a click elsewhere),
applies the point, as the Newton tabs' start boxes do: ``entered(point)`` and
then ``typed`` are emitted only when every coordinate is a number and ``check``
(if given) finds no problem with it; otherwise the reason shows in red under
the boxes, and the typed text stays for correcting until the box is left (then
the point in use comes back). :meth:`accessor` binds the box to a settings
field (see :mod:`optgui.gui.binding`), which acts only if the point changed;
``entered`` also reports Enter on an unchanged point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from optgui.core.format import fmt
from optgui.gui import style
from optgui.gui.binding import Accessor
from optgui.gui.tables import parse_number


class PointBox(QWidget):
    """The point's coordinates, typed (Enter or leaving a box applies); shows z only in
    three variables."""

    entered = Signal(object)  # the typed point (a tuple), first
    typed = Signal()  # then this, for the binding

    def __init__(
        self,
        names: Sequence[str] = ("x", "y", "z"),
        check: Callable[[tuple[float, ...]], str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.names = tuple(names)
        self.check = check
        self.n = len(self.names)
        self._point: tuple[float, ...] = ()
        self._typed_in: set[QLineEdit] = set()  # boxes typed in since the point was applied
        self.edits: list[QLineEdit] = []
        self.labels: list[QLabel] = []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for name in self.names:
            label = QLabel(f"{name} =")
            edit = QLineEdit("0")
            edit.setObjectName(f"point_{name}")
            edit.setToolTip(
                f"Type the point's {name}; Enter or leaving the box applies it (or click the map)"
            )
            edit.setMinimumWidth(48)
            edit.returnPressed.connect(self._entered)
            edit.textEdited.connect(lambda _text, edit=edit: self._typed_in.add(edit))
            edit.editingFinished.connect(lambda edit=edit: self._left(edit))
            edit.installEventFilter(self)
            row.addWidget(label)
            row.addWidget(edit, 1)
            self.labels.append(label)
            self.edits.append(edit)
        self.error = style.error_label("point_error")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.set_dimension(2)

    def set_dimension(self, n: int) -> None:
        """Show the first ``n`` coordinates."""
        self.n = n
        for i, (label, edit) in enumerate(zip(self.labels, self.edits, strict=True)):
            label.setVisible(i < n)
            edit.setVisible(i < n)

    def set_point(self, point: Sequence[float]) -> None:
        """Show ``point`` (a box being typed in keeps its text)."""
        self._point = tuple(float(v) for v in point)
        for edit, value in zip(self.edits, point, strict=False):
            if not edit.hasFocus():
                edit.setText(fmt(value, 6))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """A box left holding no number gets the point in use back (its message stays)."""
        if event.type() == QEvent.Type.FocusOut and watched in self.edits:
            i = self.edits.index(watched)
            try:
                parse_number(watched.text())
            except ValueError:
                message = f"⚠ '{watched.text()}' is not a number for {self.names[i]}"
                if self.error.text() != message:  # (not said at Enter already)
                    self.show_error(message)
                self._typed_in.discard(watched)
                if i < len(self._point):
                    watched.setText(fmt(self._point[i], 6))
        return super().eventFilter(watched, event)

    def values(self) -> tuple[float, ...]:
        """The typed point (ValueError, in words, if a coordinate is not a number)."""
        out = []
        for name, edit in zip(self.names[: self.n], self.edits, strict=False):
            try:
                out.append(parse_number(edit.text()))
            except ValueError:
                raise ValueError(f"'{edit.text()}' is not a number for {name}") from None
        return tuple(out)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def accessor(self) -> Accessor:
        """Read, write and watch the point as a tuple of floats."""
        return Accessor(self.values, self.set_point, self.typed)

    def _left(self, edit: QLineEdit) -> None:
        """A box typed in was left (Tab, a click elsewhere): apply it, as Enter does. (Qt
        also reports leaving a box whose text code set, such as the walk's point: no.)"""
        if edit in self._typed_in:
            self._entered()

    def _entered(self) -> None:
        self._typed_in.clear()
        try:
            values = self.values()
        except ValueError as err:
            self.show_error(f"⚠ {err}")
            return
        problem = self.check(values) if self.check is not None else ""
        if problem:
            self.show_error(problem)
            return
        self.show_error("")
        self.entered.emit(values)
        self.typed.emit()
