"""The Hessian Explorer's lesson: its settings, its Newton walk and every text it shows.

The tab reads the slides' analysis off any typed function at any point: the
gradient, the Hessian, the characteristic polynomial det(H − λI) (in every number of
variables, as on the slides) and its roots,
the eigenvectors and the verdict of the slides' summary table. Eigenvalues are
numbered as on the slides, λ1 the largest::

    s = HessianLesson(function="2*x^2 + 3*y^2 - x*y", point=(0.0, 0.0))
    f = parse(s)
    r, problem = analysis_at(f, s.point)
    analysis_rows(s.point, r, problem)      # [('point (x, y)', '(0, 0)'), ('f', '0'), …]
    walk_factory(s, f)(None)                # Newton's method from s.point

No Qt here: tests call these functions directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from optgui.core.expr import MAX_LENGTH, ExpressionError, Function, parse_function
from optgui.core.format import fmt
from optgui.core.hessian import Analysis, analyze, find_critical_points
from optgui.core.newton import Step, newton
from optgui.core.race import UNLIMITED, StepColumns
from optgui.core.stepping import CONVERGED, Outcome, Stepper
from optgui.lessons import captions
from optgui.lessons.notation import subscript, tex_column, tex_matrix, tex_number
from optgui.lessons.settings import Settings, SettingsError, spec

VARIABLES = ("x", "y", "z")
START_TEXT = "2*x^2 + 3*y^2 - x*y"
MAX_PRESET = "-2*x^2 - 3*y^2 - x*y + 15"

GUIDE = (
    "Click or drag on the map to choose a point. The black arrow is the gradient ∇f; the two "
    "lines are the Hessian's eigenvector directions: blue and solid where f curves up (λ > 0), "
    "red and dashed where it curves down (λ < 0). The purple dashed rings are the Taylor "
    "paraboloid the Hessian describes: near the point they follow f's own contours. Where "
    "∇f = 0, the signs of the eigenvalues give the slides' verdict. Press Play to walk to a "
    "critical point with Newton's method."
)

#: The slides print λ1 = −3.49 for this example; the roots are −5 ± √2.
ERRATUM = (
    "Note: the slides print −3.49 for one eigenvalue of this example. The roots of "
    "λ² + 10λ + 23 are −5 ± √2, that is −3.59 and −6.41: −3.59 is right."
)


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class HessianLesson(Settings):
    """What the tab's widgets hold: the function, the point (the walk's start), the map."""

    function: str = spec(START_TEXT, label="the function")
    variables: tuple[str, ...] = spec(("x", "y"), label="the variables")
    point: tuple[float, ...] = spec((0.0, 0.0), label="the point")
    center: tuple[float, float] = spec((0.0, 0.0), label="the map's centre")
    half: float = spec(3.0, low=0.01, high=1000.0, label="the map's half-width")

    def validate(self) -> None:
        if self.variables not in (VARIABLES[:2], VARIABLES):
            raise SettingsError("the variables should be x, y or x, y, z")
        if not self.function.strip():
            raise SettingsError("the function is empty")
        if len(self.function) > MAX_LENGTH:
            raise SettingsError(f"the function is too long: at most {MAX_LENGTH} characters")
        n = len(self.variables)
        if len(self.point) != n:
            raise SettingsError(
                f"the point should have {n} coordinates ({', '.join(self.variables)})"
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
        "H = [[4, 0], [0, −4]]: λ² − 16, eigenvalues 4 and −4",
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


# ---------------------------------------------------------------- the function


def uses(function: Function, name: str) -> bool:
    """Whether the formula contains the variable ``name``."""
    return any(s.name == name for s in function.expr.free_symbols)


def slice_text(text: str, name: str, value: float) -> str:
    """The formula with the variable ``name`` replaced by a number (for the slice z = const)."""
    number = f"({value!r})"
    return re.sub(rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])", number, text)


def parse(settings: HessianLesson) -> Function:
    """The settings' function, parsed (ExpressionError if it cannot be)."""
    return parse_function(settings.function, settings.variables)


@lru_cache(maxsize=16)
def slice_at(text: str, z: float) -> Function:
    """f(x, y, z) at z = const, as a function of x and y (ExpressionError if it has none)."""
    return parse_function(slice_text(text, "z", z), VARIABLES[:2])


