"""Small widgets and helpers the Newton 1-D, Newton 2-D and Hessian tabs share.

Layout: :func:`scroll_column`, :class:`SideScroll`, :class:`ThreeColumns`;
formulas: :class:`FormulaStrip`, :class:`FitFormula`; the iterates table and
the tolerance box; clicks on plots; the race of Newton against gradient
descent in words (:func:`race_summary`, :func:`race_table_rows`); and
:class:`RaceTab`, the run side both Newton tabs share.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import ExpressionError, Function, parse_function
from optgui.core.history import History
from optgui.core.iterates import Step
from optgui.core.race import (
    CODE_STATUS,
    RaceSettings,
    RaceStep,
    RowLayout,
    race_columns,
    race_factory,
    race_preview,
    rebuild_race,
    stopped_by_limit,
)
from optgui.core.stepping import CONVERGED, STEP_LIMIT, Outcome
from optgui.gui import session, style
from optgui.gui.function_box import FunctionBox
from optgui.gui.mathtext import TOO_LONG, Formula, pixmap_soon
from optgui.gui.style import add_legend, connect_clicks, plot_point  # noqa: F401 - re-exported
from optgui.gui.tab import ExperimentTab
from optgui.gui.tables import NumberTable, fmt

# ============================================================== text


def number(value: float, digits: int = 8) -> str:
    """A table number with ``digits`` significant digits (typographic minus)."""
    return fmt(value, digits)


def html_sub(name: str, sub: object) -> str:
    """``name`` with a subscript, in rich text (x<sub>k</sub>)."""
    return f"{name}<sub>{sub}</sub>"


def subscript(k: int) -> str:
    """k as Unicode subscript digits (x₁₂)."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


# ============================================================== layout


