"""A filled contour map of a typed function of (x, y), with paths drawn on top.

The grid of values is computed once per (function, window, resolution) and
cached; nothing is evaluated per frame. Colours follow ``log(1 + (f − f_min)/s)``
so that steep walls (x⁴ at (4, 4) is 528) and the flat floor near the minimum
both show; the colour bar is labelled with values of f itself. Points outside
the function's domain (NaN) are transparent::

    cmap = ContourMap("f(x, y) and the paths", window=((-5, 5), (-5, 5)))
    cmap.set_function(parse_function("x^2 + 3*y^2", ("x", "y")))
    cmap.clicked.connect(lambda x, y: print(x, y))
    # ContourMap(..., drag_points=True): left drags emit dragged(x, y, finished)
    path = cmap.add_path("Newton", style.BLUE, "o")
    path.set_points([4, 0], [4, 0])
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from optgui.gui import style
from optgui.gui.style import INK, Look, connect_clicks, plot_point

if TYPE_CHECKING:
    from optgui.core.expr import Function

Window = tuple[tuple[float, float], tuple[float, float]]

#: Grid points per axis (the image has this many pixels per side).
RESOLUTION = 201
#: Number of isocurve levels drawn.
LEVELS = 14


@dataclass(frozen=True)
class ContourGrid:
    """f sampled on a grid, with the colour transform and isocurve lines.

    ``z[i, j] = f(xs[j], ys[i])`` (rows are y). ``shade`` is the float32 image
    (NaN outside the domain); ``levels`` are the isocurve values of f and
    ``lines`` their polylines joined with NaN gaps.
    """

    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    zmin: float
    zmax: float
    scale: float
    shade: np.ndarray
    levels: tuple[float, ...]
    lines: tuple[np.ndarray, np.ndarray]

    @property
    def valid(self) -> bool:
        return math.isfinite(self.zmin)

    @property
    def shade_max(self) -> float:
        return self.transform(self.zmax) if self.valid else 1.0

    def transform(self, value: float | np.ndarray) -> float | np.ndarray:
        """The colour coordinate of f values: ``log1p((f − f_min)/s)``."""
        return np.log1p(np.maximum(np.asarray(value, dtype=float) - self.zmin, 0) / self.scale)

    def inverse(self, t: float | np.ndarray) -> float | np.ndarray:
        return self.zmin + self.scale * np.expm1(t)


def contour_lines(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Isocurves of ``z`` (rows are y) at ``levels``, as x and y arrays with NaN gaps."""
    z = np.ma.masked_invalid(np.asarray(z, dtype=float))
    if z.mask.all() or not len(levels):
        return np.empty(0), np.empty(0)
    generator = contourpy.contour_generator(
        np.asarray(xs, float), np.asarray(ys, float), z, line_type="Separate"
    )
    parts: list[np.ndarray] = []
    gap = np.array([[np.nan, np.nan]])
    for level in levels:
        for line in generator.lines(float(level)):
            if len(line) > 1:
                parts.append(line)
                parts.append(gap)
    if not parts:
        return np.empty(0), np.empty(0)
    points = np.vstack(parts)
    return points[:, 0], points[:, 1]


def taylor_values(
    value: float, gradient: np.ndarray, hessian: np.ndarray, at: Sequence[float], X, Y
) -> np.ndarray:
    """The second-order Taylor polynomial of f at ``at`` on the grid (X, Y).

    f(a) + ∇f·d + ½ dᵀH d with d = (X, Y) − a: Newton's quadratic model, whose
    contours are drawn over the map.
    """
    dx, dy = np.asarray(X) - at[0], np.asarray(Y) - at[1]
    g, h = gradient, hessian
    return (
        value
        + g[0] * dx
        + g[1] * dy
        + 0.5 * (h[0, 0] * dx * dx + 2 * h[0, 1] * dx * dy + h[1, 1] * dy * dy)
    )


_cache: OrderedDict[tuple, ContourGrid] = OrderedDict()
_CACHE_SIZE = 24


def compute_grid(
    function: Function, window: Window, resolution: int = RESOLUTION, n_levels: int = LEVELS
) -> ContourGrid:
    """The (cached) grid of ``function`` over ``window``."""
    key = (function.text, function.variables, window, resolution, n_levels)
    grid = _cache.get(key)
    if grid is not None:
        _cache.move_to_end(key)
        return grid
    grid = _compute(function, window, resolution, n_levels)
    _cache[key] = grid
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return grid


