"""Runs side by side: pinned runs drawn faded in a tab's plots, a legend and a table.

A tab that has a run with a cost curve or a path makes a :class:`PinBoard` and
supplies, through the board's ``source`` (the tab), what a run looks like and what
its figures are (:class:`PinSource`). P pins the current run (at most
:data:`~optgui.lessons.pinned.MAX_PINNED`; a fifth replaces the oldest), Shift+P
clears the pins. What the legend and the table say is built in
:mod:`optgui.lessons.pinned`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui.gui import style
from optgui.lessons import pinned as words
from optgui.lessons.pinned import MAX_PINNED, Figures, PinnedRun

#: The pinned runs' colours, in pinning order (the current run keeps the tab's own).
COLORS = (style.PURPLE, style.GREEN, style.ORANGE, style.GREY)
#: How opaque a pinned curve is (0-255): faded behind the current run.
ALPHA = 150


@dataclass
class PinTarget:
    """Where a curve of a run is drawn: its plot, a symbol for its points (None: a line
    only), and whether the plot's legend names the runs (the first curve of each)."""

    plot: pg.PlotWidget
    symbol: str | None = None
    legend: bool = True
    line: bool = True  # False: the points only (iterates that jump about)
    z: float = -0.5  # under the current run's items (above a map's colours and contours)
    current: Any = None  # the current run's item in that plot, named "now: …" in its legend


class PinSource(Protocol):
    """What a tab supplies to its board."""

    def pin_snapshot(self) -> PinnedRun | None: ...
    def pin_settings(self) -> dict[str, Any]: ...
    def pin_figures(self) -> dict[str, Figures]: ...
    def pin_targets(self) -> dict[str, PinTarget]: ...
    def pin_words(self) -> tuple[str, str]: ...  # (the tolerance, the cost's name)


