"""The slides' sigmoid and log-loss derivations, with the run's numbers (Qt-free).

Both the Classification tab and the 2-2-1 Network tab show them:

* :func:`sigmoid_derivation`: σ′(z) = σ(z)(1 − σ(z)), frame by frame as the slides
  build it (power rule, chain rule, the "+ 1 − 1" trick), ending with the numbers
  of each sigmoid unit of the shown example (ŷ, and a₁, a₂ in the network);
* :func:`log_loss_derivation`: ∂L/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ) brought to one
  fraction, the ŷ(1 − ŷ) that cancels, and ∂L/∂w = −(y − ŷ)·(the weight's input).

Numbers are computed from z (1 − σ(z) as σ(−z), so nothing cancels) and written
with :func:`optgui.lessons.notation.tex_number`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from optgui.core.activations import sigmoid
from optgui.core.format import fmt
from optgui.lessons.arithmetic import Line as Ln
from optgui.lessons.arithmetic import digits_for
from optgui.lessons.derivation import Derivation, Line, derivation
from optgui.lessons.notation import html_symbol, tex_number, tex_symbol

#: Significant digits of the numbers a line starts from, and of the results it reaches.
GIVEN = 4
RESULT = 5

SIGMOID_TITLE = "σ′(z) = σ(z)(1 − σ(z))"
SIGMOID_SLIDES = "“Derivative of a Sigmoid Function”"
LOG_LOSS_SLIDES = "“Classification with a perceptron: Calculating the derivatives”"

_E = r"(1+e^{-z})"  # the denominator the slides carry through
_SIGMA = r"\dfrac{1}{1+e^{-z}}"


def num(value: float, digits: int = GIVEN) -> str:
    """A number for a formula (∞ as \\infty)."""
    value = float(value)
    if np.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    return tex_number(value, digits)


def par(value: float, digits: int = GIVEN) -> str:
    """A number for a formula, in parentheses when negative: 0.5\\cdot(-0.3)."""
    return _par(num(value, digits))


def _par(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def written_tex(values: Sequence[float], lines: Sequence[Ln], digits: Sequence[int]) -> list[str]:
    """``values`` for formulas, each with the digits (at least ``digits``) it takes for
    every line's terms as written to give its result as written."""
    chosen = digits_for(values, lines, digits)
    return [num(v, d) for v, d in zip(values, chosen, strict=True)]


def e_minus(z: float) -> str:
    """e^{−z} with z's value put in: e^{-2.1}, e^{1.5} for z = −1.5, e^{0}."""
    return f"e^{{{num(-z) if z else '0'}}}"


def sigma_pair(z: float) -> tuple[float, float]:
    """σ(z) and 1 − σ(z) (as σ(−z): exact even where σ(z) rounds to 1)."""
    return float(sigmoid(z)), float(sigmoid(-z))


@dataclass(frozen=True)
class Unit:
    """A sigmoid unit of the shown example: ``a`` = σ(``z``), by the app's names ('a1', 'z1';
    'ŷ', 'z'); ``who`` says which unit it is, in words."""

    who: str
    z_name: str
    a_name: str
    z: float

    @property
    def a(self) -> float:
        return sigma_pair(self.z)[0]

    @property
    def slope(self) -> float:
        """σ′(z) = a(1 − a)."""
        a, one_minus_a = sigma_pair(self.z)
        return a * one_minus_a

    def line(self) -> Line:
        """The unit's σ(z) and σ′(z), both ways: e^{−z}/(1 + e^{−z})² and a(1 − a), with
        a written with the digits a(1 − a) needs (σ(10.65) is 0.9999763, not 1)."""
        z, a = tex_symbol(self.z_name), tex_symbol(self.a_name)
        a_num, slope = written_tex(
            [self.a, self.slope], [Ln((0,), lambda a: a * (1 - a), 1)], [GIVEN, RESULT]
        )
        e = e_minus(self.z)
        return Line(
            f"{self.who}: {html_symbol(self.z_name)} = {fmt(self.z, GIVEN)}",
            rf"{a} = \sigma({z}) = \dfrac{{1}}{{1+{e}}} = {a_num},\quad "
            rf"\dfrac{{\partial {a}}}{{\partial {z}}} = \dfrac{{{e}}}{{(1+{e})^2}} "
            rf"= {a}\,(1-{a}) = {a_num}\,(1-{a_num}) = {slope}",
        )


