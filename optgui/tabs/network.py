"""The 2-2-1 network: backpropagation made visible (lecture §3).

Every parameter is on screen (the diagram), the chain rule that moves the
selected one is written out with the numbers of one example (the chain-rule
panel), and the network's probability map shows what it has learnt. Every
number comes from the core: the step record, ``model.forward`` on a grid and
``model.backward`` for the chain-rule factors, computed only for the step on
screen.
"""

from __future__ import annotations

import math
import time

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui.core import datasets
from optgui.core.datasets import Dataset
from optgui.core.history import History, envelope
from optgui.core.models import Backward, Network
from optgui.core.training import TrainStep, row_columns
from optgui.gui import style
from optgui.gui.guide import Guide
from optgui.gui.mathpanel import heading
from optgui.gui.mathtext import Formula
from optgui.gui.network_diagram import NetworkDiagram, pretty
from optgui.gui.tables import NumberTable, fmt
from optgui.gui.training_tab import TrainingTab

GUIDE = (
    "x₁, x₂ feed two hidden units a₁, a₂, which feed ŷ, the probability of class 1. "
    "Press → for one step and watch all nine parameters move. Click an edge or a bias to "
    "see the chain rule that moves it, with one example's numbers; the coloured factors "
    "are shared with other parameters, which is why backpropagation is cheap. "
    "Then try a start of all zeros: the two hidden units stay twins."
)

DATA_CHOICES = (
    ("xor", "XOR-like four blobs (the assignment)"),
    ("aack", "Alien moods: aack and beep (the slides)"),
    ("circles", "Circles"),
    ("moons", "Moons"),
)
CLICK_MODES = (
    ("select", "select a point (its chain rule)"),
    ("add0", "add a point of class 0"),
    ("add1", "add a point of class 1"),
)
ACTIVATION_CHOICES = (
    ("sigmoid", "sigmoid σ (the slides)"),
    ("tanh", "tanh"),
    ("relu", "ReLU"),
)
DEFAULT_NOISE = {"xor": 0.3, "circles": 0.1, "moons": 0.1}
ACTIVATION_TEXT = {"sigmoid": "σ({})", "tanh": "tanh({})", "relu": "max(0, {})"}

#: The probability map is computed on GRID × GRID points; node pictures use every NODE_STEP-th.
GRID = 200
GRID_WIDE = 140  # for 5 to 8 hidden units, whose forward pass costs more
#: After drawing a frame in t seconds, the next waits DRAW_REST·t (drawing ≤ 2/3 of the time).
DRAW_REST = 0.5
#: While a run streams, the cost and accuracy curves are redrawn every HISTORY_PERIOD s.
HISTORY_PERIOD = 0.1
#: Below this tab width the diagram and the chain rule become two pages.
NARROW_WIDTH = 1500
NODE_STEP = 4
#: Tints of the shared backward values: the output's ∂L/∂z, then one per hidden unit.
OUTPUT_TINT = "#FBE3B0"
HIDDEN_TINTS = ("#CDE7F7", "#CDEFE3", "#F2D9E8", "#F9F4C2")
SYMMETRY_NOTE = (
    "<b>Symmetry:</b> the hidden units are identical — {units} have the same weights, the "
    "same bias and the same value for every input. They started equal, so every step gives "
    "them equal gradients and they stay equal: the network is no better than one hidden "
    "unit and cannot separate XOR. Choose the small random start to break the tie."
)
STUCK_NOTE = (
    " Here every gradient is exactly 0 (the two classes balance), so gradient descent does "
    "not move at all."
)


# --- notation --------------------------------------------------------------------------------


def tex_symbol(name: str) -> str:
    """'w11' → 'w_{11}', 'ŷ' → '\\hat{y}', 'z' → 'z'."""
    if name == "ŷ":
        return r"\hat{y}"
    head, digits = name[:1], name[1:]
    return f"{head}_{{{digits}}}" if digits else head


def html_symbol(name: str) -> str:
    """'w11' → 'w<sub>11</sub>'."""
    head, digits = name[:1], name[1:]
    return f"{head}<sub>{digits}</sub>" if digits and name != "ŷ" else name


def split_partial(text: str) -> tuple[str, str]:
    """'∂z1/∂w11' → ('z1', 'w11')."""
    top, bottom = text.split("/")
    return top.lstrip("∂"), bottom.lstrip("∂")


def tex_partial(text: str) -> str:
    top, bottom = split_partial(text)
    return rf"\dfrac{{\partial {tex_symbol(top)}}}{{\partial {tex_symbol(bottom)}}}"


def html_partial(text: str) -> str:
    top, bottom = split_partial(text)
    return f"∂{html_symbol(top)}/∂{html_symbol(bottom)}"


def derivative_tex(activation: str, j: str) -> str:
    """∂a_j/∂z_j in terms of the node's values."""
    if activation == "tanh":
        return rf"1-a_{{{j}}}^{{2}}"
    if activation == "relu":
        return rf"1\ \mathrm{{if}}\ z_{{{j}}}>0,\ \mathrm{{else}}\ 0"
    return rf"a_{{{j}}}(1-a_{{{j}}})"


def factor_tex(factor: str, activation: str) -> str:
    """What a chain-rule factor equals, e.g. ∂z1/∂w11 → x_1, ∂ŷ/∂z → ŷ(1 − ŷ)."""
    top, bottom = split_partial(factor)
    if top == "L":
        return r"-\dfrac{y-\hat{y}}{\hat{y}(1-\hat{y})}"
    if top == "ŷ":
        return r"\hat{y}(1-\hat{y})"
    if bottom.startswith("b"):
        return "1"
    if top == "z":
        return (
            tex_symbol("w" + bottom[1:])
            if bottom.startswith("a")
            else tex_symbol("a" + bottom[1:])
        )
    if top.startswith("a"):
        return derivative_tex(activation, top[1:])
    return tex_symbol("x" + bottom[1])  # ∂z_j/∂w_ij = x_i


def simplified_tex(name: str, activation: str) -> str:
    """The slides' simplified gradient, e.g. −x1·w1·a1(1 − a1)·(y − ŷ) for w11."""
    if name == "b":
        return r"-(y-\hat{y})"
    if len(name) == 2 and name.startswith("w"):
        return rf"-a_{{{name[1]}}}\,(y-\hat{{y}})"
    j = name[1:] if name.startswith("b") else name[2:]
    d = derivative_tex(activation, j)
    if activation != "sigmoid":
        d = rf"\left({d}\right)"
    if name.startswith("b"):
        return rf"-w_{{{j}}}\,{d}\,(y-\hat{{y}})"
    return rf"-x_{{{name[1]}}}\,w_{{{j}}}\,{d}\,(y-\hat{{y}})"