def _compute(function: Function, window: Window, resolution: int, n_levels: int) -> ContourGrid:
    (x0, x1), (y0, y1) = window
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        z = np.asarray(function.value([X, Y]), dtype=float)
    z = np.where(np.isfinite(z), z, np.nan)
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        empty = np.full(z.shape, np.nan, dtype=np.float32)
        return ContourGrid(xs, ys, z, math.nan, math.nan, 1.0, empty, (), (np.empty(0),) * 2)
    zmin, zmax = float(finite.min()), float(finite.max())
    spread = zmax - zmin
    scale = float(np.quantile(finite - zmin, 0.5)) / 10
    if not scale > 0:
        scale = spread / 10 if spread > 0 else 1.0
    scale = max(scale, spread * 1e-9, 1e-300)
    shade = np.log1p(np.maximum(z - zmin, 0) / scale).astype(np.float32)
    tmax = float(np.log1p(spread / scale))
    if tmax > 0:
        ts = np.linspace(0, tmax, n_levels + 2)[1:-1]
        levels = tuple(float(zmin + scale * np.expm1(t)) for t in ts)
    else:
        levels = ()
    lines = contour_lines(xs, ys, z, levels)
    return ContourGrid(xs, ys, z, zmin, zmax, scale, shade, levels, lines)


def _round_sig(value: float, digits: int = 2) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def colorbar_ticks(grid: ContourGrid, count: int = 7) -> list[tuple[float, str]]:
    """Ticks for the colour bar: round values of f at their colour positions."""
    if not grid.valid:
        return []
    tmax = grid.shade_max
    if tmax <= 0:
        return [(0.0, style_number(grid.zmin))]
    ticks = [(0.0, style_number(_round_sig(grid.zmin, 3)))]
    for t in np.linspace(0, tmax, count)[1:]:
        value = _round_sig(float(grid.inverse(t)), 2)
        pos = float(grid.transform(value))
        if pos - ticks[-1][0] >= tmax / (2 * count) and pos <= tmax * 1.0001:
            ticks.append((pos, style_number(value)))
    return ticks


def style_number(value: float) -> str:
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.4g}".replace("-", "−")
    return f"{value:.1e}".replace("-", "−")


