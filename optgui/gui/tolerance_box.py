"""The tolerance box: how small a step (Newton) or a slope (gradient descent) ends a run."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from optgui.lessons.race import TOLERANCES
from optgui.lessons.race_verdicts import tolerance_text


def tolerance_tip(gradient_name: str) -> str:
    """What the tolerance means for each method (the words the end of a run uses)."""
    return (
        f"Newton has converged when its step |s| is below the tolerance (times |x| when "
        f"|x| > 1); gradient descent when |{gradient_name}| is below it"
    )


class ToleranceBox(QComboBox):
    """The tolerance choices (1e−4 … 1e−12); each item's data is its value (bind it by that)."""

    def __init__(self, gradient_name: str, value: float = 1e-12, parent=None):
        super().__init__(parent)
        self.setObjectName("tolerance")
        for tol in TOLERANCES:
            self.addItem(tolerance_text(tol), tol)
        self.setCurrentIndex(TOLERANCES.index(value))
        self.setToolTip(tolerance_tip(gradient_name))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
