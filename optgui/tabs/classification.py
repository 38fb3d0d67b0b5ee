"""Classification: a sigmoid perceptron learns the aliens' moods (lecture §2)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
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

from optgui.core import datasets
from optgui.core.activations import sigmoid
from optgui.core.datasets import Dataset
from optgui.core.history import Envelope, History
from optgui.core.models import Perceptron
from optgui.core.surfaces import line_in_box
from optgui.core.training import TrainStep, row_columns
from optgui.gui import style
from optgui.gui.guide import Guide
from optgui.gui.tables import fmt
from optgui.gui.training_tab import TrainingTab

GUIDE = (
    "The perceptron adds up the evidence, z = w1·aack + w2·beep + b, and squashes it with "
    "the sigmoid into a probability of being happy, ŷ = σ(z). Gradient descent on the log "
    "loss turns the dividing line σ(z) = 0.5 until happy and sad sentences fall on opposite "
    "sides. Type your own alien sentence to see its prediction, or try the XOR-like blobs: "
    "one straight line cannot separate them."
)

SOURCES = (
    ("aliens", "Alien sentences: aack / beep (slides)"),
    ("blobs", "Two blobs (generated)"),
    ("xor", "XOR-like four blobs (generated)"),
)

#: Steps without progress after which the tab says a straight line cannot do better.
STALL_WINDOW = 200


class ClassificationTab(TrainingTab):
    title = "Classification"
    default_rate = 0.5

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.extra_rows: list[tuple[float, float, float, str]] = []  # typed sentences
        self._points_for = None
        self._rect_for = None  # the grid the heatmap was placed for
        self._chosen_for = None  # (data, example) the ring marks

        self.guide = Guide(GUIDE)
        self.settings_layout.insertWidget(0, self.guide)
        self.source = QComboBox()
        self.source.setObjectName("dataset")
        for key, text in SOURCES:
            self.source.addItem(text, key)
        self.source.setToolTip("The slides' alien sentences, or generated points in two classes")
        self.data_layout.addWidget(self.source)
        form = QFormLayout()
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("noise")
        self.noise.setRange(0.0, 3.0)
        self.noise.setSingleStep(0.1)
        self.noise.setValue(0.4)
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
        self.prediction = QLabel("Type a sentence to see what the model thinks.")
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

        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {style.VERMILION}; font-weight: bold;")
        self.note.hide()
        self.settings_layout.insertWidget(2, self.note)

        # views --------------------------------------------------------------------
        self.plane = style.make_plot("Examples and the line σ(z) = 0.5", "x1", "x2")
        self.heat = pg.ImageItem()
        self.heat.setColorMap(pg.colormap.get(style.COLORMAP))
        self.heat.setOpacity(0.55)
        self.plane.addItem(self.heat)
        self.boundary = pg.PlotDataItem(pen=style.pen(style.INK, style.Look.pen + 1))
        self.plane.addItem(self.boundary)
        self.class_points = []
        for c in (0, 1):
            item = pg.ScatterPlotItem(
                size=style.Look.marker + 6,
                symbol=style.CLASS_SYMBOLS[c],
                brush=style.CLASS_COLORS[c],
                pen=pg.mkPen(style.INK if c else style.CLASS_COLORS[c], width=1.5),
                name=f"class {c}",
            )
            item.sigClicked.connect(self._point_clicked)
            self.plane.addItem(item)
            self.class_points.append(item)
        self.chosen = pg.ScatterPlotItem(
            size=style.Look.marker + 16, brush=None, pen=style.pen(style.ORANGE, 3)
        )
        self.plane.addItem(self.chosen)
        self.heat_bar = pg.ColorBarItem(
            values=(0, 1), colorMap=self.heat.getColorMap(), label="P(class 1)", interactive=False
        )
        self.heat_bar.setImageItem(self.heat, insert_in=self.plane.getPlotItem())
        self.plane_legend = self.legend(self.plane)

        self.sig_plot = style.make_plot("The sigmoid and each example's z", "z", "ŷ = σ(z)")
        zz = np.linspace(-8, 8, 400)
        self.sig_plot.plot(zz, sigmoid(zz), pen=style.pen(style.GREY))
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
        self.sig_plot.setYRange(-0.05, 1.05)

        self.acc_plot = style.make_plot("Accuracy against steps", "step k", "accuracy")
        self.acc_curve = self.acc_plot.plot(pen=style.pen(style.GREEN))
        self._acc_envelope = Envelope(bins=400)
        self.acc_plot.setYRange(0, 1.05)

        views = QWidget()
        grid = QGridLayout(views)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.plane, 0, 0)
        grid.addWidget(self.cost_view(), 0, 1)
        grid.addWidget(self.sig_plot, 1, 0)
        grid.addWidget(self.math, 1, 1, 2, 1)
        grid.addWidget(self.acc_plot, 2, 0)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        self.assemble(views)
        self.math.set_formulas(
            [
                r"z = w_1 x_1 + w_2 x_2 + b,\quad \hat{y} = \sigma(z) = \frac{1}{1+e^{-z}}",
                r"L(y,\hat{y}) = -y\ln\hat{y} - (1-y)\ln(1-\hat{y})",
                r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat{y}}"
                r"\frac{\partial \hat{y}}{\partial w_1} = \frac{-(y-\hat{y})}{\hat{y}(1-\hat{y})}"
                r"\,\hat{y}(1-\hat{y})\,x_1 = -(y-\hat{y})\,x_1",
                r"w_1 \leftarrow w_1 - \alpha\,\frac{\partial J}{\partial w_1}",
            ]
        )

        self.source.currentIndexChanged.connect(lambda _: self.load_source())
        self.noise.valueChanged.connect(lambda _: self._generated_changed())
        self.data_seed.valueChanged.connect(lambda _: self._generated_changed())
        self.sentence.textChanged.connect(lambda _: self._update_prediction())
        self.add_happy.clicked.connect(lambda: self.add_sentence(1))
        self.add_sad.clicked.connect(lambda: self.add_sentence(0))
        self.load_source()

    # -- data ---------------------------------------------------------------------
    def load_source(self) -> None:
        key = self.source.currentData()
        generated = key != "aliens"
        self.noise.setEnabled(generated)
        self.data_seed.setEnabled(generated)
        for w in (self.sentence, self.add_happy, self.add_sad):
            w.setEnabled(not generated)
        if key == "aliens":
            data = datasets.aack_beep()
            if self.extra_rows:
                data = self._with_sentences(data)
        elif key == "blobs":
            data = datasets.two_blobs(100, self.noise.value(), self.data_seed.value())
        else:
            data = datasets.xor_blobs(200, self.noise.value(), self.data_seed.value())
        self.use_data(data)

    def _generated_changed(self) -> None:
        if self.source.currentData() != "aliens":
            self.load_source()

    def _with_sentences(self, data: Dataset) -> Dataset:
        X = np.vstack([data.X, [[a, b] for a, b, _, _ in self.extra_rows]])
        y = np.concatenate([data.y, [c for _, _, c, _ in self.extra_rows]])
        labels = (*(data.row_labels or ()), *(s for *_, s in self.extra_rows))
        return Dataset(
            X,
            y,
            data.feature_names,
            data.target_name,
            data.units,
            data.name,
            row_labels=labels,
            class_names=data.class_names,
        )

    def use_data(self, data: Dataset) -> None:
        self.note.hide()
        self._grid = self._make_grid(data.X)
        names = data.feature_names
        style.style_plot(self.plane, "Examples and the line σ(z) = 0.5", names[0], names[1])
        self.plane_legend.clear()
        for c, item in enumerate(self.class_points):
            name = data.class_names[c] if data.class_names else str(c)
            self.plane_legend.addItem(item, f"{name} ({c})" if name != str(c) else f"class {c}")
        self.set_training_data(data, data.X, data.y, Perceptron(2))
        self._update_prediction()
        self.set_status(f"{data.name}: {data.m} examples. Press Space to play.")

    def add_sentence(self, label: int) -> None:
        text = self.sentence.text().strip()
        if not text:
            self.set_status("Type a sentence first.")
            return
        aack, beep = datasets.count_words(text)
        self.extra_rows.append((float(aack), float(beep), float(label), text))
        self.load_source()
        mood = "happy" if label else "sad"
        self.set_status(f"Added “{text}” (aack {aack}, beep {beep}) as {mood}. Training restarts.")

    # -- sessions -------------------------------------------------------------------
    def data_state(self) -> dict:
        return {
            "source": self.source.currentData(),
            "noise": float(self.noise.value()),
            "data_seed": self.data_seed.value(),
            "sentences": [
                {"aack": a, "beep": b, "label": c, "text": t} for a, b, c, t in self.extra_rows
            ],
        }

    def read_data(self, state: dict):
        from optgui.gui import session

        source = session.get(state, "source", str)
        if source not in {key for key, _ in SOURCES}:
            raise session.SessionError(f"unknown data '{source}' in the session")
        noise = session.get(state, "noise", float)
        seed = session.get(state, "data_seed", int)
        if not 0 <= noise <= self.noise.maximum() or not 0 <= seed <= self.data_seed.maximum():
            raise session.SessionError("the saved noise or data seed is out of range")
        rows = []
        for item in session.get(state, "sentences", list, []):
            if not isinstance(item, dict):
                raise session.SessionError("a saved sentence is damaged")
            a = session.get(item, "aack", float)
            b = session.get(item, "beep", float)
            c = session.get(item, "label", float)
            if c not in (0.0, 1.0):
                raise session.SessionError("a saved sentence's label is not 0 or 1")
            rows.append((a, b, c, str(item.get("text", ""))))

        def apply() -> None:
            for widget in (self.source, self.noise, self.data_seed):
                widget.blockSignals(True)
            self.noise.setValue(noise)
            self.data_seed.setValue(seed)
            self.source.setCurrentIndex(self.source.findData(source))
            for widget in (self.source, self.noise, self.data_seed):
                widget.blockSignals(False)
            self.extra_rows = rows
            self.load_source()

        return apply

    @staticmethod
    def _make_grid(X: np.ndarray, n: int = 100):
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = np.maximum((hi - lo) * 0.15, 0.5)
        lo, hi = lo - pad, hi + pad
        gx, gy = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
        GX, GY = np.meshgrid(gx, gy)
        return (lo, hi), np.column_stack([GX.ravel(), GY.ravel()]), n

    # -- prediction for a typed sentence ---------------------------------------------
    def _current_params(self) -> np.ndarray:
        if self.shown_index is not None and len(self.history):
            return np.asarray(self.history.record(self.shown_index).params_next)
        return np.asarray(self.params0)

    def _update_prediction(self) -> None:
        text = self.sentence.text().strip()
        if not text or self.model is None:
            self.prediction.setText("Type a sentence to see what the model thinks.")
            return
        aack, beep = datasets.count_words(text)
        p = float(self.model.forward(self._current_params(), np.array([[aack, beep]])).yhat[0])
        mood = "happy 🙂" if p >= 0.5 else "sad 🙁"
        self.prediction.setText(
            f"aack: <b>{aack}</b>, beep: <b>{beep}</b> → P(happy) = <b>{p:.3f}</b>: {mood}"
        )

    # -- views ------------------------------------------------------------------------
    def show_step(self, record: TrainStep) -> None:
        data = self.dataset
        assert data is not None and self.model is not None
        (lo, hi), grid, n = self._grid
        prob = self.model.forward(record.params, grid).yhat.reshape(n, n).astype(np.float32)
        self.heat.setImage(prob, levels=(0.0, 1.0))
        if self._rect_for is not self._grid:  # (moving it re-ranges and repaints the plot)
            self._rect_for = self._grid
            self.heat.setRect(pg.QtCore.QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]))
        segment = line_in_box(record.params[:2], record.params[2], lo, hi)
        self.boundary.setData(*(segment if segment is not None else ([], [])))
        z = np.asarray(record.forward.z)
        yhat = np.asarray(record.forward.yhat)
        if self._points_for is not data:  # the points move only when the data change
            self._points_for = data
            for c in (0, 1):
                mask = data.y == c
                self.class_points[c].setData(
                    data.X[mask, 0], data.X[mask, 1], data=np.flatnonzero(mask)
                )
        for c in (0, 1):
            mask = data.y == c
            self.sig_points[c].setData(np.clip(z[mask], -8, 8), yhat[mask])
        i = self.selected
        if self._chosen_for is None or self._chosen_for[0] is not data or self._chosen_for[1] != i:
            self._chosen_for = (data, i)
            self.chosen.setData([data.X[i, 0]], [data.X[i, 1]])
        if self.detail:
            self.math.set_lines(self._math_lines(record))
            self._update_prediction()

    def _math_lines(self, record: TrainStep) -> list[str]:
        data = self.dataset
        assert data is not None and self.model is not None
        i = self.selected if record.example is None else record.example
        back = self.model.backward(record.params, self.X, self.y)
        per = back.per_example_gradients[i]
        x1, x2 = self.X[i]
        yi, yhat, z = self.y[i], float(record.forward.yhat[i]), float(record.forward.z[i])
        w1, w2, b = record.params
        a = record.learning_rate
        label = f" “{data.row_labels[i]}”" if data.row_labels else ""
        lines = [
            f"<b>Example {i + 1}</b>{label}: x<sub>1</sub> = {fmt(x1, 4)}, "
            f"x<sub>2</sub> = {fmt(x2, 4)}, y = {fmt(yi, 3)}",
            f"&nbsp;&nbsp;z = {fmt(w1, 4)}×{fmt(x1, 4)} + {fmt(w2, 4)}×{fmt(x2, 4)} + "
            f"{fmt(b, 4)} = {fmt(z, 4)},&nbsp; ŷ = σ(z) = <b>{fmt(yhat, 4)}</b>",
            f"&nbsp;&nbsp;∂L/∂w<sub>1</sub> = −({fmt(yi, 3)} − {fmt(yhat, 4)}) × {fmt(x1, 4)} "
            f"= <b>{fmt(per[0], 4)}</b>",
            f"&nbsp;&nbsp;∂L/∂w<sub>2</sub> = −({fmt(yi, 3)} − {fmt(yhat, 4)}) × {fmt(x2, 4)} "
            f"= <b>{fmt(per[1], 4)}</b>",
            f"&nbsp;&nbsp;∂L/∂b = −({fmt(yi, 3)} − {fmt(yhat, 4)}) = <b>{fmt(per[2], 4)}</b>",
        ]
        used = "this example's gradient" if record.example is not None else "the batch mean ∂J"
        lines.append(f"<b>Update with {used}</b> (α = {fmt(a, 4)}):")
        for j, name in enumerate(self.model.names):
            lines.append(
                f"&nbsp;&nbsp;{name} ← {fmt(record.params[j], 4)} − {fmt(a, 4)} × "
                f"({fmt(record.gradients[j], 4)}) = <b>{fmt(record.params_next[j], 4)}</b>"
            )
        acc = record.accuracy if record.accuracy is not None else float("nan")
        lines.append(f"Cost J = {fmt(record.cost, 5)}, accuracy = {acc:.0%}")
        return lines

    def show_history(self, history: History) -> None:
        super().show_history(history)
        if not len(history) or self.model is None:
            self.acc_curve.setData([], [])
            style.restart_view(self.acc_plot)
            return
        cols = row_columns(self.model)
        acc = history.column(cols.index("accuracy"))
        x, y = self._acc_envelope.update(acc)
        self.acc_curve.setData(x, y)
        style.keep_in_view(self.acc_plot, len(acc), 0.0, 1.0)
        self._check_stall(history, cols)

    def _check_stall(self, history: History, cols: tuple[str, ...], ended: bool = False) -> None:
        """Say so when the cost has stopped falling but examples are still wrong."""
        n = len(history)
        if self.note.isVisible() or n == 0 or (n < STALL_WINDOW and not ended):
            return
        cost = history.column(cols.index("cost"))
        acc = history.column(cols.index("accuracy"))[-1]
        start = cost[max(0, n - STALL_WINDOW)]
        drop = (start - cost[-1]) / max(abs(cost[-1]), 1e-12)
        if acc < 0.9 and (ended or drop < 1e-3):
            self.note.setText(
                f"The loss has stalled at {cost[-1]:.3f} with {acc:.0%} right. A single "
                "perceptron draws one straight line, and no straight line separates these "
                "classes. The 2-2-1 Network tab adds a hidden layer that can."
            )
            self.note.show()

    def _on_finished(self, outcome) -> None:
        super()._on_finished(outcome)
        if self.model is not None:
            self._check_stall(self.history, row_columns(self.model), ended=True)
            if self.note.isVisible():
                self.set_status(
                    f"{outcome.message[:1].upper()}{outcome.message[1:]} — but one straight "
                    "line cannot separate these classes."
                )

    def reset(self) -> None:
        self.note.hide()
        super().reset()
