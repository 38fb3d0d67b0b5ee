"""The math panel: a step's formulas, typeset, then with the current numbers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from optgui.gui.formula_flow import FormulaFlow
from optgui.gui.style import GREY, Look


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setWordWrap(True)  # (a narrow column on a projector)
    label.setStyleSheet(f"color: {GREY};")
    return label


class MathPanel(QScrollArea):
    """Typeset formulas (rendered once) above lines of numbers (updated each step).

    ``set_formulas`` takes LaTeX (without dollars); ``set_lines`` takes short
    HTML lines such as ``w<sub>1</sub> ← 0.81 − 0.1 × 0.13 = 0.797``.
    """

    def __init__(self, title: str = "The math of this step", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("math_panel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._title = heading(title)
        self._layout.addWidget(self._title)
        self._formula_box = QVBoxLayout()
        self._layout.addLayout(self._formula_box)
        self._numbers_title = heading("With the numbers of this step")
        self._layout.addWidget(self._numbers_title)
        self.numbers = QLabel()
        self.numbers.setObjectName("math_numbers")
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.numbers)
        self._layout.addStretch(1)
        self.setWidget(body)
        self._formulas: list[FormulaFlow] = []
        self._latex: tuple[str, ...] = ()

    def set_formulas(self, latex: Sequence[str]) -> None:
        latex = tuple(latex)
        if latex == self._latex:
            return
        self._latex = latex
        for formula in self._formulas:
            formula.deleteLater()
        self._formulas = [FormulaFlow(tex) for tex in latex]
        for formula in self._formulas:
            self._formula_box.addWidget(formula)

    def add_widget(self, widget: QWidget, index: int | None = None) -> None:
        """Show ``widget`` in the panel: below the numbers, or at ``index``.

        ``index`` counts the panel's rows from the top (0 = above the title:
        title, formulas, numbers heading, numbers, then added widgets).
        """
        end = self._layout.count() - 1  # the stretch stays last
        self._layout.insertWidget(end if index is None else min(max(index, 0), end), widget)

    def set_lines(self, lines: Sequence[str]) -> None:
        size = Look.font_pt + 1
        html = "<br>".join(lines)
        self.numbers.setText(f"<div style='font-size:{size}pt; line-height:140%'>{html}</div>")

    def text(self) -> str:
        """The numbers as plain text (for tests)."""
        return self.numbers.text()

    def refresh(self) -> None:
        for formula in self._formulas:
            formula.refresh()
