"""Regression: a perceptron fits house prices by gradient descent (lecture §1)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
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
from optgui.core.datasets import DataError, Dataset, Normalizer
from optgui.core.history import thin
from optgui.core.models import LinearRegression
from optgui.core.surfaces import cost_grid, least_squares
from optgui.core.training import TrainStep, row_columns
from optgui.gui import style
from optgui.gui.contour import contour_lines
from optgui.gui.csv_dialog import ColumnDialog
from optgui.gui.guide import Guide
from optgui.gui.tables import fmt
from optgui.gui.training_tab import TrainingTab

GUIDE = (
    "A perceptron predicts a house's price as ŷ = w·x + b. Each step of gradient descent "
    "nudges w and b against the gradient of the cost, the mean of ½(y − ŷ)². Watch the line "
    "settle through the points and the path slide down the cost surface. Try a learning rate "
    "that is too large (the cost explodes), switch normalisation off, or click a house to see "
    "its own numbers in the math panel."
)

NORMALISE_REASON = (
    "Sizes near 1000–3000 make the gradient for w thousands of times larger than for b, "
    "so any rate that moves b makes w explode. (x − mean)/std puts both on the same scale."
)

SOURCES = (
    ("house1", "House prices: size → price (slides)"),
    ("house2", "House prices: size and rooms → price (slides)"),
    ("line", "Noisy line (generated)"),
    ("plane", "Noisy plane (generated)"),
)


def money(value: float, unit: str | None) -> str:
    """A value in the data's own unit: $20,000, −$1,250 or 1,000 ft²."""
    sign = "−" if value < 0 else ""
    if unit == "$":
        return f"{sign}${abs(value):,.0f}" if abs(value) >= 100 else f"{sign}${abs(value):,.2f}"
    text = sign + (f"{abs(value):,.4g}" if abs(value) < 1e4 else f"{abs(value):,.0f}")
    return f"{text} {unit}" if unit else text


