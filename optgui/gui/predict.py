"""Predict mode (G): the class commits to a guess before → shows the step.

In predict mode a bar above the run controls asks for a guess: a click on the plot
where the next point lands (Newton 1-D, Newton 2-D, the Hessian map, Regression's
cost surface), or ↑/↓ for each parameter (Classification, the network). → is the
ordinary step; when its record arrives the bar shows the guess beside the truth,
the distance and the session's tally, and the plot marks both. The predictor only
reads the records the run produced, so the run is the same with or without it.

While predict mode is on, a click on a guessing plot is a guess: it is not passed
on (it would set a new start). The tally is kept per tab and starts again with
the run (R, a new start, new data).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from optgui.gui import style
from optgui.gui.keys_help import describe
from optgui.gui.predict_targets import Target, target_for
from optgui.lessons import predict as lesson

#: The key that switches predict mode on and off ("G" for guess).
KEY = "G"
HELP = "Predict mode on / off: the class guesses each step, → reveals it"
#: A click this many pixels from the truth is a hit when a tenth of the step is less.
CLICK_PIXELS = 6
#: Widget property: the stage of presentation mode leaves this widget on the page.
STAYS = "stays_on_stage"

GUESS_COLOR = style.INK
TRUTH_COLOR = style.GREEN
BAR_STYLE = (
    f"QFrame#predict_bar {{ background: #FFF4D6; border: 2px solid {style.ORANGE};"
    " border-radius: 4px; }"
)

SIGN_STYLE = (
    "QWidget#signs_row { background: transparent; }"
    f" QPushButton {{ background: white; border: 2px solid {style.GREY}; border-radius: 4px;"
    " padding: 1px 8px; min-width: 1.2em; }"
    f" QPushButton:checked {{ background: {style.ORANGE}; border-color: {style.INK};"
    " font-weight: bold; }"
)

#: A sign's button id in its group (Qt gives id −1 a meaning of its own) and back.
_ID = {lesson.UP: 1, lesson.DOWN: 2}
_SIGN = {1: lesson.UP, 2: lesson.DOWN}


class PredictBar(QFrame):
    """The prompt, the guess or the reveal, the tally and (signs) the ↑/↓ buttons."""

    signs_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("predict_bar")
        self.setStyleSheet(BAR_STYLE)
        self.setProperty(STAYS, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.title = QLabel(f"Predict ({KEY})")
        self.title.setObjectName("predict_title")
        self.text = QLabel()
        self.text.setObjectName("predict_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.tally = QLabel()
        self.tally.setObjectName("predict_tally")
        # (the text at the window's size: presenting makes it large, the bar stays short)
        for label, delta in ((self.title, 2), (self.text, 1), (self.tally, 0)):
            style.relative_font(label, delta)
            label.setStyleSheet(f"color: {style.INK}; background: transparent; border: none;")
        self.title.setStyleSheet(self.title.styleSheet() + " font-weight: bold;")
        self.tally.setStyleSheet(self.tally.styleSheet() + " font-weight: bold;")
        names = QVBoxLayout()  # what this is and the score, left; the sentence gets the width
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.tally)
        top.addLayout(names)
        top.addSpacing(10)
        top.addWidget(self.text, 1)
        layout.addLayout(top)
        self.signs_row = QWidget()
        self.signs_row.setObjectName("signs_row")
        self.signs_row.setStyleSheet(SIGN_STYLE)
        self._signs_layout = QGridLayout(self.signs_row)
        self._signs_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.signs_row)
        self.signs_row.hide()
        self._groups: dict[str, QButtonGroup] = {}

    # -- signs ----------------------------------------------------------------------------
    def set_sign_names(self, names: tuple[str, ...]) -> None:
        """A ↑ and a ↓ button per parameter (none: the row is hidden)."""
        if tuple(self._groups) == tuple(names):
            return
        while self._signs_layout.count():
            item = self._signs_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._groups = {}
        per_row = 5 if len(names) > 5 else max(1, len(names))
        for i, name in enumerate(names):
            cell = QWidget()
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 8, 0)
            row.setSpacing(2)
            caption = QLabel(lesson.label(name))
            style.relative_font(caption, 1)
            row.addWidget(caption)
            group = QButtonGroup(cell)
            group.setExclusive(False)
            for sign in (lesson.UP, lesson.DOWN):
                button = QPushButton(lesson.ARROWS[sign])
                button.setObjectName(f"sign_{'up' if sign > 0 else 'down'}_{name}")
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # (→ must reach the window)
                way = "grow" if sign > 0 else "shrink"
                button.setToolTip(f"{lesson.label(name)} will {way} at the next step")
                style.relative_font(button, 1)
                group.addButton(button, _ID[sign])
                row.addWidget(button)
            group.idToggled.connect(lambda i, on, g=group: self._toggled(g, _SIGN[i], on))
            self._groups[name] = group
            self._signs_layout.addWidget(cell, i // per_row, i % per_row)
        self.signs_row.setVisible(bool(names))

    def _toggled(self, group: QButtonGroup, sign: int, on: bool) -> None:
        if on:  # ↑ and ↓ exclude each other, and either can be taken back
            other = group.button(_ID[-sign])
            if other.isChecked():
                other.blockSignals(True)
                other.setChecked(False)
                other.blockSignals(False)
        self.signs_changed.emit(self.signs())

    def signs(self) -> dict[str, int]:
        """The picked signs (+1, −1; a parameter not picked is left out)."""
        picked = {}
        for name, group in self._groups.items():
            for sign in (lesson.UP, lesson.DOWN):
                if group.button(_ID[sign]).isChecked():
                    picked[name] = sign
        return picked

    def set_signs(self, signs: dict[str, int]) -> None:
        """Check the buttons of ``signs`` (+1 / −1 by name; the others unchecked), quietly."""
        for name, group in self._groups.items():
            for sign in (lesson.UP, lesson.DOWN):
                button = group.button(_ID[sign])
                button.blockSignals(True)
                button.setChecked(signs.get(name, 0) == sign)
                button.blockSignals(False)

    def clear_signs(self) -> None:
        self.set_signs({})

    def button(self, name: str, sign: int) -> QPushButton:
        return self._groups[name].button(_ID[sign])

    # -- texts ------------------------------------------------------------------------------
    def show_text(self, text: str, verdict: bool | None = None) -> None:
        """The bar's sentence; a reveal is coloured by its verdict (hit: green)."""
        self.text.setText(text)
        colour = {True: style.GREEN, False: style.VERMILION}.get(verdict, style.INK)
        weight = " font-weight: bold;" if verdict is not None else ""
        self.text.setStyleSheet(f"color: {style.INK}; background: transparent; border: none;")
        self.title.setStyleSheet(
            f"color: {colour}; background: transparent; border: none; font-weight: bold;{weight}"
        )
        self.title.setText({True: "✓ Hit", False: "✗ Miss"}.get(verdict, f"Predict ({KEY})"))

    def show_tally(self, text: str) -> None:
        self.tally.setText(text)


