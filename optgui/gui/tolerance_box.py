"""The tolerance box: how small the gradient must be to count as converged."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from optgui.lessons.race import TOLERANCES


class ToleranceBox(QComboBox):
    """The tolerance choices; each item's data is its value (bind it by that)."""

    def __init__(self, gradient_name: str, value: float = 1e-12, parent=None):
        super().__init__(parent)
        self.setObjectName("tolerance")
        for tol in TOLERANCES:
            self.addItem(f"|{gradient_name}| < {tol:g}", tol)
        self.setCurrentIndex(TOLERANCES.index(value))
        self.setToolTip(
            f"Both methods stop when |{gradient_name}| falls below this (or the step is tiny)"
        )
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
