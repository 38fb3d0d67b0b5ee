"""The slides' Newton derivations, with the shown step's numbers (tabs Newton 1-D and 2-D).

Newton 1-D: Newton as root finding first (the tangent of f set to zero, then
f ↦ g′), the second derivative's intuition (distance → velocity → acceleration,
the notations, the signs of g′ and g″ at x_k) and the bridge to two variables.
Newton 2-D: the bridge, then the 1-D step turned into the matrix step H⁻¹∇f
(2×2 · 2×1) with the step's numbers. Plain data (:mod:`optgui.lessons.derivation`)::

    settings = Newton1DSettings()                          # the slides' run
    record = list(newton1d.factory(settings)(None))[2]     # Newton's step 2
    at = at_record(record, settings, function)
    newton1d_derivations(settings, at, function)[0].text()  # … x_3 = … = 0.32051969
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from optgui.core.expr import Function
from optgui.core.format import fmt
from optgui.core.iterates import Step
from optgui.core.race import RaceStep
from optgui.lessons import newton1d, newton2d
from optgui.lessons.derivation import Derivation, Line, Table, derivation
from optgui.lessons.notation import tex_matrix, tex_number
from optgui.lessons.race import RaceLesson, html_sub

ROOT_FINDING = "Newton's method: root finding first"
SECOND_DERIVATIVE = "The second derivative: velocity and acceleration"
BRIDGE = "From one variable to two: f′ ↔ ∇f, f″ ↔ H"
MATRIX_STEP = "From the 1-D step to the matrix step H⁻¹∇f"

#: Digits of the iterates and of the derivatives in the formulas.
X_DIGITS, D_DIGITS = 8, 6
#: Digits of the 2-D step's vectors and matrices (as the math panel's equation).
M_DIGITS = 6

NO_START = "Choose a start inside the domain to see this step's numbers."


@dataclass(frozen=True)
class At:
    """Newton's numbers at step k: x_k, the gradient (g′), the Hessian (g″) without τI, the
    damping τ, and x_{k+1} (None where the step is undefined)."""

    k: int
    x: tuple[float, ...]
    gradient: tuple[float, ...]
    hessian: tuple[tuple[float, ...], ...]
    x_next: tuple[float, ...] | None
    damping: float = 0.0

    @property
    def matrix(self) -> np.ndarray:
        """What Newton solves with: H, or H + τI for modified Newton."""
        n = len(self.x)
        return np.asarray(self.hessian, dtype=float).reshape(n, n) + self.damping * np.eye(n)


def _floats(values) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(values, dtype=float).ravel())


def at_step(step: Step) -> At:
    """The numbers of Newton's ``step``."""
    assert step.hessian is not None
    n = len(step.x)
    h = np.asarray(step.hessian, dtype=float).reshape(n, n)
    return At(
        step.k,
        _floats(step.x),
        _floats(step.gradient),
        tuple(_floats(row) for row in h),
        _floats(step.x_next),
        step.damping,
    )


def at_record(record: RaceStep | None, settings: RaceLesson, function: Function) -> At | None:
    """Newton's numbers to show for ``record``: its Newton step (the last one once Newton
    stopped); where Newton took no step, the derivatives at the start with no x_{k+1}; None
    outside the domain."""
    if record is not None and record.newton is not None:
        return at_step(record.newton)
    point = tuple(float(v) for v in settings.point)
    if function.domain_problem(point) is not None:
        return None
    with np.errstate(all="ignore"):
        _, g, h = function.derivatives(point)
    g, h = np.asarray(g, dtype=float).ravel(), np.asarray(h, dtype=float)
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
        return None
    n = len(point)
    rows = tuple(_floats(row) for row in h.reshape(n, n))
    return At(0, point, _floats(g), rows, None, getattr(settings, "damping", 0.0))


# ============================================================== small pieces


def _num(value: float, digits: int = D_DIGITS) -> str:
    return tex_number(value, digits)


def _plus(value: float, digits: int = D_DIGITS) -> str:
    """``value`` after a term: "+ 3.2" or "- 3.2"."""
    sign = "-" if value < 0 else "+"
    return f"{sign} {_num(abs(value), digits)}"


