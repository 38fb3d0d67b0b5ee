"""Zoom and presentation mode: one place that rescales fonts, pens and markers.

Zoom (Ctrl+Plus / Ctrl+Minus / Ctrl+0) changes the font size of the whole
window. Presentation mode (F5) doubles fonts, thickens lines and markers for a
projector, switches to a high-contrast palette and hides secondary panels.
Both walk the widget tree, so every tab follows without knowing about them.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from optgui.gui.formulas import FitFormula
from optgui.gui.mathtext import Formula
from optgui.gui.style import FONT_DELTA, INK, Look, relative_font

DEFAULT_FONT_PT = 12
MIN_FONT_PT, MAX_FONT_PT = 8, 40
PRESENTATION_FACTOR = 2.0
PRESENTATION_PEN = 2.0  # lines and markers are this much thicker on a projector

#: Widgets with this dynamic property set to True are hidden in presentation mode.
SECONDARY = "secondary"


def presentation_factor(screen_width: int) -> float:
    """How much larger text is in presentation mode: twice on a 1600-pixel-wide (or
    wider) projector, 1.5 times on an old 1024 × 768 one, where twice would leave
    the plots no room."""
    t = (screen_width - 1024) / (1600 - 1024)
    return 1.5 + 0.5 * min(1.0, max(0.0, t))


def mark_secondary(widget: QWidget) -> QWidget:
    """Mark a panel as secondary: presentation mode hides it."""
    widget.setProperty(SECONDARY, True)
    return widget


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    white, ink = QColor("#FFFFFF"), QColor(INK)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        palette.setColor(role, white)
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F2F2F2"))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.ToolTipText,
    ):
        palette.setColor(role, QColor("#000000"))
    for role in (  # a disabled button (Next line at the end) must look disabled
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8C8C8C"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#0072B2"))
    palette.setColor(QPalette.ColorRole.HighlightedText, white)
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFE0"))
    del ink
    return palette


def _scale_pen(pen, base_width: float, scale: float):
    pen = pg.mkPen(pen)
    pen.setWidthF(max(1.0, base_width * scale))
    return pen


def _rescale_items(plot: pg.PlotWidget, scale: float) -> None:
    """Scale the width of every curve's pen by ``scale``, markers by half as much more
    (twice-as-large markers turn a hundred data points into one blob)."""
    marker_scale = 1 + (scale - 1) / 2
    view = plot.getPlotItem().getViewBox()
    for item in view.allChildren():
        if isinstance(item, pg.PlotDataItem):
            base = item.__dict__.setdefault(
                "_optgui_base", (item.opts.get("pen"), item.opts.get("symbolSize", 10))
            )
            pen, size = base
            if pen is not None:
                p = pg.mkPen(pen)
                item.setPen(_scale_pen(p, p.widthF() or 1.0, scale))
            if item.opts.get("symbol") is not None:
                item.setSymbolSize(size * marker_scale)
        elif isinstance(item, pg.ScatterPlotItem) and not isinstance(
            item.parentItem(), pg.PlotDataItem
        ):
            base = item.__dict__.setdefault("_optgui_base", item.opts.get("size", 10))
            item.setSize(base * marker_scale)
        elif isinstance(item, pg.PlotCurveItem) and not isinstance(
            item.parentItem(), pg.PlotDataItem
        ):
            base = item.__dict__.setdefault("_optgui_base", pg.mkPen(item.opts.get("pen")))
            item.setPen(_scale_pen(base, base.widthF() or 1.0, scale))


def restyle_plot(plot: pg.PlotWidget, pen_scale: float = 1.0) -> None:
    """Re-apply Look's font sizes to a plot's title, labels and ticks; scale its pens."""
    item = plot.getPlotItem()
    item.setTitle(item.titleLabel.text, size=f"{Look.font_pt + 1}pt", color=INK)
    for name in ("bottom", "left", "right", "top"):
        axis = item.getAxis(name)
        if not axis.isVisible():
            continue
        axis.setTickFont(Look.axis_font())
        if axis.labelText:
            axis.setLabel(
                text=axis.labelText,
                units=axis.labelUnits or None,
                **{"font-size": f"{Look.font_pt}pt", "color": INK},
            )
    legend = item.legend
    if legend is not None:
        legend.setLabelTextSize(f"{Look.font_pt}pt")
        for sample, label in legend.items:  # (the size above is for new entries only)
            label.setText(label.text, size=f"{Look.font_pt}pt")
            sample.update()  # (its pen and marker are scaled below; kept as pixels)
    for bar in (i for i in plot.scene().items() if isinstance(i, pg.ColorBarItem)):
        bar.axis.setTickFont(Look.axis_font())  # a colour bar's numbers and name grow too
        if bar.axis.labelText:
            bar.axis.setLabel(
                text=bar.axis.labelText, **{"font-size": f"{Look.font_pt}pt", "color": INK}
            )
        bar.axis.setWidth(round(58 * Look.font_pt / DEFAULT_FONT_PT))
    _rescale_items(plot, pen_scale)


def apply_look(root: QWidget, pen_scale: float = 1.0) -> None:
    """Re-apply the current sizes to every plot and typeset formula under ``root``."""
    for plot in root.findChildren(pg.PlotWidget):
        restyle_plot(plot, pen_scale)
    for formula in root.findChildren(Formula) + root.findChildren(FitFormula):
        formula.refresh()
    for widget in root.findChildren(QWidget):
        delta = widget.property(FONT_DELTA)
        if delta is not None:
            relative_font(widget, int(delta))
        sheet = widget.styleSheet()
        if sheet:  # a style sheet pins the font it was polished with: re-polish
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)


def set_font_size(points: int) -> int:
    """Set the whole application's font size (clamped); returns the size used."""
    points = max(MIN_FONT_PT, min(MAX_FONT_PT, int(points)))
    Look.font_pt = points
    app = QApplication.instance()
    if app is not None:
        font = app.font()
        font.setPointSize(points)
        app.setFont(font)
    return points