class PinnedPanel(QScrollArea):
    """Buttons, the legend (what differs) and the table of figures per run; it scrolls
    where it gets less room than it needs (four pinned runs on a projector's stage)."""

    pin_clicked = Signal()
    clear_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pinned_panel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("pinned_page")
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 2, 2)
        row = QHBoxLayout()
        self.pin_button = QPushButton("Pin this run (P)")
        self.pin_button.setObjectName("pin_run")
        self.pin_button.setToolTip(
            "Keep this run's curves drawn, faded, while you change a setting and run again"
            f" (up to {MAX_PINNED} pinned runs)"
        )
        self.clear_button = QPushButton("Clear pins")
        self.clear_button.setObjectName("clear_pins")
        self.clear_button.setToolTip("Remove every pinned run (Shift+P)")
        self.pin_button.clicked.connect(self.pin_clicked)
        self.clear_button.clicked.connect(self.clear_clicked)
        row.addWidget(self.pin_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.legend = QLabel()
        self.legend.setObjectName("pinned_legend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.legend)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("pinned_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.table)
        self.note = QLabel()
        self.note.setObjectName("pinned_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {style.GREY};")
        layout.addWidget(self.note)
        layout.addStretch(1)

    def show_legend(self, lines: list[tuple[str, str, str]]) -> None:
        """The legend: one line per run, "run 1: α = 0.5", its mark in its colour."""
        self.legend.setText(
            "<br>".join(
                f'<span style="color:{c or style.INK};">■</span> <b>{_esc(n)}</b>: {_esc(t)}'
                for n, t, c in lines
            )
        )

    def show_hint(self, text: str) -> None:
        self.legend.setText(f'<span style="color:{style.GREY};">{_esc(text)}</span>')

    def show_table(self, headings: list[str], rows: list[tuple[str, ...]], colors: dict) -> None:
        """The figures; a run's name in its colour. The table is as tall as its rows."""
        table = self.table
        table.setColumnCount(len(headings))
        table.setHorizontalHeaderLabels(headings)
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            cells = cells if len(cells) == len(headings) else (cells[0], *cells[2:])
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    if colors.get(text):
                        item.setForeground(QColor(colors[text]))
                if c >= len(cells) - 3:
                    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    item.setTextAlignment(right)
                if text == "diverged":
                    item.setForeground(QColor(style.VERMILION))
                table.setItem(r, c, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.fit()

    def fit(self) -> None:
        """The table as large as its cells, in today's font (presenting makes it larger):
        the page or the stage's column makes room, nothing is cut."""
        table, header = self.table, self.table.horizontalHeader()
        table.resizeColumnsToContents()
        table.resizeRowsToContents()
        frame = 2 * table.frameWidth() + 2
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(header.sizeHint().height() + rows + frame)
        table.setMinimumWidth(header.length() + frame)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.fit()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PinBoard:
    """A tab's pinned runs: pins, clears, draws them faded and fills the panel."""

    def __init__(self, source: PinSource, set_status):
        self.source = source
        self.set_status = set_status
        self.runs: list[PinnedRun] = []
        self.panel = PinnedPanel()
        # (the tab pins: it stops the run first and starts the next beside the pinned one)
        self.panel.pin_clicked.connect(getattr(source, "pin_run", self.pin))
        self.panel.clear_clicked.connect(getattr(source, "clear_pins", self.clear))
        self._items: list[tuple[pg.PlotWidget, Any, Any]] = []  # (plot, item, legend)
        #: (legend, item, its name before or None) of each "now: …"
        self._named_current: list[tuple[Any, Any, str | None]] = []
        self._drawn: Any = None  # what the plots show (see _draw)
        self._named_as: Any = None  # … and what their legends call this run
        # (drawn when the tab first shows its run: its plots may not exist yet)

    # -- actions ---------------------------------------------------------------------
    def pin(self) -> bool:
        """Pin the current run (a fifth replaces the oldest); False if there is none."""
        run = self.source.pin_snapshot()
        if run is None:
            self.set_status("There is no run to pin yet: take a few steps first (→ or Space).")
            return False
        replaced = len(self.runs) >= MAX_PINNED
        self.runs = [*self.runs, run][-MAX_PINNED:]
        self.refresh()
        if not getattr(self.source, "staged", False):
            show_page(self.panel)  # (the table, beside the math)
        self.set_status(words.pin_status(len(self.runs), replaced))
        return True

    def clear(self) -> None:
        had = bool(self.runs)
        self.runs = []
        self.refresh()
        if had:
            self.set_status("Cleared the pinned runs.")

    def set_runs(self, runs: list[PinnedRun]) -> None:
        """Runs from a session (at most the last MAX_PINNED)."""
        self.runs = list(runs)[-MAX_PINNED:]
        self.refresh()

    def to_json(self) -> list[dict[str, Any]]:
        return [run.to_json() for run in self.runs]

    # -- views ------------------------------------------------------------------------
    def extent(self, key: str, log: bool = False) -> tuple[float, float, float] | None:
        """The pinned curves ``key``: their last x, lowest and highest y (log: of log10 y,
        positive values only); None without any."""
        xs, ys = [], []
        for run in self.runs:
            x, y = run.curves.get(key, ((), ()))
            xs += [v for v in x if math.isfinite(v)]
            ys += [v for v in y if math.isfinite(v) and (v > 0 or not log)]
        if not xs or not ys:
            return None
        values = [math.log10(v) for v in ys] if log else ys
        return max(xs), min(values), max(values)

    def all_settings(self) -> list[dict[str, Any]]:
        return [*(r.settings for r in self.runs), self.source.pin_settings()]

    def labels(self) -> list[str]:
        return words.labels(self.all_settings(), [r.changed for r in self.runs])

    def refresh(self) -> None:
        """Everything: the faded curves, the legends, the panel."""
        self._draw()
        self.refresh_current()

    def refresh_current(self) -> None:
        """The legend and the table (the current run's figures may have changed)."""
        settings = self.all_settings()
        names = words.run_names(len(self.runs))
        colors = dict(zip(names[:-1], COLORS, strict=False))  # ("now": the tab's own)
        if self.runs:
            labels = self.labels()
            self.panel.show_legend(
                [(n, t, colors.get(n, "")) for n, t in zip(names, labels, strict=True)]
            )
            self._name_current(labels[-1])
        else:
            self.panel.show_hint(words.legend_text(settings))
            self._name_current(None)
        figures = [*(r.figures for r in self.runs), self.source.pin_figures()]
        tol, cost = self.source.pin_words()
        methods = max(len(f) for f in figures)
        self.panel.show_table(
            words.table_headings(methods, cost), words.table_rows(figures), colors
        )
        self.panel.note.setText(words.table_note(tol, cost, methods))
        self.panel.clear_button.setEnabled(bool(self.runs))

    def _draw(self) -> None:
        key = ([id(r) for r in self.runs], self.labels() if self.runs else [], style.Look.pen)
        if key == self._drawn:  # (a step: the pinned runs and their labels are as they were)
            return
        self._drawn = key
        for plot, item, legend in self._items:
            if legend is not None:
                legend.removeItem(item)
            plot.removeItem(item)
        self._items = []
        if not self.runs:
            return
        targets = self.source.pin_targets()
        labels = self.labels()
        for i, (run, text) in enumerate(zip(self.runs, labels, strict=False)):
            color = QColor(COLORS[i % len(COLORS)])
            color.setAlpha(ALPHA)
            named: set[int] = set()  # (plots whose legend names this run)
            for key, (x, y) in run.curves.items():
                target = targets.get(key)
                if target is None or not len(x):
                    continue
                pen = (
                    pg.mkPen(color, width=style.Look.pen + 1, style=Qt.PenStyle.DashLine)
                    if target.line
                    else None
                )
                item = pg.PlotDataItem(
                    list(x),
                    list(y),
                    pen=pen,
                    symbol=target.symbol,
                    symbolSize=max(5, style.Look.marker - 3),
                    symbolBrush=color,
                    symbolPen=None,
                    connect="finite",
                )
                item.setZValue(target.z)
                target.plot.addItem(item)
                legend = None
                plot_id = id(target.plot)
                if target.legend and plot_id not in named:
                    named.add(plot_id)
                    legend = _legend(target.plot)
                    legend.addItem(item, f"run {i + 1}: {text}")
                self._items.append((target.plot, item, legend))

    def _name_current(self, text: str | None) -> None:
        """ "now: …" beside the current run's curve in legends that name runs."""
        if (self._drawn, text) == self._named_as:
            return  # (as it is)
        self._named_as = (self._drawn, text)
        for legend, item, before in self._named_current:
            if before is None:
                legend.removeItem(item)
            elif (label := legend.getLabel(item)) is not None:
                label.setText(before)  # (its own name back)
        self._named_current = []
        if text is None:
            for legend in self._legends():
                legend.setVisible(len(legend.items) > 0)
            return
        for target in self.source.pin_targets().values():
            if target.current is not None and target.legend:
                legend = _legend(target.plot)
                label = legend.getLabel(target.current)
                if label is None:  # (named last, under the pinned runs)
                    legend.addItem(target.current, f"now: {text}")
                    self._named_current.append((legend, target.current, None))
                else:  # already named ("cost J"): renamed while runs are pinned
                    self._named_current.append((legend, target.current, label.text))
                    label.setText(f"now: {text}")
        for legend in self._legends():
            legend.setVisible(len(legend.items) > 0)

    def _legends(self) -> list[Any]:
        return [
            legend
            for t in self.source.pin_targets().values()
            if (legend := t.plot.getPlotItem().legend) is not None
        ]


def place_in_pages(panel: QWidget, page: QWidget) -> bool:
    """Add ``panel`` as a page "Runs side by side" beside ``page`` (the derivation) in
    the tab widget that holds it; False if ``page`` is not in one."""
    parent = page.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    if parent is None:
        return False
    index = parent.addTab(panel, "Runs")
    parent.setTabToolTip(index, "Runs side by side: the pinned runs, what differs, their figures")
    return True


def show_page(panel: QWidget) -> None:
    """Bring the page holding ``panel`` to the front of its tab widget (and of the tab
    widgets that hold that one: a narrow window's "The math")."""
    parent = panel.parentWidget()
    while parent is not None and parent is not panel.window():
        if isinstance(parent, QTabWidget) and parent.objectName() != "tabs":
            parent.setCurrentIndex(max(0, parent.indexOf(_page_of(panel, parent))))
        parent = parent.parentWidget()


def _page_of(widget: QWidget, tabs: QTabWidget) -> QWidget:
    """The page of ``tabs`` that holds ``widget``."""
    for i in range(tabs.count()):
        if tabs.widget(i).isAncestorOf(widget):
            return tabs.widget(i)
    return widget


def _legend(plot: pg.PlotWidget):
    """The plot's legend (made on first use, in its top right corner)."""
    legend = plot.getPlotItem().legend
    if legend is None:
        legend = style.add_legend(plot, (-10, 10))
    return legend
