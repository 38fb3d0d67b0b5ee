"""The derivation page: the slides' build-up, one line at a time, with the run's numbers.

A tab gives the panel a source (its lesson's derivation builders called with the
current numbers); the panel asks it again whenever the shown step changes, but
only while it is on screen. → reveals the next line (the main window asks
:meth:`DerivationPanel.reveal` first), ← takes one back, "All" shows the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui.gui import style
from optgui.gui.formula_flow import FormulaFlow
from optgui.gui.mathpanel import heading
from optgui.gui.tables import WrapTable
from optgui.lessons.derivation import Derivation, Line, Table

#: The lit-up row of a derivation's table (the case that applies).
LIT = "#FFF3C4"


class _LineView(QWidget):
    """One line: its words above its formula, or a table."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.formula = FormulaFlow()
        self.table: WrapTable | None = None
        layout.addWidget(self.words)
        layout.addWidget(self.formula)
        self.line: Line | Table | None = None

    def show_line(self, line: Line | Table) -> None:
        if line == self.line:
            return
        self.line = line
        if isinstance(line, Table):
            self.words.hide()
            self.formula.hide()
            if self.table is None or self.table.columnCount() != len(line.headings):
                if self.table is not None:
                    self.table.hide()
                    self.table.deleteLater()
                self.table = WrapTable(list(line.headings), fit_rows=True)
                self.table.setObjectName("derivation_table")
                self.layout().addWidget(self.table)
            self.table.set_labels(list(line.headings))
            self.table.set_rows([list(row) for row in line.rows])
            for r in range(self.table.rowCount()):
                brush = QBrush(QColor(LIT)) if r == line.highlight else QBrush()
                for c in range(self.table.columnCount()):
                    item = self.table.item(r, c)
                    if item is not None:
                        item.setBackground(brush)
            self.table.setAccessibleName(line.plain())
            self.table.show()
            return
        if self.table is not None:
            self.table.hide()
        self.words.setText(line.words)
        self.words.setVisible(bool(line.words))
        self.formula.set_latex(line.latex)
        self.formula.setVisible(bool(line.latex))


class DerivationPanel(QScrollArea):
    """A choice of derivations and the chosen one's lines, revealed one at a time."""

    revealed_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("derivation")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.choice = QComboBox()
        self.choice.setObjectName("derivation_choice")
        self.choice.setToolTip("Which of the slides' derivations to step through")
        self.choice.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # (→ stays the window's)
        layout.addWidget(self.choice)
        self.where = heading("")
        layout.addWidget(self.where)
        self.note = QLabel()
        self.note.setObjectName("derivation_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"background: #FFF3C4; border: 1px solid {style.ORANGE};")
        self.note.hide()
        layout.addWidget(self.note)
        self._lines_box = QVBoxLayout()
        layout.addLayout(self._lines_box)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("◂ Back")
        self.next_button = QPushButton("Next line ▸")
        self.all_button = QPushButton("All")
        for button, tip in (
            (self.back_button, "Hide the last line (←)"),
            (self.next_button, "Show the next line of the derivation (→)"),
            (self.all_button, "Show every line"),
        ):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setWidget(body)
        self._views: list[_LineView] = []
        self._source: Callable[[], Sequence[Derivation]] = list
        self.derivations: list[Derivation] = []
        self.revealed = 1
        self._stale = True
        self.choice.currentIndexChanged.connect(self._chosen)
        self.back_button.clicked.connect(lambda: self.reveal(-1))
        self.next_button.clicked.connect(lambda: self.reveal(+1))
        self.all_button.clicked.connect(self.reveal_all)

    # -- what to show ---------------------------------------------------------------
    def set_source(self, source: Callable[[], Sequence[Derivation]]) -> None:
        """Where the derivations come from (called again on :meth:`refresh`)."""
        self._source = source
        self._stale = True
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """The run moved on: build the derivations again (now if shown or ``force``d,
        else when shown)."""
        if not (force or self.isVisible()):
            self._stale = True
            return
        self._stale = False
        derivations = list(self._source())
        titles = [d.title for d in derivations]
        if titles != [d.title for d in self.derivations]:
            current = self.choice.currentText()
            self.choice.blockSignals(True)
            self.choice.clear()
            self.choice.addItems(titles)
            if current in titles:
                self.choice.setCurrentIndex(titles.index(current))
            self.choice.blockSignals(False)
        self.derivations = derivations
        self._draw()

    @property
    def current(self) -> Derivation | None:
        i = self.choice.currentIndex()
        return self.derivations[i] if 0 <= i < len(self.derivations) else None

    def choose(self, title: str) -> None:
        """Show the derivation called ``title`` (from its first line)."""
        self.refresh(force=True)
        self.choice.setCurrentIndex([d.title for d in self.derivations].index(title))

    # -- revealing ----------------------------------------------------------------------
    def reveal(self, step: int) -> bool:
        """Show one line more (``step`` = +1) or fewer (−1); False if there is none."""
        d = self.current
        if d is None:
            return False
        revealed = max(1, min(len(d.lines), self.revealed + step))
        if revealed == self.revealed:
            return False
        self.revealed = revealed
        self._draw()
        if step > 0:  # keep the new line in view: long derivations outgrow the column
            view = self._views[revealed - 1]
            QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(view, 0, 0))
        self.revealed_changed.emit(revealed)
        return True

    def reveal_all(self) -> None:
        d = self.current
        if d is not None:
            self.revealed = len(d.lines)
            self._draw()
            self.revealed_changed.emit(self.revealed)

    @property
    def remaining(self) -> int:
        """Lines not shown yet."""
        d = self.current
        return 0 if d is None else len(d.lines) - self.revealed

    def shown_lines(self) -> list[str]:
        """The lines on screen, as plain text (for tests)."""
        d = self.current
        return [] if d is None else d.plain()[: self.revealed]

    def _chosen(self, _index: int) -> None:
        self.revealed = 1
        self._draw()

    def _draw(self) -> None:
        d = self.current
        lines = list(d.lines) if d is not None else []
        while len(self._views) < len(lines):
            view = _LineView()
            self._views.append(view)
            self._lines_box.addWidget(view)
        self.revealed = max(1, min(self.revealed, max(1, len(lines))))
        for i, view in enumerate(self._views):
            if i < len(lines) and i < self.revealed:
                view.show_line(lines[i])
                view.show()
            else:
                view.hide()
        if d is None:
            self.where.setText("")
            self.note.hide()
        else:
            slides = f" · {d.slides}" if d.slides else ""
            self.where.setText(f"<b>line {self.revealed} of {len(lines)}{slides}</b>")
            self.note.setText(d.note)
            self.note.setVisible(bool(d.note))
        self.back_button.setEnabled(self.revealed > 1)
        more = d is not None and self.revealed < len(lines)
        self.next_button.setEnabled(more)
        self.all_button.setEnabled(more)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()


def math_pages(
    math: QWidget, derivation: DerivationPanel, title: str = "The math of this step"
) -> QTabWidget:
    """The math of the step (or the panel called ``title``) and the derivation as two
    pages of one column."""
    pages = QTabWidget()
    pages.setObjectName("math_pages")
    pages.addTab(math, title)
    pages.addTab(derivation, "Derivation")
    pages.setTabToolTip(1, "The slides' derivations, line by line (→), with this step's numbers")
    return pages
