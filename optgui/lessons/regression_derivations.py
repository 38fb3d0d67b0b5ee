"""The Regression tab's derivations (curriculum §1), built from the shown step's numbers.

- "The slides' MSE table": y, ŷ, y − ŷ, (y − ŷ)², ½(y − ŷ)² per house and their mean
  J, in dollars and ft² (a normalised run's line converted back);
- "The partial derivatives one by one": ∂L/∂ŷ, ∂ŷ/∂w₁, ∂ŷ/∂b, their products, the
  batch mean and the update, with the clicked house's numbers;
- "Why raw units need a tiny α": J's Hessian in the parameters and α < 2/λ1.

Plain data (:mod:`optgui.lessons.derivation`); the Derivation page reveals it line by line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from optgui.core.format import fmt
from optgui.core.training import TrainStep
from optgui.lessons.arithmetic import Line as Ln
from optgui.lessons.arithmetic import digits_for
from optgui.lessons.derivation import Derivation, Line, Table, derivation
from optgui.lessons.notation import subscript, tex_matrix, tex_number
from optgui.lessons.regression import Prepared, example_math, rate_advice

MSE_TITLE = "The slides' MSE table"
PARTIALS_TITLE = "The partial derivatives one by one"
RATE_TITLE = "Why raw units need a tiny α"
#: Rows of the MSE table at most (the selected example is always among them).
MAX_ROWS = 10

NORMALISED_NOTE = (
    "The run is normalised: x, y and ŷ here are z-scores, (value − mean)/std. "
    "Untick Normalise (or use the preset “the slides' MSE table”) for the slides' dollars "
    "and ft²; the MSE table shows this line in them."
)
TABLE_NOTE = "The run is normalised; the table shows its line in dollars and ft²."


# -- numbers ------------------------------------------------------------------------------


def amount(value: float) -> str:
    """A plain number for the table: 8,333,333.33 from a thousand up, else 4 digits."""
    if 1000 <= abs(value) < 1e12 or value == round(value) and abs(value) < 1e12:
        text = f"{abs(value):,.2f}".removesuffix(".00")
        return ("−" if value < 0 else "") + text
    return fmt(value, 4)


def cell(value: float) -> str:
    """A table cell: from a thousand up whole and grouped (the column stays narrow
    enough for a projector), else as :func:`amount`."""
    if 1000 <= abs(value) < 1e12:
        return ("−" if value < 0 else "") + f"{abs(value):,.0f}"
    return amount(value)


def tex(value: float, digits: int = 4) -> str:
    """A number in a formula: from a thousand up whole and grouped (20{,}000), as the
    slides write dollars; else ``digits`` significant digits."""
    if 1000 <= abs(value) < 1e12:
        return f"{value:,.0f}".replace(",", "{,}")
    return tex_number(value, digits)


def tex_amount(value: float) -> str:
    """:func:`amount` in a formula (8{,}333{,}333.33)."""
    if 1000 <= abs(value) < 1e12:
        return amount(value).replace("−", "-").replace(",", "{,}")
    return tex_number(value, 4)


def paren(text: str) -> str:
    """A formula number in parentheses when negative (to be multiplied)."""
    return f"({text})" if text.startswith("-") else text


def mean_of(terms: Sequence[str], m: int) -> str:
    r"""\frac{1}{m}(t_1 + … + t_m): every term up to four, else the first two and the last."""
    shown = list(terms) if len(terms) <= 4 else [terms[0], terms[1], r"\dots", terms[-1]]
    body = " + ".join(shown).replace("+ -", "- ")
    return rf"\frac{{1}}{{{m}}}\left({body}\right)"


# -- what the derivations share -------------------------------------------------------------


def _thing(prepared: Prepared) -> str:
    """What an example is called: the slides' data are houses."""
    return "house" if prepared.data.target_name == "price" else "example"


def _w(j: int) -> str:
    return f"w_{j + 1}"


def _model_tex(n: int) -> str:
    return r"\hat{y} = " + " + ".join(f"w_{j + 1}x_{j + 1}" for j in range(n)) + " + b"


def _line_tex(params: np.ndarray) -> str:
    """ŷ = 15 x₁ + 0 with the given parameters (raw or not)."""
    terms = [rf"{tex(w)}\,x_{j + 1}" for j, w in enumerate(params[:-1])]
    text = r"\hat{y} = " + " + ".join(terms) + f" + {tex(params[-1])}"
    return text.replace("+ -", "- ")


def derivations(record: TrainStep, prepared: Prepared, i: int) -> list[Derivation]:
    """The tab's derivations at ``record`` for example ``i`` (from 0), in the slides' order."""
    return [
        mse_table(record, prepared, i),
        partials(record, prepared, i),
        stable_rate(record, prepared),
    ]


