"""The presenter's "Next: what will this step do?" captions, without Qt: each lesson's
``next_caption`` names the next step, the current α and the point it starts from,
checked against numbers computed here independently."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.stepping import CONVERGED, DIVERGED, STEP_LIMIT, Outcome
from optgui.lessons import (
    captions,
    classification,
    hessian,
    network,
    newton1d,
    newton2d,
    regression,
)
from optgui.lessons.training import TrainingFactory, initial_params


def steps(factory, n: int | None = None) -> list:
    records = []
    for record in factory(None):
        records.append(record)
        if len(records) == n:
            break
    return records


# ============================================================== shared wording


def test_names_and_lists_as_the_slides_write_them():
    assert [captions.pretty(n) for n in ("w1", "w11", "b2", "b")] == ["w₁", "w₁₁", "b₂", "b"]
    assert captions.and_list(["b"]) == "b"
    assert captions.and_list(["w₁", "b"]) == "w₁ and b"
    assert captions.and_list(["w₁", "w₂", "b"]) == "w₁, w₂ and b"
    assert captions.point((1.25, -0.5)) == "(1.25, −0.5)"


def test_an_ended_run_says_that_the_next_press_does_nothing():
    converged = Outcome(CONVERGED, "converged at step 41: the gradient is below 1e-08", 41)
    assert captions.ended(converged) == (
        "The run has converged (step 41): → does nothing more; R starts again."
    )
    diverged = Outcome(DIVERGED, "diverged at step 7: the cost is 1e+13 — try a smaller α", 7)
    assert captions.ended(diverged) == (
        "The run has diverged at step 7: the cost is 1e+13 — try a smaller α. "
        "→ does nothing more; R starts again."
    )
    # Play's step limit is no end: → still takes a step past it
    assert captions.ended(Outcome(STEP_LIMIT, "the step limit of 10 steps is reached", 9)) is None
    assert captions.ended(None) is None


# ============================================================== the training tabs


def regression_run(settings: regression.RegressionLesson, n: int) -> list:
    data = regression.dataset(settings)
    prepared = regression.prepare(settings, data)
    model = prepared.model
    params0 = initial_params(settings, model)
    return steps(TrainingFactory(settings, model, prepared.X, prepared.y, params0), n)


def test_regression_names_the_parameters_the_rate_and_the_cost():
    s = regression.RegressionLesson(learning_rate=0.3)
    expected = (
        "w₁ and b each move a step of α = 0.3 against their slope ∂J/∂w₁, ∂J/∂b "
        "of the mean squared error."
    )
    assert regression.next_caption(s, None) == f"Next, step 0: {expected}"
    records = regression_run(s, 3)
    assert regression.next_caption(s, records[-1]) == f"Next, step 3: {expected}"
    two = regression.RegressionLesson(source="house2")
    assert "w₁, w₂ and b each move" in regression.next_caption(two, None)
    assert "∂J/∂w₂" in regression.next_caption(two, None)
    # a CSV file's columns are known once a step is taken
    assert "every weight and b each move" in regression.next_caption(
        regression.RegressionLesson(source="csv"), None
    )


def test_one_example_at_a_time_names_the_example_that_comes_next():
    s = regression.RegressionLesson(batch="single")
    m = datasets.house_prices(1).m
    records = regression_run(s, m)
    # examples take turns: step k uses example k mod m, so after step k comes k + 1
    assert regression.next_caption(s, None).startswith("Next, step 0: example 1 alone:")
    assert regression.next_caption(s, records[0]).startswith("Next, step 1: example 2 alone:")
    last = regression.next_caption(s, records[m - 1])
    assert last.startswith(f"Next, step {m}: example 1 alone:")  # (round again)
    assert "the slope of its own loss, ∂L/∂w₁, ∂L/∂b." in last


def test_classification_uses_the_log_loss_and_its_own_rate():
    s = classification.ClassificationLesson()
    assert classification.next_caption(s, None) == (
        "Next, step 0: w₁, w₂ and b each move a step of α = 0.5 against their slope "
        "∂J/∂w₁, ∂J/∂w₂, ∂J/∂b of the log loss."
    )
    done = Outcome(CONVERGED, "converged at step 12: …", 12)
    assert classification.next_caption(s, None, done).startswith("The run has converged")


@pytest.mark.parametrize(("hidden", "count"), [(2, 9), (3, 13), (8, 33)])
def test_the_network_counts_every_weight_and_bias(hidden, count):
    s = network.NetworkLesson(hidden=hidden, learning_rate=2.5)
    text = network.next_caption(s, None)
    assert text == (
        "Next, step 0: the forward pass computes ŷ for every point; then the error flows back "
        f"through the chain rule, layer by layer, and each of the {count} weights and biases "
        "moves a step of α = 2.5 against its slope."
    )
    assert count == 2 * hidden + hidden + hidden + 1  # w1j, w2j; b_j; w_j; b
    single = network.next_caption(s.replace(batch="single"), None)
    assert "computes ŷ for example 1;" in single


# ============================================================== the Newton tabs


def sub(k: int) -> str:
    """k in subscript digits, as captions write xₖ."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def descent_1d(x: float, rate: float, n: int) -> float:
    """Gradient descent on g = eˣ − ln x: n steps x ← x − α·(eˣ − 1/x)."""
    for _ in range(n):
        x -= rate * (math.exp(x) - 1 / x)
    return x