class RegressionTab(TrainingTab):
    title = "Regression"
    default_rate = 0.1
    units_column = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.x_norm: Normalizer | None = None
        self.y_norm: Normalizer | None = None
        self.csv_data: Dataset | None = None
        self._points_for: Dataset | None = None

        # data settings --------------------------------------------------------
        self.guide = Guide(GUIDE)
        self.settings_layout.insertWidget(0, self.guide)
        self.source = QComboBox()
        self.source.setObjectName("dataset")
        for key, text in SOURCES:
            self.source.addItem(text, key)
        self.source.setToolTip("The slides' houses, generated points, or your own CSV file")
        self.data_layout.addWidget(self.source)
        form = QFormLayout()
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("noise")
        self.noise.setRange(0.0, 5.0)
        self.noise.setSingleStep(0.1)
        self.noise.setValue(0.5)
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
        self.normalize.setChecked(True)
        self.normalize.setToolTip(NORMALISE_REASON)
        self.data_layout.addWidget(self.normalize)
        self.reason = QLabel(NORMALISE_REASON)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {style.GREY};")
        self.data_layout.addWidget(self.reason)
        self.data_error = QLabel()
        self.data_error.setObjectName("data_error")
        self.data_error.setWordWrap(True)
        self.data_error.setStyleSheet(f"color: {style.VERMILION}; font-weight: bold;")
        self.data_error.hide()
        self.data_layout.addWidget(self.data_error)

        # views ----------------------------------------------------------------
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

        self.surface_plot = style.make_plot("Cost surface J(w, b) and the path", "w", "b")
        self.surface_image = pg.ImageItem()
        self.surface_image.setColorMap(pg.colormap.get(style.COLORMAP))
        self.surface_plot.addItem(self.surface_image)
        self.surface_rings = pg.PlotDataItem(pen=pg.mkPen("w", width=1))
        self.surface_plot.addItem(self.surface_rings)
        self.path = pg.PlotDataItem(
            pen=style.pen(style.VERMILION),
            symbol="o",
            symbolSize=5,
            symbolBrush=style.VERMILION,
            symbolPen=None,
        )
        self.path_head = pg.ScatterPlotItem(size=style.Look.marker + 6, brush=style.ORANGE)
        self.optimum = pg.ScatterPlotItem(size=style.Look.marker + 8, symbol="star", brush="w")
        for item in (self.path, self.path_head, self.optimum):
            self.surface_plot.addItem(item)
        self.surface_note = QLabel()
        self.surface_note.setStyleSheet(f"color: {style.GREY};")

        views = QWidget()
        grid = QGridLayout(views)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.data_plot, 0, 0)
        grid.addWidget(self.cost_view(), 0, 1)
        grid.addWidget(self.surface_plot, 1, 0)
        grid.addWidget(self.math, 1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        self.assemble(views)

        self.source.currentIndexChanged.connect(lambda _: self.load_source())
        self.noise.valueChanged.connect(lambda _: self._generated_changed())
        self.data_seed.valueChanged.connect(lambda _: self._generated_changed())
        self.normalize.toggled.connect(self._normalize_toggled)
        self.load_button.clicked.connect(self.choose_csv)
        self.load_source()

    # -- data -------------------------------------------------------------------
    def load_source(self) -> None:
        key = self.source.currentData()
        generated = key in ("line", "plane")
        self.noise.setEnabled(generated)
        self.data_seed.setEnabled(generated)
        if key == "house1":
            data = datasets.house_prices(1)
        elif key == "house2":
            data = datasets.house_prices(2)
        elif key == "line":
            data = datasets.noisy_line(30, self.noise.value(), self.data_seed.value())
        elif key == "plane":
            data = datasets.noisy_plane(40, self.noise.value(), self.data_seed.value())
        elif key == "csv" and self.csv_data is not None:
            data = self.csv_data
        else:
            return
        slides = key.startswith("house")
        self.normalize.blockSignals(True)
        self.normalize.setChecked(slides or self.normalize.isChecked())
        self.normalize.blockSignals(False)
        self._prepare_data(data)

    def _normalize_toggled(self, _on: bool) -> None:
        self._prepare_data(self.dataset)

    def _generated_changed(self) -> None:
        if self.source.currentData() in ("line", "plane"):
            self.load_source()

    def _prepare_data(self, data: Dataset | None) -> bool:
        """Normalise (if chosen) and hand the data to the run; False if unusable."""
        if data is None:
            return False
        try:
            if self.normalize.isChecked():
                x_norm = Normalizer.fit(data.X, data.feature_names)
                y_norm = Normalizer.fit(data.y, data.target_name)
                X, y = x_norm.transform(data.X), y_norm.transform(data.y)
            else:
                x_norm = y_norm = None
                X, y = data.X, data.y
        except DataError as error:
            self.show_data_error(str(error))
            return False
        self.data_error.hide()
        self.x_norm, self.y_norm = x_norm, y_norm
        self.reason.setVisible(self.normalize.isChecked())
        model = LinearRegression(data.n_inputs)
        self._surface_cache = None
        self.set_training_data(data, X, y, model)
        self._setup_views()
        self.set_status(
            f"{data.name or 'Data'}: {data.m} examples, "
            f"{'normalised' if x_norm else 'raw values'}. Press Space to play."
        )
        return True

    def show_data_error(self, text: str) -> None:
        self.data_error.setText(f"Could not use this data: {text}. The previous data stays.")
        self.data_error.show()
        self.set_status(f"Could not use this data: {text}")

    def choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load a CSV file", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        if not path:
            return
        try:
            columns = datasets.csv_columns(path)
        except (DataError, OSError) as error:
            self.show_data_error(str(error))
            return
        dialog = ColumnDialog(columns, max_inputs=2, parent=self)
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
        previous = (self.csv_data, self.source.currentIndex())
        self.csv_data = data
        if self.source.findData("csv") < 0:
            self.source.addItem("", "csv")
        index = self.source.findData("csv")
        self.source.setItemText(index, f"CSV: {data.name or path}")
        self.source.blockSignals(True)
        self.source.setCurrentIndex(index)
        self.source.blockSignals(False)
        if not self._prepare_data(data):
            self.csv_data = previous[0]
            self.source.setCurrentIndex(previous[1])
            return False
        return True

    # -- sessions -----------------------------------------------------------------
    def data_state(self) -> dict:
        state = {
            "source": self.source.currentData(),
            "noise": float(self.noise.value()),
            "data_seed": self.data_seed.value(),
            "normalize": self.normalize.isChecked(),
        }
        if self.source.currentData() == "csv" and self.csv_data is not None:
            data = self.csv_data
            state["csv"] = {
                "name": data.name,
                "inputs": list(data.feature_names),
                "target": data.target_name,
                "X": data.X.tolist(),
                "y": data.y.tolist(),
            }
        return state

    def read_data(self, state: dict):
        from optgui.gui import session

        source = session.get(state, "source", str)
        if source not in {key for key, _ in SOURCES} | {"csv"}:
            raise session.SessionError(f"unknown data '{source}' in the session")
        noise = session.get(state, "noise", float)
        seed = session.get(state, "data_seed", int)
        normalize = session.get(state, "normalize", bool)
        if not 0 <= noise <= self.noise.maximum() or not 0 <= seed <= self.data_seed.maximum():
            raise session.SessionError("the saved noise or data seed is out of range")
        csv_data = None
        if source == "csv":
            saved = session.get(state, "csv", dict)
            inputs = session.get(saved, "inputs", list)
            X = np.array(
                [
                    session.number_list({"row": r}, "row", len(inputs))
                    for r in session.get(saved, "X", list)
                ]
            )
            y = np.array(session.number_list(saved, "y"))
            try:
                csv_data = Dataset(
                    X,
                    y,
                    tuple(str(n) for n in inputs),
                    str(session.get(saved, "target", str)),
                    name=str(saved.get("name", "CSV")),
                )
            except ValueError as error:
                raise session.SessionError(f"the saved CSV data is damaged: {error}") from None
            if csv_data.m < 2 or csv_data.n_inputs not in (1, 2):
                raise session.SessionError("the saved CSV data is too small to learn from")

        def apply() -> None:
            widgets = (self.source, self.noise, self.data_seed, self.normalize)
            for widget in widgets:
                widget.blockSignals(True)
            self.noise.setValue(noise)
            self.data_seed.setValue(seed)
            self.normalize.setChecked(normalize)
            if csv_data is not None:
                self.csv_data = csv_data
                if self.source.findData("csv") < 0:
                    self.source.addItem("", "csv")
                self.source.setItemText(self.source.findData("csv"), f"CSV: {csv_data.name}")
            self.source.setCurrentIndex(self.source.findData(source))
            for widget in widgets:
                widget.blockSignals(False)
            self.load_source()
            self.normalize.setChecked(normalize)

        return apply

    # -- units ------------------------------------------------------------------
    def raw_params(self, params: np.ndarray) -> np.ndarray:
        if self.x_norm is None:
            return np.asarray(params, dtype=float)
        return datasets.raw_regression_params(params, self.x_norm, self.y_norm)

    def units_text(self, record: TrainStep) -> list[str] | None:
        data = self.dataset
        assert data is not None
        raw = self.raw_params(record.params)
        target = data.target_unit
        texts = []
        for i, unit in enumerate(data.units or (None,) * data.n_inputs):
            value = fmt(raw[i], 4)
            if unit and target == "$":  # $14.31/ft²
                texts.append(
                    f"−${value[1:]}/{unit}" if value.startswith("−") else f"${value}/{unit}"
                )
            elif unit:
                texts.append(f"{value} {target or ''}/{unit}".replace(" /", "/"))
            else:
                texts.append(value)
        texts.append(money(raw[-1], target))
        return texts

    def _raw_predictions(self, record: TrainStep) -> np.ndarray:
        yhat = np.asarray(record.forward.yhat)
        return self.y_norm.inverse_transform(yhat) if self.y_norm is not None else yhat

    # -- views ------------------------------------------------------------------
    def _setup_views(self) -> None:
        data = self.dataset
        assert data is not None
        one = data.n_inputs == 1
        unit = f" ({data.units[0]})" if data.units and data.units[0] else ""
        target_unit = f" ({data.target_unit})" if data.target_unit else ""
        item = self.data_plot.getPlotItem()
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
                "Predicted against actual (ideal: the diagonal)",
                f"actual {data.target_name}{target_unit}",
                f"predicted {data.target_name}{target_unit}",
            )
        item.enableAutoRange()
        self.surface_plot.setVisible(one)
        names = self.model.names
        self.math.set_formulas(self._formulas(data.n_inputs))
        self._update_surface()
        del names

    @staticmethod
    def _formulas(n: int) -> list[str]:
        model = r"\hat{y} = w_1 x_1 + b" if n == 1 else r"\hat{y} = w_1 x_1 + w_2 x_2 + b"
        rules = [
            r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat{y}}"
            r"\frac{\partial \hat{y}}{\partial w_1} = -(y-\hat{y})\,x_1",
        ]
        if n == 2:
            rules.append(r"\frac{\partial L}{\partial w_2} = -(y-\hat{y})\,x_2")
        rules.append(r"\frac{\partial L}{\partial b} = -(y-\hat{y})")
        return [
            model,
            r"L(y,\hat{y}) = \frac{1}{2}(y-\hat{y})^2,\quad J = \frac{1}{m}\sum_i L_i",
            *rules,
            r"w_1 \leftarrow w_1 - \alpha\,\frac{\partial J}{\partial w_1},\quad"
            r"b \leftarrow b - \alpha\,\frac{\partial J}{\partial b}",
        ]

    def _update_surface(self) -> None:
        self.surface_rings.setData([], [])
        if self.model is None or self.model.n_params != 2 or not len(self.y):
            return
        best = least_squares(self.X, self.y)
        span = np.abs(np.asarray(self.params0) - best) * 1.3
        span = np.maximum(span, np.abs(best) * 0.6 + 1e-9)
        span = np.maximum(span, [1.0 if self.x_norm else abs(best[0]) + 1e-9, 1.0])
        ranges = ((best[0] - span[0], best[0] + span[0]), (best[1] - span[1], best[1] + span[1]))
        u, v, J = cost_grid(self.model, self.X, self.y, best, (0, 1), ranges, size=90)
        # √(J − min) grows like the distance from the minimum: evenly spaced rings.
        shown = np.sqrt(np.maximum(J - np.nanmin(J), 0)).astype(np.float32)
        levels = (float(np.nanmin(shown)), float(np.nanmax(shown)) or 1.0)
        self.surface_image.setImage(shown, levels=levels)
        self.surface_image.setRect(pg.QtCore.QRectF(u[0], v[0], u[-1] - u[0], v[-1] - v[0]))
        # contour rings drawn once per data set (contourpy), not recomputed per paint
        rings = contour_lines(u, v, shown, np.linspace(levels[0], levels[1], 10)[1:-1])
        self.surface_rings.setData(*rings, connect="finite")
        self.optimum.setData([best[0]], [best[1]])
        self.surface_plot.getPlotItem().setRange(xRange=ranges[0], yRange=ranges[1], padding=0)
        self._best = best

    def show_step(self, record: TrainStep) -> None:
        data = self.dataset
        assert data is not None and self.model is not None
        raw_pred = self._raw_predictions(record)
        actual = data.y
        if data.n_inputs == 1:
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
        pairs_y[0::2] = actual if data.n_inputs == 1 else raw_pred
        pairs_y[1::2] = raw_pred if data.n_inputs == 1 else actual
        self.errors.setData(pairs_x, pairs_y)
        if data.n_inputs == 1 and len(self.history):
            cols = row_columns(self.model)
            rows = self.history.rows
            upto = min(len(rows), (self.shown_index or 0) + 1)
            idx = thin(upto)
            # dots mark single steps while there are few; a long path is a line
            self.path.setSymbol("o" if upto <= 150 else None)
            self.path.setData(rows[idx, cols.index("w1")], rows[idx, cols.index("b")])
        elif data.n_inputs == 1:
            self.path.setData([], [])
        if data.n_inputs == 1:
            self.path_head.setData([record.params[0]], [record.params[1]])
        if self.detail:
            self.math.set_lines(self._math_lines(record))

    def _math_lines(self, record: TrainStep) -> list[str]:
        data = self.dataset
        assert data is not None and self.model is not None
        i = self.selected if record.example is None else record.example
        back = self.model.backward(record.params, self.X, self.y)
        per = back.per_example_gradients[i]
        xi, yi, yhat = self.X[i], self.y[i], float(record.forward.yhat[i])
        a = record.learning_rate
        units = data.units or (None,) * data.n_inputs
        own = ", ".join(
            f"{n} = {money(v, u)}"
            for n, v, u in zip(data.feature_names, data.X[i], units, strict=False)
        )
        own += f", {data.target_name} = {money(data.y[i], data.target_unit)}"
        lines = [
            f"<b>Example {i + 1}</b> ({own})"
            + (" — normalised:" if self.x_norm is not None else ":"),
            "&nbsp;&nbsp;"
            + ", ".join(f"x<sub>{j + 1}</sub> = {fmt(v, 4)}" for j, v in enumerate(xi))
            + f", y = {fmt(yi, 4)}, ŷ = {fmt(yhat, 4)}, y − ŷ = {fmt(yi - yhat, 4)}",
        ]
        for j, name in enumerate(self.model.names[:-1]):
            lines.append(
                f"&nbsp;&nbsp;∂L/∂{name} = −({fmt(yi, 4)} − {fmt(yhat, 4)}) × "
                f"{fmt(xi[j], 4)} = <b>{fmt(per[j], 4)}</b>"
            )
        lines.append(
            f"&nbsp;&nbsp;∂L/∂b = −({fmt(yi, 4)} − {fmt(yhat, 4)}) = <b>{fmt(per[-1], 4)}</b>"
        )
        used = "this example's gradient" if record.example is not None else "the batch mean ∂J"
        lines.append(f"<b>Update with {used}</b> (α = {fmt(a, 4)}):")
        for j, name in enumerate(self.model.names):
            lines.append(
                f"&nbsp;&nbsp;{name} ← {fmt(record.params[j], 4)} − {fmt(a, 4)} × "
                f"({fmt(record.gradients[j], 4)}) = <b>{fmt(record.params_next[j], 4)}</b>"
            )
        lines.append(f"Cost J = {fmt(record.cost, 5)}")
        return lines
