"""Newton 2-D as plain data: its settings, its factory and everything it says.

x_{k+1} = x_k − H⁻¹(x_k) · ∇f(x_k): a 2×2 matrix times a 2×1 vector, in that
order, solved as H·s = ∇f (modified Newton: (H + τI)·s = ∇f). The texts give
each step's numbers, the warning where H is not positive definite, the
iterates table's cells and the presets (curriculum §5)::

    settings = Newton2DSettings()                 # the slides' f from (4, 4)
    first = list(factory(settings)(None))[0]
    equation(first.newton).h                      # [['198.4', '−2.6'], ['−2.6', '157.6']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from optgui.core.expr import Function
from optgui.core.format import fmt
from optgui.core.iterates import Step
from optgui.core.race import RaceStep, RowLayout
from optgui.core.stepping import Outcome
from optgui.lessons import captions, race
from optgui.lessons import race_verdicts as verdicts
from optgui.lessons.race import (
    RATE_HIGH,
    RATE_LOW,
    TOLERANCES,
    RaceFactory,
    RaceLesson,
    descent_heading,
    html_sub,
    newton_heading,
    race_caption,
    race_end_lines,
)
from optgui.lessons.race_table import Digits, RaceTable, ladder
from optgui.lessons.rate_bound import local_lines
from optgui.lessons.settings import SettingsError, spec

DEFAULT = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"

#: How far from (0, 0) a start or the map's window may reach.
LIMIT = 1e6

Window = tuple[tuple[float, float], tuple[float, float]]

GUIDE = (
    "The colours show f(x, y): dark is low. Newton (orange circles) fits a bowl-shaped "
    "quadratic model to f at the current point (dashed purple contours) and jumps straight to "
    "the bottom of that bowl: s = H⁻¹∇f, a 2×2 matrix times a 2×1 vector, in that order. "
    "Gradient descent (blue squares) only follows −∇f, in small steps of size α. Click the map "
    "to start elsewhere, try the presets, or type your own f. Where H is not positive definite "
    "the model has no bottom: Newton may climb or stop at a saddle; tick modified Newton."
)

COLUMNS = ["k", "(xₖ, yₖ)", "∇f (2×1)", "H (2×2)", "s = H⁻¹∇f", "GD (xₖ, yₖ)"]
COLUMN_TIPS = [
    "step number k",
    "Newton's point (x_k, y_k), one coordinate per line",
    "the gradient at (x_k, y_k)",
    "the Hessian at (x_k, y_k)",
    "Newton's step, solved from H·s = ∇f; the next point is (x_k, y_k) − s",
    "gradient descent's point at step k (same start)",
]

#: The math panel's formulas (LaTeX).
FORMULAS = [
    r"\mathbf{x}_{k+1} = \mathbf{x}_k - H^{-1}(\mathbf{x}_k)\;\nabla f(\mathbf{x}_k)",
    r"\mathrm{gradient\ descent:}\;\;\mathbf{x}_{k+1} = \mathbf{x}_k"
    r" - \alpha\,\nabla f(\mathbf{x}_k)",
]

#: The slides' second step (curriculum, Errata): their printed x₁, the point they computed
#: that step from, and the ∇f and H they print for it.
SLIDES_X1 = (2.58, 2.62)
SLIDES_FROM = (2.58, 2.61)
SLIDES_GRADIENT = ("84.25", "63.4")
SLIDES_HESSIAN = (("86.83", "−2.032"), ("−2.032", "69.39"))
#: The exact x₁ of the slides' run (curriculum §5).
EXACT_X1 = (2.58273866, 2.62128884)

ORDER_NOTE = (
    "The order matters: H⁻¹ (2×2) times ∇f (2×1) gives a 2×1 step; ∇f·H⁻¹ would be 1×2 · 2×2."
)


@dataclass(frozen=True)
class Newton2DSettings(RaceLesson):
    """What a student sets in the Newton 2-D tab (and the map's window)."""

    variables: ClassVar[tuple[str, ...]] = ("x", "y")
    function_name: ClassVar[str] = "f"
    gradient_name: ClassVar[str] = "∇f"

    function: str = spec(DEFAULT, label="f(x, y)")
    start: tuple[float, float] = spec((4.0, 4.0), label="start (x₀, y₀)")
    learning_rate: float = spec(0.02, low=RATE_LOW, high=RATE_HIGH, label="learning rate α")
    tolerance: float = spec(1e-12, choices=TOLERANCES, label="tolerance")
    modified: bool = spec(False, label="modified Newton")
    tau: float = spec(2.0, low=0.0, high=1000.0, label="τ")
    window: tuple[float, float, float, float] = spec((-5.0, 5.0, -5.0, 5.0), label="map's window")

    def validate(self) -> None:
        super().validate()
        if any(abs(v) > LIMIT for v in (*self.start, *self.window)):
            raise SettingsError(f"the start and the map should lie within ±{LIMIT:g}")
        xa, xb, ya, yb = self.window
        if not (xa < xb and ya < yb):
            raise SettingsError("the map's window should have its right and top ends larger")

    @property
    def point(self) -> tuple[float, ...]:
        return self.start

    @property
    def damping(self) -> float:
        return self.tau if self.modified else 0.0

    @property
    def map_window(self) -> Window:
        """The window as ((x_min, x_max), (y_min, y_max))."""
        xa, xb, ya, yb = self.window
        return ((xa, xb), (ya, yb))


@dataclass(frozen=True)
class Preset2D:
    """An example from the presets list."""

    label: str
    text: str
    start: tuple[float, float]
    window: Window
    rate: float
    tooltip: str = ""

    def apply(self, settings: Newton2DSettings) -> Newton2DSettings:
        """``settings`` with this example's function, start, window and α."""
        (xa, xb), (ya, yb) = self.window
        return settings.replace(
            function=self.text, start=self.start, window=(xa, xb, ya, yb), learning_rate=self.rate
        )


PRESETS = (
    Preset2D(
        "The slides: x⁴ + 0.8y⁴ + 4x² + 2y² − xy − 0.2x²y from (4, 4)",
        DEFAULT,
        (4.0, 4.0),
        ((-5.0, 5.0), (-5.0, 5.0)),
        0.02,
        "∇f(4, 4) = [277.6, 213.6], H(4, 4) = [[198.4, −2.6], [−2.6, 157.6]]; converged at k = 8"
        " (at step 1 a note says where the slides rounded)",
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


# ============================================================== the run


def factory(settings: Newton2DSettings, function: Function | None = None) -> RaceFactory:
    """The engine's factory for ``settings`` (``function``: its function, already parsed)."""
    return RaceFactory(settings, function)


def window_around(
    point: Sequence[float], window: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The map's window, or a larger square around (0, 0) if ``point`` lies outside it."""
    xa, xb, ya, yb = window
    if xa <= point[0] <= xb and ya <= point[1] <= yb:
        return window
    half = min(LIMIT, 1.2 * max(abs(point[0]), abs(point[1]), xb - xa, yb - ya))
    return (-half, half, -half, half)


# ============================================================== texts


def derivatives_latex(function: Function) -> tuple[list[list[str]], list[list[str]]]:
    """∇f (2×1) and H (2×2) typeset entry by entry (LaTeX)."""
    return [[g] for g in function.gradient_latex], [list(r) for r in function.hessian_latex]


#: The table's digits where they fit: the point to 8, ∇f, H and s to 5, gradient descent to 6.
DIGITS = Digits(8, 5, 6)


def newton_cells(row: np.ndarray, layout: RowLayout, digits: Digits = DIGITS) -> list[str]:
    """The table's cells of Newton's step in a history row: point, ∇f, H, s (a line per row)."""
    newton = layout.newton
    x, g = row[newton.x], row[newton.gradient]
    h, s = row[newton.hessian], row[newton.s]
    dx, d = digits.x, digits.other
    return [
        f"{fmt(x[0], dx)}\n{fmt(x[1], dx)}",
        f"{fmt(g[0], d)}\n{fmt(g[1], d)}",
        f"{fmt(h[0], d)}, {fmt(h[1], d)}\n{fmt(h[2], d)}, {fmt(h[3], d)}",
        f"{fmt(s[0], d)}\n{fmt(s[1], d)}",
    ]


def descent_cell(row: np.ndarray, layout: RowLayout, digits: Digits = DIGITS) -> str:
    """The table's cell of gradient descent's point in a history row."""
    d = row[layout.descent.x]
    return f"{fmt(d[0], digits.descent)}\n{fmt(d[1], digits.descent)}"


#: The iterates table: as many digits as fit, down to the slides' 3.
TABLE = RaceTable(
    COLUMNS,
    COLUMN_TIPS,
    2,
    newton_cells,
    descent_cell,
    ladder((8, 5, 6), (6, 4, 5), (5, 4, 4), (4, 3, 4), (3, 3, 3)),
    # narrow: without s (the math panel's equation has it), gradient descent (the map), H
    optional=(4, 5, 3),
)


def matrix_texts(values: np.ndarray | Sequence, rows: int, cols: int) -> list[list[str]]:
    """A matrix's entries as the equation shows them (5 significant digits)."""
    a = np.asarray(values, dtype=float).reshape(rows, cols)
    return [[fmt(a[r, c], 5) for c in range(cols)] for r in range(rows)]


@dataclass(frozen=True)
class Equation:
    """x_{k+1} = x_k − (H + τI)⁻¹ · ∇f with one step's numbers: 2×1, 2×1, 2×2, 2×1 and s."""

    x_next: list[list[str]]
    x: list[list[str]]
    h: list[list[str]]
    g: list[list[str]]
    s: list[list[str]]
    h_caption: str
    solve: str


def equation(step: Step) -> Equation:
    """Newton's update at ``step`` as matrices of numbers, with how s is found."""
    assert step.hessian is not None
    h = step.hessian + step.damping * np.eye(2)
    if step.damping:
        caption = "H + τI (2×2)"
        system = f"(H + τI)·s = ∇f with τ = {step.damping:g}"
    else:
        caption, system = "H (2×2)", "H·s = ∇f"
    return Equation(
        x_next=matrix_texts(step.x_next, 2, 1),
        x=matrix_texts(step.x, 2, 1),
        h=matrix_texts(h, 2, 2),
        g=matrix_texts(step.gradient, 2, 1),
        s=matrix_texts(step.s, 2, 1),
        h_caption=caption,
        solve=f"the step s, found by solving {system} (H⁻¹ is never formed); then xₖ₊₁ = xₖ − s.",
    )


def hessian_warning(step: Step) -> str | None:
    """The warning where H is not positive definite at x_k (None where it is)."""
    lam = step.eigenvalues
    if lam is None or np.all(lam > 0):
        return None
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
    return text


def _vector(values: Sequence[str]) -> str:
    return "[" + ", ".join(values) + "]"


def slides_note(
    settings: Newton2DSettings,
    k: int,
    x: Sequence[float],
    gradient: Sequence[float],
    hessian: np.ndarray,
    x_next: Sequence[float] | None,
) -> str | None:
    """The slides' second step (k = 1) used rounded points: their ∇f and H against the exact
    ones the app shows (the slides' run only; None elsewhere)."""
    slides = settings.function == DEFAULT and tuple(settings.start) == (4.0, 4.0)
    if not slides or settings.modified or k != 1:
        return None
    if not np.allclose(x, EXACT_X1, atol=1e-3):
        return None
    h = np.asarray(hessian, dtype=float).reshape(2, 2)
    slides_h = _vector([_vector(row) for row in SLIDES_HESSIAN])
    exact_h = _vector([_vector([fmt(v, 5) for v in row]) for row in h])
    point = "(" + ", ".join(f"{v:.2f}" for v in SLIDES_FROM) + ")"
    printed = "(" + ", ".join(f"{v:.2f}" for v in SLIDES_X1) + ")"
    text = (
        f"Note: the slides print x₁ = {printed} but compute this step from {point}: their "
        f"∇f = {_vector(SLIDES_GRADIENT)} and H = {slides_h} come from rounded points. At the "
        f"exact x₁ = ({fmt(x[0], 8)}, {fmt(x[1], 8)}), which the app uses, they are ∇f = "
        f"{_vector([fmt(v, 6) for v in gradient])} and H = {exact_h}"
    )
    if x_next is not None:
        text += f"; x₂ = ({fmt(x_next[0], 4)}, {fmt(x_next[1], 4)}) is unaffected"
    return text + "."


def erratum(step: Step, settings: Newton2DSettings) -> str | None:
    """The math panel's note where the slides' numbers differ (see :func:`slides_note`)."""
    assert step.hessian is not None
    note = slides_note(settings, step.k, step.x, step.gradient, step.hessian, step.x_next)
    return None if note is None else f"<i>{note}</i>"


def descent_update(step: Step) -> str:
    """Gradient descent's step k with its numbers and the α it ran with, in one line."""
    x, g, x_next = step.x, step.gradient, step.x_next
    return (
        f"{descent_heading(step.k)}: "
        f"{html_sub('x', step.k + 1)} = ({fmt(x[0], 6)}, {fmt(x[1], 6)}) − "
        f"{step.learning_rate:g} × ({fmt(g[0], 5)}, {fmt(g[1], 5)}) = "
        f"<b>({fmt(x_next[0], 6)}, {fmt(x_next[1], 6)})</b>"
    )


def local_bound(step: Step, record: RaceStep, settings: Newton2DSettings) -> list[str]:
    """Gradient descent's bound 2/λ_max from H at Newton's x_k, with the α gradient
    descent runs with (see :func:`optgui.lessons.rate_bound.local_lines`)."""
    assert step.hessian is not None
    d = record.descent
    rate = d.learning_rate if d is not None and d.learning_rate else settings.learning_rate
    return local_lines(step.hessian, rate, step.damping)


def math_lines(
    record: RaceStep | None,
    settings: Newton2DSettings,
    preview: bool = False,
    function: Function | None = None,
) -> list[str]:
    """The math panel's lines for ``record`` (Newton's step about to be taken if ``preview``);
    the update itself is :func:`equation`. A method that has ended says what it found
    (``function``: the settings' f, parsed)."""
    if record is None:
        return ["Choose a start inside the domain of f."]
    lines: list[str] = []
    step = record.newton
    newton_end, descent_end = race_end_lines(record, preview, settings, function)
    if step is not None and (record.newton_here or preview):
        lines.append(newton_heading(step.k, preview, step.damping))
        lines.append(
            f"f({fmt(step.x[0], 6)}, {fmt(step.x[1], 6)}) = {fmt(step.value, 8)},"
            f" |∇f| = {fmt(step.gradient_norm, 4)}"
        )
        note = erratum(step, settings)
        if note:
            lines.append(note)
        if step.hessian is not None:
            lines += local_bound(step, record, settings)
    lines += newton_end
    d = record.descent
    if d is not None and record.descent_here:
        lines.append(descent_update(d))
    lines += descent_end
    return lines


def warning(
    record: RaceStep | None,
    settings: Newton2DSettings,
    preview: bool = False,
    function: Function | None = None,
) -> str | None:
    """The ⚠ box under the map: once Newton has ended anywhere but at a minimum, what it
    found and what to try; before that, where H is not positive definite at the step shown."""
    if record is None:
        return None
    what = verdicts.found(record, "newton", settings, function)
    if what is not None:
        text = verdicts.end_warning(what)
        if text is not None:
            return text
    step = record.newton
    if step is not None and (record.newton_here or preview):
        return hessian_warning(step)
    return None


def legend_name(settings: Newton2DSettings) -> str:
    """The map legend's name of Newton's path: 'Newton' or 'modified Newton (τ = 2)'."""
    return verdicts.newton_name(settings.damping)


def newton_matrix(settings: Newton2DSettings) -> str:
    """What Newton solves with: "H", or "H + 2·I" for modified Newton."""
    return f"H + {settings.damping:g}·I" if settings.damping else "H"


def start_summary(settings: Newton2DSettings) -> str:
    """The summary line before any step."""
    return race.start_summary(settings, newton_matrix(settings))


def damping_status(settings: Newton2DSettings) -> str:
    """The status line after modified Newton or τ changed mid-run."""
    name = verdicts.newton_name(settings.damping)
    system = f"({newton_matrix(settings)})·s" if settings.damping else "H·s"
    return f"From the next step on, {name} solves {system} = ∇f."


def function_status(settings: Newton2DSettings) -> str:
    return f"Using f(x, y) = {settings.function}. Press Space to play."


def next_caption(
    settings: Newton2DSettings, record: RaceStep | None, outcome: Outcome | None = None
) -> str:
    """What the next step does, for the presenter's caption (see :mod:`.captions`)."""
    alpha = captions.rate(settings.learning_rate)
    matrix = newton_matrix(settings)
    system = f"({matrix})·s = ∇f" if settings.damping else "H·s = ∇f"

    def newton(k: str, x: tuple[float, ...]) -> str:
        return (
            f"Newton jumps from {captions.point(x)} to the flat point of its quadratic model "
            f"(solves {system}, moves by −s)"
        )

    def descent(k: str, x: tuple[float, ...]) -> str:
        return f"gradient descent steps α·∇f downhill from {captions.point(x)} ({alpha})"

    return race_caption(
        settings, record, outcome, newton, descent, "H is singular, H·s = ∇f has no single answer"
    )