def _x_minus(x: float) -> str:
    """(x − x_k) with x_k's number: "(x - 0.05)", "(x + 0.5)" or "x"."""
    if x == 0:
        return "x"
    return f"(x {_plus(-x, X_DIGITS)})"


def _paren(value: float, digits: int = D_DIGITS) -> str:
    """A number in a product: negative ones in parentheses."""
    text = _num(value, digits)
    return f"\\left({text}\\right)" if value < 0 else text


def _column(values: Sequence[float], digits: int = M_DIGITS) -> str:
    return tex_matrix([[_num(v, digits)] for v in values])


def _matrix(m: np.ndarray, digits: int = M_DIGITS) -> str:
    return tex_matrix([[_num(v, digits) for v in row] for row in m])


def _symbols(*names: str) -> str:
    return tex_matrix([[name] for name in names])


def _sub(k: int) -> str:
    return "{" + str(k) + "}"


# ============================================================== Newton 1-D


def root_finding(at: At | None, function: Function) -> Derivation:
    """Newton's step for a root of f from the tangent line, then f ↦ g′ for a minimum of g,
    with step k's tangent of g′ (the tab's middle plot) and where it crosses zero."""
    lines: list[Line] = [
        Line(
            "<b>Root finding</b>: look for an x where a function f is zero. Newton starts "
            "from a guess x<sub>0</sub> and improves it step by step.",
            r"f(x) = 0",
        ),
        Line(
            "Near the current guess x<sub>k</sub>, f is close to its tangent line:",
            r"y = f(x_k) + f'(x_k)\,(x - x_k)",
        ),
        Line(
            "The next guess is where the tangent crosses zero (set y = 0 at x = x<sub>k+1</sub>):",
            r"0 = f(x_k) + f'(x_k)\,(x_{k+1} - x_k)",
        ),
        Line(
            "Solve for x<sub>k+1</sub>: Newton's step for a root of f.",
            r"x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)}",
        ),
        Line(
            "<b>Optimisation</b>: a minimum of g is where its slope is zero, g′(x) = 0, so we "
            "look for a root of g′. Substitute f ↦ g′ (so f′ ↦ g″):",
            r"f \mapsto g' \quad f' \mapsto g''",
        ),
        Line(
            "Newton's step for a minimum (or a maximum) of g:",
            r"x_{k+1} = x_k - \frac{g'(x_k)}{g''(x_k)}",
        ),
        Line(
            f"In this tab g(x) = <i>{escape(function.text)}</i>: the f whose root Newton looks "
            "for is its slope g′,",
            rf"f(x) = g'(x) = {function.gradient_latex[0]}",
        ),
        Line(
            "and the f′ of Newton's step is g″:",
            rf"f'(x) = g''(x) = {function.hessian_latex[0][0]}",
        ),
    ]
    if at is None:
        return derivation(ROOT_FINDING, *lines, NO_START)
    k, x, g1, g2 = at.k, at.x[0], at.gradient[0], at.hessian[0][0]
    xk = html_sub("x", k)
    lines.append(
        Line(
            f"The middle plot (g′ with its dashed tangent) <b>is</b> this root finding: at "
            f"{xk} = {fmt(x, X_DIGITS)} the tangent of g′ is",
            rf"y = g'(x_{_sub(k)}) + g''(x_{_sub(k)})\,(x - x_{_sub(k)})"
            rf" = {_num(g1)} {_plus(g2)}\,{_x_minus(x)}",
        )
    )
    if at.x_next is None or g2 == 0:
        lines.append(
            Line(
                f"g″({xk}) = 0: the tangent is flat and never crosses zero, so the step is "
                "undefined and Newton stops."
            )
        )
    else:
        lines.append(
            Line(
                f"It crosses zero at Newton's next iterate {html_sub('x', k + 1)}:",
                rf"x_{_sub(k + 1)} = {_num(x, X_DIGITS)} - \frac{{{_num(g1)}}}{{{_num(g2)}}}"
                rf" = {_num(at.x_next[0], X_DIGITS)}",
            )
        )
    return derivation(ROOT_FINDING, *lines)