def sigmoid_derivation(units: Sequence[Unit], example: str, note: str = "") -> Derivation:
    """σ′(z) = σ(z)(1 − σ(z)) as the slides derive it, then each of ``units`` with the
    shown example's numbers (``example`` names it, HTML)."""
    one = r"\dfrac{1}{1+e^{-z}}"
    lines: list[Line] = [
        Line(
            "The sigmoid squashes any z into (0, 1). To differentiate it, write it as a power:",
            rf"\sigma(z) = {_SIGMA} = {_E}^{{-1}}",
        ),
        Line(
            "Power rule, then the chain rule: times the derivative of what is inside.",
            rf"\dfrac{{d}}{{dz}}\sigma(z) = \dfrac{{d}}{{dz}}{_E}^{{-1}} "
            rf"= -1\,{_E}^{{-1-1}}\left(\dfrac{{d}}{{dz}}{_E}\right)",
        ),
        Line(
            "Inside: the 1 gives 0; e<sup>−z</sup> gives e<sup>−z</sup> times the "
            "derivative of −z, which is −1.",
            rf"= -1\,{_E}^{{-2}}\left(\dfrac{{d}}{{dz}}(1) + \dfrac{{d}}{{dz}}(e^{{-z}})\right) "
            rf"= -1\,{_E}^{{-2}}\left(0 + e^{{-z}}\,\dfrac{{d}}{{dz}}(-z)\right) "
            rf"= -1\,{_E}^{{-2}}\,(e^{{-z}})\,(-1)",
        ),
        Line(
            "The two −1 cancel:",
            rf"\dfrac{{d}}{{dz}}\sigma(z) = {_E}^{{-2}}\,(e^{{-z}}) "
            rf"= \dfrac{{e^{{-z}}}}{{{_E}^2}}",
        ),
        Line(
            "Now the trick: add 1 − 1 to the numerator (it adds nothing).",
            rf"\dfrac{{d}}{{dz}}\sigma(z) = \dfrac{{e^{{-z}}+1-1}}{{{_E}^2}} "
            rf"= \dfrac{{1+e^{{-z}}-1}}{{{_E}^2}}",
        ),
        Line(
            "Split the fraction; in the first part one 1 + e<sup>−z</sup> cancels.",
            rf"= \dfrac{{1+e^{{-z}}}}{{{_E}^2}} - \dfrac{{1}}{{{_E}^2}} "
            rf"= {one} - \dfrac{{1}}{{{_E}^2}}",
        ),
        Line(
            "Write the square as a product and take 1/(1 + e<sup>−z</sup>) out:",
            rf"= {one} - \left({one}\right)\left({one}\right) "
            rf"= {one}\left(1 - {one}\right)",
        ),
        Line(
            "Recall that σ(z) = 1/(1 + e<sup>−z</sup>):",
            r"\dfrac{d}{dz}\sigma(z) = \sigma(z)\,(1-\sigma(z))",
        ),
        Line(
            "A check at z = 0, the curve's steepest point: σ(0) = ½.",
            r"\sigma'(0) = \dfrac{e^{0}}{(1+e^{0})^2} = \dfrac{1}{4} = 0.5\,(1-0.5) = 0.25",
        ),
    ]
    lines += [unit.line() for unit in units]
    partials = [f"∂{html_symbol(u.a_name)}/∂{html_symbol(u.z_name)}" for u in units]
    named = (
        partials[0] if len(partials) == 1 else ", ".join(partials[:-1]) + " and " + partials[-1]
    )
    lines.append(
        Line(
            f"So {named} in the chain rule of {example} "
            f"{'is' if len(units) == 1 else 'are'} σ(1 − σ): one multiplication, no "
            "exponential, once the forward pass knows σ(z)."
        )
    )
    return derivation(SIGMOID_TITLE, *lines, slides=SIGMOID_SLIDES, note=note)


