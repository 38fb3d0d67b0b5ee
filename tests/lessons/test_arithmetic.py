"""Arithmetic a student can check: every line of the math panels, computed from the
numbers as shown, gives the result as shown (issue 16: "−(1 − 1) × 3 = −7.11e−05")."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from optgui.core import datasets
from optgui.core.format import fmt
from optgui.core.models import Network, Perceptron
from optgui.core.training import TrainSettings, train
from optgui.lessons import classification, network, regression
from optgui.lessons.arithmetic import Line, digits_for, shown_terms, value_of
from optgui.lessons.regression import RegressionLesson

NUMBER = r"(−?[0-9.]+(?:e[−+][0-9]+)?)"
#: "−(1 − 0.9999763) × 3 = <b>−7.11e−05</b>" and "−(1 − 0.9999763) = <b>−2.37e−05</b>"
PARTIAL = re.compile(rf"= −\({NUMBER} − {NUMBER}\)(?: × {NUMBER})? = <b>{NUMBER}</b>")
#: "w1 ← 3.4653 − 0.5 × (−0.004961) = <b>3.468</b>"
UPDATE = re.compile(rf"← {NUMBER} − {NUMBER} × \({NUMBER}\) = <b>{NUMBER}</b>")
#: "z = 3.465×3 + (−2.888)×0 + 0.2544 = 10.65"
WEIGHED = re.compile(
    rf"z = {NUMBER}×{NUMBER} \+ \(?{NUMBER}\)?×{NUMBER} \+ \(?{NUMBER}\)? = {NUMBER},"
)


def same_when_written(value: float, shown: str) -> bool:
    """``value`` rounds to ``shown``: within half a unit of its last written digit."""
    exact = Decimal(shown.replace("−", "-"))
    last = Decimal(1).scaleb(exact.as_tuple().exponent)
    return abs(Decimal(repr(value)) - exact) <= last / 2 * Decimal("1.000001")


def check_lines(lines: list[str]) -> int:
    """Every partial, update and weighted sum in ``lines`` adds up as shown; how many."""
    checked = 0
    for line in lines:
        for m in PARTIAL.finditer(line):
            y, yhat, x, result = m.groups()
            value = -(value_of(y) - value_of(yhat)) * (value_of(x) if x else 1.0)
            assert same_when_written(value, result), line
            checked += 1
        for m in UPDATE.finditer(line):
            p, a, g, result = (value_of(t) for t in m.groups())
            assert same_when_written(p - a * g, m.group(4)), line
            checked += 1
        for m in WEIGHED.finditer(line):
            w1, x1, w2, x2, b, z = (value_of(t) for t in m.groups())
            assert same_when_written(w1 * x1 + w2 * x2 + b, m.group(6)), line
            checked += 1
    return checked


def test_the_issue_example_shows_enough_digits():
    """ŷ = σ(10.65) rounded to 1 made "−(1 − 1) × 3 = −7.11e−05"."""
    yhat = 1 / (1 + np.exp(-10.65031743))
    (y, shown, x), result = shown_terms([1.0, yhat, 3.0], lambda y, h, x: -(y - h) * x)
    assert (y, x) == ("1", "3")  # exact numbers stay short
    assert result == "−7.11e−05"
    assert shown == "0.9999763"
    assert fmt(-(1 - value_of(shown)) * 3, 4) == result


@given(
    y=st.sampled_from([0.0, 1.0]),
    z=st.floats(-30, 30, allow_nan=False),
    x=st.one_of(st.integers(0, 9).map(float), st.floats(-5, 5, allow_nan=False)),
)
def test_a_partial_always_adds_up(y, z, x):
    yhat = float(1 / (1 + np.exp(-z)))
    (ys, hs, xs), result = shown_terms([y, yhat, x], lambda y, h, x: -(y - h) * x)
    value = -(value_of(ys) - value_of(hs)) * value_of(xs)
    if abs(1 - yhat) > 1e-9:  # (beyond, 15 digits of ŷ no longer hold 1 − ŷ's four)
        assert fmt(value, 4) == result


@given(
    p=st.floats(-50, 50, allow_nan=False),
    a=st.sampled_from([0.1, 0.5, 1.2, 5.0, 1e-7]),
    g=st.floats(-10, 10, allow_nan=False),
)
def test_an_update_always_adds_up(p, a, g):
    lines = [Line((0, 1, 2), lambda p, a, g: p - a * g, 3)]
    numbers = [p, a, g, p - a * g]
    chosen = digits_for(numbers, lines)
    written = [value_of(fmt(v, d)) for v, d in zip(numbers, chosen, strict=True)]
    assert fmt(written[0] - written[1] * written[2], chosen[3]) == fmt(p - a * g, chosen[3])


def test_values_shared_by_lines_are_written_alike():
    """ŷ appears in three lines: it is written once, with what the neediest line needs."""
    numbers = [1.0, 0.98657616, 2.0, 1.0, -0.02684768, -0.01342384]
    lines = [
        Line((0, 1, 2), lambda y, h, x: -(y - h) * x, 4),
        Line((0, 1, 3), lambda y, h, x: -(y - h) * x, 5),
    ]
    chosen = digits_for(numbers, lines)
    assert chosen[1] > 4  # 0.9866 would give −0.0268, not −0.02685
    assert fmt(-(1 - value_of(fmt(numbers[1], chosen[1]))) * 2, 4) == "−0.02685"


def test_classification_lines_add_up_all_the_way():
    """The slides' aliens, 300 steps on: ŷ near 1 no longer reads 1."""
    data, model = datasets.aack_beep(), Perceptron(2)
    run = train(
        model, data.X, data.y, model.initial_params("course", 3), TrainSettings(0.5, tol=0.0)
    )
    checked = 0
    for record in itertools.islice(run, 0, 300, 23):
        for i in range(data.m):
            lines = classification.step_lines(record, data, model, i)
            assert "−(1 − 1)" not in "".join(lines)
            checked += check_lines(lines)
    assert checked > 100


