"""What the three training tabs share: a model, data, gradient-descent settings,
the parameter table, the cost curve and the math panel.

Subclasses choose the model and the data and draw their own views; this base
builds the run factory from frozen settings, so the worker never reads a widget.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGraphicsTextItem,
    QGroupBox,
    QHBoxLayout,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optgui.core.datasets import Dataset
from optgui.core.history import Envelope, History
from optgui.core.models import Model, Network
from optgui.core.stepping import CONVERGED, DIVERGED, STEP_LIMIT
from optgui.core.training import TrainSettings, TrainStep, rate_limit, row_columns
from optgui.gui import style
from optgui.gui.binding import Binding
from optgui.gui.layout import SettingsColumn
from optgui.gui.legends import BELOW
from optgui.gui.mathpanel import MathPanel
from optgui.gui.pinned import PinBoard, PinTarget, place_in_pages
from optgui.gui.stage import StageView
from optgui.gui.tab import ExperimentTab
from optgui.gui.tables import ParameterTable
from optgui.lessons import pinned, progress
from optgui.lessons import training as lesson
from optgui.lessons.rate_bound import as_html
from optgui.lessons.settings import SettingsError
from optgui.lessons.training import BATCH_CHOICES, INIT_CHOICES, TrainingLesson

#: Width of the settings column (pixels at 100 % scale).
SETTINGS_WIDTH = 450
#: A cost curve of at most this many steps shows a dot for each.
DOTS_UP_TO = 40


class LearningRateBox(QDoubleSpinBox):
    """Learning rate α from 1e-6 to 100; steps by ×/÷ about 2 with the arrows."""

    def __init__(self, value: float, parent=None):
        super().__init__(parent)
        self.setObjectName("learning_rate")
        self.setDecimals(6)
        self.setRange(1e-6, 100.0)
        self.setValue(value)
        self.setKeyboardTracking(False)
        self.setToolTip("Learning rate α: how far each step moves against the gradient")

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt API
        value = self.value()
        for _ in range(abs(steps)):
            value = value * 2 if steps > 0 else value / 2
        self.setValue(float(f"{value:.3g}"))


class PlotNote(pg.GraphicsWidget):
    """A note under a plot's x axis, wrapped to the plot's width.

    pyqtgraph draws it inside the plot (the plot's view gives up the lines it needs), so
    the page's layout never moves when it appears, and an exported plot shows it too.
    """

    def __init__(self, plot: pg.PlotWidget):
        super().__init__()
        self.html = ""
        self._pt = 0  # the font size the note is set in
        self.text_item = QGraphicsTextItem(self)
        self.text_item.setPos(4, 0)
        self.plot_item = plot.getPlotItem()
        self.plot_item.layout.addItem(self, BELOW + 1, 0, 1, 3)  # (under a legend below)
        self.plot_item.geometryChanged.connect(self._fit)
        self._fit()

    @property
    def text(self) -> str:
        """The note without its markup ("": no note)."""
        return self.text_item.toPlainText() if self.html else ""

    def set_html(self, html: str) -> None:
        if html == self.html and self._pt == style.Look.font_pt:
            return
        self.html, self._pt = html, style.Look.font_pt
        self.text_item.setHtml(f'<span style="font-size:{self._pt}pt;">{html}</span>')
        self._fit()

    def _fit(self) -> None:
        if self.html and self._pt != style.Look.font_pt:  # (zoomed, or presenting)
            self.set_html(self.html)
            return
        self.text_item.setTextWidth(max(60.0, self.plot_item.width() - 12))
        height = self.text_item.boundingRect().height() + 4 if self.html else 0.0
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self.setPreferredHeight(height)
        self.setVisible(bool(self.html))


class TrainingTab(ExperimentTab):
    """Base for Regression, Classification and the 2-2-1 Network."""

    #: The lesson's settings class (subclasses extend it with their data settings).
    Lesson: type[TrainingLesson] = TrainingLesson
    default_rate = 0.1
    default_speed = 10
    default_limit = 1000
    units_column = False
    #: The pinned runs' table counts steps to this cost (None: to |∇J| < TRAIN_TOL).
    pin_cost_below: float | None = None
    #: The learning-rate box's class (Regression's reaches raw units' α ≈ 1e-7).
    rate_box: type[LearningRateBox] = LearningRateBox

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.X = np.zeros((0, 1))
        self.y = np.zeros(0)
        self.model: Model | None = None
        self.params0 = np.zeros(0)
        self.selected = 0  # the example shown in the math panel

        # settings column ----------------------------------------------------
        self.settings_panel = QWidget()
        self.settings_layout = QVBoxLayout(self.settings_panel)
        self.settings_layout.setContentsMargins(0, 0, 0, 0)
        self.data_box = QGroupBox("Data")
        self.data_layout = QVBoxLayout(self.data_box)
        self.settings_layout.addWidget(self.data_box)

        train_box = QGroupBox("Gradient descent")
        form = QFormLayout(train_box)
        self.rate = self.rate_box(self.default_rate)
        form.addRow("Learning rate α", self.rate)
        self.batch = QComboBox()
        self.batch.setObjectName("batch")
        for key, text in BATCH_CHOICES:
            self.batch.addItem(text, key)
        self.batch.setToolTip(
            "Full batch: each step uses the mean gradient over all examples.\n"
            "One at a time: each step uses one example, in turn."
        )
        form.addRow("Batch", self.batch)
        self.init = QComboBox()
        self.init.setObjectName("init")
        for key, text in INIT_CHOICES:
            self.init.addItem(text, key)
        self.init.setToolTip("Where the parameters start (double-click a value to type one)")
        form.addRow("Start", self.init)
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 999_999)
        self.seed.setValue(3)
        self.seed.setToolTip(
            "Seed of the random start (3 is the course's); New start draws a new one"
        )
        form.addRow("Seed", self.seed)
        self.settings_layout.addWidget(train_box)

        self.table = ParameterTable(units=self.units_column)
        self.settings_layout.addWidget(self.table, 1)

        # cost plot ------------------------------------------------------------
        self.cost_plot = style.make_plot("Cost J against steps", "step k", "cost J")
        self.cost_curve = self.cost_plot.plot(
            pen=style.pen(style.BLUE), symbolSize=6, symbolBrush=style.BLUE, symbolPen=None
        )
        self.cost_curve.setSymbol(None)  # (dots for a short run only: see show_history)
        self._dots = False
        self._cost_envelope = Envelope(bins=400)
        self.cost_marker = self.cost_plot.plot(
            pen=None, symbol="o", symbolBrush=style.VERMILION, symbolSize=style.Look.marker
        )
        self.log_cost = QCheckBox("log scale")
        self.log_cost.setObjectName("log_cost")
        self.log_cost.setToolTip(
            "Show the cost on a logarithmic axis (slow final convergence shows)"
        )
        self.log_cost.toggled.connect(self._log_toggled)
        #: What the cost is doing (a warning and what to try), and why the axis went log.
        self.verdict: progress.Verdict | None = None
        self._auto_log = ""  # why the log scale was switched on by itself ("": it was not)
        self._log_declined = False  # the student switched the automatic log scale off
        self._cost_range = (0, np.inf, -np.inf)  # (rows seen, lowest, highest positive cost)
        self.cost_box = self._cost_view()
        self.cost_note = PlotNote(self.cost_plot)

        self.math = MathPanel()

        # wiring: the widgets are bound to the lesson's settings --------------------
        self.binding = Binding(
            self.Lesson(learning_rate=self.default_rate),
            {
                "learning_rate": self.rate,
                "batch": self.batch,
                "init": self.init,
                "seed": self.seed,
            },
            self,
        )
        self.binding.changed.connect(self._settings_edited)
        self.binding.rejected.connect(self.set_status)
        self.table.initial_edited.connect(self._typed_initial)
        self.table.edit_rejected.connect(self.set_status)

        # runs side by side (a page beside the math: see assemble) ----------------------
        self.board = PinBoard(self, self.set_status)

    # -- layout helper --------------------------------------------------------
    def assemble(self, views: QWidget) -> None:
        """Put the settings column left of ``views``, the run controls below."""
        scroll = SettingsColumn(self.settings_panel, width=SETTINGS_WIDTH)  # (grows with text)
        for combo in self.settings_panel.findChildren(QComboBox):
            # Long item texts must not widen the column: they elide instead.
            combo.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            combo.setMinimumWidth(120)
        self.settings_scroll = scroll
        body = QWidget()
        body.setObjectName("page")
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(scroll)
        row.addWidget(views, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addWidget(self.controls)
        if not place_in_pages(self.board.panel, self.derivation):
            self.settings_layout.addWidget(self.board.panel)

    def _cost_view(self) -> QWidget:
        """The cost plot with its log-scale box."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cost_plot, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.log_cost)
        layout.addLayout(row)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return box

    # -- data and start -------------------------------------------------------
    def set_training_data(self, dataset: Dataset, X: np.ndarray, y: np.ndarray, model: Model):
        """New data (and model): the run restarts from the chosen start."""
        self.stop()
        self.dataset, self.X, self.y, self.model = dataset, X, y, model
        self.selected = min(self.selected, len(y) - 1) if len(y) else 0
        self.params0 = self._initial_params()
        self.data_changed()

    @property
    def lesson(self) -> TrainingLesson:
        """The tab's settings (what the widgets show)."""
        return self.binding.settings

    def show_settings(self, settings: TrainingLesson) -> None:
        """Show ``settings`` in the widgets (a session, a rule between settings); nothing
        reacts, so the caller loads data or resets as it needs."""
        self.binding.write(settings)

    def _settings_edited(self, _settings: TrainingLesson, names: frozenset[str]) -> None:
        if names & {"init", "seed", "params0"}:
            self._start_changed()
        else:
            self.settings_changed()

    def _initial_params(self) -> np.ndarray:
        assert self.model is not None
        return lesson.initial_params(self.lesson, self.model)

    def _start_changed(self) -> None:
        if self.model is not None:
            self.params0 = self._initial_params()
            self.reset()

    def new_start(self) -> None:
        seed = int(np.random.default_rng().integers(0, 1_000_000))
        self.binding.update(init="course", seed=seed)
        self._start_changed()
        self.set_status(f"New random start (seed {seed}). Press Space to play.")

    def _typed_initial(self, name: str, value: float) -> None:
        assert self.model is not None
        params = np.array(self.params0, dtype=float)
        params[self.model.index(name)] = value
        self.binding.update(init="typed", params0=tuple(float(v) for v in params))
        self.params0 = params
        self.reset()
        self.set_status(f"{name} starts at {value:g}.")

    # -- sessions -------------------------------------------------------------
    def settings_state(self) -> dict:
        return {
            **self.lesson.to_json(),
            "params0": [float(v) for v in self.params0],
            "selected": int(self.selected),
            **self.data_state(),
        }

    def data_state(self) -> dict:
        """The tab's data as JSON values (subclasses)."""
        return {}

    def read_data(self, state: dict):
        """Check saved data; return what applies it (subclasses)."""
        return lambda: None

    def read_settings(self, state: dict):
        from optgui.gui import session

        try:
            settings = self.Lesson.from_json(state)
        except SettingsError as error:
            raise session.SessionError(f"'{error.field}' in the session: {error}") from None
        params0 = session.number_list(state, "params0")
        selected = session.get(state, "selected", int, 0)
        apply_data = self.read_data(state)

        if settings.init != "typed":  # the saved start is applied below, not kept as typed
            settings = settings.replace(params0=())

        def apply() -> None:
            self.show_settings(settings)
            apply_data()
            if self.model is not None and len(params0) == self.model.n_params:
                self.params0 = np.asarray(params0)
            self.selected = selected if 0 <= selected < len(self.y) else 0

        return apply

    # -- run ------------------------------------------------------------------
    def train_settings(self, tol: float = 1e-8) -> TrainSettings:
        return self.lesson.train_settings(tol)

    def make_factory(self):
        factory = self.factory_for(self.lesson)
        if factory is None:
            self.set_status("There is no data to learn from: choose a data set first.")
        return factory

    def factory_for(self, settings: TrainingLesson) -> lesson.TrainingFactory | None:
        if self.model is None or len(self.y) == 0:
            return None
        return lesson.TrainingFactory(settings, self.model, self.X, self.y, self.params0)

    def settings_from_json(self, data) -> TrainingLesson:
        from optgui.gui import session

        try:
            return self.Lesson.from_json(data)
        except SettingsError as error:
            raise session.SessionError(f"a recorded setting is unusable: {error}") from None

    def history_columns(self) -> list[str]:
        return list(row_columns(self.model)) if self.model is not None else []

    def rebuild(self, row: np.ndarray, settings: TrainingLesson | None = None) -> TrainStep:
        """The step of history ``row``, with the settings it ran with."""
        assert self.model is not None
        return lesson.rebuild(row, settings or self.lesson, self.model, self.X, self.y)

    def initial_record(self) -> TrainStep | None:
        """Step 0 before it is taken: what the views show after a reset."""
        if self.model is None:
            return None
        return lesson.initial_record(self.lesson, self.model, self.X, self.y, self.params0)

    def clear_views(self) -> None:
        self.table.forget_changes()
        record = self.initial_record()
        if record is not None:
            self.present(record)

    # -- views ----------------------------------------------------------------
    def show_record(self, record: TrainStep) -> None:
        """The cost marker (subclasses add their plots)."""
        self.cost_marker.setData([record.k], [self._plot_cost(record.cost)])

    def show_text(self, record: TrainStep) -> None:
        """The parameter table (subclasses add their math panel); the start values
        can be typed in before the first step."""
        assert self.model is not None
        extra: list[tuple[str, float | None]] = [("cost J", record.cost)]
        if record.accuracy is not None:
            extra.append(("accuracy", record.accuracy))
        self.table.show_values(
            self.model.names,
            record.params,
            record.gradients,
            extra,
            self.units_text(record),
            editable=len(self.history) == 0,
        )

    def units_text(self, record: TrainStep) -> list[str] | None:
        return None

    def _plot_cost(self, cost: float) -> float:
        return cost

    def show_history(self, history: History) -> None:
        """The cost curve, and what the cost is doing (a note under it)."""
        self._follow_cost(history)
        self.draw_cost(history)
        few = 0 < len(history) <= DOTS_UP_TO
        if few != self._dots:  # a short run: a dot for each step (a diverging run's few)
            self._dots = few
            self.cost_curve.setSymbol("o" if few else None)

    def draw_cost(self, history: History) -> None:
        """The cost against steps (before the first step: the view frames the start)."""
        log = self.log_cost.isChecked()
        pins = self.board.extent("cost", log) if self.board is not None else None
        if not len(history) or self.model is None:
            self.cost_curve.setData([], [])
            self._cost_envelope.clear()
            self._frame_start(self.cost_plot)
            if pins is not None:  # (the pinned runs stay in view for the next)
                x_max, lo, hi = pins
                style.keep_in_view(self.cost_plot, x_max, lo if log else min(0.0, lo), hi)
            return
        j = row_columns(self.model).index("cost")
        cost = history.column(j)
        x, ycurve = self._cost_envelope.update(cost)
        self.cost_curve.setData(x, ycurve)
        n = max(len(cost), pins[0] if pins is not None else 0)
        if log:
            positive = ycurve[ycurve > 0]
            if len(positive):
                lo, hi = np.log10(positive.min()), np.log10(positive.max())
                if pins is not None:  # (a diverged pinned run may leave at the top)
                    lo, hi = min(lo, pins[1]), max(hi, min(pins[2], hi + 1))
                style.keep_in_view(self.cost_plot, n, lo, hi)
        else:
            lo, hi = min(0.0, ycurve.min()), ycurve.max()
            if pins is not None:
                lo, hi = min(lo, pins[1]), max(hi, min(pins[2], 10 * abs(hi)))
            style.keep_in_view(self.cost_plot, n, lo, hi)

    def _frame_start(self, plot: pg.PlotWidget, top: float = 0.0) -> None:
        """Frame ``plot`` around step 0's cost (and up to ``top``) before any step."""
        style.restart_view(plot)
        record = self.initial_record()
        if record is None:
            return
        cost = record.cost
        if self.log_cost.isChecked() and cost > 0:
            style.keep_in_view(plot, 0, np.log10(cost) - 1, np.log10(cost) + 1)
        else:
            style.keep_in_view(plot, 0, min(0.0, cost), max(cost, top, 1e-12))

    # -- what the cost is doing -------------------------------------------------
    def judge_cost(self, history: History) -> progress.Verdict | None:
        """What the run's cost is doing (None: falling as it should, or too few steps)."""
        if self.model is None or len(history) == 0:
            return None
        columns = row_columns(self.model)
        cost = history.column(columns.index("cost"))
        settings = history.settings_at(len(history) - 1)
        rate = getattr(settings, "learning_rate", self.lesson.learning_rate)
        accuracy = None
        if "accuracy" in columns:
            accuracy = float(history.column(columns.index("accuracy"))[-1])
        convex = not isinstance(self.model, Network)
        limit = rate_limit(self.model, self.X, getattr(settings, "batch", "full"))
        return progress.judge(cost, rate, accuracy, convex=convex, limit=limit)

    def _follow_cost(self, history: History) -> None:
        """Judge the cost, switch the axis to log when the cost spans many powers of ten,
        and say both under the plot."""
        ended = self._outcome_is(DIVERGED) or self._outcome_is(CONVERGED)  # (said already)
        self.verdict = None if ended else self.judge_cost(history)
        if self._auto_log and self.log_cost.isChecked():  # (say how far it spans now)
            self._auto_log = self._log_reason(history) or self._auto_log
        elif not self.log_cost.isChecked() and not self._log_declined:
            reason = self._log_reason(history)
            if reason:
                self._auto_log = reason
                self.log_cost.blockSignals(True)
                self.log_cost.setChecked(True)
                self.log_cost.blockSignals(False)
                self.cost_plot.setLogMode(y=True)
                style.restart_view(self.cost_plot)
        self._show_cost_note()

    def _outcome_is(self, status: str) -> bool:
        outcome = self.engine.outcome
        return outcome is not None and outcome.status == status

    def _log_reason(self, history: History) -> str:
        """Why the cost axis should be logarithmic now ("": it should not)."""
        if self.model is None or not len(history):
            self._cost_range = (0, np.inf, -np.inf)
            return ""
        seen, lo, hi = self._cost_range
        n = len(history)
        if n < seen:  # the run was cut back (continued from an earlier step)
            seen, lo, hi = 0, np.inf, -np.inf
        new = history.column(row_columns(self.model).index("cost"))[seen:]
        positive = new[np.isfinite(new) & (new > 0)]
        if len(positive):
            lo, hi = min(lo, float(positive.min())), max(hi, float(positive.max()))
        self._cost_range = (n, lo, hi)
        reason = progress.log_reason(np.array([lo, hi])) if hi > lo else None
        if reason is None and self._outcome_is(DIVERGED):
            reason = "the run diverged"
        return reason or ""

    def _show_cost_note(self) -> None:
        parts = []
        warning, remark = style.VERMILION, style.GREY
        if self._outcome_is(DIVERGED) and len(self.history):
            last = self.history.last()
            batch = getattr(self.history.settings_at(len(self.history) - 1), "batch", "full")
            limit = rate_limit(self.model, self.X, batch) if self.model is not None else None
            note = progress.diverged_note(last.k, last.learning_rate, limit)
            parts.append((warning, note))
        elif self.verdict is not None:
            parts.append((warning if self.verdict.warning else remark, self.verdict.note))
        if self._auto_log and self.log_cost.isChecked():
            parts.append((remark, f"Log scale (switched on): {self._auto_log}."))
        self.cost_note.set_html(
            "<br>".join(
                f'<span style="color:{color};">{as_html(text)}</span>' for color, text in parts
            )
        )

    def _forget_cost_notes(self) -> None:
        """A new run: no verdict, and the axis as the student chose it."""
        self.verdict = None
        self._cost_range = (0, np.inf, -np.inf)
        self._log_declined = False
        if self._auto_log:
            self._auto_log = ""
            self.log_cost.blockSignals(True)
            self.log_cost.setChecked(False)
            self.log_cost.blockSignals(False)
            self.cost_plot.setLogMode(y=False)
            style.restart_view(self.cost_plot)
        self._show_cost_note()

    def reset(self) -> None:
        self._forget_cost_notes()
        super().reset()

    def _say_paused(self) -> None:
        super()._say_paused()
        verdict = self.judge_cost(self.history)
        if verdict is not None and len(self.history):
            self.set_status(f"Paused at step {len(self.history) - 1}. {verdict.text}")

    def _on_finished(self, outcome) -> None:
        self.show_history(self.history)  # the note and the axis for how the run ended
        super()._on_finished(outcome)
        if outcome.status == STEP_LIMIT:
            verdict = self.judge_cost(self.history)
            if verdict is not None:
                self.set_status(f"{self.status.rstrip('.')}. {verdict.text}")

    def _point_clicked(self, _item, points, *_args) -> None:
        """A data point was clicked: its ``data`` is the example's index."""
        if len(points):
            self.select_example(int(points[0].data()))

    def select_example(self, i: int) -> None:
        """Show example ``i`` in the math panel (also by clicking its point)."""
        if not 0 <= i < len(self.y):
            return
        self.selected = i
        if self.shown_index is not None and len(self.history):
            self.present(self.history.record(self.shown_index))
        else:
            self.clear_views()

    def _log_toggled(self, on: bool) -> None:
        if not on and self._auto_log:  # the student prefers the linear axis: keep it
            self._log_declined = True
            self._auto_log = ""
            self._show_cost_note()
        self.cost_plot.setLogMode(y=on)
        style.restart_view(self.cost_plot)
        self.show_history(self.history)

    # -- runs side by side ------------------------------------------------------------
    def pin_settings(self) -> dict:
        """The settings the next step runs with (the legend's "now")."""
        return self.lesson.to_json()

    def pin_figures(self, history: History | None = None) -> dict[str, pinned.Figures]:
        """Steps to the goal (|∇J| < tolerance, or a cost), the final cost and divergence,
        from the history."""
        history = self.history if history is None else history
        if self.model is None or not len(history):
            return {"gradient descent": pinned.Figures(None, float("nan"))}
        full = np.ones(len(history), dtype=bool)
        bounds = [start for start, _ in history.segments][1:] + [len(history)]
        for (start, settings), end in zip(history.segments, bounds, strict=False):
            full[start:end] = getattr(settings, "batch", "full") == "full"
        figures = pinned.training_figures(
            history.rows,
            row_columns(self.model),
            full,
            diverged=self._outcome_is(DIVERGED),
            cost_below=self.pin_cost_below,
        )
        return {"gradient descent": figures}

    def path_plot(self) -> pg.PlotWidget | None:
        """The plot of the path of (w1, b), or (w1, w2) with two inputs (None: none)."""
        return None

    def pin_curves(self) -> dict[str, tuple]:
        """The run's cost against steps, and its path where the tab draws one."""
        columns = row_columns(self.model)
        rows = self.history.rows
        curves = {"cost": pinned.curve(rows[:, 0], rows[:, columns.index("cost")])}
        if self.path_plot() is not None:  # (as Regression's cost surface draws it)
            across = "w2" if "w2" in columns else "b"
            w1, other = rows[:, columns.index("w1")], rows[:, columns.index(across)]
            curves["path"] = pinned.curve(w1, other)
        return curves

    def pin_snapshot(self) -> pinned.PinnedRun | None:
        if self.model is None or not len(self.history):
            return None
        settings = self.history.settings_at(-1) or self.lesson
        return pinned.PinnedRun(
            settings.to_json(),
            self.pin_curves(),
            self.pin_figures(),
            len(self.history),
            changed=len(self.history.segments) > 1,
        )

    def pin_targets(self) -> dict[str, PinTarget]:
        targets = {"cost": PinTarget(self.cost_plot, current=self.cost_curve)}
        if (plot := self.path_plot()) is not None:  # (between its rings and this run's path)
            targets["path"] = PinTarget(plot, "o", legend=False, z=1.5)
        return targets

    def pin_words(self) -> tuple[str, str]:
        return pinned.goal_text(self.pin_cost_below), "J"

    def pin_stage_views(self) -> list[StageView]:
        return [StageView("Runs side by side", [self.cost_box], [self.board.panel], [], 0.5)]

    @staticmethod
    def legend(plot: pg.PlotWidget) -> pg.LegendItem:
        legend = plot.addLegend(offset=(-10, 10), labelTextSize=f"{style.Look.font_pt}pt")
        return legend
