"""Newton 1-D: the tangent of g′ points to the next iterate; gradient descent runs beside.

Three plots share the x axis (:class:`~optgui.gui.tangent_plots.TangentPlots`):
g with both methods' iterates, g′ with the tangent whose zero is Newton's next
iterate, and g″ whose sign says whether the step heads for a minimum or a
maximum. The settings, the run and every text are :mod:`optgui.lessons.newton1d`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import Function
from optgui.core.race import PATH_POINTS, RaceStep, race_points
from optgui.gui.binding import Accessor
from optgui.gui.derivation_panel import math_pages
from optgui.gui.formulas import FormulaStrip
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.iterates_table import IteratesTable
from optgui.gui.layout import ThreeColumns, summary_label
from optgui.gui.mathpanel import MathPanel
from optgui.gui.point_edit import PointEdit
from optgui.gui.race_tab import RaceTab
from optgui.gui.stage import StageView
from optgui.gui.tangent_plots import TangentPlots
from optgui.gui.tolerance_box import ToleranceBox
from optgui.gui.training_tab import LearningRateBox
from optgui.lessons import newton1d as lesson
from optgui.lessons import newton_derivations
from optgui.lessons.derivation import Derivation
from optgui.lessons.newton1d import Newton1DSettings, Preset1D
from optgui.lessons.race import preset_status, random_start, rounded_click


class Newton1DTab(RaceTab):
    """g, g′ with the tangent, g″ with its sign; Newton beside gradient descent."""

    title = "Newton 1-D"
    default_speed = 2
    default_limit = 100
    settings_class = Newton1DSettings
    table_text = lesson.TABLE

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        defaults = Newton1DSettings()

        # settings column -------------------------------------------------------
        panel = QWidget()
        column = QVBoxLayout(panel)
        self.guide = Guide(lesson.GUIDE)
        column.addWidget(self.guide)

        fbox = QGroupBox("Function")
        flay = QVBoxLayout(fbox)
        self.function_box = FunctionBox(("x",), defaults.function, name="g")
        for p in lesson.PRESETS:
            self.function_box.add_preset(p.label, p.text, p, p.tooltip)
        flay.addWidget(self.function_box)
        self.formulas = FormulaStrip(3)
        self.formulas.setObjectName("derivatives")
        flay.addWidget(self.formulas)
        column.addWidget(fbox)

        sbox = QGroupBox("Start and view")
        form = QFormLayout(sbox)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.start_edit = PointEdit(("x0",), ("x₀",), show_labels=False)
        form.addRow("Start x₀", self.start_edit)
        window_row = QHBoxLayout()
        self.x_min = self._range_box("x_min", "Left end of the plotted x range")
        self.x_max = self._range_box("x_max", "Right end of the plotted x range")
        window_row.addWidget(self.x_min)
        window_row.addWidget(QLabel("to"))
        window_row.addWidget(self.x_max)
        form.addRow("x range", window_row)
        column.addWidget(sbox)

        gbox = QGroupBox("Gradient descent (beside)")
        gform = QFormLayout(gbox)
        gform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rate = LearningRateBox(defaults.learning_rate)
        self.rate.setToolTip(
            "Learning rate α of gradient descent: x_{k+1} = x_k − α·g′(x_k) (Newton needs none)"
        )
        gform.addRow("Learning rate α", self.rate)
        self.tolerance = ToleranceBox("g′")
        gform.addRow("Tolerance |s|, |g′| <", self.tolerance)
        column.addWidget(gbox)

        self.summary = summary_label()
        column.addStretch(1)

        # plots, table and math ---------------------------------------------------
        self.plots = TangentPlots()
        self.g_plot, self.d1_plot, self.d2_plot = self.plots.plots
        self.table = IteratesTable(lesson.COLUMNS, lesson.COLUMN_TIPS)
        self.table.fit_contents = True
        self.math = MathPanel()
        self.math.set_formulas(lesson.FORMULAS)
        views = QWidget()
        vlay = QVBoxLayout(views)
        vlay.setContentsMargins(0, 0, 0, 0)
        vlay.addWidget(self.plots, 1)
        vlay.addWidget(self.summary)
        self.columns = ThreeColumns(
            panel, views, self.table, math_pages(self.math, self.derivation)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.controls)

        # settings ⇄ widgets ------------------------------------------------------
        self.bind(
            {
                "x0": Accessor(
                    lambda: self.start_edit.value()[0],
                    lambda x0: self.start_edit.set_value((x0,)),
                    self.start_edit.edited,
                ),
                "learning_rate": self.rate,
                "tolerance": self.tolerance,
                "x_min": self.x_min,
                "x_max": self.x_max,
            }
        )
        self.function_box.preset_chosen.connect(self._preset_chosen)
        self.plots.clicked.connect(self._clicked)

        self.settings_applied()
        self._show_formulas()
        self.reset()

    @staticmethod
    def _range_box(name: str, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setRange(-lesson.X_LIMIT, lesson.X_LIMIT)
        box.setMinimumWidth(70)
        box.setDecimals(2)
        box.setSingleStep(0.5)
        box.setKeyboardTracking(False)
        box.setToolTip(tip)
        return box

    @property
    def x0(self) -> float:
        """The start of both methods."""
        return self.binding.settings.x0

    @property
    def window(self) -> tuple[float, float]:
        """The plotted x range."""
        return self.binding.settings.window

    def stage_views(self) -> list[StageView]:
        plots, summary = [self.g_plot, self.d1_plot], [self.summary]
        return [
            StageView("g and the tangent of g′", plots, [self.table, self.math], side_share=0.45),
            StageView("Curvature g″", [self.g_plot, self.d2_plot], [self.math], summary, 0.45),
            StageView("Iterates", [self.g_plot], [self.table], summary, 0.5),
            StageView("Derivation", plots, [self.derivation], side_share=0.5),
        ]

    # -- settings -----------------------------------------------------------------
    def placed(self, settings: Newton1DSettings, point: tuple[float, ...]) -> Newton1DSettings:
        lo, hi = lesson.window_around(point[0], settings.window)
        return settings.replace(x0=point[0], x_min=lo, x_max=hi)

    def settings_edited(self, settings: Newton1DSettings, names: frozenset[str]) -> None:
        if "x0" in names:
            self.set_start(settings.x0)
        if names & {"x_min", "x_max"}:
            self.settings_applied()
            if self.shown_index is not None:
                self.show_index(self.shown_index)
            else:
                self.clear_views()

    def settings_applied(self) -> None:
        self.plots.set_curves(self.function, self.window)

    def _show_formulas(self) -> None:
        self.formulas.set_latex(lesson.formulas(self.function))

    def function_changed(self, function: Function) -> None:
        self._show_formulas()
        self.settings_applied()
        self.reset()
        self.set_status(self.start_problem() or lesson.function_status(self.binding.settings))

    def _preset_chosen(self, preset: Preset1D) -> None:
        self.apply_settings(preset.apply(self.binding.settings))
        self.set_status(preset_status(preset.label))

    def _clicked(self, x: float) -> None:
        lo, hi = self.window
        self.set_start(rounded_click(x, hi - lo))

    def new_start(self) -> None:
        """A random start inside the plotted range (and the domain of g)."""
        point = random_start(self.function, [self.window], np.random.default_rng())
        if point is None:
            self.set_status("No start inside the domain of g was found in the plotted range.")
        else:
            self.set_start(point)

    def derivations_at(self, settings, at) -> list[Derivation]:
        return newton_derivations.newton1d_derivations(settings, at, self.function)

    # -- views ------------------------------------------------------------------------
    def _on_state(self, state: str) -> None:
        super()._on_state(state)
        i = self.shown_index
        if state != "playing" and i is not None and 0 <= i < len(self.history):
            self.draw_text(self.history.record(i))  # (the y ranges fitted again: see fit_y)

    def clear_views(self) -> None:
        """Before any step: the start, and the tangent Newton is about to follow."""
        self.table.reset()
        self.settings_applied()
        record = self.preview()
        self.draw(record, upto=0, preview=True)
        self.draw_text(record, preview=True)
        self.show_summary(lesson.start_summary(self.binding.settings))
        self.derivation.refresh()  # (back to the step about to be taken)

    def draw(self, record: RaceStep | None, upto: int, preview: bool = False) -> None:
        if preview or len(self.history) == 0:
            points = np.empty(0), np.empty(0)
            if self.function.domain_problem(self.x0) is None:
                value = self.function.value(self.x0)
                if np.isfinite(value):
                    points = np.array([self.x0]), np.array([value])
            newton = descent = points
        else:
            stop = min(upto + 1, len(self.history))
            rows = self.history.rows[max(0, stop - PATH_POINTS) : stop]
            nx, nv, dx, dv = race_points(rows, 1)
            newton, descent = (nx[:, 0], nv), (dx[:, 0], dv)
        d = record.descent if record is not None and record.descent_here else None
        self.plots.show_iterates(newton, descent, d)

    def draw_text(self, record: RaceStep | None, preview: bool = False) -> None:
        """Newton's step (x_k, the tangent to x_{k+1}) and the math: at full speed ten
        times a second, like every text (see :class:`~optgui.gui.tab.ExperimentTab`)."""
        here = record is not None and record.newton is not None and (record.newton_here or preview)
        self.plots.show_newton(record.newton if here else None, self.engine.running)
        settings = self.binding.settings
        self.math.set_lines(lesson.math_lines(record, settings, preview, self.function))
