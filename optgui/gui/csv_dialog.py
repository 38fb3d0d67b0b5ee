"""Choose which CSV columns are inputs and which is the target."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel

from optgui.core import column_choice
from optgui.core.datasets import DataError

NONE = "(none)"


class ColumnDialog(QDialog):
    """One or two input columns and a target column, from the file's header.

    Given the file (``path``), it first offers numeric columns that are not row
    numbers (see :mod:`optgui.core.column_choice`): not "Id" for x1.
    """

    def __init__(
        self,
        columns: Sequence[str],
        max_inputs: int = 2,
        parent=None,
        path: str | Path | None = None,
    ):
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
        if path is not None:
            self._suggest(path)

    def _suggest(self, path: str | Path) -> None:
        try:
            x1, y = column_choice.suggest_for_file(path)
        except (DataError, OSError):
            return  # (loading the file will say what is wrong with it)
        self.inputs[0].setCurrentText(x1)
        self.target.setCurrentText(y)

    def choice(self) -> tuple[list[str], str]:
        inputs = [b.currentText() for b in self.inputs if b.currentText() != NONE]
        return list(dict.fromkeys(inputs)), self.target.currentText()