def planes(function: Function, z: float = 0.0) -> tuple[Function, Function, float]:
    """(f, the function of x and y the map shows, the slice's z) for a typed ``function``.

    A function that uses z is kept in three variables and sliced at ``z`` (at z = 1
    if it has no slice there, e.g. log(z) at 0); any other is read in x and y.
    ExpressionError if neither works.
    """
    if uses(function, "z"):
        try:
            return function, slice_at(function.text, z), z
        except ExpressionError:
            return function, slice_at(function.text, 1.0), 1.0
    plane = (
        function
        if function.variables == VARIABLES[:2]
        else parse_function(function.text, VARIABLES[:2])
    )
    return plane, plane, 0.0


def slice_problem(function: Function, z: float) -> str:
    """Why f(x, y, z) has no slice at ``z`` ("" if it has one)."""
    try:
        slice_at(function.text, z)
    except ExpressionError as err:
        return f"No slice at z = {fmt(z, 4)}: {err}"
    return ""


def preset_point(preset: Preset, n: int) -> tuple[float, ...]:
    """The preset's point in n coordinates (missing ones 0)."""
    point = [float(v) for v in preset.point[:n]]
    return tuple(point + [0.0] * (n - len(point)))


def start_point(point: Sequence[float], n: int, z: float) -> tuple[float, ...]:
    """``point`` made n coordinates long; in three variables its z is the slice's."""
    x, y = (float(v) for v in point[:2])
    return (x, y, float(z)) if n == 3 else (x, y)


@lru_cache(maxsize=1)
def _max_preset_text() -> str:
    """The slides' maximum example as the parser writes it (the errata note is about it)."""
    return parse_function(MAX_PRESET, VARIABLES[:2]).text


def erratum(function: Function) -> str:
    """The errata note for the slides' maximum example, "" for any other function."""
    return ERRATUM if function.n == 2 and function.text == _max_preset_text() else ""


# ---------------------------------------------------------------- the walk


@dataclass(frozen=True, eq=False)
class Walk:
    """The Newton walk's factory: ``walk(None)`` starts at ``settings.point``,
    ``walk(last)`` continues after the step ``last``. The step limit is the run's."""

    settings: HessianLesson
    function: Function

    def __post_init__(self) -> None:
        s, f = self.settings, self.function
        if (f.text, f.variables) != (s.function, s.variables):
            raise ValueError(f"{f.text} in {f.variables} is not the settings' function")

    def __call__(self, last: Step | None) -> Stepper[Step]:
        if last is None:
            return newton(self.function, self.settings.point, max_steps=UNLIMITED)
        return newton(self.function, last.x_next, k0=last.k + 1, max_steps=UNLIMITED)


def walk_factory(settings: HessianLesson, function: Function) -> Walk:
    """Newton's method from the settings' point on ``function`` (parsed from the settings)."""
    return Walk(settings, function)


def rebuild_step(row: np.ndarray, settings: HessianLesson) -> Step:
    """A Newton step from its history row (k, x, f, ∇f, H, s, x_next)."""
    return StepColumns(len(settings.variables)).step(np.asarray(row, dtype=float))


# ---------------------------------------------------------------- the analysis


def analysis_at(function: Function, point: Sequence[float]) -> tuple[Analysis | None, str]:
    """The core's analysis at ``point``, or None and the reason in words."""
    problem = function.domain_problem(tuple(float(v) for v in point))
    if problem:
        return None, f"f is not defined here: {problem}"
    with np.errstate(all="ignore"):
        try:
            result = analyze(function, np.asarray(point, dtype=float))
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
            return None, f"the analysis fails here: {err}"
    numbers = [result.value, *np.ravel(result.gradient), *np.ravel(result.hessian)]
    if not all(math.isfinite(float(v)) for v in numbers):
        return None, "f or its derivatives are not finite numbers here"
    return result, ""


