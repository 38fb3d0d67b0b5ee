"""Newton 1-D as plain data: its settings, its factory and everything it says.

x_{k+1} = x_k − g′(x_k)/g″(x_k), with the numbers of each step, the sign of g″
in words, the iterates table's cells and the presets (curriculum §4)::

    settings = Newton1DSettings()                 # the slides: g = eˣ − ln x from 0.05
    records = list(factory(settings)(None))
    math_lines(records[4], settings)              # … = 0.47729765 − (…) / (…) = 0.55784977
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from optgui.core.expr import Function
from optgui.core.format import fmt
from optgui.core.iterates import Step
from optgui.core.race import RaceStep, RowLayout
from optgui.core.stepping import Outcome
from optgui.lessons import captions, race
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
from optgui.lessons.settings import SettingsError, spec

DEFAULT = "exp(x) - log(x)"

#: The x range's limits (the range boxes').
X_LIMIT = 1e4

GUIDE = (
    "Newton's method looks for a point where the slope g′ is zero. At the current guess "
    "xₖ it draws the tangent of g′ (middle plot) and jumps to where that line crosses zero: "
    "that is xₖ₊₁ = xₖ − g′(xₖ)/g″(xₖ). Near the answer the number of correct digits doubles each "
    "step. Gradient descent (blue squares) starts at the same point and only walks downhill "
    "by α·g′. Try the presets, click a plot to start elsewhere, or type your own g(x): from "
    "some starts Newton happily finds a maximum, because it only knows g′ = 0."
)

ERRATUM = (
    "Note: the slide writes 0.447 − … for this step; the previous iterate is 0.477, and the "
    "slide's result 0.558 is right for 0.477."
)

#: The slides' x₂ as printed: their x₃ = 0.320 is the step from it (curriculum, Errata).
SLIDES_X2 = 0.183
#: The slides' x₃ as printed.
SLIDES_X3 = 0.320

COLUMNS = ["k", "xₖ", "g′(xₖ)", "g″(xₖ)", "xₖ₊₁", "GD xₖ"]
COLUMN_TIPS = [
    "step number k",
    "Newton's iterate x_k",
    "slope g′ at x_k",
    "second derivative g″ at x_k",
    "Newton's next iterate x_k − g′/g″",
    "gradient descent's iterate x_k (same start)",
]

#: The math panel's formulas (LaTeX).
FORMULAS = [
    r"\mathrm{Newton:}\quad x_{k+1} = x_k - \frac{g'(x_k)}{g''(x_k)}",
    r"\mathrm{gradient\ descent:}\quad x_{k+1} = x_k - \alpha\, g'(x_k)",
]


@dataclass(frozen=True)
class Newton1DSettings(RaceLesson):
    """What a student sets in the Newton 1-D tab."""

    variables: ClassVar[tuple[str, ...]] = ("x",)
    function_name: ClassVar[str] = "g"
    gradient_name: ClassVar[str] = "g′"

    function: str = spec(DEFAULT, label="g(x)")
    x0: float = spec(0.05, low=-X_LIMIT, high=X_LIMIT, label="start x₀")
    learning_rate: float = spec(0.1, low=RATE_LOW, high=RATE_HIGH, label="learning rate α")
    tolerance: float = spec(1e-12, choices=TOLERANCES, label="tolerance")
    x_min: float = spec(0.0, low=-X_LIMIT, high=X_LIMIT, label="left end of the x range")
    x_max: float = spec(2.2, low=-X_LIMIT, high=X_LIMIT, label="right end of the x range")

    def validate(self) -> None:
        super().validate()
        if self.x_max <= self.x_min:
            raise SettingsError("the right end of the x range must be larger than the left end")

    @property
    def point(self) -> tuple[float, ...]:
        return (self.x0,)

    @property
    def window(self) -> tuple[float, float]:
        """The plotted x range."""
        return (self.x_min, self.x_max)

    def start_text(self) -> str:
        return f"x₀ = {race.number_text(self.x0)}"

    @property
    def slides(self) -> bool:
        """The slides' run: g = eˣ − ln x from x₀ = 0.05."""
        return self.function == DEFAULT and self.x0 == 0.05

    @classmethod
    def migrate(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Files saved before settings were data keep the x range as "window": [lo, hi]."""
        window = data.pop("window", None)
        if window is not None:
            if not isinstance(window, list) or len(window) != 2:
                raise SettingsError("the x range should hold 2 numbers")
            data.setdefault("x_min", window[0])
            data.setdefault("x_max", window[1])
        return data


@dataclass(frozen=True)
class Preset1D:
    """An example from the presets list."""

    label: str
    text: str
    x0: float
    window: tuple[float, float]
    rate: float = 0.1
    tooltip: str = ""

    def apply(self, settings: Newton1DSettings) -> Newton1DSettings:
        """``settings`` with this example's function, start, x range and α."""
        return settings.replace(
            function=self.text,
            x0=self.x0,
            learning_rate=self.rate,
            x_min=self.window[0],
            x_max=self.window[1],
        )


PRESETS = (
    Preset1D(
        "The slides: g = eˣ − ln x from x₀ = 0.05",
        DEFAULT,
        0.05,
        (0.0, 2.2),
        0.1,
        "The slides' table: 0.097, 0.183, 0.321 (the slides print 0.320, the step from the"
        " rounded 0.183), 0.477, 0.558, 0.567",
    ),
    Preset1D(
        "The course notebook: same g from x₀ = 1.6",
        DEFAULT,
        1.6,
        (0.0, 2.2),
        0.1,
        "Newton: 0.790, 0.544, 0.5666, 0.567143…; gradient descent with α = 0.1 beside it",
    ),
    Preset1D(
        "Newton walks to a maximum: g = x⁴ − 4x² from 0.5",
        "x^4 - 4*x^2",
        0.5,
        (-2.2, 2.2),
        0.05,
        "g″ < 0 at the start: Newton heads for g′ = 0 at the top of the hill (x = 0);"
        " gradient descent rolls down to √2",
    ),
    Preset1D(
        "g″ = 0 stops Newton: g = x³ − 3x from 0",
        "x^3 - 3*x",
        0.0,
        (-2.2, 2.2),
        0.1,
        "g″(0) = 0: the tangent of g′ is flat and never crosses zero",
    ),
    Preset1D(
        "Too large α: gradient descent leaves the domain of log",
        DEFAULT,
        0.05,
        (-1.0, 6.0),
        0.3,
        "With α = 0.3 gradient descent jumps past 0, where log is not defined",
    ),
)


# ============================================================== the run


def factory(settings: Newton1DSettings, function: Function | None = None) -> RaceFactory:
    """The engine's factory for ``settings`` (``function``: its function, already parsed)."""
    return RaceFactory(settings, function)


def window_around(x0: float, window: tuple[float, float]) -> tuple[float, float]:
    """The x range, widened to show ``x0`` with a margin if it lies outside."""
    lo, hi = window
    if lo <= x0 <= hi:
        return window
    span = hi - lo
    return (max(-X_LIMIT, min(lo, x0 - 0.1 * span)), min(X_LIMIT, max(hi, x0 + 0.1 * span)))


# ============================================================== texts


def formulas(function: Function) -> list[str]:
    """g, g′ and g″ typeset (LaTeX), as computed symbolically from the typed g."""
    return [
        f"g(x) = {function.latex}",
        f"g'(x) = {function.gradient_latex[0]}",
        f"g''(x) = {function.hessian_latex[0][0]}",
    ]


#: The table's digits where they fit: 8 everywhere.
DIGITS = Digits(8, 8, 8)


def newton_cells(row: np.ndarray, layout: RowLayout, digits: Digits = DIGITS) -> list[str]:
    """The table's cells of Newton's step in a history row: x_k, g′, g″, x_{k+1}."""
    newton = layout.newton
    return [
        fmt(row[newton.x][0], digits.x),
        fmt(row[newton.gradient][0], digits.other),
        fmt(row[newton.hessian][0], digits.other),
        fmt(row[newton.x_next][0], digits.x),
    ]


def descent_cell(row: np.ndarray, layout: RowLayout, digits: Digits = DIGITS) -> str:
    """The table's cell of gradient descent's iterate in a history row."""
    return fmt(row[layout.descent.x][0], digits.descent)


#: The iterates table: 8 digits where they fit, down to the slides' 3.
TABLE = RaceTable(
    COLUMNS,
    COLUMN_TIPS,
    1,
    newton_cells,
    descent_cell,
    ladder((8, 8, 8), (6, 6, 6), (5, 5, 5), (4, 4, 4), (3, 3, 3)),
    # narrow: without gradient descent (the plots show it), xₖ₊₁ (the next row's xₖ), g″
    optional=(5, 4, 3),
    gradient_name="g′",
)


def newton_update(step: Step) -> list[str]:
    """x_{k+1} = x_k − g′(x_k) / g″(x_k), then the same with this step's numbers."""
    k = step.k
    x_k = html_sub("x", k)
    g1, g2 = step.gradient[0], step.hessian[0, 0]
    return [
        f"{html_sub('x', k + 1)} = {x_k} − g′({x_k}) / g″({x_k})",
        f"&nbsp;&nbsp;= {fmt(step.x[0], 8)} − ({fmt(g1, 6)}) / ({fmt(g2, 6)}) "
        f"= <b>{fmt(step.x_next[0], 8)}</b>",
    ]


def curvature_verdict(step: Step) -> str:
    """The sign of g″ at x_k in words: concave up heads for a minimum, down for a maximum."""
    g2 = step.hessian[0, 0]
    shape = (
        "concave up: g′ is rising, the step heads for a minimum"
        if g2 > 0
        else "concave down: g′ is falling, the step heads for a maximum"
    )
    return f"g″({html_sub('x', step.k)}) = {fmt(g2, 4)} {'&gt;' if g2 > 0 else '&lt;'} 0, {shape}."


def slides_step(x: float) -> float:
    """Newton's step of the slides' g = eˣ − ln x from ``x``: x − g′(x)/g″(x)."""
    return x - (math.exp(x) - 1 / x) / (math.exp(x) + 1 / x**2)


def x3_erratum(x2: float) -> str:
    """Newton's third step (k = 2): the slides' x₃ = 0.320 against the exact one, from ``x2``."""
    exact = slides_step(x2)
    return (
        f"Note: the slides print x₃ = {SLIDES_X3:.3f}: that is the step from the rounded "
        f"x₂ = {SLIDES_X2} ({SLIDES_X2} − g′/g″ = {fmt(slides_step(SLIDES_X2), 5)}). From the "
        f"exact x₂ = {fmt(x2, 8)} the step gives x₃ = {fmt(exact, 8)}, which rounds to "
        f"{fmt(exact, 3)}. Later iterates agree again."
    )


def x4_erratum(x3: float) -> str:
    """Newton's fourth step (k = 3), from the exact ``x3``: the slides start it from 0.320."""
    return (
        f"Note: the slides start this step from their x₃ = {SLIDES_X3:.3f} (the step from the "
        f"rounded 0.183); the exact x₃ is {fmt(x3, 8)}, which rounds to {fmt(x3, 3)}. Both give "
        f"x₄ = {fmt(slides_step(x3), 3)} ({fmt(slides_step(SLIDES_X3), 5)} from {SLIDES_X3:.3f})."
    )


def slides_note(settings: Newton1DSettings, k: int, x: float) -> str | None:
    """Where the slides' numbers differ from the app's at Newton's step ``k`` from ``x``
    (the slides' run only): x₃ at steps 2 and 3, "0.447" at step 4; None elsewhere."""
    if not settings.slides:
        return None
    if k == 2 and abs(x - SLIDES_X2) < 1e-3:
        return x3_erratum(x)
    if k == 3 and abs(x - SLIDES_X3) < 2e-3:
        return x4_erratum(x)
    if k == 4 and abs(x - 0.4773) < 1e-3:
        return ERRATUM
    return None


def erratum(step: Step, settings: Newton1DSettings) -> str | None:
    """The math panel's note where the slides' numbers differ (see :func:`slides_note`)."""
    note = slides_note(settings, step.k, step.x[0])
    return None if note is None else f"<i>{note}</i>"


def descent_update(step: Step) -> list[str]:
    """Gradient descent's step k with its numbers and the α it ran with."""
    return [
        descent_heading(step.k),
        f"{html_sub('x', step.k + 1)} = {fmt(step.x[0], 8)} − {step.learning_rate:g} × "
        f"({fmt(step.gradient[0], 6)}) = <b>{fmt(step.x_next[0], 8)}</b>",
    ]


def math_lines(
    record: RaceStep | None,
    settings: Newton1DSettings,
    preview: bool = False,
    function: Function | None = None,
) -> list[str]:
    """The math panel's lines for ``record`` (Newton's step about to be taken if ``preview``);
    a method that has ended says what it found (``function``: the settings' g, parsed)."""
    if record is None:
        return ["Choose a start x₀ inside the domain of g."]
    lines: list[str] = []
    newton_end, descent_end = race_end_lines(record, preview, settings, function)
    step = record.newton
    if step is not None and (record.newton_here or preview):
        lines.append(newton_heading(step.k, preview))
        lines += newton_update(step)
        lines.append(curvature_verdict(step))
        note = erratum(step, settings)
        if note:
            lines.append(note)
    lines += newton_end
    d = record.descent
    if d is not None and record.descent_here:
        lines += descent_update(d)
    lines += descent_end
    return lines


def start_summary(settings: Newton1DSettings) -> str:
    """The summary line before any step."""
    return race.start_summary(settings, "g″")


def function_status(settings: Newton1DSettings) -> str:
    return f"Using g(x) = {settings.function}. Press Space to play."


def next_caption(
    settings: Newton1DSettings, record: RaceStep | None, outcome: Outcome | None = None
) -> str:
    """What the next step does, for the presenter's caption (see :mod:`.captions`)."""
    alpha = captions.rate(settings.learning_rate)

    def newton(k: str, x: tuple[float, ...]) -> str:
        return f"Newton jumps to where the tangent of g′ at x{k} = {fmt(x[0], 5)} crosses zero"

    def descent(k: str, x: tuple[float, ...]) -> str:
        return f"gradient descent steps α·g′(x{k}) downhill from x{k} = {fmt(x[0], 5)} ({alpha})"

    return race_caption(
        settings, record, outcome, newton, descent, "g″ = 0, the tangent never crosses zero"
    )