def hidden_unit(name: str) -> int | None:
    """The hidden unit a parameter feeds (w11 → 1, b2 → 2), None for output parameters."""
    if name == "b" or (name.startswith("w") and len(name) == 2):
        return None
    return int(name[1:]) if name.startswith("b") else int(name[2:])


def tint(unit: int | None) -> str:
    return OUTPUT_TINT if unit is None else HIDDEN_TINTS[(unit - 1) % len(HIDDEN_TINTS)]


def sharers(names: tuple[str, ...], unit: int) -> list[str]:
    """Parameters whose gradient reuses ∂L/∂z_unit."""
    return [n for n in names if hidden_unit(n) == unit]


def wrapped_heading(text: str) -> QLabel:
    label = heading(text)
    label.setWordWrap(True)
    return label


def num(value: float, digits: int = 4) -> str:
    """A number inside a formula line; negative numbers in parentheses."""
    text = fmt(value, digits)
    return f"({text})" if text.startswith("−") else text


# --- the chain-rule panel --------------------------------------------------------------------


class SizedFormula(Formula):
    """A formula ``offset`` points larger than the text: it follows zoom and presentation."""

    def __init__(self, latex: str = "", offset: int = 3, parent: QWidget | None = None):
        self._offset = offset
        super().__init__(latex, points=style.Look.font_pt + offset, parent=parent)

    def set_latex(self, latex: str) -> None:
        self._points = style.Look.font_pt + self._offset
        super().set_latex(latex)


