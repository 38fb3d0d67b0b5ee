"""The cost of a regression with the path of descent: J(w, b) for one input; for two
inputs a slice, J(w1, w2) at the current b, since three parameters cannot be drawn."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from optgui.core.models import Model
from optgui.core.surfaces import cost_grid, least_squares
from optgui.gui import style
from optgui.gui.contour import contour_lines
from optgui.lessons.regression import CostSlice, surface_ranges

TITLE = "Cost surface J(w, b) and the path"
#: The slice is drawn again when its bottom moves by more than this share of the window.
SLICE_MOVE = 0.002


class CostSurfacePlot(pg.PlotWidget):
    """A heatmap of J with contour rings, the minimum (a star), the path of the run
    (dots while short, a line when long) and where it is now. One input: J over (w, b).
    Two inputs: J over (w1, w2) at the current b, titled as a slice, the path projected
    onto it; its star is the least-squares (w1, w2)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("cost_surface")
        style.style_plot(self, TITLE, "w", "b")
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
        for z, item in enumerate((self.image, self.rings, self.path, self.head, self.optimum)):
            item.setZValue(z)  # (a pinned run's path goes between the rings and this one's)
            self.addItem(item)
        self.slice: CostSlice | None = None
        self._slice_at: float | None = None  # the b the slice is drawn at
        self._slice_centre: np.ndarray | None = None

    @property
    def title(self) -> str:
        return self.getPlotItem().titleLabel.text

    def set_surface(self, model: Model, X, y, params0, normalised: bool) -> None:
        """Draw J(w, b) for new one-input data (once per data set, not per step)."""
        self.slice = self._slice_at = None
        self.rings.setData([], [])
        style.style_plot(self, TITLE, "w", "b")
        if model.n_params != 2 or not len(y):
            return
        best = least_squares(X, y)
        ranges = surface_ranges(best, np.asarray(params0), normalised)
        u, v, J = cost_grid(model, X, y, best, (0, 1), ranges, size=90)
        self._draw(u, v, J)
        self.optimum.setData([best[0]], [best[1]])
        self.getPlotItem().setRange(xRange=ranges[0], yRange=ranges[1], padding=0)

    def set_slice(self, cost_slice: CostSlice, params0) -> None:
        """Two inputs: J(w1, w2) at the starting b (new data; then :meth:`show_params`)."""
        self.slice, self._slice_at = cost_slice, None
        b0 = float(np.asarray(params0, dtype=float)[-1])
        style.style_plot(self, cost_slice.title(b0), "w₁", "w₂")
        self.optimum.setData([cost_slice.best[0]], [cost_slice.best[1]])
        self._draw_slice(b0)
        ranges = cost_slice.ranges
        self.getPlotItem().setRange(xRange=ranges[0], yRange=ranges[1], padding=0)

    def _draw(self, u: np.ndarray, v: np.ndarray, J: np.ndarray) -> None:
        # √(J − min) grows like the distance from the minimum: evenly spaced rings.
        shown = np.sqrt(np.maximum(J - np.nanmin(J), 0)).astype(np.float32)
        levels = (float(np.nanmin(shown)), float(np.nanmax(shown)) or 1.0)
        self.image.setImage(shown, levels=levels)
        self.image.setRect(pg.QtCore.QRectF(u[0], v[0], u[-1] - u[0], v[-1] - v[0]))
        # contour rings drawn once per picture (contourpy), not recomputed per paint
        rings = contour_lines(u, v, shown, np.linspace(levels[0], levels[1], 10)[1:-1])
        self.rings.setData(*rings, connect="finite")

    def _draw_slice(self, b: float) -> None:
        """The slice at ``b``, drawn again only where the picture would change: its bottom
        moves with b unless the inputs are centred (normalised data)."""
        assert self.slice is not None
        if self.title != self.slice.title(b):
            size = f"{style.Look.font_pt + 1}pt"
            self.getPlotItem().setTitle(self.slice.title(b), size=size, color=style.INK)
        centre = self.slice.centre(b)
        if self._slice_centre is not None and self._slice_at is not None:
            (u0, u1), (v0, v1) = self.slice.ranges
            moved = np.abs(centre - self._slice_centre) / [u1 - u0, v1 - v0]
            if np.all(moved <= SLICE_MOVE):
                return
        self._slice_at, self._slice_centre = b, centre
        self._draw(*self.slice.grid(b))

    def show_path(self, u: np.ndarray, v: np.ndarray, steps: int) -> None:
        """The run's first ``steps`` steps (dots mark single steps while there are few):
        (w, b), or for two inputs (w1, w2) projected onto the slice."""
        self.path.setSymbol("o" if steps <= 150 else None)
        self.path.setData(u, v)

    def show_head(self, w: float, b: float) -> None:
        self.head.setData([w], [b])

    def show_params(self, params) -> None:
        """Where the run is now: (w, b), or (w1, w2) on the slice at its b."""
        params = np.asarray(params, dtype=float)
        if self.slice is not None and len(params) == 3:
            self._draw_slice(float(params[2]))
            self.head.setData([params[0]], [params[1]])
        else:
            self.show_head(params[0], params[1])
