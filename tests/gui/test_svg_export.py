"""SVG export draws every plot as the PNG does: data where the axes say it is.

Each plot gets probes in colours no plot uses: its axes' ticks in magenta, their
labels in blue, and a green mark at a known data point (on the Regression cost
surface: the least-squares star itself; on the Newton 2-D map: the path's end).
The exported SVG is rendered with QtSvg at the widget's size, the PNG exported at
the same width, and in both the green mark is read off the magenta ticks, as a
student reads a point off the axes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from optgui.gui import export
from tests.gui.helpers import open_tab, step_to

MAGENTA, GREEN, BLUE = (255, 0, 255), (0, 255, 0), (0, 0, 255)  # in no plot
TITLES = (
    "Regression",
    "Classification",
    "2-2-1 Network",
    "Newton 1-D",
    "Newton 2-D",
    "Hessian Explorer",
)
#: How far (pixels) a point may be read from where it belongs (antialiasing, rounding).
PIXELS = 1.5


def pixels(image: QImage) -> np.ndarray:
    """The image as an (height, width, 3) array of RGB."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).copy()


def weight(rgb: np.ndarray, color: str) -> np.ndarray:
    """How much of each pixel is the probe ``color`` (1 pure, 0.5 half-covered, 0 none)."""
    r, g, b = (rgb[..., i].astype(float) for i in range(3))
    amount = {
        "magenta": np.minimum(r, b) - g,
        "green": g - np.maximum(r, b),
        "blue": b - np.maximum(r, g),
    }[color]
    amount = np.clip(amount / 255, 0, 1)
    return np.where(amount > 0.3, amount, 0)


def rendered_svg(path: Path, width: int, height: int) -> np.ndarray:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return pixels(image)