#: The cases of the signs of f′ and f″ (the slides' wording): f′'s sign, f″'s, what f does.
SIGNS = (
    ("> 0", "increasing ↗", "> 0", "concave up ∪", "rises ever faster"),
    ("> 0", "increasing ↗", "< 0", "concave down ∩", "rises ever slower"),
    ("< 0", "decreasing ↘", "> 0", "concave up ∪", "falls ever slower"),
    ("< 0", "decreasing ↘", "< 0", "concave down ∩", "falls ever faster"),
    ("= 0", "flat", "> 0", "concave up ∪", "local minimum (“happy face”)"),
    ("= 0", "flat", "< 0", "concave down ∩", "local maximum (“sad face”)"),
    ("= 0", "flat", "= 0", "", "need more information"),
    ("≠ 0", "", "= 0", "", "need more information"),
)
#: The signs side by side in one column and the verdict in the other (two columns fit a
#: projector's narrow panel).
SIGN_HEADINGS = ("f′ (slope) and f″ (curvature)", "near x, f …")
SIGN_ROWS = tuple(
    (
        " ".join(p for p in (f"f′ {s1}", w1) if p)
        + ", "
        + " ".join(p for p in (f"f″ {s2}", w2) if p),
        what,
    )
    for s1, w1, s2, w2, what in SIGNS
)

#: Below this |f″| counts as 0 in the table.
ZERO_CURVATURE = 1e-12


def sign_row(slope: float, curvature: float, tolerance: float) -> int:
    """The row of :data:`SIGN_ROWS` for f′ = ``slope`` and f″ = ``curvature`` (|f′| below
    ``tolerance``, the run's convergence test, counts as 0)."""
    flat = abs(slope) < tolerance
    if abs(curvature) < ZERO_CURVATURE:
        return 6 if flat else 7
    up = curvature > 0
    if flat:
        return 4 if up else 5
    if slope > 0:
        return 0 if up else 1
    return 2 if up else 3


def _sign(value: float, zero: bool) -> str:
    return "= 0" if zero else ("> 0" if value > 0 else "< 0")


def second_derivative(at: At | None, tolerance: float) -> Derivation:
    """Distance → velocity → acceleration, Leibniz's and Lagrange's notations, and the signs
    of g′ and g″ at x_k in the table (its row lit)."""
    lines: list[Line | Table] = [
        Line(
            "The slides' analogy: a car on a road. The distance it has travelled depends on the "
            "time t:",
            r"x(t)",
        ),
        Line(
            "Its <b>velocity</b> is how fast the distance changes: the derivative.",
            r"v(t) = \frac{dx}{dt} = x'(t)",
        ),
        Line(
            "Its <b>acceleration</b> is how fast the velocity changes: the derivative of the "
            "derivative, the <b>second derivative</b>.",
            r"a(t) = \frac{dv}{dt} = \frac{d}{dt}\left(\frac{dx}{dt}\right) = \frac{d^2x}{dt^2}"
            r" = x''(t)",
        ),
        Line(
            "Two notations for the second derivative of f(x): Leibniz's (left) and "
            "Lagrange's (right) say the same.",
            r"\frac{d^2f}{dx^2} = f''(x)",
        ),
    ]
    if at is None:
        lines.append(Table(SIGN_HEADINGS, SIGN_ROWS))
        return derivation(SECOND_DERIVATIVE, *lines, NO_START)
    k, x, g1, g2 = at.k, at.x[0], at.gradient[0], at.hessian[0][0]
    flat, straight = abs(g1) < tolerance, abs(g2) < ZERO_CURVATURE
    sub = _sub(k)
    lines.append(
        Line(
            "In this tab f is g: g′ is its slope (the velocity), g″ how fast the slope "
            f"changes (the acceleration). At {html_sub('x', k)} = {fmt(x, X_DIGITS)}:",
            rf"g'(x_{sub}) = {_num(g1)} {_sign(g1, flat)[0]} 0"
            rf" \quad g''(x_{sub}) = {_num(g2)} {_sign(g2, straight)[0]} 0",
        )
    )
    row = sign_row(g1, g2, tolerance)
    lines.append(Table(SIGN_HEADINGS, SIGN_ROWS, row))
    s1, w1, s2, w2, near = SIGNS[row]
    head = f"At {html_sub('x', k)}: g′ {escape(s1)} ({w1 or 'not flat'}), g″ {escape(s2)}"
    head += f" ({w2}): " if w2 else ": "
    what = f"g {near}. " if row < 4 else f"{near[0].upper()}{near[1:]}. "
    if straight:
        tail = "Newton's step is undefined where g″ = 0."
    elif flat:
        tail = "g′ is 0 to within the tolerance: a critical point, where Newton ends."
    elif g2 > 0:
        tail = "Concave up: where g′ = 0 it is a local minimum, so Newton heads for a minimum."
    else:
        tail = (
            "Concave down: where g′ = 0 it is a local maximum; Newton only looks for g′ = 0, "
            "so it heads for a maximum."
        )
    lines.append(Line(head + what + tail))
    return derivation(SECOND_DERIVATIVE, *lines)


