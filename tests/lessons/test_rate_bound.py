"""Issue 17, item 4: the words beside the learning rate (Regression) and gradient
descent's local bound at Newton's x_k (Newton 2-D)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.core.format import fmt
from optgui.core.stability import DIVERGES, FALLS, ZIGZAGS
from optgui.lessons import newton2d, regression
from optgui.lessons.rate_bound import local_lines, regression_check
from optgui.lessons.regression import RegressionLesson


def prepared(source: str, normalize: bool = True) -> regression.Prepared:
    settings = RegressionLesson(source=source, normalize=normalize)
    return regression.prepare(settings, regression.dataset(settings))


def test_the_box_says_the_bound_in_words_for_each_zone():
    X = prepared("house1").X  # normalised: H = I, 2/λ_max = 2
    assert [regression_check(a, X).zone for a in (0.1, 1.0, 1.5, 2.0, 2.1)] == [
        FALLS,
        FALLS,
        ZIGZAGS,
        DIVERGES,
        DIVERGES,
    ]
    assert regression_check(0.1, X).label == "α = 0.1 < 2/λ_max = 2: the cost falls."
    assert regression_check(1.5, X).label == (
        "α = 1.5 < 2/λ_max = 2: the cost falls, but the steps zigzag (α > 1/λ_max = 1)."
    )
    assert regression_check(2.1, X).label == (
        "α = 2.1 > 2/λ_max = 2: the cost will grow. Stay below 2."
    )
    assert regression_check(2.0, X).label == (
        "α = 2 = 2/λ_max: along the steepest direction the steps swing back and forth "
        "forever. Stay below 2."
    )
    tip = regression_check(0.1, X).tooltip
    assert "α must stay below 2/λ_max = 2 for the cost to fall" in tip
    assert "λ_max = 1" in tip
    assert regression_check(2.1, X).label_html.startswith(
        "α = 2.1 &gt; <span style='white-space:nowrap'>2\u2060/\u2060λ<sub>max</sub></span> = 2"
    )


def test_raw_units_and_two_inputs_give_their_own_bound():
    raw = prepared("house1", normalize=False).X
    check = regression_check(1e-7, raw)
    lam = np.linalg.eigvalsh(
        np.column_stack([raw, np.ones(3)]).T @ np.column_stack([raw, np.ones(3)]) / 3
    ).max()
    assert check.limit == pytest.approx(2 / lam) and check.zone == FALLS
    assert check.label == "α = 1e−07 < 2/λ_max = 4.3e−07: the cost falls."
    plane = prepared("plane").X
    assert regression_check(0.1, plane).limit == pytest.approx(1.947072, rel=1e-6)


def test_one_example_at_a_time_the_bound_is_per_example():
    X = prepared("house1").X
    check = regression_check(0.5, X, "single")
    assert check.limit == pytest.approx(2 / (np.max(X[:, 0] ** 2) + 1))
    assert check.label.startswith("α = 0.5 < 2/max(‖xᵢ‖² + 1) = ")


def hessian_by_differences(function, x, h=1e-5):
    H = np.empty((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        H[:, j] = (function.gradient(x + e) - function.gradient(x - e)) / (2 * h)
    return (H + H.T) / 2


def numbers(text: str) -> list[float]:
    return [float(v.replace("−", "-")) for v in re.findall(r"−?\d+(?:\.\d+)?", text)]


@pytest.mark.parametrize("preset", newton2d.PRESETS[:4], ids=lambda p: p.label[:20])
def test_newton_2d_names_the_local_bound_at_each_step(preset):
    settings = preset.apply(newton2d.Newton2DSettings())
    function = parse_function(settings.function, ["x", "y"])
    records = [r for _, r in zip(range(3), newton2d.factory(settings)(None), strict=False)]
    for record in records:
        step = record.newton
        if step is None or not record.newton_here:
            continue
        lam = np.linalg.eigvalsh(hessian_by_differences(function, np.array(step.x)))
        line = next(
            t for t in newton2d.math_lines(record, settings) if "Gradient descent at x" in t
        )
        assert f"eigenvalues {fmt(lam[0], 4)} and {fmt(lam[1], 4)}" in line
        if lam[1] > 0:
            assert f"2/λ<sub>max</sub> = 2/{fmt(lam[1], 4)} = <b>" in line
            shown = float(re.search(r"<b>([^<]+)</b>", line.split("2/λ<sub>max")[1]).group(1))
            assert shown == pytest.approx(2 / lam[1], rel=5e-3)
        if lam[0] <= 0:
            assert "H is not positive definite, so no α makes gradient descent settle" in line


def test_the_local_bound_in_words():
    (pd,) = local_lines([[4.0, 0.0], [0.0, 1.0]], 0.6)
    assert "eigenvalues 1 and 4" in pd and "2/λ<sub>max</sub> = 2/4 = <b>0.5</b>" in pd
    assert "α = 0.6 is above it" in pd
    (zig,) = local_lines([[4.0, 0.0], [0.0, 1.0]], 0.3)
    assert "α = 0.3 is below it, but above 1/λ<sub>max</sub>: the steps zigzag." in zig
    (down,) = local_lines([[-1.0, 0.0], [0.0, -2.0]], 0.1)
    assert "none positive" in down and "no bound 2/λ<sub>max</sub>" in down
    (flat,) = local_lines([[2.0, 0.0], [0.0, 0.0]], 0.1, damping=2.0)
    assert "is flat to second order" in flat and "not Newton's H + τI" in flat


def test_a_rising_cost_above_the_bound_names_it_and_an_alpha_below_it():
    from optgui.lessons import progress

    cost = 0.5 * 1.1 ** np.arange(60)
    verdict = progress.judge(cost, 2.1, limit=2.0)
    assert verdict.text == (
        "The cost has gone up at each of the last 59 steps, from 0.5 to 138: the learning "
        "rate is too large for this data: α = 2.1 > 2/λ_max = 2; try α = 1."
    )
    assert verdict.note == "⚠ Rising for 59 steps: α = 2.1 > 2/λ_max = 2; try α = 1."
    # without a bound (the classifiers), the old suggestion: a tenth
    assert progress.judge(cost, 2.1).note == "⚠ Rising for 59 steps: try a smaller α, e.g. 0.21."