class ChainPanel(QScrollArea):
    """The chain rule for one parameter and one example, factor by factor, with numbers."""

    parameter_chosen = Signal(str)
    example_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chain_panel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setStyleSheet("background: white;")
        layout = QVBoxLayout(body)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.setSpacing(4)

        row = QHBoxLayout()
        title = QLabel("<b>Chain rule for</b>")
        row.addWidget(title)
        self.parameter = QComboBox()
        self.parameter.setObjectName("parameter")
        self.parameter.setToolTip(
            "The parameter whose gradient is written out (or click the diagram)"
        )
        row.addWidget(self.parameter)
        row.addWidget(QLabel("<b>on example</b>"))
        self.example = QSpinBox()
        self.example.setObjectName("example")
        self.example.setToolTip("The example whose numbers fill the chain (or click a point)")
        row.addWidget(self.example)
        row.addStretch(1)
        layout.addLayout(row)
        self.example_info = self._label("example_info")
        layout.addWidget(self.example_info)

        self.chain_formula = SizedFormula("", 3)
        layout.addWidget(self.chain_formula)
        self.factor_box = QWidget()
        self.factor_grid = QGridLayout(self.factor_box)
        self.factor_grid.setContentsMargins(0, 4, 0, 4)
        self.factor_grid.setHorizontalSpacing(10)
        layout.addWidget(self.factor_box)
        self.factor_values: list[QLabel] = []
        self.shared_tags: list[tuple[QLabel, int | None]] = []

        self.product = self._label("chain_product")
        layout.addWidget(self.product)
        self.shared_output = self._label("shared_output")
        self.shared_output.setStyleSheet(self._box_style(OUTPUT_TINT))
        layout.addWidget(self.shared_output)
        self.shared_hidden = self._label("shared_hidden")
        layout.addWidget(self.shared_hidden)
        self.simplified_formula = SizedFormula("", 2)
        layout.addLayout(self._titled("Simplified:", self.simplified_formula))
        self.simplified = self._label("chain_simplified")
        layout.addWidget(self.simplified)
        self.batch = self._label("chain_batch")
        layout.addWidget(self.batch)
        self.update_formula = SizedFormula("", 2)
        layout.addLayout(self._titled("The update:", self.update_formula))
        self.update_line = self._label("chain_update")
        layout.addWidget(self.update_line)

        self.forward_heading = wrapped_heading("The forward pass for this example, node by node")
        layout.addWidget(self.forward_heading)
        self.forward_slot = QVBoxLayout()
        layout.addLayout(self.forward_slot)
        layout.addWidget(wrapped_heading("The backward pass: computed once per example, reused"))
        self.reuse_note = self._label("reuse_note")
        layout.addWidget(self.reuse_note)
        self.reuse = NumberTable(
            ["parameter", "local factor", "× shared backward value", "= ∂L/∂parameter"]
        )
        self.reuse.setObjectName("backward_reuse")
        self.reuse.setToolTip(
            "Every gradient is a local factor times a backward value computed once: "
            "the same coloured number appears in several rows"
        )
        layout.addWidget(self.reuse)
        layout.addStretch(1)
        self.setWidget(body)

        self._key: tuple[str, str] | None = None
        self.parameter.currentIndexChanged.connect(self._parameter_changed)
        self.example.valueChanged.connect(self.example_chosen)

    @staticmethod
    def _titled(title: str, formula: Formula) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 6, 0, 0)
        row.addWidget(wrapped_heading(title))
        row.addWidget(formula)
        row.addStretch(1)
        return row

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- choices ----------------------------------------------------------------
    def set_names(self, names: tuple[str, ...], selected: str) -> None:
        self.parameter.blockSignals(True)
        self.parameter.clear()
        for name in names:
            self.parameter.addItem(pretty(name), name)
        self.parameter.setCurrentIndex(max(0, self.parameter.findData(selected)))
        self.parameter.blockSignals(False)
        self._key = None

    def set_parameter(self, name: str) -> None:
        index = self.parameter.findData(name)
        if index >= 0 and index != self.parameter.currentIndex():
            self.parameter.setCurrentIndex(index)

    def set_examples(self, m: int, selected: int) -> None:
        self.example.blockSignals(True)
        self.example.setRange(0, max(0, m - 1))
        self.example.setValue(selected)
        self.example.blockSignals(False)

    def set_example(self, i: int) -> None:
        self.example.blockSignals(True)
        self.example.setValue(i)
        self.example.blockSignals(False)

    def _parameter_changed(self, _index: int) -> None:
        name = self.parameter.currentData()
        if name:
            self.parameter_chosen.emit(name)

    # -- content ----------------------------------------------------------------
    def _build(self, name: str, factors: list[str], activation: str) -> None:
        """Typeset the chain for ``name`` (once per parameter and activation)."""
        key = (name, activation + "|" + "|".join(factors))
        if key == self._key:
            return
        self._key = key
        while self.factor_grid.count():
            item = self.factor_grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        head = rf"\dfrac{{\partial L}}{{\partial {tex_symbol(name)}}}"
        self.chain_formula.set_latex(
            head + " = " + r" \cdot ".join(tex_partial(f) for f in factors)
        )
        self.factor_values = []
        self.shared_tags = []
        unit = hidden_unit(name)
        n = len(factors)
        for r, factor in enumerate(factors):
            self.factor_grid.addWidget(SizedFormula(tex_partial(factor), 1), r, 0)
            self.factor_grid.addWidget(
                SizedFormula("= " + factor_tex(factor, activation), 1), r, 1
            )
            value = QLabel()
            value.setObjectName(f"factor_value_{r}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(90)
            if r >= n - 2:
                group: int | None | str = None  # ∂ŷ/∂z · ∂L/∂ŷ: shared by every parameter
            elif unit is not None and r >= 1:
                group = unit
            else:
                group = "own"
            background = "#F2F2F2" if group == "own" else tint(group)  # type: ignore[arg-type]
            value.setStyleSheet(f"background: {background}; padding: 2px 6px;")
            self.factor_grid.addWidget(value, r, 2)
            self.factor_values.append(value)
        # shared groups: the output's ∂L/∂z (last two factors), the hidden unit's ∂L/∂z_j
        out_tag = self._tag(OUTPUT_TINT, "∂L/∂z")
        self.factor_grid.addWidget(out_tag, n - 2, 3, 2, 1)
        self.shared_tags = [(self.shared_output, None)]
        if unit is not None:
            hid_tag = self._tag(tint(unit), f"∂L/∂z<sub>{unit}</sub>")
            self.factor_grid.addWidget(hid_tag, 1, 4, n - 1, 1)
            self.shared_tags.append((self.shared_hidden, unit))
            self.shared_hidden.setStyleSheet(self._box_style(tint(unit)))
        self.shared_hidden.setVisible(unit is not None)
        self.factor_grid.setColumnStretch(5, 1)
        self.simplified_formula.set_latex(
            rf"\dfrac{{\partial L}}{{\partial {tex_symbol(name)}}} = "
            + simplified_tex(name, activation)
        )
        self.update_formula.set_latex(
            rf"{tex_symbol(name)} \leftarrow {tex_symbol(name)} - \alpha\,"
            rf"\dfrac{{\partial J}}{{\partial {tex_symbol(name)}}}"
        )

    @staticmethod
    def _tag(color: str, text: str) -> QLabel:
        """A bracket beside the factors that make up one shared backward value."""
        tag = QLabel(text)
        tag.setTextFormat(Qt.TextFormat.RichText)
        tag.setStyleSheet(
            f"background: {color}; border-left: 4px solid {style.GREY}; padding: 2px 6px;"
        )
        return tag

    @staticmethod
    def _box_style(color: str) -> str:
        return f"background: {color}; border-left: 4px solid {style.GREY}; padding: 4px 8px;"

    def show_chain(
        self,
        name: str,
        i: int,
        record: TrainStep,
        back: Backward,
        activation: str,
        info: str,
    ) -> None:
        """Fill the panel for parameter ``name``, example ``i`` of the step ``record``."""
        chain = back.chain(name, i)
        factors = [f for f, _ in chain]
        self._build(name, factors, activation)
        names = back.names
        idx = names.index(name)
        grad_i = float(back.per_example_gradients[i, idx])
        sym = html_symbol(name)
        self.example_info.setText(info)
        for label, (_, value) in zip(self.factor_values, chain, strict=True):
            label.setText(f"<span style='font-size:large'>{fmt(value, 6)}</span>")
        product = " × ".join(num(v, 4) for _, v in chain)
        self.product.setText(f"Product: ∂L/∂{sym} = {product} = <b>{fmt(grad_i, 6)}</b>")
        dz = float(back.dL_dz[i])
        for tag, unit in self.shared_tags:
            if unit is None:
                tag.setText(
                    f"∂ŷ/∂z · ∂L/∂ŷ = ∂L/∂z = −(y − ŷ) = <b>{fmt(dz, 6)}</b>: "
                    f"computed once, shared by all {len(names)} parameters"
                )
            else:
                assert back.dL_dhidden_z is not None
                dzj = float(back.dL_dhidden_z[i, unit - 1])
                users = ", ".join(html_symbol(n) for n in sharers(names, unit))
                tag.setText(
                    f"∂a<sub>{unit}</sub>/∂z<sub>{unit}</sub> · ∂z/∂a<sub>{unit}</sub> · ∂L/∂z "
                    f"= ∂L/∂z<sub>{unit}</sub> = <b>{fmt(dzj, 6)}</b>: computed once, "
                    f"shared by {users}"
                )
        self.simplified.setText(
            f"= {self._simplified_numbers(name, i, back)} = <b>{fmt(grad_i, 6)}</b>"
        )
        alpha = record.learning_rate
        g = float(record.gradients[idx])
        if record.example is None:
            self.batch.setText(
                f"Full batch: the step uses the mean over all {back.y.shape[0]} examples, "
                f"∂J/∂{sym} = (1/m) Σ ∂L/∂{sym} = <b>{fmt(g, 6)}</b> "
                f"(example {i}'s {fmt(grad_i, 4)} is one of the terms)."
            )
        else:
            self.batch.setText(
                f"One example at a time: step {record.k} uses example {record.example}'s own "
                f"gradient, ∂L/∂{sym} = <b>{fmt(g, 6)}</b>."
            )
        self.update_line.setText(
            f"{sym} ← {fmt(record.params[idx], 6)} − {fmt(alpha, 4)} × {num(g, 6)} "
            f"= <b>{fmt(record.params_next[idx], 6)}</b>"
        )
        self._show_reuse(name, i, back)

    @staticmethod
    def _simplified_numbers(name: str, i: int, back: Backward) -> str:
        def par(value: float) -> str:
            return f"({fmt(value, 4)})"

        r = par(float(back.residual[i]))
        if name == "b":
            return f"−{r}"
        assert back.forward.hidden_a is not None and back.dz_da is not None
        assert back.da_dz is not None
        if name.startswith("w") and len(name) == 2:
            j = int(name[1:]) - 1
            return f"−{par(float(back.forward.hidden_a[i, j]))} · {r}"
        j = (int(name[1:]) if name.startswith("b") else int(name[2:])) - 1
        parts = [par(float(back.dz_da[i, j])), par(float(back.da_dz[i, j])), r]
        if name.startswith("w"):
            parts.insert(0, par(float(back.dz_dw[i, int(name[1]) - 1])))
        return "−" + " · ".join(parts)

    def _show_reuse(self, selected: str, i: int, back: Backward) -> None:
        assert back.forward.hidden_a is not None and back.dL_dhidden_z is not None
        rows: list[list[object]] = []
        units: list[int | None] = []
        dz = float(back.dL_dz[i])
        for idx, name in enumerate(back.names):
            unit = hidden_unit(name)
            if name == "b" or (name.startswith("b") and unit is not None):
                local = "1"
            elif unit is not None:
                src = int(name[1])
                local = f"{pretty(f'x{src}')} = {fmt(float(back.dz_dw[i, src - 1]), 4)}"
            else:
                j = int(name[1:])
                local = f"{pretty(f'a{j}')} = {fmt(float(back.forward.hidden_a[i, j - 1]), 4)}"
            if unit is None:
                shared = f"∂L/∂z = {fmt(dz, 4)}"
            else:
                dzj = float(back.dL_dhidden_z[i, unit - 1])
                shared = f"∂L/∂{pretty(f'z{unit}')} = {fmt(dzj, 4)}"
            rows.append([pretty(name), local, shared, float(back.per_example_gradients[i, idx])])
            units.append(unit)
        self.reuse.set_rows(rows)
        bold = QFont(self.reuse.font())
        bold.setBold(True)
        normal = QFont(self.reuse.font())
        for r, unit in enumerate(units):
            self.reuse.item(r, 2).setBackground(QColor(tint(unit)))
            is_selected = back.names[r] == selected
            for c in range(4):
                self.reuse.item(r, c).setFont(bold if is_selected else normal)
        self.reuse.fit_height()
        h = len(back.names) // 4
        self.reuse_note.setText(
            f"Going backwards from the loss, ∂L/∂z is computed once and then each "
            f"∂L/∂z<sub>j</sub> once; all {len(back.names)} gradients are a local factor "
            f"times one of these {h + 1} numbers."
        )


# --- the data plane --------------------------------------------------------------------------


class PlaneView(pg.PlotWidget):
    """The data over the network's probability map, with the 0.5 contour."""

    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("plane")
        style.style_plot(self, "Data and ŷ = P(class 1)", "x₁", "x₂")
        self.updates = 0  # heatmap updates (the benchmark counts them)
        cmap = pg.colormap.get(style.COLORMAP, source="matplotlib")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(cmap)
        self.image.setLevels((0.0, 1.0))
        self.image.setZValue(-10)
        self.addItem(self.image)
        item = self.getPlotItem()
        self.bar = pg.ColorBarItem(
            values=(0, 1), colorMap=cmap, interactive=False, width=14, colorMapMenu=False
        )
        self.bar.setImageItem(self.image, insert_in=item)
        self.bar.axis.setWidth(58)
        self.bar.axis.setTickFont(style.Look.axis_font())
        self.bar.axis.setTicks(
            [[(0.0, "0"), (0.25, ".25"), (0.5, "0.5"), (0.75, ".75"), (1.0, "1")]]
        )
        self.halo = pg.PlotCurveItem(pen=pg.mkPen("w", width=style.Look.pen + 4), connect="finite")
        self.contour = pg.PlotCurveItem(
            pen=pg.mkPen(style.INK, width=style.Look.pen + 1, style=Qt.PenStyle.DashLine),
            connect="finite",
        )
        self.addItem(self.halo)
        self.addItem(self.contour)
        self.points = []
        for c in (0, 1):
            scatter = pg.ScatterPlotItem(
                size=style.Look.marker + 2,
                symbol=style.CLASS_SYMBOLS[c],
                brush=style.CLASS_COLORS[c],
                pen=pg.mkPen("w", width=1.2),
            )
            self.addItem(scatter)
            self.points.append(scatter)
        self.chosen = pg.ScatterPlotItem(
            size=style.Look.marker + 16, symbol="o", brush=None, pen=pg.mkPen(style.INK, width=3)
        )
        self.chosen_inner = pg.ScatterPlotItem(
            size=style.Look.marker + 11, symbol="o", brush=None, pen=pg.mkPen("w", width=2)
        )
        self.addItem(self.chosen)
        self.addItem(self.chosen_inner)
        vb = item.getViewBox()
        vb.setMouseEnabled(False, False)
        vb.setMenuEnabled(False)
        item.hideButtons()
        self.scene().sigMouseClicked.connect(self._scene_clicked)
        self._xs = self._ys = np.zeros(0)
        self._gx = self._gy = np.zeros((0, 0))
        self._rect: QRectF | None = None
        self.setToolTip(
            "Click a point to see its chain rule (or choose 'add a point' on the left)"
        )

    def set_extent(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The grid the map is computed on (cell centres)."""
        self._xs, self._ys = xs, ys
        self._gx, self._gy = np.meshgrid(xs, ys)  # once per data set, not per frame
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self._rect = QRectF(
            xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy
        )
        self.getPlotItem().setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0)

    def set_points(self, X: np.ndarray, y: np.ndarray) -> None:
        for c, scatter in enumerate(self.points):
            mask = (y >= 0.5) if c == 1 else (y < 0.5)
            scatter.setData(X[mask, 0], X[mask, 1])

    def set_map(self, p: np.ndarray | None) -> None:
        """ŷ on the grid (rows = x2, columns = x1), or None to clear."""
        if p is None:
            self.image.clear()
            self.halo.setData([], [])
            self.contour.setData([], [])
            return
        self.image.setImage(p, autoLevels=False, levels=(0.0, 1.0))
        if self._rect is not None:  # an ImageItem takes its rectangle once it has an image
            self.image.setRect(self._rect)
            self._rect = None
        lines = contourpy.contour_generator(
            self._gx, self._gy, p, line_type=contourpy.LineType.ChunkCombinedNan
        ).lines(0.5)
        chunk = lines[0][0] if lines and lines[0] and lines[0][0] is not None else None
        if chunk is None:
            self.halo.setData([], [])
            self.contour.setData([], [])
        else:
            self.halo.setData(chunk[:, 0], chunk[:, 1])
            self.contour.setData(chunk[:, 0], chunk[:, 1])
        self.updates += 1

    def set_selected(self, point: np.ndarray | None) -> None:
        if point is None:
            self.chosen.setData([], [])
            self.chosen_inner.setData([], [])
        else:
            self.chosen.setData([point[0]], [point[1]])
            self.chosen_inner.setData([point[0]], [point[1]])

    def pixel_size(self) -> tuple[float, float]:
        """Data units per screen pixel (x, y)."""
        w, h = self.getPlotItem().getViewBox().viewPixelSize()
        return float(w), float(h)

    def widget_pos(self, x: float, y: float) -> QPoint:
        """Widget coordinates of the data point (x, y) (for tests and tours)."""
        vb = self.getPlotItem().getViewBox()
        return self.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    def _scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.getPlotItem().getViewBox()
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        self.clicked.emit(float(p.x()), float(p.y()))


# --- the tab ---------------------------------------------------------------------------------


class NetworkTab(TrainingTab):
    title = "2-2-1 Network"
    default_rate = 5.0
    default_speed = 30
    default_limit = 5000

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.param_name = "w11"
        self.base_data: Dataset | None = None
        self.added_X: list[tuple[float, float]] = []
        self.added_y: list[float] = []
        self._record: TrainStep | None = None
        self._pending: list | None = None
        self._flush_scheduled = False
        self._next_frame = 0.0
        self._history_drawn = 0.0
        self._grid = np.zeros((0, 2))
        self._grid_shape = (0, 0)
        self._bounds = (np.zeros(2), np.ones(2))
        self._build_settings()
        self._build_views()
        self.load_data()

    # -- building ---------------------------------------------------------------
    def _build_settings(self) -> None:
        self.guide = Guide(GUIDE)
        self.settings_layout.insertWidget(0, self.guide)
        self.source = QComboBox()
        self.source.setObjectName("dataset")
        for key, text in DATA_CHOICES:
            self.source.addItem(text, key)
        self.source.setToolTip("Which points the network learns to classify")
        self.data_layout.addWidget(self.source)
        self.points = QSpinBox()
        self.points.setObjectName("points")
        self.points.setRange(4, 2000)
        self.points.setValue(200)
        self.points.setToolTip("How many points to generate (the slides' table has 4)")
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("noise")
        self.noise.setRange(0.0, 1.0)
        self.noise.setSingleStep(0.05)
        self.noise.setValue(0.3)
        self.noise.setToolTip("How far the generated points scatter (0 = perfectly clean)")
        self.data_seed = QSpinBox()
        self.data_seed.setObjectName("data_seed")
        self.data_seed.setRange(0, 999_999)
        self.data_seed.setToolTip("Seed of the generated points: same seed, same points")
        for box in (self.points, self.noise, self.data_seed):
            box.setKeyboardTracking(False)  # new points once the number is typed, not per key
        self.click_mode = QComboBox()
        self.click_mode.setObjectName("click_mode")
        for key, text in CLICK_MODES:
            self.click_mode.addItem(text, key)
        self.click_mode.setToolTip(
            "What a click on the data plane does: choose the example shown in the chain rule, "
            "or add a point of class 0 or 1 (the run then starts again)"
        )
        grid = QGridLayout()
        grid.addWidget(QLabel("Points"), 0, 0)
        grid.addWidget(self.points, 0, 1)
        grid.addWidget(QLabel("Noise"), 0, 2)
        grid.addWidget(self.noise, 0, 3)
        grid.addWidget(QLabel("Data seed"), 1, 0)
        grid.addWidget(self.data_seed, 1, 1)
        grid.addWidget(QLabel("Click on the plane"), 2, 0, 1, 2)
        grid.addWidget(self.click_mode, 2, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.data_layout.addLayout(grid)
        self.data_info = QLabel()
        self.data_info.setObjectName("data_info")
        self.data_info.setWordWrap(True)
        self.data_info.setStyleSheet(f"color: {style.GREY};")
        self.data_layout.addWidget(self.data_info)

        net_box = QGroupBox("Network")
        net_form = QHBoxLayout(net_box)
        self.width_box = QSpinBox()
        self.width_box.setObjectName("hidden_width")
        self.width_box.setRange(1, 8)
        self.width_box.setValue(2)
        self.width_box.setToolTip(
            "Hidden units: 2 as in the slides; 1 cannot separate XOR, more fit harder shapes"
        )
        self.width_box.setKeyboardTracking(False)
        self.activation = QComboBox()
        self.activation.setObjectName("activation")
        for key, text in ACTIVATION_CHOICES:
            self.activation.addItem(text, key)
        self.activation.setToolTip("The hidden units' activation (the output is always sigmoid)")
        net_form.addWidget(QLabel("Hidden units"))
        net_form.addWidget(self.width_box)
        net_form.addSpacing(8)
        net_form.addWidget(QLabel("activation"))
        net_form.addWidget(self.activation, 1)
        self.settings_layout.insertWidget(3, net_box)

        self.source.currentIndexChanged.connect(lambda _: self._source_changed())
        self.points.valueChanged.connect(lambda _: self._generated_changed())
        self.noise.valueChanged.connect(lambda _: self._generated_changed())
        self.data_seed.valueChanged.connect(lambda _: self._generated_changed())
        self.width_box.valueChanged.connect(lambda _: self._model_changed())
        self.activation.currentIndexChanged.connect(lambda _: self._model_changed())
        self.table.cellClicked.connect(self._table_clicked)

    def _build_views(self) -> None:
        self.diagram = NetworkDiagram()
        self.diagram.parameter_clicked.connect(self.select_parameter)
        self.plane = PlaneView()
        self.plane.clicked.connect(self._plane_clicked)
        self.chain = ChainPanel()
        self.chain.parameter_chosen.connect(self.select_parameter)
        self.chain.example_chosen.connect(self.select_example)

        style.style_plot(self.cost_plot, "Cost J and accuracy", "step k", "cost J, accuracy")
        self.acc_curve = self.cost_plot.plot(
            pen=style.pen(style.ORANGE, style.Look.pen, Qt.PenStyle.DashLine)
        )
        self.acc_marker = self.cost_plot.plot(
            pen=None, symbol="s", symbolBrush=style.ORANGE, symbolSize=style.Look.marker
        )
        legend = self.legend(self.cost_plot)
        legend.addItem(self.cost_curve, "cost J")
        legend.addItem(self.acc_curve, "accuracy")

        self.forward_table = NumberTable(["node", "how it is computed", "value"])
        header = self.forward_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self._fit_rows()
        self.forward_table.setObjectName("forward_values")
        self.forward_table.setToolTip("The forward pass for the selected example, node by node")

        self.symmetry = QLabel()
        self.symmetry.setObjectName("symmetry_note")
        self.symmetry.setWordWrap(True)
        self.symmetry.setTextFormat(Qt.TextFormat.RichText)
        self.symmetry.setStyleSheet(
            f"background: #FFF3C4; border: 2px solid {style.ORANGE}; padding: 6px;"
        )
        self.symmetry.hide()

        self.plane_legend = QLabel()
        self.plane_legend.setObjectName("plane_legend")
        self.plane_legend.setWordWrap(True)
        plane_box = QWidget()
        pl = QVBoxLayout(plane_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addWidget(self.plane, 1)
        pl.addWidget(self.plane_legend)

        self.chain.forward_slot.addWidget(self.forward_table)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(plane_box)
        lower.addWidget(self.cost_view())
        lower.setSizes([480, 400])
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.diagram)
        left.addWidget(lower)
        left.setSizes([480, 420])
        # wide screens: the network and the chain rule side by side; narrow ones: two pages
        self._left = left
        self._wide = QSplitter(Qt.Orientation.Horizontal)
        self._pages = QTabWidget()
        self._pages.setObjectName("network_pages")
        self._stack = QStackedWidget()
        self._stack.addWidget(self._wide)
        self._stack.addWidget(self._pages)
        self._narrow: bool | None = None
        views = QWidget()
        vl = QVBoxLayout(views)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.addWidget(self.symmetry)
        vl.addWidget(self._stack, 1)
        self.assemble(views)
        self._arrange(False)

    def _fit_rows(self) -> None:
        """Compact table rows, sized to the current font."""
        for table in (self.table, self.forward_table, self.chain.reuse):
            rows = table.verticalHeader()
            rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            rows.setDefaultSectionSize(QFontMetrics(table.font()).height() + 6)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "forward_table"):
            self._fit_rows()  # zoom or presentation mode changed the font
            self._arrange(self._is_narrow())

    def _arrange(self, narrow: bool) -> None:
        """Side by side (wide) or as two pages (narrow windows such as 1024×768)."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        while self._pages.count():
            self._pages.removeTab(0)
        if narrow:
            self._pages.addTab(self._left, "Network and data")
            self._pages.addTab(self.chain, "Chain rule of the selected parameter")
            self._stack.setCurrentWidget(self._pages)
        else:
            self._wide.addWidget(self._left)
            self._wide.addWidget(self.chain)
            self._wide.setSizes([860, 700])
            self._stack.setCurrentWidget(self._wide)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange(self._is_narrow())

    def _is_narrow(self) -> bool:
        """Too narrow for the diagram and the chain rule side by side at this text size."""
        return self.width() < NARROW_WIDTH * max(1.0, style.Look.font_pt / 12)

    # -- data and model ---------------------------------------------------------
    def load_data(self) -> None:
        """(Re)generate the chosen data set; added points are dropped."""
        key = self.source.currentData()
        generated = key != "aack"
        for box in (self.points, self.noise, self.data_seed):
            box.setEnabled(generated)
        m, noise, seed = self.points.value(), self.noise.value(), self.data_seed.value()
        if key == "aack":
            data = datasets.aack_beep()
        elif key == "circles":
            data = datasets.circles(m, noise, seed)
        elif key == "moons":
            data = datasets.moons(m, noise, seed)
        else:
            data = datasets.xor_blobs(m, noise, seed)
        self.base_data = data
        self.added_X, self.added_y = [], []
        lo, hi = data.X.min(axis=0), data.X.max(axis=0)
        pad = np.maximum(0.15 * (hi - lo), 0.5)
        self._bounds = (lo - pad, hi + pad)
        self._grid_shape = (0, 0)
        self._apply_data()

    # -- sessions ---------------------------------------------------------------
    def data_state(self) -> dict:
        return {
            "source": self.source.currentData(),
            "points": self.points.value(),
            "noise": float(self.noise.value()),
            "data_seed": self.data_seed.value(),
            "hidden": self.width_box.value(),
            "activation": self.activation.currentData(),
            "added": [[x, y, c] for (x, y), c in zip(self.added_X, self.added_y, strict=False)],
            "parameter": self.param_name,
        }

    def read_data(self, state: dict):
        from optgui.gui import session

        source = session.get(state, "source", str)
        activation = session.get(state, "activation", str)
        if self.source.findData(source) < 0 or self.activation.findData(activation) < 0:
            raise session.SessionError("unknown data or activation in the session")
        points = session.get(state, "points", int)
        noise = session.get(state, "noise", float)
        seed = session.get(state, "data_seed", int)
        hidden = session.get(state, "hidden", int)
        ranges = ((points, self.points), (seed, self.data_seed), (hidden, self.width_box))
        if any(not box.minimum() <= v <= box.maximum() for v, box in ranges) or not (
            0 <= noise <= self.noise.maximum()
        ):
            raise session.SessionError("a saved network or data setting is out of range")
        added = []
        for item in session.get(state, "added", list, []):
            values = session.number_list({"point": item}, "point", 3)
            if values[2] not in (0.0, 1.0):
                raise session.SessionError("an added point's class is not 0 or 1")
            added.append(values)
        parameter = session.get(state, "parameter", str, "w11")

        def apply() -> None:
            boxes = (
                self.source,
                self.points,
                self.noise,
                self.data_seed,
                self.width_box,
                self.activation,
            )
            for box in boxes:
                box.blockSignals(True)
            self.source.setCurrentIndex(self.source.findData(source))
            self.points.setValue(points)
            self.noise.setValue(noise)
            self.data_seed.setValue(seed)
            self.width_box.setValue(hidden)
            self.activation.setCurrentIndex(self.activation.findData(activation))
            for box in boxes:
                box.blockSignals(False)
            self.param_name = parameter
            self.load_data()
            if added:
                self.added_X = [(x, y) for x, y, _ in added]
                self.added_y = [c for _, _, c in added]
                self._apply_data()

        return apply

    def _make_grid(self, hidden: int) -> None:
        """The points the maps are computed on (fewer for a wide network, once per change)."""
        n = GRID if hidden <= 4 else GRID_WIDE
        if self._grid_shape == (n, n):
            return
        lo, hi = self._bounds
        xs = np.linspace(lo[0], hi[0], n)
        ys = np.linspace(lo[1], hi[1], n)
        gx, gy = np.meshgrid(xs, ys)
        self._grid = np.column_stack([gx.ravel(), gy.ravel()])
        self._grid_shape = (n, n)
        self.plane.set_extent(xs, ys)

    def _source_changed(self) -> None:
        """Another data set: its own usual noise level (circles drown in the XOR's 0.3)."""
        noise = DEFAULT_NOISE.get(self.source.currentData())
        if noise is not None:
            self.noise.blockSignals(True)
            self.noise.setValue(noise)
            self.noise.blockSignals(False)
        self.load_data()

    def _generated_changed(self) -> None:
        if self.source.currentData() != "aack":
            self.load_data()

    def _combined(self) -> Dataset:
        base = self.base_data
        assert base is not None
        if not self.added_y:
            return base
        X = np.vstack([base.X, np.array(self.added_X)])
        y = np.concatenate([base.y, np.array(self.added_y)])
        labels = None
        if base.row_labels is not None:
            labels = (
                *base.row_labels,
                *(f"added point {k + 1}" for k in range(len(self.added_y))),
            )
        return Dataset(
            X,
            y,
            base.feature_names,
            base.target_name,
            name=base.name,
            row_labels=labels,
            class_names=base.class_names,
        )

    def _apply_data(self) -> None:
        data = self._combined()
        model = Network(self.width_box.value(), self.activation.currentData())
        self._make_grid(model.hidden)
        self._set_model_views(model)
        self.plane.set_points(data.X, data.y)
        axes = [
            f"x{'₁₂'[k]}" + (f" ({n})" if n != f"x{k + 1}" else "")
            for k, n in enumerate(data.feature_names)
        ]
        style.style_plot(self.plane, "Data and ŷ = P(class 1)", *axes)
        names = data.class_names or ("0", "1")
        marks = []
        for c in (0, 1):
            extra = f" ({names[c]})" if names[c] != str(c) else ""
            symbol = "✕" if style.CLASS_SYMBOLS[c] == "x" else "●"
            marks.append(
                f"<span style='color:{style.CLASS_COLORS[c]}; font-size:x-large'>"
                f"{symbol}</span> class {c}{extra}"
            )
        self.plane_legend.setText(
            f"{marks[0]} &nbsp; {marks[1]} &nbsp; <b>– – –</b> boundary ŷ = 0.5"
        )
        n1 = int(np.sum(data.y >= 0.5))
        extra = f" (+{len(self.added_y)} added by clicking)" if self.added_y else ""
        self.data_info.setText(
            f"{data.m} points: {data.m - n1} of class 0, {n1} of class 1{extra}."
        )
        self.set_training_data(data, data.X, data.y, model)
        self.chain.set_examples(data.m, self.selected)

    def _model_changed(self) -> None:
        if self.base_data is not None:
            self._apply_data()
            self.set_status(
                f"The network is now 2-{self.width_box.value()}-1 with "
                f"{self.activation.currentText()} hidden units: the run starts again."
            )

    def _set_model_views(self, model: Network) -> None:
        if self.param_name not in model.names:
            self.param_name = "w11"
        self.diagram.set_shape(model.hidden)
        self.diagram.select(self.param_name)
        self.chain.set_names(model.names, self.param_name)

    # -- selection --------------------------------------------------------------
    def select_parameter(self, name: str) -> None:
        """Show the chain rule of parameter ``name`` (w11, b2, w1 …)."""
        if self.model is None or name not in self.model.names:
            return
        self.param_name = name
        self.diagram.select(name)
        self.chain.set_parameter(name)
        self._redraw()
        if self._narrow and self.sender() is self.diagram:
            self._pages.setCurrentWidget(self.chain)

    def select_example(self, i: int) -> None:
        """Fill the chain rule and the forward pass with example ``i``."""
        if not 0 <= i < len(self.y):
            return
        self.selected = i
        self.chain.set_example(i)
        self._redraw()

    def _table_clicked(self, row: int, _column: int) -> None:
        names = self.table.names
        if 0 <= row < len(names):
            self.select_parameter(names[row])

    def _plane_clicked(self, x: float, y: float) -> None:
        mode = self.click_mode.currentData()
        if mode == "select":
            if not len(self.y):
                return
            pw, ph = self.plane.pixel_size()
            d = np.hypot((self.X[:, 0] - x) / pw, (self.X[:, 1] - y) / ph)
            i = int(np.argmin(d))
            if d[i] > 25:
                self.set_status("No point there: click on a point to see its chain rule.")
                return
            self.select_example(i)
            self.set_status(f"Example {i} selected: its numbers fill the chain rule.")
            return
        label = 1.0 if mode == "add1" else 0.0
        self.added_X.append((x, y))
        self.added_y.append(label)
        self._apply_data()
        self.set_status(
            f"Added a point of class {int(label)} at ({x:.2f}, {y:.2f}): "
            f"{len(self.y)} points now, the run starts again."
        )

    # -- run --------------------------------------------------------------------
    def clear_views(self) -> None:
        self._record = None
        super().clear_views()
        if self._record is None:
            self.plane.set_map(None)

    def _on_finished(self, outcome) -> None:
        super()._on_finished(outcome)
        if self.symmetry.isVisible():
            self.set_status(
                self.status + " — the hidden units are identical: see the note above the diagram."
            )

    # -- views ------------------------------------------------------------------
    def show_step(self, record: TrainStep) -> None:
        self._record = record
        if record.example is not None and record.example != self.selected:
            self.selected = record.example
            self.chain.set_example(record.example)
        self._draw(record)

    # -- frames: batches from a fast run are drawn at most as fast as the GUI keeps up --------
    def _on_steps(self, records: list) -> None:
        """A batch arrived (≤ 60/s): draw it now, or coalesce it with the next ones."""
        self._pending = records
        now = time.perf_counter()
        if now >= self._next_frame:
            self._flush_steps()
        elif not self._flush_scheduled:
            self._flush_scheduled = True
            QTimer.singleShot(int(1000 * (self._next_frame - now)) + 1, self._flush_steps)

    def _flush_steps(self) -> None:
        self._flush_scheduled = False
        records, self._pending = self._pending, None
        if not records:
            return
        start = time.perf_counter()
        super()._on_steps(records)
        done = time.perf_counter()
        # drawing takes at most 1/(1 + DRAW_REST) of the GUI thread's time while a run
        # streams, so a slow frame (a wide network) never makes batches queue up behind it
        self._next_frame = done + DRAW_REST * (done - start)

    def _on_state(self, state: str) -> None:
        if state != "playing":
            self._flush_steps()  # the run stopped: its last step is on screen at once
            self._history_drawn = -math.inf  # and the curves reach it
            self.show_history(self.history)
        super()._on_state(state)

    def reset(self) -> None:
        self._pending = None
        super().reset()

    def _redraw(self) -> None:
        if self._record is not None:
            self._draw(self._record, detail=True)

    def _draw(self, record: TrainStep, detail: bool = False) -> None:
        """Every view for ``record``; text views only when ``detail`` or the base says so."""
        model = self.model
        assert isinstance(model, Network)
        if not len(self.y):
            return
        i = min(self.selected, len(self.y) - 1)
        params = dict(zip(model.names, map(float, record.params), strict=True))
        # the maps: one forward pass of the core model on the grid
        grid = model.forward(record.params, self._grid)
        shape = self._grid_shape
        p = grid.yhat.reshape(shape).astype(np.float32)
        self.plane.set_map(p)
        self.plane.set_selected(self.X[i])
        assert grid.hidden_a is not None
        maps = {"ŷ": p[::NODE_STEP, ::NODE_STEP]}
        levels = {"ŷ": (0.0, 1.0)}
        lo_hi = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(model.activation)
        for j in range(model.hidden):
            a = grid.hidden_a[:, j].reshape(shape)[::NODE_STEP, ::NODE_STEP]
            maps[f"a{j + 1}"] = a
            levels[f"a{j + 1}"] = lo_hi or (0.0, max(1e-9, float(np.max(a))))
        values = {"x1": float(self.X[i, 0]), "x2": float(self.X[i, 1])}
        values.update(record.forward.values(i))
        self.diagram.set_parameters(params)
        self.diagram.set_maps(maps, levels)
        self.diagram.set_values(values, f"values of example {i}")
        if record.accuracy is not None:
            self.acc_marker.setData([record.k], [record.accuracy])
        if not (detail or getattr(self, "detail", True)):
            return  # a full-speed run: the text views follow ten times a second (detail_due)
        # the chain rule for the selected parameter
        back = model.backward(record.params, self.X, self.y)
        self.chain.show_chain(
            self.param_name, i, record, back, model.activation, self._example_info(i, record)
        )
        self._show_forward(model, record, i, params)
        self._show_symmetry(model, record)

    def _example_info(self, i: int, record: TrainStep) -> str:
        data = self.dataset
        x1, x2, y = self.X[i, 0], self.X[i, 1], self.y[i]
        yhat = float(record.forward.yhat[i])
        text = (
            f"Example {i}: x<sub>1</sub> = {fmt(x1, 4)}, x<sub>2</sub> = {fmt(x2, 4)}, "
            f"y = {fmt(y, 4)}, ŷ = {fmt(yhat, 4)}"
        )
        if data is not None and data.row_labels is not None and i < len(data.row_labels):
            text += f" — “{data.row_labels[i]}”"
        return text + f" · step {record.k}"

    def _show_forward(self, model: Network, record: TrainStep, i: int, params: dict) -> None:
        act = ACTIVATION_TEXT[model.activation]
        values = record.forward.values(i)
        loss = float(model.losses(record.params, self.X[i : i + 1], self.y[i : i + 1])[0])
        rows: list[list[object]] = [
            ["x₁", "input", float(self.X[i, 0])],
            ["x₂", "input", float(self.X[i, 1])],
            ["y", "true class", float(self.y[i])],
        ]
        for j in range(1, model.hidden + 1):
            z, a = pretty(f"z{j}"), pretty(f"a{j}")
            how = f"x₁·{pretty(f'w1{j}')} + x₂·{pretty(f'w2{j}')} + {pretty(f'b{j}')}"
            rows.append([z, how, values[f"z{j}"]])
            rows.append([a, act.format(z), values[f"a{j}"]])
        terms = " + ".join(
            f"{pretty(f'a{j}')}·{pretty(f'w{j}')}" for j in range(1, model.hidden + 1)
        )
        if model.hidden > 3:
            terms = "Σ aⱼ·wⱼ"
        rows.append(["z", f"{terms} + b", values["z"]])
        rows.append(["ŷ", "σ(z)", values["ŷ"]])
        rows.append(["L", "−y ln ŷ − (1 − y) ln(1 − ŷ)", loss])
        self.forward_table.set_rows(rows)
        for r in range(self.forward_table.rowCount()):
            item = self.forward_table.item(r, 1)
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.forward_table.fit_height()

    def _show_symmetry(self, model: Network, record: TrainStep) -> None:
        text = ""
        if model.hidden >= 2:
            w_in, b_in, w_out, _ = model.unpack(record.params)
            if all(np.all(v == v[0]) for v in (w_in, b_in, w_out)):
                units = " = ".join(pretty(f"a{j}") for j in range(1, model.hidden + 1))
                text = SYMMETRY_NOTE.format(units=units)
                if not np.any(record.params) and record.gradient_norm == 0:
                    text += STUCK_NOTE
        self.symmetry.setText(text)
        self.symmetry.setVisible(bool(text))

    def show_history(self, history: History) -> None:
        """Cost and accuracy against steps, in one view that always holds 0…1."""
        now = time.perf_counter()
        if len(history) and self.engine.running and now - self._history_drawn < HISTORY_PERIOD:
            return  # the curves cover the whole run: a few redraws a second are enough
        self._history_drawn = now
        if self.log_cost.isChecked() or not len(history) or self.model is None:
            super().show_history(history)  # empty, or the base's log-scale view
            if not len(history) or self.model is None:
                self.acc_curve.setData([], [])
                self.acc_marker.setData([], [])
                return
        columns = row_columns(self.model)
        bins = max(200, int(self.cost_plot.width()))
        x, acc = envelope(history.column(columns.index("accuracy")), bins)
        self.acc_curve.setData(x, acc)
        if self.log_cost.isChecked():
            return
        x, cost = envelope(history.column(columns.index("cost")), bins)
        self.cost_curve.setData(x, cost)
        top = max(1.0, float(np.nanmax(cost)))
        style.keep_in_view(self.cost_plot, len(history), 0.0, top)


__all__ = ["ChainPanel", "NetworkTab", "PlaneView"]
