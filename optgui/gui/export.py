"""Export: a plot to PNG (any width) or SVG, a run's history to CSV, the window to PNG.

File dialogs start in the folder used last time (remembered in the settings).
Every writer goes through a temporary file and a rename, so a failed export
never leaves half a file where a good one was (see :mod:`optgui.gui.files`).
"""

from __future__ import annotations

import csv
import os
import tempfile
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from optgui.gui import files
from optgui.gui.layout import settle
from optgui.gui.mathtext import typeset_waiting
from optgui.gui.settings import app_settings, documents_folder


class ExportError(OSError):
    """An export that could not be written, in words."""


def _atomic_target(path: str | Path, suffix: str) -> tuple[Path, Path]:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise ExportError(f"the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".optgui-", suffix=suffix, dir=path.parent or ".")
    os.close(fd)
    return path, Path(tmp)


def _commit(tmp: Path, path: Path) -> None:
    files.commit(tmp, path)  # (with the permissions of any saved file, not mkstemp's 0600)


def export_plot_png(plot: pg.PlotWidget, path: str | Path, width: int = 1600) -> Path:
    """Save ``plot`` as a PNG ``width`` pixels wide (height keeps the plot's proportions)."""
    path, tmp = _atomic_target(path, ".png")
    try:
        import pyqtgraph.exporters as exporters  # (on first use: quicker start)

        exporter = exporters.ImageExporter(plot.getPlotItem())
        exporter.parameters()["width"] = int(width)
        exporter.export(str(tmp))
        _commit(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def export_plot_svg(plot: pg.PlotWidget, path: str | Path) -> Path:
    """Save ``plot`` as SVG (vector: sharp at any size on a slide)."""
    # Qt's own SVG writer: pyqtgraph's SVGExporter cannot parse the paths Qt 6.11 writes.
    # In export mode, scatter markers are drawn as shapes: on screen they are pieces of
    # one pixmap, and Qt's SVG writer would embed the whole pixmap for each piece.
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    path, tmp = _atomic_target(path, ".svg")
    try:
        generator = QSvgGenerator()
        generator.setFileName(str(tmp))
        # At the widget's DPI (Qt's default is 72): fonts in points, and the axes'
        # recorded pictures (scaled by device DPI / picture DPI), come out as on screen.
        generator.setResolution(plot.logicalDpiX())
        generator.setSize(plot.size())
        generator.setViewBox(QRect(0, 0, plot.width(), plot.height()))
        generator.setTitle(plot_title(plot))
        generator.setDescription("Exported from optgui")
        painter = QPainter(generator)
        items = [i for i in plot.scene().items() if hasattr(i, "setExportMode")]
        for item in items:  # (export mode: see above)
            item.setExportMode(True, {"antialias": True, "painter": painter})
        try:
            plot.render(painter)
        finally:
            for item in items:
                item.setExportMode(False)
            painter.end()
        _commit(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def export_history_csv(
    columns: Sequence[str],
    rows: np.ndarray,
    path: str | Path,
    segments: Sequence[tuple[int, Any]] = (),
) -> Path:
    """One row per step with a header: every parameter, cost and gradient, then the
    settings the step ran with (``segments``: (first step, settings) as the history has
    them; every setting that is a single number, word or yes/no gets a column)."""
    names, values = _settings_columns(segments)
    starts = [start for start, _ in segments]
    path, tmp = _atomic_target(path, ".csv")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([*columns, *names])
            for i, row in enumerate(np.asarray(rows)):
                extra = values[bisect_right(starts, i) - 1] if values else []
                writer.writerow([*(repr(float(v)) for v in row), *extra])
        _commit(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _settings_columns(segments: Sequence[tuple[int, Any]]) -> tuple[list[str], list[list]]:
    """The settings' scalar fields: column names, and each segment's values."""
    states = [s.to_json() for _, s in segments if hasattr(s, "to_json")]
    if len(states) != len(segments) or not states:
        return [], []
    names = [k for k, v in states[0].items() if isinstance(v, int | float | str | bool)]
    return names, [[state.get(k, "") for k in names] for state in states]


def export_widget_png(widget: QWidget, path: str | Path) -> Path:
    """The widget (e.g. the whole window) as it looks now, as PNG."""
    path, tmp = _atomic_target(path, ".png")
    typeset_waiting()
    QApplication.processEvents()  # (lay out formulas typeset just now)
    settle()  # (every level of nesting, to the window)
    try:
        if not widget.grab().save(str(tmp), "PNG"):
            raise ExportError(f"could not write {path}")
        _commit(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def ask_save_path(parent: QWidget, title: str, name: str, filters: str) -> str:
    """A save dialog that starts in the folder used last time; '' if cancelled."""
    settings = app_settings()
    folder = str(settings.value("export/folder", documents_folder()))
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name), filters)
    if path:
        settings.setValue("export/folder", str(Path(path).parent))
    return path


class ExportPlotDialog:
    """Pick one of a tab's plots and a width, then a file name (.png or .svg)."""

    def __init__(self, parent: QWidget, plots: Sequence[pg.PlotWidget]):
        from PySide6.QtWidgets import (
            QComboBox,
            QDialog,
            QDialogButtonBox,
            QFormLayout,
            QSpinBox,
        )

        self.plots = list(plots)
        self.dialog = QDialog(parent)
        self.dialog.setWindowTitle("Export a plot")
        form = QFormLayout(self.dialog)
        self.choice = QComboBox()
        for plot in self.plots:
            self.choice.addItem(plot_title(plot))
        self.width = QSpinBox()
        self.width.setRange(200, 8000)
        self.width.setSingleStep(200)
        self.width.setValue(1920)
        self.width.setSuffix(" px")
        self.width.setToolTip("Width of the PNG; SVG is vector and has no fixed size")
        form.addRow("Plot", self.choice)
        form.addRow("PNG width", self.width)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.dialog.accept)
        buttons.rejected.connect(self.dialog.reject)
        form.addRow(buttons)

    def run(self) -> str:
        """Show the dialogs and export; returns what was written, '' if cancelled."""
        if not self.plots or not self.dialog.exec():
            return ""
        plot = self.plots[self.choice.currentIndex()]
        name = "".join(c if c.isalnum() else "-" for c in plot_title(plot).lower()).strip("-")
        path = ask_save_path(
            self.dialog.parentWidget(),
            "Export plot",
            f"{name or 'plot'}.png",
            "PNG image (*.png);;SVG vector image (*.svg)",
        )
        if not path:
            return ""
        if path.lower().endswith(".svg"):
            export_plot_svg(plot, path)
        else:
            if not path.lower().endswith(".png"):
                path += ".png"
            export_plot_png(plot, path, self.width.value())
        return path


def plot_title(plot: pg.PlotWidget) -> str:
    import re

    text = plot.getPlotItem().titleLabel.text or "plot"
    return re.sub(r"<[^>]+>", "", text).strip() or "plot"


def visible_plots(root: QWidget) -> list[pg.PlotWidget]:
    """The plots in ``root`` a user can see (the ones worth exporting)."""
    return [p for p in root.findChildren(pg.PlotWidget) if p.isVisible()]
