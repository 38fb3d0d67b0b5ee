"""Matrices on screen: a bracketed grid of numbers or formulas, and Newton's update
x_{k+1} = x_k − H⁻¹ · ∇f laid out as 2×1, 2×2 and 2×1 matrices with a step's numbers
(on as many lines as the width needs: it never scrolls sideways)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from optgui.gui import style
from optgui.gui.flow import FlowLayout, group
from optgui.gui.mathtext import Formula
from optgui.lessons.newton2d import ORDER_NOTE, Equation


class Bracket(QWidget):
    """A square bracket as tall as its row of numbers."""

    def __init__(self, left: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.left = left
        self.setFixedWidth(9)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().text().color(), 2))
        h, w = self.height() - 2, self.width() - 2
        x = 2 if self.left else w
        tip = w if self.left else 2
        painter.drawLine(x, 1, x, h)
        painter.drawLine(x, 1, tip, 1)
        painter.drawLine(x, h, tip, h)


class MatrixView(QWidget):
    """A matrix or vector in brackets: entries are texts or typeset formulas."""

    def __init__(
        self, rows: int, cols: int, *, latex: bool = False, caption: str = "", parent=None
    ):
        super().__init__(parent)
        self.rows, self.cols = rows, cols
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.cells: list[list[QLabel]] = []
        for r in range(rows):
            row = []
            for c in range(cols):
                cell = Formula(points=style.Look.font_pt + 1) if latex else QLabel()
                if not latex:
                    style.relative_font(cell, +1)
                    cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(cell, r, c)
                row.append(cell)
            self.cells.append(row)
        body = QHBoxLayout()
        body.setSpacing(2)
        body.addWidget(Bracket(True))
        body.addLayout(grid)
        body.addWidget(Bracket(False))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addLayout(body)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet(f"color: {style.GREY};")
        layout.addWidget(self.caption)
        self.caption.setVisible(bool(caption))  # (after it has a parent: never as a window)

    def set_texts(self, entries: Sequence[Sequence[str]]) -> None:
        for r in range(self.rows):
            for c in range(self.cols):
                self.cells[r][c].setText(entries[r][c])

    def set_latex(self, entries: Sequence[Sequence[str]]) -> None:
        for r in range(self.rows):
            for c in range(self.cols):
                self.cells[r][c].set_latex(entries[r][c])

    def texts(self) -> list[list[str]]:
        return [[cell.text() for cell in row] for row in self.cells]


def symbol_label(text: str) -> QLabel:
    """A large symbol between matrices (=, −, ·)."""
    label = QLabel(text)
    style.relative_font(label, +4)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class NewtonEquation(QWidget):
    """x_{k+1} = x_k − H⁻¹ · ∇f with one step's numbers (2×2 times 2×1, in that order)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newton_equation")
        self.x_next = MatrixView(2, 1, caption="xₖ₊₁")
        self.x = MatrixView(2, 1, caption="xₖ")
        self.h = MatrixView(2, 2, caption="H (2×2)")
        self.g = MatrixView(2, 1, caption="∇f (2×1)")
        self.s = MatrixView(2, 1, caption="s = H⁻¹∇f")
        inv = QLabel("<sup style='font-size:large'>−1</sup>")
        inv.setAlignment(Qt.AlignmentFlag.AlignTop)
        # where the width is short: xₖ₊₁ = xₖ − on one line, H⁻¹ · ∇f on the next
        row1 = FlowLayout(spacing=6)
        row1.addWidget(group(self.x_next, symbol_label("=")))
        row1.addWidget(group(self.x, symbol_label("−")))
        row1.addWidget(group(self.h, inv))
        row1.addWidget(group(symbol_label("·"), self.g))
        row2 = QHBoxLayout()
        row2.setSpacing(6)
        self.solve = QLabel()
        self.solve.setWordWrap(True)
        row2.addWidget(self.s, 0, Qt.AlignmentFlag.AlignVCenter)  # (brackets as tall as s)
        row2.addWidget(self.solve, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.note = QLabel(ORDER_NOTE)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def show_equation(self, equation: Equation) -> None:
        """Show one step's update (see :func:`optgui.lessons.newton2d.equation`)."""
        self.x_next.set_texts(equation.x_next)
        self.x.set_texts(equation.x)
        self.h.set_texts(equation.h)
        self.h.caption.setText(equation.h_caption)
        self.g.set_texts(equation.g)
        self.s.set_texts(equation.s)
        self.solve.setText(equation.solve)
        self.setVisible(True)