@pytest.mark.parametrize("source", ["house1", "house2", "plane"])
def test_regression_lines_add_up(source):
    settings = RegressionLesson(source=source)
    prepared = regression.prepare(settings, regression.dataset(settings))
    model = prepared.model
    params = model.initial_params("course", seed=3)
    run = train(model, prepared.X, prepared.y, params, TrainSettings(0.1, tol=0.0))
    checked = 0
    for record in itertools.islice(run, 0, 200, 17):
        for i in range(min(prepared.data.m, 5)):
            checked += check_lines(regression.step_lines(record, prepared, i))
    assert checked > 50


def test_network_update_adds_up():
    s = network.NetworkLesson()
    data, model = s.data(), Network(2)
    run = train(model, data.X, data.y, model.initial_params("course", 3), TrainSettings(5.0))
    for record in itertools.islice(run, 0, 100, 9):
        back = model.backward(record.params, data.X, data.y)
        for name in model.names:
            rule = network.chain_rule(name, 0, record, back, "sigmoid")
            m = UPDATE.search(rule.update_html)
            assert m is not None
            p, a, g = (value_of(t) for t in m.groups()[:3])
            assert same_when_written(p - a * g, m.group(4)), rule.update_html


TEX_NUMBER = r"(-?[0-9.{},]+(?:\\times 10\^\{-?[0-9]+\})?)"


def plain(text: str) -> str:
    """A formula's number as plain text: 4{,}908{,}581 → 4908581, 2\times 10^{-7} → 2e-07."""
    text = text.strip("()").replace("{,}", "")
    if r"\times" in text:
        mantissa, power = text.split(r"\times 10^")
        return f"{mantissa}e{int(power.strip('{}'))}"
    return text


def tex_value(text: str) -> float:
    """A formula's number: -1.2\\times 10^{-5}, 20{,}000 or (−0.3)."""
    text = text.strip("()").replace("{,}", "")
    if r"\times" in text:
        mantissa, power = text.split(r"\times 10^")
        return float(mantissa) * 10.0 ** int(power.strip("{}"))
    return float(text)