def scroll_column(widget: QWidget, min_width: int = 300, max_width: int = 470) -> QScrollArea:
    """A vertical scroll area for a settings column."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setMinimumWidth(min_width)
    scroll.setMaximumWidth(max_width)
    scroll.setObjectName("settings_panel")
    return scroll


class SideScroll(QScrollArea):
    """A box as tall as its content that scrolls sideways when the content is too wide."""

    def __init__(self, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        body.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _height(self) -> int:
        body = self.widget()
        bar = self.horizontalScrollBar().sizeHint().height()
        return body.sizeHint().height() + bar + 2

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(60, self._height())


class ThreeColumns(QSplitter):
    """Settings | views | the iterates table above the math panel.

    Below ``narrow_below`` pixels the table and the math panel share one column
    as two tabs, so a 1024-pixel projector still shows readable numbers.
    """

    def __init__(
        self,
        settings: QWidget,
        views: QWidget,
        table: IteratesTable,
        math_panel: QWidget,
        *,
        narrow_below: int = 1500,
        side_share: float = 0.45,
        narrow_side: int = 330,
    ):
        super().__init__(Qt.Orientation.Horizontal)
        self.table, self.math_panel = table, math_panel
        self.narrow_below = narrow_below
        self.side_share = side_share
        self.narrow_side = narrow_side
        self.settings = scroll_column(settings, min_width=260)
        self.stacked = QSplitter(Qt.Orientation.Vertical)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("side_tabs")
        self.side = QStackedWidget()
        self.side.addWidget(self.stacked)
        self.side.addWidget(self.tabs)
        self.addWidget(self.settings)
        self.addWidget(views)
        self.addWidget(self.side)
        self.setStretchFactor(1, 3)
        self.setStretchFactor(2, 2)
        self.setChildrenCollapsible(False)
        self._narrow: bool | None = None
        self.arrange(False)

    @property
    def narrow(self) -> bool:
        return bool(self._narrow)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        narrow = self.width() < self.narrow_below
        if narrow != self._narrow:
            self.arrange(narrow)

    def arrange(self, narrow: bool) -> None:
        """Put the table and the math panel in tabs (narrow) or one above the other."""
        self._narrow = narrow
        width = max(self.width(), 800)
        if narrow:
            self.tabs.addTab(self.table, "Iterates")
            self.tabs.addTab(self.math_panel, "The math")
            self.side.setCurrentIndex(1)
            side = max(self.narrow_side, int(width * 0.34 * self.narrow_side / 330))
            self.setSizes([270, width - 270 - side, side])
        else:
            self.stacked.addWidget(self.table)
            self.stacked.addWidget(self.math_panel)
            self.stacked.setSizes([380, 620])  # the math with its numbers gets more room
            self.side.setCurrentIndex(0)
            side = int((width - 400) * self.side_share)
            self.setSizes([400, width - 400 - side, side])
        self.table.set_compact(narrow)


def summary_label() -> QLabel:
    """The framed one-line result of the race under the plots (objectName "summary")."""
    label = QLabel()
    label.setObjectName("summary")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    style.relative_font(label, +1)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(6)
    label.setToolTip("How many steps each method needed to reach the tolerance")
    return label


# ============================================================== formulas


class FormulaStrip(SideScroll):
    """Typeset formulas stacked in a box that scrolls sideways (long ones do not widen it)."""

    def __init__(self, count: int, parent: QWidget | None = None):
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        self.labels = [Formula() for _ in range(count)]
        for formula in self.labels:
            layout.addWidget(formula)
        super().__init__(body, parent)
        self.setToolTip("The derivatives, computed symbolically from the typed function")

    def set_latex(self, texts: list[str]) -> None:
        for formula, tex in zip(self.labels, texts, strict=True):
            formula.set_latex(tex)
        self.updateGeometry()


class FitFormula(QLabel):
    """A typeset formula that takes a smaller size when the column is too narrow for it."""

    SIZES = (style.Look.font_pt + 3, style.Look.font_pt + 1, style.Look.font_pt - 1, 8)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.latex = ""
        self._shown: tuple[str, int] = ("", 0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)

    def set_latex(self, latex: str) -> None:
        self.latex = latex
        self._render()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        if not self.latex:
            self._shown = ("", 0)
            self.clear()
            return
        ratio = self.devicePixelRatioF()
        width = max(self.width(), 60)
        try:  # the largest size that fits (rendered pictures are cached)
            for points in self.SIZES:
                pm = pixmap_soon(
                    self.latex, points, style.INK, ratio, owner=self, then=self._render
                )
                if pm is None:
                    return  # being typeset in the background: back here when it is ready
                if pm.width() / ratio <= width:
                    break
        except Exception as err:  # noqa: BLE001 - a formula mathtext cannot parse shows as text
            self._shown = ("", 0)
            self.setText(TOO_LONG if str(err) == TOO_LONG else self.latex)
            return
        if (self.latex, points) != self._shown:
            self._shown = (self.latex, points)
            self.setPixmap(pm)


# ============================================================== settings and the table

TOLERANCES = (1e-4, 1e-6, 1e-8, 1e-10, 1e-12)


class ToleranceBox(QComboBox):
    """How small the gradient must be to count as converged."""

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

    @property
    def value(self) -> float:
        return float(self.currentData())


class IteratesTable(NumberTable):
    """One row per step, filled incrementally; the row of the shown step is selected."""

    MAX_ROWS = 2000

    def __init__(self, columns: list[str], tooltips: list[str] | None = None, parent=None):
        super().__init__(columns, parent)
        self.setObjectName("iterates")
        style.relative_font(self)
        header = self.horizontalHeader()
        style.relative_font(header)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(36)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        if tooltips:
            for c, tip in enumerate(tooltips):
                self.horizontalHeaderItem(c).setToolTip(tip)
        self.setToolTip("One row per step k; the shown step is highlighted")
        self._filled = 0
        #: Columns always fit their contents (wide cells such as matrices).
        self.fit_contents = False

    def reset(self) -> None:
        self.setRowCount(0)
        self._filled = 0

    def set_compact(self, compact: bool) -> None:
        """Narrow windows: columns fit their numbers and the table scrolls sideways."""
        header = self.horizontalHeader()
        mode = QHeaderView.ResizeMode
        fit = compact or self.fit_contents
        header.setSectionResizeMode(mode.ResizeToContents if fit else mode.Stretch)
        header.setStretchLastSection(fit)
        header.setSectionResizeMode(0, mode.ResizeToContents)

    @property
    def filled(self) -> int:
        return self._filled

    def extend(self, rows: list[list[str]]) -> None:
        """Append rows of text (at most :attr:`MAX_ROWS` in all)."""
        rows = rows[: max(0, self.MAX_ROWS - self._filled)]
        if not rows:
            return
        start = self._filled
        self.setRowCount(start + len(rows))
        for r, row in enumerate(rows, start=start):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setTextAlignment(
                    Qt.AlignmentFlag.AlignVCenter
                    | (Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight)
                )
                self.setItem(r, c, item)
        self._filled = start + len(rows)

    def follow(self, history: History, texts: Callable[[np.ndarray], list[list[str]]]) -> None:
        """Append the history rows not shown yet, as ``texts(rows)`` (restart if it shrank)."""
        n = len(history)
        if n < self._filled:
            self.reset()
        if n == self._filled or self._filled >= self.MAX_ROWS:
            return
        self.extend(texts(history.rows[self._filled : n]))

    def show_row(self, r: int) -> None:
        if 0 <= r < self.rowCount():
            self.selectRow(r)
            self.scrollToItem(self.item(r, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        else:
            self.clearSelection()


# ============================================================== clicks on plots


def rounded_click(value: float, span: float) -> float:
    """A clicked coordinate rounded to what the plot can show (3 digits of the span)."""
    if span <= 0 or not math.isfinite(span):
        return value
    decimals = max(0, 2 - int(math.floor(math.log10(span))))
    return round(value, decimals) + 0.0


# ============================================================== the race in words


def steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def method_summary(name: str, step: Step | None, end: Outcome | None, gradient_name: str) -> str:
    """'Newton: converged in 8 steps' or 'gradient descent: step 12, |g′| = 0.003'."""
    if end is not None:
        if end.status == CONVERGED:
            return f"{name}: converged in {steps(end.k)}"
        if end.status == STEP_LIMIT:
            return f"{name}: {steps(end.k)}, not yet converged"
        return f"{name}: {end.message}"
    if step is None:
        return f"{name}: not started"
    return f"{name}: step {step.k}, |{gradient_name}| = {fmt(step.gradient_norm, 3)}"


def race_summary(
    record: RaceStep | None, rate: float, gradient_name: str, limit_reached: bool = False
) -> str:
    """Both methods in one line for the summary label and the status bar."""
    if record is None:
        return "Press Space to race Newton against gradient descent."
    gd = f"gradient descent (α = {rate:g})"
    texts = []
    for name, step, end in (
        ("Newton", record.newton, record.newton_end),
        (gd, record.descent, record.descent_end),
    ):
        if limit_reached and end is None and step is not None:
            texts.append(
                f"{name}: {steps(step.k + 1)}, not yet converged "
                f"(|{gradient_name}| = {fmt(step.gradient_norm, 2)})"
            )
        else:
            texts.append(method_summary(name, step, end, gradient_name))
    return " · ".join(texts)


def race_table_rows(
    rows: np.ndarray,
    layout: RowLayout,
    newton_cells: Callable[[np.ndarray, RowLayout], list[str]],
    descent_cell: Callable[[np.ndarray, RowLayout], str],
) -> list[list[str]]:
    """Iterates-table text for race history rows: k, Newton's cells, gradient descent's cell.

    Newton's cells show its step k; the row after its last step says how it
    ended ("Newton converged"); later rows leave them empty. The callbacks get
    the whole row and ``layout``, which says where its columns are.
    """
    L = layout
    texts: list[list[str]] = []
    for row in rows:
        k = int(row[L.k])
        newton_k = row[L.newton.k]
        if newton_k == k:
            cells = newton_cells(row, L)
        elif newton_k == k - 1 or (k == 0 and math.isnan(newton_k)):
            word = CODE_STATUS.get(int(row[L.newton_code]), "stopped")
            cells = [f"Newton {word}", "", "", ""]
        else:
            cells = ["", "", "", ""]
        gd = descent_cell(row, L) if row[L.descent.k] == k else ""
        texts.append([str(k), *cells, gd])
    return texts


def race_end_lines(record: RaceStep, preview: bool) -> tuple[list[str], list[str]]:
    """The math panel's lines on how Newton and how gradient descent ended (if they have)."""
    newton_end, descent_end = [], []
    if record.newton_end is not None:
        prefix = "stops at once: " if preview else ""
        newton_end.append(f"<b>Newton</b> {prefix}{record.newton_end.message}")
    if record.descent_end is not None:
        descent_end.append(f"<b>Gradient descent</b> {record.descent_end.message}")
    return newton_end, descent_end