class Marks:
    """The guess and the truth on one plot: a cross and a ring (2-D) or two vertical
    lines (1-D), a dashed line between them and their names."""

    def __init__(self, plot: pg.PlotWidget, dims: int, labelled: bool):
        self.plot, self.dims, self.labelled = plot, dims, labelled
        width = style.Look.pen + 2
        size = style.Look.marker + 14
        if dims == 1:
            self.guess = pg.InfiniteLine(
                angle=90, pen=style.pen(GUESS_COLOR, width, Qt.PenStyle.DashLine)
            )
            self.truth = pg.InfiniteLine(angle=90, pen=style.pen(TRUTH_COLOR, width))
            self.items = [self.guess, self.truth]
        else:
            self.halo = pg.ScatterPlotItem(
                symbol="+", size=size + 6, pen=pg.mkPen("w", width=width + 4), brush=None
            )
            self.guess = pg.ScatterPlotItem(
                symbol="+", size=size, pen=pg.mkPen(GUESS_COLOR, width=width), brush=None
            )
            self.truth = pg.ScatterPlotItem(
                symbol="o", size=size, pen=pg.mkPen(TRUTH_COLOR, width=width + 1), brush=None
            )
            self.under = pg.PlotDataItem(pen=pg.mkPen("w", width=width + 2))
            self.link = pg.PlotDataItem(pen=style.pen(GUESS_COLOR, width, Qt.PenStyle.DashLine))
            self.items = [self.under, self.link, self.halo, self.guess, self.truth]
        font = style.Look.axis_font()
        font.setPointSize(style.Look.font_pt + 2)
        font.setBold(True)
        self.guess_label = pg.TextItem("guess", color=GUESS_COLOR, fill=(255, 255, 255, 215))
        self.truth_label = pg.TextItem("", color=TRUTH_COLOR, fill=(255, 255, 255, 215))
        for text in (self.guess_label, self.truth_label):
            text.setFont(font)
            self.items.append(text)
        for item in self.items:
            item.setZValue(40)
            plot.addItem(item, ignoreBounds=True)
        self.clear()

    def clear(self) -> None:
        for item in self.items:
            item.hide()

    def remove(self) -> None:
        for item in self.items:
            self.plot.removeItem(item)

    def show(self, guess: np.ndarray | None, truth: np.ndarray | None, mark: str) -> None:
        """Mark ``guess`` and (after the reveal) ``truth``."""
        self.clear()
        if guess is not None:
            self._place(self.guess, guess)
            if self.labelled:
                self._label(self.guess_label, guess, "guess", truth)
        if truth is not None:
            self._place(self.truth, truth)
            if self.labelled:
                self._label(self.truth_label, truth, mark, guess)
            if guess is not None and self.dims > 1:
                for line in (self.under, self.link):
                    line.setData([guess[0], truth[0]], [guess[1], truth[1]])
                    line.show()
        if guess is not None and self.dims > 1:
            self.halo.setData([guess[0]], [guess[1]])
            self.halo.show()

    def _place(self, item, point: np.ndarray) -> None:
        if self.dims == 1:
            item.setValue(float(point[0]))
        else:
            item.setData([float(point[0])], [float(point[1])])
        item.show()

    def _label(self, text: pg.TextItem, point: np.ndarray, words: str, other) -> None:
        """Name ``point``: the text runs toward the middle of the plot (never out of it),
        above or below the mark, away from ``other`` (1-D: the truth's a line lower)."""
        text.setText(words)
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        right = point[0] <= (x0 + x1) / 2
        if self.dims == 1:
            y = y1 - (0.03 if words == "guess" else 0.2) * (y1 - y0)
            above = False
        else:
            y = float(point[1])
            above = other is None or point[1] >= other[1]
        # (anchors beyond 0…1: the text stands a little off the mark, never on it)
        text.setAnchor((-0.15 if right else 1.15, 1.25 if above else -0.25))
        text.setPos(float(point[0]), y)
        text.show()


