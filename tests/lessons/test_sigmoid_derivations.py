"""The slides' σ′(z), log-loss and layered-backpropagation derivations without Qt: every
number against the core, finite differences and the curriculum (§2, §3)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.activations import sigmoid
from optgui.core.models import Perceptron
from optgui.core.training import TrainSettings, train
from optgui.lessons import classification, training
from optgui.lessons.derivation import Derivation, Line, Table
from optgui.lessons.network import NetworkLesson, chain_rule, hidden_unit
from optgui.lessons.network_derivations import LAYERS_TITLE, LOG_LOSS_TITLE, derivations
from optgui.lessons.sigmoid_derivations import (
    RESULT,
    SIGMOID_TITLE,
    Input,
    Unit,
    e_minus,
    log_loss_derivation,
    num,
    sigmoid_derivation,
)

H = 1e-6  # finite-difference step


def value(text: str) -> float:
    """A number as the derivations write it: '-1.0023', '2.30\\times 10^{-7}'."""
    text = text.strip().strip("()")
    m = re.fullmatch(r"(-?[\d.]+)(?:\\times 10\^\{(-?\d+)\})?", text)
    assert m, text
    return float(m.group(1)) * 10 ** int(m.group(2) or 0)


def last_number(latex: str) -> float:
    """The number a formula ends with (after its last '=')."""
    return value(latex.rsplit("=", 1)[1])


def close(shown: float, exact: float, digits: int = RESULT) -> bool:
    """``shown`` is ``exact`` to the ``digits`` significant digits it was written with."""
    return math.isclose(shown, exact, rel_tol=10 ** (1 - digits), abs_tol=1e-12)


def line_with(d: Derivation, start: str) -> Line:
    """The first formula line starting with ``start``."""
    return next(x for x in d.lines if isinstance(x, Line) and x.latex.startswith(start))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


# --- σ′(z) = σ(z)(1 − σ(z)) --------------------------------------------------------------------


def test_the_sigmoid_derivation_follows_the_slides_build_up():
    d = sigmoid_derivation([Unit("The output unit", "z", "ŷ", 0.0)], "Example 1")
    assert d.title == SIGMOID_TITLE and "Derivative of a Sigmoid Function" in d.slides
    formulas = [x.latex for x in d.lines]
    steps = [
        r"(1+e^{-z})^{-1}",  # σ as a power
        r"(1+e^{-z})^{-1-1}",  # power rule
        r"\dfrac{d}{dz}(-z)",  # chain rule inside
        r"\dfrac{e^{-z}}{(1+e^{-z})^2}",  # the −1's cancel
        r"e^{-z}+1-1",  # the slides' trick
        r"- \dfrac{1}{(1+e^{-z})^2}",  # split
        r"\left(1 - \dfrac{1}{1+e^{-z}}\right)",  # factored
        r"\sigma(z)\,(1-\sigma(z))",  # the result
    ]
    at = [next(k for k, f in enumerate(formulas) if step in f) for step in steps]
    assert at == sorted(at), "the slides' order"
    check = line_with(d, r"\sigma'(0)")
    assert check.latex.endswith("= 0.25")  # σ′(0) = 0.25 (curriculum / issue 14)


@pytest.mark.parametrize("z", [0.0, 2.1, -1.5, 0.00873, 7.0, -12.0])
def test_each_units_line_is_sigma_and_its_slope_against_a_finite_difference(z):
    unit = Unit("Hidden unit 1", "z1", "a1", z)
    fd = (float(sigmoid(z + H)) - float(sigmoid(z - H))) / (2 * H)
    assert math.isclose(unit.slope, fd, rel_tol=1e-6, abs_tol=1e-12)
    assert math.isclose(unit.slope, unit.a * (1 - unit.a), rel_tol=1e-9, abs_tol=1e-15)
    line = unit.line()
    assert "z<sub>1</sub>" in line.words
    assert close(last_number(line.latex), fd)
    # a(1 − a) with a's value, written with the digits it takes for the product as
    # written to give the result as written (σ(7) is 0.99908895, not 0.9991)
    number = r"(-?[\d.]+(?:\\times 10\^\{-?\d+\})?)"
    m = re.search(
        rf"= a_\{{1\}}\\,\(1-a_\{{1\}}\) = {number}\\,\(1-{number}\) = {number}$", line.latex
    )
    assert m and m.group(1) == m.group(2), line.latex
    a = value(m.group(1))
    assert close(a, unit.a, 4)
    assert rf"\dfrac{{1}}{{1+{e_minus(z)}}} = {m.group(1)}," in line.latex
    assert close(a * (1 - a), value(m.group(3)))


def test_e_minus_puts_in_the_value_of_z():
    assert e_minus(2.1) == "e^{-2.1}" and e_minus(-1.5) == "e^{1.5}" and e_minus(0.0) == "e^{0}"


# --- the log loss -------------------------------------------------------------------------------


def slide_loss(y: float, yhat: float) -> float:
    return -y * math.log(yhat) - (1 - y) * math.log(1 - yhat)


def test_log_loss_at_the_issues_numbers():
    """ŷ = 0.9977, y = 1: ∂L/∂ŷ = −1.0023 (issue 14), then −(y − ŷ) and −(y − ŷ)·x."""
    yhat, y, x1, x2 = 0.9977, 1.0, 3.0, 0.0
    d = log_loss_derivation(
        "Log loss", y, logit(yhat), [Input("w1", "x1", x1), Input("w2", "x2", x2)], "Ex", 0.5
    )
    dL = r"\dfrac{\partial L}{\partial \hat{y}}"
    first = line_with(d, dL + r" = \dfrac{-y}{\hat{y}} + \dfrac{1-y}{1-\hat{y}}")
    assert r"\dfrac{-1}{0.9977}" in first.latex and first.latex.endswith("= -1.0023")
    one = line_with(d, dL + r" = \dfrac{-y(1-\hat{y}) + (1-y)\hat{y}}")
    assert r"-y + y\hat{y} + \hat{y} - y\hat{y}" in one.latex  # before the yŷ cancel
    # y = 1: yŷ = ŷ; ŷ(1 − ŷ) with the digit ŷ(1 − ŷ)·3 = 0.0068841 needs
    assert r"\dfrac{-1 + 0.9977 + 0.9977 - 0.9977}{0.0022947}" in one.latex
    fraction = line_with(d, dL + r" = \dfrac{-(y-\hat{y})}{\hat{y}(1-\hat{y})}")
    assert fraction.latex.endswith("= -1.0023")
    fd = (slide_loss(y, yhat + H) - slide_loss(y, yhat - H)) / (2 * H)
    assert close(last_number(fraction.latex), fd)
    dz = line_with(d, r"\dfrac{\partial L}{\partial z}")
    assert r"= -(y-\hat{y})" in dz.latex and close(last_number(dz.latex), -(y - yhat))
    w1 = line_with(d, r"\dfrac{\partial L}{\partial w_{1}}" + " = -")
    assert close(last_number(w1.latex), -(y - yhat) * x1)
    assert last_number(line_with(d, r"\dfrac{\partial L}{\partial w_{2}} = -").latex) == 0
    b = line_with(d, r"\dfrac{\partial L}{\partial b} = -")
    assert close(last_number(b.latex), -(y - yhat))
    loss = line_with(d, "L = ")
    assert close(last_number(loss.latex), slide_loss(y, yhat))


@pytest.mark.parametrize(("y", "z"), [(0.0, -0.3), (0.0, 2.0), (1.0, -4.0), (0.58, 0.6)])
def test_log_loss_slopes_against_finite_differences_of_the_loss(y, z):
    """∂L/∂ŷ in ŷ and ∂L/∂w in w (the loss of σ(w·x + b)), whatever the label."""
    x, w, b = 1.7, 0.8, z - 0.8 * 1.7
    d = log_loss_derivation("L", y, z, [Input("w1", "x1", x)], "Ex", 1.0)
    yhat = float(sigmoid(z))
    fd_yhat = (slide_loss(y, yhat + H) - slide_loss(y, yhat - H)) / (2 * H)
    dL = r"\dfrac{\partial L}{\partial \hat{y}}"
    assert close(last_number(line_with(d, dL + r" = \dfrac{-(y").latex), fd_yhat)

    def loss_at(w_: float) -> float:
        return slide_loss(y, float(sigmoid(w_ * x + b)))

    fd_w = (loss_at(w + H) - loss_at(w - H)) / (2 * H)
    w_line = line_with(d, r"\dfrac{\partial L}{\partial w_{1}} = -")
    assert close(last_number(w_line.latex), fd_w)


def test_log_loss_where_y_hat_rounds_to_one_stays_finite():
    d = log_loss_derivation("L", 1.0, 40.0, [Input("w1", "x1", 1.0)], "Ex", 1.0)
    assert all("nan" not in x.latex and "undefined" not in x.latex for x in d.lines)
    assert last_number(line_with(d, "L = ").latex) == pytest.approx(math.exp(-40), rel=1e-3)


# --- the Classification tab's derivations ------------------------------------------------------


def aliens_record(steps: int = 5):
    data = datasets.aack_beep()
    model = Perceptron(2)
    settings = TrainSettings(learning_rate=0.5, tol=0.0)
    params = np.array([0.01788628, 0.0043651, 0.0])
    run = train(model, data.X, data.y, params, settings)
    record = None
    for _ in range(steps):
        record = next(run)
    return data, model, record


@pytest.mark.parametrize("i", [0, 1, 2, 3])
def test_classification_derivations_carry_the_math_panels_numbers(i):
    data, model, record = aliens_record()
    e = classification.example_math(record, model, data.X, data.y, i)
    sig, loss = classification.derivations(record, data, i)
    assert sig.title == SIGMOID_TITLE
    assert loss.title == classification.LOG_LOSS_TITLE
    name = f"Example {i + 1} (“{data.row_labels[i]}”)"
    unit = sig.lines[-2]
    assert name in unit.words and f"step {record.k}" in unit.words
    assert close(last_number(unit.latex), e.dyhat_dz)  # ∂ŷ/∂z = ŷ(1 − ŷ)
    shown = re.search(r"= \\hat\{y\}\\,\(1-\\hat\{y\}\) = (\S+)\\,", unit.latex).group(1)
    assert close(value(shown), e.yhat, 4)  # ŷ, with as many digits as ŷ(1 − ŷ) needs
    dL = r"\dfrac{\partial L}{\partial \hat{y}}"
    assert close(last_number(line_with(loss, dL + r" = \dfrac{-(y").latex), e.dL_dyhat)
    for k, param in enumerate(("w_{1}", "w_{2}", "b")):
        line = line_with(loss, rf"\dfrac{{\partial L}}{{\partial {param}}} = -")
        assert close(last_number(line.latex), e.dL_dparams[k]), param
    assert name in loss.lines[1].words
    dyhat = line_with(loss, r"\dfrac{\partial \hat{y}}{\partial w_{1}}")
    assert close(last_number(dyhat.latex), e.dyhat_dz)  # ∂ŷ/∂b, the last of the line
    x1 = data.X[i, 0]
    assert f"= {num(e.dyhat_dz * x1, RESULT)}," in dyhat.latex  # ∂ŷ/∂w₁ = ŷ(1 − ŷ)·x₁


# --- the 2-2-1 Network tab's derivations -------------------------------------------------------

#: A start where every factor is far from 0 (the course's start makes them all tiny).
PARAMS = np.array([1.2, -0.7, -0.9, 1.1, 0.3, -0.2, 1.5, -1.3, 0.1])


def network_at(settings: NetworkLesson, params=PARAMS):
    model, data = settings.model(), settings.data()
    record = training.initial_record(settings, model, data.X, data.y, params)
    assert record is not None
    return model, data, record


def layers(model, data, record, i, selected="w11") -> Derivation:
    found = derivations(model, record, data, i, selected)
    assert [d.title for d in found] == [LAYERS_TITLE, SIGMOID_TITLE, LOG_LOSS_TITLE]
    return found[0]


@pytest.mark.parametrize("i", [0, 1, 3])
def test_the_layers_numbers_are_the_cores_and_the_chain_rules(i):
    settings = NetworkLesson(source="aack")
    model, data, record = network_at(settings)
    back = model.backward(record.params, data.X, data.y)
    d = layers(model, data, record, i)
    assert "layer [1]" in d.note and "Back Propagation Introduction" in d.slides
    d3 = line_with(d, r"\delta^{[3]} = ")
    assert close(last_number(d3.latex), back.dL_dz[i])
    assert close(back.dL_dz[i], -(data.y[i] - back.forward.yhat[i]), 12)
    d2 = line_with(d, r"\delta^{[2]} = ")
    for v in back.dL_dhidden_z[i]:
        assert num(v, RESULT) in d2.latex
    grad_w2 = line_with(d, r"\dfrac{\partial L}{\partial W^{[2]}}")
    grad_w3 = line_with(d, r"\dfrac{\partial L}{\partial W^{[3]}}")
    names = back.names
    for name, g in zip(names, back.per_example_gradients[i], strict=True):
        shown = grad_w3 if hidden_unit(name) is None else grad_w2
        if name.startswith("b") and name != "b":
            continue  # ∂L/∂b^[2] = δ^[2], shown above
        assert num(g, RESULT) in shown.latex, name


def losses_of(model, params, X, y) -> float:
    return float(model.losses(params, X, y)[0])


@pytest.mark.parametrize("selected", ["w11", "w21", "w12", "w22", "b1", "b2", "w1", "w2", "b"])
def test_the_selected_parameter_is_a_local_factor_times_a_shared_delta(selected):
    """The last line is the Chain rule page's product, and a finite difference of L."""
    settings = NetworkLesson(source="aack")
    model, data, record = network_at(settings)
    i = 2
    d = layers(model, data, record, i, selected)
    back = model.backward(record.params, data.X, data.y)
    rule = chain_rule(selected, i, record, back, model.activation)
    last = d.lines[-1]
    assert isinstance(last, Line) and f"{selected[0]}<sub>" in last.words or selected == "b"
    assert close(last_number(last.latex), rule.gradient)
    k = model.names.index(selected)
    X, y = data.X[i : i + 1], data.y[i : i + 1]
    up, down = record.params.copy(), record.params.copy()
    up[k] += H
    down[k] -= H
    fd = (losses_of(model, up, X, y) - losses_of(model, down, X, y)) / (2 * H)
    assert math.isclose(rule.gradient, fd, rel_tol=1e-5, abs_tol=1e-9)
    table = next(x for x in d.lines if isinstance(x, Table))
    unit = hidden_unit(selected)
    assert table.highlight == (0 if unit is None else unit)
    shared = table.rows[table.highlight]
    assert ("δ[3]" if unit is None else "δ[2]") in shared[0]
    assert selected[0] in shared[2]


