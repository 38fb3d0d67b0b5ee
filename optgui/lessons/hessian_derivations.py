"""The Hessian slides' derivations, with the typed function and the current point.

Three step-throughs for the Hessian Explorer's Derivation page:

- "How the Hessian is built": f → f_x, f_y → f_xx, f_xy, f_yx, f_yy, what the
  mixed partials mean and that f_xy = f_yx (both computed), the two notations,
  and H as the rows ∇f_xᵀ, ∇f_yᵀ;
- "Eigenvalues: det(H − λI) = 0": (4 − λ)(6 − λ) − (−1)(−1) = λ² − 10λ + 23, then the
  roots by the quadratic formula, λ1 the largest as on the slides (a cubic for 3×3);
- "The summary table": the 1-, 2- and n-variable columns, the applying row lit::

    f = parse_function("2*x^2 + 3*y^2 - x*y", ["x", "y"])
    r, problem = hessian.analysis_at(f, (0, 0))
    [d.title for d in derivations(f, (0, 0), r, problem)]

No Qt here: tests call these functions directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape

import numpy as np

from optgui.core.expr import Function, parse_function, second_partial
from optgui.core.format import fmt
from optgui.core.hessian import Analysis
from optgui.lessons import hessian as lesson
from optgui.lessons.derivation import Derivation, Line, Table, derivation
from optgui.lessons.notation import tex_column, tex_matrix, tex_number

DIGITS = 5  # significant digits of the numbers in the derivations
EXACT = 8  # … of sums and products shown before they are rounded (126736 − 125044.32)

BUILT = "How the Hessian is built"
EIGEN = "Eigenvalues: det(H − λI) = 0"
SUMMARY = "The summary table"

BUILT_SLIDES = "slides “Second Derivative” to “Hessian Matrix – General Case”"
EIGEN_SLIDES = "slides “Concave Up”, “Concave Down”, “Saddle Point”"
SUMMARY_SLIDES = "slides “Summary”"

SADDLE_TEXT = "2*x^2 - 2*y^2"

#: The saddle's slide lists λ1 = −4, λ2 = 4; the app numbers from the largest throughout.
SADDLE_ORDER = (
    "The saddle's slide lists λ₁ = −4, λ₂ = 4. The other slides number the eigenvalues "
    "from the largest (λ₁ = 6.41, λ₂ = 3.59), and so does this app everywhere: here "
    "λ₁ = 4, λ₂ = −4."
)


# ---------------------------------------------------------------- small pieces


def num(value: float) -> str:
    """A number for a formula (:func:`tex_number` with the derivations' digits)."""
    return tex_number(value, DIGITS)


def wrapped(value: float, digits: int = DIGITS) -> str:
    """A number for a product in a formula: negative ones in parentheses, as the slides."""
    text = tex_number(value, digits)
    return f"({text})" if text.startswith("-") else text


def pretty(text: str) -> str:
    """A formula's plain text as people write it: 12x² − 0.4y + 8, x·y."""
    text = re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = re.sub(r"(?<![A-Za-z_.\d])(\d+(?:\.\d+)?)\*(?=[xyz](?![A-Za-z_\d(]))", r"\1", text)
    text = text.replace("*", "·")
    return re.sub(r"(?<![\d.]e)-", "−", text)


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sub(name: str) -> str:
    """f with the subscript ``name`` in HTML (f<sub>xy</sub>)."""
    return f"f<sub>{name}</sub>"


def at_text(point: Sequence[float]) -> str:
    return "(" + ", ".join(fmt(v, 4) for v in point) + ")"


def at_latex(point: Sequence[float]) -> str:
    return "(" + ", ".join(tex_number(v, 4) for v in point) + ")"


def column(entries: Sequence[str]) -> str:
    """A bracketed column vector for mathtext."""
    return r"\left[" + tex_column(list(entries)) + r"\right]"


def poly_latex(coefficients: Sequence[float], digits: int = EXACT) -> str:
    """A polynomial in λ from its coefficients, highest power first: λ^2 - 10λ + 23."""
    degree = len(coefficients) - 1
    terms: list[str] = []
    for i, c in enumerate(coefficients):
        c = float(c)
        power = degree - i
        if c == 0:
            continue
        size = tex_number(abs(c), digits)
        lam = "" if power == 0 else (r"\lambda" if power == 1 else rf"\lambda^{power}")
        body = size if power == 0 else (lam if size == "1" else size + lam)
        if not terms:
            terms.append(("-" if c < 0 else "") + body)
        else:
            terms.append(("- " if c < 0 else "+ ") + body)
    return " ".join(terms) if terms else "0"


#: The coefficients of det(H − λI) (the lesson's: one convention for every page).
det_poly = lesson.det_poly


@lru_cache(maxsize=32)
def mixed(function: Function, i: int, j: int) -> tuple[str, str, Callable]:
    """∂/∂x_j of ∂f/∂x_i differentiated in that order (text, LaTeX, value at a point)."""
    return second_partial(function, i, j)


def same(a: float, b: float) -> bool:
    """Whether two computed second derivatives agree (to round-off)."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------- how H is built


def _partials(function: Function, point: Sequence[float] | None):
    """Per pair (i, j): the text, LaTeX and (at ``point``, if any) value of f_ij =
    ∂/∂x_j (∂f/∂x_i), each computed in its own order."""
    n = function.n
    out = {}
    for i in range(n):
        for j in range(n):
            text, latex, value = mixed(function, i, j)
            number = math.nan
            if point is not None:
                with np.errstate(all="ignore"):
                    number = value(point)
            out[i, j] = (text, latex, number)
    return out


def built(
    function: Function, point: Sequence[float], r: Analysis | None, problem: str = ""
) -> Derivation:
    """How the Hessian is built from f: the tree of second partials, their meaning,
    f_xy = f_yx, the notations and H as the rows ∇f_xᵀ, ∇f_yᵀ."""
    v = function.variables
    n = len(v)
    args = ", ".join(v)
    where_text, where = at_text(point), at_latex(point)
    ok = r is not None
    second = _partials(function, point if ok else None)
    first = [
        rf"f_{{{a}}} = \frac{{\partial f}}{{\partial {a}}} = {g}"
        for a, g in zip(v, function.gradient_latex, strict=True)
    ]
    lines: list[Line | Table] = [
        Line("The function, as typed:", f"f({args}) = {function.latex}"),
        Line(
            "Differentiate once along each axis: the first partial derivatives, the rates of "
            f"change of f w.r.t. {' and '.join(v)} (together they are the gradient ∇f).",
            r",\quad ".join(first),
        ),
        Line(
            "Differentiate each of them again, along each axis: the tree of second partial "
            "derivatives (read each row left to right)."
        ),
        Table(
            ["differentiate", *(f"… w.r.t. {a}" for a in v)],
            [
                [f"f = {pretty(function.text)}"]
                + [f"f_{a} = {pretty(t)}" for a, t in zip(v, function.gradient_text, strict=True)],
                *(
                    [f"f_{v[i]} = {pretty(function.gradient_text[i])}"]
                    + [f"f_{v[i]}{v[j]} = {pretty(second[i, j][0])}" for j in range(n)]
                    for i in range(n)
                ),
            ],
        ),
        Line(
            f"What they mean: {sub('xx')} is the rate of change of {sub('x')} w.r.t. x, "
            f"{sub('yy')} that of {sub('y')} w.r.t. y: the same idea as f″ with one variable. "
            f"The mixed partials {sub('xy')} ({sub('x')} w.r.t. y) and {sub('yx')} "
            f"({sub('y')} w.r.t. x): how the slope along one axis changes for tiny steps "
            "along the other.",
            r"f_{xy} = \frac{\partial}{\partial y}\left(f_x\right),\quad "
            r"f_{yx} = \frac{\partial}{\partial x}\left(f_y\right)",
        ),
    ]
    lines += _symmetry_lines(function, second, where_text, where, ok, problem)
    lines.append(_notation_line(v))
    grads = [
        rf"\nabla f_{{{v[i]}}} = "
        + column([f"f_{{{v[i]}{v[j]}}}" for j in range(n)])
        + (" = " + column([num(second[i, j][2]) for j in range(n)]) if ok else "")
        for i in range(n)
    ]
    lines.append(
        Line(
            "Each first derivative has a gradient of its own: its entries are a row of "
            + (f"second derivatives. At {where_text}:" if ok else "second derivatives."),
            r",\quad ".join(grads),
        )
    )
    names = [[f"f_{{{a}{b}}}" for b in v] for a in v]
    rows = tex_matrix([[rf"\nabla f_{{{a}}}^T"] for a in v])
    lines.append(
        Line(
            "Stack them as rows: the Hessian matrix, all the information about the second "
            "derivatives.",
            f"H = {tex_matrix(names)} = {rows}",
        )
    )
    numbers = (
        rf"H{where} = " + tex_matrix([[num(h) for h in row] for row in np.asarray(r.hessian)])
        if ok
        else ""
    )
    lines.append(
        Line(
            f"For this f, and at the point {where_text}:"
            if ok
            else f"For this f (at {where_text}: {escape(problem)}):",
            rf"H({args}) = {tex_matrix(function.hessian_latex)}"
            + (rf",\quad {numbers}" if numbers else ""),
        )
    )
    return derivation(BUILT, *lines, slides=BUILT_SLIDES)


def _symmetry_lines(function, second, where_text, where, ok, problem) -> list[Line]:
    """f_xy = f_yx (and f_xz = f_zx, f_yz = f_zy): each computed in its own order."""
    v = function.variables
    n = len(v)
    lines = []
    for i in range(n):
        for j in range(i + 1, n):
            a, b = v[i], v[j]
            parts, values = [], []
            for p, q in ((i, j), (j, i)):
                _, latex, value = second[p, q]
                formula = (
                    rf"f_{{{v[p]}{v[q]}}} = \frac{{\partial}}{{\partial {v[q]}}}"
                    rf"\left({function.gradient_latex[p]}\right) = {latex}"
                )
                if ok and num(value) != latex.replace(" ", ""):
                    formula += f" = {num(value)}"
                parts.append(formula)
                values.append(value)
            if not ok:
                verdict = f"At {where_text}: {escape(problem)}."
            elif same(*values):
                verdict = f"At {where_text} both give {fmt(values[0], DIGITS)}: equal."
            else:
                verdict = (
                    f"At {where_text} they differ ({fmt(values[0], DIGITS)} and "
                    f"{fmt(values[1], DIGITS)}): f's second derivatives are not continuous here."
                )
            if i == 0 and j == 1:  # the slides' pair: one line per order
                lines.append(
                    Line(
                        "They are the same! (In most cases: whenever the second derivatives "
                        f"are continuous.) Check it, computed both ways: {sub(a)} w.r.t. {b} …",
                        parts[0],
                    )
                )
                lines.append(Line(f"… and {sub(b)} w.r.t. {a}. {verdict}", parts[1]))
            else:
                lines.append(
                    Line(
                        f"Likewise {sub(a + b)} = {sub(b + a)}. {verdict}", r",\quad ".join(parts)
                    )
                )
    return lines


def _notation_line(v: Sequence[str]) -> Line:
    a, b = v[0], v[1]
    pairs = [
        (rf"\frac{{\partial^2 f}}{{\partial {a}^2}}", f"f_{{{a}{a}}}"),
        (rf"\frac{{\partial^2 f}}{{\partial {b}^2}}", f"f_{{{b}{b}}}"),
        (rf"\frac{{\partial^2 f}}{{\partial {a}\,\partial {b}}}", f"f_{{{a}{b}}}"),
        (rf"\frac{{\partial^2 f}}{{\partial {b}\,\partial {a}}}", f"f_{{{b}{a}}}"),
    ]
    more = " With z likewise (f<sub>zz</sub>, f<sub>xz</sub>, …)." if len(v) > 2 else ""
    return Line(
        "Two notations for the same four derivatives: Leibniz's (∂²f/∂x∂y) and Lagrange's "
        f"({sub('xy')}), paired as on the slides. (Strictly they read the order of x and y "
        f"oppositely; as {sub('xy')} = {sub('yx')} it does not matter.){more}",
        r",\quad ".join(f"{leibniz} = {lagrange}" for leibniz, lagrange in pairs),
    )


# ---------------------------------------------------------------- det(H − λI)


def minus_lambda(h: np.ndarray) -> list[list[str]]:
    """H − λI's entries: λ subtracted on the diagonal."""
    n = len(h)
    return [
        [rf"{num(h[i, j])} - \lambda" if i == j else num(h[i, j]) for j in range(n)]
        for i in range(n)
    ]


def product_2x2(h: np.ndarray) -> str:
    """(a − λ)(d − λ) − (b)(c) as the slides write it: (4 - λ)(6 - λ) - (-1)(-1)."""
    a, b, c, d = h[0, 0], h[0, 1], h[1, 0], h[1, 1]
    diagonal = rf"({num(a)} - \lambda)({num(d)} - \lambda)"
    if num(b) == "0" or num(c) == "0":
        return f"{diagonal} - 0"
    left, right = wrapped(b), wrapped(c)
    joined = (
        left + right
        if left.startswith("(") and right.startswith("(")
        else (rf"{left} \cdot {right}")
    )
    return f"{diagonal} - {joined}"


def quadratic_roots(h: np.ndarray) -> tuple[float, float, float, float, float]:
    """For λ² − tλ + d (t = trace, d = det of a symmetric 2×2 H): t, t², 4d, √(t² − 4d)
    and λ1 = (t + √…)/2 (the larger root). The discriminant is computed as
    (a − d)² + 4bc, which round-off cannot make negative for a symmetric H."""
    a, b, c, d = (float(x) for x in (h[0, 0], h[0, 1], h[1, 0], h[1, 1]))
    trace, det = a + d, a * d - b * c
    root = math.sqrt(max(0.0, (a - d) ** 2 + 4 * b * c))
    return trace, trace**2, 4 * det, root, (trace + root) / 2


def eigen(
    function: Function, point: Sequence[float], r: Analysis | None, problem: str = ""
) -> Derivation:
    """det(H − λI) expanded with the point's numbers, then its roots (λ1 the largest)."""
    n = function.n
    where_text, where = at_text(point), at_latex(point)
    note = lesson.erratum(function) or (SADDLE_ORDER if _is_saddle(function) else "")
    if r is None:
        return derivation(
            EIGEN,
            Line(f"At {where_text}: {escape(problem)}. Choose another point."),
            slides=EIGEN_SLIDES,
            note=note,
        )
    h = np.asarray(r.hessian, dtype=float)
    values, _ = lesson.slides_order(r)
    name = rf"\det(H{where} - \lambda I)"
    lines: list[Line] = [
        Line(f"The Hessian at {where_text}:", rf"H{where} = " + _numbers(h)),
        Line(
            "Its eigenvalues λ are the numbers that make H − λI singular: det(H − λI) = 0. "
            "Subtract λ on the diagonal:",
            rf"{name} = \det\left({tex_matrix(minus_lambda(h))}\right)",
        ),
    ]
    poly = poly_latex(det_poly(r))
    if n == 2:
        trace, t2, four_det, root, _ = quadratic_roots(h)
        big, small = (trace + root) / 2, (trace - root) / 2
        under = f"{tex_number(t2, EXACT)} - {wrapped(four_det, EXACT)}"
        lines += [
            Line(
                "The determinant of a 2×2 matrix: (top left)(bottom right) − "
                "(top right)(bottom left).",
                f"= {product_2x2(h)}",
            ),
            Line("Multiply out: a quadratic in λ.", f"= {poly}"),
            Line(
                "Its roots by the quadratic formula, λ = (−b ± √(b² − 4c)) / 2 for λ² + bλ + c:",
                rf"\lambda = \frac{{{num(trace)} \pm \sqrt{{{under}}}}}{{2}}"
                rf" = \frac{{{num(trace)} \pm {num(root)}}}{{2}}",
            ),
            Line(
                "As on the slides, λ₁ is the larger root (+), λ₂ the smaller (−):",
                rf"\lambda_1 = \frac{{{num(trace)} + {num(root)}}}{{2}} = {num(big)},\quad "
                rf"\lambda_2 = \frac{{{num(trace)} - {num(root)}}}{{2}} = {num(small)}",
            ),
        ]
    else:
        lines += [
            Line(
                f"A {n}×{n} determinant: expanding it (along the first row) gives a cubic in "
                "λ, not a quadratic; it starts with −λ³ (the three diagonal entries each "
                "contribute −λ).",
                f"= {poly}",
            ),
            Line(
                "A cubic has no quadratic formula: its three roots are found numerically "
                "(the eigenvalues of H), largest first as on the slides:",
                r",\quad ".join(rf"\lambda_{i + 1} = {num(x)}" for i, x in enumerate(values)),
            ),
        ]
    total = " + ".join(rf"\lambda_{i + 1}" for i in range(n))
    product = r" \cdot ".join(rf"\lambda_{i + 1}" for i in range(n))
    lines.append(
        Line(
            "Check: the eigenvalues add up to the trace of H (its diagonal) and multiply to "
            "its determinant.",
            rf"{total} = {num(float(np.sum(values)))} = \mathrm{{tr}}\,H,\quad "
            rf"{product} = {num(float(np.prod(values)))} = \det H",
        )
    )
    lines.append(_signs_line(r, values, where_text))
    return derivation(EIGEN, *lines, slides=EIGEN_SLIDES, note=note)


def _numbers(h: np.ndarray) -> str:
    return tex_matrix([[num(x) for x in row] for row in h])


def _signs_line(r: Analysis, values: np.ndarray, where_text: str) -> Line:
    """The signs of the eigenvalues, and what they say at this point."""
    relation = {1: ">", -1: "<", 0: "="}
    latex = r",\quad ".join(
        rf"\lambda_{i + 1} = {num(x)} {relation[s]} 0"
        for i, (x, s) in enumerate(zip(values, lesson.signs(values), strict=True))
    )
    if r.is_critical:
        words = {
            "minimum": f"All positive and ∇f = 0: {where_text} is a minimum!",
            "maximum": f"All negative and ∇f = 0: {where_text} is a maximum!",
            "saddle": f"Of both signs and ∇f = 0: {where_text} is a saddle point!",
            "inconclusive": (
                f"∇f = 0 but an eigenvalue is 0: at {where_text} the test needs more information."
            ),
        }[r.kind]
    else:
        words = (
            f"But ∇f ≠ 0 at {where_text}: not a critical point. The signs say f "
            f"{escape(lesson.CURVATURE.get(r.kind, r.kind))} here."
        )
    return Line(words, latex)


@lru_cache(maxsize=1)
def _saddle_text() -> str:
    return parse_function(SADDLE_TEXT, lesson.VARIABLES[:2]).text


def _is_saddle(function: Function) -> bool:
    return function.n == 2 and function.text == _saddle_text()


# ---------------------------------------------------------------- the summary table

HEADINGS = ("", "1 variable f(x)", "2 variables f(x, y)", "More variables f(x₁, …, xₙ)")
ROWS = (
    ("minimum", "(Local) minima", "Happy face: f″(x) > 0",
     "Upper paraboloid: λ₁ > 0 and λ₂ > 0", "All λᵢ > 0"),
    ("maximum", "(Local) maxima", "Sad face: f″(x) < 0",
     "Down paraboloid: λ₁ < 0 and λ₂ < 0", "All λᵢ < 0"),
    ("other", "Need more information", "f″(x) = 0",
     "Saddle point: λ₁ > 0 and λ₂ < 0, or λ₁ < 0 and λ₂ > 0. Or some λᵢ = 0",
     "Some λᵢ > 0 and some λⱼ < 0, or at least one λᵢ = 0"),
)  # fmt: skip


def summary_table(row: str | None) -> Table:
    """The slides' summary table in full; ``row`` ("minimum", "maximum", "other") lit."""
    keys = [key for key, *_ in ROWS]
    return Table(
        list(HEADINGS),
        [list(texts) for _, *texts in ROWS],
        highlight=keys.index(row) if row in keys else None,
    )


def summary(
    function: Function, point: Sequence[float], r: Analysis | None, problem: str = ""
) -> Derivation:
    """The slides' summary table, one variable beside two and n, with the row of the
    point's verdict lit."""
    n = function.n
    where_text = at_text(point)
    verdict = lesson.verdict(r, problem)
    lines: list[Line | Table] = [
        Line(
            "One variable (Newton 1-D): where f′(x) = 0, f″(x) > 0 is a “happy face” (a "
            "minimum), f″(x) &lt; 0 a “sad face” (a maximum), f″(x) = 0: need more information."
        ),
        Line(
            f"With {n} variables the eigenvalues of H play the part of f″"
            + (f". At {where_text}:" if r is not None else "."),
            r",\quad ".join(
                rf"\lambda_{i + 1} = {num(x)}" for i, x in enumerate(lesson.slides_order(r)[0])
            )
            if r is not None
            else "",
        ),
        summary_table(verdict.row),
    ]
    if r is None:
        lines.append(Line(f"At {where_text}: {escape(problem)}. No row applies."))
    elif verdict.row is None:
        lines.append(
            Line(
                f"∇f ≠ 0 at {where_text}: not a critical point, so no row applies (the "
                "table is about points where ∇f = 0). Press Play to walk to one."
            )
        )
    else:
        i = [key for key, *_ in ROWS].index(verdict.row)
        heading, cell = (HEADINGS[2], ROWS[i][3]) if n == 2 else (HEADINGS[3], ROWS[i][4])
        lines.append(
            Line(
                f"∇f = 0 at {where_text}: the lit row applies. In the column “{heading}”: "
                f"“{escape(cell)}”. {verdict.title}."
            )
        )
    return derivation(SUMMARY, *lines, slides=SUMMARY_SLIDES)


# ---------------------------------------------------------------- all of them


def derivations(
    function: Function, point: Sequence[float], r: Analysis | None, problem: str = ""
) -> list[Derivation]:
    """The Hessian tab's derivations for ``function`` at ``point`` (``r`` its analysis
    there, None with the ``problem`` where there is none)."""
    point = tuple(float(x) for x in point)
    return [
        built(function, point, r, problem),
        eigen(function, point, r, problem),
        summary(function, point, r, problem),
    ]
