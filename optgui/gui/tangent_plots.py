"""Newton 1-D's three plots on one x axis: g with the iterates, g′ with its tangent, g″.

The tangent of g′ at x_k crosses zero at Newton's next iterate; the sign of g″
(shaded) says whether the step heads for a minimum or a maximum.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

from optgui.core.expr import Function
from optgui.core.iterates import Step
from optgui.gui import style
from optgui.lessons.race import subscript


class TangentPlots(QSplitter):
    """g, g′ and g″ stacked, x axes linked. ``clicked(x)`` when a plot is clicked."""

    clicked = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.g_plot = style.make_plot("g(x) with the iterates", "x", "g(x)")
        self.d1_plot = style.make_plot("g′(x) and its tangent at xₖ", "x", "g′(x)")
        self.d2_plot = style.make_plot("g″(x): concave up or down", "x", "g″(x)")
        self.plots = (self.g_plot, self.d1_plot, self.d2_plot)
        for plot in (self.d1_plot, self.d2_plot):
            plot.setXLink(self.g_plot)
        for plot in self.plots:
            plot.setObjectName("plot")
            plot.setToolTip("Click to start both methods from that x")
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            style.connect_clicks(plot, lambda x, _y: self.clicked.emit(x))
            self.addWidget(plot)
        self._curves_key: tuple | None = None
        self._base_ranges: list[tuple[float, float]] = []
        self._build_items()

    def _build_items(self) -> None:
        marker = style.Look.marker
        ring = pg.mkPen(style.VERMILION, width=3)
        zero = pg.mkPen(style.GREY, width=1.5)
        # g
        style.add_legend(self.g_plot, (-10, 10))
        self.g_curve = self.g_plot.plot(pen=style.pen(style.BLUE))
        self.g_newton = markers(self.g_plot, "o", marker, style.VERMILION, name="Newton xₖ")
        self.g_descent = markers(
            self.g_plot, "s", marker - 1, style.SKY, name="gradient descent xₖ"
        )
        self.g_current = markers(self.g_plot, "o", marker + 8, None, ring)
        # g′
        style.add_legend(self.d1_plot, (-10, -10))
        self.d1_plot.addItem(pg.InfiniteLine(0, angle=0, pen=zero))
        self.d1_curve = self.d1_plot.plot(pen=style.pen(style.BLUE))
        self.tangent = self.d1_plot.plot(
            pen=style.pen(style.VERMILION, style.Look.pen + 1, Qt.PenStyle.DashLine),
            name="tangent of g′ at xₖ",
        )
        self.d1_point = markers(self.d1_plot, "o", marker + 2, style.VERMILION)
        self.d1_next = markers(
            self.d1_plot, "o", marker + 4, "w", ring, name="xₖ₊₁ (where it crosses 0)"
        )
        self.d1_descent = markers(self.d1_plot, "s", marker - 1, style.SKY)
        self.label_k = pg.TextItem("", color=style.VERMILION, anchor=(0.5, 1.25))
        self.label_next = pg.TextItem("", color=style.VERMILION, anchor=(0.5, -0.35))
        for item in (self.label_k, self.label_next):
            item.setFont(style.Look.axis_font())
            self.d1_plot.addItem(item, ignoreBounds=True)
        # g″
        style.add_legend(self.d2_plot, (-10, 10))
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
        self.d2_point = markers(self.d2_plot, "o", marker + 2, style.VERMILION)
        self.x_lines = []
        for plot in self.plots:
            line = pg.InfiniteLine(
                angle=90, pen=pg.mkPen(style.VERMILION, width=1, style=Qt.PenStyle.DotLine)
            )
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.x_lines.append(line)

    def set_curves(self, function: Function, window: tuple[float, float]) -> None:
        """g, g′ and g″ over ``window``: computed once per function and window."""
        key = (function.text, window)
        if key == self._curves_key:
            return
        self._curves_key = key
        xs = np.linspace(window[0], window[1], 801)
        with np.errstate(all="ignore"):
            g = np.asarray(function.value([xs]), dtype=float)
            d1 = np.asarray(function.gradient([xs])[0], dtype=float)
            d2 = np.asarray(function.hessian([xs])[0, 0], dtype=float)
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
        self.g_plot.setXRange(*window, padding=0.02)
        self.fit_y([])

    def fit_y(self, extra: list[list[float]], grow: bool = False) -> None:
        """Fit each plot's y range to its curve, stretched to include the current points
        (``grow``: only ever wider, as during a run, so that it does not swing back and
        forth with the points: every new range redraws the axis and every curve)."""
        for i, plot in enumerate(self.plots):
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
            shown = plot.getViewBox().viewRange()[1]
            if grow:
                lo, hi = min(lo, shown[0]), max(hi, shown[1])
            if not np.allclose(shown, (lo, hi), rtol=1e-9, atol=1e-12 * max(span, 1e-300)):
                plot.setYRange(lo, hi, padding=0)

    def show_iterates(self, newton: tuple, descent: tuple, descent_step: Step | None) -> None:
        """Both methods' iterates on g ((xs, values) each); gradient descent's point on g′."""
        set_markers(self.g_newton, *newton)
        set_markers(self.g_descent, *descent)
        if descent_step is not None:
            self.d1_descent.setData([descent_step.x[0]], [descent_step.gradient[0]])
        else:
            self.d1_descent.setData([], [])

    def show_newton(self, step: Step | None, running: bool = False) -> None:
        """Newton's step k: x_k on g, the tangent of g′ to x_{k+1}, g″(x_k); None clears.
        ``running``: the y ranges only grow (see :meth:`fit_y`)."""
        if step is None:
            for item in (self.g_current, self.d1_point, self.d1_next, self.tangent, self.d2_point):
                item.setData([], [])
            self.label_k.setText("")
            self.label_next.setText("")
            for line in self.x_lines:
                line.setVisible(False)
            self.fit_y([[], [], []])
            return
        assert step.hessian is not None
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
        self.fit_y([[step.value], [g1, 0.0], [g2]], grow=running)


def markers(plot: pg.PlotWidget, symbol: str, size: float, brush, pen=None, name=None):
    """Markers without a line (outlined in ink unless ``pen`` is given)."""
    return plot.plot(
        pen=None,
        symbol=symbol,
        symbolSize=size,
        symbolBrush=brush,
        symbolPen=pen if pen is not None else pg.mkPen(style.INK, width=1),
        name=name,
    )


def set_markers(item: pg.PlotDataItem, xs, ys) -> None:
    """``item.setData(xs, ys)`` for markers without a line, unless they would show the
    same points (iterates going round a cycle): then nothing is done."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    points = np.unique(xs + 1j * ys) if len(xs) == len(ys) else None
    shown = getattr(item, "_optgui_points", None)
    if points is not None and shown is not None and np.array_equal(points, shown, equal_nan=True):
        return
    item._optgui_points = points
    item.setData(xs, ys)


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
