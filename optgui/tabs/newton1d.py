"""Newton 1-D: the tangent of g′ points to the next iterate; gradient descent runs beside.

Three plots share the x axis: g with both methods' iterates, g′ with the
tangent whose zero is Newton's next iterate, and g″ whose sign says whether
the step heads for a minimum or a maximum. The race itself is
:mod:`optgui.core.race`; the shared widgets are in :mod:`optgui.gui.widgets`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import Function
from optgui.core.race import PATH_POINTS, RaceSettings, RaceStep, RowLayout, race_points
from optgui.gui import style
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.mathpanel import MathPanel
from optgui.gui.tables import parse_number
from optgui.gui.training_tab import LearningRateBox
from optgui.gui.widgets import (
    FormulaStrip,
    IteratesTable,
    RaceTab,
    ThreeColumns,
    ToleranceBox,
    add_legend,
    connect_clicks,
    html_sub,
    newton_heading,
    number,
    race_end_lines,
    rounded_click,
    subscript,
    summary_label,
)

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


class Newton1DTab(RaceTab):
    """g, g′ with the tangent, g″ with its sign; Newton beside gradient descent."""

    title = "Newton 1-D"
    default_speed = 2
    default_limit = 100
    function_name = "g"
    gradient_name = "g′"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.x0 = 0.05
        self.window = (0.0, 2.2)
        self._slides = True
        self._curves_key: tuple | None = None
        self._base_ranges: list[tuple[float, float]] = []

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
        marker = style.Look.marker
        ring = pg.mkPen(style.VERMILION, width=3)
        zero = pg.mkPen(style.GREY, width=1.5)
        # g
        add_legend(self.g_plot, (-10, 10))
        self.g_curve = self.g_plot.plot(pen=style.pen(style.BLUE))
        self.g_newton = _markers(self.g_plot, "o", marker, style.VERMILION, name="Newton xₖ")
        self.g_descent = _markers(
            self.g_plot, "s", marker - 1, style.SKY, name="gradient descent xₖ"
        )
        self.g_current = _markers(self.g_plot, "o", marker + 8, None, ring)
        # g′
        add_legend(self.d1_plot, (-10, -10))
        self.d1_plot.addItem(pg.InfiniteLine(0, angle=0, pen=zero))
        self.d1_curve = self.d1_plot.plot(pen=style.pen(style.BLUE))
        self.tangent = self.d1_plot.plot(
            pen=style.pen(style.VERMILION, style.Look.pen + 1, Qt.PenStyle.DashLine),
            name="tangent of g′ at xₖ",
        )
        self.d1_point = _markers(self.d1_plot, "o", marker + 2, style.VERMILION)
        self.d1_next = _markers(
            self.d1_plot, "o", marker + 4, "w", ring, name="xₖ₊₁ (where it crosses 0)"
        )
        self.d1_descent = _markers(self.d1_plot, "s", marker - 1, style.SKY)
        self.label_k = pg.TextItem("", color=style.VERMILION, anchor=(0.5, 1.25))
        self.label_next = pg.TextItem("", color=style.VERMILION, anchor=(0.5, -0.35))
        for item in (self.label_k, self.label_next):
            item.setFont(style.Look.axis_font())
            self.d1_plot.addItem(item, ignoreBounds=True)
        # g″
        add_legend(self.d2_plot, (-10, 10))
        self.d2_plot.addItem(pg.InfiniteLine(0, angle=0, pen=zero))
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
        self.d2_point = _markers(self.d2_plot, "o", marker + 2, style.VERMILION)
        self.x_lines = []
        for plot in (self.g_plot, self.d1_plot, self.d2_plot):
            line = pg.InfiniteLine(
                angle=90, pen=pg.mkPen(style.VERMILION, width=1, style=Qt.PenStyle.DotLine)
            )
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.x_lines.append(line)

    # -- function, start, window ---------------------------------------------
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
        self.reset()
        self.set_status(
            self.start_problem() or f"Using g(x) = {function.text}. Press Space to play."
        )

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

    # -- sessions -------------------------------------------------------------------
    def settings_state(self) -> dict:
        return {**self.race_settings_state(), "x0": float(self.x0), "window": list(self.window)}

    def read_settings(self, state: dict):
        from optgui.gui import session

        function, rate, tol = self.read_race_settings(state)
        x0 = session.get(state, "x0", float)
        lo, hi = session.number_list(state, "window", 2)
        if not lo < hi:
            raise session.SessionError("a saved Newton 1-D setting is out of range")
        if function.domain_problem(x0):
            raise session.SessionError(f"the saved start x = {x0:g} is outside the function")

        def apply() -> None:
            self.function_box.set_text(function.text)
            self._set_window((lo, hi))
            self.rate.setValue(rate)
            self.tolerance.setCurrentIndex(tol)
            self.set_start(x0)

        return apply

    # -- the run ----------------------------------------------------------------
    def settings(self) -> RaceSettings:
        return RaceSettings(
            function=self.function,
            x0=(float(self.x0),),
            learning_rate=self.rate_value,
            tol=self.tolerance.value,
        )

    def start_text(self) -> str:
        return f"x₀ = {self.x0:g}"

    # -- views ------------------------------------------------------------------
    def clear_views(self) -> None:
        """Before any step: the start, and the tangent Newton is about to follow."""
        self.table.reset()
        self._draw_curves()
        self.draw(self.preview(), upto=0, preview=True)
        self.summary.setText(
            f"Both start at x₀ = {self.x0:g}. Newton uses g″; gradient descent uses "
            f"α = {self.rate.value():g}. Press Space to race them."
        )

    def newton_cells(self, row: np.ndarray, layout: RowLayout) -> list[str]:
        newton = layout.newton
        return [
            number(row[newton.x][0]),
            number(row[newton.gradient][0]),
            number(row[newton.hessian][0]),
            number(row[newton.x_next][0]),
        ]

    def descent_cell(self, row: np.ndarray, layout: RowLayout) -> str:
        return number(row[layout.descent.x][0])

    def draw(self, record: RaceStep | None, upto: int, preview: bool = False) -> None:
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
            stop = min(upto + 1, len(self.history))
            rows = self.history.rows[max(0, stop - PATH_POINTS) : stop]
            nx, nv, dx, dv = race_points(rows, 1)
            nx, dx = nx[:, 0], dx[:, 0]
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
            self.label_k.setText(f"x{subscript(step.k)}")
            self.label_k.setPos(xk, g1)
            self.label_next.setText(f"x{subscript(step.k + 1)}")
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
        if self.detail or preview:
            self._math(record, preview)

    def _math(self, record: RaceStep | None, preview: bool) -> None:
        if record is None:
            self.math.set_lines(["Choose a start x₀ inside the domain of g."])
            return
        lines: list[str] = []
        newton_end, descent_end = race_end_lines(record, preview)
        step = record.newton
        if step is not None and (record.newton_here or preview):
            k = step.k
            xk, xn = step.x[0], step.x_next[0]
            g1, g2 = step.gradient[0], step.hessian[0, 0]
            x_k = html_sub("x", k)
            lines.append(newton_heading(k, preview))
            lines.append(f"{html_sub('x', k + 1)} = {x_k} − g′({x_k}) / g″({x_k})")
            lines.append(
                f"&nbsp;&nbsp;= {number(xk)} − ({number(g1, 6)}) / ({number(g2, 6)}) "
                f"= <b>{number(xn)}</b>"
            )
            shape = (
                "concave up: g′ is rising, the step heads for a minimum"
                if g2 > 0
                else "concave down: g′ is falling, the step heads for a maximum"
            )
            lines.append(f"g″({x_k}) = {number(g2, 4)} {'&gt;' if g2 > 0 else '&lt;'} 0, {shape}.")
            if self._slides and k == 4 and abs(xk - 0.4773) < 1e-3:
                lines.append(f"<i>{ERRATUM}</i>")
        lines += newton_end
        d = record.descent
        if d is not None and record.descent_here:
            k = d.k
            rate = float(self.rate.value())
            lines.append(f"<b style='color:{style.BLUE}'>Gradient descent, step {k}</b>")
            lines.append(
                f"{html_sub('x', k + 1)} = {number(d.x[0])} − {rate:g} × "
                f"({number(d.gradient[0], 6)}) = <b>{number(d.x_next[0])}</b>"
            )
        lines += descent_end
        self.math.set_lines(lines)


def _markers(plot: pg.PlotWidget, symbol: str, size: float, brush, pen=None, name=None):
    """Markers without a line (outlined in ink unless ``pen`` is given)."""
    return plot.plot(
        pen=None,
        symbol=symbol,
        symbolSize=size,
        symbolBrush=brush,
        symbolPen=pen if pen is not None else pg.mkPen(style.INK, width=1),
        name=name,
    )


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
