"""What each method of a Newton race found, judged by the second-derivative test where it ended.

Newton's method only looks for ∇f = 0, so it may end at a maximum or a saddle
as happily as at a minimum. Once a method has ended, :func:`found` takes the
second derivative (g″, or the eigenvalues of H) at its final point and says
what that point is: a local minimum, a local maximum, a saddle point, or
undecided. The texts built from it (the summary line and the status, the math
panel's last line, the 2-D tab's ⚠ box) are plain strings tests read::

    settings = Newton1DSettings(function="x^4 - 4*x^2", x0=0.5)
    last = list(RaceFactory(settings)(None))[-1]
    what = found(last, "newton", settings, function)
    what.kind                 # "maximum"
    summary_part(what)        # 'Newton: converged in 4 steps to a local maximum at x = 0 (…'

Converged Newton is judged with the H of its last step (the table's numbers);
everything else with the Hessian evaluated at the final point, so a run rebuilt
from its history rows says the same as the run itself.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optgui.core.expr import ExpressionError, Function, parse_function
from optgui.core.format import fmt
from optgui.core.iterates import Step, curvature_kind
from optgui.core.race import RaceStep
from optgui.core.stepping import CONVERGED, SINGULAR, STEP_LIMIT, Outcome

#: The second-derivative test's verdicts (the core's kinds) in words.
KIND_WORDS = {
    "minimum": "a local minimum",
    "maximum": "a local maximum",
    "saddle": "a saddle point",
    "inconclusive": "undecided",
}

#: Where a method ended anywhere but at a minimum, its texts carry this sign.
WARN = "⚠"

#: Below this |∇f| a point counts as critical in the texts (the finest tolerance).
FLAT = 1e-12

#: How the modified-Newton check box is called in the texts.
MODIFIED_BOX = "“modified Newton: H + τI”"


# ============================================================== small texts


def typeset(text: str) -> str:
    """Plain-text maths as the app prints it: g″ and g′ for g'' and g', − for a minus sign
    (before a number, in an exponent, before inf)."""
    text = text.replace("''", "″").replace("'", "′")
    text = re.sub(r"(\d)e-(\d)", r"\1e−\2", text)
    return re.sub(r"(^|[\s(=,\[:])-(?=[\d.]|inf)", r"\1−", text)


def tolerance_text(tol: float) -> str:
    """A tolerance as the tolerance box shows it: 1e−12."""
    return f"{tol:g}".replace("-", "−")


def newton_name(damping: float) -> str:
    """'Newton', or 'modified Newton (τ = 2)' when it solves (H + τI)·s = ∇f."""
    return f"modified Newton (τ = {damping:g})" if damping else "Newton"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def where_text(point: Sequence[float]) -> str:
    """'x = 1.414' in one variable, '(0.5141, 0.5436)' in two; a coordinate below the finest
    tolerance reads 0 (a run ends there only to within its tolerance)."""
    values = [0.0 if abs(v) < FLAT else float(v) for v in point]
    if len(values) == 1:
        return f"x = {fmt(values[0], 4)}"
    return "(" + ", ".join(fmt(v, 4) for v in values) + ")"


def eigen_text(values: Sequence[float]) -> str:
    """'2 and 0' (the slides' order: the largest first)."""
    ordered = sorted((float(v) for v in values), reverse=True)
    return " and ".join(fmt(v, 3) for v in ordered)


# ============================================================== the verdict


@dataclass(frozen=True)
class Found:
    """How one method of a race ended and what the second-derivative test says there."""

    which: str  # "newton" or "descent"
    method: str  # "Newton", "modified Newton (τ = 2)", "gradient descent (α = 0.1)"
    end: Outcome
    point: tuple[float, ...]  # the final point
    eigenvalues: tuple[float, ...] | None  # g″ or H's eigenvalues there (None: unknown)
    gradient_norm: float | None  # |∇f| there, if known
    step: Step | None  # the method's last step (None: it took none)
    damping: float = 0.0  # Newton's τ

    @property
    def converged(self) -> bool:
        return self.end.status == CONVERGED

    @property
    def kind(self) -> str:
        """minimum, maximum, saddle or inconclusive; "" where the test could not be taken."""
        if self.eigenvalues is None:
            return ""
        return curvature_kind(np.asarray(self.eigenvalues, dtype=float))

    @property
    def n(self) -> int:
        return len(self.point)

    @property
    def minimum(self) -> bool:
        """It converged to a local minimum (the one good ending)."""
        return self.converged and self.kind == "minimum"


def second_derivatives(function: Function | None, point: Sequence[float]) -> np.ndarray | None:
    """The eigenvalues of H (g″ in one variable) at ``point``; None where they are not numbers."""
    if function is None or function.domain_problem(tuple(point)) is not None:
        return None
    try:
        with np.errstate(all="ignore"):
            hessian = np.asarray(function.hessian(np.asarray(point, dtype=float)), dtype=float)
    except (ValueError, ArithmeticError, TypeError):
        return None
    if hessian.size != function.n**2 or not np.all(np.isfinite(hessian)):
        return None
    return np.linalg.eigvalsh(hessian.reshape(function.n, function.n))


def gradient_norm(function: Function | None, point: Sequence[float]) -> float | None:
    """|∇f| at ``point`` (None where it is not a number)."""
    if function is None or function.domain_problem(tuple(point)) is not None:
        return None
    try:
        with np.errstate(all="ignore"):
            g = np.asarray(function.gradient(np.asarray(point, dtype=float)), dtype=float)
    except (ValueError, ArithmeticError, TypeError):
        return None
    return float(np.linalg.norm(g)) if np.all(np.isfinite(g)) else None


def final_point(step: Step | None, end: Outcome, start: Sequence[float]) -> tuple[float, ...]:
    """Where a method ended: its converged point, the point of a step whose next point was
    refused (left the domain, diverged), or the point it was about to step from."""
    if step is None:
        return tuple(float(v) for v in start)
    if end.status == CONVERGED:
        return tuple(float(v) for v in step.x_next)
    if end.k == step.k:  # the step was taken, its next point is unusable
        return tuple(float(v) for v in step.x)
    return tuple(float(v) for v in step.x_next)


def found(
    record: RaceStep | None,
    which: str,
    settings: Any,
    function: Function | None = None,
) -> Found | None:
    """What ``which`` ("newton" or "descent") found, once it has ended in ``record``
    (None while it runs). ``function`` is the settings' function, parsed."""
    if record is None:
        return None
    newton = which == "newton"
    end = record.newton_end if newton else record.descent_end
    if end is None:
        return None
    step = record.newton if newton else record.descent
    if function is None:
        try:
            function = parse_function(settings.function, settings.variables)
        except ExpressionError:
            function = None
    elif function.text != settings.function:
        function = None  # (a function still being read: not the run's)
    damping = 0.0
    if newton:
        damping = step.damping if step is not None else settings.damping
        method = newton_name(damping)
    else:
        rate = step.learning_rate if step is not None else None
        method = f"gradient descent (α = {(rate or settings.learning_rate):g})"
    point = final_point(step, end, settings.point)
    if newton and step is not None and (end.status == CONVERGED or end.k == step.k):
        eigenvalues = step.eigenvalues  # H at the step's own point: the table's numbers
        gradient = step.gradient_norm
    else:
        eigenvalues = second_derivatives(function, point)
        gradient = gradient_norm(function, point)
    values = None if eigenvalues is None else tuple(float(v) for v in eigenvalues)
    return Found(which, method, end, point, values, gradient, step, damping)


# ============================================================== in words


def steps(n: int) -> str:
    """'1 step', '8 steps'."""
    return f"{n} step" if n == 1 else f"{n} steps"


def curvature_reason(what: Found) -> str:
    """Why the test says what it says: 'g″ = −8 < 0', 'H's eigenvalues 1 and −1'."""
    lam = what.eigenvalues
    if lam is None:
        return ""
    if len(lam) == 1:
        sign = {"minimum": ">", "maximum": "<"}.get(what.kind)
        return f"g″ = {fmt(lam[0], 4)} {sign} 0" if sign else "g″ = 0"
    return f"H's eigenvalues {eigen_text(lam)}"


def verdict_phrase(what: Found, short: bool = False) -> str:
    """What the test says at the final point: 'a local maximum at x = 0 (g″ = −8 < 0) ⚠ not a
    minimum'; '' if it could not be taken. ``short`` (the summary line) leaves H's
    eigenvalues out (the math panel and the ⚠ box give them)."""
    kind = what.kind
    if not kind:
        return ""
    where = where_text(what.point)
    why = f" ({curvature_reason(what)})" if what.n == 1 or not short else ""
    if kind == "inconclusive":
        return f"{where}, undecided: the second-derivative test cannot tell there{why}"
    if kind == "minimum":
        return f"{KIND_WORDS[kind]} at {where}{why}"
    return f"{KIND_WORDS[kind]} at {where}{why} {WARN} not a minimum"


def singular_reason(what: Found, short: bool = False) -> str:
    """Why a singular stop stopped: g″ (+ τ) is zero, or H (+ τI) is singular, at the point
    (``short``: no more than that, in two variables)."""
    where = where_text(what.point)
    if what.n == 1:
        text = f"g″ = 0 at {where}, so the Newton step −g′/g″ is undefined"
        g = what.gradient_norm
        if g is not None and g > FLAT:
            return f"{text}; {where} is not a critical point (|g′| = {fmt(g, 4)})"
        if g is not None:
            return f"{text}; g′ = 0 there too: a critical point the test cannot classify"
        return text
    matrix = "H + τI" if what.damping else "H"
    if short:
        return f"{matrix} is singular at {where}"
    eig = f" (H's eigenvalues {eigen_text(what.eigenvalues)})" if what.eigenvalues else ""
    return f"{matrix} is singular at {where}{eig}, so {matrix}·s = ∇f has no single solution"


def hint(what: Found) -> str:
    """What to try where Newton in two variables ended anywhere but at a minimum."""
    if what.which != "newton" or what.n != 2 or what.minimum:
        return ""
    if what.end.status != SINGULAR and what.kind not in ("maximum", "saddle"):
        return ""
    return "try a larger τ" if what.damping else "try modified Newton"


def summary_part(what: Found, gradient_name: str = "∇f") -> str:
    """One method's part of the summary line and the status, naming what it found."""
    end, name = what.end, what.method
    if end.status == CONVERGED:
        phrase = verdict_phrase(what, short=True) or f"the point {where_text(what.point)}"
        text = f"{name}: converged in {steps(end.k)} to {phrase}"
    elif end.status == SINGULAR:
        text = f"{name}: stopped at step {end.k}, undecided: {singular_reason(what, short=True)}"
    elif end.status == STEP_LIMIT:
        size = what.gradient_norm
        norm = "" if size is None else f" (|{gradient_name}| = {fmt(size, 2)})"
        text = f"{name}: {steps(end.k)}, not yet converged{norm}: undecided so far"
    else:
        text = f"{name}: {typeset(end.message).rstrip('.')}; undecided: no critical point reached"
    tip = hint(what)
    if tip:
        text += f", {tip}" if WARN in text else f" {WARN} {tip}"
    return text


def stop_rule(what: Found, tolerance: float, gradient_name: str) -> str:
    """Why a converged method stopped, in the tolerance box's terms."""
    step, tol = what.step, tolerance_text(tolerance)
    if step is None:
        return ""
    g = f"|{gradient_name}| = {fmt(step.gradient_norm, 2)}"
    if step.hessian is None:  # gradient descent stops on |∇f|
        return f"{g} is below the tolerance {tol}"
    s = f"the step |s| = {fmt(step.step_norm, 2)}"
    if float(np.linalg.norm(step.x)) > 1:
        return f"{s} is below the tolerance {tol} × |x| ({g})"
    return f"{s} is below the tolerance {tol} ({g})"


def end_line(what: Found, tolerance: float, gradient_name: str, preview: bool = False) -> str:
    """The math panel's line on how a method ended and what it found (rich text)."""
    end = what.end
    if end.status == CONVERGED:
        text = f"converged at step {end.k}: {stop_rule(what, tolerance, gradient_name)}."
        phrase = verdict_phrase(what)
        if phrase:
            text += (
                f" It ended at {phrase}."
                if what.kind == "inconclusive"
                else (f" It found {phrase}.")
            )
    elif end.status == SINGULAR:
        prefix = "stops at once" if preview else f"stopped at step {end.k}"
        text = f"{prefix}, undecided: {singular_reason(what)}."
    else:
        text = typeset(end.message).rstrip(".") + "."
        text += (
            " Undecided so far."
            if end.status == STEP_LIMIT
            else (" Undecided: no critical point reached.")
        )
    tip = hint(what)
    if tip:
        text += f" {capitalized(tip)}." if WARN in text else f" {WARN} {capitalized(tip)}."
    name = capitalized(what.method)
    return f"<b>{html.escape(name)}</b> {html.escape(text, quote=False)}"


def end_warning(what: Found) -> str | None:
    """The 2-D tab's ⚠ box once Newton has ended anywhere but at a minimum (None at one)."""
    if what.which != "newton" or what.n != 2 or what.minimum:
        return None
    name = capitalized(what.method)
    where = where_text(what.point)
    if what.end.status == SINGULAR:
        stop = "cannot take its first step" if what.step is None else "stopped"
        text = f"{WARN} {name} {stop}, undecided: {singular_reason(what)}."
    elif what.converged and what.kind == "inconclusive":
        return (
            f"{WARN} {name} converged to {where}, where the second-derivative test cannot "
            f"decide ({curvature_reason(what)}): it may or may not be a minimum."
        )
    elif what.converged and what.kind:
        text = (
            f"{WARN} {name} converged to {KIND_WORDS[what.kind]} at {where}, not a minimum "
            f"({curvature_reason(what)}): Newton only looks for ∇f = 0."
        )
    else:
        return None
    if what.damping:
        return f"{text} Try a larger τ."
    return f"{text} Tick {MODIFIED_BOX}."


def row_verdict(hessian: np.ndarray) -> str:
    """The iterates table's 'Newton converged' row: what the test says there ('' if unknown)."""
    h = np.asarray(hessian, dtype=float)
    n = int(round(math.sqrt(h.size)))
    if h.size == 0 or n * n != h.size or not np.all(np.isfinite(h)):
        return ""
    return KIND_WORDS[curvature_kind(np.linalg.eigvalsh(h.reshape(n, n)))]
