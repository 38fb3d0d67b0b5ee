"""Choose which CSV columns are inputs and which is the target."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel

NONE = "(none)"


class ColumnDialog(QDialog):
    """One or two input columns and a target column, from the file's header."""

    def __init__(self, columns: Sequence[str], max_inputs: int = 2, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Choose the columns")
        form = QFormLayout(self)
        form.addRow(QLabel("Which columns are the inputs x, and which is the target y?"))
        self.inputs: list[QComboBox] = []
        for i in range(max_inputs):
            box = QComboBox()
            box.setObjectName(f"input_{i + 1}")
            if i > 0:
                box.addItem(NONE)
            box.addItems(list(columns))
            self.inputs.append(box)
            form.addRow(f"Input x{i + 1}", box)
        self.target = QComboBox()
        self.target.setObjectName("target")
        self.target.addItems(list(columns))
        self.target.setCurrentIndex(len(columns) - 1)
        form.addRow("Target y", self.target)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[list[str], str]:
        inputs = [b.currentText() for b in self.inputs if b.currentText() != NONE]
        return list(dict.fromkeys(inputs)), self.target.currentText()
