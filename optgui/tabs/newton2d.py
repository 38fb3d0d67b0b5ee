"""Newton 2-D: Newton's path and gradient descent's on a contour map, with the quadratic model.

Each Newton step minimises the quadratic model
m(p) = f(x_k) + ∇f·(p − x_k) + ½ (p − x_k)ᵀ H (p − x_k); its contours are drawn
around x_k, centred on x_{k+1}. Where H is not positive definite the model has
no minimum and the tab says so; modified Newton uses H + τI instead. The
settings, the run and every text are :mod:`optgui.lessons.newton2d`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import Function
from optgui.core.iterates import Step
from optgui.core.race import PATH_POINTS, RaceStep, race_points
from optgui.gui import style
from optgui.gui.binding import Accessor
from optgui.gui.contour import ContourMap, contour_lines, taylor_values
from optgui.gui.derivation_panel import math_pages
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.iterates_table import IteratesTable
from optgui.gui.layout import SideScroll, ThreeColumns, summary_label
from optgui.gui.mathpanel import MathPanel
from optgui.gui.matrices import MatrixView, NewtonEquation, symbol_label
from optgui.gui.point_edit import PointEdit
from optgui.gui.race_tab import RaceTab
from optgui.gui.stage import StageView
from optgui.gui.tolerance_box import ToleranceBox
from optgui.gui.training_tab import LearningRateBox
from optgui.lessons import newton2d as lesson
from optgui.lessons import newton_derivations
from optgui.lessons.derivation import Derivation
from optgui.lessons.newton2d import Newton2DSettings, Preset2D
from optgui.lessons.race import preset_status, random_start, rounded_click


class Newton2DTab(RaceTab):
    """Contour map with both paths and the quadratic model; table and math beside."""

    title = "Newton 2-D"
    default_speed = 2
    default_limit = 300
    settings_class = Newton2DSettings
    table_text = lesson.TABLE

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        defaults = Newton2DSettings()
        panel = QWidget()
        column = QVBoxLayout(panel)
        self.guide = Guide(lesson.GUIDE)
        column.addWidget(self.guide)

        # function -----------------------------------------------------------------
        fbox = QGroupBox("Function")
        flay = QVBoxLayout(fbox)
        self.function_box = FunctionBox(("x", "y"), defaults.function, name="f")
        for p in lesson.PRESETS:
            self.function_box.add_preset(p.label, p.text, p, p.tooltip)
        flay.addWidget(self.function_box)
        derivs = QWidget()
        dlay = QVBoxLayout(derivs)
        dlay.setContentsMargins(2, 2, 2, 2)
        self.gradient_view = MatrixView(2, 1, latex=True)
        self.hessian_view = MatrixView(2, 2, latex=True)
        for name, view in (("∇f =", self.gradient_view), ("H =", self.hessian_view)):
            row = QHBoxLayout()
            row.addWidget(symbol_label(name))
            row.addWidget(view)
            row.addStretch(1)
            dlay.addLayout(row)
        self.derivatives = SideScroll(derivs)
        self.derivatives.setObjectName("derivatives")
        self.derivatives.setToolTip("Gradient and Hessian, computed symbolically from f")
        flay.addWidget(self.derivatives)
        column.addWidget(fbox)

        # start ----------------------------------------------------------------------
        sbox = QGroupBox("Start (or click the map)")
        self.start_edit = PointEdit()
        QVBoxLayout(sbox).addWidget(self.start_edit)
        column.addWidget(sbox)

        # methods ----------------------------------------------------------------------
        mbox = QGroupBox("Methods")
        mform = QFormLayout(mbox)
        mform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.modified = QCheckBox("modified Newton: H + τI")
        self.modified.setObjectName("modified")
        self.modified.setToolTip(
            "Solve (H + τI)·s = ∇f instead of H·s = ∇f: with τ larger than minus the smallest "
            "eigenvalue of H the model is a bowl again and the step goes downhill"
        )
        self.tau = QDoubleSpinBox()
        self.tau.setObjectName("tau")
        self.tau.setRange(0.0, 1000.0)
        self.tau.setDecimals(2)
        self.tau.setSingleStep(0.5)
        self.tau.setKeyboardTracking(False)
        self.tau.setToolTip("τ added to the diagonal of H (applies from the next step)")
        mform.addRow(self.modified)
        mform.addRow("τ (modified Newton)", self.tau)
        self.rate = LearningRateBox(defaults.learning_rate)
        self.rate.setToolTip("Learning rate α of gradient descent: x_{k+1} = x_k − α·∇f(x_k)")
        mform.addRow("Gradient descent α", self.rate)
        self.tolerance = ToleranceBox("∇f")
        mform.addRow("Tolerance |s|, |∇f| <", self.tolerance)
        column.addWidget(mbox)

        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            f"color: {style.INK}; background: #FBE3D6; border: 2px solid {style.VERMILION};"
            " padding: 6px;"
        )
        self.warning.setVisible(False)
        self.summary = summary_label()
        column.addStretch(1)

        # contour map --------------------------------------------------------------
        self.map = ContourMap("f(x, y) and both paths")
        self.legend = legend = style.add_legend(self.map, (10, 10), alpha=220)
        self.newton_path = self.map.add_path("Newton", style.VERMILION, "o")
        self.descent_path = self.map.add_path("gradient descent", style.SKY, "s")
        self.model_lines = self.map.add_lines(style.PURPLE, 2.5, Qt.PenStyle.DashLine)
        legend.addItem(self.model_lines, "quadratic model at xₖ")
        self.model_centre = pg.ScatterPlotItem(
            symbol="+", size=style.Look.marker + 8, pen=pg.mkPen(style.PURPLE, width=3)
        )
        self.model_centre.setZValue(22)
        self.map.addItem(self.model_centre, ignoreBounds=True)

        # table and math -------------------------------------------------------------
        self.table = IteratesTable(lesson.COLUMNS, lesson.COLUMN_TIPS)
        self.table.fit_contents = True
        self.table.set_compact(True)
        height = self.table.fontMetrics().height()
        self.table.verticalHeader().setDefaultSectionSize(2 * height + 10)
        self.math = MathPanel()
        self.math.set_formulas(lesson.FORMULAS)
        self.equation = NewtonEquation()
        self.equation.setVisible(False)
        self.math.add_widget(self.equation)

        views = QWidget()
        vlay = QVBoxLayout(views)
        vlay.setContentsMargins(0, 0, 0, 0)
        vlay.addWidget(self.map, 1)
        vlay.addWidget(self.warning)
        vlay.addWidget(self.summary)
        self.columns = ThreeColumns(
            panel,
            views,
            self.table,
            math_pages(self.math, self.derivation),
            side_share=0.52,
            narrow_side=290,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.controls)

        # settings ⇄ widgets ------------------------------------------------------------
        start = self.start_edit
        self.bind(
            {
                "start": Accessor(start.value, start.set_value, start.edited),
                "learning_rate": self.rate,
                "tolerance": self.tolerance,
                "modified": self.modified,
                "tau": self.tau,
            }
        )
        self.function_box.preset_chosen.connect(self._preset_chosen)
        self.map.clicked.connect(self._clicked)

        self.map.set_function(self.function, self.binding.settings.map_window)
        self._show_derivatives()
        self.reset()

    @property
    def x0(self) -> tuple[float, float]:
        """The start of both methods."""
        return self.binding.settings.start

    def stage_views(self) -> list[StageView]:
        notes = [self.warning, self.summary]
        return [
            StageView("Map and both paths", [self.map], [self.table, self.math], notes, 0.45),
            StageView(
                "Gradient and Hessian", [self.map], [self.derivatives, self.math], notes, 0.45
            ),
            StageView("Iterates", [self.map], [self.table], notes, 0.5),
            StageView("Derivation", [self.map], [self.derivation], notes, 0.5),
        ]

    # -- settings -----------------------------------------------------------------
    def placed(self, settings: Newton2DSettings, point: tuple[float, ...]) -> Newton2DSettings:
        window = lesson.window_around(point, settings.window)
        return settings.replace(start=(point[0], point[1]), window=window)

    def settings_edited(self, settings: Newton2DSettings, names: frozenset[str]) -> None:
        if "start" in names:
            self.set_start(settings.start)
        if names & {"modified", "tau"}:
            self._name_newton()
            self.settings_changed()
            if self.engine.running or len(self.history):
                self.set_status(lesson.damping_status(settings))
            else:
                self.clear_views()

    def settings_applied(self) -> None:
        self.map.set_function(self.function, self.binding.settings.map_window)
        self._name_newton()

    def _name_newton(self) -> None:
        """The legend names the method in use: Newton, or modified Newton with its τ."""
        label = self.legend.getLabel(self.newton_path.curve)
        name = lesson.legend_name(self.binding.settings)
        if label is not None and label.text != name:
            label.setText(name)
            self.legend.updateSize()

    def _show_derivatives(self) -> None:
        gradient, hessian = lesson.derivatives_latex(self.function)
        self.gradient_view.set_latex(gradient)
        self.hessian_view.set_latex(hessian)
        self.derivatives.updateGeometry()

    def function_changed(self, function: Function) -> None:
        self.stop()
        self.map.set_function(function)
        self._show_derivatives()
        self.reset()
        self.set_status(self.start_problem() or lesson.function_status(self.binding.settings))

    def _preset_chosen(self, preset: Preset2D) -> None:
        self.apply_settings(preset.apply(self.binding.settings))
        self.set_status(preset_status(preset.label))

    def _clicked(self, x: float, y: float) -> None:
        (xa, xb), (ya, yb) = self.binding.settings.map_window
        self.set_start((rounded_click(x, xb - xa), rounded_click(y, yb - ya)))

    def new_start(self) -> None:
        """A random start inside the map (and the domain of f)."""
        window = self.binding.settings.map_window
        point = random_start(self.function, window, np.random.default_rng())
        if point is None:
            self.set_status("No start inside the domain of f was found on the map.")
        else:
            self.set_start(point)

    def derivations_at(self, settings, at) -> list[Derivation]:
        return newton_derivations.newton2d_derivations(settings, at)

    # -- views --------------------------------------------------------------------------
    def clear_views(self) -> None:
        self.table.reset()
        record = self.preview()
        self.draw(record, upto=-1, preview=True)
        self.draw_text(record, preview=True)
        self.show_summary(lesson.start_summary(self.binding.settings))
        self.derivation.refresh()  # (back to the step about to be taken)

    def _paths(self, record: RaceStep | None, upto: int) -> tuple[np.ndarray, np.ndarray]:
        """Newton's and gradient descent's points x_0 … x_upto, plus this step's target."""
        n = len(self.history)
        start = np.array([self.x0], dtype=float)
        newton_pts = descent_pts = start
        if n > 0 and upto >= 0:
            stop = min(upto + 1, n)
            rows = self.history.rows[max(0, stop - PATH_POINTS) : stop]
            newton_pts, _, descent_pts, _ = race_points(rows, 2)
            if len(newton_pts) == 0:
                newton_pts = start
            if len(descent_pts) == 0:
                descent_pts = start
        if record is not None:
            newton, descent = record.newton, record.descent
            if newton is not None and (record.newton_here or upto < 0 or record.newton_end):
                newton_pts = np.vstack([newton_pts, newton.x_next])
            if descent is not None and (record.descent_here or record.descent_end):
                descent_pts = np.vstack([descent_pts, descent.x_next])
        return newton_pts, descent_pts

    def draw(self, record: RaceStep | None, upto: int, preview: bool = False) -> None:
        """The paths (every frame); the model's rings and the texts are :meth:`draw_text`."""
        newton_pts, descent_pts = self._paths(record, upto)
        self.newton_path.set_points(newton_pts[:, 0], newton_pts[:, 1])
        self.descent_path.set_points(descent_pts[:, 0], descent_pts[:, 1])

    def draw_text(self, record: RaceStep | None, preview: bool = False) -> None:
        """The quadratic model's rings, the warning and the math (at full speed ten
        times a second, like every text: see :class:`~optgui.gui.tab.ExperimentTab`)."""
        step = record.newton if record is not None else None
        if step is not None and record is not None and (record.newton_here or preview):
            self._draw_model(step)
            self.equation.show_equation(lesson.equation(step))
        else:
            self.model_lines.setData([], [])
            self.model_centre.setData([], [])
            self.equation.setVisible(False)
        settings = self.binding.settings
        self._warn(lesson.warning(record, settings, preview, self.function))
        self.math.set_lines(lesson.math_lines(record, settings, preview, self.function))

    def _warn(self, text: str | None) -> None:
        """Show the warning (None: hide it). During a run a warning once shown keeps its
        room when hidden, so a run that goes in and out of it does not resize the map
        every frame; the room is given back when the run stops."""
        if text is not None and self.warning.text() != text:
            self.warning.setText(text)
        if text is not None and self.engine.running:
            policy = self.warning.sizePolicy()
            if not policy.retainSizeWhenHidden():
                policy.setRetainSizeWhenHidden(True)
                self.warning.setSizePolicy(policy)
        self.warning.setVisible(text is not None)

    def _on_state(self, state: str) -> None:
        super()._on_state(state)
        policy = self.warning.sizePolicy()
        if state != "playing" and policy.retainSizeWhenHidden():
            policy.setRetainSizeWhenHidden(False)
            self.warning.setSizePolicy(policy)

    def _draw_model(self, step: Step) -> None:
        """Contours of the quadratic model Newton minimises at this step, around x_k."""
        assert step.hessian is not None
        h = step.hessian + step.damping * np.eye(2)
        g, s = step.gradient, step.s
        (xa, xb), (ya, yb) = self.map.window
        reach = max(1.4 * float(np.linalg.norm(s)), 0.04 * max(xb - xa, yb - ya))
        centre = step.x_next
        us = np.linspace(centre[0] - reach, centre[0] + reach, 81)
        vs = np.linspace(centre[1] - reach, centre[1] + reach, 81)
        model = taylor_values(step.value, g, h, step.x, *np.meshgrid(us, vs))
        drop = 0.5 * float(g @ s)  # f(x_k) minus the model's value at x_{k+1}
        bottom = step.value - drop
        if np.all(np.linalg.eigvalsh(h) > 0) and drop > 0:
            levels = [bottom + drop * t for t in (0.03, 0.15, 0.4, 0.7, 1.0)]
        else:
            spread = abs(drop) if drop != 0 else 1.0
            levels = [bottom + spread * t for t in (-1.0, -0.4, 0.0, 0.4, 1.0)]
        self.model_lines.setData(*contour_lines(us, vs, model, levels))
        self.model_centre.setData([centre[0]], [centre[1]])
