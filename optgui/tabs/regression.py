"""Regression: a perceptron fits house prices by gradient descent (lecture §1).

Layout, binding and views; the settings, the data and every text come from
:mod:`optgui.lessons.regression`.
"""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from optgui.core import datasets
from optgui.core.datasets import DataError, Dataset
from optgui.core.format import fmt
from optgui.core.history import thin
from optgui.core.training import TrainStep, row_columns
from optgui.gui import style
from optgui.gui.cost_surface import CostSurfacePlot
from optgui.gui.csv_dialog import ColumnDialog
from optgui.gui.derivation_panel import math_pages
from optgui.gui.guide import Guide
from optgui.gui.rate_gauge import RateGauge, colour_box
from optgui.gui.settings import documents_folder
from optgui.gui.stage import StageView
from optgui.gui.training_tab import LearningRateBox, TrainingTab
from optgui.lessons import rate_bound
from optgui.lessons import regression as lesson
from optgui.lessons import regression_derivations as derivations
from optgui.lessons.derivation import Derivation
from optgui.lessons.regression import CSV, Prepared, RegressionLesson
from optgui.lessons.settings import SettingsError
from optgui.lessons.training import shown_example

#: The settings that make the data (a change loads it again and restarts the run).
DATA_FIELDS = frozenset({"source", "noise", "data_seed", "normalize"})
_NUMBER = re.compile(r"[0-9]*\.?[0-9]*([eE][+-]?[0-9]*)?")


class RateBox(LearningRateBox):
    """The learning rate down to 1e-12 (raw ft² need α ≈ 1e-7), shown as 0.1 or 2.1e-7."""

    def __init__(self, value: float, parent=None):
        super().__init__(value, parent)
        self.setDecimals(15)
        self.setMinimum(1e-12)
        self.setValue(value)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt API
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{value:.4g}")

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt API
        try:
            return float(text.strip().replace("−", "-"))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        body = text.strip()
        if not _NUMBER.fullmatch(body):
            return QValidator.State.Invalid, text, pos
        try:
            value = float(body)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