def test_newton_1d_names_both_iterates_and_the_rate():
    s = newton1d.Newton1DSettings()  # the slides: x₀ = 0.05, α = 0.1
    assert newton1d.next_caption(s, None) == (
        "Next, step 0: Newton jumps to where the tangent of g′ at x₀ = 0.05 crosses zero; "
        "gradient descent steps α·g′(x₀) downhill from x₀ = 0.05 (α = 0.1)."
    )
    records = steps(newton1d.factory(s))
    text = newton1d.next_caption(s, records[3])
    gd = descent_1d(0.05, 0.1, 4)
    assert text == (
        "Next, step 4: Newton jumps to where the tangent of g′ at x₄ = 0.4773 crosses zero; "
        f"gradient descent steps α·g′(x₄) downhill from x₄ = {gd:.5g} (α = 0.1)."
    )  # x₄ = 0.47729765 on the slides


def test_newton_1d_after_newton_converged_and_when_both_have():
    s = newton1d.Newton1DSettings()
    records = steps(newton1d.factory(s))
    end = next(r for r in records if r.newton_end is not None).newton_end
    later = records[end.k + 3]
    text = newton1d.next_caption(s, later)
    assert text.startswith(f"Next, step {end.k + 4}: Newton has converged (step {end.k});")
    assert f"downhill from x{sub(end.k + 4)} = " in text
    assert newton1d.next_caption(s, records[-1]) == (
        "Both methods have converged: → does nothing more; R starts again."
    )


def test_newton_1d_singular_start_says_why_newton_stopped():
    preset = next(p for p in newton1d.PRESETS if p.text == "x^3 - 3*x")
    s = preset.apply(newton1d.Newton1DSettings())
    first = steps(newton1d.factory(s), 1)[0]
    assert "Newton has stopped: g″ = 0, the tangent never crosses zero" in (
        newton1d.next_caption(s, first)
    )


def gradient_2d(x: float, y: float) -> np.ndarray:
    """∇f of the slides' f = x⁴ + 0.8y⁴ + 4x² + 2y² − xy − 0.2x²y, by hand."""
    return np.array([4 * x**3 + 8 * x - y - 0.4 * x * y, 3.2 * y**3 + 4 * y - x - 0.2 * x**2])


def test_newton_2d_names_both_points_the_system_and_the_rate():
    s = newton2d.Newton2DSettings()  # the slides: (4, 4), α = 0.02
    records = steps(newton2d.factory(s), 5)
    p = np.array([4.0, 4.0])
    for _ in range(5):
        p = p - 0.02 * gradient_2d(*p)
    text = newton2d.next_caption(s, records[4])
    assert text == (
        "Next, step 5: Newton jumps from (0.04124, 0.1255) to the flat point of its quadratic "
        "model (solves H·s = ∇f, moves by −s); gradient descent steps α·∇f downhill from "
        f"({p[0]:.4g}, {p[1]:.4g}) (α = 0.02).".replace("-", "−")
    )  # Newton's (x₅, y₅) = (0.04123585, 0.12545903) on the slides
    modified = newton2d.next_caption(s.replace(modified=True, tau=2.0), records[4])
    assert "(solves (H + 2·I)·s = ∇f, moves by −s)" in modified
    assert newton2d.next_caption(s, None).startswith("Next, step 0: Newton jumps from (4, 4)")


def test_the_hessian_walk_from_the_point_then_from_where_it_got():
    s = hessian.HessianLesson(point=(1.0, 2.0))  # 2x² + 3y² − xy: one Newton step to (0, 0)
    assert hessian.next_caption(s, None) == (
        "Next, step 0: Newton's walk jumps from (1, 2) to the flat point of the quadratic "
        "(Taylor) model (solves H·s = ∇f, moves by −s), heading for a point where ∇f = 0."
    )
    first = steps(hessian.walk_factory(s, hessian.parse(s)), 1)[0]
    after = hessian.next_caption(s, first)
    assert after.startswith("Next, step 1: Newton's walk jumps from (0, 0)")
    three = hessian.HessianLesson(
        function="x^2 + 2*y^2 - z^2 + x*y", variables=("x", "y", "z"), point=(1.0, 2.0, 3.0)
    )
    assert "from (1, 2, 3)" in hessian.next_caption(three, None)
    done = Outcome(CONVERGED, "converged at step 1: …", 1)
    assert hessian.next_caption(s, first, done) == (
        "The run has converged (step 1): → does nothing more; R starts again."
    )
