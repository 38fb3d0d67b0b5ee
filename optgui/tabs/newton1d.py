"""Newton 1-D: the tangent of g′ points to the next iterate; gradient descent runs beside.

Also home of what the two Newton tabs share: :class:`RaceStep` (Newton's and
gradient descent's step k side by side), the :func:`race` stepper that zips the
two core steppers, and small widgets (iterates table, tolerance box).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui.core.descent import gradient_descent
from optgui.core.expr import Function
from optgui.core.history import History
from optgui.core.iterates import Step
from optgui.core.newton import newton
from optgui.core.stepping import (
    CONVERGED,
    DIVERGED,
    DOMAIN,
    SINGULAR,
    STEP_LIMIT,
    Outcome,
    Stepper,
)
from optgui.gui import style
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.mathpanel import MathPanel
from optgui.gui.mathtext import Formula
from optgui.gui.tab import ExperimentTab
from optgui.gui.tables import NumberTable, fmt, parse_number
from optgui.gui.training_tab import LearningRateBox

# ============================================================== the race record

#: Outcome statuses as numbers, for history rows (0 = still running).
STATUS_CODES = {CONVERGED: 1, STEP_LIMIT: 2, SINGULAR: 3, DOMAIN: 4, DIVERGED: 5}
CODE_STATUS = {v: k for k, v in STATUS_CODES.items()}

#: Each method runs at most this many steps inside one engine run (the engine's limit rules).
UNLIMITED = 10**9


def newton_width(n: int) -> int:
    """Width of ``Step.as_row()`` for Newton in ``n`` variables (with the Hessian)."""
    return 2 + 4 * n + n * n


def descent_width(n: int) -> int:
    return 2 + 4 * n


@dataclass(frozen=True, eq=False)
class RaceStep:
    """Step k of Newton's method and of gradient descent from the same start.

    ``newton`` is Newton's step k while Newton runs; once it has finished it is
    its last step (``newton_end`` says how it ended), or None if it took none.
    The same holds for ``descent``.
    """

    k: int
    n: int
    newton: Step | None
    descent: Step | None
    newton_end: Outcome | None = None
    descent_end: Outcome | None = None

    @property
    def newton_here(self) -> bool:
        """Newton took a step at this k."""
        return self.newton is not None and self.newton.k == self.k

    @property
    def descent_here(self) -> bool:
        return self.descent is not None and self.descent.k == self.k

    @property
    def finished(self) -> bool:
        return self.newton_end is not None and self.descent_end is not None

    def as_row(self) -> np.ndarray:
        """k, Newton's status, end k and step row, then the same for gradient descent."""
        parts: list[Any] = [[float(self.k)]]
        for step, end, width in (
            (self.newton, self.newton_end, newton_width(self.n)),
            (self.descent, self.descent_end, descent_width(self.n)),
        ):
            code = 0.0 if end is None else float(STATUS_CODES.get(end.status, 9))
            parts.append([code, math.nan if end is None else float(end.k)])
            parts.append(np.full(width, math.nan) if step is None else step.as_row())
        return np.concatenate([np.asarray(p, dtype=float) for p in parts])


class RowLayout:
    """Where each quantity sits in a :meth:`RaceStep.as_row` row, for ``n`` variables."""

    def __init__(self, n: int):
        self.n = n
        self.k = 0
        self.newton_code, self.newton_end_k = 1, 2
        b = 3  # Newton's step row
        self.newton_k = b
        self.newton_x = slice(b + 1, b + 1 + n)
        self.newton_value = b + 1 + n
        self.newton_gradient = slice(b + 2 + n, b + 2 + 2 * n)
        self.newton_hessian = slice(b + 2 + 2 * n, b + 2 + 2 * n + n * n)
        self.newton_s = slice(b + 2 + 2 * n + n * n, b + 2 + 3 * n + n * n)
        self.newton_x_next = slice(b + 2 + 3 * n + n * n, b + 2 + 4 * n + n * n)
        d = b + newton_width(n)
        self.descent_code, self.descent_end_k = d, d + 1
        c = d + 2
        self.descent_k = c
        self.descent_x = slice(c + 1, c + 1 + n)
        self.descent_value = c + 1 + n
        self.descent_gradient = slice(c + 2 + n, c + 2 + 2 * n)
        self.descent_s = slice(c + 2 + 2 * n, c + 2 + 3 * n)
        self.descent_x_next = slice(c + 2 + 3 * n, c + 2 + 4 * n)
        self.width = c + descent_width(n)


def _end_from_row(code: float, k: float, method: str) -> Outcome | None:
    if code == 0 or math.isnan(code):
        return None
    status = CODE_STATUS.get(int(code), "stopped")
    return Outcome(status, f"{method}: {status} at step {int(k)}", int(k))


