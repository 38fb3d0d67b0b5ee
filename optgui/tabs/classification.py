"""Classification: a sigmoid perceptron learns the aliens' moods (lecture §2).

Layout, binding and views; the settings, the data and every text come from
:mod:`optgui.lessons.classification`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from optgui.core.activations import sigmoid
from optgui.core.datasets import Dataset
from optgui.core.history import Envelope, History
from optgui.core.models import Perceptron
from optgui.core.training import TrainStep, row_columns
from optgui.gui import style
from optgui.gui.classification_plane import ClassificationPlane
from optgui.gui.derivation_panel import math_pages
from optgui.gui.guide import Guide
from optgui.gui.stage import StageView
from optgui.gui.training_tab import TrainingTab
from optgui.lessons import classification as lesson
from optgui.lessons.classification import ClassificationLesson
from optgui.lessons.derivation import Derivation
from optgui.lessons.training import shown_example

#: The settings that make the data (a change loads it again and restarts the run).
DATA_FIELDS = frozenset({"source", "noise", "data_seed", "sentences"})


class ClassificationTab(TrainingTab):
    title = "Classification"
    Lesson = ClassificationLesson
    default_rate = 0.5

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._build_data_settings()
        self._build_views()
        self.binding.bind("source", self.source)
        self.binding.bind("noise", self.noise)
        self.binding.bind("data_seed", self.data_seed)
        self.sentence.textChanged.connect(lambda _: self._update_prediction())
        self.add_happy.clicked.connect(lambda: self.add_sentence(1))
        self.add_sad.clicked.connect(lambda: self.add_sentence(0))
        self.load_source()

    # -- building -----------------------------------------------------------------
    def _build_data_settings(self) -> None:
        self.guide = Guide(lesson.GUIDE)
        self.settings_layout.insertWidget(0, self.guide)
        self.source = QComboBox()
        self.source.setObjectName("dataset")
        for key, text in lesson.SOURCES:
            self.source.addItem(text, key)
        self.source.setToolTip("The slides' alien sentences, or generated points in two classes")
        self.data_layout.addWidget(self.source)
        form = QFormLayout()
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("noise")
        self.noise.setRange(0.0, 3.0)
        self.noise.setSingleStep(0.1)
        self.noise.setToolTip("How far generated points spread around their centres")
        self.data_seed = QSpinBox()
        self.data_seed.setObjectName("data_seed")
        self.data_seed.setRange(0, 999_999)
        self.data_seed.setToolTip("Seed of the generated points: same seed, same points")
        form.addRow("Noise", self.noise)
        form.addRow("Data seed", self.data_seed)
        self.data_layout.addLayout(form)

        self.sentence = QLineEdit()
        self.sentence.setObjectName("sentence")
        self.sentence.setPlaceholderText("Type an alien sentence, e.g. Beep aack aack!")
        self.sentence.setToolTip("Its aack and beep counts are the two inputs x1, x2")
        self.sentence.setMaxLength(300)
        self.prediction = QLabel(lesson.PROMPT)
        self.prediction.setObjectName("prediction")
        self.prediction.setWordWrap(True)
        self.add_happy = QPushButton("Add as happy")
        self.add_happy.setObjectName("add_happy")
        self.add_happy.setToolTip("Add this sentence to the data with the label happy (1)")
        self.add_sad = QPushButton("Add as sad")
        self.add_sad.setObjectName("add_sad")
        self.add_sad.setToolTip("Add this sentence to the data with the label sad (0)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_happy)
        buttons.addWidget(self.add_sad)
        self.data_layout.addWidget(QLabel("Your sentence"))
        self.data_layout.addWidget(self.sentence)
        self.data_layout.addWidget(self.prediction)
        self.data_layout.addLayout(buttons)

        self.note = style.error_label("note")
        self.settings_layout.insertWidget(2, self.note)

    def _build_views(self) -> None:
        self.plane = ClassificationPlane()
        self.class_points = self.plane.class_points
        for item in self.class_points:
            item.sigClicked.connect(self._point_clicked)

        self.sig_plot = style.make_plot("The sigmoid and each example's z", "z", "ŷ = σ(z)")
        self.sig_curve = self.sig_plot.plot(pen=style.pen(style.GREY))
        self.sig_points = [
            self.sig_plot.plot(
                pen=None,
                symbol=style.CLASS_SYMBOLS[c],
                symbolBrush=style.CLASS_COLORS[c],
                symbolSize=style.Look.marker + 4,
                symbolPen=pg.mkPen(style.INK if c else style.CLASS_COLORS[c]),
            )
            for c in (0, 1)
        ]
        self.sig_plot.addLine(
            y=0.5, pen=pg.mkPen(style.GREY, style=pg.QtCore.Qt.PenStyle.DashLine)
        )
        # examples beyond the range: an arrow at the edge, pointing the way they lie
        self.sig_clipped = pg.ScatterPlotItem(size=style.Look.marker + 6, pen=style.pen(style.INK))
        self.sig_plot.addItem(self.sig_clipped)
        self.sig_note = pg.TextItem(color=style.INK, anchor=(0, 0))
        self.sig_note.setObjectName("sigmoid_note")
        self.sig_plot.addItem(self.sig_note, ignoreBounds=True)
        self.sig_plot.setYRange(-0.05, 1.05)
        self._sig_limit = 0.0
        self._set_sigmoid_range(lesson.Z_RANGES[0])

        self.acc_plot = style.make_plot("Accuracy against steps", "step k", "accuracy")
        self.acc_curve = self.acc_plot.plot(pen=style.pen(style.GREEN))
        self.acc_marker = self.acc_plot.plot(  # the shown step's accuracy (step 0 too)
            pen=None, symbol="s", symbolBrush=style.GREEN, symbolSize=style.Look.marker
        )
        self._acc_envelope = Envelope(bins=400)
        self.acc_plot.setYRange(0, 1.05)

        views = QWidget()
        grid = QGridLayout(views)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.plane, 0, 0)
        grid.addWidget(self.cost_box, 0, 1)
        grid.addWidget(self.sig_plot, 1, 0)
        grid.addWidget(math_pages(self.math, self.derivation), 1, 1, 2, 1)
        grid.addWidget(self.acc_plot, 2, 0)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        self.assemble(views)
        self.math.set_formulas(list(lesson.FORMULAS))

    def stage_views(self) -> list[StageView]:
        return [
            StageView("Examples and the line", [self.plane], [self.math], side_share=0.45),
            StageView("The sigmoid", [self.sig_plot], [self.math], side_share=0.45),
            StageView(
                "Cost and accuracy", [self.cost_box, self.acc_plot], [self.table], side_share=0.5
            ),
            StageView("Derivation", [self.plane], [self.derivation], side_share=0.5),
        ]

    # -- data ---------------------------------------------------------------------
    def _settings_edited(self, settings: ClassificationLesson, names: frozenset[str]) -> None:
        if not names & DATA_FIELDS:
            super()._settings_edited(settings, names)
        elif settings.generated or not names <= {"noise", "data_seed"}:
            self.load_source()

    def load_source(self) -> None:
        """Load the data the settings name (after a change of source, noise or seed)."""
        generated = self.lesson.generated
        self.noise.setEnabled(generated)
        self.data_seed.setEnabled(generated)
        for w in (self.sentence, self.add_happy, self.add_sad):
            w.setEnabled(not generated)
        self.use_data(lesson.dataset(self.lesson))

    def use_data(self, data: Dataset) -> None:
        self.note.hide()
        self.plane.set_data(data)
        self.set_training_data(data, data.X, data.y, Perceptron(2))
        self._update_prediction()
        self.set_status(lesson.loaded_status(data))

    def add_sentence(self, label: int) -> None:
        text = self.sentence.text().strip()
        if not text:
            self.set_status("Type a sentence first.")
            return
        self.show_settings(self.lesson.with_sentence(text, label))
        self.load_source()
        self.set_status(lesson.added_status(text, label))

    # -- sessions -------------------------------------------------------------------
    # The sentences are settings (ClassificationLesson.sentences), saved and read with
    # the others under the key they always had; nothing else needs saving.
    def read_data(self, state: dict):
        return self.load_source

    # -- prediction for a typed sentence ---------------------------------------------
    def _current_params(self) -> np.ndarray:
        if self.shown_index is not None and len(self.history):
            return np.asarray(self.history.record(self.shown_index).params_next)
        return np.asarray(self.params0)

    def _update_prediction(self) -> None:
        if self.model is None:
            self.prediction.setText(lesson.PROMPT)
            return
        params = self._current_params()
        self.prediction.setText(lesson.prediction(self.sentence.text(), self.model, params))

    # -- views ------------------------------------------------------------------------
    def show_record(self, record: TrainStep) -> None:
        super().show_record(record)
        data = self.dataset
        assert data is not None and isinstance(self.model, Perceptron)
        if record.accuracy is not None:
            self.acc_marker.setData([record.k], [record.accuracy])
        self.plane.show_model(self.model, record.params)
        self._show_sigmoid(data, np.asarray(record.forward.z), np.asarray(record.forward.yhat))
        self.plane.choose(self.selected)

    def _set_sigmoid_range(self, limit: float) -> None:
        """The sigmoid drawn over ±``limit`` (only when the range changes)."""
        if limit == self._sig_limit:
            return
        self._sig_limit = limit
        zz = np.linspace(-limit, limit, 400)
        self.sig_curve.setData(zz, sigmoid(zz))
        self.sig_plot.setXRange(-limit, limit, padding=0.03)
        self.sig_note.setPos(-limit, 1.0)

    def _show_sigmoid(self, data: Dataset, z: np.ndarray, yhat: np.ndarray) -> None:
        """Each example at (z, σ(z)); the range widens to hold them, and those beyond its
        widest are drawn at the edge as arrows, with a note."""
        view = lesson.sigmoid_view(z)
        self._set_sigmoid_range(view.limit)
        inside = ~view.clipped
        for c in (0, 1):
            mask = (data.y == c) & inside
            self.sig_points[c].setData(view.z[mask], yhat[mask])
        out = np.flatnonzero(view.clipped)
        self.sig_clipped.setData(
            view.z[out],
            yhat[out],
            symbol=["t2" if z[i] > 0 else "t3" for i in out],
            brush=[style.CLASS_COLORS[int(data.y[i] == 1)] for i in out],
        )
        self.sig_note.setText(view.note)
        if view.note:  # (wrapped to most of the plot's width: nothing runs off its edge)
            font = QFont(self.font())
            font.setPointSize(style.Look.font_pt)
            self.sig_note.setFont(font)
            self.sig_note.setTextWidth(max(80.0, 0.7 * self.sig_plot.getViewBox().width()))

    def show_text(self, record: TrainStep) -> None:
        super().show_text(record)
        data = self.dataset
        assert data is not None and isinstance(self.model, Perceptron)
        i = shown_example(record, self.selected)
        self.math.set_lines(lesson.step_lines(record, data, self.model, i))
        self._update_prediction()

    def derivations(self) -> list[Derivation]:
        """σ′(z) and the log loss with the numbers of the example the math panel shows."""
        data = self.dataset
        if data is None or not isinstance(self.model, Perceptron) or not len(data.y):
            return []
        if self.shown_index is not None and len(self.history):
            record = self.history.record(self.shown_index)
        else:
            record = self.initial_record()
        if record is None:
            return []
        i = min(shown_example(record, self.selected), len(data.y) - 1)
        return lesson.derivations(record, data, i)

    def show_history(self, history: History) -> None:
        super().show_history(history)
        if not len(history) or self.model is None:
            self.acc_curve.setData([], [])
            self._acc_envelope.clear()
            style.restart_view(self.acc_plot)
            style.keep_in_view(self.acc_plot, 0, 0.0, 1.0)  # (step 0's marker in view)
            return
        cols = row_columns(self.model)
        acc = history.column(cols.index("accuracy"))
        x, y = self._acc_envelope.update(acc)
        self.acc_curve.setData(x, y)
        style.keep_in_view(self.acc_plot, len(acc), 0.0, 1.0)
        self._check_stall(history)

    def _check_stall(self, history: History, ended: bool = False) -> None:
        """Say so when the cost has stopped falling but examples are still wrong."""
        if self.note.isVisible() or not len(history) or self.model is None:
            return
        cols = row_columns(self.model)
        cost = history.column(cols.index("cost"))
        acc = float(history.column(cols.index("accuracy"))[-1])
        if lesson.stalled(cost, acc, ended):
            self.note.setText(lesson.stall_note(float(cost[-1]), acc))
            self.note.show()

    def _on_finished(self, outcome) -> None:
        super()._on_finished(outcome)
        self._check_stall(self.history, ended=True)
        swings = self.verdict is not None and self.verdict.warning  # (α: said first)
        if self.note.isVisible() and not swings:
            self.set_status(lesson.stall_status(outcome.message))

    def reset(self) -> None:
        self.note.hide()
        super().reset()
