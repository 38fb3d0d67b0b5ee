"""The data plane of the 2-2-1 network: the points over the network's probability map.

The map ŷ = P(class 1) is drawn from values the tab computes with the core
model on :attr:`PlaneView.grid`; the dashed line is the boundary ŷ = 0.5.
Clicking the plane reports the point clicked (``clicked(x, y)``).
"""

from __future__ import annotations

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QWidget

from optgui.gui import style


def legend_html(class_names: tuple[str, ...] | None) -> str:
    """The classes' marks and the boundary, for the line under the plane."""
    names = class_names or ("0", "1")
    marks = []
    for c in (0, 1):
        extra = f" ({names[c]})" if names[c] != str(c) else ""
        symbol = "✕" if style.CLASS_SYMBOLS[c] == "x" else "●"
        marks.append(
            f"<span style='color:{style.CLASS_COLORS[c]}; font-size:x-large'>"
            f"{symbol}</span> class {c}{extra}"
        )
    return f"{marks[0]} &nbsp; {marks[1]} &nbsp; <b>– – –</b> boundary ŷ = 0.5"


class PlaneView(pg.PlotWidget):
    """The data over the network's probability map, with the 0.5 contour."""

    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("plane")
        style.style_plot(self, "Data and ŷ = P(class 1)", "x₁", "x₂")
        self.updates = 0  # heatmap updates (the benchmark counts them)
        cmap = pg.colormap.get(style.COLORMAP, source="matplotlib")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(cmap)
        self.image.setLevels((0.0, 1.0))
        self.image.setZValue(-10)
        self.addItem(self.image)
        item = self.getPlotItem()
        self.bar = pg.ColorBarItem(
            values=(0, 1), colorMap=cmap, interactive=False, width=14, colorMapMenu=False
        )
        self.bar.setImageItem(self.image, insert_in=item)
        self.bar.axis.setWidth(58)
        self.bar.axis.setTickFont(style.Look.axis_font())
        self.bar.axis.setTicks(
            [[(0.0, "0"), (0.25, ".25"), (0.5, "0.5"), (0.75, ".75"), (1.0, "1")]]
        )
        self.halo = pg.PlotCurveItem(pen=pg.mkPen("w", width=style.Look.pen + 4), connect="finite")
        self.contour = pg.PlotCurveItem(
            pen=pg.mkPen(style.INK, width=style.Look.pen + 1, style=Qt.PenStyle.DashLine),
            connect="finite",
        )
        self.addItem(self.halo)
        self.addItem(self.contour)
        self.points = []
        for c in (0, 1):
            scatter = pg.ScatterPlotItem(
                size=style.Look.marker + 2,
                symbol=style.CLASS_SYMBOLS[c],
                brush=style.CLASS_COLORS[c],
                pen=pg.mkPen("w", width=1.2),
            )
            self.addItem(scatter)
            self.points.append(scatter)
        self.chosen = pg.ScatterPlotItem(
            size=style.Look.marker + 16, symbol="o", brush=None, pen=pg.mkPen(style.INK, width=3)
        )
        self.chosen_inner = pg.ScatterPlotItem(
            size=style.Look.marker + 11, symbol="o", brush=None, pen=pg.mkPen("w", width=2)
        )
        self.addItem(self.chosen)
        self.addItem(self.chosen_inner)
        vb = item.getViewBox()
        vb.setMouseEnabled(False, False)
        vb.setMenuEnabled(False)
        item.hideButtons()
        self.scene().sigMouseClicked.connect(self._scene_clicked)
        self._xs = self._ys = np.zeros(0)
        self._gx = self._gy = np.zeros((0, 0))
        self._rect: QRectF | None = None
        #: The points the map is computed on (rows of x1, x2) and its shape (rows = x2).
        self.grid = np.zeros((0, 2))
        self.grid_shape = (0, 0)
        self._grid_key: tuple | None = None
        self.setToolTip(
            "Click a point to see its chain rule (or choose 'add a point' on the left)"
        )

    def set_grid(self, lo: np.ndarray, hi: np.ndarray, n: int) -> None:
        """Compute the map on n × n points from ``lo`` to ``hi`` (nothing if unchanged)."""
        key = (tuple(map(float, lo)), tuple(map(float, hi)), n)
        if key == self._grid_key:
            return
        self._grid_key = key
        self.set_extent(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
        self.grid = np.column_stack([self._gx.ravel(), self._gy.ravel()])
        self.grid_shape = (n, n)

    def set_extent(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The grid the map is computed on (cell centres)."""
        self._xs, self._ys = xs, ys
        self._gx, self._gy = np.meshgrid(xs, ys)  # once per data set, not per frame
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self._rect = QRectF(
            xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy
        )
        self.getPlotItem().setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0)

    def set_points(self, X: np.ndarray, y: np.ndarray) -> None:
        for c, scatter in enumerate(self.points):
            mask = (y >= 0.5) if c == 1 else (y < 0.5)
            scatter.setData(X[mask, 0], X[mask, 1])

    def set_map(self, p: np.ndarray | None) -> None:
        """ŷ on the grid (rows = x2, columns = x1), or None to clear."""
        if p is None:
            self.image.clear()
            self.halo.setData([], [])
            self.contour.setData([], [])
            return
        self.image.setImage(p, autoLevels=False, levels=(0.0, 1.0))
        if self._rect is not None:  # an ImageItem takes its rectangle once it has an image
            self.image.setRect(self._rect)
            self._rect = None
        lines = contourpy.contour_generator(
            self._gx, self._gy, p, line_type=contourpy.LineType.ChunkCombinedNan
        ).lines(0.5)
        chunk = lines[0][0] if lines and lines[0] and lines[0][0] is not None else None
        if chunk is None:
            self.halo.setData([], [])
            self.contour.setData([], [])
        else:
            self.halo.setData(chunk[:, 0], chunk[:, 1])
            self.contour.setData(chunk[:, 0], chunk[:, 1])
        self.updates += 1

    def set_selected(self, point: np.ndarray | None) -> None:
        if point is None:
            self.chosen.setData([], [])
            self.chosen_inner.setData([], [])
        else:
            self.chosen.setData([point[0]], [point[1]])
            self.chosen_inner.setData([point[0]], [point[1]])

    def pixel_size(self) -> tuple[float, float]:
        """Data units per screen pixel (x, y)."""
        w, h = self.getPlotItem().getViewBox().viewPixelSize()
        return float(w), float(h)

    def widget_pos(self, x: float, y: float) -> QPoint:
        """Widget coordinates of the data point (x, y) (for tests and tours)."""
        vb = self.getPlotItem().getViewBox()
        return self.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    def _scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.getPlotItem().getViewBox()
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        self.clicked.emit(float(p.x()), float(p.y()))