def test_the_layers_map_the_apps_names_to_the_slides():
    settings = NetworkLesson(source="aack")
    model, data, record = network_at(settings)
    d = layers(model, data, record, 0)
    text = d.text()
    for app in ("w<sub>11</sub>", "w<sub>22</sub>", "b<sub>2</sub>", "w<sub>1</sub>"):
        assert app in text
    w2 = line_with(d, "W^{[2]} = ")
    assert r"{w_{11}}{w_{12}}" in w2.latex and r"{w_{21}}{w_{22}}" in w2.latex  # rows: units
    assert "W^{[3]} = " in text and r"\hat{y} = a^{[3]} = \sigma(z^{[3]})" in text
    assert r"a^{[1]} = x" in text
    slides = line_with(
        d, r"\dfrac{\partial L}{\partial w^{[2]}} = \dfrac{\partial L}{\partial a^{[3]}}"
    )
    assert r"= \delta^{[3]}\cdot" in slides.latex  # the boxed factors computed once
    assert r"(W^{[3]\top}\delta^{[3]})\odot a^{[2]}(1-a^{[2]})" in text
    assert r"\delta^{[2]}\,a^{[1]\top}" in text and r"\delta^{[3]}\,a^{[2]\top}" in text


def test_the_network_sigmoid_derivation_names_a1_a2_and_y_hat():
    settings = NetworkLesson(source="aack")
    model, data, record = network_at(settings)
    back = model.backward(record.params, data.X, data.y)
    sig = derivations(model, record, data, 1, "w11")[1]
    units = [x for x in sig.lines if "unit" in x.words.lower() and x.latex]
    assert [u.words.split(":")[0] for u in units] == [
        "Hidden unit 1",
        "Hidden unit 2",
        "The output unit",
    ]
    for j in range(2):
        assert close(last_number(units[j].latex), back.da_dz[1, j])  # ∂a_j/∂z_j = a_j(1 − a_j)
    assert close(last_number(units[2].latex), back.dyhat_dz[1])  # ∂ŷ/∂z = ŷ(1 − ŷ)
    assert not sig.note


