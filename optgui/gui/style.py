"""Colours, fonts and plot defaults shared by every tab.

Colours are the Okabe–Ito palette, which colour-blind students can tell apart;
classes also differ by marker shape, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
YELLOW = "#F0E442"
INK = "#202020"
GREY = "#777777"

#: Class 0 / class 1 colours and markers (shape differs too).
CLASS_COLORS = (VERMILION, BLUE)
CLASS_SYMBOLS = ("x", "o")
CLASS_NAMES = ("0", "1")

#: Colour map for heatmaps and contour maps (perceptually uniform, colour-blind safe).
COLORMAP = "cividis"


class Look:
    """Sizes that presentation mode scales up (fonts, pens, markers)."""

    font_pt = 12
    pen = 2
    marker = 10

    @classmethod
    def axis_font(cls) -> QFont:
        font = QFont()
        font.setPointSize(cls.font_pt)
        return font


def configure_pyqtgraph() -> None:
    pg.setConfigOptions(antialias=True, background="w", foreground=INK, imageAxisOrder="row-major")


def pen(color: str, width: float | None = None, style=None) -> pg.QtGui.QPen:
    p = pg.mkPen(color=color, width=Look.pen if width is None else width)
    if style is not None:
        p.setStyle(style)
    return p


def make_plot(title: str, xlabel: str, ylabel: str, **kwargs) -> pg.PlotWidget:
    """A plot with a title and labelled axes in readable sizes."""
    plot = pg.PlotWidget(**kwargs)
    style_plot(plot, title, xlabel, ylabel)
    return plot


def style_plot(plot: pg.PlotWidget, title: str, xlabel: str, ylabel: str) -> None:
    item = plot.getPlotItem()
    size = f"{Look.font_pt + 1}pt"
    item.setTitle(title, size=size, color=INK)
    label_style = {"font-size": f"{Look.font_pt}pt", "color": INK}
    item.setLabel("bottom", xlabel, **label_style)
    item.setLabel("left", ylabel, **label_style)
    for name in ("bottom", "left"):
        axis = item.getAxis(name)
        # No SI scaling, ever: pyqtgraph would still pick one from the range the axis
        # spans now (1e-21 after a diverged run) and keep it for the next data.
        axis.setSIPrefixEnableRanges(())
        axis.enableAutoSIPrefix(False)
        axis.setTickFont(Look.axis_font())
        axis.setPen(pg.mkPen(INK))
        axis.setTextPen(pg.mkPen(INK))
    # No grid: pyqtgraph's grid costs about 7 ms per plot and frame, which is
    # most of a live plot's drawing time; the tick labels carry the values.
    plot.setMinimumSize(200, 140)
    for still in (item.getAxis("bottom"), item.getAxis("left"), item.titleLabel):
        cache_still(still)


def cache_still(item: QGraphicsItem) -> None:
    """Keep ``item`` and everything in it as pixels until it changes (axes, titles,
    legends, colour bars): a frame whose curves touch it then copies it instead of
    drawing every number and sample again."""
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    for child in item.childItems():
        cache_still(child)


def qcolor(color: str, alpha: int = 255) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c


def keep_in_view(plot: pg.PlotWidget, x_max: float, y_min: float, y_max: float) -> None:
    """Grow a streaming plot's view only when the data leave it.

    Re-ranging every frame makes pyqtgraph redraw both axes each time, the most
    expensive part of a live plot; growing in jumps (×2 in x) keeps frames cheap.
    """
    view = plot.getPlotItem().getViewBox()
    if view.autoRangeEnabled()[0] or view.autoRangeEnabled()[1]:
        view.disableAutoRange()
        view.setRange(xRange=(0, max(10, x_max)), yRange=(y_min, y_max), padding=0.05)
        return
    (x0, x1), (y0, y1) = view.viewRange()
    if x_max > x1:
        view.setXRange(0, max(10, 2 * x_max), padding=0)
    if y_min < y0 or y_max > y1 or (y1 - y0) > 4 * max(y_max - y_min, 1e-300):
        pad = 0.05 * max(y_max - y_min, 1e-12)
        view.setYRange(y_min - pad, y_max + pad, padding=0)


def restart_view(plot: pg.PlotWidget) -> None:
    """Let the next :func:`keep_in_view` choose the range afresh (after a reset)."""
    plot.getPlotItem().getViewBox().enableAutoRange()


def set_antialias(root, on: bool) -> None:
    """Smooth (antialiased) lines on or off for every curve and marker under ``root``.

    Antialiasing costs about a third of a live frame; while a run streams at
    full speed nobody sees the difference, so tabs switch it off then and back
    on when the run pauses (the still picture is drawn smooth again). Items kept
    as pixels (a contour map's isolines) stay smooth: they are not drawn per frame.
    """
    for plot in root.findChildren(pg.PlotWidget):
        for item in plot.getPlotItem().getViewBox().allChildren():
            if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                continue  # kept as pixels (drawn once, not per frame): stays smooth
            smooth = item.opts.get("antialias") if hasattr(item, "opts") else on
            if isinstance(item, pg.PlotCurveItem | pg.ScatterPlotItem) and smooth != on:
                item.opts["antialias"] = on
                item.update()


# ============================================================== clicks on plots and legends


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


def add_legend(plot: pg.PlotWidget, offset: tuple[float, float], alpha: int = 210):
    """A legend in the plot's corner at ``offset``, in the tab's font, on a light box."""
    legend = plot.addLegend(offset=offset, labelTextSize=f"{Look.font_pt}pt")
    legend.setBrush(pg.mkBrush(255, 255, 255, alpha))
    add = legend.addItem

    def add_still(item, name) -> None:  # (entries come later: each is kept as pixels too)
        add(item, name)
        cache_still(legend)

    legend.addItem = add_still
    cache_still(legend)
    return legend


def plot_point(plot: pg.PlotWidget, x: float, y: float) -> QPoint:
    """Where (x, y) is on the plot's viewport (for tests that click it)."""
    return plot.mapFromScene(plot.getViewBox().mapViewToScene(QPointF(x, y)))


#: Widget property: its text is the app's size plus this many points (kept on zoom).
FONT_DELTA = "optgui_font_delta"


def relative_font(widget: QWidget, delta: int = 0) -> None:
    """Give ``widget`` the app's text size + ``delta`` points, now and after every
    zoom or presentation-mode change (see :func:`optgui.gui.look.apply_look`)."""
    widget.setProperty(FONT_DELTA, delta)
    font = QFont(widget.font())
    font.setPointSize(Look.font_pt + delta)
    widget.setFont(font)


def error_label(name: str) -> QLabel:
    """A message under a box in words a student reads (bold vermilion, wrapped), hidden
    until there is something to say."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {VERMILION}; font-weight: bold;")
    label.setVisible(False)
    return label