#: The slides' side-by-side table: one variable, two variables.
BRIDGE_TABLE = Table(
    ("", "1 variable", "2 variables"),
    (
        ("first derivative", "f′(x)", "gradient ∇f (2×1)"),
        ("second derivative", "f″(x)", "Hessian H (2×2)"),
        ("Newton's step", "x − f″⁻¹ f′", "[x, y] − H⁻¹ ∇f"),
    ),
)

ONE_D_STEP = (
    r"x_{k+1} = x_k - \frac{f'(x_k)}{f''(x_k)} = x_k - f''(x_k)^{-1}\,f'(x_k)",
    "In one variable Newton's step divides by the second derivative f″; dividing is "
    "multiplying by the inverse:",
)
TWO_D_STEP = (
    _symbols("x_{k+1}", "y_{k+1}")
    + " = "
    + _symbols("x_k", "y_k")
    + r" - H^{-1}(x_k, y_k)\;\nabla f(x_k, y_k)",
    "In two variables f′ becomes the gradient ∇f (2×1) and f″ the Hessian H (2×2):",
)
ORDER = (
    r"\underset{2\times 1}{s} = \underset{2\times 2}{H^{-1}}\;\underset{2\times 1}{\nabla f}",
    "<b>The order matters</b>: H⁻¹ (2×2) times ∇f (2×1) gives a 2×1 step s. The "
    "crossed-out ∇f · H⁻¹ on the slides, 2×1 times 2×2, is not even defined.",
)


def bridge_1d(at: At | None) -> Derivation:
    """The 1-D tab's way to two variables: the table, then this step written as f″⁻¹ f′."""
    lines: list[Line | Table] = [
        Line(ONE_D_STEP[1].replace("variable", "variable (f is this tab's g)"), ONE_D_STEP[0]),
        BRIDGE_TABLE,
        Line(TWO_D_STEP[1], TWO_D_STEP[0]),
        Line(ORDER[1], ORDER[0]),
    ]
    if at is None:
        return derivation(BRIDGE, *lines, NO_START)
    k, x, g1, g2 = at.k, at.x[0], at.gradient[0], at.hessian[0][0]
    if at.x_next is None or g2 == 0:
        lines.append(Line(f"g″({html_sub('x', k)}) = 0 has no inverse: the step is undefined."))
    else:
        lines.append(
            Line(
                f"This tab's step {k}, written the 2-D way (1×1 matrices):",
                rf"x_{_sub(k + 1)} = {_num(x, X_DIGITS)} - \left({_num(g2)}\right)^{{-1}}"
                rf"\,{_paren(g1)} = {_num(at.x_next[0], X_DIGITS)}",
            )
        )
    lines.append(Line("The Newton 2-D tab takes it from here, with 2×2 matrices."))
    return derivation(BRIDGE, *lines)


