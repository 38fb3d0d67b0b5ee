"""Layout pieces of the tabs: the settings column, a box that scrolls sideways, the
three columns of the Newton tabs (settings | views | table and math) and the summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyleOptionComboBox,
    QTabWidget,
    QWidget,
)

from optgui.gui import style

if TYPE_CHECKING:
    from optgui.gui.iterates_table import IteratesTable


class SettingsColumn(QScrollArea):
    """A tab's settings column: scrolls up and down, and grows with the text size.

    ``width`` (pixels at the normal text size) makes it that wide; without it a
    splitter places it between ``min_width`` and ``max_width``. Both scale with the
    font, and the column is never narrower than its content needs (nothing is cut),
    up to ``share`` of the window; past that it scrolls sideways.
    """

    def __init__(
        self,
        widget: QWidget,
        *,
        width: int | None = None,
        min_width: int = 300,
        max_width: int = 470,
        share: float = 0.55,
    ):
        super().__init__()
        self._window: QWidget | None = None  # (set first: setWidget filters events already)
        self.base = (width, min_width, max_width)
        self.share = share
        self.setObjectName("settings_panel")
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFrameShape(QFrame.Shape.NoFrame)
        widget.installEventFilter(self)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)
        self.fit()

    def need(self) -> int:
        """The width the content needs (with room for the scroll bar)."""
        for box in self.widget().findChildren(QComboBox):
            # A list as wide as its current choice, not its longest item (a long item not
            # chosen must not widen the column).
            wanted = combo_width(box, box.currentText())
            if box.minimumWidth() != wanted:
                box.setMinimumWidth(wanted)
        content = self.widget().minimumSizeHint().width()
        return content + self.verticalScrollBar().sizeHint().width() + 6

    def fit(self) -> None:
        """Follow the text size and the content (called on every change of either)."""
        points = self.font().pointSizeF()
        scale = points / _normal_pt() if points > 0 else 1.0
        need = self.need()
        cap = int(self.share * self._window.width()) if self._window is not None else need
        width, min_width, max_width = self.base
        if width is not None:
            fixed = min(max(round(width * scale), need), max(cap, 1))
            if (self.minimumWidth(), self.maximumWidth()) != (fixed, fixed):
                self.setFixedWidth(fixed)
                self._refit.start()  # (once laid out at the new width: check again)
            return
        low = min(max(round(min_width * scale), need), max(cap, round(min_width * scale)))
        high = max(round(max_width * scale), low)
        if (self.minimumWidth(), self.maximumWidth()) != (low, high):
            self.setMinimumWidth(low)
            self.setMaximumWidth(high)
            self._refit.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if (watched is self.widget() and kind == QEvent.Type.LayoutRequest) or (
            watched is self._window and kind == QEvent.Type.Resize
        ):
            self._refit.start()
        return super().eventFilter(watched, event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._refit.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._window:
            if self._window is not None:
                self._window.removeEventFilter(self)
            window.installEventFilter(self)  # (its width caps the column's)
            self._window = window
        self.fit()


def combo_width(box: QComboBox, text: str) -> int:
    """The width of a list box that shows ``text`` whole."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    inner = QSize(box.fontMetrics().horizontalAdvance(text) + 4, box.fontMetrics().height())
    return (
        box.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, inner, box).width()
    )


def _normal_pt() -> int:
    """The normal text size (imported here: optgui.gui.look imports this module)."""
    from optgui.gui.look import DEFAULT_FONT_PT

    return DEFAULT_FONT_PT


def scroll_column(widget: QWidget, min_width: int = 300, max_width: int = 470) -> QScrollArea:
    """A settings column placed by a splitter (see :class:`SettingsColumn`)."""
    return SettingsColumn(widget, min_width=min_width, max_width=max_width)


def settle(levels: int = 24) -> None:
    """Lay out now what waits to be laid out, to the window (before a picture is taken).

    A widget whose size hint changed (a formula just typeset) asks its parent for a new
    layout in a posted event, and the parent asks its own parent in the next one: one
    pass of the event loop lays out only one level of nesting.
    """
    for _ in range(levels):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


