"""Hessian Explorer: point anywhere on any typed function and read off the slides' analysis.

The gradient, the Hessian, its eigenvalues and eigenvectors, the characteristic
polynomial and the verdict of the slides' summary table, at a point chosen by
clicking or dragging on the contour map or by typing. Around the point the
second-order Taylor approximation is drawn over f (dashed contours on the map,
a mesh in 3D). Play walks from the point with Newton's method toward a
critical point. Functions of x, y and z work too: the table shows the 3×3
analysis, the pictures show the slice z = const.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import ExpressionError, Function, parse_function
from optgui.core.hessian import Analysis, analyze, find_critical_points
from optgui.core.newton import Step, newton
from optgui.core.race import PATH_POINTS, UNLIMITED, StepColumns
from optgui.core.stepping import CONVERGED, Outcome, Stepper
from optgui.gui import style
from optgui.gui.contour import ContourMap, contour_lines, taylor_values
from optgui.gui.engine import RunEngine
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.mathtext import tex_column, tex_matrix, tex_number
from optgui.gui.surface3d import Surface3D
from optgui.gui.tab import ExperimentTab
from optgui.gui.tables import NumberTable, fmt, parse_number
from optgui.gui.widgets import FitFormula, scroll_column, subscript

GUIDE = (
    "Click or drag on the map to choose a point. The black arrow is the gradient ∇f; the two "
    "lines are the Hessian's eigenvector directions: blue and solid where f curves up (λ > 0), "
    "red and dashed where it curves down (λ < 0). The purple dashed rings are the Taylor "
    "paraboloid the Hessian describes: near the point they follow f's own contours. Where "
    "∇f = 0, the signs of the eigenvalues give the slides' verdict. Press Play to walk to a "
    "critical point with Newton's method."
)

VARIABLES = ("x", "y", "z")
START_TEXT = "2*x^2 + 3*y^2 - x*y"
MAX_PRESET = "-2*x^2 - 3*y^2 - x*y + 15"

#: The slides print λ1 = −3.49 for this example; the roots are −5 ± √2.
ERRATUM = (
    "Note: the slides print −3.49 for one eigenvalue of this example. The roots of "
    "λ² + 10λ + 23 are −5 ± √2, that is −3.59 and −6.41: −3.59 is right."
)


@dataclass(frozen=True)
class Preset:
    label: str
    text: str
    point: tuple[float, ...]
    half: float  # half-width of the window around (0, 0)
    tooltip: str = ""


PRESETS = (
    Preset(
        "Slides: 2x² + 3y² − xy  (minimum)",
        START_TEXT,
        (0, 0),
        3.0,
        "H = [[4, −1], [−1, 6]]: λ² − 10λ + 23, eigenvalues 6.41 and 3.59",
    ),
    Preset(
        "Slides: −2x² − 3y² − xy + 15  (maximum)",
        MAX_PRESET,
        (0, 0),
        3.0,
        "H = [[−4, −1], [−1, −6]]: λ² + 10λ + 23, eigenvalues −3.59 and −6.41",
    ),
    Preset(
        "Slides: 2x² − 2y²  (saddle)",
        "2*x^2 - 2*y^2",
        (0, 0),
        3.0,
        "H = [[4, 0], [0, −4]]: eigenvalues −4 and 4",
    ),
    Preset(
        "Newton 2-D: x⁴ + 0.8y⁴ + 4x² + 2y² − xy − 0.2x²y",
        "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y",
        (4, 4),
        5.0,
        "The Newton 2-D tab's function; its minimum is (0, 0). Press Play to walk there.",
    ),
    Preset(
        "Monkey saddle: x³ − 3xy²",
        "x^3 - 3*x*y^2",
        (0, 0),
        2.0,
        "Three valleys, three hills: H = 0 at (0, 0), so the test says nothing",
    ),
    Preset(
        "Flat bottom: x⁴ + y⁴  (test inconclusive)",
        "x^4 + y^4",
        (0, 0),
        2.0,
        "A minimum, but H = 0 at (0, 0): the eigenvalues cannot tell",
    ),
    Preset(
        "Three variables: x² + 2y² − z² + xy",
        "x^2 + 2*y^2 - z^2 + x*y",
        (0, 0, 0),
        3.0,
        "A 3×3 Hessian with eigenvalues of both signs: a saddle in 3-D",
    ),
)

#: Colours and line styles for the sign of an eigenvalue (never colour alone).
SIGN_LOOK = {
    1: (style.BLUE, Qt.PenStyle.SolidLine, "curves up"),
    -1: (style.VERMILION, Qt.PenStyle.DashLine, "curves down"),
    0: (style.GREY, Qt.PenStyle.DotLine, "flat (to second order)"),
}

KIND_COLORS = {
    "minimum": "#D6EAF8",
    "maximum": "#FADBD8",
    "saddle": "#FCF3CF",
}

#: At most this many dashed Taylor contours (the levels of f nearest f at the point).
TAYLOR_LEVELS = 7


@lru_cache(maxsize=16)
def _parse_xy(text: str) -> Function:
    """``text`` as a function of x and y (cached: the function box prepares it in its worker)."""
    return parse_function(text, VARIABLES[:2])


def uses(function: Function, name: str) -> bool:
    """Whether the formula contains the variable ``name``."""
    return any(s.name == name for s in function.expr.free_symbols)


def slice_text(text: str, name: str, value: float) -> str:
    """The formula with the variable ``name`` replaced by a number (for the slice z = const)."""
    number = f"({value!r})"
    return re.sub(rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])", number, text)


def vector_text(v: Sequence[float]) -> str:
    return "(" + ", ".join(fmt(x, 4) for x in v) + ")"


def matrix_row_text(row: Sequence[float]) -> str:
    return "[" + ", ".join(fmt(x, 4) for x in row) + "]"


class PointBox(QWidget):
    """The point's coordinates, typed (Enter applies); shows z only for f(x, y, z)."""

    def __init__(self, on_typed: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.edits: list[QLineEdit] = []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        for name in VARIABLES:
            label = QLabel(f"{name} =")
            edit = QLineEdit("0")
            edit.setObjectName(f"point_{name}")
            edit.setToolTip(f"Type the point's {name} and press Enter (or click the map)")
            edit.setMinimumWidth(48)
            edit.returnPressed.connect(on_typed)
            row.addWidget(label)
            row.addWidget(edit, 1)
            self.labels.append(label)
            self.edits.append(edit)
        self.error = QLabel()
        self.error.setObjectName("point_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {style.VERMILION}; font-weight: bold;")
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.set_dimension(2)

    def set_dimension(self, n: int) -> None:
        self.labels[2].setVisible(n == 3)
        self.edits[2].setVisible(n == 3)

    def set_point(self, point: Sequence[float]) -> None:
        for edit, value in zip(self.edits, point, strict=False):
            if not edit.hasFocus():
                edit.setText(fmt(value, 6))

    def values(self, n: int) -> tuple[float, ...]:
        out = []
        for name, edit in zip(VARIABLES[:n], self.edits, strict=False):
            try:
                out.append(parse_number(edit.text()))
            except ValueError:
                raise ValueError(f"'{edit.text()}' is not a number for {name}") from None
        return tuple(out)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class HessianTab(ExperimentTab):
    """Gradient, Hessian, eigenvalues and verdict at any point of any typed function."""

    title = "Hessian Explorer"
    default_speed = 2
    default_limit = 50

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.box = FunctionBox(VARIABLES, START_TEXT, prepare=self._prepare_plane)
        self.function_full: Function = parse_function(START_TEXT, VARIABLES[:2])
        self.function2: Function = self.function_full
        self.n = 2
        self.start = np.zeros(2)
        self.point = np.zeros(2)
        self.z_value = 0.0
        self.center = (0.0, 0.0)
        self.half = 3.0
        self._aspect = 1.0  # width / height of the map, so the window fills it
        self.result: Analysis | None = None  # the core's analysis at the point (all variables)
        self.plane: Analysis | None = None  # the analysis of f(x, y) as plotted (or the slice)
        self.problem = ""  # why there is no analysis at the point
        self.critical: list[Analysis] = []
        self.finder = RunEngine(self)  # the critical-point search runs in the background
        self.finder.set_speed(0)
        self.finder.steps_ready.connect(self._search_found)
        self.finder.state_changed.connect(self._search_state)
        self.finder.failed.connect(self._search_failed)
        self._search: tuple | None = None  # (key, function, bounds) the list should show
        self._shown_key: tuple | None = None  # the key of the list shown
        self._listed: tuple | None = None  # (text, variables) of the function listed
        self._search_allowed = False  # searches start once the tab is shown

        self._build_settings()
        self._build_map()
        self.surface = Surface3D(
            "f and its Taylor paraboloid near the point",
            "Coloured surface: f.  Red mesh: its 2nd-order Taylor approximation.  "
            "Dot: the point.  Drag to turn.",
        )
        self._build_numbers()
        self._assemble()

        self._typeset_timer = QTimer(self)
        self._typeset_timer.setSingleShot(True)
        self._typeset_timer.setInterval(120)
        self._typeset_timer.timeout.connect(self._typeset_numbers)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(150)
        self._resize_timer.timeout.connect(self._map_resized)
        self.map.getViewBox().sigResized.connect(lambda *_: self._resize_timer.start())

        self.box.function_changed.connect(self._function_typed)
        self.box.preset_chosen.connect(self._preset_chosen)
        self.box.error_shown.connect(
            lambda text: self.set_status(f"That function cannot be used: {text}")
        )
        self.map.clicked.connect(self._map_clicked)
        self.map.dragged.connect(lambda x, y, _finished: self._map_clicked(x, y))
        self.critical_table.cellClicked.connect(self._critical_clicked)
        self.find_button.clicked.connect(self.find_critical)
        self.window_size.valueChanged.connect(lambda _: self._window_changed())
        self.center_button.clicked.connect(self._center_on_point)

        self.set_function(self.box.function)
        self.box.choose_preset(0)

    # -- building ---------------------------------------------------------------
    def _build_settings(self) -> None:
        self.guide = Guide(GUIDE)
        for preset in PRESETS:
            self.box.add_preset(preset.label, preset.text, data=preset, tooltip=preset.tooltip)
        self.box.presets.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.box.presets.setMinimumContentsLength(12)
        self.box.edit.setToolTip(
            self.box.edit.toolTip() + "\nUse x and y; add z for a function of three variables."
        )
        function_group = QGroupBox("Function")
        QVBoxLayout(function_group).addWidget(self.box)

        point_group = QGroupBox("Point")
        form = QFormLayout(point_group)
        self.point_box = PointBox(self._point_typed)
        form.addRow(self.point_box)
        self.window_size = QDoubleSpinBox()
        self.window_size.setObjectName("window_size")
        self.window_size.setRange(0.01, 1000.0)
        self.window_size.setDecimals(2)
        self.window_size.setValue(self.half)
        self.window_size.setKeyboardTracking(False)
        self.window_size.setToolTip("Half-width of the map: it shows its centre ± this much")
        form.addRow("Map: centre ±", self.window_size)
        self.center_button = QPushButton("Centre on the point")
        self.center_button.setObjectName("center_map")
        self.center_button.setToolTip("Move the map so the point is in the middle")
        form.addRow(self.center_button)
        self.slice_note = QLabel()
        self.slice_note.setObjectName("slice_note")
        self.slice_note.setWordWrap(True)
        self.slice_note.setVisible(False)
        form.addRow(self.slice_note)

        critical_group = QGroupBox("Critical points in the map")
        layout = QVBoxLayout(critical_group)
        self.find_button = QPushButton("Find the critical points")
        self.find_button.setObjectName("find_critical")
        self.find_button.setToolTip(
            "Newton's method from a grid of starts across the map; the points where ∇f = 0 "
            "are listed with their kind. Click one to go there."
        )
        layout.addWidget(self.find_button)
        self.critical_table = NumberTable(["point", "f", "kind"])
        self.critical_table.setObjectName("critical_points")
        self.critical_table.setToolTip("Click a row to move the point there")
        self.critical_table.setMinimumHeight(120)
        header = self.critical_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.critical_table, 1)
        self.critical_note = QLabel()
        self.critical_note.setObjectName("critical_note")
        self.critical_note.setWordWrap(True)
        layout.addWidget(self.critical_note)

        self.settings_panel = QWidget()
        column = QVBoxLayout(self.settings_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.guide)
        column.addWidget(function_group)
        column.addWidget(point_group)
        column.addWidget(critical_group, 1)

    def _build_map(self) -> None:
        self.map = ContourMap("Contours of f(x, y)", window=self._window(), drag_points=True)
        self.map.setToolTip("Click or drag to move the point")
        vb = self.map.getViewBox()
        vb.setMouseEnabled(x=False, y=False)
        vb.setAspectLocked(True)  # eigenvectors are perpendicular: let them look it
        vb.sigTransformChanged.connect(lambda *_: self._draw_gradient(self.plane))
        self.taylor_lines = self.map.add_lines(
            style.PURPLE, style.Look.pen + 0.5, Qt.PenStyle.DashLine
        )
        self.taylor_lines.setZValue(8)
        self.eigen_halos: list[pg.PlotCurveItem] = []
        self.eigen_lines: list[pg.PlotCurveItem] = []
        self.eigen_labels: list[pg.TextItem] = []
        for _ in range(2):
            halo = self.map.add_lines("w", style.Look.pen + 4)
            halo.setZValue(11)
            line = self.map.add_lines(style.BLUE, style.Look.pen + 1)
            line.setZValue(12)
            label = pg.TextItem(
                "", color=style.INK, anchor=(0, 0.5), fill=pg.mkBrush(255, 255, 255, 200)
            )
            label.setFont(style.Look.axis_font())
            label.setZValue(30)
            self.map.addItem(label, ignoreBounds=True)
            self.eigen_halos.append(halo)
            self.eigen_lines.append(line)
            self.eigen_labels.append(label)
        self.gradient_halo = self.map.add_lines("w", style.Look.pen + 4)
        self.gradient_halo.setZValue(13)
        self.gradient_line = self.map.add_lines(style.INK, style.Look.pen + 1)
        self.gradient_line.setZValue(14)
        self.gradient_head = pg.ArrowItem(
            headLen=18, tipAngle=36, tailLen=0, brush=style.INK, pen=pg.mkPen("w", width=1.5)
        )
        self.gradient_head.setZValue(15)
        self.map.addItem(self.gradient_head, ignoreBounds=True)
        self.gradient_label = pg.TextItem(
            "∇f", color=style.INK, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 200)
        )
        self.gradient_label.setFont(style.Look.axis_font())
        self.gradient_label.setZValue(30)
        self.map.addItem(self.gradient_label, ignoreBounds=True)
        self.walk = self.map.add_path("Newton walk", style.ORANGE, "s")
        self.critical_marks = pg.ScatterPlotItem(
            size=style.Look.marker + 4, pen=pg.mkPen("w", width=1.5)
        )
        self.critical_marks.setZValue(18)
        self.map.addItem(self.critical_marks, ignoreBounds=True)
        self.point_mark = pg.ScatterPlotItem(
            size=style.Look.marker + 8,
            symbol="o",
            brush=pg.mkBrush("w"),
            pen=pg.mkPen(style.INK, width=3),
        )
        self.point_mark.setZValue(40)
        self.map.addItem(self.point_mark, ignoreBounds=True)
        self.map_legend = QLabel(
            f"<span style='color:{style.INK}'>◯ the point</span> &nbsp; "
            f"<span style='color:{style.INK}'><b>→</b> ∇f (uphill, length not to scale)</span>"
            f" &nbsp; <span style='color:{style.BLUE}'><b>━</b> eigenvector, λ &gt; 0</span>"
            f" &nbsp; <span style='color:{style.VERMILION}'><b>╍</b> eigenvector, λ &lt; 0</span>"
            f" &nbsp; <span style='color:{style.PURPLE}'><b>╌</b> Taylor paraboloid</span>"
            f" &nbsp; <span style='color:{style.ORANGE}'>■ Newton walk</span>"
        )
        self.map_legend.setWordWrap(True)
        self.map_legend.setObjectName("map_legend")

    def _build_numbers(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.verdict_label)
        layout.addWidget(_heading("The function, its gradient and its Hessian"))
        self.formulas = [FitFormula() for _ in range(3)]
        for formula in self.formulas:
            layout.addWidget(formula)
        self.point_heading = _heading("At the point")
        layout.addWidget(self.point_heading)
        self.number_formulas = [FitFormula() for _ in range(4)]
        for formula in self.number_formulas:
            layout.addWidget(formula)
        self.table = NumberTable(["quantity", "value"])
        self.table.setObjectName("analysis")
        self.table.setToolTip("The slides' analysis at the point, in numbers")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.errata = QLabel(ERRATUM)
        self.errata.setObjectName("errata")
        self.errata.setWordWrap(True)
        self.errata.setStyleSheet("background: #FFF3C4; padding: 6px;")
        self.errata.setVisible(False)
        layout.addWidget(self.errata)
        layout.addWidget(_heading("The slides' summary table"))
        self.summary = QLabel()
        self.summary.setObjectName("summary_table")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.numbers = QScrollArea()
        self.numbers.setObjectName("numbers_panel")
        self.numbers.setWidgetResizable(True)
        self.numbers.setFrameShape(QFrame.Shape.StyledPanel)
        self.numbers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.numbers.setWidget(body)
        self.numbers.setMinimumWidth(300)

    def _assemble(self) -> None:
        settings = scroll_column(self.settings_panel, min_width=260, max_width=440)
        settings.setFrameShape(QFrame.Shape.StyledPanel)
        map_box = QWidget()
        map_layout = QVBoxLayout(map_box)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addWidget(self.map, 1)
        map_layout.addWidget(self.map_legend)
        pictures = QSplitter(Qt.Orientation.Vertical)
        pictures.addWidget(map_box)
        pictures.addWidget(self.surface)
        pictures.setStretchFactor(0, 3)
        pictures.setStretchFactor(1, 2)
        pictures.setSizes([560, 380])
        splitter = QSplitter()
        splitter.setObjectName("columns")
        splitter.addWidget(settings)
        splitter.addWidget(pictures)
        splitter.addWidget(self.numbers)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.splitterMoved.connect(self._columns_moved)
        self.columns = splitter
        self._columns_by_user = False
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.controls)
        self.settings_scroll = settings

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_settings()

    def _fit_settings(self) -> None:
        """Keep the settings column wide enough for its content (nothing cut off)."""
        bar = self.settings_scroll.verticalScrollBar().sizeHint().width()
        need = self.settings_panel.minimumSizeHint().width() + bar + 6
        if self.settings_scroll.minimumWidth() != need:
            self.settings_scroll.setMinimumWidth(need)
        if not self._columns_by_user:
            width = self.columns.width()
            settings = int(min(400, max(need, 0.2 * width)))
            numbers = int(min(520, max(300, 0.27 * width)))
            self.columns.setSizes([settings, max(200, width - settings - numbers), numbers])

    def _columns_moved(self, *args) -> None:
        self._columns_by_user = True

    # -- the window ---------------------------------------------------------------
    def _window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Centre ± half along the shorter side of the map; the longer side shows more."""
        (cx, cy), h, a = self.center, self.half, self._aspect
        hx, hy = h * max(1.0, a), h * max(1.0, 1.0 / a)
        return ((cx - hx, cx + hx), (cy - hy, cy + hy))

    def _map_resized(self) -> None:
        rect = self.map.getViewBox().boundingRect()
        if rect.width() < 50 or rect.height() < 50:
            return
        aspect = round(float(rect.width() / rect.height()), 2)
        if abs(aspect - self._aspect) > 0.03 * self._aspect:
            self._aspect = aspect
            self._window_changed()

    def _window_changed(self) -> None:
        self.half = self.window_size.value()
        self.map.set_window(self._window())
        self._refresh_pictures()
        self.find_critical()

    def _center_on_point(self) -> None:
        self.center = (float(self.point[0]), float(self.point[1]))
        self._window_changed()

    # -- the function ---------------------------------------------------------------
    def _function_typed(self, function: Function) -> None:
        self.set_function(function)

    def _preset_chosen(self, preset: Preset) -> None:
        if self.box.function.text != self.function_full.text:
            return  # the preset's function could not be used (cannot happen for ours)
        self.center = (0.0, 0.0)
        self.half = preset.half
        self.window_size.blockSignals(True)
        self.window_size.setValue(preset.half)
        self.window_size.blockSignals(False)
        self.map.set_window(self._window())
        point = np.zeros(self.n)
        point[: len(preset.point)] = preset.point[: self.n]
        self.set_point(point, find=True)

    def set_function(self, function: Function) -> bool:
        """Use ``function`` (of x, y and maybe z); False if it cannot be shown here."""
        three = uses(function, "z")
        try:
            if three:
                z = float(self.start[2]) if len(self.start) == 3 else 0.0
                try:
                    plane = self._slice(function, z)
                except ExpressionError:
                    z = 1.0  # e.g. log(z) has no slice at z = 0
                    plane = self._slice(function, z)
                full = function
            else:
                full = _parse_xy(function.text)
                plane, z = full, 0.0
        except ExpressionError as err:
            self.box.show_error(f"⚠ {err} — still using {self.function_full.text}")
            self.set_status(f"That function cannot be used: {err}")
            return False
        self.engine.stop()
        self.function_full, self.function2 = full, plane
        self.n = 3 if three else 2
        self.z_value = z
        start = np.zeros(self.n)
        start[:2] = self.start[:2]
        if self.n == 3:
            start[2] = z
        self.point_box.set_dimension(self.n)
        self.box.label.setText(f"f({', '.join(VARIABLES[: self.n])}) =")
        self._fit_settings()
        self._update_slice_note()
        self.map.set_function(plane, self._window())
        self._set_formulas()
        self.errata.setVisible(self.n == 2 and full.text == _max_preset_text())
        self.set_point(start, find=True)
        return True

    def _slice(self, function: Function, z: float) -> Function:
        return _parse_xy(slice_text(function.text, "z", z))

    def _prepare_plane(self, function: Function) -> None:
        """Off the GUI thread, for a typed function: parse the plane set_function draws."""
        z = float(self.start[2]) if len(self.start) == 3 else 0.0
        text = slice_text(function.text, "z", z) if uses(function, "z") else function.text
        with contextlib.suppress(ExpressionError):
            _parse_xy(text)

    def _update_slice_note(self) -> None:
        self.slice_note.setVisible(self.n == 3)
        self.slice_note.setText(
            f"f uses x, y and z: the table shows the 3×3 Hessian at (x, y, z). The map and "
            f"the 3D view show the slice z = {fmt(self.z_value, 4)}; its lines use the "
            "x, y part of H."
        )
        ztext = fmt(self.z_value, 4)
        self.map.getPlotItem().setTitle(
            "Contours of f(x, y)" if self.n == 2 else f"Contours of the slice z = {ztext}",
            size=f"{style.Look.font_pt + 1}pt",
            color=style.INK,
        )
        self.surface.set_axis_names("x", "y", "f" if self.n == 2 else f"f(x, y, {ztext})")

    def _follow_z(self, z: float) -> bool:
        """Move the slice to z (3 variables); False if f cannot be sliced there."""
        if self.n != 3 or z == self.z_value:
            return True
        try:
            plane = self._slice(self.function_full, z)
        except ExpressionError as err:
            self.point_box.show_error(f"No slice at z = {fmt(z, 4)}: {err}")
            return False
        self.function2, self.z_value = plane, z
        self.map.set_function(plane)
        self._update_slice_note()
        return True

    # -- the point ------------------------------------------------------------------
    def set_point(self, point: Sequence[float], *, find: bool = False) -> None:
        """Analyse ``point`` (a new start for the Newton walk: the run is reset)."""
        point = np.array(point, dtype=float)
        if self.n == 3 and not self._follow_z(float(point[2])):
            return
        self.point_box.show_error("")
        self.start = point
        if find:
            self.find_critical()
        self.reset()
        self.set_status(self._point_status())

    # -- sessions -------------------------------------------------------------------
    def settings_state(self) -> dict:
        return {
            "function": self.function_full.text,
            "variables": list(self.function_full.variables),
            "point": [float(v) for v in self.start],
            "center": [float(v) for v in self.center],
            "half": float(self.half),
        }

    def read_settings(self, state: dict):
        from optgui.gui import session

        text = session.get(state, "function", str)
        variables = session.get(state, "variables", list, ["x", "y"])
        if variables not in (["x", "y"], ["x", "y", "z"]):
            raise session.SessionError("the saved function's variables are not x, y (, z)")
        try:
            parse_function(text, tuple(variables))
        except ExpressionError as error:
            raise session.SessionError(f"the saved function does not parse: {error}") from None
        point = session.number_list(state, "point", len(variables))
        center = session.number_list(state, "center", 2)
        half = session.get(state, "half", float, self.half)
        if not 0 < half < 1e6:
            raise session.SessionError("the saved map window is out of range")

        def apply() -> None:
            self.box.set_text(text)
            self.center, self.half = (center[0], center[1]), half
            self.set_point(point)

        return apply

    def _point_typed(self) -> None:
        try:
            values = self.point_box.values(self.n)
        except ValueError as err:
            self.point_box.show_error(f"⚠ {err}")
            return
        self.set_point(values)

    def _map_clicked(self, x: float, y: float) -> None:
        point = self.point.copy()
        point[:2] = (x, y)
        self.set_point(point)

    def _critical_clicked(self, row: int, column: int) -> None:
        if 0 <= row < len(self.critical):
            # the point as listed: round-off such as 1e-29 is the 0 it shows
            self.set_point([_tidy(v) for v in self.critical[row].point])

    def _point_status(self) -> str:
        where = vector_text(self.point)
        if self.result is None:
            return f"At {where}: {self.problem}"
        if self.result.is_critical:
            return f"At {where}: {_verdict(self.result)}. Click or drag on the map to explore."
        return (
            f"At {where}: not a critical point. Press Space to walk to one with Newton's method."
        )

    def _show_point(self, point: np.ndarray) -> None:
        """Analyse ``point`` and show it in every view (no reset: used by the walk too)."""
        if self.n == 3:
            self._follow_z(float(point[2]))
        self.point = np.array(point, dtype=float)
        self.point_box.set_point(self.point)
        self.result, self.problem = _analysis(self.function_full, self.point)
        if self.n == 3:
            self.plane, _ = _analysis(self.function2, self.point[:2])
        else:
            self.plane = self.result
        self._show_table()
        self._refresh_pictures()
        self._typeset_timer.start()

    # -- critical points ------------------------------------------------------------
    def find_critical(self) -> None:
        """Search the critical points of f in the map's window, in the background.

        Newton from a grid of starts can take most of a second (flat minima converge
        slowly), so the search runs on its own run engine; a stale result is dropped
        and the newest request searched next.
        """
        (x0, x1), (y0, y1) = self._window()
        bounds = [(x0, x1), (y0, y1)]
        if self.n == 3:
            bounds.append((self.z_value - self.half, self.z_value + self.half))
        f = self.function_full
        key = (f.text, f.variables, tuple(tuple(b) for b in bounds))
        if self._listed != key[:2]:  # the list is of another function: clear it now
            self._show_critical([], "")
            self._shown_key = None
            self._listed = key[:2]
        self._search = (key, f, bounds)
        if key != self._shown_key:
            self.critical_note.setText("Searching for critical points…")
        self._start_search()

    def _start_search(self) -> None:
        if self._search is None or not self._search_allowed or self.finder.running:
            return
        key, f, bounds = self._search
        if key == self._shown_key:
            return
        self.finder.reset()
        self.finder.set_factory(lambda last: _search_run(f, bounds, key))
        self.finder.step(1)

    def _search_found(self, records: list) -> None:
        record = records[-1]
        if self._search is None or record.key != self._search[0]:
            return  # stale: the next search starts when this run ends
        self._shown_key = record.key
        found = list(record.points)
        note = (
            "None found in this window."
            if not found
            else f"{len(found)} found by Newton's method from a grid of starts. "
            "Click one to move the point there."
        )
        self._show_critical(found, note)

    def _search_failed(self, text: str) -> None:
        if self._search is not None:
            self._shown_key = self._search[0]
        self._show_critical([], f"The search failed: {text}")

    def _search_state(self, state: str) -> None:
        if state != "playing":
            self._start_search()

    def _show_critical(self, found: list, note: str) -> None:
        self.critical = found
        self.critical_note.setText(note)
        rows = []
        for c in found:
            point = [_tidy(v) for v in c.point]
            rows.append([vector_text(point), _tidy(c.value), _critical_kind(c)])
        self.critical_table.set_rows(rows)
        spots = []
        for c in found:
            symbol, color = _KIND_MARKS.get(c.kind, ("d", style.GREY))
            p = c.point
            spots.append({"pos": (p[0], p[1]), "symbol": symbol, "brush": pg.mkBrush(color)})
        self.critical_marks.setData(spots)

    def stop(self) -> None:
        """Stop the Newton walk and any search (closing, or switching to another tab)."""
        super().stop()
        self._search_allowed = False
        if self.finder.running:
            self.finder.stop()
            self._shown_key = None  # interrupted: search again when the tab is shown

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._search_allowed = True
        self._start_search()

    # -- the numbers ----------------------------------------------------------------
    def _show_table(self) -> None:
        r, n = self.result, self.n
        names = VARIABLES[:n]
        rows: list[list[object]] = [[f"point ({', '.join(names)})", vector_text(self.point)]]
        if r is None:
            rows.append(["verdict", self.problem])
            self.table.set_rows(rows)
            self.table.resizeRowsToContents()
            self.table.fit_height()
            self._show_verdict(None)
            return
        values, vectors = r.eigenvalues, r.eigenvectors
        gradient, hessian = np.asarray(r.gradient), np.asarray(r.hessian)
        rows.append(["f", float(r.value)])
        rows.append(["∇f", vector_text(gradient)])
        for i in range(n):
            rows.append([f"H row {i + 1}", matrix_row_text(hessian[i])])
        rows.append(["trace H", float(r.trace)])
        rows.append(["det H", float(r.det)])
        rows.append([_poly_name(n), r.char_poly_text])
        for i, value in enumerate(values):
            rows.append([f"λ{subscript(i + 1)}", float(value)])
        for i in range(len(values)):
            rows.append([f"eigenvector of λ{subscript(i + 1)}", vector_text(vectors[:, i])])
        rows.append(["critical point?", "yes: ∇f = 0" if r.is_critical else "no: ∇f ≠ 0"])
        rows.append(["curvature here", _CURVATURE.get(r.kind, r.kind)])
        rows.append(["verdict", _verdict(r)])
        self.table.set_rows(rows)
        self.table.resizeRowsToContents()
        self.table.fit_height()
        self._show_verdict(r)

    def _show_verdict(self, r: Analysis | None) -> None:
        if r is None:
            self.verdict_label.setText(
                f"<span style='font-size:{style.Look.font_pt + 4}pt'>"
                f"<b>No analysis here</b></span><br>{self.problem}"
            )
            self.verdict_label.setStyleSheet("background: #EEEEEE; padding: 8px;")
            self.summary.setText(_summary_html(None, self.n))
            return
        kind = r.kind
        title = _KIND_TITLES.get(kind, kind)
        if not r.is_critical:
            title = "Not a critical point"
        size = style.Look.font_pt + 5
        why = str(r.explanation)
        self.verdict_label.setText(
            f"<span style='font-size:{size}pt'><b>{title}</b></span><br>"
            f"<span style='font-size:{style.Look.font_pt + 1}pt'>"
            f"{why[:1].upper() + why[1:]}</span>"
        )
        color = KIND_COLORS.get(kind, "#EEEEEE") if r.is_critical else "#EEEEEE"
        self.verdict_label.setStyleSheet(f"background: {color}; padding: 8px;")
        self.summary.setText(_summary_html(kind if r.is_critical else None, self.n))

    def _set_formulas(self) -> None:
        f = self.function_full
        args = ", ".join(f.variables)
        self.formulas[0].set_latex(f"f({args}) = {f.latex}")
        self.formulas[1].set_latex(
            r"\nabla f = \left[" + tex_column(f.gradient_latex) + r"\right]"
        )
        self.formulas[2].set_latex("H = " + tex_matrix(f.hessian_latex))

    def _typeset_numbers(self) -> None:
        if self.engine.running and self.engine.speed == 0:
            return  # typesetting takes ~0.1 s: done when the walk pauses (see _show_point)
        r = self.result
        where = ", ".join(fmt(v, 4) for v in self.point)
        self.point_heading.setText(f"<b>At the point ({where})</b>")
        if r is None:
            for formula in self.number_formulas:
                formula.set_latex("")
            return
        gradient, hessian = np.asarray(r.gradient), np.asarray(r.hessian)
        values = r.eigenvalues
        # the heading names the point, so the formulas stay short enough for a narrow column
        self.number_formulas[0].set_latex(
            r"\nabla f = \left[" + tex_column([tex_number(g) for g in gradient]) + r"\right]"
        )
        self.number_formulas[1].set_latex(
            "H = " + tex_matrix([[tex_number(h) for h in row] for row in hessian])
        )
        poly = r.char_poly_text.replace("−", "-").replace("λ", r"\lambda ")
        poly = poly.replace("²", "^2").replace("³", "^3")
        name = r"\det(H - \lambda I)" if self.n % 2 == 0 else r"\det(\lambda I - H)"
        self.number_formulas[2].set_latex(rf"{name} = {poly} = 0")
        self.number_formulas[3].set_latex(
            r",\quad ".join(rf"\lambda_{i + 1} = {tex_number(v)}" for i, v in enumerate(values))
        )

    # -- the pictures ---------------------------------------------------------------
    def _refresh_pictures(self) -> None:
        p = self.point
        self.point_mark.setData([p[0]], [p[1]])
        plane = self.plane
        self._draw_gradient(plane)
        self._draw_eigenvectors(plane)
        self._draw_taylor(plane)

    def _patch(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        r = 0.4 * self.half
        xs = np.linspace(self.point[0] - r, self.point[0] + r, size)
        ys = np.linspace(self.point[1] - r, self.point[1] + r, size)
        X, Y = np.meshgrid(xs, ys)
        return xs, ys, X, Y

    def _draw_gradient(self, plane: Analysis | None) -> None:
        items = (self.gradient_halo, self.gradient_line, self.gradient_head, self.gradient_label)
        g = None if plane is None else np.asarray(plane.gradient, dtype=float)[:2]
        norm = 0.0 if g is None else float(np.hypot(*g))
        if g is None or not norm > 1e-12 * max(1.0, abs(float(plane.value))):
            for item in items:
                item.setVisible(False)
            return
        p = self.point[:2]
        tip = p + 0.25 * self.half * g / norm
        xs, ys = [p[0], tip[0]], [p[1], tip[1]]
        self.gradient_halo.setData(xs, ys)
        self.gradient_line.setData(xs, ys)
        vb = self.map.getViewBox()
        a = vb.mapViewToScene(pg.QtCore.QPointF(*p))
        b = vb.mapViewToScene(pg.QtCore.QPointF(*tip))
        self.gradient_head.setStyle(
            angle=180 + math.degrees(math.atan2(b.y() - a.y(), b.x() - a.x()))
        )
        self.gradient_head.setPos(*tip)
        label_at = p + 0.33 * self.half * g / norm
        self.gradient_label.setPos(*label_at)
        for item in items:
            item.setVisible(True)

    def _draw_eigenvectors(self, plane: Analysis | None) -> None:
        items = (*self.eigen_halos, *self.eigen_lines, *self.eigen_labels)
        if plane is None:
            for item in items:
                item.setVisible(False)
            return
        values, vectors = plane.eigenvalues, plane.eigenvectors
        signs = _signs(plane)
        biggest = float(np.max(np.abs(values))) if len(values) else 0.0
        p = self.point[:2]
        for i, value in enumerate(values[:2]):
            v = vectors[:2, i]
            share = abs(value) / biggest if biggest > 0 else 1.0
            length = self.half * (0.08 + 0.3 * share)
            a, b = p - length * v, p + length * v
            color, dash, _ = SIGN_LOOK[signs[i]]
            self.eigen_lines[i].setPen(style.pen(color, style.Look.pen + 1.5, dash))
            self.eigen_lines[i].setData([a[0], b[0]], [a[1], b[1]])
            self.eigen_halos[i].setData([a[0], b[0]], [a[1], b[1]])
            label = self.eigen_labels[i]
            name = f"λ{subscript(i + 1)}" if self.n == 2 else "λ"
            label.setText(f"{name} = {fmt(value, 4)}")
            label.setColor(pg.mkColor(color))
            at = p + (length + 0.03 * self.half) * v
            label.setPos(*at)
            # write away from the line's end, unless the text would leave the map
            vb = self.map.getViewBox()
            (x0, x1), _ = vb.viewRange()
            width = label.boundingRect().width() * vb.viewPixelSize()[0]
            right = v[0] >= 0
            if right and at[0] + width > x1:
                right = False
            elif not right and at[0] - width < x0:
                right = True
            label.setAnchor((0, 0.5) if right else (1, 0.5))
        for item in items:
            item.setVisible(True)

    def _draw_taylor(self, plane: Analysis | None) -> None:
        if plane is None:
            self.taylor_lines.setData([], [])
            self.surface.clear()
            return
        gradient = np.asarray(plane.gradient, dtype=float)
        hessian = np.asarray(plane.hessian, dtype=float)
        value = float(plane.value)
        xs, ys, X, Y = self._patch(61)
        q = taylor_values(value, gradient, hessian, self.point[:2], X, Y)
        lo, hi = float(np.min(q)), float(np.max(q))
        grid = self.map.grid
        # f's own contour levels, so dashed and white lines at the same height can be compared
        levels = [v for v in (grid.levels if grid is not None else ()) if lo < v < hi]
        levels = sorted(levels, key=lambda v: abs(v - value))[:TAYLOR_LEVELS]
        if len(levels) < 3 and hi > lo:
            levels = list(np.linspace(lo, hi, TAYLOR_LEVELS + 2)[1:-1])
        self.taylor_lines.setData(*contour_lines(xs, ys, q, levels))
        sx, sy, SX, SY = self._patch(31)
        with np.errstate(all="ignore"):
            z = np.asarray(self.function2.value([SX, SY]), dtype=float)
        mesh = taylor_values(value, gradient, hessian, self.point[:2], SX, SY)
        self.surface.show_surface(sx, sy, z, mesh, (self.point[0], self.point[1], value))

    # -- the run: a Newton walk from the point ----------------------------------------
    def make_factory(self):
        f = self.function_full
        start = tuple(float(v) for v in self.start)
        if self.result is None and np.allclose(self.point, self.start):
            self.set_status(f"Newton's method cannot start here: {self.problem}")
            return None

        def factory(last):  # the step limit is the run controls' (default 50)
            if last is None:
                return newton(f, start, max_steps=UNLIMITED)
            return newton(f, last.x_next, k0=last.k + 1, max_steps=UNLIMITED)

        return factory

    def rebuild(self, row: np.ndarray) -> Step:
        """A Newton step from its history row: k, x, f, ∇f, H, s, x_next."""
        return StepColumns(self.n).step(np.asarray(row, dtype=float))

    def history_columns(self) -> list[str]:
        return Step.row_columns(self.function_full.variables)

    def show_record(self, record: Step) -> None:
        target = np.asarray(record.x_next, dtype=float)
        if not np.all(np.isfinite(target)):
            target = np.asarray(record.x, dtype=float)
        self._show_point(target)

    def show_history(self, history) -> None:
        n = len(history)
        if n == 0:
            self.walk.clear()
            return
        columns = StepColumns(self.n)
        rows = history.rows[-PATH_POINTS:]  # a long walk: its latest points
        pts = rows[:, columns.x]
        last = rows[-1, columns.x_next]
        if np.all(np.isfinite(last)):
            pts = np.vstack([pts, last])
        self.walk.set_points(pts[:, 0], pts[:, 1])

    def clear_views(self) -> None:
        self.walk.clear()
        self._show_point(self.start)

    def new_start(self) -> None:
        rng = np.random.default_rng()
        (x0, x1), (y0, y1) = self._window()
        point = self.start.copy()
        point[0] = rng.uniform(x0, x1)
        point[1] = rng.uniform(y0, y1)
        self.set_point(point)


# ---------------------------------------------------------------- helpers


@dataclass(frozen=True, eq=False)
class _Search:
    """The critical points found: the one record of a background search run."""

    k: int
    key: tuple
    points: tuple

    def as_row(self) -> np.ndarray:
        return np.array([float(self.k), float(len(self.points))])


def _search_run(function: Function, bounds: list, key: tuple) -> Stepper:
    def run() -> Generator[_Search, None, Outcome]:
        found = find_critical_points(function, bounds)
        yield _Search(0, key, tuple(found))
        return Outcome(CONVERGED, f"{len(found)} critical points found", 0)

    return Stepper(run())


_KIND_TITLES = {
    "minimum": "Local minimum",
    "maximum": "Local maximum",
    "saddle": "Saddle point",
    "inconclusive": "Need more information",
}

_KIND_MARKS = {
    "minimum": ("o", style.BLUE),
    "maximum": ("t1", style.VERMILION),
    "saddle": ("x", style.GREEN),
}


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.GREY}; font-size: {style.Look.font_pt + 1}pt;")
    return label


@lru_cache(maxsize=1)
def _max_preset_text() -> str:
    """The slides' maximum example as the parser writes it (the errata note is about it)."""
    return parse_function(MAX_PRESET, VARIABLES[:2]).text