@dataclass(frozen=True)
class Input:
    """A weight of the output unit and the input it multiplies: 'w1' and 'x1' = 3."""

    weight: str
    input: str
    value: float


def log_loss_derivation(
    title: str,
    y: float,
    z: float,
    inputs: Sequence[Input],
    example: str,
    learning_rate: float,
    note: str = "",
    slides: str = LOG_LOSS_SLIDES,
) -> Derivation:
    """∂L/∂ŷ of the log loss, made one fraction, its cancellation against ∂ŷ/∂z = ŷ(1 − ŷ)
    and each slope −(y − ŷ)·input, with example ``example``'s label ``y`` and output ``z``;
    ``inputs`` are the output unit's weights (x₁, x₂ for the perceptron, a₁, a₂ for the
    network); the bias b is added."""
    yhat, one_minus = sigma_pair(z)
    slope = yhat * one_minus
    residual = y - yhat
    dL_dyhat = -residual / slope if slope > 0 else float("-inf" if residual > 0 else "inf")
    left = -y / yhat if y else 0.0
    right = (1 - y) / one_minus if y != 1 else 0.0
    loss = float(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z))
    # the numbers as written: ŷ with the digits y − ŷ needs (σ(10.65) is 0.9999763, not 1)
    n = len(inputs)
    values = [y, yhat, one_minus, slope, *(i.value for i in inputs)]
    values += [loss, left, right, dL_dyhat, -residual, *(-residual * i.value for i in inputs)]
    values += [slope * i.value for i in inputs]
    X, R = 4, 4 + n  # noqa: N806 - where the inputs and the results start
    arithmetic = [
        Ln((0, 1, 2), lambda y, h, h1: -y * np.log(h) - (1 - y) * np.log(h1), R),
        Ln((0, 1), lambda y, h: -y / h, R + 1),
        Ln((0, 2), lambda y, h1: (1 - y) / h1, R + 2),
        Ln((R + 1, R + 2), lambda a, b: a + b, R + 3),
        Ln((0, 1), lambda y, h: -(y - h) / (h * (1 - h)), R + 3),
        Ln((0, 1), lambda y, h: -(y - h), R + 4),
        *(Ln((0, 1, X + j), lambda y, h, x: -(y - h) * x, R + 5 + j) for j in range(n)),
        *(Ln((3, X + j), lambda s, x: s * x, R + 5 + n + j) for j in range(n)),
    ]
    chosen = digits_for(values, arithmetic, [GIVEN] * (4 + n) + [RESULT] * (len(values) - R))
    t = [num(v, d) for v, d in zip(values, chosen, strict=True)]
    Y, H, H1 = t[0], t[1], t[2]  # noqa: N806 - the slides' y, ŷ, 1 − ŷ
    yh = r"\hat{y}"
    weights = [(tex_symbol(i.weight), tex_symbol(i.input), i.value) for i in inputs]
    z_sum = " + ".join(f"{w}{x}" for w, x, _ in weights) + " + b"
    z_words = " + ".join(html_symbol(i.weight) + html_symbol(i.input) for i in inputs) + " + b"

    def partial(top: str, bottom: str) -> str:
        return rf"\dfrac{{\partial {top}}}{{\partial {bottom}}}"

    chain = r",\quad ".join(
        rf"{partial('L', w)} = {partial('L', yh)}\cdot{partial(yh, w)}"
        for w in [*(w for w, _, _ in weights), "b"]
    )
    dyhat = r",\quad ".join(
        [
            *(
                rf"{partial(yh, w)} = {yh}(1-{yh})\,{x} = {t[3]}\cdot {_par(t[X + j])} "
                rf"= {t[R + 5 + n + j]}"
                for j, (w, x, _) in enumerate(weights)
            ),
            rf"{partial(yh, 'b')} = {yh}(1-{yh}) = {t[3]}",
        ]
    )
    lines: list[Line] = [
        Line(
            "The prediction and the loss of one example (log loss):",
            rf"{yh} = \sigma(z),\ z = {z_sum},\quad "
            rf"L(y,{yh}) = -y\ln({yh}) - (1-y)\ln(1-{yh})",
        ),
        Line(
            f"{example}: y = {fmt(y, GIVEN)}, ŷ = {fmt(yhat, chosen[1])}.",
            rf"L = -{par(y)}\cdot\ln({H}) - {par(1 - y)}\cdot\ln({H1}) = {t[R]}",
        ),
        Line("The chain rule splits each slope at ŷ:", chain),
        Line(
            "Differentiate L in ŷ: ln ŷ gives 1/ŷ, ln(1 − ŷ) gives −1/(1 − ŷ).",
            rf"{partial('L', yh)} = \dfrac{{-y}}{{{yh}}} + \dfrac{{1-y}}{{1-{yh}}} "
            rf"= \dfrac{{-{par(y)}}}{{{H}}} + \dfrac{{{num(1 - y)}}}{{{H1}}} "
            rf"= {_par(t[R + 1])} + {_par(t[R + 2])} = {t[R + 3]}",
        ),
        Line(
            "Bring it to one fraction over ŷ(1 − ŷ):",
            rf"{partial('L', yh)} = \dfrac{{-y(1-{yh}) + (1-y){yh}}}{{{yh}(1-{yh})}} "
            rf"= \dfrac{{-y + y{yh} + {yh} - y{yh}}}{{{yh}(1-{yh})}} "
            rf"= \dfrac{{-{par(y)} + {par(y * yhat)} + {H} - {par(y * yhat)}}}{{{t[3]}}}",
        ),
        Line(
            "+yŷ and −yŷ cancel:",
            rf"{partial('L', yh)} = \dfrac{{-(y-{yh})}}{{{yh}(1-{yh})}} "
            rf"= \dfrac{{-({Y}-{H})}}{{{H}\,(1-{H})}} = {t[R + 3]}",
        ),
        Line(
            f"The sigmoid's derivative gives ∂ŷ/∂z = ŷ(1 − ŷ) = {fmt(slope, RESULT)}; "
            f"z = {z_words} gives ∂z/∂(each weight) = its input, ∂z/∂b = 1:",
            dyhat,
        ),
        Line(
            "Multiply: the ŷ(1 − ŷ) of ∂ŷ/∂z cancels the denominator of ∂L/∂ŷ.",
            rf"{partial('L', 'z')} = {partial('L', yh)}\cdot{partial(yh, 'z')} "
            rf"= \dfrac{{-(y-{yh})}}{{{yh}(1-{yh})}}\cdot{yh}(1-{yh}) = -(y-{yh}) "
            rf"= -({Y}-{H}) = {t[R + 4]}",
        ),
    ]
    for j, (w, x, _) in enumerate(weights):
        lines.append(
            Line(
                "",
                rf"{partial('L', w)} = -(y-{yh})\,{x} = -({Y}-{H})\cdot {_par(t[X + j])} "
                rf"= {t[R + 5 + j]}",
            )
        )
    lines.append(
        Line("", rf"{partial('L', 'b')} = -(y-{yh}) = {t[R + 4]}"),
    )
    w0, x0, _ = weights[0]
    lines.append(
        Line(
            f"Gradient descent (α = {fmt(learning_rate, GIVEN)}) moves each parameter against "
            "its slope; a full-batch step uses the mean of these over all examples "
            "(see “The math of this step”).",
            rf"{w0} \rightarrow {w0} - \alpha\,(-{x0}\,(y-{yh})),\quad "
            rf"b \rightarrow b - \alpha\,(-(y-{yh}))",
        )
    )
    return derivation(title, *lines, slides=slides, note=note)