@pytest.mark.parametrize(
    ("source", "normalize"),
    [("house1", True), ("plane", True), ("house2", True), ("house1", False)],
)
def test_the_regression_derivation_adds_up(source, normalize):
    """The Derivation page's partials and updates, as written, give their results."""
    from optgui.lessons import regression_derivations as rd

    settings = RegressionLesson(source=source, normalize=normalize)
    prepared = regression.prepare(settings, regression.dataset(settings))
    model = prepared.model
    rate = 0.1 if normalize else 1e-7
    run = train(
        model,
        prepared.X,
        prepared.y,
        model.initial_params("course", 3),
        TrainSettings(rate, tol=0.0),
    )
    checked = 0
    product = re.compile(rf"= -\({TEX_NUMBER}\)\\cdot \(?{TEX_NUMBER}\)? = {TEX_NUMBER}$")
    update = re.compile(rf"= {TEX_NUMBER} - {TEX_NUMBER}\\cdot \(?{TEX_NUMBER}\)? = {TEX_NUMBER}$")
    for record in itertools.islice(run, 0, 60, 7):
        for i in range(prepared.data.m if prepared.data.m < 5 else 3):
            for line in rd.partials(record, prepared, i).lines:
                latex = getattr(line, "latex", "")
                if m := product.search(latex):
                    r, x, _ = (tex_value(t) for t in m.groups())
                    assert same_when_written(-r * x, plain(m.group(3))), latex
                    checked += 1
                if m := update.search(latex):
                    w, a, g, _ = (tex_value(t) for t in m.groups())
                    assert same_when_written(w - a * g, plain(m.group(4))), latex
                    checked += 1
    assert checked > 20


def test_the_log_loss_derivation_adds_up_where_y_hat_is_near_one():
    """The Derivation page showed "−(1 − 1)·3 = −7.108e−05" and "−(1 − 1)/(1(1 − 1))"."""
    data, model = datasets.aack_beep(), Perceptron(2)
    run = train(model, data.X, data.y, model.initial_params("course", 3), TrainSettings(0.5))
    record = list(itertools.islice(run, 300))[-1]
    _, loss = classification.derivations(record, data, 0)
    latex = [getattr(line, "latex", "") for line in loss.lines]
    assert not any("(1-1)" in text for text in latex)
    product = re.compile(
        rf"= -\({TEX_NUMBER}-{TEX_NUMBER}\)\\cdot \(?{TEX_NUMBER}\)? = {TEX_NUMBER}$"
    )
    checked = 0
    for text in latex:
        if m := product.search(text):
            y, yhat, x, _ = (tex_value(t) for t in m.groups())
            assert same_when_written(-(y - yhat) * x, plain(m.group(4))), text
            checked += 1
    assert checked == 2


@pytest.mark.parametrize("selected", ["w11", "w22", "b1", "w2", "b"])
def test_the_layers_derivation_adds_up(selected):
    """ "x₁·δ[2]₁ = 1.038·(−0.0057087) = −0.005924" did not (1.038 × 0.0057087 = 0.0059256)."""
    from optgui.lessons import network_derivations

    s = network.NetworkLesson()
    data, model = s.data(), Network(2)
    run = train(model, data.X, data.y, model.initial_params("course", 3), TrainSettings(5.0))
    last = re.compile(rf"= \(?{TEX_NUMBER}\)?\\cdot\s?\(?{TEX_NUMBER}\)? = {TEX_NUMBER}$")
    delta = re.compile(rf"= -\({TEX_NUMBER}-{TEX_NUMBER}\) = {TEX_NUMBER}")
    for record in itertools.islice(run, 0, 200, 37):
        for i in (0, 5):
            layers = network_derivations.derivations(model, record, data, i, selected)[0]
            latex = [getattr(line, "latex", "") for line in layers.lines]
            m = last.search(latex[-1])
            assert m, latex[-1]
            local, shared, _ = (tex_value(t) for t in m.groups())
            assert same_when_written(local * shared, plain(m.group(3))), latex[-1]
            m = next(delta.search(text) for text in latex if delta.search(text))
            y, yhat, _ = (tex_value(t) for t in m.groups())
            assert same_when_written(-(y - yhat), plain(m.group(3)))