# -- the MSE table -------------------------------------------------------------------------


def mse_rows(record: TrainStep, prepared: Prepared) -> dict[str, np.ndarray]:
    """Per example, in the data's own units: y, ŷ, y − ŷ, (y − ŷ)², ½(y − ŷ)²."""
    y = prepared.data.y
    yhat = np.asarray(prepared.raw_predictions(record.forward.yhat), dtype=float)
    error = y - yhat
    return {"y": y, "yhat": yhat, "error": error, "square": error**2, "half": error**2 / 2}


def mse_table(record: TrainStep, prepared: Prepared, i: int) -> Derivation:
    """The slides' MSE table for the shown step's line, in the data's own units."""
    data = prepared.data
    m, n = data.m, data.n_inputs
    rows = mse_rows(record, prepared)
    unit = data.target_unit
    units = data.units or (None,) * n
    raw = prepared.raw_params(record.params)
    J = float(np.mean(rows["half"]))

    money_ = f" ({unit})" if unit else ""
    squared = f" ({unit}²)" if unit else ""
    # (units in the headings, numbers alone in the cells: the table fits a projector)
    headings = [
        *(f"x{subscript(j + 1)}" + (f" ({u})" if u else "") for j, u in enumerate(units)),
        "y" + money_,
        "ŷ" + money_,
        "y − ŷ" + money_,
        "(y − ŷ)²" + squared,
        "½(y − ŷ)²" + squared,
    ]
    shown = list(range(min(m, MAX_ROWS)))
    if i not in shown:
        shown[-1] = i
    table_rows = [
        [
            *(cell(v) for v in data.X[r]),
            cell(rows["y"][r]),
            cell(rows["yhat"][r]),
            cell(rows["error"][r]),
            cell(rows["square"][r]),
            cell(rows["half"][r]),
        ]
        for r in shown
    ]
    table_rows.append(["J", *([""] * (n + 3)), cell(J)])  # (to the cent below)
    which = f"the first {len(shown)} of {m} rows; " if len(shown) < m else ""
    halves = [tex_amount(v) for v in rows["half"]]
    normalised = prepared.x_norm is not None
    if unit == "$":
        units_words = "dollars and square feet (the squares in $²)"
    else:
        units_words = "the data's own units"
    lines: list[Line | Table] = [
        Line(
            f"The line of this step in {units_words}"
            + (" (the run's line, converted back)" if normalised else ""),
            _line_tex(raw),
        ),
        Table(headings, table_rows, highlight=shown.index(i)),
        Line(
            f"J is the mean of the last column ({which}over all {m})",
            r"J = \frac{1}{m}\sum_{i=1}^{m}\frac{1}{2}(y_i-\hat{y}_i)^2 = "
            + mean_of(halves, m)
            + f" = {tex_amount(J)}",
        ),
    ]
    if normalised:
        sigma = float(prepared.y_norm.std)
        lines.append(
            Line(
                "The run itself works in z-scores: its cost is this J over σ<sub>y</sub>²",
                rf"J_z = \frac{{J}}{{\sigma_y^2}} = \frac{{{tex_amount(J)}}}"
                rf"{{({tex(sigma, 6)})^2}} = {tex(record.cost)}",
            )
        )
    return derivation(
        MSE_TITLE,
        *lines,
        slides="slides: Mean Squared Error",
        note=TABLE_NOTE if normalised else "",
    )


# -- the partial derivatives ----------------------------------------------------------------


