"""The classification plane: the examples, the line σ(z) = 0.5 and P(class 1) as a heatmap."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from optgui.core.datasets import Dataset
from optgui.core.models import Perceptron
from optgui.core.surfaces import line_in_box
from optgui.gui import style
from optgui.gui.legends import legend_below
from optgui.lessons.classification import class_labels

TITLE = "Examples and the line σ(z) = 0.5"


def plane_grid(X: np.ndarray, n: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower corner, upper corner, n² grid points) around the examples, with a margin."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum((hi - lo) * 0.15, 0.5)
    lo, hi = lo - pad, hi + pad
    GX, GY = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return lo, hi, np.column_stack([GX.ravel(), GY.ravel()])


class ClassificationPlane(pg.PlotWidget):
    """Both classes by colour and marker, the chosen example ringed, the dividing line and
    the model's P(class 1) behind them. Clicking a point is reported by the point items'
    ``sigClicked`` (their points' ``data`` is the example's index)."""

    def __init__(self, grid_size: int = 100, parent=None):
        super().__init__(parent)
        style.style_plot(self, TITLE, "x1", "x2")
        self.getViewBox().setAspectLocked(
            True
        )  # w stands at right angles on the line: let it look so
        self.n = grid_size
        self.heat = pg.ImageItem()
        self.heat.setColorMap(pg.colormap.get(style.COLORMAP))
        self.heat.setOpacity(0.55)
        self.addItem(self.heat)
        self.boundary = pg.PlotDataItem(pen=style.pen(style.INK, style.Look.pen + 1))
        self.addItem(self.boundary)
        self.class_points = []
        for c in (0, 1):
            item = pg.ScatterPlotItem(
                size=style.Look.marker + 6,
                symbol=style.CLASS_SYMBOLS[c],
                brush=style.CLASS_COLORS[c],
                pen=pg.mkPen(style.INK if c else style.CLASS_COLORS[c], width=1.5),
                name=f"class {c}",
            )
            self.addItem(item)
            self.class_points.append(item)
        self.chosen = pg.ScatterPlotItem(
            size=style.Look.marker + 16, brush=None, pen=style.pen(style.ORANGE, 3)
        )
        self.addItem(self.chosen)
        self.heat_bar = pg.ColorBarItem(
            values=(0, 1), colorMap=self.heat.getColorMap(), label="P(class 1)", interactive=False
        )
        self.heat_bar.setImageItem(self.heat, insert_in=self.getPlotItem())
        self.legend = legend_below(self)  # (inside, it covered points)
        self.data: Dataset | None = None
        self.lo, self.hi, self.grid = np.zeros(2), np.ones(2), np.zeros((0, 2))
        self._placed = False
        self._chosen = -1

    def set_data(self, data: Dataset) -> None:
        """New examples: axes, legend, points and the heatmap's grid (not per step)."""
        self.data = data
        self.lo, self.hi, self.grid = plane_grid(data.X, self.n)
        names = data.feature_names
        style.style_plot(self, TITLE, names[0], names[1])
        self.legend.clear()
        for item, label in zip(self.class_points, class_labels(data), strict=True):
            self.legend.addItem(item, label)
        for c in (0, 1):
            mask = data.y == c
            self.class_points[c].setData(
                data.X[mask, 0], data.X[mask, 1], data=np.flatnonzero(mask)
            )
        self._placed = False
        self._chosen = -1

    def show_model(self, model: Perceptron, params: np.ndarray) -> None:
        """P(class 1) over the plane and the line where it is 0.5."""
        n = self.n
        prob = model.forward(params, self.grid).yhat.reshape(n, n).astype(np.float32)
        self.heat.setImage(prob, levels=(0.0, 1.0))
        if not self._placed:  # placed once per grid (moving it re-ranges and repaints)
            self._placed = True
            (x0, y0), (x1, y1) = self.lo, self.hi
            self.heat.setRect(pg.QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
        segment = line_in_box(params[:2], params[2], self.lo, self.hi)
        self.boundary.setData(*(segment if segment is not None else ([], [])))

    def choose(self, i: int) -> None:
        """Ring example ``i`` (only when it changes)."""
        if self.data is not None and i != self._chosen:
            self._chosen = i
            self.chosen.setData([self.data.X[i, 0]], [self.data.X[i, 1]])
