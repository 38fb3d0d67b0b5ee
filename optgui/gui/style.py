"""Colours, fonts and plot defaults shared by every tab.

Colours are the Okabe–Ito palette, which colour-blind students can tell apart;
classes also differ by marker shape, never by colour alone.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

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
        axis.enableAutoSIPrefix(False)
        axis.setTickFont(Look.axis_font())
        axis.setPen(pg.mkPen(INK))
        axis.setTextPen(pg.mkPen(INK))
    item.showGrid(x=True, y=True, alpha=0.15)
    plot.setMinimumSize(220, 180)


def qcolor(color: str, alpha: int = 255) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c