class PredictSession(QObject):
    """Predict mode on one tab: its bar, marks, current guess and tally."""

    def __init__(self, tab):
        super().__init__(tab)
        self.setObjectName("predict_session")
        self.tab = tab
        self.active = False
        self.target: Target | None = None
        self.guess: np.ndarray | dict[str, int] | None = None
        self.reveal: lesson.Reveal | None = None
        self.tally = lesson.Tally()
        self._marks: dict[int, Marks] = {}
        self._filtered: list[QWidget] = []
        self.bar = PredictBar()
        self.bar.hide()
        layout = tab.layout()
        index = layout.indexOf(tab.controls)
        layout.insertWidget(index if index >= 0 else layout.count(), self.bar)
        self.bar.signs_changed.connect(self._signs_changed)
        tab.engine.steps_ready.connect(self._steps)
        tab.engine.reset_done.connect(self._reset)

    # -- on and off ---------------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        if on:
            self._aim()
            self._prompt()
            self.bar.show()
            self.show_on_stage()
        else:
            self._watch([])
            self._drop_guess()
            self.bar.hide()

    def show_on_stage(self) -> None:
        """Presenting: bring the stage's view with the guessing plot to the front (the
        Regression stage opens on the data, the guess goes on the cost surface)."""
        stage, target = self.tab.stage, self.target
        if not self.tab.staged or target is None or not target.plots:
            return
        if target.plots[0] in stage.view.figures:
            return
        for i, view in enumerate(stage.views):
            if target.plots[0] in view.figures:
                self.tab.show_stage_view(i)
                return

    def _aim(self) -> None:
        """(Re)read the tab's target (the data and so the parameters may have changed)."""
        self.target = target_for(self.tab)
        target = self.target
        self.bar.set_sign_names(target.names if target.kind == "signs" else ())
        self._watch(list(target.plots) if self.active else [])

    def _watch(self, plots: list[pg.PlotWidget]) -> None:
        """Catch the clicks on ``plots`` (and no others)."""
        for viewport in self._filtered:
            viewport.removeEventFilter(self)
        self._filtered = [plot.viewport() for plot in plots]
        for viewport in self._filtered:
            viewport.installEventFilter(self)

    # -- guesses ------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        ):
            return False
        if event.button() != Qt.MouseButton.LeftButton or self.target is None:
            return False
        plot = next((p for p in self.target.plots if p.viewport() is obj), None)
        if plot is None:
            return False
        vb = plot.getViewBox()
        scene = plot.mapToScene(event.position().toPoint())
        if not vb.sceneBoundingRect().contains(scene):
            return False  # (the axes and the title: not a guess)
        if kind == QEvent.Type.MouseButtonPress:
            point = vb.mapSceneToView(QPointF(scene))
            self.guess_point([point.x(), point.y()][: self.target.dims])
        return True  # a guess: not a new start

    def guess_point(self, point) -> None:
        """The class guesses that the next point lands at ``point`` (data units)."""
        if self.target is None or self.target.kind != "point":
            return
        self.guess = np.asarray(point, dtype=float)
        self.reveal = None
        self.bar.show_text(lesson.guessed_text("point", self.target.names, self.guess))
        self._draw(self.guess, None)

    def guess_signs(self, signs: dict[str, int]) -> None:
        """The class guesses these signs (+1 / −1 by parameter name) for the next update."""
        self.bar.set_signs(signs)
        self._signs_changed(self.bar.signs())

    def _signs_changed(self, signs: dict[str, int]) -> None:
        if self.target is None:
            return
        self.guess = dict(signs) or None
        self.reveal = None
        if self.guess:
            self.bar.show_text(lesson.guessed_text("signs", self.target.names, self.guess))
        else:
            self._prompt()

    def _drop_guess(self) -> None:
        self.guess = None
        self.reveal = None
        self.bar.clear_signs()
        for marks in self._marks.values():
            marks.clear()

    # -- the reveal ---------------------------------------------------------------------------
    def _steps(self, records) -> None:
        """Steps arrived: a single one reveals the guess against its truth."""
        target = self.target
        if not self.active or target is None or not len(records):
            return
        history = self.tab.history
        if self.tab.engine.running:
            if self.guess is not None:
                self._drop_guess()
                self.bar.show_text(lesson.PLAYED_ON)
            return
        first = len(history) - len(records)
        before = target.point_of(history.record(first - 1)) if first > 0 else target.start()
        after = target.point_of(records[0])
        if self.guess is None:
            for marks in self._marks.values():
                marks.clear()
            self.bar.show_text(lesson.NO_GUESS)
            return
        if before is None or after is None:
            return
        if np.array_equal(before, after):  # step 0 shows the start: nothing to compare
            k = records[0].k
            if first == 0:
                self.bar.show_text(lesson.NOTHING_MOVED.format(k=k))
            else:
                where = lesson.point_text(target.names, after) if target.kind == "point" else ""
                where = where or "no parameter changed"
                self.bar.show_text(lesson.STAYED.format(k=k, where=where))
            return
        if target.kind == "point":
            click = self._click_size()
            reveal = lesson.point_reveal(
                target.names, self.guess, after, before, target.method, click
            )
            self._draw(self.guess, after)
        else:
            reveal = lesson.sign_reveal(target.names, self.guess, before, after)
        self.tally.add(reveal)
        self.reveal = reveal
        self.guess = None
        self.bar.clear_signs()
        self.bar.show_text(reveal.text, reveal.hit)
        self.bar.show_tally(self.tally.text())

    def _click_size(self) -> float:
        """How far a click can be off on the guessing plot, in data units."""
        plot = self.target.plots[0]
        vb = plot.getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        width, height = max(vb.width(), 1.0), max(vb.height(), 1.0)
        per_pixel = [(x1 - x0) / width] + ([(y1 - y0) / height] if self.target.dims > 1 else [])
        return CLICK_PIXELS * max(per_pixel)

    def _reset(self) -> None:
        """A new run: the tally starts again."""
        self.tally.reset()
        self._drop_guess()
        if self.active:
            self._aim()
            self._prompt()

    def _prompt(self) -> None:
        target = self.target
        if target is None:
            return
        self.bar.show_text(lesson.prompt(target.kind, target.names, target.method))
        self.bar.show_tally(self.tally.text())

    def _draw(self, guess, truth) -> None:
        target = self.target
        for i, plot in enumerate(target.plots):
            marks = self._marks.get(id(plot))
            if marks is None or marks.dims != target.dims:
                if marks is not None:
                    marks.remove()
                marks = self._marks[id(plot)] = Marks(plot, target.dims, labelled=i == 0)
            marks.show(guess, truth, target.mark)