def _analysis(function: Function, point: np.ndarray) -> tuple[Analysis | None, str]:
    """The core's analysis at ``point``, or None and the reason in words."""
    problem = function.domain_problem(tuple(float(v) for v in point))
    if problem:
        return None, f"f is not defined here: {problem}"
    with np.errstate(all="ignore"):
        try:
            result = analyze(function, point)
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
            return None, f"the analysis fails here: {err}"
    numbers = [result.value, *np.ravel(result.gradient), *np.ravel(result.hessian)]
    if not all(math.isfinite(float(v)) for v in numbers):
        return None, "f or its derivatives are not finite numbers here"
    return result, ""


_SUMMARY = (
    ("minimum", "local minimum", "λ₁ &gt; 0 and λ₂ &gt; 0 (upward paraboloid)", "all λᵢ &gt; 0"),
    ("maximum", "local maximum", "λ₁ &lt; 0 and λ₂ &lt; 0 (downward paraboloid)", "all λᵢ &lt; 0"),
    (
        "other",
        "other",
        "one λ &gt; 0 and one &lt; 0: saddle; some λ = 0: need more information",
        "some λᵢ &gt; 0 and some &lt; 0: saddle; any λᵢ = 0: need more information",
    ),
)


def _summary_html(kind: str | None, n: int) -> str:
    """The slides' summary table (the column for n variables), the row that applies marked."""
    row_key = None if kind is None else ("other" if kind not in ("minimum", "maximum") else kind)
    cell = "padding:4px; border:1px solid #bbbbbb;"
    title = "2 variables" if n == 2 else "n variables"
    rows = [f"<tr><th style='{cell}'></th><th style='{cell}'>{title}</th></tr>"]
    for key, name, two, many in _SUMMARY:
        hit = key == row_key
        shade = " background:#FFE08A; font-weight:bold;" if hit else ""
        mark = "▶ " if hit else ""
        rows.append(
            f"<tr><td style='{cell}{shade}'>{mark}{name}</td>"
            f"<td style='{cell}{shade}'>{two if n == 2 else many}</td></tr>"
        )
    return (
        f"<table width='100%' cellspacing='0' style='font-size:{style.Look.font_pt}pt'>"
        + "".join(rows)
        + "</table>"
    )


