"""Tools a teacher uses in front of a class: a pointer, a pen, a big step counter and a
"Next: what will this step do?" caption, drawn on a transparent overlay above the tabs.

All are driven from the keyboard (:data:`KEYS`), with plain letters bound like the
window's R and N: a letter typed into a text box (a function, a number) is typed
there and switches nothing. The overlay lets every click through, except while the
pen is on; it is hidden while none of the tools is showing, so it costs the live
plots nothing. Drawings belong to the screen, not to the run: they are not saved in
sessions or exported plots, and go when the tab changes, the window changes size or
C is pressed.

The caption's words come from each lesson's Qt-free ``next_caption(settings, record,
outcome)`` (see :mod:`optgui.lessons.captions`), looked up by the tab's title.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from optgui.gui.keys_help import describe
from optgui.gui.style import Look

#: (key, what it does), for Help → Keyboard shortcuts and the README.
KEYS = (
    ("L (hold)", "Pointer: a large highlight follows the mouse while L is held"),
    ("D", "Pen on / off: drag to draw on the view (clicks do not reach the plots)"),
    ("C", "Clear the drawing"),
    ("K", "Big step counter on / off"),
    ("W", "Caption on / off: what the next step will do"),
)

#: The module whose ``next_caption`` words each tab's next step, by the tab's title.
CAPTIONS = {
    "Regression": "optgui.lessons.regression",
    "Classification": "optgui.lessons.classification",
    "2-2-1 Network": "optgui.lessons.network",
    "Newton 1-D": "optgui.lessons.newton1d",
    "Newton 2-D": "optgui.lessons.newton2d",
    "Hessian Explorer": "optgui.lessons.hessian",
}

#: The caption's text is never smaller than this (points): the presentation size at 1024 px.
CAPTION_PT = 18

#: During a run the counter and caption follow the steps at most every REFRESH_MS.
REFRESH_MS = 100

INK = QColor(32, 32, 32, 205)  # the counter's and caption's background
PEN_COLOR = QColor("#E6007E")  # magenta: no plot uses it
RING_COLOR = QColor(230, 0, 0, 230)
GLOW_COLOR = QColor(255, 214, 0, 100)
PEN_BADGE = "✎ pen: D"


def caption_function(title: str) -> Callable[..., str] | None:
    """The lesson's ``next_caption`` for the tab called ``title`` (None if it has none)."""
    module = CAPTIONS.get(title)
    return getattr(importlib.import_module(module), "next_caption", None) if module else None


def shown_step(tab: Any) -> tuple[int | None, Any, Any]:
    """(index, record, outcome) of the step ``tab`` shows; index None before any step.

    The outcome (how the run ended) is given only when the shown step is the last:
    from an earlier step, → continues the run from there.
    """
    n = len(tab.history)
    index = tab.shown_index
    if index is None or not 0 <= index < n:
        return None, None, None
    outcome = tab.engine.outcome if index == n - 1 else None
    return index, tab.history.record(index), outcome


def next_caption(tab: Any) -> str:
    """What the next step of ``tab`` will do, in words ("" if the tab cannot say)."""
    words = caption_function(getattr(tab, "title", ""))
    binding = getattr(tab, "binding", None)
    if words is None or binding is None:
        return ""
    _, record, outcome = shown_step(tab)
    try:
        return words(binding.settings, record, outcome)
    except Exception:  # noqa: BLE001 - a caption must never break the lesson on screen
        return ""


def counter_text(tab: Any) -> str:
    """The big counter: 'step 3' (the timeline's step), 'start' before any step."""
    index, _, _ = shown_step(tab)
    return "start" if index is None else f"step {index}"


