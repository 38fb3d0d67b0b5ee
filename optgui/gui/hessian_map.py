"""The Hessian Explorer's contour map: f with the point, ∇f, the eigenvector cross, the
Taylor paraboloid's rings, the Newton walk and the critical points found."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from optgui.core.hessian import Analysis
from optgui.gui import style
from optgui.gui.contour import ContourMap, Window, contour_lines, taylor_values
from optgui.gui.point_marks import Arm, EigenCross, GradientArrow
from optgui.lessons import hessian as lesson

#: Colours and line styles for the sign of an eigenvalue (never colour alone).
SIGN_LOOK = {
    1: (style.BLUE, Qt.PenStyle.SolidLine),
    -1: (style.VERMILION, Qt.PenStyle.DashLine),
    0: (style.GREY, Qt.PenStyle.DotLine),
}

KIND_MARKS = {
    "minimum": ("o", style.BLUE),
    "maximum": ("t1", style.VERMILION),
    "saddle": ("x", style.GREEN),
}

#: The Taylor paraboloid's colour: its rings on the map and its mesh in 3D.
TAYLOR_COLOR = style.PURPLE

#: The app's colours as the texts call them (Okabe–Ito's names, as students see them).
COLOR_NAMES = {
    style.BLUE: "blue",
    style.ORANGE: "orange",
    style.GREEN: "green",
    style.VERMILION: "red",
    style.PURPLE: "purple",
    style.SKY: "light blue",
    style.YELLOW: "yellow",
}

#: At most this many dashed Taylor contours (the levels of f nearest f at the point).
TAYLOR_LEVELS = 7


def patch(point: Sequence[float], half: float, size: int):
    """A square grid of ``size``² points around ``point`` (0.4 of the map's half-width)."""
    r = 0.4 * half
    xs = np.linspace(point[0] - r, point[0] + r, size)
    ys = np.linspace(point[1] - r, point[1] + r, size)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, X, Y


def map_legend() -> QLabel:
    label = QLabel(
        f"<span style='color:{style.INK}'>◯ the point</span> &nbsp; "
        f"<span style='color:{style.INK}'><b>→</b> ∇f (uphill, length not to scale)</span>"
        f" &nbsp; <span style='color:{style.BLUE}'><b>━</b> eigenvector, λ &gt; 0</span>"
        f" &nbsp; <span style='color:{style.VERMILION}'><b>╍</b> eigenvector, λ &lt; 0</span>"
        f" &nbsp; <span style='color:{TAYLOR_COLOR}'><b>╌</b> Taylor paraboloid</span>"
        f" &nbsp; <span style='color:{style.ORANGE}'>■ Newton walk</span>"
    )
    label.setWordWrap(True)
    label.setObjectName("map_legend")
    return label


class HessianMap(ContourMap):
    """Contours of f (or of its slice z = const) and the analysis at the point drawn on them."""

    def __init__(self, window: Window):
        super().__init__("Contours of f(x, y)", window=window, drag_points=True)
        self.setToolTip("Click or drag to move the point")
        vb = self.getViewBox()
        vb.setMouseEnabled(x=False, y=False)
        vb.setAspectLocked(True)  # eigenvectors are perpendicular: let them look it
        self.taylor_lines = self.add_lines(
            TAYLOR_COLOR, style.Look.pen + 0.5, Qt.PenStyle.DashLine
        )
        self.taylor_lines.setZValue(8)
        self.cross = EigenCross()
        self.addItem(self.cross, ignoreBounds=True)
        self.arrow = GradientArrow()
        self.addItem(self.arrow, ignoreBounds=True)
        self.walk = self.add_path("Newton walk", style.ORANGE, "s")
        self.critical_marks = pg.ScatterPlotItem(
            size=style.Look.marker + 4, pen=pg.mkPen("w", width=1.5)
        )
        self.critical_marks.setZValue(18)
        self.addItem(self.critical_marks, ignoreBounds=True)
        self.point_mark = pg.ScatterPlotItem(
            size=style.Look.marker + 8,
            symbol="o",
            brush=pg.mkBrush("w"),
            pen=pg.mkPen(style.INK, width=3),
        )
        self.point_mark.setZValue(40)
        self.addItem(self.point_mark, ignoreBounds=True)
        # which slice of f(x, y, z) the map shows, on the map itself (top left, fixed)
        self.slice_badge = pg.TextItem(
            anchor=(0, 0),
            color=style.INK,
            fill=pg.mkBrush(255, 255, 255, 225),
            border=pg.mkPen(style.GREY),
        )
        self.slice_badge.setParentItem(self.getViewBox())
        self.slice_badge.setPos(6, 6)
        self.slice_badge.setZValue(60)
        self.slice_badge.setVisible(False)
        self.getViewBox().sigResized.connect(lambda *_: self._fit_badge())

    def _fit_badge(self) -> None:
        """The slice label wraps to the map's width (a narrow map on a projector)."""
        width = self.getViewBox().width() - 12
        badge = self.slice_badge
        badge.textItem.setTextWidth(-1)  # (its natural width first)
        if width > 40 and badge.textItem.boundingRect().width() > width:
            badge.setTextWidth(width)
        else:
            badge.updateTextPos()

    def set_slice_label(self, text: str) -> None:
        """Say on the map which slice it shows ("" hides the label)."""
        if text:
            self.slice_badge.setFont(style.Look.axis_font())
            if self.slice_badge.toPlainText() != text:
                self.slice_badge.setText(text)
            self._fit_badge()
        self.slice_badge.setVisible(bool(text))

    @property
    def slice_label(self) -> str:
        """The slice label's text ("" when hidden)."""
        return self.slice_badge.toPlainText() if self.slice_badge.isVisible() else ""

    def set_title(self, n: int, z: float) -> None:
        self.getPlotItem().setTitle(
            lesson.map_title(n, z), size=f"{style.Look.font_pt + 1}pt", color=style.INK
        )

    def show_point(self, point: Sequence[float], plane: Analysis | None, half: float, n: int):
        """The point and, from ``plane`` (the analysis of the x, y function drawn), ∇f,
        the eigenvector cross and the Taylor rings."""
        p = np.asarray(point[:2], dtype=float)
        self.point_mark.setData([p[0]], [p[1]])
        self._show_gradient(p, plane, half)
        self._show_cross(p, plane, half, n)
        self._show_taylor(p, plane, half)

    def _show_gradient(self, p: np.ndarray, plane: Analysis | None, half: float) -> None:
        g = None if plane is None else np.asarray(plane.gradient, dtype=float)[:2]
        norm = 0.0 if g is None else float(np.hypot(*g))
        if g is None or not norm > 1e-12 * max(1.0, abs(float(plane.value))):
            self.arrow.setVisible(False)
            return
        self.arrow.set_arrow(p, p + 0.25 * half * g / norm, p + 0.33 * half * g / norm)

    def _show_cross(self, p: np.ndarray, plane: Analysis | None, half: float, n: int) -> None:
        if plane is None:
            self.cross.set_cross(p, [])
            return
        values, vectors = lesson.slides_order(plane)
        biggest = float(np.max(np.abs(values))) if len(values) else 0.0
        arms = []
        for i, (value, sign) in enumerate(zip(values[:2], lesson.signs(values), strict=False)):
            share = abs(value) / biggest if biggest > 0 else 1.0
            length = half * (0.08 + 0.3 * share)
            color, dash = SIGN_LOOK[sign]
            v = vectors[:2, i]
            label = lesson.eigen_label(i, value, n)
            arms.append(
                Arm((float(v[0]), float(v[1])), length, color, dash, label, length + 0.03 * half)
            )
        self.cross.set_cross(p, arms)

    def _show_taylor(self, p: np.ndarray, plane: Analysis | None, half: float) -> None:
        if plane is None:
            self.taylor_lines.setData([], [])
            return
        gradient = np.asarray(plane.gradient, dtype=float)
        hessian = np.asarray(plane.hessian, dtype=float)
        value = float(plane.value)
        xs, ys, X, Y = patch(p, half, 61)
        q = taylor_values(value, gradient, hessian, p, X, Y)
        lo, hi = float(np.min(q)), float(np.max(q))
        grid = self.grid
        # f's own contour levels, so dashed and white lines at the same height can be compared
        levels = [v for v in (grid.levels if grid is not None else ()) if lo < v < hi]
        levels = sorted(levels, key=lambda v: abs(v - value))[:TAYLOR_LEVELS]
        if len(levels) < 3 and hi > lo:
            levels = list(np.linspace(lo, hi, TAYLOR_LEVELS + 2)[1:-1])
        self.taylor_lines.setData(*contour_lines(xs, ys, q, levels))

    def show_critical(self, found: Sequence[Analysis]) -> None:
        spots = []
        for c in found:
            symbol, color = KIND_MARKS.get(c.kind, ("d", style.GREY))
            spots.append(
                {"pos": (c.point[0], c.point[1]), "symbol": symbol, "brush": pg.mkBrush(color)}
            )
        self.critical_marks.setData(spots)