def slides_order(r: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues largest first, as the slides number them (λ1 = 6.41, λ2 = 3.59), and
    their eigenvectors as columns in the same order."""
    order = np.argsort(r.eigenvalues, kind="stable")[::-1]
    return np.asarray(r.eigenvalues)[order], np.asarray(r.eigenvectors)[:, order]


def signs(values: Sequence[float]) -> list[int]:
    """+1, −1 or 0 per eigenvalue, with the core's rule for "zero" (|λ| ≤ 1e-8·max(1, max|λ|))."""
    values = np.asarray(values, dtype=float)
    zero = 1e-8 * max(1.0, float(np.max(np.abs(values)))) if len(values) else 0.0
    return [0 if abs(v) <= zero else (1 if v > 0 else -1) for v in values]


# ---------------------------------------------------------------- texts


def vector_text(v: Sequence[float]) -> str:
    return "(" + ", ".join(fmt(x, 4) for x in v) + ")"


def matrix_row_text(row: Sequence[float]) -> str:
    return "[" + ", ".join(fmt(x, 4) for x in row) + "]"


def lambda_name(i: int) -> str:
    """λ₁, λ₂, … for the i-th eigenvalue (from 0) in the slides' order."""
    return f"λ{subscript(i + 1)}"


#: The characteristic polynomial as the slides write it, in every number of variables.
POLY_NAME = "det(H − λI)"

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def poly_name(n: int) -> str:
    """det(H − λI): the slides' convention, for any n (the table's row)."""
    return POLY_NAME


def det_poly(r: Analysis) -> np.ndarray:
    """The coefficients of det(H − λI), highest power first (the core's are det(λI − H):
    (−1)ⁿ times them, so for three variables the cubic starts with −λ³)."""
    c = np.asarray(r.char_poly, dtype=float)
    return c * (-1) ** (len(c) - 1) + 0.0


def poly_text(coefficients: Sequence[float]) -> str:
    """A polynomial in λ as text, highest power first: 'λ² − 10λ + 23', '−λ³ + 4λ² + …'."""
    degree = len(coefficients) - 1
    terms: list[str] = []
    for i, c in enumerate(coefficients):
        c, power = float(c), degree - i
        if c == 0:
            continue
        number = fmt(abs(c))
        exponent = str(power).translate(_SUPERSCRIPTS) if power > 1 else ""
        lam = "" if power == 0 else "λ" + exponent
        body = number if power == 0 else (lam if number == "1" else number + lam)
        if not terms:
            terms.append(("−" if c < 0 else "") + body)
        else:
            terms.append(f"{'−' if c < 0 else '+'} {body}")
    return " ".join(terms) if terms else "0"


def char_poly_text(r: Analysis) -> str:
    """det(H − λI) at the point as text (the slides' sign in every dimension)."""
    return poly_text(det_poly(r))


def verdict_text(r: Analysis) -> str:
    """The verdict in the words of the slides' summary table."""
    if r.verdict == "inconclusive":
        return "need more information (the test is inconclusive)"
    return str(r.verdict)


CURVATURE = {
    "minimum": "curves up in every direction (all λ > 0)",
    "maximum": "curves down in every direction (all λ < 0)",
    "saddle": "curves up in some directions, down in others (λ of both signs)",
    "inconclusive": "flat in some direction (an eigenvalue is 0)",
}

TABLE_DIGITS = 7  # significant digits of the numbers in the analysis table


def analysis_rows(
    point: Sequence[float], r: Analysis | None, problem: str = ""
) -> list[tuple[str, str]]:
    """The analysis table: (quantity, value) rows, eigenvalues in the slides' order."""
    n = len(point)
    rows = [(f"point ({', '.join(VARIABLES[:n])})", vector_text(point))]
    if r is None:
        return [*rows, ("verdict", problem)]
    values, vectors = slides_order(r)
    hessian = np.asarray(r.hessian)
    rows.append(("f", fmt(r.value, TABLE_DIGITS)))
    rows.append(("∇f", vector_text(np.asarray(r.gradient))))
    rows += [(f"H row {i + 1}", matrix_row_text(hessian[i])) for i in range(n)]
    rows.append(("trace H", fmt(r.trace, TABLE_DIGITS)))
    rows.append(("det H", fmt(r.det, TABLE_DIGITS)))
    rows.append((poly_name(n), char_poly_text(r)))
    rows += [(lambda_name(i), fmt(v, TABLE_DIGITS)) for i, v in enumerate(values)]
    rows += [
        (f"eigenvector of {lambda_name(i)}", vector_text(vectors[:, i]))
        for i in range(len(values))
    ]
    rows.append(("critical point?", "yes: ∇f = 0" if r.is_critical else "no: ∇f ≠ 0"))
    rows.append(("curvature here", CURVATURE.get(r.kind, r.kind)))
    rows.append(("verdict", verdict_text(r)))
    return rows


def function_latex(function: Function) -> list[str]:
    """f, ∇f and H as formulas of the variables."""
    args = ", ".join(function.variables)
    return [
        f"f({args}) = {function.latex}",
        r"\nabla f = \left[" + tex_column(function.gradient_latex) + r"\right]",
        "H = " + tex_matrix(function.hessian_latex),
    ]


def point_heading(point: Sequence[float]) -> str:
    return f"<b>At the point ({', '.join(fmt(v, 4) for v in point)})</b>"


def numbers_latex(r: Analysis | None) -> list[str]:
    """∇f, H, the characteristic equation and the eigenvalues at the point, in numbers
    (four empty formulas where there is no analysis)."""
    if r is None:
        return ["", "", "", ""]
    gradient, hessian = np.asarray(r.gradient), np.asarray(r.hessian)
    values, _ = slides_order(r)
    poly = char_poly_text(r).replace("−", "-").replace("λ", r"\lambda ")
    poly = poly.replace("²", "^2").replace("³", "^3")
    name = r"\det(H - \lambda I)"
    return [
        # the heading names the point, so the formulas stay short enough for a narrow column
        r"\nabla f = \left[" + tex_column([tex_number(g) for g in gradient]) + r"\right]",
        "H = " + tex_matrix([[tex_number(h) for h in row] for row in hessian]),
        rf"{name} = {poly} = 0",
        r",\quad ".join(rf"\lambda_{i + 1} = {tex_number(v)}" for i, v in enumerate(values)),
    ]


KIND_TITLES = {
    "minimum": "Local minimum",
    "maximum": "Local maximum",
    "saddle": "Saddle point",
    "inconclusive": "Need more information",
}

KIND_COLORS = {
    "minimum": "#D6EAF8",
    "maximum": "#FADBD8",
    "saddle": "#FCF3CF",
}
NO_KIND_COLOR = "#EEEEEE"


@dataclass(frozen=True)
class Verdict:
    """The verdict box: a title, a sentence, its background and the summary row it marks
    ("minimum", "maximum", "other" or None)."""

    title: str
    text: str
    color: str
    row: str | None


def verdict(r: Analysis | None, problem: str = "") -> Verdict:
    if r is None:
        return Verdict("No analysis here", problem, NO_KIND_COLOR, None)
    why = str(r.explanation)
    why = why[:1].upper() + why[1:]
    if not r.is_critical:
        return Verdict("Not a critical point", why, NO_KIND_COLOR, None)
    row = r.kind if r.kind in ("minimum", "maximum") else "other"
    return Verdict(KIND_TITLES[r.kind], why, KIND_COLORS.get(r.kind, NO_KIND_COLOR), row)


SUMMARY = (
    ("minimum", "local minimum", "λ₁ > 0 and λ₂ > 0 (upward paraboloid)", "all λᵢ > 0"),
    ("maximum", "local maximum", "λ₁ < 0 and λ₂ < 0 (downward paraboloid)", "all λᵢ < 0"),
    (
        "other",
        "other",
        "one λ > 0 and one < 0: saddle; some λ = 0: need more information",
        "some λᵢ > 0 and some < 0: saddle; any λᵢ = 0: need more information",
    ),
)


def summary_rows(row: str | None, n: int) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """The slides' summary table as plain text: its headings, and (kind, condition,
    marked) rows with the column for n variables; ``row`` is marked "▶"."""
    title = "2 variables" if n == 2 else "n variables"
    rows = [
        (f"▶ {name}" if key == row else name, two if n == 2 else many, key == row)
        for key, name, two, many in SUMMARY
    ]
    return ["", title], rows


def point_status(point: Sequence[float], r: Analysis | None, problem: str = "") -> str:
    """The status line for the point."""
    where = vector_text(point)
    if r is None:
        return f"At {where}: {problem}"
    if r.is_critical:
        return f"At {where}: {verdict_text(r)}. Click or drag on the map to explore."
    return f"At {where}: not a critical point. Press Space to walk to one with Newton's method."


def eigen_label(i: int, value: float, n: int) -> str:
    """The map's label of an eigenvector of the plotted (x, y) Hessian; numbered only when
    it is the table's (two variables)."""
    return f"{lambda_name(i) if n == 2 else 'λ'} = {fmt(value, 4)}"


def slice_note(z: float) -> str:
    return (
        "f uses x, y and z: the table shows the 3×3 Hessian at (x, y, z). The map and "
        f"the 3D view show the slice z = {fmt(z, 4)}; its lines use the x, y part of H."
    )


def map_title(n: int, z: float) -> str:
    return "Contours of f(x, y)" if n == 2 else f"Contours of the slice z = {fmt(z, 4)}"


def surface_name(n: int, z: float) -> str:
    return "f" if n == 2 else f"f(x, y, {fmt(z, 4)})"


#: What a surface looks like around the point, by the signs of its Hessian's eigenvalues.
SHAPES = {
    "minimum": "a bowl",
    "maximum": "a dome",
    "saddle": "a saddle",
    "inconclusive": "flat in some direction",
}


def slice_contrast(full: Analysis | None, plane: Analysis | None) -> str:
    """Where the slice's shape is not f's: 'a bowl in x, y — a saddle in x, y, z' ("" where
    they agree or either is unknown)."""
    if full is None or plane is None or full.kind == plane.kind:
        return ""
    return f"{SHAPES[plane.kind]} in x, y — {SHAPES[full.kind]} in x, y, z"


def slice_label(n: int, z: float, full: Analysis | None, plane: Analysis | None) -> str:
    """The label on the map with three variables: the slice it shows, and where the slice
    looks unlike f around the point, both shapes ("" with two variables)."""
    if n != 3:
        return ""
    contrast = slice_contrast(full, plane)
    return f"slice z = {fmt(z, 4)}" + (f": {contrast}" if contrast else "")


def surface_title(
    n: int, z: float, full: Analysis | None = None, plane: Analysis | None = None
) -> str:
    """The 3D view's title: f and its Taylor paraboloid, or which slice of f it shows."""
    if n != 3:
        return "f and its Taylor paraboloid near the point"
    contrast = slice_contrast(full, plane)
    title = f"The slice z = {fmt(z, 4)}: f(x, y, {fmt(z, 4)}) and its Taylor paraboloid"
    return f"{title} ({contrast})" if contrast else title


def surface_legend(mesh_color: str) -> str:
    """The 3D view's caption, naming the mesh's colour (``mesh_color``, in words)."""
    return (
        f"Coloured surface: f.  {mesh_color.capitalize()} mesh: its 2nd-order Taylor "
        "approximation.  Dot: the point.  Drag to turn."
    )


# ---------------------------------------------------------------- critical points


def tidy(value: float) -> float:
    """Round-off of a found critical point (1e-32 …) shown as the 0 it is."""
    return 0.0 if abs(value) < 1e-12 else float(value)


def critical_kind(c: Analysis) -> str:
    """Short words for the list: minimum, maximum, saddle, need more info."""
    return {"inconclusive": "need more info"}.get(c.kind, c.kind)


def critical_rows(found: Sequence[Analysis]) -> list[tuple[str, str, str]]:
    """The list of critical points: (point, f, kind)."""
    return [
        (
            vector_text([tidy(v) for v in c.point]),
            fmt(tidy(c.value), TABLE_DIGITS),
            critical_kind(c),
        )
        for c in found
    ]


SEARCHING = "Searching for critical points…"


def critical_note(found: Sequence[Analysis]) -> str:
    if not found:
        return "None found in this window."
    return (
        f"{len(found)} found by Newton's method from a grid of starts. "
        "Click one to move the point there."
    )


def search_bounds(window, n: int, z: float, half: float) -> list[tuple[float, float]]:
    """The box searched: the map's window, and z ± half in three variables."""
    (x0, x1), (y0, y1) = window
    bounds = [(float(x0), float(x1)), (float(y0), float(y1))]
    if n == 3:
        bounds.append((z - half, z + half))
    return bounds


@dataclass(frozen=True, eq=False)
class Search:
    """The critical points found: the one record of a background search run."""

    k: int
    key: tuple
    points: tuple

    def as_row(self) -> np.ndarray:
        return np.array([float(self.k), float(len(self.points))])


def search_run(function: Function, bounds: list, key: tuple) -> Stepper:
    """A one-record run that searches the critical points of ``function`` in ``bounds``."""

    def run() -> Generator[Search, None, Outcome]:
        found = find_critical_points(function, bounds)
        yield Search(0, key, tuple(found))
        return Outcome(CONVERGED, f"{len(found)} critical points found", 0)

    return Stepper(run())


def search_factory(function: Function, bounds: list, key: tuple, last: Any = None) -> Stepper:
    """The run engine's factory of a search (``partial`` of it pickles, for the worker)."""
    return search_run(function, bounds, key)


def next_caption(
    settings: HessianLesson, record: Step | None, outcome: Outcome | None = None
) -> str:
    """What the next step of the Newton walk does, for the presenter's caption."""
    end = captions.ended(outcome)
    if end:
        return end
    x = settings.point if record is None else tuple(float(v) for v in record.x_next)
    return (
        f"{captions.heading(record)} Newton's walk jumps from {captions.point(x)} to the flat "
        "point of the quadratic (Taylor) model (solves H·s = ∇f, moves by −s), heading for a "
        "point where ∇f = 0."
    )
