"""Every tab words a divergence alike: what grew, to what, and why."""

from __future__ import annotations

import re

import numpy as np

from optgui.core.datasets import house_prices
from optgui.core.descent import gradient_descent
from optgui.core.divergence import NEWTON_RUNS_AWAY, diverged, grew, rate_too_large
from optgui.core.expr import parse_function
from optgui.core.format import short
from optgui.core.models import LinearRegression
from optgui.core.newton import newton
from optgui.core.stepping import DIVERGED
from optgui.core.training import TrainSettings, train

#: "diverged at step k: <what grew, to what> — <why>"
FORM = re.compile(r"diverged at step \d+: (.+ grew to \S+|.+ too large to compute) — (.+)")


def outcome_of(stepper):
    for _ in stepper:
        pass
    return stepper.outcome


def test_the_builder():
    assert diverged(4, grew("the cost", 1.37e20), rate_too_large(0.1, "this data")) == (
        "diverged at step 4: the cost grew to 1.4e+20 — "
        "the learning rate α = 0.1 is too large for this data"
    )
    assert grew("g(x)", np.inf) == "g(x) grew to ∞"
    assert grew("f", np.nan) == "f is undefined (not a number)"
    assert diverged(2, "x") == "diverged at step 2: x"
    assert rate_too_large(5e-7) == "the learning rate α = 5e−07 is too large for this function"
    assert [short(v) for v in (0.1, 100, 5e-7, 1.25e20, -3e-9)] == [
        "0.1",
        "100",
        "5e−07",
        "1.25e+20",
        "−3e−09",
    ]


def test_training_descent_and_newton_say_it_alike():
    data = house_prices(1)
    model = LinearRegression(1)
    training = train(model, data.X, data.y, model.initial_params(), TrainSettings(50.0))
    descent = gradient_descent(parse_function("x^2", ["x"]), 1.0, learning_rate=1.5)
    overflow = gradient_descent(parse_function("exp(x^2)", ["x"]), 3.0, learning_rate=1.0)
    runaway = newton(parse_function("ln(1 + x^2)", ["x"]), 2.0)
    messages = {}
    for name, stepper in [
        ("training", training),
        ("descent", descent),
        ("overflow", overflow),
        ("newton", runaway),
    ]:
        outcome = outcome_of(stepper)
        assert outcome.status == DIVERGED, name
        assert FORM.fullmatch(outcome.message), outcome.message
        messages[name] = FORM.fullmatch(outcome.message).group(2)
    assert messages["training"] == (
        "the learning rate is too large for this data: α = 50 > 2/λ_max = 4.3e−07"
    )
    assert messages["descent"] == "the learning rate α = 1.5 is too large for this function"
    assert messages["overflow"] == "the learning rate α = 1 is too large for this function"
    assert messages["newton"] == NEWTON_RUNS_AWAY
