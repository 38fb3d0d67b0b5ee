"""Boxes for a typed start point (x₀, or x₀ and y₀), edited as one value.

A box applies when it is confirmed: Enter, or leaving it (Tab, a click
elsewhere). A text that is not a number is not applied: the reason shows in
red under the boxes, as under the function box, and the typed text stays for
correcting while the box has the focus; leaving it puts the start in use back
(the message stays to say so).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from optgui.gui import style
from optgui.gui.tables import parse_number


def not_a_number(label: str, text: str, using: float) -> str:
    """The message under the boxes for a coordinate that is not a number."""
    shown = f"{using:g}".replace("-", "−")
    return f"⚠ {label}: “{text.strip()}” is not a number — still starting from {shown}"


class PointEdit(QWidget):
    """A start typed box by box; ``edited`` when a box is confirmed and all hold numbers.

    :meth:`value` is the typed point (the point in use while a box holds no
    number). ``refused(message)`` reports a box that holds no number; the tab
    can show its own problems with a start (outside the domain) under the boxes
    with :meth:`show_error`.
    """

    edited = Signal()
    refused = Signal(str)

    def __init__(
        self,
        names: Sequence[str] = ("x0", "y0"),
        labels: Sequence[str] = ("x₀", "y₀"),
        parent: QWidget | None = None,
        *,
        show_labels: bool = True,
    ):
        super().__init__(parent)
        self.labels = tuple(labels)
        self._point: tuple[float, ...] = tuple(0.0 for _ in names)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.edits: list[QLineEdit] = []
        for name, label in zip(names, labels, strict=True):
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setToolTip(
                f"Starting {label} of both methods; Enter or leaving the box applies it. "
                "Or click the plot."
            )
            edit.editingFinished.connect(lambda edit=edit: self._confirmed(edit))
            edit.textEdited.connect(lambda _text: self._typing())
            edit.installEventFilter(self)
            if show_labels:
                row.addWidget(QLabel(label))
            row.addWidget(edit, 1)
            self.edits.append(edit)
        self.error = style.error_label("start_error")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def value(self) -> tuple[float, ...]:
        """The typed point; the point in use where a box holds no number."""
        typed = self._typed()
        return self._point if typed is None else typed

    def set_value(self, point: Sequence[float]) -> None:
        """Show ``point``, the start in use."""
        self._point = tuple(float(v) for v in point)
        for edit, v in zip(self.edits, self._point, strict=True):
            edit.setText(f"{v:g}")

    def show_error(self, text: str) -> None:
        """Show ``text`` in red under the boxes ("" hides it)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _typed(self) -> tuple[float, ...] | None:
        try:
            return tuple(parse_number(edit.text()) for edit in self.edits)
        except ValueError:
            return None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """A box left while it holds no number gets the start in use back (Qt sends no
        ``editingFinished`` when the text has not changed since Enter)."""
        if event.type() == QEvent.Type.FocusOut and watched in self.edits:
            i = self.edits.index(watched)
            try:
                parse_number(watched.text())
            except ValueError:
                message = not_a_number(self.labels[i], watched.text(), self._point[i])
                if self.error.text() != message:  # (not said at Enter already)
                    self.show_error(message)
                    self.refused.emit(message)
                watched.setText(f"{self._point[i]:g}")
        return super().eventFilter(watched, event)

    def _typing(self) -> None:
        """A box being corrected: the old message goes once every box holds a number."""
        if self.error.isVisible() and self._typed() is not None:
            self.show_error("")

    def _confirmed(self, edit: QLineEdit) -> None:
        for i, box in enumerate(self.edits):
            try:
                parse_number(box.text())
            except ValueError:
                message = not_a_number(self.labels[i], box.text(), self._point[i])
                self.show_error(message)
                self.refused.emit(message)
                return
        if self._typed() != self._point:
            self.show_error("")
        self.edited.emit()
