"""Hessian Explorer: point anywhere on any typed function and read off the slides' analysis.

The gradient, the Hessian, its eigenvalues and eigenvectors, the characteristic
polynomial and the verdict of the slides' summary table, at a point chosen by
clicking or dragging on the contour map or by typing. Around the point the
second-order Taylor approximation is drawn over f (dashed contours on the map,
a mesh in 3D). Play walks from the point with Newton's method toward a
critical point. Functions of x, y and z work too: the table shows the 3×3
analysis, the pictures show the slice z = const.

The settings (function, point, map window) are a
:class:`~optgui.lessons.hessian.HessianLesson` bound to the widgets; every text
comes from :mod:`optgui.lessons.hessian`; the panels live in
:mod:`optgui.gui.analysis_panel`, :mod:`optgui.gui.critical_panel` and
:mod:`optgui.gui.hessian_map`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from optgui.core.expr import ExpressionError, Function
from optgui.core.newton import Step
from optgui.core.race import PATH_POINTS, StepColumns
from optgui.gui import session
from optgui.gui.analysis_panel import AnalysisPanel
from optgui.gui.binding import Accessor, Binding
from optgui.gui.contour import taylor_values
from optgui.gui.critical_panel import CriticalPanel
from optgui.gui.derivation_panel import math_pages
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.hessian_map import COLOR_NAMES, TAYLOR_COLOR, HessianMap, map_legend, patch
from optgui.gui.layout import scroll_column
from optgui.gui.point_box import PointBox
from optgui.gui.stage import StageView
from optgui.gui.surface3d import Surface3D
from optgui.gui.tab import ExperimentTab
from optgui.lessons import hessian as lesson
from optgui.lessons import hessian_derivations
from optgui.lessons.derivation import Derivation
from optgui.lessons.hessian import VARIABLES, HessianLesson
from optgui.lessons.settings import SettingsError


class HessianTab(ExperimentTab):
    """Gradient, Hessian, eigenvalues and verdict at any point of any typed function."""

    title = "Hessian Explorer"
    default_speed = 2
    default_limit = 50

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        settings = HessianLesson()
        self.function_full: Function = lesson.parse(settings)  # f in its variables
        self.function2: Function = self.function_full  # f(x, y) as plotted (or the slice)
        self.z_value = 0.0  # the slice shown, for f(x, y, z)
        self.point = np.zeros(2)  # the point shown: the start, or where the walk is
        self._aspect = 1.0  # width / height of the map, so the window fills it
        self.result = None  # the core's Analysis at the point (all variables)
        self.plane = None  # the Analysis of f(x, y) as plotted (or the slice)
        self.problem = ""  # why there is no analysis at the point

        self._build_settings(settings)
        self.binding = Binding(
            settings,
            {
                "function": Accessor(
                    lambda: self.box.function.text, self._write_function, self.box.function_changed
                ),
                "point": self.point_box.accessor(),
                "half": self.window_size,
            },
            self,
        )
        self.map = HessianMap(self._window())
        self.map_legend = map_legend()
        self.surface = Surface3D(
            lesson.surface_title(2, 0.0),
            lesson.surface_legend(COLOR_NAMES[TAYLOR_COLOR]),
            mesh_color=TAYLOR_COLOR,
        )
        self.numbers = AnalysisPanel()
        self._assemble()

        # formulas are typeset and the window refitted once things settle (debounced)
        self._typeset_soon = qdebounced(self._typeset_numbers, timeout=120, parent=self)
        self._map_resized_soon = qdebounced(self._map_resized, timeout=150, parent=self)
        self.map.getViewBox().sigResized.connect(lambda *_: self._map_resized_soon())

        self.binding.changed.connect(self._edited)
        self.binding.rejected.connect(self.set_status)
        self.point_box.entered.connect(self._point_entered)
        self.box.preset_chosen.connect(self._preset_chosen)
        self.box.error_shown.connect(
            lambda text: self.set_status(f"That function cannot be used: {text}")
        )
        self.map.clicked.connect(self._map_clicked)
        self.map.dragged.connect(lambda x, y, _finished: self._map_clicked(x, y))
        self.critical_panel.chosen.connect(self.set_point)
        self.critical_panel.found.connect(self.map.show_critical)
        self.critical_panel.find_clicked.connect(self.find_critical)
        self.center_button.clicked.connect(self._center_on_point)

        self.set_function(self.box.function)
        self.box.choose_preset(0)

    # -- building ---------------------------------------------------------------
    def _build_settings(self, settings: HessianLesson) -> None:
        self.guide = Guide(lesson.GUIDE)
        self.box = FunctionBox(VARIABLES, settings.function)
        for preset in lesson.PRESETS:
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
        self.point_box = PointBox(VARIABLES, check=self._slice_problem)
        form.addRow(self.point_box)
        self.window_size = QDoubleSpinBox()
        self.window_size.setObjectName("window_size")
        self.window_size.setRange(0.01, 1000.0)
        self.window_size.setDecimals(2)
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

        self.critical_panel = CriticalPanel()
        self.settings_panel = QWidget()
        column = QVBoxLayout(self.settings_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.guide)
        column.addWidget(function_group)
        column.addWidget(point_group)
        column.addWidget(self.critical_panel, 1)

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
        splitter.addWidget(math_pages(self.numbers, self.derivation, "At the point"))
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

    def stage_views(self) -> list[StageView]:
        views = [
            StageView("Map and verdict", [self.map], [self.numbers], [self.map_legend], 0.42),
            StageView(
                "Critical points", [self.map], [self.critical_panel], [self.map_legend], 0.42
            ),
        ]
        views.append(
            StageView("Derivation", [self.map], [self.derivation], [self.map_legend], 0.5)
        )
        if self.surface.view is not None:  # (no OpenGL: the surface is only a note)
            views.insert(1, StageView("Surface", [self.surface], [self.numbers], side_share=0.42))
        return views

    # -- settings -------------------------------------------------------------------
    @property
    def n(self) -> int:
        """How many variables f has (2 or 3)."""
        return self.function_full.n

    @property
    def start(self) -> np.ndarray:
        """The point the walk starts from (the settings' point)."""
        return np.array(self.binding.settings.point, dtype=float)

    @property
    def finder(self):
        """The run engine of the critical-point search."""
        return self.critical_panel.finder

    def _write_function(self, text: str) -> None:
        """Show the function ``text`` in the box (it parses: the settings hold it)."""
        if text != self.box.function.text:
            blocked = self.box.blockSignals(True)  # (a box, not a widget the binding blocks)
            try:
                self.box.set_text(text)
            finally:
                self.box.blockSignals(blocked)

    def _edited(self, settings: HessianLesson, names: frozenset) -> None:
        """A widget changed the settings."""
        if "function" in names:
            self.set_function(self.box.function)
        if "point" in names:
            self.set_point(settings.point)
        if "half" in names:
            self._window_changed()

    def settings_state(self) -> dict:
        return self.binding.settings.to_json()

    def read_settings(self, state: dict):
        try:
            settings = HessianLesson.from_json(state)
            function = lesson.parse(settings)
        except SettingsError as error:
            raise session.SessionError(str(error)) from None
        except ExpressionError as error:
            raise session.SessionError(f"the saved function does not parse: {error}") from None
        settings = settings.replace(function=function.text)

        def apply() -> None:
            self.binding.write(settings)
            self.set_function(function)

        return apply

    # -- the window ---------------------------------------------------------------
    def _window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Centre ± half along the shorter side of the map; the longer side shows more."""
        s = self.binding.settings
        (cx, cy), h, a = s.center, s.half, self._aspect
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
        self.map.set_window(self._window())
        self._refresh_pictures()
        self.find_critical()

    def _center_on_point(self) -> None:
        self.binding.update(center=(float(self.point[0]), float(self.point[1])))
        self._window_changed()

    # -- the function ---------------------------------------------------------------
    def _preset_chosen(self, preset: lesson.Preset) -> None:
        if self.box.function.text != self.function_full.text:
            return  # the preset's function could not be used (cannot happen for ours)
        self.binding.update(center=(0.0, 0.0), half=preset.half)
        self.map.set_window(self._window())
        self.set_point(lesson.preset_point(preset, self.n), find=True)

    def set_function(self, function: Function) -> bool:
        """Use ``function`` (of x, y and maybe z); False if it cannot be shown here."""
        s, old = self.binding.settings, self.function_full
        try:
            full, plane, z = lesson.planes(function, s.point[2] if len(s.point) == 3 else 0.0)
        except ExpressionError as err:
            self.binding.update(function=old.text, variables=old.variables)
            self.box.show_error(f"⚠ {err} — still using {old.text}")
            self.set_status(f"That function cannot be used: {err}")
            return False
        self.engine.stop()
        self.function_full, self.function2, self.z_value = full, plane, z
        start = lesson.start_point(s.point, full.n, z)
        self.binding.update(function=full.text, variables=full.variables, point=start)
        self.point_box.set_dimension(full.n)
        self.box.label.setText(f"f({', '.join(full.variables)}) =")
        self._fit_settings()
        self._update_slice_note()
        self.map.set_function(plane, self._window())
        self.numbers.show_function(full)
        self.set_point(start, find=True)
        return True

    def _update_slice_note(self) -> None:
        self.slice_note.setVisible(self.n == 3)
        self.slice_note.setText(lesson.slice_note(self.z_value))
        self.map.set_title(self.n, self.z_value)
        self.surface.set_axis_names("x", "y", lesson.surface_name(self.n, self.z_value))

    def _slice_problem(self, point: Sequence[float]) -> str:
        """Why a typed point cannot be shown ("" if it can): f(x, y, z) has no slice there."""
        if self.n != 3 or len(point) != 3 or point[2] == self.z_value:
            return ""
        return lesson.slice_problem(self.function_full, point[2])

    def _follow_z(self, z: float) -> bool:
        """Move the slice to z (3 variables); False if f cannot be sliced there."""
        if self.n != 3 or z == self.z_value:
            return True
        problem = lesson.slice_problem(self.function_full, z)
        if problem:
            self.point_box.show_error(problem)
            return False
        self.function2, self.z_value = lesson.slice_at(self.function_full.text, z), z
        self.map.set_function(self.function2)
        self._update_slice_note()
        return True

    # -- the point ------------------------------------------------------------------
    def set_point(self, point: Sequence[float], *, find: bool = False) -> None:
        """Analyse ``point`` (a new start for the Newton walk: the run is reset)."""
        point = tuple(float(v) for v in point)
        if self.n == 3 and not self._follow_z(point[2]):
            return
        self.point_box.show_error("")
        self.binding.update(point=point)
        moved = not self._on_map(point)
        if moved:  # (a typed point far away: the map follows it)
            self.binding.update(center=(point[0], point[1]))
            self.map.set_window(self._window())
        if find or moved:
            self.find_critical()
        self.reset()
        status = lesson.point_status(self.point, self.result, self.problem)
        self.set_status(f"{status} (The map is centred on the point now.)" if moved else status)

    def _on_map(self, point: Sequence[float]) -> bool:
        """Whether (x, y) of ``point`` lies in the map's window."""
        (x0, x1), (y0, y1) = self._window()
        return x0 <= point[0] <= x1 and y0 <= point[1] <= y1

    def _point_entered(self, point: tuple[float, ...]) -> None:
        """Enter on the point already set restarts from it (the binding sees no change)."""
        if point == self.binding.settings.point:
            self.set_point(point)

    def _map_clicked(self, x: float, y: float) -> None:
        point = self.point.copy()
        point[:2] = (x, y)
        self.set_point(point)

    def _show_point(self, point: np.ndarray) -> None:
        """Analyse ``point`` and show it in the pictures (no reset: used by the walk too);
        :meth:`_show_numbers` shows the analysis."""
        if self.n == 3:
            self._follow_z(float(point[2]))
        self.point = np.array(point, dtype=float)
        self.point_box.set_point(self.point)
        self.result, self.problem = lesson.analysis_at(self.function_full, self.point)
        if self.n == 3:
            self.plane, _ = lesson.analysis_at(self.function2, self.point[:2])
        else:
            self.plane = self.result
        self._refresh_pictures()

    def _show_numbers(self) -> None:
        """The analysis of the point: table and verdict now, formulas once things settle."""
        self.numbers.show_analysis(self.point, self.result, self.problem)
        self._typeset_soon()

    def _typeset_numbers(self) -> None:
        if self.engine.running and self.engine.speed == 0:
            self._typeset_soon()  # typesetting takes ~0.1 s: done when the walk pauses
            return
        self.numbers.typeset(self.point, self.result)

    # -- critical points ------------------------------------------------------------
    def find_critical(self) -> None:
        """Search the critical points of f in the map's window, in the background."""
        half = self.binding.settings.half
        bounds = lesson.search_bounds(self._window(), self.n, self.z_value, half)
        self.critical_panel.search(self.function_full, bounds)

    def stop(self) -> None:
        """Stop the Newton walk and any search (closing, or switching to another tab)."""
        super().stop()
        self.critical_panel.allow(False)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.critical_panel.allow(True)

    # -- the pictures ---------------------------------------------------------------
    def _refresh_pictures(self) -> None:
        half = self.binding.settings.half
        self.map.show_point(self.point, self.plane, half, self.n)
        self.map.set_slice_label(lesson.slice_label(self.n, self.z_value, self.result, self.plane))
        self.surface.set_title(lesson.surface_title(self.n, self.z_value, self.result, self.plane))
        plane = self.plane
        if plane is None:
            self.surface.clear()
            return
        value, p = float(plane.value), self.point[:2]
        sx, sy, SX, SY = patch(p, half, 31)
        with np.errstate(all="ignore"):
            z = np.asarray(self.function2.value([SX, SY]), dtype=float)
        gradient = np.asarray(plane.gradient, dtype=float)
        mesh = taylor_values(value, gradient, np.asarray(plane.hessian, dtype=float), p, SX, SY)
        self.surface.show_surface(sx, sy, z, mesh, (p[0], p[1], value))

    # -- the run: a Newton walk from the point ----------------------------------------
    def make_factory(self) -> lesson.Walk | None:
        settings = self.binding.settings
        if self.result is None and np.allclose(self.point, settings.point):
            self.set_status(f"Newton's method cannot start here: {self.problem}")
            return None
        return self.factory_for(settings)

    def factory_for(self, settings: HessianLesson) -> lesson.Walk | None:
        """The walk for recorded ``settings`` (the function in use if it is theirs)."""
        function = self.function_full
        if (function.text, function.variables) != (settings.function, settings.variables):
            try:
                function = lesson.parse(settings)
            except ExpressionError as err:
                self.set_status(f"The recorded function cannot be used: {err}")
                return None
        return lesson.walk_factory(settings, function)

    def settings_from_json(self, data) -> HessianLesson:
        """Recorded settings from a session (SessionError if unusable)."""
        try:
            return HessianLesson.from_json(data)
        except SettingsError as error:
            raise session.SessionError(str(error)) from None

    def rebuild(self, row: np.ndarray, settings: HessianLesson | None = None) -> Step:
        """A Newton step from its history row, laid out for ``settings``' variables."""
        return lesson.rebuild_step(
            row, settings if settings is not None else self.binding.settings
        )

    def history_columns(self) -> list[str]:
        return Step.row_columns(self.function_full.variables)

    def show_record(self, record: Step) -> None:
        target = np.asarray(record.x_next, dtype=float)
        if not np.all(np.isfinite(target)):
            target = np.asarray(record.x, dtype=float)
        self._show_point(target)

    def show_text(self, record: Step) -> None:
        self._show_numbers()  # (of the point show_record analysed: this record's target)

    def show_history(self, history) -> None:
        if len(history) == 0:
            self.map.walk.clear()
            return
        columns = StepColumns(self.n)
        rows = history.rows[-PATH_POINTS:]  # a long walk: its latest points
        pts = rows[:, columns.x]
        last = rows[-1, columns.x_next]
        if np.all(np.isfinite(last)):
            pts = np.vstack([pts, last])
        self.map.walk.set_points(pts[:, 0], pts[:, 1])

    def clear_views(self) -> None:
        self.map.walk.clear()
        self._show_point(self.start)
        self._show_numbers()
        self.derivation.refresh()  # a new point or function (only if on screen)

    def derivations(self) -> list[Derivation]:
        """How H is built, det(H − λI) and the summary table, for the typed function at
        the point shown (the start, or where the walk is)."""
        return hessian_derivations.derivations(
            self.function_full, self.point, self.result, self.problem
        )

    def new_start(self) -> None:
        rng = np.random.default_rng()
        (x0, x1), (y0, y1) = self._window()
        point = self.start
        point[0] = rng.uniform(x0, x1)
        point[1] = rng.uniform(y0, y1)
        self.set_point(point)
