"""The cost surface J(w, b) of a one-input regression, with the path of descent."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from optgui.core.models import Model
from optgui.core.surfaces import cost_grid, least_squares
from optgui.gui import style
from optgui.gui.contour import contour_lines
from optgui.lessons.regression import surface_ranges


class CostSurfacePlot(pg.PlotWidget):
    """A heatmap of J over (w, b) with contour rings, the minimum (a star), the path of
    the run (dots while short, a line when long) and where it is now."""

    def __init__(self, parent=None):
        super().__init__(parent)
        style.style_plot(self, "Cost surface J(w, b) and the path", "w", "b")
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get(style.COLORMAP))
        self.rings = pg.PlotDataItem(pen=pg.mkPen("w", width=1))
        self.path = pg.PlotDataItem(
            pen=style.pen(style.VERMILION),
            symbol="o",
            symbolSize=5,
            symbolBrush=style.VERMILION,
            symbolPen=None,
        )
        self.head = pg.ScatterPlotItem(size=style.Look.marker + 6, brush=style.ORANGE)
        self.optimum = pg.ScatterPlotItem(size=style.Look.marker + 8, symbol="star", brush="w")
        for item in (self.image, self.rings, self.path, self.head, self.optimum):
            self.addItem(item)

    def set_surface(self, model: Model, X, y, params0, normalised: bool) -> None:
        """Draw J for new data (once per data set, not per step)."""
        self.rings.setData([], [])
        if model.n_params != 2 or not len(y):
            return
        best = least_squares(X, y)
        ranges = surface_ranges(best, np.asarray(params0), normalised)
        u, v, J = cost_grid(model, X, y, best, (0, 1), ranges, size=90)
        # √(J − min) grows like the distance from the minimum: evenly spaced rings.
        shown = np.sqrt(np.maximum(J - np.nanmin(J), 0)).astype(np.float32)
        levels = (float(np.nanmin(shown)), float(np.nanmax(shown)) or 1.0)
        self.image.setImage(shown, levels=levels)
        self.image.setRect(pg.QtCore.QRectF(u[0], v[0], u[-1] - u[0], v[-1] - v[0]))
        # contour rings drawn once per data set (contourpy), not recomputed per paint
        rings = contour_lines(u, v, shown, np.linspace(levels[0], levels[1], 10)[1:-1])
        self.rings.setData(*rings, connect="finite")
        self.optimum.setData([best[0]], [best[1]])
        self.getPlotItem().setRange(xRange=ranges[0], yRange=ranges[1], padding=0)

    def show_path(self, w: np.ndarray, b: np.ndarray, steps: int) -> None:
        """The run's first ``steps`` steps (dots mark single steps while there are few)."""
        self.path.setSymbol("o" if steps <= 150 else None)
        self.path.setData(w, b)

    def show_head(self, w: float, b: float) -> None:
        self.head.setData([w], [b])