class Predictor(QObject):
    """G on the main window: predict mode on or off, for the tab in front."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.on = False
        shortcut = QShortcut(QKeySequence(KEY), window)
        shortcut.setAutoRepeat(False)
        shortcut.activated.connect(self.toggle)
        describe(shortcut, HELP)
        window.tabs.currentChanged.connect(self._tab_changed)
        window.presentation_action.toggled.connect(self._presenting)
        self._shown = None  # the session showing its bar

    @property
    def window(self) -> QMainWindow:
        return self.parent()

    def session(self, tab) -> PredictSession | None:
        """The tab's predict session (made the first time; None if nothing to guess there)."""
        found = tab.findChild(PredictSession, "predict_session")
        if found is None and target_for(tab) is not None:
            found = PredictSession(tab)
        return found

    def toggle(self) -> None:
        self.set_on(not self.on)

    def set_on(self, on: bool) -> None:
        self.on = on
        self._tab_changed()
        self.window.statusBar().showMessage(
            f"Predict mode on: guess, then → shows the step. {KEY} turns it off."
            if on
            else "Predict mode off."
        )

    def _presenting(self, _on: bool) -> None:
        if self._shown is not None:
            self._shown.show_on_stage()

    def _tab_changed(self, *_args) -> None:
        session = self.session(self.window.current) if self.on else None
        if self._shown is not None and self._shown is not session:
            self._shown.set_active(False)
        self._shown = session
        if session is not None:
            session.set_active(True)


def install(window: QMainWindow) -> Predictor:
    """Predict mode on ``window`` (its key is listed in Help → Keyboard shortcuts)."""
    return Predictor(window)
