"""What both Newton tabs share: Newton's method racing gradient descent, without Qt.

:class:`RaceLesson` is the base of both tabs' settings (function text, start,
learning rate α, tolerance …); :class:`RaceFactory` is the run engine's factory
made from them (it carries them as ``.settings``); :func:`rebuild` turns a
history row back into a record with the settings its step ran with. The rest
are the texts: the summary line, the iterates table's rows, the math panel's
headings and endings::

    settings = Newton1DSettings(x0=1.6)
    run = RaceFactory(settings)(None)
    race_summary(list(run)[-1], settings.learning_rate, "g′")
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np

from optgui.core.expr import ExpressionError, Function, parse_function
from optgui.core.format import fmt
from optgui.core.iterates import Step
from optgui.core.race import (
    CODE_STATUS,
    RaceSettings,
    RaceStep,
    RowLayout,
    race_factory,
    race_preview,
    rebuild_race,
)
from optgui.core.stepping import CONVERGED, STEP_LIMIT, Outcome, Stepper
from optgui.lessons import captions
from optgui.lessons import race_verdicts as verdicts
from optgui.lessons.race_verdicts import steps
from optgui.lessons.settings import Settings, SettingsError

#: How small the gradient must be to count as converged (the choices of the tolerance box).
TOLERANCES = (1e-4, 1e-6, 1e-8, 1e-10, 1e-12)
#: The learning rate's range (the learning-rate box's).
RATE_LOW, RATE_HIGH = 1e-6, 100.0

#: The colours of Newton's and gradient descent's headings (the app's vermilion and blue).
NEWTON_COLOR = "#D55E00"
DESCENT_COLOR = "#0072B2"

R = TypeVar("R", bound="RaceLesson")


# ============================================================== small texts


def html_sub(name: str, sub: object) -> str:
    """``name`` with a subscript, in rich text (x<sub>k</sub>)."""
    return f"{name}<sub>{sub}</sub>"


def subscript(k: int) -> str:
    """k as Unicode subscript digits (x₁₂)."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def number_text(value: float) -> str:
    """A typed number as the texts print it: −1.2, 1e−05 (a minus sign, not a hyphen)."""
    return f"{value:g}".replace("-", "−")


def point_text(point: Sequence[float]) -> str:
    """A point as typed: (4, 4), (−1.2, 1)."""
    return "(" + ", ".join(number_text(v) for v in point) + ")"


def rounded_click(value: float, span: float) -> float:
    """A clicked coordinate rounded to what the plot can show (3 digits of the span)."""
    if span <= 0 or not math.isfinite(span):
        return value
    decimals = max(0, 2 - int(math.floor(math.log10(span))))
    return round(value, decimals) + 0.0


def random_start(
    function: Function, ranges: Sequence[tuple[float, float]], rng: np.random.Generator
) -> tuple[float, ...] | None:
    """A random start inside ``ranges`` (one (low, high) per variable) and the domain of
    ``function``, rounded like a click; None if 50 tries found none."""
    for _ in range(50):
        point = tuple(rounded_click(float(rng.uniform(lo, hi)), hi - lo) for lo, hi in ranges)
        if function.domain_problem(point) is None:
            return point
    return None


# ============================================================== settings and the run


