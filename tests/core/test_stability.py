"""Issue 17, item 4: gradient descent on the regression cost converges exactly when
α < 2/λ_max of the cost's Hessian, and a diverging run says so with the numbers."""

from __future__ import annotations

import numpy as np
import pytest

from optgui.core.datasets import Normalizer, house_prices, noisy_line, noisy_plane
from optgui.core.divergence import above_bound, bound_texts, rate_too_large
from optgui.core.models import LinearRegression, Perceptron
from optgui.core.stability import (
    DIVERGES,
    FALLS,
    ZIGZAGS,
    rate_bound,
    regression_bound,
)
from optgui.core.stepping import CONVERGED, DIVERGED
from optgui.core.training import TrainSettings, rate_limit, train

DATASETS = {
    "house1": lambda: house_prices(1),
    "house2": lambda: house_prices(2),
    "line": lambda: noisy_line(30, 0.5, 0),
    "plane": lambda: noisy_plane(40, 0.5, 0),
}


def inputs(name: str, normalise: bool) -> tuple[np.ndarray, np.ndarray]:
    data = DATASETS[name]()
    if not normalise:
        return data.X, data.y
    x, y = Normalizer.fit(data.X, data.feature_names), Normalizer.fit(data.y, data.target_name)
    return x.transform(data.X), y.transform(data.y)


def hessian_by_differences(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The cost's Hessian from central differences of the model's own gradient."""
    model = LinearRegression(X.shape[1])
    p = model.n_params
    theta = np.linspace(0.3, -0.2, p)
    scale = np.append(np.abs(X).max(axis=0), 1.0)
    H = np.empty((p, p))
    for j in range(p):
        h = 1e-3 / scale[j]  # (the gradient is linear: any step is exact but for rounding)
        e = np.zeros(p)
        e[j] = h
        H[:, j] = (model.gradients(theta + e, X, y) - model.gradients(theta - e, X, y)) / (2 * h)
    return (H + H.T) / 2


CASES = [(name, norm) for name in DATASETS for norm in (True, False)]


@pytest.mark.parametrize(("name", "normalise"), CASES)
def test_the_bound_is_two_over_the_largest_eigenvalue_of_the_costs_hessian(name, normalise):
    X, y = inputs(name, normalise)
    reference = 2.0 / np.linalg.eigvalsh(hessian_by_differences(X, y)).max()
    bound = regression_bound(X)
    assert bound.limit == pytest.approx(reference, rel=1e-6)
    assert rate_limit(LinearRegression(X.shape[1]), X) == bound.limit
    assert bound.positive_definite


def test_the_figures_of_each_data_set():
    # normalised, one input: H = I exactly (mean 0, std 1), so 2/λ_max = 2
    assert regression_bound(inputs("house1", True)[0]).limit == pytest.approx(2.0)
    assert regression_bound(inputs("line", True)[0]).limit == pytest.approx(2.0)
    # the slides' houses in ft²: λ_max ≈ 4.67e6, α must stay below 4.3e−7
    assert regression_bound(inputs("house1", False)[0]).limit == pytest.approx(4.2857e-7, rel=1e-4)


def run(X, y, alpha, steps=200_000):
    model = LinearRegression(X.shape[1])
    stepper = train(model, X, y, model.initial_params(), TrainSettings(alpha, max_steps=steps))
    for _ in stepper:
        pass
    return stepper.outcome


# normalised data and the generated points in their own units: well enough conditioned for
# a run at 0.99 × the bound to reach the tolerance
WELL = [(n, True) for n in DATASETS] + [("line", False), ("plane", False)]


@pytest.mark.parametrize(("name", "normalise"), WELL)
def test_just_below_the_bound_converges_and_just_above_diverges(name, normalise):
    X, y = inputs(name, normalise)
    limit = regression_bound(X).limit
    assert run(X, y, 0.99 * limit).status == CONVERGED
    above = run(X, y, 1.01 * limit)
    assert above.status == DIVERGED
    a, b = bound_texts(1.01 * limit, limit)
    assert above.message.endswith(
        f"— the learning rate is too large for this data: α = {a} > 2/λ_max = {b}"
    )


@pytest.mark.parametrize("name", ["house1", "house2"])
def test_raw_houses_below_the_bound_never_grow_and_above_it_diverge(name):
    # in ft² the bowl is ~10⁹ times steeper across than along: 0.99 × the bound does not
    # reach the tolerance in any sensible time, but its cost never grows
    X, y = inputs(name, False)
    model = LinearRegression(X.shape[1])
    limit = regression_bound(X).limit
    costs = [
        s.cost
        for s in train(
            model, X, y, model.initial_params(), TrainSettings(0.99 * limit, max_steps=3000)
        )
    ]
    assert all(b <= a * (1 + 1e-12) for a, b in zip(costs, costs[1:], strict=False))
    assert run(X, y, 1.01 * limit).status == DIVERGED


def test_the_slides_raw_houses_at_alpha_0_1_name_the_bound():
    data = house_prices(1)
    outcome = run(data.X, data.y, 0.1)
    assert outcome.message == (
        "diverged at step 3: the cost grew to 6.5e+42 — the learning rate is too large for "
        "this data: α = 0.1 > 2/λ_max = 4.3e−07"
    )


def test_without_an_exact_bound_the_wording_stays():
    # one example at a time, or a classifier: no exact bound, the old words
    data = house_prices(1)
    model = LinearRegression(1)
    single = train(model, data.X, data.y, model.initial_params(), TrainSettings(0.1, "single"))
    for _ in single:
        pass
    assert single.outcome.message.endswith("the learning rate α = 0.1 is too large for this data")
    assert rate_limit(model, data.X, "single") is None
    assert rate_limit(Perceptron(1), data.X) is None


def test_the_words():
    assert above_bound(0.9, 2 / 3) == "α = 0.9 > 2/λ_max = 0.667"
    assert rate_too_large(0.9, "this data", 2 / 3) == (
        "the learning rate is too large for this data: α = 0.9 > 2/λ_max = 0.667"
    )
    # as many digits as it takes for α and the bound to read as different as they are
    assert above_bound(0.6671, 0.6667) == "α = 0.6671 > 2/λ_max = 0.6667"
    assert above_bound(2.0, 2.0) == "α = 2 = 2/λ_max = 2"
    # (normalised data: H = I but for round-off, 2/λ_max = 1.9999999999999996)
    assert above_bound(2.0, 1.9999999999999996) == "α = 2 = 2/λ_max = 2"


def test_zones_and_a_hessian_that_is_not_positive_definite():
    bound = rate_bound([[4.0, 0.0], [0.0, 1.0]])
    assert bound.eigenvalues == (4.0, 1.0) and bound.limit == 0.5
    assert [bound.zone(a) for a in (0.2, 0.25, 0.3, 0.5, 0.7)] == [
        FALLS,
        FALLS,
        ZIGZAGS,
        DIVERGES,
        DIVERGES,
    ]
    saddle = rate_bound([[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3 and −1
    assert saddle.limit == pytest.approx(2 / 3) and not saddle.positive_definite
    assert not saddle.converges(0.1)
    assert rate_bound([[-1.0, 0.0], [0.0, -2.0]]).limit is None