class Overlay(QWidget):
    """A transparent layer over the main window's tabs: pointer, strokes, counter, caption.

    It passes every mouse event through (``WA_TransparentForMouseEvents``) unless the
    pen is on; then a drag draws a stroke. Sizes follow the app's font size, so they
    grow with presentation mode and zoom.
    """

    def __init__(self, parent: QWidget, floor: Callable[[], int], top: Callable[[], int]):
        super().__init__(parent)
        self.setObjectName("presenter_overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._floor, self._top = floor, top  # where the caption sits on, the counter hangs from
        self.pointer: QPointF | None = None
        self.strokes: list[list[QPointF]] = []
        self.drawing = False
        self.counter = ""
        self.caption = ""
        self._counter_rect = QRect()
        self._caption_rect = QRect()
        self._pen_rect = QRect()
        self._painted: tuple = ()  # the texts the rectangles were laid out for
        self.hide()

    # -- sizes (from the app's font size) ---------------------------------------------
    def _font(self, scale: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(Look.font_pt * scale)
        font.setWeight(weight)
        return font

    def _caption_font(self) -> QFont:
        """The caption's text: the presentation size at least (18 pt), even when not presenting."""
        return self._font(max(1.0, CAPTION_PT / Look.font_pt), QFont.Weight.DemiBold)

    @property
    def line(self) -> int:
        """The height of a line of the app's text, in pixels."""
        return QFontMetrics(self._font(1.0)).height()

    @property
    def pointer_radius(self) -> float:
        return 1.75 * self.line  # 66 px across at 12 pt, 100 px at a projector's 18 pt

    @property
    def pen_width(self) -> float:
        return max(3.0, 0.28 * self.line)  # 5 px at 12 pt, thicker when presenting

    # -- state -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the layer while anything is on it (raised above the tabs), else hide it."""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not self.drawing)
        if self.drawing:
            self.setCursor(Qt.CursorShape.CrossCursor)
        else:
            self.unsetCursor()
        busy = bool(
            self.drawing
            or self.strokes
            or self.pointer is not None
            or self.counter
            or self.caption
        )
        if busy and not self.isVisible():
            self.setGeometry(self.parentWidget().rect())
            self.place()
            self.show()
        if busy:
            self.raise_()
        else:
            self.hide()

    def set_pointer(self, at: QPointF | None) -> None:
        old = self._pointer_rect()
        self.pointer = at
        self.update(old.united(self._pointer_rect()))

    def set_texts(self, counter: str, caption: str) -> None:
        self.counter, self.caption = counter, caption
        self.place()  # (also when the texts are the same: the run controls may have moved)

    def clear_strokes(self) -> None:
        if self.strokes:
            self.strokes = []
            self.update()

    def place(self) -> None:
        """Lay out the counter (top right), the caption (above the run controls) and the
        pen's badge (top left); repaint where they were and are, if anything moved."""
        before = (self._counter_rect, self._caption_rect, self._pen_rect, self._painted)
        margin = self.line // 2
        counter = self._badge(self.counter, self._font(3.0, QFont.Weight.Bold))
        counter.moveTopRight(QPoint(self.width() - margin, self._top() + margin))
        pen = self._badge(PEN_BADGE, self._font(0.9)) if self.drawing else QRect()
        pen.moveTopLeft(QPoint(margin, self._top() + margin))
        caption = QRect()
        if self.caption:
            width = self.width() - 2 * margin
            pad = self.line // 2
            metrics = QFontMetrics(self._caption_font())
            text = metrics.boundingRect(
                QRect(0, 0, width - 2 * pad, 10_000), Qt.TextFlag.TextWordWrap, self.caption
            )
            caption = QRect(0, 0, width, text.height() + 2 * pad)
            caption.moveBottomLeft(QPoint(margin, min(self._floor(), self.height()) - margin))
        self._counter_rect, self._caption_rect, self._pen_rect = counter, caption, pen
        self._painted = (self.counter, self.caption, self.drawing)
        if before != (counter, caption, pen, self._painted):
            self.update(before[0].united(before[1]).united(before[2]))
            self.update(counter.united(caption).united(pen))

    def _badge(self, text: str, font: QFont) -> QRect:
        if not text:
            return QRect()
        metrics = QFontMetrics(font)
        pad = metrics.height() // 6
        return QRect(0, 0, metrics.horizontalAdvance(text) + 4 * pad, metrics.height() + 2 * pad)

    def _pointer_rect(self) -> QRect:
        if self.pointer is None:
            return QRect()
        r = self.pointer_radius + 4
        return QRectF(self.pointer.x() - r, self.pointer.y() - r, 2 * r, 2 * r).toAlignedRect()

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Anything under the layer that redraws (a live plot) repaints the layer there
        # too: only what lies in the repainted region is drawn.
        region = event.region()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.strokes:
            pen = QPen(PEN_COLOR, self.pen_width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            for stroke in self.strokes:
                path = QPainterPath(stroke[0])
                for point in stroke[1:]:
                    path.lineTo(point)
                w = self.pen_width
                if region.intersects(path.controlPointRect().adjusted(-w, -w, w, w).toRect()):
                    if len(stroke) == 1:
                        painter.drawPoint(stroke[0])
                    else:
                        painter.drawPath(path)
        if region.intersects(self._counter_rect):
            self._paint_badge(painter, self._counter_rect, self.counter, 3.0, QFont.Weight.Bold)
        if region.intersects(self._pen_rect):
            self._paint_badge(painter, self._pen_rect, PEN_BADGE if self.drawing else "", 0.9)
        rect = self._caption_rect
        if self.caption and region.intersects(rect):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            painter.drawRoundedRect(QRectF(rect), self.line / 3, self.line / 3)
            painter.setPen(QColor("white"))
            painter.setFont(self._caption_font())
            pad = self.line // 2
            painter.drawText(
                rect.adjusted(pad, pad, -pad, -pad),
                int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft),
                self.caption,
            )
        if self.pointer is not None and region.intersects(self._pointer_rect()):
            r = self.pointer_radius
            painter.setBrush(GLOW_COLOR)
            painter.setPen(QPen(RING_COLOR, max(3.0, r / 9)))
            painter.drawEllipse(self.pointer, r, r)
        painter.end()

    def _paint_badge(
        self,
        painter: QPainter,
        rect: QRect,
        text: str,
        scale: float,
        weight: QFont.Weight = QFont.Weight.Normal,
    ) -> None:
        if not text or rect.isEmpty():
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(INK)
        painter.drawRoundedRect(QRectF(rect), rect.height() / 5, rect.height() / 5)
        painter.setPen(QColor("white"))
        painter.setFont(self._font(scale, weight))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)

    # -- the pen ----------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.drawing and event.button() == Qt.MouseButton.LeftButton:
            self.strokes.append([event.position()])
            self._update_tail()
        event.accept()  # (nothing under the layer sees it while the pen is on)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.drawing and self.strokes and event.buttons() & Qt.MouseButton.LeftButton:
            self.strokes[-1].append(event.position())
            self._update_tail()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def _update_tail(self) -> None:
        """Repaint only the newest piece of the stroke being drawn."""
        tail = self.strokes[-1][-2:]
        rect = QRectF(tail[0], tail[-1]).normalized()
        w = self.pen_width
        self.update(rect.adjusted(-w, -w, w, w).toAlignedRect())

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoom, presentation mode
            self.place()


class Presenter(QObject):
    """The teacher's keys on a main window, and the overlay they draw on.

    Attributes a test reads: :attr:`overlay` (with ``pointer``, ``strokes``,
    ``drawing``, ``counter`` and ``caption``).
    """

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.central = window.centralWidget()
        self.overlay = Overlay(self.central, self._caption_floor, self._counter_top)
        self.counter_on = False
        self.caption_on = False
        self._holding = False  # L is held: this object filters the application's events
        self._wired: set[int] = set()  # ids of the tabs whose signals refresh the texts
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh_texts)
        self.central.installEventFilter(self)
        window.tabs.currentChanged.connect(self._tab_changed)
        actions = (
            self.point,
            self.toggle_pen,
            self.clear,
            self.toggle_counter,
            self.toggle_caption,
        )
        for (label, text), action in zip(KEYS, actions, strict=True):
            key = label.split()[0]
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setAutoRepeat(False)  # (a held key repeats: L is held)
            shortcut.activated.connect(action)
            describe(shortcut, text, label)

    @property
    def window(self) -> QMainWindow:
        """The main window (its parent: a reference kept here would keep a closed window's
        Python object alive)."""
        return self.parent()

    # -- the tools ---------------------------------------------------------------------
    def point(self) -> None:
        """L pressed: the pointer shows at the mouse until L is released."""
        if self._holding:
            return
        self._holding = True
        QApplication.instance().installEventFilter(self)
        self.overlay.set_pointer(QPointF(self.overlay.mapFromGlobal(QCursor.pos())))
        self.overlay.refresh()

    def release(self) -> None:
        """L released (or the window lost the keyboard): the pointer goes."""
        if not self._holding:
            return
        self._holding = False
        QApplication.instance().removeEventFilter(self)
        self.overlay.set_pointer(None)
        self.overlay.refresh()

    def toggle_pen(self) -> None:
        """D: the pen on (drags draw, clicks stay on the layer) or off (drawing stays)."""
        self.overlay.drawing = not self.overlay.drawing
        self.overlay.refresh()
        self.overlay.place()
        self.window.statusBar().showMessage(
            "Pen on: drag to draw; C clears, D puts the pen away."
            if self.overlay.drawing
            else "Pen off: clicks reach the plots again; C clears the drawing."
        )

    def clear(self) -> None:
        """C: clear the drawing."""
        self.overlay.clear_strokes()
        self.overlay.refresh()

    def toggle_counter(self) -> None:
        """K: the big step counter on or off."""
        self.counter_on = not self.counter_on
        self.refresh_texts()

    def toggle_caption(self) -> None:
        """W: the "Next: …" caption on or off."""
        self.caption_on = not self.caption_on
        self.refresh_texts()

    # -- the texts ---------------------------------------------------------------------
    def _tab(self) -> Any:
        return self.window.current

    def refresh_texts(self) -> None:
        """Write the counter and the caption for the step the tab in front shows."""
        self._timer.stop()
        if self.counter_on or self.caption_on:
            tab = self._tab()
            self._wire(tab)
            counter = counter_text(tab) if self.counter_on else ""
            caption = next_caption(tab) if self.caption_on else ""
        else:
            counter = caption = ""
        self.overlay.set_texts(counter, caption)
        self.overlay.refresh()

    def schedule(self, *_args) -> None:
        """A step, a reset or a setting changed: rewrite the texts soon (during a run at
        most every REFRESH_MS; the views draw first)."""
        if not (self.counter_on or self.caption_on) or self._timer.isActive():
            return
        running = getattr(getattr(self._tab(), "engine", None), "running", False)
        self._timer.start(REFRESH_MS if running else 0)

    def _wire(self, tab: Any) -> None:
        if id(tab) in self._wired:
            return
        self._wired.add(id(tab))
        tab.controls.timeline.valueChanged.connect(self.schedule)
        tab.engine.state_changed.connect(self.schedule)
        tab.engine.reset_done.connect(self.schedule)
        binding = getattr(tab, "binding", None)
        if binding is not None:
            binding.changed.connect(self.schedule)

    def _tab_changed(self, _index: int) -> None:
        self.overlay.clear_strokes()  # drawings belong to the view they were drawn on
        self.refresh_texts()

    # -- where things go ------------------------------------------------------------------
    def _counter_top(self) -> int:
        """The counter hangs below the tab bar."""
        bar = self.window.tabs.tabBar()
        if not bar.isVisible():
            return 0
        return bar.mapTo(self.central, QPoint(0, bar.height())).y()

    def _caption_floor(self) -> int:
        """The caption sits just above the tab's run controls (the bottom if none show)."""
        tab = getattr(self.window.tabs.currentWidget(), "tab", None)  # (None: not built yet)
        controls = getattr(tab, "controls", None)
        if controls is None or not controls.isVisible():
            return self.central.height()
        return controls.mapTo(self.central, QPoint(0, 0)).y()

    # -- events ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.central:
            if kind == QEvent.Type.Resize:
                if event.size() != event.oldSize():
                    self.overlay.clear_strokes()  # (the views moved under the drawing)
                self.overlay.setGeometry(self.central.rect())
                self.overlay.place()
            return False
        # Below: the whole application's events, only while L is held.
        if kind == QEvent.Type.MouseMove:
            self.overlay.set_pointer(
                QPointF(self.overlay.mapFromGlobal(event.globalPosition().toPoint()))
            )
        elif kind == QEvent.Type.KeyRelease and event.key() == Qt.Key.Key_L:
            if not event.isAutoRepeat():
                self.release()
            return True
        elif kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_L:
            return True  # (auto-repeat while held)
        elif kind == QEvent.Type.WindowDeactivate and watched is self.window:
            self.release()
        return False


def install(window: QMainWindow) -> Presenter:
    """Give ``window`` the teacher's tools (call once, when the window is built)."""
    return Presenter(window)
