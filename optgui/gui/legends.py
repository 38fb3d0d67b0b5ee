"""Legends under a plot, off the data: a legend inside the plot covers points."""

from __future__ import annotations

import pyqtgraph as pg

from optgui.gui import style

#: The row of a PlotItem's layout under its bottom axis (title 0, top axis 1, view 2,
#: bottom axis 3).
BELOW = 4


def legend_below(plot: pg.PlotWidget, columns: int = 3) -> pg.LegendItem:
    """A legend in one row under ``plot``'s x axis, part of the plot (it is exported with
    it, restyled with it, and presentation's stage finds it as the plot's legend)."""
    item = plot.getPlotItem()
    legend = pg.LegendItem(colCount=columns, labelTextSize=f"{style.Look.font_pt}pt")
    legend.layout.setContentsMargins(0, 0, 0, 0)
    item.layout.addItem(legend, BELOW, 1)
    item.legend = legend  # (where pyqtgraph's own addLegend keeps it)
    return legend
