"""The chain-rule panel: one parameter's gradient for one example, factor by factor.

It draws a :class:`optgui.lessons.network.ChainRule` (every text and number
comes from the lesson) and the forward pass of the same example. Factors that
make up a backward value shared with other parameters are tinted alike.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optgui.gui import style
from optgui.gui.mathpanel import heading
from optgui.gui.mathtext import Formula
from optgui.gui.tables import WrapTable
from optgui.lessons.network import ChainRule, Group, pretty

#: Tints of the shared backward values: the output's ∂L/∂z, then one per hidden unit.
OUTPUT_TINT = "#FBE3B0"
HIDDEN_TINTS = ("#CDE7F7", "#CDEFE3", "#F2D9E8", "#F9F4C2")
OWN_TINT = "#F2F2F2"


def tint(group: Group) -> str:
    """The background of a factor or a backward value of ``group`` (see ``factor_groups``)."""
    if group == "own":
        return OWN_TINT
    if group is None:
        return OUTPUT_TINT
    return HIDDEN_TINTS[(int(group) - 1) % len(HIDDEN_TINTS)]


def wrapped_heading(text: str) -> QLabel:
    label = heading(text)
    label.setWordWrap(True)
    return label


def box_style(color: str) -> str:
    return f"background: {color}; border-left: 4px solid {style.GREY}; padding: 4px 8px;"


def fit_rows(table: QWidget) -> None:
    """Compact table rows, sized to the current font."""
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(QFontMetrics(table.font()).height() + 6)


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
        row.addWidget(QLabel("<b>Chain rule for</b>"))
        self.parameter = QComboBox()
        self.parameter.setObjectName("parameter")
        self.parameter.setToolTip(
            "The parameter whose gradient is written out (or click the diagram)"
        )
        row.addWidget(self.parameter)
        row.addWidget(QLabel("<b>on example</b>"))
        self.example = QSpinBox()
        self.example.setObjectName("example")
        self.example.setToolTip(
            "The example whose numbers fill the chain, counted from 1 (or click a point)"
        )
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

        self.product = self._label("chain_product")
        layout.addWidget(self.product)
        self.shared_output = self._label("shared_output")
        self.shared_output.setStyleSheet(box_style(OUTPUT_TINT))
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
        self.forward_table = WrapTable(["node", "how it is computed", "value"])
        self.forward_table.setObjectName("forward_values")
        self.forward_table.setToolTip("The forward pass for the selected example, node by node")
        layout.addWidget(self.forward_table)
        layout.addWidget(wrapped_heading("The backward pass: computed once per example, reused"))
        self.reuse_note = self._label("reuse_note")
        layout.addWidget(self.reuse_note)
        self.reuse = WrapTable(
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
        self.fit_rows()

        self._key: tuple | None = None
        self.parameter.currentIndexChanged.connect(self._parameter_changed)
        self.example.valueChanged.connect(lambda n: self.example_chosen.emit(n - 1))

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

    def fit_rows(self) -> None:
        for table in (self.forward_table, self.reuse):
            fit_rows(table)

    # -- choices ----------------------------------------------------------------
    def set_names(self, names: tuple[str, ...], selected: str) -> None:
        with QSignalBlocker(self.parameter):
            self.parameter.clear()
            for name in names:
                self.parameter.addItem(pretty(name), name)
            self.parameter.setCurrentIndex(max(0, self.parameter.findData(selected)))
        self._key = None

    def set_parameter(self, name: str) -> None:
        index = self.parameter.findData(name)
        if index >= 0 and index != self.parameter.currentIndex():
            self.parameter.setCurrentIndex(index)

    def set_examples(self, m: int, selected: int) -> None:
        """``m`` examples, ``selected`` (from 0) chosen; the box counts from 1, as the
        math panels and the slides' tables do."""
        with QSignalBlocker(self.example):
            self.example.setRange(1, max(1, m))
            self.example.setValue(selected + 1)

    def set_example(self, i: int) -> None:
        """Show example ``i`` (from 0) as chosen."""
        with QSignalBlocker(self.example):
            self.example.setValue(i + 1)

    @property
    def example_index(self) -> int:
        """The chosen example, from 0."""
        return self.example.value() - 1

    def _parameter_changed(self, _index: int) -> None:
        name = self.parameter.currentData()
        if name:
            self.parameter_chosen.emit(name)

    # -- content ----------------------------------------------------------------
    def _build(self, rule: ChainRule) -> None:
        """Typeset the chain of ``rule`` (once per parameter, activation and factors)."""
        key = (rule.name, rule.activation, tuple(f.partial for f in rule.factors))
        if key == self._key:
            return
        self._key = key
        while self.factor_grid.count():
            item = self.factor_grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.chain_formula.set_latex(rule.chain_tex)
        self.factor_values = []
        n = len(rule.factors)
        for r, factor in enumerate(rule.factors):
            self.factor_grid.addWidget(SizedFormula(factor.tex, 1), r, 0)
            self.factor_grid.addWidget(SizedFormula("= " + factor.equals_tex, 1), r, 1)
            value = QLabel()
            value.setObjectName(f"factor_value_{r}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(90)
            value.setStyleSheet(f"background: {tint(factor.group)}; padding: 2px 6px;")
            self.factor_grid.addWidget(value, r, 2)
            self.factor_values.append(value)
        # brackets: the output's ∂L/∂z (last two factors), the hidden unit's ∂L/∂z_j
        self.factor_grid.addWidget(self._tag(tint(None), "∂L/∂z"), n - 2, 3, 2, 1)
        unit = rule.unit
        if unit is not None:
            hid_tag = self._tag(tint(unit), f"∂L/∂z<sub>{unit}</sub>")
            self.factor_grid.addWidget(hid_tag, 1, 4, n - 1, 1)
            self.shared_hidden.setStyleSheet(box_style(tint(unit)))
        self.shared_hidden.setVisible(unit is not None)
        self.factor_grid.setColumnStretch(5, 1)
        self.simplified_formula.set_latex(rule.simplified_tex)
        self.update_formula.set_latex(rule.update_tex)

    @staticmethod
    def _tag(color: str, text: str) -> QLabel:
        """A bracket beside the factors that make up one shared backward value."""
        tag = QLabel(text)
        tag.setTextFormat(Qt.TextFormat.RichText)
        tag.setStyleSheet(
            f"background: {color}; border-left: 4px solid {style.GREY}; padding: 2px 6px;"
        )
        return tag

    def show_chain(self, rule: ChainRule, info: str) -> None:
        """Fill the panel with ``rule`` (``info``: the example's values above it)."""
        self._build(rule)
        self.example_info.setText(info)
        for label, factor in zip(self.factor_values, rule.factors, strict=True):
            label.setText(f"<span style='font-size:large'>{factor.value_text}</span>")
        self.product.setText(rule.product_html)
        for group, text in rule.shared:
            (self.shared_output if group is None else self.shared_hidden).setText(text)
        self.simplified.setText(rule.simplified_html)
        self.batch.setText(rule.batch_html)
        self.update_line.setText(rule.update_html)
        self._show_reuse(rule)

    def show_forward(self, rows: list[list[object]]) -> None:
        """The forward pass of the example, node by node."""
        table = self.forward_table
        table.set_rows(rows)
        for r in range(table.rowCount()):
            item = table.item(r, 1)
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.fit_height()

    def _show_reuse(self, rule: ChainRule) -> None:
        rows = rule.reuse
        self.reuse.set_rows([[r.parameter, r.local, r.shared, r.gradient] for r in rows])
        bold = QFont(self.reuse.font())
        bold.setBold(True)
        normal = QFont(self.reuse.font())
        for r, row in enumerate(rows):
            self.reuse.item(r, 2).setBackground(QColor(tint(row.unit)))
            for c in range(4):
                self.reuse.item(r, c).setFont(bold if row.selected else normal)
        self.reuse.fit_height()
        self.reuse_note.setText(rule.reuse_note)