class RegressionTab(TrainingTab):
    title = "Regression"
    Lesson = RegressionLesson
    default_rate = lesson.DEFAULT_RATE
    units_column = True
    rate_box = RateBox

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.prepared: Prepared | None = None
        self.prepared_with: RegressionLesson | None = None  # the settings of the data in use
        self.csv_data: Dataset | None = None
        self._points_for: Dataset | None = None
        self._shown: tuple[TrainStep, Prepared] | None = None  # the step the texts show
        self._build_data_settings()
        self._build_rate_bound()
        self._build_views()
        bound = {"source": self.source, "noise": self.noise, "data_seed": self.data_seed}
        for name, widget in {**bound, "normalize": self.normalize}.items():
            self.binding.bind(name, widget)
        self.load_button.clicked.connect(self.choose_csv)
        self.mse_preset.clicked.connect(self.use_mse_preset)
        self.load_source()

    # -- building ---------------------------------------------------------------
    def _build_data_settings(self) -> None:
        self.guide = Guide(lesson.GUIDE)
        self.settings_layout.insertWidget(0, self.guide)
        self.source = QComboBox()
        self.source.setObjectName("dataset")
        for key, text in lesson.SOURCES:
            self.source.addItem(text, key)
        self.source.setToolTip("The slides' houses, generated points, or your own CSV file")
        self.data_layout.addWidget(self.source)
        self.mse_preset = QPushButton("Preset: the slides' MSE table")
        self.mse_preset.setObjectName("mse_preset")
        self.mse_preset.setToolTip(
            "The slides' three houses in dollars and ft² (Normalise off), starting from "
            "w = 15, b = 0 with a small stable α; the Derivation page shows the MSE table"
        )
        self.data_layout.addWidget(self.mse_preset)
        form = QFormLayout()
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("noise")
        self.noise.setRange(0.0, 5.0)
        self.noise.setSingleStep(0.1)
        self.noise.setToolTip("How far generated points scatter around the true line or plane")
        self.data_seed = QSpinBox()
        self.data_seed.setObjectName("data_seed")
        self.data_seed.setRange(0, 999_999)
        self.data_seed.setToolTip("Seed of the generated points: same seed, same points")
        form.addRow("Noise", self.noise)
        form.addRow("Data seed", self.data_seed)
        self.data_layout.addLayout(form)
        self.load_button = QPushButton("Load CSV…")
        self.load_button.setObjectName("load_csv")
        self.load_button.setToolTip("Load your own data: one or two input columns and a target")
        self.data_layout.addWidget(self.load_button)
        self.normalize = QCheckBox("Normalise: (x − mean) / std")
        self.normalize.setObjectName("normalize")
        self.normalize.setToolTip(lesson.NORMALISE_REASON)
        self.data_layout.addWidget(self.normalize)
        self.reason = QLabel(lesson.NORMALISE_REASON)
        self.reason.setObjectName("units_note")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {style.GREY};")
        self.data_layout.addWidget(self.reason)
        self.data_error = style.error_label("data_error")
        self.data_layout.addWidget(self.data_error)

    def _build_rate_bound(self) -> None:
        """Under the learning-rate box: the gauge with 2/λ_max marked, and the bound in
        words; the box is tinted green, amber or red (see :mod:`.rate_bound`)."""
        form = self.rate.parentWidget().layout()
        row, _ = form.getWidgetPosition(self.rate)
        self.rate_gauge = RateGauge()
        self.rate_note = QLabel()
        self.rate_note.setObjectName("rate_bound")
        self.rate_note.setWordWrap(True)
        form.insertRow(row + 1, self.rate_gauge)
        form.insertRow(row + 2, self.rate_note)
        # (as α is typed, before it is committed: the colour answers at once)
        self.rate.lineEdit().textChanged.connect(self._rate_typed)

    def _rate_typed(self, text: str) -> None:
        try:
            value = float(text.strip().replace("−", "-"))
        except ValueError:
            return
        if value > 0:
            self._show_rate_bound(value)

    def _show_rate_bound(self, rate: float | None = None) -> None:
        """Colour the learning-rate box and say the bound for α (default: the setting's)."""
        check = self.rate_check(rate)
        colour_box(self.rate, check.zone if check is not None else None)
        self.rate_gauge.set_check(check)
        self.rate_note.setVisible(check is not None)
        if check is None:
            self.rate.setToolTip("Learning rate α: how far each step moves against the gradient")
            return
        self.rate_note.setText(check.label_html)
        colour = style.VERMILION if check.zone == "diverges" else style.INK
        self.rate_note.setStyleSheet(f"color: {colour};")
        self.rate_note.setToolTip(check.tooltip)
        self.rate.setToolTip(check.tooltip)

    def rate_check(self, rate: float | None = None) -> rate_bound.RateCheck | None:
        """α (default: the setting's) against its bound on the data in use (None: no data)."""
        if self.prepared is None or not len(self.prepared.y):
            return None
        settings = self.lesson
        rate = settings.learning_rate if rate is None else rate
        return rate_bound.regression_check(rate, self.prepared.X, settings.batch)

    def _build_views(self) -> None:
        self.data_plot = style.make_plot("Data and the fitted line", "x", "y")
        self.errors = pg.PlotDataItem(
            pen=style.pen(style.VERMILION, style.Look.pen, Qt.PenStyle.DashLine), connect="pairs"
        )
        self.fit_line = pg.PlotDataItem(pen=style.pen(style.BLUE, style.Look.pen + 1))
        self.points = pg.ScatterPlotItem(
            size=style.Look.marker + 4, brush=style.qcolor(style.INK, 200), pen=None
        )
        self.chosen = pg.ScatterPlotItem(
            size=style.Look.marker + 12, brush=None, pen=style.pen(style.ORANGE, 3)
        )
        for item in (self.errors, self.fit_line, self.points, self.chosen):
            self.data_plot.addItem(item)
        self.points.sigClicked.connect(self._point_clicked)
        self.surface_plot = CostSurfacePlot()

        views = QWidget()
        grid = QGridLayout(views)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.data_plot, 0, 0)
        grid.addWidget(self.cost_box, 0, 1)
        grid.addWidget(self.surface_plot, 1, 0)
        self.math_pages = math_pages(self.math, self.derivation)
        grid.addWidget(self.math_pages, 1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        self.assemble(views)

    def stage_views(self) -> list[StageView]:
        return [
            StageView("Data and the line", [self.data_plot], [self.math]),
            StageView("Cost surface", [self.surface_plot], [self.math]),
            StageView("Cost and parameters", [self.cost_box], [self.table], side_share=0.5),
            # (the MSE table's seven columns want most of a projector's width)
            StageView("Derivation", [self.data_plot], [self.derivation], side_share=0.74),
        ]

    # -- data -------------------------------------------------------------------
    def _settings_edited(self, settings: RegressionLesson, names: frozenset[str]) -> None:
        if not names & DATA_FIELDS:
            super()._settings_edited(settings, names)
            self._show_units_note()
            self._show_rate_bound()
            return
        if "source" in names:
            settings = settings.choose_source(settings.source)
        rate = settings.learning_rate
        if names & {"source", "normalize"}:
            settings = lesson.switch_units(
                self.prepared_with, settings, lesson.dataset(settings, self.csv_data)
            )
        if settings != self.lesson:
            self.show_settings(settings)
        if names <= {"noise", "data_seed"} and not settings.generated:
            return  # these only shape generated points
        self.load_source()
        if settings.learning_rate != rate and self.prepared_with == settings:
            units = "normalised data" if settings.normalize else "raw units"
            self.set_status(
                f"α set to {fmt(settings.learning_rate, 3)} for {units} "
                "(see under Normalise). Press Space to play."
            )

    def use_mse_preset(self) -> None:
        """The slides' MSE table: their houses in $ and ft², w = 15, b = 0, a stable α;
        the Derivation page shows the table."""
        self.show_settings(lesson.mse_preset(self.lesson))
        self.load_source()
        self.show_derivation(derivations.MSE_TITLE)
        self.set_status(
            "The slides' MSE table: w1 = 15 $/ft², b = $0 on the slides' houses, in dollars "
            f"and ft², α = {fmt(self.lesson.learning_rate, 3)}. Press → to step."
        )

    def show_derivation(self, title: str) -> None:
        """Bring the Derivation page (or the stage's Derivation view) to the front, showing
        the derivation ``title`` in full."""
        if self.staged:
            names = [view.name for view in self.stage.views]
            self.show_stage_view(names.index("Derivation"))
        else:
            self.math_pages.setCurrentWidget(self.derivation)
        self.derivation.choose(title)
        self.derivation.reveal_all()

    def show_settings(self, settings: RegressionLesson) -> None:
        if settings.source == CSV:  # the list offers a loaded CSV file once there is one
            self._csv_item(self.csv_data.name if self.csv_data is not None else "")
        super().show_settings(settings)
        self._show_rate_bound()

    def _csv_item(self, name: str) -> None:
        if self.source.findData(CSV) < 0:
            self.source.addItem("", CSV)
        self.source.setItemText(self.source.findData(CSV), f"CSV: {name or 'your file'}")

    def load_source(self) -> None:
        """Load the data the settings name (after a change of source, noise or seed)."""
        settings = self.lesson
        self.noise.setEnabled(settings.generated)
        self.data_seed.setEnabled(settings.generated)
        data = lesson.dataset(settings, self.csv_data)
        if data is not None:
            self._use(data, settings)

    def _use(self, data: Dataset, settings: RegressionLesson) -> bool:
        """Train on ``data`` made with ``settings``; False (and the data in use stays) if the
        data cannot be used."""
        try:
            prepared = lesson.prepare(settings, data)
        except DataError as error:
            self.show_data_error(str(error))
            if self.prepared_with is not None:  # the widgets show the data in use again
                self.show_settings(self.lesson.with_data_of(self.prepared_with))
            return False
        if settings.source == CSV:
            self.csv_data = data
            self._csv_item(data.name)
        if settings != self.lesson:  # (rewriting a spin box being typed in would upset it)
            self.show_settings(settings)
        self.prepared, self.prepared_with = prepared, settings
        self.data_error.hide()
        self._show_units_note()
        self._show_rate_bound()
        self.set_training_data(data, prepared.X, prepared.y, prepared.model)
        self._setup_views()
        self.set_status(lesson.loaded_status(prepared))
        return True

    def _show_units_note(self) -> None:
        """Under Normalise: why normalise (for this data), or (raw units) the stable α."""
        data = self.prepared.data if self.prepared is not None else None
        self.reason.setText(lesson.units_note(self.lesson, data))
        self.normalize.setToolTip(lesson.normalise_reason(data))

    def show_data_error(self, text: str) -> None:
        self.data_error.setText(lesson.data_error(text))
        self.data_error.show()
        self.set_status(f"Could not use this data: {text}")

    def choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load a CSV file", documents_folder(), "CSV files (*.csv *.txt);;All files (*)"
        )
        if not path:
            return
        try:
            columns = datasets.csv_columns(path)
        except (DataError, OSError) as error:
            self.show_data_error(str(error))
            return
        dialog = ColumnDialog(columns, max_inputs=2, parent=self, path=path)
        if dialog.exec():
            inputs, target = dialog.choice()
            self.load_csv(path, inputs, target)

    def load_csv(self, path: str, inputs: list[str], target: str) -> bool:
        """Load columns of a CSV file; on a problem, say so and keep the previous data."""
        try:
            data = datasets.load_csv(path, inputs, target)
            if data.n_inputs not in (1, 2):
                raise DataError("choose one or two input columns")
        except (DataError, OSError, UnicodeDecodeError) as error:
            self.show_data_error(str(error))
            return False
        return self._use(data, self.lesson.choose_source(CSV))

    # -- sessions -----------------------------------------------------------------
    def data_state(self) -> dict:
        if self.lesson.source == CSV and self.csv_data is not None:
            return {"csv": lesson.csv_to_json(self.csv_data)}
        return {}

    def read_data(self, state: dict):
        from optgui.gui import session

        csv_data = None
        if state.get("source") == CSV:
            try:
                csv_data = lesson.csv_from_json(state.get("csv"))
            except SettingsError as error:
                raise session.SessionError(str(error)) from None

        def apply() -> None:
            if csv_data is not None:
                self.csv_data = csv_data
                self._csv_item(csv_data.name)
            self.load_source()

        return apply

    # -- views ------------------------------------------------------------------
    def units_text(self, record: TrainStep) -> list[str] | None:
        assert self.prepared is not None
        return lesson.units_texts(self.prepared.raw_params(record.params), self.prepared.data)

    def _setup_views(self) -> None:
        assert self.prepared is not None
        data = self.prepared.data
        one = data.n_inputs == 1
        unit = f" ({data.units[0]})" if data.units and data.units[0] else ""
        target_unit = f" ({data.target_unit})" if data.target_unit else ""
        if one:
            style.style_plot(
                self.data_plot,
                "Data and the fitted line",
                f"{data.feature_names[0]}{unit}",
                f"{data.target_name}{target_unit}",
            )
        else:
            style.style_plot(
                self.data_plot,
                "Predicted against actual",
                f"actual {data.target_name}{target_unit}",
                f"predicted {data.target_name}{target_unit}",
            )
        self.data_plot.getPlotItem().enableAutoRange()
        # (room for the points' markers at the edges: the default padding cuts them)
        self.data_plot.getPlotItem().getViewBox().setDefaultPadding(0.08)
        self.guide.set_text(lesson.guide(data))
        self.math.set_formulas(lesson.formulas(data.n_inputs))
        p = self.prepared
        cost_slice = None if one else lesson.cost_slice(p, self.params0)
        if cost_slice is not None:  # three parameters: J(w1, w2) at the current b
            self.surface_plot.set_slice(cost_slice, self.params0)
        else:
            self.surface_plot.set_surface(p.model, p.X, p.y, self.params0, p.x_norm is not None)

    def show_record(self, record: TrainStep) -> None:
        super().show_record(record)
        assert self.prepared is not None and self.model is not None
        data = self.prepared.data
        raw_pred = self.prepared.raw_predictions(record.forward.yhat)
        actual = data.y
        one = data.n_inputs == 1
        if one:
            x = data.X[:, 0]
            order = np.argsort(x)
            self.fit_line.setData(x[order], raw_pred[order])
            if self._points_for is not data:  # the points move only when the data change
                self._points_for = data
                self.points.setData(x, actual, data=np.arange(data.m))
            pairs_x = np.repeat(x, 2)
            self.chosen.setData([x[self.selected]], [actual[self.selected]])
        else:
            lo, hi = float(actual.min()), float(actual.max())
            self.fit_line.setData([lo, hi], [lo, hi])
            self._points_for = None
            self.points.setData(actual, raw_pred, data=np.arange(data.m))
            pairs_x = np.repeat(actual, 2)
            self.chosen.setData([actual[self.selected]], [raw_pred[self.selected]])
        pairs_y = np.empty(2 * data.m)
        pairs_y[0::2] = actual if one else raw_pred
        pairs_y[1::2] = raw_pred if one else actual
        self.errors.setData(pairs_x, pairs_y)
        self._show_path()
        self.surface_plot.show_params(record.params)

    def show_text(self, record: TrainStep) -> None:
        super().show_text(record)
        assert self.prepared is not None
        self._shown = (record, self.prepared)
        i = shown_example(record, self.selected)
        self.math.set_lines(lesson.step_lines(record, self.prepared, i))

    def derivations(self) -> list[Derivation]:
        """The MSE table, the partials one by one and the stable α, at the shown step."""
        if self._shown is None:
            return []
        record, prepared = self._shown
        i = min(shown_example(record, self.selected), prepared.data.m - 1)
        return derivations.derivations(record, prepared, i)

    def path_plot(self) -> CostSurfacePlot:
        """The cost surface: pinned runs' paths are drawn there too (see TrainingTab)."""
        return self.surface_plot

    def _show_path(self) -> None:
        assert self.model is not None
        if not len(self.history):
            self.surface_plot.show_path(np.zeros(0), np.zeros(0), 0)
            return
        cols = row_columns(self.model)
        rows = self.history.rows
        upto = min(len(rows), (self.shown_index or 0) + 1)
        idx = thin(upto)
        # one input: (w, b) on J(w, b); two: (w1, w2) projected onto the slice
        across = "w2" if "w2" in cols else "b"
        self.surface_plot.show_path(
            rows[idx, cols.index("w1")], rows[idx, cols.index(across)], upto
        )