def _verdict(r: Analysis) -> str:
    """The verdict in the words of the slides' summary table."""
    if r.verdict == "inconclusive":
        return "need more information (the test is inconclusive)"
    return str(r.verdict)


_CURVATURE = {
    "minimum": "curves up in every direction (all λ > 0)",
    "maximum": "curves down in every direction (all λ < 0)",
    "saddle": "curves up in some directions, down in others (λ of both signs)",
    "inconclusive": "flat in some direction (an eigenvalue is 0)",
}


def _signs(r: Analysis) -> list[int]:
    """+1, −1 or 0 per eigenvalue, with the core's rule for "zero" (|λ| ≤ 1e-8·max(1, max|λ|))."""
    values = r.eigenvalues
    zero = 1e-8 * max(1.0, float(np.max(np.abs(values)))) if len(values) else 0.0
    return [0 if abs(v) <= zero else (1 if v > 0 else -1) for v in values]


def _poly_name(n: int) -> str:
    """The slides write det(H − λI); for odd n the core's monic polynomial is det(λI − H)."""
    return "det(H − λI)" if n % 2 == 0 else "det(λI − H)"


def _critical_kind(c: Analysis) -> str:
    """Short words for the list: minimum, maximum, saddle, need more info."""
    return {"inconclusive": "need more info"}.get(c.kind, c.kind)


def _tidy(value: float) -> float:
    """Round-off of a found critical point (1e-32 …) shown as the 0 it is."""
    return 0.0 if abs(value) < 1e-12 else float(value)
