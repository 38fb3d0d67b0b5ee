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
    QGroupBox,
    QHBoxLayout,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optgui.core.datasets import Dataset
from optgui.core.history import Envelope, History
from optgui.core.models import Model
from optgui.core.training import TrainSettings, TrainStep, row_columns
from optgui.gui import style
from optgui.gui.binding import Binding
from optgui.gui.layout import SettingsColumn
from optgui.gui.mathpanel import MathPanel
from optgui.gui.tab import ExperimentTab
from optgui.gui.tables import ParameterTable
from optgui.lessons import training as lesson
from optgui.lessons.settings import SettingsError
from optgui.lessons.training import BATCH_CHOICES, INIT_CHOICES, TrainingLesson

#: Width of the settings column (pixels at 100 % scale).
SETTINGS_WIDTH = 450


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


class TrainingTab(ExperimentTab):
    """Base for Regression, Classification and the 2-2-1 Network."""

    #: The lesson's settings class (subclasses extend it with their data settings).
    Lesson: type[TrainingLesson] = TrainingLesson
    default_rate = 0.1
    default_speed = 10
    default_limit = 1000
    units_column = False
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
        self.cost_curve = self.cost_plot.plot(pen=style.pen(style.BLUE))
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
        self.cost_box = self._cost_view()

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
        if not len(history) or self.model is None:
            self.cost_curve.setData([], [])
            style.restart_view(self.cost_plot)
            return
        j = row_columns(self.model).index("cost")
        cost = history.column(j)
        x, ycurve = self._cost_envelope.update(cost)
        self.cost_curve.setData(x, ycurve)
        if self.log_cost.isChecked():
            positive = ycurve[ycurve > 0]
            if len(positive):
                lo, hi = np.log10(positive.min()), np.log10(positive.max())
                style.keep_in_view(self.cost_plot, len(cost), lo, hi)
        else:
            style.keep_in_view(self.cost_plot, len(cost), min(0.0, ycurve.min()), ycurve.max())

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
        self.cost_plot.setLogMode(y=on)
        style.restart_view(self.cost_plot)
        self.show_history(self.history)

    @staticmethod
    def legend(plot: pg.PlotWidget) -> pg.LegendItem:
        legend = plot.addLegend(offset=(-10, 10), labelTextSize=f"{style.Look.font_pt}pt")
        return legend