def test_the_network_log_loss_is_the_output_units():
    settings = NetworkLesson(source="aack")
    model, data, record = network_at(settings)
    back = model.backward(record.params, data.X, data.y)
    loss = derivations(model, record, data, 3, "w11")[2]
    for j, name in enumerate(("w_{1}", "w_{2}")):
        line = line_with(loss, rf"\dfrac{{\partial L}}{{\partial {name}}} = -(y-\hat{{y}})\,a")
        assert close(last_number(line.latex), back.per_example_gradients[3, 6 + j])
    dL = r"\dfrac{\partial L}{\partial \hat{y}}"
    assert close(last_number(line_with(loss, dL + r" = \dfrac{-(y").latex), back.dL_dyhat[3])


@pytest.mark.parametrize(("activation", "hidden"), [("tanh", 3), ("relu", 1), ("sigmoid", 4)])
def test_other_networks_say_how_they_differ(activation, hidden):
    settings = NetworkLesson(activation=activation, hidden=hidden)
    model, data = settings.model(), settings.data()
    params = training.initial_params(settings, model)
    record = training.initial_record(settings, model, data.X, data.y, params)
    assert record is not None
    d, sig, _ = derivations(model, record, data, 5, "b")
    back = model.backward(record.params, data.X, data.y)
    assert close(last_number(d.lines[-1].latex), back.per_example_gradients[5, -1])
    table = next(x for x in d.lines if isinstance(x, Table))
    assert len(table.rows) == hidden + 1
    units = [x for x in sig.lines if x.latex.startswith(("a_", r"\hat{y}"))]
    if activation == "sigmoid":
        assert len(units) == hidden + 1 and not sig.note
    else:
        assert len(units) == 1 and activation in sig.note.lower()
        assert activation in d.note.lower()
