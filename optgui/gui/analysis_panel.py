"""The Hessian Explorer's numbers column: the verdict, f, ∇f and H as formulas, their
values at the point, the analysis table, the errata note and the slides' summary table.

Every text comes from :mod:`optgui.lessons.hessian`; this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from optgui.core.expr import Function
from optgui.core.hessian import Analysis
from optgui.gui import style
from optgui.gui.formulas import FitFormula
from optgui.gui.tables import WrapTable
from optgui.lessons import hessian as lesson

MARKED = QColor("#FFE08A")  # the summary table's row of the verdict


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.GREY};")
    style.relative_font(label, +1)  # (follows zoom and presentation mode)
    return label


class AnalysisPanel(QScrollArea):
    """The slides' analysis at the point, in words, formulas and numbers."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.verdict_label)
        layout.addWidget(heading("The function, its gradient and its Hessian"))
        self.formulas = [FitFormula() for _ in range(3)]
        for formula in self.formulas:
            layout.addWidget(formula)
        self.point_heading = heading("At the point")
        layout.addWidget(self.point_heading)
        self.number_formulas = [FitFormula() for _ in range(4)]
        for formula in self.number_formulas:
            layout.addWidget(formula)
        self.table = WrapTable(["quantity", "value"], fit_rows=True)
        self.table.setObjectName("analysis")
        self.table.setToolTip(
            "The slides' analysis at the point, in numbers. As on the slides, λ₁ is the "
            "largest eigenvalue."
        )
        layout.addWidget(self.table)
        self.errata = QLabel(lesson.ERRATUM)
        self.errata.setObjectName("errata")
        self.errata.setWordWrap(True)
        self.errata.setStyleSheet("background: #FFF3C4; padding: 6px;")
        self.errata.setVisible(False)
        layout.addWidget(self.errata)
        layout.addWidget(heading("The slides' summary table"))
        self.summary = WrapTable(["", ""], fit_rows=True)
        self.summary.setObjectName("summary_table")
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.setObjectName("numbers_panel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        self.setMinimumWidth(300)

    def show_function(self, function: Function) -> None:
        """f, ∇f and H as formulas, and the errata note if it is the slides' slip."""
        for formula, latex in zip(self.formulas, lesson.function_latex(function), strict=True):
            formula.set_latex(latex)
        note = lesson.erratum(function)
        self.errata.setText(note)
        self.errata.setVisible(bool(note))

    def show_analysis(self, point: Sequence[float], r: Analysis | None, problem: str) -> None:
        """The table, the verdict and the summary table's row (formulas: :meth:`typeset`)."""
        self.table.set_rows(lesson.analysis_rows(point, r, problem))
        verdict = lesson.verdict(r, problem)
        if r is None:
            title = f"<span style='font-size:{style.Look.font_pt + 4}pt'><b>{verdict.title}</b>"
            self.verdict_label.setText(f"{title}</span><br>{verdict.text}")
        else:
            self.verdict_label.setText(
                f"<span style='font-size:{style.Look.font_pt + 5}pt'><b>{verdict.title}</b>"
                f"</span><br><span style='font-size:{style.Look.font_pt + 1}pt'>"
                f"{verdict.text}</span>"
            )
        self.verdict_label.setStyleSheet(f"background: {verdict.color}; padding: 8px;")
        headings, rows = lesson.summary_rows(verdict.row, len(point))
        self.summary.set_labels(headings)
        self.summary.set_rows([(name, condition) for name, condition, _ in rows])
        for r, (_, _, hit) in enumerate(rows):
            for c in range(2):
                self.summary.item(r, c).setBackground(QBrush(MARKED) if hit else QBrush())

    def typeset(self, point: Sequence[float], r: Analysis | None) -> None:
        """The values at the point as formulas (typesetting takes ~0.1 s)."""
        self.point_heading.setText(lesson.point_heading(point))
        for formula, latex in zip(self.number_formulas, lesson.numbers_latex(r), strict=True):
            formula.set_latex(latex)
