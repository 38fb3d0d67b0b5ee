"""Newton 2-D: Newton's path and gradient descent's on a contour map, with the quadratic model.

Each Newton step minimises the quadratic model
m(p) = f(x_k) + ∇f·(p − x_k) + ½ (p − x_k)ᵀ H (p − x_k); its contours are drawn
around x_k, centred on x_{k+1}. Where H is not positive definite the model has
no minimum and the tab says so; modified Newton uses H + τI instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import Function
from optgui.core.iterates import Step
from optgui.core.race import PATH_POINTS, RaceSettings, RaceStep, RowLayout, race_points
from optgui.gui import style
from optgui.gui.contour import ContourMap, Window, contour_lines, taylor_values
from optgui.gui.function_box import FunctionBox
from optgui.gui.guide import Guide
from optgui.gui.mathpanel import MathPanel
from optgui.gui.mathtext import Formula
from optgui.gui.tables import fmt, parse_number
from optgui.gui.training_tab import LearningRateBox
from optgui.gui.widgets import (
    IteratesTable,
    RaceTab,
    SideScroll,
    ThreeColumns,
    ToleranceBox,
    add_legend,
    html_sub,
    newton_heading,
    number,
    race_end_lines,
    rounded_click,
    summary_label,
)

DEFAULT = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"

GUIDE = (
    "The colours show f(x, y): dark is low. Newton (orange circles) fits a bowl-shaped "
    "quadratic model to f at the current point (dashed purple contours) and jumps straight to "
    "the bottom of that bowl: s = H⁻¹∇f, a 2×2 matrix times a 2×1 vector, in that order. "
    "Gradient descent (blue squares) only follows −∇f, in small steps of size α. Click the map "
    "to start elsewhere, try the presets, or type your own f. Where H is not positive definite "
    "the model has no bottom: Newton may climb or stop at a saddle; tick modified Newton."
)


@dataclass(frozen=True)
class Preset2D:
    label: str
    text: str
    start: tuple[float, float]
    window: Window
    rate: float
    tooltip: str = ""


PRESETS_2D = (
    Preset2D(
        "The slides: x⁴ + 0.8y⁴ + 4x² + 2y² − xy − 0.2x²y from (4, 4)",
        DEFAULT,
        (4.0, 4.0),
        ((-5.0, 5.0), (-5.0, 5.0)),
        0.02,
        "∇f(4, 4) = [277.6, 213.6], H(4, 4) = [[198.4, −2.6], [−2.6, 157.6]]; converged at k = 8",
    ),
    Preset2D(
        "Indefinite Hessian: x⁴ + 0.8y⁴ − xy near (0, 0)",
        "x^4 + 0.8*y^4 - x*y",
        (0.2, 0.1),
        ((-1.5, 1.5), (-1.5, 1.5)),
        0.1,
        "H has a negative eigenvalue at the start: Newton converges to the saddle at (0, 0),"
        " gradient descent rolls into a minimum",
    ),
    Preset2D(
        "A quadratic: Newton needs exactly one step",
        "2*x^2 + 3*y^2 - x*y + x - 2*y",
        (4.0, -3.0),
        ((-5.0, 5.0), (-5.0, 5.0)),
        0.1,
        "The quadratic model is f itself, so its minimum is f's minimum",
    ),
    Preset2D(
        "Rosenbrock's banana valley from (−1.2, 1)",
        "(1 - x)^2 + 100*(y - x^2)^2",
        (-1.2, 1.0),
        ((-2.0, 2.0), (-1.0, 3.0)),
        0.001,
        "Gradient descent crawls along the curved valley; Newton takes a handful of steps",
    ),
    Preset2D(
        "Singular Hessian: x² + y⁴ from (2, 0)",
        "x^2 + y^4",
        (2.0, 0.0),
        ((-3.0, 3.0), (-3.0, 3.0)),
        0.1,
        "H = [[2, 0], [0, 0]] at the start: H·s = ∇f has no unique solution, Newton stops",
    ),
)


# ============================================================== matrices on screen


class Bracket(QWidget):
    """A square bracket as tall as its row of numbers."""

    def __init__(self, left: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.left = left
        self.setFixedWidth(9)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().text().color(), 2))
        h, w = self.height() - 2, self.width() - 2
        x = 2 if self.left else w
        tip = w if self.left else 2
        painter.drawLine(x, 1, x, h)
        painter.drawLine(x, 1, tip, 1)
        painter.drawLine(x, h, tip, h)


class MatrixView(QWidget):
    """A matrix or vector in brackets: entries are numbers (text) or typeset formulas."""

    def __init__(
        self, rows: int, cols: int, *, latex: bool = False, caption: str = "", parent=None
    ):
        super().__init__(parent)
        self.rows, self.cols = rows, cols
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.cells: list[list[QLabel]] = []
        for r in range(rows):
            row = []
            for c in range(cols):
                cell = Formula(points=style.Look.font_pt + 1) if latex else QLabel()
                if not latex:
                    style.relative_font(cell, +1)
                    cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(cell, r, c)
                row.append(cell)
            self.cells.append(row)
        body = QHBoxLayout()
        body.setSpacing(2)
        body.addWidget(Bracket(True))
        body.addLayout(grid)
        body.addWidget(Bracket(False))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addLayout(body)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet(f"color: {style.GREY};")
        layout.addWidget(self.caption)
        self.caption.setVisible(bool(caption))  # (after it has a parent: never as a window)

    def set_values(self, values: np.ndarray | Sequence, digits: int = 5) -> None:
        a = np.asarray(values, dtype=float).reshape(self.rows, self.cols)
        for r in range(self.rows):
            for c in range(self.cols):
                self.cells[r][c].setText(fmt(a[r, c], digits))

    def set_latex(self, entries: Sequence[Sequence[str]]) -> None:
        for r in range(self.rows):
            for c in range(self.cols):
                self.cells[r][c].set_latex(entries[r][c])

    def texts(self) -> list[list[str]]:
        return [[cell.text() for cell in row] for row in self.cells]


def _symbol(text: str) -> QLabel:
    label = QLabel(text)
    style.relative_font(label, +4)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class NewtonEquation(QWidget):
    """x_{k+1} = x_k − H⁻¹ · ∇f with this step's numbers (2×2 times 2×1, in that order)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newton_equation")
        self.x_next = MatrixView(2, 1, caption="xₖ₊₁")
        self.x = MatrixView(2, 1, caption="xₖ")
        self.h = MatrixView(2, 2, caption="H (2×2)")
        self.g = MatrixView(2, 1, caption="∇f (2×1)")
        self.s = MatrixView(2, 1, caption="s = H⁻¹∇f")
        inv = QLabel("<sup style='font-size:large'>−1</sup>")
        inv.setAlignment(Qt.AlignmentFlag.AlignTop)
        row1 = QHBoxLayout()
        row1.setSpacing(6)
        for w in (
            self.x_next,
            _symbol("="),
            self.x,
            _symbol("−"),
            self.h,
            inv,
            _symbol("·"),
            self.g,
        ):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.setSpacing(6)
        self.solve = QLabel()
        self.solve.setWordWrap(True)
        row2.addWidget(self.s)
        row2.addWidget(self.solve, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.note = QLabel(
            "The order matters: H⁻¹ (2×2) times ∇f (2×1) gives a 2×1 step; "
            "∇f·H⁻¹ would be 1×2 · 2×2."
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def show_step(self, step: Step) -> None:
        assert step.hessian is not None
        self.x_next.set_values(step.x_next)
        self.x.set_values(step.x)
        h = step.hessian + step.damping * np.eye(2)
        self.h.set_values(h)
        self.h.caption.setText("H + τI (2×2)" if step.damping else "H (2×2)")
        self.g.set_values(step.gradient)
        self.s.set_values(step.s)
        system = "(H + τI)·s = ∇f" if step.damping else "H·s = ∇f"
        self.solve.setText(
            f"the step s, found by solving {system} (H⁻¹ is never formed); then xₖ₊₁ = xₖ − s."
        )
        self.setVisible(True)


# ============================================================== the tab


class Newton2DTab(RaceTab):
    """Contour map with both paths and the quadratic model; table and math beside."""

    title = "Newton 2-D"
    default_speed = 2
    default_limit = 300

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.x0: tuple[float, float] = (4.0, 4.0)

        panel = QWidget()
        column = QVBoxLayout(panel)
        self.guide = Guide(GUIDE)
        column.addWidget(self.guide)

        # function -----------------------------------------------------------------
        fbox = QGroupBox("Function")
        flay = QVBoxLayout(fbox)
        self.function_box = FunctionBox(("x", "y"), DEFAULT, name="f")
        for p in PRESETS_2D:
            self.function_box.add_preset(p.label, p.text, p, p.tooltip)
        flay.addWidget(self.function_box)
        derivs = QWidget()
        dlay = QVBoxLayout(derivs)
        dlay.setContentsMargins(2, 2, 2, 2)
        self.gradient_view = MatrixView(2, 1, latex=True)
        self.hessian_view = MatrixView(2, 2, latex=True)
        for name, view in (("∇f =", self.gradient_view), ("H =", self.hessian_view)):
            row = QHBoxLayout()
            row.addWidget(_symbol(name))
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
        srow = QHBoxLayout(sbox)
        self.start_x = QLineEdit("4")
        self.start_x.setObjectName("x0")
        self.start_y = QLineEdit("4")
        self.start_y.setObjectName("y0")
        for edit, name in ((self.start_x, "x₀"), (self.start_y, "y₀")):
            edit.setToolTip(f"Starting {name} of both methods; Enter applies. Or click the map.")
            srow.addWidget(QLabel(name))
            srow.addWidget(edit, 1)
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
        self.tau.setValue(2.0)
        self.tau.setSingleStep(0.5)
        self.tau.setKeyboardTracking(False)
        self.tau.setToolTip("τ added to the diagonal of H (applies from the next step)")
        mform.addRow(self.modified)
        mform.addRow("τ (modified Newton)", self.tau)
        self.rate = LearningRateBox(0.02)
        self.rate.setToolTip("Learning rate α of gradient descent: x_{k+1} = x_k − α·∇f(x_k)")
        mform.addRow("Gradient descent α", self.rate)
        self.tolerance = ToleranceBox("∇f")
        mform.addRow("Converged when", self.tolerance)
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
        legend = add_legend(self.map, (10, 10), alpha=220)
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
        self.table = IteratesTable(
            ["k", "(xₖ, yₖ)", "∇f (2×1)", "H (2×2)", "s = H⁻¹∇f", "GD (xₖ, yₖ)"],
            [
                "step number k",
                "Newton's point (x_k, y_k), one coordinate per line",
                "the gradient at (x_k, y_k)",
                "the Hessian at (x_k, y_k)",
                "Newton's step, solved from H·s = ∇f; the next point is (x_k, y_k) − s",
                "gradient descent's point at step k (same start)",
            ],
        )
        self.table.fit_contents = True
        self.table.set_compact(True)
        height = self.table.fontMetrics().height()
        self.table.verticalHeader().setDefaultSectionSize(2 * height + 10)
        self.math = MathPanel()
        self.math.set_formulas(
            [
                r"\mathbf{x}_{k+1} = \mathbf{x}_k - H^{-1}(\mathbf{x}_k)\;\nabla f(\mathbf{x}_k)",
                r"\mathrm{gradient\ descent:}\;\;\mathbf{x}_{k+1} = \mathbf{x}_k"
                r" - \alpha\,\nabla f(\mathbf{x}_k)",
            ]
        )
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
            panel, views, self.table, self.math, side_share=0.52, narrow_side=290
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.controls)

        # wiring ------------------------------------------------------------------------
        self.function_box.function_changed.connect(self._function_changed)
        self.function_box.preset_chosen.connect(self._preset_chosen)
        self.start_x.editingFinished.connect(self._start_typed)
        self.start_y.editingFinished.connect(self._start_typed)
        self.map.clicked.connect(self._clicked)
        self.rate.valueChanged.connect(lambda _: self.settings_changed())
        self.tolerance.currentIndexChanged.connect(lambda _: self.settings_changed())
        self.modified.toggled.connect(lambda _: self._damping_changed())
        self.tau.valueChanged.connect(lambda _: self._damping_changed())

        self.map.set_function(self.function, ((-5.0, 5.0), (-5.0, 5.0)))
        self._show_derivatives()
        self.reset()

    # -- function, start, settings -------------------------------------------------
    @property
    def damping(self) -> float:
        return float(self.tau.value()) if self.modified.isChecked() else 0.0

    def _show_derivatives(self) -> None:
        f = self.function
        self.gradient_view.set_latex([[g] for g in f.gradient_latex])
        self.hessian_view.set_latex(f.hessian_latex)
        self.derivatives.updateGeometry()

    def _function_changed(self, function: Function) -> None:
        self.stop()
        self.map.set_function(function)
        self._show_derivatives()
        self.reset()
        self.set_status(
            self.start_problem() or f"Using f(x, y) = {function.text}. Press Space to play."
        )

    def _preset_chosen(self, preset: Preset2D) -> None:
        self.stop()
        self.rate.blockSignals(True)
        self.rate.setValue(preset.rate)
        self.rate.blockSignals(False)
        self.map.set_function(self.function, preset.window)
        self._set_start_text(preset.start)
        self.x0 = preset.start
        self.reset()
        self.set_status(f"Preset: {preset.label}. Press Space to play, → for one step.")

    def _set_start_text(self, point: tuple[float, float]) -> None:
        self.start_x.setText(f"{point[0]:g}")
        self.start_y.setText(f"{point[1]:g}")

    @staticmethod
    def _point_text(point: Sequence[float]) -> str:
        return "(" + ", ".join(f"{v:g}" for v in point) + ")"

    def _start_typed(self) -> None:
        try:
            point = (parse_number(self.start_x.text()), parse_number(self.start_y.text()))
        except ValueError:
            self.set_status(
                f"The start must be two numbers: it stays {self._point_text(self.x0)}."
            )
            self._set_start_text(self.x0)
            return
        if point != self.x0:
            self.set_start(point)

    # -- sessions -------------------------------------------------------------------
    def settings_state(self) -> dict:
        (xa, xb), (ya, yb) = self.map.window
        return {
            **self.race_settings_state(),
            "start": [float(v) for v in self.x0],
            "window": [xa, xb, ya, yb],
            "modified": self.modified.isChecked(),
            "tau": float(self.tau.value()),
        }

    def read_settings(self, state: dict):
        from optgui.gui import session

        function, rate, tol = self.read_race_settings(state)
        start = session.number_list(state, "start", 2)
        xa, xb, ya, yb = session.number_list(state, "window", 4)
        modified = session.get(state, "modified", bool, False)
        tau = session.get(state, "tau", float, float(self.tau.value()))
        if not (xa < xb and ya < yb and 0 <= tau <= 1000):
            raise session.SessionError("a saved Newton 2-D setting is out of range")
        if function.domain_problem(start):
            raise session.SessionError("the saved start is outside the function's domain")

        def apply() -> None:
            self.function_box.set_text(function.text)
            self.rate.setValue(rate)
            self.tolerance.setCurrentIndex(tol)
            self.tau.setValue(tau)
            self.modified.setChecked(modified)
            self.map.set_window(((xa, xb), (ya, yb)))
            self.set_start((start[0], start[1]))

        return apply

    def set_start(self, point: tuple[float, float]) -> None:
        """Start both methods from ``point`` (the run restarts)."""
        problem = self.function.domain_problem(point)
        if problem:
            self.set_status(
                f"f is not defined at {self._point_text(point)} ({problem}): choose another start."
            )
            self._set_start_text(self.x0)
            return
        self.stop()
        self.x0 = (float(point[0]), float(point[1]))
        self._set_start_text(self.x0)
        (xa, xb), (ya, yb) = self.map.window
        if not (xa <= point[0] <= xb and ya <= point[1] <= yb):
            half = 1.2 * max(abs(point[0]), abs(point[1]), xb - xa, yb - ya)
            self.map.set_window(((-half, half), (-half, half)))
        self.reset()
        self.set_status(f"Both methods start at {self._point_text(self.x0)}. Press Space to play.")

    def _clicked(self, x: float, y: float) -> None:
        (xa, xb), (ya, yb) = self.map.window
        self.set_start((rounded_click(x, xb - xa), rounded_click(y, yb - ya)))

    def new_start(self) -> None:
        """A random start inside the map (and the domain of f)."""
        (xa, xb), (ya, yb) = self.map.window
        rng = np.random.default_rng()
        for _ in range(50):
            point = (
                rounded_click(float(rng.uniform(xa, xb)), xb - xa),
                rounded_click(float(rng.uniform(ya, yb)), yb - ya),
            )
            if self.function.domain_problem(point) is None:
                self.set_start(point)
                return
        self.set_status("No start inside the domain of f was found on the map.")

    def _damping_changed(self) -> None:
        self.settings_changed()
        if self.engine.running or len(self.history):
            word = f"H + {self.damping:g}·I" if self.damping else "H"
            self.set_status(f"Newton uses {word} from the next step.")
        else:
            self.clear_views()

    # -- the run ----------------------------------------------------------------------
    def settings(self) -> RaceSettings:
        return RaceSettings(
            function=self.function,
            x0=self.x0,
            learning_rate=self.rate_value,
            tol=self.tolerance.value,
            damping=self.damping,
        )

    def start_text(self) -> str:
        return self._point_text(self.x0)

    # -- views --------------------------------------------------------------------------
    def clear_views(self) -> None:
        self.table.reset()
        self.draw(self.preview(), upto=-1, preview=True)
        self.summary.setText(
            f"Both start at {self._point_text(self.x0)}. Newton uses H; gradient descent uses "
            f"α = {self.rate.value():g}. Press Space to race them."
        )

    def newton_cells(self, row: np.ndarray, layout: RowLayout) -> list[str]:
        newton = layout.newton
        x, g = row[newton.x], row[newton.gradient]
        h, s = row[newton.hessian], row[newton.s]
        return [
            f"{number(x[0])}\n{number(x[1])}",
            f"{fmt(g[0], 5)}\n{fmt(g[1], 5)}",
            f"{fmt(h[0], 5)}, {fmt(h[1], 5)}\n{fmt(h[2], 5)}, {fmt(h[3], 5)}",
            f"{fmt(s[0], 5)}\n{fmt(s[1], 5)}",
        ]

    def descent_cell(self, row: np.ndarray, layout: RowLayout) -> str:
        d = row[layout.descent.x]
        return f"{number(d[0], 6)}\n{number(d[1], 6)}"

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
        newton_pts, descent_pts = self._paths(record, upto)
        self.newton_path.set_points(newton_pts[:, 0], newton_pts[:, 1])
        self.descent_path.set_points(descent_pts[:, 0], descent_pts[:, 1])
        step = record.newton if record is not None else None
        if step is not None and record is not None and (record.newton_here or preview):
            self._draw_model(step)
            self._warn(step)
            if self.detail or preview:
                self.equation.show_step(step)
        else:
            self.model_lines.setData([], [])
            self.model_centre.setData([], [])
            self.warning.setVisible(False)
            self.equation.setVisible(False)
        if self.detail or preview:
            self._math(record, preview)

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

    def _warn(self, step: Step) -> None:
        lam = step.eigenvalues
        if lam is None or np.all(lam > 0):
            self.warning.setVisible(False)
            return
        where = f"({fmt(step.x[0], 4)}, {fmt(step.x[1], 4)})"
        eig = " and ".join(fmt(v, 3) for v in lam)
        text = (
            f"⚠ H is not positive definite at {where} (eigenvalues {eig}). The quadratic model "
            "has no bottom: the Newton step may go uphill or head for a saddle."
        )
        if step.damping:
            shifted = " and ".join(fmt(v + step.damping, 3) for v in lam)
            text += f" Modified Newton uses H + {step.damping:g}·I (eigenvalues {shifted})."
        else:
            text += " Tick “modified Newton: H + τI” to compare."
        self.warning.setText(text)
        self.warning.setVisible(True)

    def _math(self, record: RaceStep | None, preview: bool) -> None:
        if record is None:
            self.math.set_lines(["Choose a start inside the domain of f."])
            return
        lines: list[str] = []
        step = record.newton
        newton_end, descent_end = race_end_lines(record, preview)
        if step is not None and (record.newton_here or preview):
            lines.append(newton_heading(step.k, preview))
            lines.append(
                f"f({fmt(step.x[0], 6)}, {fmt(step.x[1], 6)}) = {fmt(step.value, 8)},"
                f" |∇f| = {fmt(step.gradient_norm, 4)}"
            )
        lines += newton_end
        d = record.descent
        if d is not None and record.descent_here:
            rate = float(self.rate.value())
            lines.append(
                f"<b style='color:{style.BLUE}'>Gradient descent, step {d.k}</b>: "
                f"{html_sub('x', d.k + 1)} = ({fmt(d.x[0], 6)}, {fmt(d.x[1], 6)}) − {rate:g} × "
                f"({fmt(d.gradient[0], 5)}, {fmt(d.gradient[1], 5)}) = "
                f"<b>({fmt(d.x_next[0], 6)}, {fmt(d.x_next[1], 6)})</b>"
            )
        lines += descent_end
        self.math.set_lines(lines)