class Fence(QWidget):
    """Holds one widget, which fills it; a change inside that widget is laid out here.

    A label's new text asks every layout above it to be done again, up to the window:
    Qt does so whether or not any size hint changed, and a QTabWidget or QSplitter on
    the way recomputes (the window's tab widget repaints the whole window). A fence
    passes the request on only when the widget's size hints or limits changed.
    """

    def __init__(self, widget: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._widget: QWidget | None = None
        self._hints: tuple | None = None
        if widget is not None:
            self.set_widget(widget)

    @property
    def widget(self) -> QWidget | None:
        return self._widget

    def set_widget(self, widget: QWidget) -> None:
        self._widget = widget
        widget.setParent(self)
        widget.setGeometry(self.rect())
        hidden = Qt.WidgetAttribute.WA_WState_Hidden
        if not (widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
                and widget.testAttribute(hidden)):  # fmt: skip
            widget.show()  # (as a layout shows a widget not hidden on purpose)
        self._hints = self._hints_now()
        self.setSizePolicy(widget.sizePolicy())
        self.updateGeometry()

    def _hints_now(self) -> tuple | None:
        w = self._widget
        if w is None:
            return None
        return (w.sizeHint(), w.minimumSizeHint(), w.minimumSize(), w.maximumSize(),
                w.sizePolicy(), w.isHidden())  # fmt: skip

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._widget.sizeHint() if self._widget is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        w = self._widget
        if w is None:
            return super().minimumSizeHint()
        return w.minimumSizeHint().expandedTo(w.minimumSize()).boundedTo(w.maximumSize())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return self._widget is not None and self._widget.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._widget.heightForWidth(width) if self._widget is not None else -1

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self._widget is not None:
            self._widget.setGeometry(self.rect())

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and self._widget is not None:
            hints = self._hints_now()
            if hints != self._hints:
                self._hints = hints
                self.setSizePolicy(self._widget.sizePolicy())
                self.updateGeometry()
            return True
        return super().event(event)


class SideScroll(QScrollArea):
    """A box as tall as its content that scrolls sideways when the content is too wide."""

    def __init__(self, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        body.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _height(self) -> int:
        body = self.widget()
        bar = self.horizontalScrollBar().sizeHint().height()
        return body.sizeHint().height() + bar + 2

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(60, self._height())


class ThreeColumns(QSplitter):
    """Settings | views | the iterates table above the math panel.

    Below ``narrow_below`` pixels the table and the math panel share one column
    as two tabs, so a 1024-pixel projector still shows readable numbers.
    """

    def __init__(
        self,
        settings: QWidget,
        views: QWidget,
        table: IteratesTable,
        math_panel: QWidget,
        *,
        narrow_below: int = 1500,
        side_share: float = 0.45,
        narrow_side: int = 330,
    ):
        super().__init__(Qt.Orientation.Horizontal)
        self.table, self.math_panel = table, math_panel
        self.narrow_below = narrow_below
        self.side_share = side_share
        self.narrow_side = narrow_side
        self.settings = scroll_column(settings, min_width=260)
        self.stacked = QSplitter(Qt.Orientation.Vertical)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("side_tabs")
        self.side = QStackedWidget()
        self.side.addWidget(self.stacked)
        self.side.addWidget(self.tabs)
        self.addWidget(self.settings)
        self.addWidget(Fence(views))  # (a new number in the views: no new columns)
        self.addWidget(self.side)
        self.setStretchFactor(1, 3)
        self.setStretchFactor(2, 2)
        self.setChildrenCollapsible(False)
        self._narrow: bool | None = None
        self.arrange(False)

    @property
    def narrow(self) -> bool:
        return bool(self._narrow)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        narrow = self.width() < self.narrow_below
        if narrow != self._narrow:
            self.arrange(narrow)

    def arrange(self, narrow: bool) -> None:
        """Put the table and the math panel in tabs (narrow) or one above the other."""
        self._narrow = narrow
        width = max(self.width(), 800)
        if narrow:
            self.tabs.addTab(self.table, "Iterates")
            self.tabs.addTab(self.math_panel, "The math")
            self.side.setCurrentIndex(1)
            side = max(self.narrow_side, int(width * 0.34 * self.narrow_side / 330))
            self.setSizes([270, width - 270 - side, side])
        else:
            self.stacked.addWidget(self.table)
            self.stacked.addWidget(self.math_panel)
            self.stacked.setSizes([380, 620])  # the math with its numbers gets more room
            self.side.setCurrentIndex(0)
            side = int((width - 400) * self.side_share)
            self.setSizes([400, width - 400 - side, side])
        self.table.set_compact(narrow)


def summary_label() -> QLabel:
    """The framed one-line result of the race under the plots (objectName "summary")."""
    label = QLabel()
    label.setObjectName("summary")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    style.relative_font(label, +1)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(6)
    label.setToolTip("How many steps each method needed to reach the tolerance")
    return label