def newton1d_derivations(
    settings: newton1d.Newton1DSettings, at: At | None, function: Function
) -> list[Derivation]:
    """Newton 1-D's derivations at ``at`` (Newton's shown step), with the slides' errata."""
    note = ""
    if at is not None:
        note = newton1d.slides_note(settings, at.k, at.x[0]) or ""
    made = [root_finding(at, function), second_derivative(at, settings.tolerance), bridge_1d(at)]
    return [Derivation(d.title, d.lines, d.slides, note) for d in made]


# ============================================================== Newton 2-D


def matrix_step(at: At | None) -> Derivation:
    """The 1-D step turned into the matrix step, then step k's numbers: ∇f, H, H⁻¹, the
    2×2 · 2×1 product and the new point."""
    lines: list[Line | Table] = [
        Line(ONE_D_STEP[1], ONE_D_STEP[0]),
        BRIDGE_TABLE,
        Line(TWO_D_STEP[1], TWO_D_STEP[0]),
        Line(ORDER[1], ORDER[0]),
    ]
    if at is None:
        return derivation(MATRIX_STEP, *lines, NO_START)
    k = at.k
    x, g, m = np.asarray(at.x), np.asarray(at.gradient), at.matrix
    nxt = _sub(k + 1)
    where = f"({fmt(x[0], X_DIGITS)}, {fmt(x[1], X_DIGITS)})"
    name = "H + τI" if at.damping else "H"
    tex_name = rf"(H + {_num(at.damping)}I)" if at.damping else "H"
    lines.append(
        Line(
            f"Step {k}: at ({html_sub('x', k)}, {html_sub('y', k)}) = {where} the gradient and "
            "the Hessian are"
            + (f" (modified Newton: H + τI with τ = {at.damping:g})" if at.damping else ""),
            rf"\nabla f = {_column(g)} \quad {tex_name} = {_matrix(m)}",
        )
    )
    det = float(np.linalg.det(m))
    if at.x_next is None or det == 0 or not np.isfinite(det):
        lines.append(
            Line(
                f"det {name} = {fmt(det, 4)}: {name} has no inverse, so the step is undefined "
                "(the tab stops Newton)."
            )
        )
        return derivation(MATRIX_STEP, *lines)
    a, b, c, d = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    adjugate = np.array([[d, -b], [-c, a]])
    inverse = adjugate / det
    lines.append(
        Line(
            f"The inverse of a 2×2 matrix: swap the diagonal, negate the rest, divide by "
            f"det {name} = ad − bc:",
            rf"{tex_name}^{{-1}} = \frac{{1}}{{{_num(det)}}}\;{_matrix(adjugate)}"
            rf" = {_matrix(inverse, 4)}",
        )
    )
    s = inverse @ g
    lines.append(
        Line(
            "Then H⁻¹ (2×2) times ∇f (2×1), in that order: the step s (2×1).",
            rf"s = {tex_name}^{{-1}}\,\nabla f = {_matrix(inverse, 4)}\;{_column(g)}"
            rf" = {_column(s)}",
        )
    )
    lines.append(
        Line(
            f"The new point: ({html_sub('x', k)}, {html_sub('y', k)}) − s.",
            _symbols(f"x_{nxt}", f"y_{nxt}")
            + f" = {_column(x, X_DIGITS)} - {_column(s)} = {_column(at.x_next, X_DIGITS)}",
        )
    )
    lines.append(
        Line(
            f"The app finds the same s by solving {name}·s = ∇f, without forming the inverse "
            "(cheaper and more accurate): the table's s and the point are that solution."
        )
    )
    return derivation(MATRIX_STEP, *lines)


def newton2d_derivations(settings: newton2d.Newton2DSettings, at: At | None) -> list[Derivation]:
    """Newton 2-D's derivations at ``at`` (Newton's shown step), with the slides' erratum."""
    note = ""
    if at is not None:
        note = newton2d.slides_note(settings, at.k, at.x, at.gradient, at.hessian, at.x_next) or ""
    d = matrix_step(at)
    return [Derivation(d.title, d.lines, d.slides, note)]