def _segments(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """A path's distinct segments, each with its ends in order (as raw bytes: np.unique
    sorts those far faster than rows of numbers)."""
    z = xs + 1j * ys
    a, b = z[:-1], z[1:]
    first = (a.real < b.real) | ((a.real == b.real) & (a.imag <= b.imag))
    pairs = np.ascontiguousarray(np.column_stack([np.where(first, a, b), np.where(first, b, a)]))
    return np.unique(pairs.view(np.dtype((np.void, 32))).ravel())


class ArrowPath:
    """An iterates path on a :class:`ContourMap`: markers, a line, an arrowhead mid-step.

    Arrowheads have a fixed size on screen and are drawn on at most
    ``max_arrows`` steps (the first ones), skipping steps too short to see.
    """

    def __init__(
        self,
        plot: ContourMap,
        name: str,
        color: str,
        symbol: str,
        *,
        max_arrows: int = 40,
        min_pixels: float = 16.0,
    ):
        self.plot = plot
        self.color = color
        self.max_arrows = max_arrows
        self.min_pixels = min_pixels
        self.curve = pg.PlotDataItem(
            [],
            [],
            pen=style.pen(color, Look.pen + 1),
            symbol=symbol,
            symbolSize=Look.marker,
            symbolBrush=color,
            symbolPen=pg.mkPen("w", width=1.5),
            name=name,
        )
        self.curve.setZValue(20)
        plot.addItem(self.curve)
        self._arrows: list[pg.ArrowItem] = []
        self._used = 0
        self._xs = np.empty(0)
        self._ys = np.empty(0)
        self._points = self._segments = None  # what the line and markers show

    def set_points(self, xs: Sequence[float], ys: Sequence[float]) -> None:
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        if np.array_equal(xs, self._xs, equal_nan=True) and np.array_equal(
            ys, self._ys, equal_nan=True
        ):
            return  # (a method that has finished: its path stays as it is)
        self._xs, self._ys = xs, ys
        # A path going round a cycle looks the same at every step: same points, same
        # segments. (The segments are compared only where the points are the same.)
        points = np.unique(xs + 1j * ys)
        same = np.array_equal(points, self._points, equal_nan=True)
        segments = _segments(xs, ys) if same and len(xs) > 1 else None
        if not same or segments is None or not np.array_equal(segments, self._segments):
            self._points, self._segments = points, segments
            self.curve.setData(xs, ys)
        self.relayout()

    def clear(self) -> None:
        self.set_points([], [])

    def set_visible(self, visible: bool) -> None:
        self.curve.setVisible(visible)
        for arrow in self._arrows[: self._used]:
            arrow.setVisible(visible)

    def relayout(self) -> None:
        """Place the arrowheads for the current view (vectorised; at most ``max_arrows``).

        An arrowhead already where one is wanted stays as it is: a path that goes round a
        cycle moves none, and a repaint is the smaller."""
        heads: dict[tuple[float, float, float], None] = {}  # (x, y, angle), in order
        if len(self._xs) > 1 and self.curve.isVisible():
            # data → scene is an affine map: apply it to all points at once
            t = self.plot.getViewBox().childGroup.sceneTransform()
            xs, ys = self._xs, self._ys
            sx = t.m11() * xs + t.m21() * ys + t.m31()
            sy = t.m12() * xs + t.m22() * ys + t.m32()
            dx, dy = np.diff(sx), np.diff(sy)
            with np.errstate(invalid="ignore"):
                long_enough = np.hypot(dx, dy) >= self.min_pixels
            for i in np.flatnonzero(long_enough)[: self.max_arrows]:
                angle = round(180 + math.degrees(math.atan2(dy[i], dx[i])), 1)
                # (one arrowhead on another, as on a path that goes back and forth, once)
                heads[(xs[i] + xs[i + 1]) / 2, (ys[i] + ys[i + 1]) / 2, angle] = None
        shown = self._arrows[: self._used]
        free = [a for a in shown if self._head(a) not in heads]
        for arrow in shown:
            heads.pop(self._head(arrow), None)
        kept = len(shown) - len(free)
        spare = free + self._arrows[self._used :]  # (those not shown: moved, then shown)
        for x, y, angle in heads:
            arrow = spare.pop(0) if spare else self._arrow(len(self._arrows))
            if arrow.opts["angle"] != angle:
                arrow.setStyle(angle=angle)
            arrow.setPos(x, y)
            arrow.setVisible(True)
            kept += 1
        for arrow in spare:
            if arrow.isVisible():
                arrow.setVisible(False)
        # the arrowheads shown first (set_visible shows or hides those)
        self._arrows.sort(key=lambda a: not a.isVisible())
        self._used = kept

    @staticmethod
    def _head(arrow: pg.ArrowItem) -> tuple[float, float, float]:
        return arrow.pos().x(), arrow.pos().y(), arrow.opts["angle"]

    def _arrow(self, i: int) -> pg.ArrowItem:
        while len(self._arrows) <= i:
            arrow = pg.ArrowItem(
                headLen=16 + 2 * (Look.pen - 2),
                tipAngle=32,
                tailLen=0,
                brush=self.color,
                pen=pg.mkPen("w", width=1),
            )
            arrow.setZValue(21)
            self.plot.addItem(arrow, ignoreBounds=True)
            self._arrows.append(arrow)
        return self._arrows[i]


class _MapViewBox(pg.ViewBox):
    """The map's view box; with ``on_drag`` set, a left drag reports points instead of panning."""

    def __init__(self):
        super().__init__()
        self.on_drag: Callable[[float, float, bool], None] | None = None

    def mouseDragEvent(self, event, axis=None) -> None:  # noqa: N802 - pyqtgraph API
        if self.on_drag is None:
            super().mouseDragEvent(event, axis)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        event.accept()
        point = self.mapSceneToView(event.scenePos())
        self.on_drag(float(point.x()), float(point.y()), bool(event.isFinish()))


class ContourMap(pg.PlotWidget):
    """Filled contours of f(x, y) with a colour bar, isocurves and click-to-choose.

    Signals:
        clicked(float, float): the user clicked the map at (x, y), in data units.
        dragged(float, float, bool): with ``drag_points=True``, the mouse is dragged
            with the left button at (x, y); the flag is True for the release.
    """

    clicked = Signal(float, float)
    dragged = Signal(float, float, bool)

    def __init__(
        self,
        title: str = "Contour map of f(x, y)",
        *,
        window: Window = ((-5.0, 5.0), (-5.0, 5.0)),
        resolution: int = RESOLUTION,
        xlabel: str = "x",
        ylabel: str = "y",
        bar_label: str = "f(x, y)",
        drag_points: bool = False,
        parent=None,
    ):
        super().__init__(parent, viewBox=_MapViewBox())
        style.style_plot(self, title, xlabel, ylabel)
        self.setObjectName("contour_map")
        self.setMinimumSize(320, 260)
        self.setToolTip("Click the map to start from that point")
        self.resolution = resolution
        self._window: Window = window
        self._function: Function | None = None
        self._grid: ContourGrid | None = None
        item = self.getPlotItem()
        item.showGrid(x=False, y=False)
        self.getViewBox().setDefaultPadding(0)
        self.getViewBox().setAspectLocked(True)  # the gradient meets the contours at right angles

        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.addItem(self.image)
        self.colormap = pg.colormap.get(style.COLORMAP)
        self.image.setColorMap(self.colormap)
        self.bar = pg.ColorBarItem(
            values=(0, 1),
            colorMap=self.colormap,
            interactive=False,
            width=18,
            colorMapMenu=False,
        )
        self.bar.setImageItem(self.image, insert_in=item)
        self.bar.axis.setTickFont(Look.axis_font())
        self.bar.axis.setLabel(bar_label, **{"font-size": f"{Look.font_pt}pt", "color": INK})
        self.bar.axis.setWidth(58)
        style.cache_still(self.bar)  # (changes only with the function: see _draw)
        self.isolines = pg.PlotCurveItem(
            pen=pg.mkPen(QColor(255, 255, 255, 150), width=1.2), connect="finite"
        )
        self.isolines.setZValue(-5)
        self.addItem(self.isolines)
        # The map and its rings stay still while a run streams: cache them as pixels
        # so each frame blits them instead of redrawing thousands of segments.
        for item in (self.image, self.isolines):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.message = pg.TextItem("", color=INK, anchor=(0.5, 0.5))
        self.addItem(self.message, ignoreBounds=True)
        self.paths: list[ArrowPath] = []

        if drag_points:
            self.getViewBox().on_drag = self.dragged.emit
        connect_clicks(self, self.clicked.emit)
        self.getViewBox().sigTransformChanged.connect(self._relayout)
        self.getViewBox().sigResized.connect(self._relayout)
        self._set_range()

    # -- function and window ----------------------------------------------------
    @property
    def window(self) -> Window:
        return self._window

    @property
    def grid(self) -> ContourGrid | None:
        return self._grid

    @property
    def function(self) -> Function | None:
        return self._function

    def set_function(self, function: Function, window: Window | None = None) -> None:
        """Draw ``function`` (over ``window`` if given); the grid is computed once and cached."""
        if window is not None:
            window = tuple(tuple(float(v) for v in pair) for pair in window)  # type: ignore[assignment]
        changed_window = window is not None and window != self._window
        if window is not None:
            self._window = window
        if function is self._function and not changed_window:
            return
        self._function = function
        self._grid = compute_grid(function, self._window, self.resolution)
        self._draw()
        if changed_window:
            self._set_range()

    def set_window(self, window: Window) -> None:
        if self._function is not None:
            self.set_function(self._function, window)
        else:
            self._window = window
            self._set_range()

    def _set_range(self) -> None:
        (x0, x1), (y0, y1) = self._window
        self.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.message.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def _draw(self) -> None:
        grid = self._grid
        assert grid is not None
        xs, ys = grid.xs, grid.ys
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        top = grid.shade_max if grid.valid and grid.shade_max > 0 else 1.0
        self.image.setImage(grid.shade, levels=(0.0, top), autoLevels=False)
        self.image.setRect(
            QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        )
        self.bar.setLevels((0.0, top))
        ticks = colorbar_ticks(grid)
        self.bar.axis.setTicks([ticks] if ticks else None)
        self.isolines.setData(*grid.lines)
        self.message.setText("" if grid.valid else "f is not defined anywhere in this window")

    # -- overlays -------------------------------------------------------------------
    def add_path(self, name: str, color: str, symbol: str, **kwargs) -> ArrowPath:
        """A path of iterates drawn with markers and arrowheads, above the contours."""
        path = ArrowPath(self, name, color, symbol, **kwargs)
        self.paths.append(path)
        return path

    def add_lines(self, color: str, width: float = 2.0, style_=None) -> pg.PlotCurveItem:
        """A curve item for extra contour lines (NaN gaps separate the pieces)."""
        pen = style.pen(color, width, style_)
        item = pg.PlotCurveItem(pen=pen, connect="finite")
        item.setZValue(10)
        self.addItem(item, ignoreBounds=True)
        return item

    def _relayout(self, *args) -> None:
        for path in self.paths:
            path.relayout()

    # -- clicks ---------------------------------------------------------------------
    def click_at(self, x: float, y: float) -> None:
        """Act as if the map was clicked at (x, y) (for scripts)."""
        self.clicked.emit(float(x), float(y))

    def widget_point(self, x: float, y: float) -> QPoint:
        """Where (x, y) is on the viewport, for ``qtbot.mouseClick(map.viewport(), …)``."""
        return plot_point(self, x, y)