def runs(weights: np.ndarray, least: float) -> list[float]:
    """Weighted centres of the runs of entries of at least ``least``."""
    centres, start = [], None
    for i, on in enumerate([*(weights >= least), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            w = weights[start:i]
            centres.append(float(np.dot(np.arange(start, i), w) / w.sum()))
            start = None
    return centres


class Probe:
    """Probes on one plot, and where they are in widget pixels by the plot's own mapping."""

    def __init__(self, plot: pg.PlotWidget, at: tuple[float, float] | None, mark=None):
        self.plot = plot
        self.item = plot.getPlotItem()
        self.vb = self.item.getViewBox()
        self.vb.disableAutoRange()  # (the probes must not move the view)
        (x0, x1), (y0, y1) = self.vb.viewRange()
        self.at = at or (x0 + 0.37 * (x1 - x0), y0 + 0.61 * (y1 - y0))
        if mark is None:
            mark = pg.ScatterPlotItem([self.at[0]], [self.at[1]], symbol="s", size=9)
            self.item.addItem(mark, ignoreBounds=True)
        mark.setPen(None)
        mark.setBrush(pg.mkBrush(GREEN))
        mark.setZValue(10_000)
        self.ticks: dict[str, list[float]] = {}
        for name, (lo, hi) in (("bottom", (x0, x1)), ("left", (y0, y1))):
            axis = self.item.getAxis(name)
            if not axis.isVisible():
                continue
            margin = 0.04 * (hi - lo)
            values = [
                v
                for _, level in axis.tickValues(lo, hi, axis.width() or axis.height())[:1]
                for v in level
                if lo + margin < v < hi - margin
            ]
            axis.setTicks([[(v, f"{v:g}") for v in values]])
            axis.setTickPen(pg.mkPen(MAGENTA, width=1))
            axis.setTextPen(pg.mkPen(BLUE))
            axis.setStyle(tickAlpha=255, tickLength=8)  # outwards, over white
            self.ticks[name] = values
        pg.QtWidgets.QApplication.processEvents()

    def widget_xy(self, x: float, y: float) -> tuple[float, float]:
        point = self.plot.viewportTransform().map(self.vb.mapViewToScene(QPointF(x, y)))
        return point.x(), point.y()

    def axis_rect(self, name: str) -> tuple[slice, slice]:
        """Rows and columns of the axis: its ticks along the plot's side, then its texts."""
        axis = self.item.getAxis(name)
        rect = self.plot.mapFromScene(axis.mapRectToScene(axis.rect())).boundingRect()
        return slice(rect.top(), rect.bottom() + 1), slice(rect.left(), rect.right() + 1)

    def axis_band(self, name: str) -> tuple[slice, slice]:
        """Rows and columns where the axis draws its ticks."""
        rows, cols = self.axis_rect(name)
        if name == "bottom":
            return slice(rows.start, rows.start + 8), cols
        return rows, slice(cols.stop - 8, cols.stop)


def read(probe: Probe, rgb: np.ndarray) -> dict:
    """What the picture shows: tick positions, the mark, the height of the axis texts."""
    found = {}
    green = weight(rgb, "green")
    assert green.sum(), f"{export.plot_title(probe.plot)}: the mark is not in the picture"
    rows, cols = np.indices(green.shape)
    found["mark"] = ((cols * green).sum() / green.sum(), (rows * green).sum() / green.sum())
    for name in probe.ticks:
        rows, cols = probe.axis_band(name)
        band = weight(rgb[rows, cols], "magenta")
        if name == "bottom":  # a tick is a short line across its axis
            found[name] = [cols.start + c for c in runs(band.sum(axis=0), 2)]
        else:
            found[name] = [rows.start + r for r in runs(band.sum(axis=1), 2)]
        rows, cols = probe.axis_rect(name)
        text = np.argwhere(weight(rgb[rows, cols], "blue") > 0)
        found[f"{name}_text"] = np.ptp(text[:, 0 if name == "bottom" else 1]) if len(text) else 0
    return found


def read_value(ticks: list[float], values: list[float], pixel: float) -> float:
    """The value at ``pixel`` by the ticks (a straight line through them)."""
    slope, offset = np.polyfit(values, ticks, 1)
    return (pixel - offset) / slope


def check(probe: Probe, found: dict, what: str) -> None:
    title = f"{export.plot_title(probe.plot)} ({what})"
    want = probe.widget_xy(*probe.at)
    assert np.hypot(found["mark"][0] - want[0], found["mark"][1] - want[1]) < PIXELS, title
    for name, values in probe.ticks.items():
        assert len(values) >= 2, f"{title}: too few ticks to read the {name} axis"
        centres = found[name]
        assert len(centres) == len(values), f"{title}: {name} ticks {centres} for {values}"
        for v, c in zip(values, centres[:: 1 if name == "bottom" else -1], strict=True):
            expected = probe.widget_xy(v, 0)[0] if name == "bottom" else probe.widget_xy(0, v)[1]
            assert abs(c - expected) < PIXELS, f"{title}: {name} tick {v:g} at {c}, not {expected}"
        # the mark read off this axis, as a student would read it
        index = 0 if name == "bottom" else 1
        ordered = centres if name == "bottom" else centres[::-1]
        value = read_value(ordered, values, found["mark"][index])
        per_pixel = abs(values[-1] - values[0]) / abs(ordered[-1] - ordered[0])
        assert abs(value - probe.at[index]) < PIXELS * per_pixel, (
            f"{title}: the mark reads {value:g} on the {name} axis, not {probe.at[index]:g}"
        )


def export_both(probe: Probe, folder: Path, index: int) -> tuple[dict, dict]:
    plot = probe.plot
    w, h = plot.width(), plot.height()
    svg = export.export_plot_svg(plot, folder / f"plot{index}.svg")
    png = export.export_plot_png(plot, folder / f"plot{index}.png", width=w)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (w, h)
    in_svg = rendered_svg(svg, w, h)
    seen = QImage(in_svg.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    seen.save(str(folder / f"plot{index}-svg.png"))  # (to look at when a check fails)
    return read(probe, in_svg), read(probe, pixels(image))


def special_probe(tab, plot):
    """The point a plot must show at a known place, if it has one: (at, item)."""
    if tab.title == "Regression" and plot is tab.surface_plot:
        xs, ys = plot.optimum.getData()
        assert abs(xs[0] - 1) < 0.02 and abs(ys[0]) < 0.02  # the least-squares fit
        return (float(xs[0]), float(ys[0])), plot.optimum
    if tab.title == "Newton 2-D" and plot is tab.map:
        xs, ys = tab.newton_path.curve.getData()
        assert np.hypot(xs[-1], ys[-1]) < 0.01  # Newton ended at the minimum (0, 0)
        return (float(xs[-1]), float(ys[-1])), None
    return None, None


@pytest.mark.parametrize("title", TITLES)
def test_svg_export_puts_the_data_where_the_axes_say(window, qtbot, tmp_path, title):
    tab = open_tab(window, qtbot, title)
    step_to(qtbot, window, tab, 6 if title == "Newton 2-D" else 4)
    plots = export.visible_plots(tab)
    assert plots
    specials = [special_probe(tab, plot) for plot in plots]
    if title in ("Regression", "Newton 2-D"):
        assert any(at for at, _ in specials)
    for i, (plot, (at, item)) in enumerate(zip(plots, specials, strict=True)):
        probe = Probe(plot, at, item)
        in_svg, in_png = export_both(probe, tmp_path, i)
        check(probe, in_png, "PNG")
        check(probe, in_svg, "SVG")
        for name in probe.ticks:  # the axes' texts in the same type size as in the PNG
            ratio = in_svg[f"{name}_text"] / max(1, in_png[f"{name}_text"])
            assert 0.9 < ratio < 1.1, f"{export.plot_title(plot)}: {name} texts ×{ratio:.2f}"