def newton_heading(k: int, preview: bool) -> str:
    """The math panel's heading of Newton's step k (or of the step about to be taken)."""
    head = "Newton's first step (press → to take it)" if preview else f"Newton, step {k}"
    return f"<b style='color:{style.VERMILION}'>{head}</b>"


# ============================================================== the Newton tabs' run


class RaceTab(ExperimentTab):
    """The run side of a tab racing Newton against gradient descent from ``x0``.

    Runs, rebuilds and names the history rows, fills the iterates table and the
    summary line. A subclass builds the widgets ``function_box`` (a FunctionBox),
    ``rate`` (learning rate), ``tolerance`` (:class:`ToleranceBox`), ``table``
    (:class:`IteratesTable`) and ``summary`` (:func:`summary_label`), and supplies
    :meth:`settings`, :meth:`start_text`, :meth:`draw` and the table's cells.
    """

    #: How the texts call the function and its gradient.
    function_name = "f"
    gradient_name = "∇f"

    function_box: FunctionBox
    rate: QDoubleSpinBox
    tolerance: ToleranceBox
    table: IteratesTable
    summary: QLabel

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.x0: float | tuple[float, ...] = 0.0
        self._limit_reached = False
        self.engine.finished.connect(self._race_finished)

    @property
    def function(self) -> Function:
        """The function in use (the last one typed that parsed)."""
        return self.function_box.function

    # -- supplied by subclasses ----------------------------------------------------
    def settings(self) -> RaceSettings:
        """The run's settings, read from the widgets."""
        raise NotImplementedError

    def start_text(self) -> str:
        """The start point in words ("x₀ = 0.05", "(4, 4)")."""
        raise NotImplementedError

    def draw(self, record: RaceStep | None, upto: int, preview: bool = False) -> None:
        """Show ``record`` (paths up to step ``upto``) in the plots and the math panel."""
        raise NotImplementedError

    def newton_cells(self, row: np.ndarray, layout: RowLayout) -> list[str]:
        """The table's four cells of Newton's step in history ``row``."""
        raise NotImplementedError

    def descent_cell(self, row: np.ndarray, layout: RowLayout) -> str:
        """The table's cell of gradient descent's point in history ``row``."""
        raise NotImplementedError

    # -- the run ----------------------------------------------------------------------
    @property
    def rate_value(self) -> float:
        return float(self.rate.value())

    def start_problem(self) -> str | None:
        """Why the start cannot be used, as a status line (None when it can)."""
        problem = self.function.domain_problem(self.x0)
        if not problem:
            return None
        return (
            f"{self.function_name} is not defined at the start {self.start_text()} "
            f"({problem}): type or click another start."
        )

    def make_factory(self):
        problem = self.start_problem()
        if problem:
            self.set_status(problem)
            return None
        return race_factory(self.settings())

    # -- sessions -----------------------------------------------------------------------
    def race_settings_state(self) -> dict:
        """The settings both Newton tabs save: function, learning rate, tolerance."""
        return {
            "function": self.function.text,
            "learning_rate": self.rate_value,
            "tolerance": self.tolerance.currentIndex(),
        }

    def read_race_settings(self, state: dict) -> tuple[Function, float, int]:
        """The saved function, learning rate and tolerance, checked (SessionError if not)."""
        text = session.get(state, "function", str)
        try:
            function = parse_function(text, self.function.variables)
        except ExpressionError as error:
            raise session.SessionError(f"the saved function does not parse: {error}") from None
        rate = session.get(state, "learning_rate", float)
        tol = session.get(state, "tolerance", int, self.tolerance.currentIndex())
        if not 1e-6 <= rate <= 100 or not 0 <= tol < self.tolerance.count():
            raise session.SessionError(f"a saved {self.title} setting is out of range")
        return function, rate, tol

    def rebuild(self, row: np.ndarray) -> RaceStep:
        """A step older than the kept records, from its row and the tab's settings."""
        return rebuild_race(row, self.function.n, self.rate_value, getattr(self, "damping", 0.0))

    def history_columns(self) -> list[str]:
        return race_columns(self.function.variables)

    def reset(self) -> None:
        self._limit_reached = False
        self.table.reset()
        super().reset()

    def preview(self) -> RaceStep | None:
        """Newton's first step before it is taken (None outside the domain)."""
        if self.function.domain_problem(self.x0) is not None:
            return None
        return race_preview(self.settings())

    def _race_finished(self, outcome: Outcome) -> None:
        record = self.history.last()
        self._limit_reached = stopped_by_limit(outcome, record)
        text = self.summary_text(record, self._limit_reached)
        self.summary.setText(text)
        self.set_status(text)

    def summary_text(self, record: RaceStep | None, limit_reached: bool = False) -> str:
        return race_summary(record, self.rate_value, self.gradient_name, limit_reached)

    # -- views --------------------------------------------------------------------------
    def show_history(self, history: History) -> None:
        L = RowLayout(self.function.n)
        self.table.follow(
            history, lambda rows: race_table_rows(rows, L, self.newton_cells, self.descent_cell)
        )

    def show_record(self, record: RaceStep) -> None:
        self.detail = self.detail_due()
        self.draw(record, upto=record.k)
        if not self.detail:  # a full-speed run: text views follow ten times a second
            return
        self.table.show_row(record.k)
        at_limit = self._limit_reached and record.k == len(self.history) - 1
        self.summary.setText(self.summary_text(record, at_limit))