#: Panels hidden in presentation mode even when not marked (tabs' settings columns).
SECONDARY_NAMES = frozenset({"settings_panel"})


def set_secondary_visible(root: QWidget, visible: bool) -> None:
    for widget in root.findChildren(QWidget):
        if widget.property(SECONDARY) or widget.objectName() in SECONDARY_NAMES:
            widget.setVisible(visible)


#: Marker symbols of pyqtgraph and the characters that draw them (filled, hollow).
GLYPHS = {
    "o": ("●", "○"),
    "s": ("■", "□"),
    "d": ("◆", "◇"),
    "t": ("▼", "▽"),
    "t1": ("▲", "△"),
    "x": ("✕", "✕"),
    "+": ("+", "+"),
    "star": ("★", "☆"),
}


def _mark(item) -> tuple[str, QColor]:
    """The character and colour that stand for a plot item in a text legend."""
    opts = getattr(item, "opts", {})
    symbol = opts.get("symbol")
    if isinstance(symbol, str) and symbol in GLYPHS:
        brush = opts.get("symbolBrush", opts.get("brush"))
        pen = opts.get("symbolPen", opts.get("pen"))
        fill = pg.mkBrush(brush).color() if brush is not None else QColor(0, 0, 0, 0)
        filled, hollow = GLYPHS[symbol]
        if fill.alpha() > 0:
            return filled, fill
        return hollow, pg.mkPen(pen).color()
    return "━━", pg.mkPen(opts.get("pen")).color()


def legend_html(plot: pg.PlotWidget) -> str:
    """The entries of ``plot``'s legend as one line of text (a coloured mark and the
    name each), to show under the plot where it cannot cover the data."""
    legend = plot.getPlotItem().legend
    entries = []
    for sample, label in legend.items if legend is not None else ():
        glyph, color = _mark(sample.item)
        entries.append(f"<span style='color:{color.name()}'>{glyph}</span>&nbsp;{label.text}")
    return " &nbsp; ".join(entries)