def partials(record: TrainStep, prepared: Prepared, i: int) -> Derivation:
    """∂L/∂ŷ, ∂ŷ/∂wⱼ, ∂ŷ/∂b, their products, J and its mean gradient, then the update."""
    model, X, y = prepared.model, prepared.X, prepared.y
    e = example_math(record, model, X, y, i)
    n, m = len(e.x), len(y)
    thing = _thing(prepared)
    t = _written_partials(record, e)
    Y, Yhat = t["y"], t["yhat"]
    residual = f"({Y} - {paren(Yhat)})"
    single = record.example is not None
    which = (
        f"{thing} {i + 1}, the one this step uses"
        if single
        else f"{thing} {i + 1} (click another to follow it)"
    )
    products = " + ".join(rf"{paren(t[f'p{j}'])}\cdot {paren(t[f'x{j}'])}" for j in range(n))
    lines: list[Line | Table] = [
        Line(
            f"The prediction for {which}",
            f"{_model_tex(n)} = {products} + {paren(t[f'p{n}'])} = {Yhat}",
        ),
        Line(
            "Its loss",
            r"L = \frac{1}{2}(y-\hat{y})^2 = \frac{1}{2}"
            + residual
            + f"^2 = {tex(0.5 * e.residual**2)}",
        ),
        Line(
            "The chain rule: the parameters reach L only through ŷ",
            r",\quad ".join(
                rf"\frac{{\partial L}}{{\partial {q}}} = \frac{{\partial L}}{{\partial \hat{{y}}}}"
                rf"\cdot\frac{{\partial \hat{{y}}}}{{\partial {q}}}"
                for q in (*(_w(j) for j in range(n)), "b")
            ),
        ),
        Line(
            "The outer factor: the power rule, times the inner derivative −1",
            r"\frac{\partial L}{\partial \hat{y}} = \frac{1}{2}\cdot 2(y-\hat{y})\cdot(-1)"
            rf" = -(y-\hat{{y}}) = -{residual} = {t['dyhat']}",
        ),
    ]
    for j in range(n):
        lines.append(
            Line(
                f"ŷ changes with w{subscript(j + 1)} at the rate x{subscript(j + 1)}",
                rf"\frac{{\partial \hat{{y}}}}{{\partial {_w(j)}}} = x_{j + 1} = {t[f'x{j}']}",
            )
        )
    lines.append(Line("… and with b at the rate 1", r"\frac{\partial \hat{y}}{\partial b} = 1"))
    minus = rf"-{paren(t['r'])}"
    for j in range(n):
        lines.append(
            Line(
                "Multiply the factors" if j == 0 else "",
                rf"\frac{{\partial L}}{{\partial {_w(j)}}} = -(y-\hat{{y}})\,x_{j + 1} = "
                rf"{minus}\cdot {paren(t[f'x{j}'])} = {t[f'g{j}']}",
            )
        )
    lines.append(
        Line(
            "",
            r"\frac{\partial L}{\partial b} = -(y-\hat{y})\cdot 1 = " + f"{t[f'g{n}']}",
        )
    )
    losses = model.losses(record.params, X, y)
    lines.append(
        Line(
            f"Over all m = {m} {thing}s the cost J is the mean loss",
            r"J = \frac{1}{m}\sum_{i=1}^{m} L_i = "
            + mean_of([tex(v) for v in losses], m)
            + f" = {tex_amount(record.cost)}",
        )
    )
    names = (*(_w(j) for j in range(n)), "b")
    if single:
        lines.append(
            "One example at a time (as the slides write it): the step uses this "
            f"{thing}'s own slopes ∂L, not their mean ∂J"
        )
        slope = "L"
    else:
        per_example = model.per_example_gradients(record.params, X, y)
        for j, q in enumerate(names):
            factor = rf"\,x_{{i{j + 1}}}" if j < n else ""
            lines.append(
                Line(
                    "… so its slopes are the means of the examples' slopes" if j == 0 else "",
                    rf"\frac{{\partial J}}{{\partial {q}}} = \frac{{1}}{{m}}\sum_i"
                    rf" {{-}}(y_i-\hat{{y}}_i){factor} = "
                    + mean_of([tex(v) for v in per_example[:, j]], m)
                    + f" = {tex(record.gradients[j])}",
                )
            )
        slope = "J"
    for j, q in enumerate(names):
        lines.append(
            Line(
                f"Gradient descent steps against the slope (α = {fmt(record.learning_rate, 4)})"
                if j == 0
                else "",
                rf"{q} \leftarrow {q} - \alpha\frac{{\partial {slope}}}{{\partial {q}}} = "
                rf"{t[f'old{j}']} - {t[f'rate{j}']}\cdot {paren(t[f'step{j}'])}"
                rf" = {t[f'new{j}']}",
            )
        )
    return derivation(
        PARTIALS_TITLE,
        *lines,
        slides="slides: Regression With Perceptron — chain rule, gradient descent",
        note=NORMALISED_NOTE if prepared.x_norm is not None else "",
    )