@dataclass(frozen=True)
class RaceLesson(Settings):
    """The base of both Newton tabs' settings.

    A subclass declares the fields ``function`` (the text of a function that
    parses), ``learning_rate``, ``tolerance`` and its start, and says where the
    start is (:attr:`point`) and what τ Newton adds to H (:attr:`damping`).
    """

    #: The function's variables, and how the texts call it and its gradient.
    variables: ClassVar[tuple[str, ...]] = ()
    function_name: ClassVar[str] = "f"
    gradient_name: ClassVar[str] = "∇f"

    @property
    def point(self) -> tuple[float, ...]:
        """The start of both methods."""
        raise NotImplementedError

    @property
    def damping(self) -> float:
        """τ in Newton's (H + τI)·s = ∇f (0: plain Newton)."""
        return 0.0

    def start_text(self) -> str:
        """The start in words ("x₀ = 0.05", "(4, 4)")."""
        return point_text(self.point)

    def validate(self) -> None:
        if not self.function.strip():
            raise SettingsError(f"{self.function_name} should not be empty")

    def race_settings(self, function: Function) -> RaceSettings:
        """The core's settings of a race of ``function`` (whose text is ``self.function``)."""
        return RaceSettings(
            function=function,
            x0=self.point,
            learning_rate=self.learning_rate,
            tol=self.tolerance,
            damping=self.damping,
        )

    @classmethod
    def from_state(cls: type[R], state: Any) -> R:
        """Settings from a saved session, also one saved before settings were data
        (the tolerance as the index of its choice; see :meth:`migrate`)."""
        if not isinstance(state, dict):
            raise SettingsError("the settings are damaged (not a table of values)")
        data = dict(state)
        tol = data.get("tolerance")
        if isinstance(tol, int) and not isinstance(tol, bool):
            if not 0 <= tol < len(TOLERANCES):
                raise SettingsError("the tolerance is out of range")
            data["tolerance"] = TOLERANCES[tol]
        return cls.from_json(cls.migrate(data))

    @classmethod
    def migrate(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Older files' keys as today's (subclasses)."""
        return data


def parse(settings: RaceLesson) -> Function:
    """The settings' function, parsed (SettingsError if it does not parse)."""
    try:
        return parse_function(settings.function, settings.variables)
    except ExpressionError as error:
        raise SettingsError(f"the function does not parse: {error}") from None


def function_for(settings: RaceLesson, function: Function | None = None) -> Function:
    """``function`` (already parsed from ``settings.function``) or the settings' function."""
    if function is None:
        return parse(settings)
    if function.text != settings.function or function.variables != settings.variables:
        raise ValueError(f"{function.text!r} is not the settings' function {settings.function!r}")
    return function


def start_problem(settings: RaceLesson, function: Function) -> str | None:
    """Why the start cannot be used, as a status line (None when it can)."""
    problem = function.domain_problem(settings.point)
    if not problem:
        return None
    return (
        f"{settings.function_name} is not defined at the start {settings.start_text()} "
        f"({problem}): type or click another start."
    )


def outside_text(settings: RaceLesson, point: Sequence[float], problem: str) -> str:
    """The status line when a start outside the function's domain is refused."""
    where = f"x = {number_text(point[0])}" if len(point) == 1 else point_text(point)
    return f"{settings.function_name} is not defined at {where} ({problem}): choose another start."


class RaceFactory:
    """The run engine's factory: a fresh race (``last`` None) or one resumed after ``last``.

    Made from one tab's settings, which it carries as :attr:`settings` (what
    every step it makes ran with).
    """

    def __init__(self, settings: RaceLesson, function: Function | None = None):
        self.settings = settings
        self.function = function_for(settings, function)
        self._factory = race_factory(settings.race_settings(self.function))

    def __call__(self, last: RaceStep | None) -> Stepper[RaceStep]:
        return self._factory(last)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as what it is made from (a run is sent to a worker process)."""
        return (RaceFactory, (self.settings, self.function))


def preview(settings: RaceLesson, function: Function | None = None) -> RaceStep | None:
    """Newton's first step before it is taken (None when the start is unusable)."""
    function = function_for(settings, function)
    if function.domain_problem(settings.point) is not None:
        return None
    return race_preview(settings.race_settings(function))


def rebuild(row: np.ndarray, settings: RaceLesson) -> RaceStep:
    """The record of a history row whose step ran with ``settings`` (α and τ are not in it)."""
    return rebuild_race(row, len(settings.variables), settings.learning_rate, settings.damping)


def ran_rate(record: RaceStep | None, settings: RaceLesson) -> float:
    """The learning rate of gradient descent's step in ``record`` (the settings' before any)."""
    descent = record.descent if record is not None else None
    if descent is not None and descent.learning_rate is not None:
        return descent.learning_rate
    return settings.learning_rate


# ============================================================== the race in words


def method_summary(name: str, step: Step | None, end: Outcome | None, gradient_name: str) -> str:
    """A method still running: 'gradient descent: step 12, |g′| = 0.003' (one that has
    ended says what it found: :func:`~optgui.lessons.race_verdicts.summary_part`)."""
    if end is not None:
        if end.status == CONVERGED:
            return f"{name}: converged in {steps(end.k)}"
        if end.status == STEP_LIMIT:
            return f"{name}: {steps(end.k)}, not yet converged"
        return f"{name}: {verdicts.typeset(end.message)}"
    if step is None:
        return f"{name}: not started"
    return f"{name}: step {step.k}, |{gradient_name}| = {fmt(step.gradient_norm, 3)}"


def race_summary(
    record: RaceStep | None,
    rate: float,
    gradient_name: str,
    limit_reached: bool = False,
    settings: RaceLesson | None = None,
    function: Function | None = None,
) -> str:
    """Both methods in one line for the summary label and the status bar. With
    ``settings`` (and their parsed ``function``), a method that has ended says what it
    found, by the second-derivative test where it ended."""
    if record is None:
        return "Press Space to race Newton against gradient descent."
    damping = record.newton.damping if record.newton is not None else 0.0
    if record.newton is None and settings is not None:
        damping = settings.damping
    gd = f"gradient descent (α = {rate:g})"
    texts = []
    for which, name, step, end in (
        ("newton", verdicts.newton_name(damping), record.newton, record.newton_end),
        ("descent", gd, record.descent, record.descent_end),
    ):
        what = None
        if settings is not None and end is not None:
            what = verdicts.found(record, which, settings, function)
        if what is not None:
            texts.append(verdicts.summary_part(what, gradient_name))
        elif limit_reached and end is None and step is not None:
            texts.append(
                f"{name}: {steps(step.k + 1)}, not yet converged "
                f"(|{gradient_name}| = {fmt(step.gradient_norm, 2)})"
            )
        else:
            texts.append(method_summary(name, step, end, gradient_name))
    return " · ".join(texts)


def record_summary(
    record: RaceStep | None,
    settings: RaceLesson,
    limit_reached: bool,
    function: Function | None = None,
) -> str:
    """:func:`race_summary` with the α gradient descent's step ran with, naming what each
    method found once it has ended."""
    rate = ran_rate(record, settings)
    return race_summary(record, rate, settings.gradient_name, limit_reached, settings, function)


def start_summary(settings: RaceLesson, newton_uses: str) -> str:
    """The summary line before any step."""
    newton = verdicts.capitalized(verdicts.newton_name(settings.damping))
    return (
        f"Both start at {settings.start_text()}. {newton} uses {newton_uses}; gradient descent "
        f"uses α = {settings.learning_rate:g}. Press Space to race them."
    )


def start_status(settings: RaceLesson) -> str:
    return f"Both methods start at {settings.start_text()}. Press Space to play."


def preset_status(label: str) -> str:
    return f"Preset: {label}. Press Space to play, → for one step."


def race_table_rows(
    rows: np.ndarray,
    layout: RowLayout,
    newton_cells: Callable[[np.ndarray, RowLayout], list[str]],
    descent_cell: Callable[[np.ndarray, RowLayout], str],
) -> list[list[str]]:
    """Iterates-table text for race history rows: k, Newton's cells, gradient descent's cell.

    Newton's cells show its step k; the row after its last step says how it
    ended ("Newton converged"); later rows leave them empty. The callbacks get
    the whole row and ``layout``, which says where its columns are.
    """
    L = layout
    texts: list[list[str]] = []
    for row in rows:
        k = int(row[L.k])
        newton_k = row[L.newton.k]
        if newton_k == k:
            cells = newton_cells(row, L)
        elif newton_k == k - 1 or (k == 0 and math.isnan(newton_k)):
            word = CODE_STATUS.get(int(row[L.newton_code]), "stopped")
            if word == CONVERGED:  # what the second-derivative test says there
                kind = verdicts.row_verdict(row[L.newton.hessian])
                word = f"converged to {kind}" if kind else word
            cells = [f"Newton {word}", "", "", ""]
        else:
            cells = ["", "", "", ""]
        gd = descent_cell(row, L) if row[L.descent.k] == k else ""
        texts.append([str(k), *cells, gd])
    return texts


def race_end_lines(
    record: RaceStep,
    preview: bool,
    settings: RaceLesson | None = None,
    function: Function | None = None,
) -> tuple[list[str], list[str]]:
    """The math panel's lines on how Newton and how gradient descent ended (if they have),
    each naming what it found (with ``settings`` and their parsed ``function``)."""
    lines: tuple[list[str], list[str]] = ([], [])
    for which, end, out, name in (
        ("newton", record.newton_end, lines[0], "Newton"),
        ("descent", record.descent_end, lines[1], "Gradient descent"),
    ):
        if end is None:
            continue
        what = None if settings is None else verdicts.found(record, which, settings, function)
        if what is not None:
            gradient = settings.gradient_name if settings is not None else "∇f"
            out.append(verdicts.end_line(what, settings.tolerance, gradient, preview))
        else:
            prefix = "stops at once: " if preview and which == "newton" else ""
            text = html.escape(verdicts.typeset(end.message), quote=False)
            out.append(f"<b>{name}</b> {prefix}{text}")
    return lines


def newton_heading(k: int, preview: bool, damping: float = 0.0) -> str:
    """The math panel's heading of Newton's step k (or of the step about to be taken)."""
    if preview:
        name, tau = ("Modified Newton", f"τ = {damping:g}, ") if damping else ("Newton", "")
        head = f"{name}'s first step ({tau}press → to take it)"
    else:
        head = f"{verdicts.capitalized(verdicts.newton_name(damping))}, step {k}"
    return f"<b style='color:{NEWTON_COLOR}'>{head}</b>"


def descent_heading(k: int) -> str:
    """The math panel's heading of gradient descent's step k."""
    return f"<b style='color:{DESCENT_COLOR}'>Gradient descent, step {k}</b>"


# ============================================================== the presenter's caption

#: A method's part of the caption, from the next step's subscript ("₅") and its point.
Phrase = Callable[[str, tuple[float, ...]], str]


def race_caption(
    settings: RaceLesson,
    record: RaceStep | None,
    outcome: Outcome | None,
    newton: Phrase,
    descent: Phrase,
    singular: str,
) -> str:
    """What the next step of the race does: Newton's part, then gradient descent's, each
    from the point it has reached (a method that has ended says how it ended)."""
    if record is not None and record.newton_end is not None and record.descent_end is not None:
        return captions.race_over(record.newton_end, record.descent_end, singular)
    end = captions.ended(outcome)
    if end:
        return end
    k = subscript(captions.next_k(record))
    r = record
    methods = (
        ("Newton", newton, r and r.newton, r and r.newton_end, singular),
        ("gradient descent", descent, r and r.descent, r and r.descent_end, ""),
    )
    parts = []
    for name, phrase, step, done, singular_words in methods:
        if done is not None:
            parts.append(captions.method_ended(name, done, singular_words))
        else:
            x = settings.point if step is None else tuple(float(v) for v in step.x_next)
            parts.append(phrase(k, x))
    return f"{captions.heading(record)} {parts[0]}; {parts[1]}."
