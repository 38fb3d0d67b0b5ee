"""Two boxes for a typed point (x₀, y₀), edited as one value."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from optgui.gui.tables import parse_number


class PointEdit(QWidget):
    """x₀ and y₀ side by side; ``edited`` when either is confirmed (Enter or leaving it).

    :meth:`value` is the typed point, or the typed texts when one is not a
    number (the settings refuse it in words).
    """

    edited = Signal()

    def __init__(self, names: tuple[str, str] = ("x0", "y0"), parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edits: list[QLineEdit] = []
        for name, label in zip(names, ("x₀", "y₀"), strict=True):
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setToolTip(f"Starting {label} of both methods; Enter applies. Or click the map.")
            edit.editingFinished.connect(self.edited)
            row.addWidget(QLabel(label))
            row.addWidget(edit, 1)
            self.edits.append(edit)

    def value(self) -> tuple[float, float] | tuple[str, str]:
        try:
            x, y = (parse_number(edit.text()) for edit in self.edits)
        except ValueError:
            return (self.edits[0].text(), self.edits[1].text())
        return (x, y)

    def set_value(self, point: tuple[float, float]) -> None:
        for edit, v in zip(self.edits, point, strict=True):
            edit.setText(f"{v:g}")