def rebuild_race(row: np.ndarray, n: int, rate: float) -> RaceStep:
    """A :class:`RaceStep` from its history row (exact numbers; messages are short)."""
    L = RowLayout(n)
    row = np.asarray(row, dtype=float)
    newton_step = None
    if not math.isnan(row[L.newton_k]):
        hessian = row[L.newton_hessian].reshape(n, n)
        newton_step = Step(
            int(row[L.newton_k]),
            row[L.newton_x],
            row[L.newton_value],
            row[L.newton_gradient],
            hessian,
            row[L.newton_s],
            row[L.newton_x_next],
            np.linalg.eigvalsh(hessian),
        )
    descent_step = None
    if not math.isnan(row[L.descent_k]):
        descent_step = Step(
            int(row[L.descent_k]),
            row[L.descent_x],
            row[L.descent_value],
            row[L.descent_gradient],
            None,
            row[L.descent_s],
            row[L.descent_x_next],
            learning_rate=rate,
            method="gradient descent",
        )
    return RaceStep(
        int(row[L.k]),
        n,
        newton_step,
        descent_step,
        _end_from_row(row[L.newton_code], row[L.newton_end_k], "Newton"),
        _end_from_row(row[L.descent_code], row[L.descent_end_k], "gradient descent"),
    )


def _advance(run: Stepper[Step] | None) -> tuple[Step | None, Outcome | None]:
    if run is None:
        return None, None
    try:
        return next(run), None
    except StopIteration:
        return None, run.outcome


def race(
    newton_run: Stepper[Step] | None,
    descent_run: Stepper[Step] | None,
    n: int,
    k0: int = 0,
    previous: RaceStep | None = None,
) -> Generator[RaceStep, None, Outcome]:
    """Zip a Newton and a gradient-descent stepper into :class:`RaceStep` records.

    Each stepper is read one step ahead, so the record of a method's last step
    already carries how it ended. A stepper that is None has already finished
    (its end is taken from ``previous``). Ends when both have finished.
    """
    last_n = previous.newton if previous else None
    last_d = previous.descent if previous else None
    end_n = previous.newton_end if previous else None
    end_d = previous.descent_end if previous else None
    cur_n, e = _advance(newton_run) if end_n is None else (None, None)
    end_n = end_n or e
    cur_d, e = _advance(descent_run) if end_d is None else (None, None)
    end_d = end_d or e
    k = k0
    while cur_n is not None or cur_d is not None:
        if cur_n is not None:
            nxt_n, e = _advance(newton_run)
            end_n = end_n or e
        else:
            nxt_n = None
        if cur_d is not None:
            nxt_d, e = _advance(descent_run)
            end_d = end_d or e
        else:
            nxt_d = None
        last_n = cur_n or last_n
        last_d = cur_d or last_d
        yield RaceStep(k, n, last_n, last_d, end_n, end_d)
        cur_n, cur_d = nxt_n, nxt_d
        k += 1
    return race_outcome(end_n, end_d, max(k - 1, k0))


def race_outcome(end_n: Outcome | None, end_d: Outcome | None, k: int) -> Outcome:
    """One Outcome for the pair: converged only if both converged."""
    parts = []
    if end_n is not None:
        parts.append(f"Newton {end_n.message}")
    if end_d is not None:
        parts.append(f"gradient descent {end_d.message}")
    both = end_n is not None and end_d is not None
    status = CONVERGED if both and end_n.status == end_d.status == CONVERGED else "finished"
    return Outcome(status, " · ".join(parts) or "nothing to do", k)


@dataclass(frozen=True)
class RaceSettings:
    """What a race run needs; read from the widgets once, on the GUI thread."""

    function: Function
    x0: tuple[float, ...]
    learning_rate: float
    tol: float
    damping: float = 0.0


def race_factory(settings: RaceSettings) -> Callable[[RaceStep | None], Stepper[RaceStep]]:
    """The engine's factory: a fresh race, or one resumed after ``last``."""
    f, n = settings.function, settings.function.n

    def start_newton(x: Any, k0: int) -> Stepper[Step]:
        return newton(f, x, max_steps=UNLIMITED, tol=settings.tol, k0=k0, damping=settings.damping)

    def start_descent(x: Any, k0: int) -> Stepper[Step]:
        return gradient_descent(
            f,
            x,
            learning_rate=settings.learning_rate,
            max_steps=UNLIMITED,
            tol=settings.tol,
            k0=k0,
        )

    def factory(last: RaceStep | None) -> Stepper[RaceStep]:
        if last is None:
            x0 = np.array(settings.x0, dtype=float)
            return Stepper(race(start_newton(x0, 0), start_descent(x0, 0), n))
        k0 = last.k + 1
        nr = None
        if last.newton_end is None and last.newton is not None:
            nr = start_newton(last.newton.x_next, k0)
        dr = None
        if last.descent_end is None and last.descent is not None:
            dr = start_descent(last.descent.x_next, k0)
        return Stepper(race(nr, dr, n, k0, last))

    return factory


def steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def method_summary(name: str, step: Step | None, end: Outcome | None, gradient_name: str) -> str:
    """'Newton: converged at step 8' or 'gradient descent: step 12, |g′| = 0.003'."""
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


# ============================================================== shared widgets

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
        font = QFont(self.font())
        font.setPointSize(style.Look.font_pt)
        self.setFont(font)
        header = self.horizontalHeader()
        header.setFont(font)
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

    def show_row(self, r: int) -> None:
        if 0 <= r < self.rowCount():
            self.selectRow(r)
            self.scrollToItem(self.item(r, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        else:
            self.clearSelection()


def number(value: float, digits: int = 8) -> str:
    """A table number with ``digits`` significant digits (typographic minus)."""
    return fmt(value, digits)


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
            self.stacked.setSizes([500, 500])
            self.side.setCurrentIndex(0)
            side = int((width - 400) * self.side_share)
            self.setSizes([400, width - 400 - side, side])
        self.table.set_compact(narrow)


def summary_label() -> QLabel:
    label = QLabel()
    label.setObjectName("summary")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    font = label.font()
    font.setPointSize(style.Look.font_pt + 1)
    label.setFont(font)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(6)
    label.setToolTip("How many steps each method needed to reach the tolerance")
    return label


def connect_clicks(plot: pg.PlotWidget, callback: Callable[[float, float], None]) -> None:
    """Call ``callback(x, y)`` (data units) when the plot area is left-clicked."""
    vb = plot.getViewBox()

    def clicked(event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        pos = event.scenePos()
        if vb.sceneBoundingRect().contains(pos):
            point = vb.mapSceneToView(pos)
            callback(float(point.x()), float(point.y()))

    plot.scene().sigMouseClicked.connect(clicked)


def plot_point(plot: pg.PlotWidget, x: float, y: float):
    """Where (x, y) is on the plot's viewport (for tests that click it)."""
    return plot.mapFromScene(plot.getViewBox().mapViewToScene(QPointF(x, y)))


def rounded_click(value: float, span: float) -> float:
    """A clicked coordinate rounded to what the plot can show (3 digits of the span)."""
    if span <= 0 or not math.isfinite(span):
        return value
    decimals = max(0, 2 - int(math.floor(math.log10(span))))
    return round(value, decimals) + 0.0


def html_sub(name: str, sub: str) -> str:
    return f"{name}<sub>{sub}</sub>"


def robust_range(values: np.ndarray, lo: float = 0.02, hi: float = 0.98) -> tuple[float, float]:
    """A y range that ignores the few largest values (poles such as −log x at 0)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    a, b = (float(v) for v in np.quantile(finite, [lo, hi]))
    if b - a <= 1e-12 * max(1.0, abs(a)):
        a, b = a - 1, b + 1
    pad = 0.08 * (b - a)
    return a - pad, b + pad


# ============================================================== the tab

GUIDE = (
    "Newton's method looks for a point where the slope g′ is zero. At the current guess "
    "xₖ it draws the tangent of g′ (middle plot) and jumps to where that line crosses zero: "
    "that is xₖ₊₁ = xₖ − g′(xₖ)/g″(xₖ). Near the answer the number of correct digits doubles each "
    "step. Gradient descent (blue squares) starts at the same point and only walks downhill "
    "by α·g′. Try the presets, click a plot to start elsewhere, or type your own g(x): from "
    "some starts Newton happily finds a maximum, because it only knows g′ = 0."
)

ERRATUM = (
    "Note: the slide writes 0.447 − … for this step; the previous iterate is 0.477, and the "
    "slide's result 0.558 is right for 0.477."
)

DEFAULT = "exp(x) - log(x)"


@dataclass(frozen=True)
class Preset1D:
    label: str
    text: str
    x0: float
    window: tuple[float, float]
    rate: float = 0.1
    tooltip: str = ""
    slides: bool = False


PRESETS_1D = (
    Preset1D(
        "The slides: g = eˣ − ln x from x₀ = 0.05",
        DEFAULT,
        0.05,
        (0.0, 2.2),
        0.1,
        "The slides' table: 0.097, 0.183, 0.320, 0.477, 0.558, 0.567",
        slides=True,
    ),
    Preset1D(
        "The course notebook: same g from x₀ = 1.6",
        DEFAULT,
        1.6,
        (0.0, 2.2),
        0.1,
        "Newton: 0.790, 0.544, 0.5666, 0.567143…; gradient descent with α = 0.1 beside it",
    ),
    Preset1D(
        "Newton walks to a maximum: g = x⁴ − 4x² from 0.5",
        "x^4 - 4*x^2",
        0.5,
        (-2.2, 2.2),
        0.05,
        "g″ < 0 at the start: Newton heads for g′ = 0 at the top of the hill (x = 0);"
        " gradient descent rolls down to √2",
    ),
    Preset1D(
        "g″ = 0 stops Newton: g = x³ − 3x from 0",
        "x^3 - 3*x",
        0.0,
        (-2.2, 2.2),
        0.1,
        "g″(0) = 0: the tangent of g′ is flat and never crosses zero",
    ),
    Preset1D(
        "Too large α: gradient descent leaves the domain of log",
        DEFAULT,
        0.05,
        (-1.0, 6.0),
        0.3,
        "With α = 0.3 gradient descent jumps past 0, where log is not defined",
    ),
)


class Newton1DTab(ExperimentTab):
    """g, g′ with the tangent, g″ with its sign; Newton beside gradient descent."""

    title = "Newton 1-D"
    default_speed = 2
    default_limit = 100

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.x0 = 0.05
        self.window = (0.0, 2.2)
        self._slides = True
        self._curves_key: tuple | None = None
        self._base_ranges: list[tuple[float, float]] = []
        self._limit_reached = False

        # settings column -------------------------------------------------------
        panel = QWidget()
        column = QVBoxLayout(panel)
        self.guide = Guide(GUIDE)
        column.addWidget(self.guide)

        fbox = QGroupBox("Function")
        flay = QVBoxLayout(fbox)
        self.function_box = FunctionBox(("x",), DEFAULT, name="g")
        for p in PRESETS_1D:
            self.function_box.add_preset(p.label, p.text, p, p.tooltip)
        flay.addWidget(self.function_box)
        self.formulas = FormulaStrip(3)
        self.formulas.setObjectName("derivatives")
        flay.addWidget(self.formulas)
        column.addWidget(fbox)

        sbox = QGroupBox("Start and view")
        form = QFormLayout(sbox)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.start = QLineEdit(f"{self.x0:g}")
        self.start.setObjectName("x0")
        self.start.setToolTip("The starting point x₀ of both methods (or click a plot)")
        form.addRow("Start x₀", self.start)
        window_row = QHBoxLayout()
        self.x_min = self._range_box("x_min", "Left end of the plotted x range")
        self.x_max = self._range_box("x_max", "Right end of the plotted x range")
        window_row.addWidget(self.x_min)
        window_row.addWidget(QLabel("to"))
        window_row.addWidget(self.x_max)
        form.addRow("x range", window_row)
        column.addWidget(sbox)

        gbox = QGroupBox("Gradient descent (beside)")
        gform = QFormLayout(gbox)
        gform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rate = LearningRateBox(0.1)
        self.rate.setToolTip(
            "Learning rate α of gradient descent: x_{k+1} = x_k − α·g′(x_k) (Newton needs none)"
        )
        gform.addRow("Learning rate α", self.rate)
        self.tolerance = ToleranceBox("g′")
        gform.addRow("Converged when", self.tolerance)
        column.addWidget(gbox)

        self.summary = summary_label()
        column.addStretch(1)

        # plots ---------------------------------------------------------------
        self.g_plot = style.make_plot("g(x) with the iterates", "x", "g(x)")
        self.d1_plot = style.make_plot("g′(x) and its tangent at xₖ", "x", "g′(x)")
        self.d2_plot = style.make_plot("g″(x): concave up or down", "x", "g″(x)")
        for plot in (self.d1_plot, self.d2_plot):
            plot.setXLink(self.g_plot)
        for plot in (self.g_plot, self.d1_plot, self.d2_plot):
            plot.setObjectName("plot")
            plot.setToolTip("Click to start both methods from that x")
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            connect_clicks(plot, lambda x, _y: self._clicked(x))
        self._build_plot_items()

        plots = QSplitter(Qt.Orientation.Vertical)
        for plot in (self.g_plot, self.d1_plot, self.d2_plot):
            plots.addWidget(plot)

        # table and math ------------------------------------------------------
        self.table = IteratesTable(
            ["k", "xₖ", "g′(xₖ)", "g″(xₖ)", "xₖ₊₁", "GD xₖ"],
            [
                "step number k",
                "Newton's iterate x_k",
                "slope g′ at x_k",
                "second derivative g″ at x_k",
                "Newton's next iterate x_k − g′/g″",
                "gradient descent's iterate x_k (same start)",
            ],
        )
        self.math = MathPanel()
        self.math.set_formulas(
            [
                r"\mathrm{Newton:}\quad x_{k+1} = x_k - \frac{g'(x_k)}{g''(x_k)}",
                r"\mathrm{gradient\ descent:}\quad x_{k+1} = x_k - \alpha\, g'(x_k)",
            ]
        )
        views = QWidget()
        vlay = QVBoxLayout(views)
        vlay.setContentsMargins(0, 0, 0, 0)
        vlay.addWidget(plots, 1)
        vlay.addWidget(self.summary)
        self.table.fit_contents = True
        self.columns = ThreeColumns(panel, views, self.table, self.math)
        layout = QVBoxLayout(self)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.controls)

        # wiring --------------------------------------------------------------
        self.function_box.function_changed.connect(self._function_changed)
        self.function_box.preset_chosen.connect(self._preset_chosen)
        self.start.editingFinished.connect(self._start_typed)
        self.x_min.valueChanged.connect(lambda _: self._window_typed())
        self.x_max.valueChanged.connect(lambda _: self._window_typed())
        self.rate.valueChanged.connect(lambda _: self.settings_changed())
        self.tolerance.currentIndexChanged.connect(lambda _: self.settings_changed())
        self.engine.finished.connect(self._race_finished)

        self._set_window(self.window)
        self._show_formulas()
        self.reset()

    # -- building ------------------------------------------------------------
    @staticmethod
    def _range_box(name: str, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setRange(-1e4, 1e4)
        box.setMinimumWidth(70)
        box.setDecimals(2)
        box.setSingleStep(0.5)
        box.setKeyboardTracking(False)
        box.setToolTip(tip)
        return box

    def _build_plot_items(self) -> None:
        Look = style.Look
        font = f"{Look.font_pt}pt"
        ink = pg.mkPen(style.INK, width=1)
        # g
        legend = self.g_plot.addLegend(offset=(-10, 10), labelTextSize=font)
        legend.setBrush(pg.mkBrush(255, 255, 255, 210))
        self.g_curve = self.g_plot.plot(pen=style.pen(style.BLUE))
        self.g_newton = self.g_plot.plot(
            pen=None,
            symbol="o",
            symbolSize=Look.marker,
            symbolBrush=style.VERMILION,
            symbolPen=ink,
            name="Newton xₖ",
        )
        self.g_descent = self.g_plot.plot(
            pen=None,
            symbol="s",
            symbolSize=Look.marker - 1,
            symbolBrush=style.SKY,
            symbolPen=ink,
            name="gradient descent xₖ",
        )
        self.g_current = self.g_plot.plot(
            pen=None,
            symbol="o",
            symbolSize=Look.marker + 8,
            symbolBrush=None,
            symbolPen=pg.mkPen(style.VERMILION, width=3),
        )
        # g'
        legend = self.d1_plot.addLegend(offset=(-10, -10), labelTextSize=font)
        legend.setBrush(pg.mkBrush(255, 255, 255, 210))
        self.d1_plot.addItem(pg.InfiniteLine(0, angle=0, pen=pg.mkPen(style.GREY, width=1.5)))
        self.d1_curve = self.d1_plot.plot(pen=style.pen(style.BLUE))
        self.tangent = self.d1_plot.plot(
            pen=style.pen(style.VERMILION, Look.pen + 1, Qt.PenStyle.DashLine),
            name="tangent of g′ at xₖ",
        )
        self.d1_point = self.d1_plot.plot(
            pen=None,
            symbol="o",
            symbolSize=Look.marker + 2,
            symbolBrush=style.VERMILION,
            symbolPen=ink,
        )
        self.d1_next = self.d1_plot.plot(
            pen=None,
            symbol="o",
            symbolSize=Look.marker + 4,
            symbolBrush="w",
            symbolPen=pg.mkPen(style.VERMILION, width=3),
            name="xₖ₊₁ (where it crosses 0)",
        )
        self.d1_descent = self.d1_plot.plot(
            pen=None,
            symbol="s",
            symbolSize=Look.marker - 1,
            symbolBrush=style.SKY,
            symbolPen=ink,
        )
        self.label_k = pg.TextItem("", color=style.VERMILION, anchor=(0.5, 1.25))
        self.label_next = pg.TextItem("", color=style.VERMILION, anchor=(0.5, -0.35))
        for item in (self.label_k, self.label_next):
            item.setFont(style.Look.axis_font())
            self.d1_plot.addItem(item, ignoreBounds=True)
        # g''
        legend = self.d2_plot.addLegend(offset=(-10, 10), labelTextSize=font)
        legend.setBrush(pg.mkBrush(255, 255, 255, 210))
        self.d2_plot.addItem(pg.InfiniteLine(0, angle=0, pen=pg.mkPen(style.GREY, width=1.5)))
        self.d2_up = self.d2_plot.plot(
            pen=None,
            fillLevel=0,
            brush=style.qcolor(style.GREEN, 90),
            name="g″ &gt; 0: concave up ∪",
        )
        self.d2_down = self.d2_plot.plot(
            pen=None,
            fillLevel=0,
            brush=style.qcolor(style.ORANGE, 110),
            name="g″ &lt; 0: concave down ∩",
        )
        self.d2_curve = self.d2_plot.plot(pen=style.pen(style.BLUE))
        self.d2_point = self.d2_plot.plot(
            pen=None,
            symbol="o",
            symbolSize=Look.marker + 2,
            symbolBrush=style.VERMILION,
            symbolPen=ink,
        )
        self.x_lines = []
        for plot in (self.g_plot, self.d1_plot, self.d2_plot):
            line = pg.InfiniteLine(
                angle=90, pen=pg.mkPen(style.VERMILION, width=1, style=Qt.PenStyle.DotLine)
            )
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.x_lines.append(line)

    # -- function, start, window ---------------------------------------------
    @property
    def function(self) -> Function:
        return self.function_box.function

    def _show_formulas(self) -> None:
        f = self.function
        texts = (
            f"g(x) = {f.latex}",
            f"g'(x) = {f.gradient_latex[0]}",
            f"g''(x) = {f.hessian_latex[0][0]}",
        )
        self.formulas.set_latex(list(texts))

    def _function_changed(self, function: Function) -> None:
        self._slides = False
        self._show_formulas()
        self._curves_key = None
        self._draw_curves()
        problem = function.domain_problem(self.x0)
        self.reset()
        if problem:
            self.set_status(
                f"g is not defined at the start x₀ = {self.x0:g} ({problem}): "
                "type or click another start."
            )
        else:
            self.set_status(f"Using g(x) = {function.text}. Press Space to play.")

    def _preset_chosen(self, preset: Preset1D) -> None:
        self.stop()
        self._slides = preset.slides
        self.x0 = preset.x0
        self.start.setText(f"{preset.x0:g}")
        self.rate.blockSignals(True)
        self.rate.setValue(preset.rate)
        self.rate.blockSignals(False)
        self._set_window(preset.window)
        self.reset()
        self.set_status(f"Preset: {preset.label}. Press Space to play, → for one step.")

    def _start_typed(self) -> None:
        try:
            x0 = parse_number(self.start.text())
        except ValueError:
            self.set_status(f"'{self.start.text()}' is not a number: the start stays {self.x0:g}.")
            self.start.setText(f"{self.x0:g}")
            return
        if x0 != self.x0:
            self.set_start(x0)

    def set_start(self, x0: float) -> None:
        """Start both methods from ``x0`` (the run restarts)."""
        problem = self.function.domain_problem(x0)
        if problem:
            self.set_status(f"g is not defined at x = {x0:g} ({problem}): choose another start.")
            self.start.setText(f"{self.x0:g}")
            return
        self.stop()
        self._slides = self._slides and x0 == 0.05 and self.function.text == DEFAULT
        self.x0 = x0
        self.start.setText(f"{x0:g}")
        lo, hi = self.window
        if not lo <= x0 <= hi:
            span = hi - lo
            self._set_window((min(lo, x0 - 0.1 * span), max(hi, x0 + 0.1 * span)))
        self.reset()
        self.set_status(f"Both methods start at x₀ = {x0:g}. Press Space to play.")

    def _clicked(self, x: float) -> None:
        self.set_start(rounded_click(x, self.window[1] - self.window[0]))

    def new_start(self) -> None:
        """A random start inside the plotted range (and the domain of g)."""
        lo, hi = self.window
        rng = np.random.default_rng()
        for _ in range(50):
            x0 = rounded_click(float(rng.uniform(lo, hi)), hi - lo)
            if self.function.domain_problem(x0) is None:
                self.set_start(x0)
                return
        self.set_status("No start inside the domain of g was found in the plotted range.")

    def _set_window(self, window: tuple[float, float]) -> None:
        self.window = (float(window[0]), float(window[1]))
        for box, value in ((self.x_min, window[0]), (self.x_max, window[1])):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self._draw_curves()

    def _window_typed(self) -> None:
        lo, hi = self.x_min.value(), self.x_max.value()
        if hi <= lo:
            self.set_status("The right end of the x range must be larger than the left end.")
            return
        self._set_window((lo, hi))
        if self.shown_index is not None:
            self.show_index(self.shown_index)
        else:
            self.clear_views()

    def _draw_curves(self) -> None:
        """g, g′ and g″ over the window: computed once per function and window."""
        f = self.function
        key = (f.text, self.window)
        if key == self._curves_key:
            return
        self._curves_key = key
        xs = np.linspace(self.window[0], self.window[1], 801)
        with np.errstate(all="ignore"):
            g = np.asarray(f.value([xs]), dtype=float)
            d1 = np.asarray(f.gradient([xs])[0], dtype=float)
            d2 = np.asarray(f.hessian([xs])[0, 0], dtype=float)
        bad = ~np.isfinite(g) | ~np.isfinite(d1) | ~np.isfinite(d2)
        g, d1, d2 = (np.where(bad, np.nan, a) for a in (g, d1, d2))
        self.g_curve.setData(xs, g, connect="finite")
        self.d1_curve.setData(xs, d1, connect="finite")
        self.d2_curve.setData(xs, d2, connect="finite")
        up = np.where(np.isfinite(d2), np.maximum(d2, 0), 0.0)
        down = np.where(np.isfinite(d2), np.minimum(d2, 0), 0.0)
        self.d2_up.setData(xs, up)
        self.d2_down.setData(xs, down)
        self._base_ranges = [
            robust_range(g),
            robust_range(d1, 0.05, 0.95),
            robust_range(d2, 0.05, 0.95),
        ]
        self.g_plot.setXRange(*self.window, padding=0.02)
        self._set_y_ranges([])

    def _set_y_ranges(self, extra: list[list[float]]) -> None:
        """Fit each plot's y range to its curve, stretched to include the current points."""
        for i, plot in enumerate((self.g_plot, self.d1_plot, self.d2_plot)):
            if i >= len(self._base_ranges):
                return
            lo, hi = self._base_ranges[i]
            if i > 0:
                lo, hi = min(lo, 0.0), max(hi, 0.0)
            span = hi - lo
            values = [v for v in (extra[i] if i < len(extra) else []) if math.isfinite(v)]
            for v in values:
                if lo - 3 * span <= v <= hi + 3 * span:
                    pad = 0.08 * span
                    lo, hi = min(lo, v - pad), max(hi, v + pad)
            plot.setYRange(lo, hi, padding=0)

    # -- the run ----------------------------------------------------------------
    def settings(self) -> RaceSettings:
        return RaceSettings(
            function=self.function,
            x0=(float(self.x0),),
            learning_rate=float(self.rate.value()),
            tol=self.tolerance.value,
        )

    def make_factory(self):
        problem = self.function.domain_problem(self.x0)
        if problem:
            self.set_status(
                f"g is not defined at the start x₀ = {self.x0:g} ({problem}): "
                "type or click another start."
            )
            return None
        return race_factory(self.settings())

    def rebuild(self, row: np.ndarray) -> RaceStep:
        return rebuild_race(row, 1, float(self.rate.value()))

    def reset(self) -> None:
        self._limit_reached = False
        self.table.reset()
        super().reset()

    def _race_finished(self, outcome: Outcome) -> None:
        record = self.history.last()
        self._limit_reached = outcome.status == STEP_LIMIT and not (
            record is not None and record.finished
        )
        text = race_summary(record, float(self.rate.value()), "g′", self._limit_reached)
        self.summary.setText(text)
        self.set_status(text)

    # -- views ------------------------------------------------------------------
    def clear_views(self) -> None:
        """Before any step: the start, and the tangent Newton is about to follow."""
        self.table.reset()
        self._draw_curves()
        preview = None
        if self.function.domain_problem(self.x0) is None:
            try:
                run = newton(self.function, self.x0, max_steps=1, tol=self.tolerance.value)
                step = next(run, None)
                preview = RaceStep(0, 1, step, None, None if step else run.outcome, None)
            except ValueError:
                preview = None
        self._draw_step(preview, upto=0, preview=True)
        self.summary.setText(
            f"Both start at x₀ = {self.x0:g}. Newton uses g″; gradient descent uses "
            f"α = {self.rate.value():g}. Press Space to race them."
        )

    def show_history(self, history: History) -> None:
        n = len(history)
        if n < self.table.filled:
            self.table.reset()
        if n == self.table.filled or self.table.filled >= IteratesTable.MAX_ROWS:
            return
        rows = history.rows[self.table.filled : n]
        L = RowLayout(1)
        texts: list[list[str]] = []
        for row in rows:
            k = int(row[L.k])
            here = row[L.newton_k] == k
            first_after = (not here) and row[L.newton_k] == k - 1
            if here:
                newton_cells = [
                    number(row[L.newton_x][0]),
                    number(row[L.newton_gradient][0]),
                    number(row[L.newton_hessian][0]),
                    number(row[L.newton_x_next][0]),
                ]
            elif first_after or (k == 0 and math.isnan(row[L.newton_k])):
                word = CODE_STATUS.get(int(row[L.newton_code]), "stopped")
                newton_cells = [f"Newton {word}", "", "", ""]
            else:
                newton_cells = ["", "", "", ""]
            gd = number(row[L.descent_x][0]) if row[L.descent_k] == k else ""
            texts.append([str(k), *newton_cells, gd])
        self.table.extend(texts)

    def show_record(self, record: RaceStep) -> None:
        self._draw_step(record, upto=record.k)
        self.table.show_row(record.k)
        self.summary.setText(
            race_summary(record, float(self.rate.value()), "g′", self._at_limit(record))
        )

    def _at_limit(self, record: RaceStep) -> bool:
        return self._limit_reached and len(self.history) > 0 and record.k == len(self.history) - 1

    def _iterates(self, upto: int) -> tuple[np.ndarray, ...]:
        """Newton's and gradient descent's iterates x_0 … x_upto, with their values."""
        n = len(self.history)
        if n == 0:
            return (np.array([self.x0]),) * 2 + (np.empty(0),) * 2
        L = RowLayout(1)
        rows = self.history.rows[: min(upto + 1, n)]
        kcol = rows[:, L.k]
        nmask = rows[:, L.newton_k] == kcol
        dmask = rows[:, L.descent_k] == kcol
        nx = rows[nmask, L.newton_x.start]
        nv = rows[nmask, L.newton_value]
        dx = rows[dmask, L.descent_x.start]
        dv = rows[dmask, L.descent_value]
        return nx, nv, dx, dv

    def _draw_step(self, record: RaceStep | None, upto: int, preview: bool = False) -> None:
        step = record.newton if record is not None else None
        here = step is not None and record is not None and (record.newton_here or preview)
        # iterates on g -----------------------------------------------------------
        if preview or len(self.history) == 0:
            start = np.empty(0)
            values = np.empty(0)
            if self.function.domain_problem(self.x0) is None:
                value = self.function.value(self.x0)
                if math.isfinite(value):
                    start, values = np.array([self.x0]), np.array([value])
            nx, nv, dx, dv = start, values, start, values
        else:
            nx, nv, dx, dv = self._iterates(upto)
        self.g_newton.setData(nx, nv)
        self.g_descent.setData(dx, dv)
        d = record.descent if record is not None else None
        if d is not None and record is not None and record.descent_here:
            self.d1_descent.setData([d.x[0]], [d.gradient[0]])
        else:
            self.d1_descent.setData([], [])
        # Newton's step on g′ and g″ ------------------------------------------------
        extra: list[list[float]] = [[], [], []]
        if here:
            assert step is not None and step.hessian is not None
            xk, xn = float(step.x[0]), float(step.x_next[0])
            g1, g2 = float(step.gradient[0]), float(step.hessian[0, 0])
            self.g_current.setData([xk], [step.value])
            self.d1_point.setData([xk], [g1])
            self.d1_next.setData([xn], [0.0])
            reach = 0.25 * abs(xn - xk) if xn != xk else 0.1
            a = min(xk, xn) - reach
            b = max(xk, xn) + reach
            self.tangent.setData([a, b], [g1 + g2 * (a - xk), g1 + g2 * (b - xk)])
            self.d2_point.setData([xk], [g2])
            self.label_k.setText(f"x{_sub(step.k)}")
            self.label_k.setPos(xk, g1)
            self.label_next.setText(f"x{_sub(step.k + 1)}")
            self.label_next.setPos(xn, 0.0)
            for line in self.x_lines:
                line.setPos(xk)
                line.setVisible(True)
            extra = [[step.value], [g1, 0.0], [g2]]
        else:
            for item in (self.g_current, self.d1_point, self.d1_next, self.tangent, self.d2_point):
                item.setData([], [])
            self.label_k.setText("")
            self.label_next.setText("")
            for line in self.x_lines:
                line.setVisible(False)
        self._set_y_ranges(extra)
        self._math(record, preview)

    def _math(self, record: RaceStep | None, preview: bool) -> None:
        lines: list[str] = []
        rate = float(self.rate.value())
        if record is None:
            self.math.set_lines(["Choose a start x₀ inside the domain of g."])
            return
        step = record.newton
        if step is not None and (record.newton_here or preview):
            k = step.k
            xk, xn = step.x[0], step.x_next[0]
            g1, g2 = step.gradient[0], step.hessian[0, 0]
            head = "Newton's first step (press → to take it)" if preview else f"Newton, step {k}"
            lines.append(f"<b style='color:{style.VERMILION}'>{head}</b>")
            lines.append(
                f"{html_sub('x', k + 1)} = {html_sub('x', k)} − g′({html_sub('x', k)}) / "
                f"g″({html_sub('x', k)})"
            )
            lines.append(
                f"&nbsp;&nbsp;= {number(xk)} − ({number(g1, 6)}) / ({number(g2, 6)}) "
                f"= <b>{number(xn)}</b>"
            )
            shape = (
                "concave up: g′ is rising, the step heads for a minimum"
                if g2 > 0
                else "concave down: g′ is falling, the step heads for a maximum"
            )
            lines.append(
                f"g″({html_sub('x', k)}) = {number(g2, 4)} {'&gt;' if g2 > 0 else '&lt;'} 0,"
                f" {shape}."
            )
            if self._slides and k == 4 and abs(xk - 0.4773) < 1e-3:
                lines.append(f"<i>{ERRATUM}</i>")
        if record.newton_end is not None and not preview:
            lines.append(f"<b>Newton</b> {record.newton_end.message}")
        elif preview and record.newton_end is not None:
            lines.append(f"<b>Newton</b> stops at once: {record.newton_end.message}")
        d = record.descent
        if d is not None and record.descent_here:
            k = d.k
            lines.append(f"<b style='color:{style.BLUE}'>Gradient descent, step {k}</b>")
            lines.append(
                f"{html_sub('x', k + 1)} = {number(d.x[0])} − {rate:g} × "
                f"({number(d.gradient[0], 6)}) = <b>{number(d.x_next[0])}</b>"
            )
        if record.descent_end is not None:
            lines.append(f"<b>Gradient descent</b> {record.descent_end.message}")
        self.math.set_lines(lines)


def _sub(k: int) -> str:
    """k as Unicode subscript digits (x₁₂)."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
