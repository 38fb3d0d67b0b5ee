"""Presentation's stage: the figure that carries the lesson, large, with the step's math beside it.

In presentation mode a tab's page gives way to a stage that shows one *view* at
a time: its figures on the left, its side panels (the math of the step, a
table) on the right. Widgets are lent, not copied: each leaves a placeholder
where it was and goes back there when the view changes or presentation ends,
so every view keeps drawing the run as before. ``V`` shows the next view,
``1`` … ``4`` pick one; the strip above the stage names them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui.gui.look import legend_html


@dataclass(frozen=True)
class StageView:
    """One picture of the stage: ``figures`` stacked on the left, ``side`` on the right.

    ``notes`` (a warning, a summary line) go under the figures and stay shown or
    hidden as the tab says; ``side_share`` is the side column's part of the width.
    """

    name: str
    figures: Sequence[QWidget]
    side: Sequence[QWidget] = ()
    notes: Sequence[QWidget] = ()
    side_share: float = 0.4


class Loan:
    """``widget`` taken from its place (a layout, splitter, tab or scroll area), a
    placeholder left there; :meth:`give_back` puts it back as it was."""

    def __init__(self, widget: QWidget):
        self.widget = widget
        self.hidden = widget.isHidden()
        self.policy: QSizePolicy | None = None  # the size policy to give back, if changed
        self.placeholder = QWidget()
        self.placeholder.setObjectName("stage_placeholder")
        self._back: Callable[[], None] = lambda: None
        parent = widget.parentWidget()
        if parent is None:
            return
        if isinstance(parent, QSplitter):
            self._from_splitter(parent)
        elif isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            self._from_tabs(parent.parentWidget())
        elif isinstance(parent, QStackedWidget):
            self._from_stack(parent)
        elif isinstance(parent.parentWidget(), QScrollArea) and (
            parent.parentWidget().widget() is widget
        ):
            self._from_scroll(parent.parentWidget())
        elif parent.layout() is not None:
            self._from_layout(parent)

    def _from_splitter(self, splitter: QSplitter) -> None:
        sizes = splitter.sizes()
        splitter.replaceWidget(splitter.indexOf(self.widget), self.placeholder)

        def back() -> None:
            splitter.replaceWidget(splitter.indexOf(self.placeholder), self.widget)
            splitter.setSizes(sizes)

        self._back = back

    def _from_tabs(self, tabs: QTabWidget) -> None:
        index, current = tabs.indexOf(self.widget), tabs.currentIndex()
        text, tip = tabs.tabText(index), tabs.tabToolTip(index)
        tabs.removeTab(index)
        tabs.insertTab(index, self.placeholder, text)
        tabs.setCurrentIndex(current)

        def back() -> None:
            at = tabs.indexOf(self.placeholder)
            now = tabs.currentIndex()
            tabs.removeTab(at)
            tabs.insertTab(at, self.widget, text)
            tabs.setTabToolTip(at, tip)
            tabs.setCurrentIndex(now)

        self._back = back

    def _from_stack(self, stack: QStackedWidget) -> None:
        index, current = stack.indexOf(self.widget), stack.currentIndex()
        stack.removeWidget(self.widget)
        stack.insertWidget(index, self.placeholder)
        stack.setCurrentIndex(current)

        def back() -> None:
            at, now = stack.indexOf(self.placeholder), stack.currentIndex()
            stack.removeWidget(self.placeholder)
            stack.insertWidget(at, self.widget)
            stack.setCurrentIndex(now)

        self._back = back

    def _from_scroll(self, scroll: QScrollArea) -> None:
        scroll.takeWidget()
        scroll.setWidget(self.placeholder)

        def back() -> None:
            scroll.takeWidget()
            scroll.setWidget(self.widget)

        self._back = back

    def _from_layout(self, parent: QWidget) -> None:
        layout = parent.layout()
        if layout.replaceWidget(self.widget, self.placeholder) is None:
            return
        parent_ref = parent

        def back() -> None:
            self.widget.setParent(parent_ref)
            parent_ref.layout().replaceWidget(self.placeholder, self.widget)

        self._back = back

    def give_back(self) -> None:
        self._back()
        if self.policy is not None:
            self.widget.setSizePolicy(self.policy)
        self.widget.setHidden(self.hidden)
        self.placeholder.deleteLater()


def _no_taller(policy: QSizePolicy) -> QSizePolicy:
    """``policy``, but no taller than its lines need (height-for-width kept)."""
    policy = QSizePolicy(policy)
    policy.setVerticalPolicy(QSizePolicy.Policy.Maximum)
    return policy


class Stage(QWidget):
    """The stage of one tab: a strip naming the views, then figures | side panels."""

    view_changed = Signal(int)

    def __init__(self, views: Sequence[StageView], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("stage")
        self.views = list(views)
        self.strip = QTabBar()
        self.strip.setObjectName("stage_views")
        self.strip.setDocumentMode(True)
        self.strip.setExpanding(False)
        self.strip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for i, view in enumerate(self.views):
            self.strip.addTab(f"{i + 1}  {view.name}")
            self.strip.setTabToolTip(i, f"Key {i + 1} (V shows the next view)")
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("stage_split")
        self.split.setChildrenCollapsible(False)
        self.figures, self.side = QWidget(), QWidget()
        for column in (self.figures, self.side):
            layout = QVBoxLayout(column)
            layout.setContentsMargins(0, 0, 0, 0)
        self.split.addWidget(self.figures)
        self.split.addWidget(self.side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.strip)
        layout.addWidget(self.split, 1)
        self.strip.setVisible(len(self.views) > 1)
        self.index = 0
        self._loans: list[Loan] = []
        self._legends: list[tuple[pg.LegendItem, QLabel]] = []
        self.strip.currentChanged.connect(self.show_view)

    @property
    def active(self) -> bool:
        return bool(self._loans)

    @property
    def view(self) -> StageView:
        return self.views[self.index]

    def show_view(self, index: int) -> None:
        """Lend the widgets of view ``index`` to the stage (giving back the previous ones)."""
        index = max(0, min(index, len(self.views) - 1))
        self.give_back()
        self.index = index
        view = self.views[index]
        for widget in view.figures:
            self._lend(widget, self.figures, figure=True)
            self._legends_under(widget)
        for widget in view.notes:
            self._lend(widget, self.figures, keep_hidden=True)
        for widget in view.side:
            self._lend(widget, self.side)
        self.side.setVisible(bool(view.side))
        self._share()
        if self.strip.currentIndex() != index:
            self.strip.blockSignals(True)
            self.strip.setCurrentIndex(index)
            self.strip.blockSignals(False)
        self.view_changed.emit(index)

    def next_view(self, step: int = 1) -> None:
        self.show_view((self.index + step) % len(self.views))

    def _lend(
        self, widget: QWidget, column: QWidget, keep_hidden: bool = False, figure: bool = False
    ) -> None:
        """Move ``widget`` into ``column``: a figure, or a panel that grows, stretches;
        a note keeps its height and stays hidden if the tab hid it."""
        loan = Loan(widget)
        self._loans.append(loan)
        policy = widget.sizePolicy()
        grows = figure or policy.verticalPolicy() in (
            QSizePolicy.Policy.Expanding,
            QSizePolicy.Policy.MinimumExpanding,
            QSizePolicy.Policy.Ignored,
        )
        if not grows:  # (a wrapped label offered more height than its lines need)
            widget.setSizePolicy(_no_taller(policy))
            loan.policy = policy
        column.layout().addWidget(widget, 1 if grows else 0)
        widget.setHidden(loan.hidden if keep_hidden else False)

    def _legends_under(self, figure: QWidget) -> None:
        """Each legend of ``figure``'s plots as a line of text under it, off the data."""
        plots = [figure] if isinstance(figure, pg.PlotWidget) else []
        for plot in plots + figure.findChildren(pg.PlotWidget):
            legend = plot.getPlotItem().legend
            if legend is None or not legend.items:
                continue
            label = QLabel(legend_html(plot))
            label.setObjectName("stage_legend")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setSizePolicy(_no_taller(label.sizePolicy()))
            self.figures.layout().addWidget(label)
            legend.hide()
            self._legends.append((legend, label))

    def _share(self) -> None:
        width = self.width() if self.width() > 100 else 800  # (the split is as wide)
        side = int(width * self.view.side_share) if self.view.side else 0
        self.split.setSizes([width - side, side])

    def give_back(self) -> None:
        """Every lent widget back where it came from (the stage is empty after)."""
        while self._loans:
            self._loans.pop().give_back()
        while self._legends:
            legend, label = self._legends.pop()
            legend.show()
            self.figures.layout().removeWidget(label)  # (gone now, not after the next events)
            label.hide()
            label.deleteLater()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.active:
            self._share()