def _written_partials(record: TrainStep, e) -> dict[str, str]:
    """The partials' numbers as written: each with the digits it takes for the shown terms
    of every line (ŷ = Σ wⱼxⱼ + b, y − ŷ, −(y − ŷ), −(y − ŷ)·xⱼ and the updates) to give
    the shown results (see :mod:`optgui.lessons.arithmetic`)."""
    n = len(e.x)
    p = [float(v) for v in record.params]
    names = [*(f"p{j}" for j in range(n + 1)), *(f"x{j}" for j in range(n)), "y", "yhat"]
    values = [*p, *e.x, e.y, e.yhat]
    names += ["r", "dyhat", *(f"g{j}" for j in range(n + 1))]
    values += [e.residual, e.dL_dyhat, *e.dL_dparams]
    for j in range(n + 1):
        names += [f"old{j}", f"rate{j}", f"step{j}", f"new{j}"]
        values += [p[j], record.learning_rate, record.gradients[j], record.params_next[j]]
    at = {name: k for k, name in enumerate(names)}
    weights = tuple(at[f"p{j}"] for j in range(n)) + tuple(at[f"x{j}"] for j in range(n))
    lines = [
        Ln(
            (*weights, at[f"p{n}"]),
            lambda *v: sum(v[j] * v[n + j] for j in range(n)) + v[-1],
            at["yhat"],
        ),
        Ln((at["y"], at["yhat"]), lambda y, yhat: y - yhat, at["r"]),
        Ln((at["y"], at["yhat"]), lambda y, yhat: -(y - yhat), at["dyhat"]),
        *(Ln((at["r"], at[f"x{j}"]), lambda r, x: -r * x, at[f"g{j}"]) for j in range(n)),
        Ln((at["r"],), lambda r: -r, at[f"g{n}"]),
        *(
            Ln(
                (at[f"old{j}"], at[f"rate{j}"], at[f"step{j}"]),
                lambda w, a, g: w - a * g,
                at[f"new{j}"],
            )
            for j in range(n + 1)
        ),
    ]
    chosen = digits_for(values, lines, write=_plain)
    return {name: _tex_of(_plain(v, d)) for name, v, d in zip(names, values, chosen, strict=True)}


def _plain(value: float, digits: int) -> str:
    """As :func:`tex` writes ``value`` (from a thousand up grouped, never fewer than its
    whole digits), in plain text with ``digits`` significant digits."""
    if 1000 <= abs(value) < 1e12:
        decimals = max(0, digits - len(str(int(abs(value)))))
        text = f"{abs(value):,.{decimals}f}"
        return ("−" if value < 0 and float(text.replace(",", "")) else "") + text
    return fmt(value, digits)


def _tex_of(plain: str) -> str:
    """A :func:`_plain` text in a formula: 20{,}000.5, -3.1\times 10^{-5}."""
    text = plain.replace("−", "-").replace(",", "{,}")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


# -- a stable α -----------------------------------------------------------------------------


def stable_rate(record: TrainStep, prepared: Prepared) -> Derivation:
    """J's Hessian in the parameters, its eigenvalues, and the α below which steps converge."""
    advice = rate_advice(prepared.X, "single" if record.example is not None else "full")
    n = prepared.data.n_inputs
    H = advice.hessian
    lam = advice.eigenvalues
    alpha = record.learning_rate
    a_i = "(" + ", ".join(f"x_{{i{j + 1}}}" for j in range(n)) + ", 1)"
    names = ", ".join([*(f"w{subscript(j + 1)}" for j in range(n)), "b"])
    lines: list[Line | Table] = [
        Line(
            f"J is a bowl in ({names}): its Hessian is the same at every point",
            rf"H = \frac{{1}}{{m}}\sum_i a_i a_i^{{T}},\quad a_i = {a_i},\quad H = "
            + tex_matrix([[tex(v) for v in row] for row in H]),
        ),
        Line(
            "Its eigenvalues, largest first (as the slides number them)",
            r",\quad ".join(rf"\lambda_{k + 1} = {tex(v)}" for k, v in enumerate(lam)),
        ),
        Line(
            "Each step multiplies the error along an eigenvector by 1 − αλ: "
            "it shrinks only if −1 < 1 − αλ < 1",
            rf"0 < \alpha < \frac{{2}}{{\lambda_1}} = {tex(2 / lam[0])}",
        ),
    ]
    if advice.batch == "single":
        lines.append(
            Line(
                "One example at a time, each step has its own Hessian aᵢaᵢᵀ (eigenvalue ‖aᵢ‖²)",
                rf"\alpha < \frac{{2}}{{\max_i \|a_i\|^2}} = {tex(advice.limit)}",
            )
        )
    verdict = "converges" if alpha < advice.limit else "diverges"
    lines += [
        Line(
            f"This run's α = {fmt(alpha, 4)} {verdict}",
            r",\quad ".join(
                rf"1 - \alpha\lambda_{k + 1} = {tex_number(1 - alpha * v, 8)}"
                for k, v in enumerate(lam)
            ),
        ),
        Line(
            "How much more sharply J curves across the valley than along it: "
            + (
                "normalised, the bowl is round and α near 1 works"
                if prepared.x_norm is not None
                else "raw ft² make b crawl, which is why the course normalises"
            ),
            rf"\frac{{\lambda_1}}{{\lambda_{len(lam)}}} = {tex(advice.condition)}",
        ),
    ]
    return derivation(
        RATE_TITLE,
        *lines,
        slides="beyond the slides: the Hessian (last part) applied to J",
        note="The run is normalised: H is the z-scores' Hessian."
        if prepared.x_norm is not None
        else "",
    )
