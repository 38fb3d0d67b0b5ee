"""What the cost is doing, judged from synthetic cost sequences and from real runs
(issue 16, item 4), and the training factory's divergence (item 3)."""

from __future__ import annotations

import itertools

import numpy as np

from optgui.core.datasets import house_prices
from optgui.core.models import LinearRegression
from optgui.core.stepping import DIVERGED
from optgui.lessons import progress
from optgui.lessons.network import NetworkLesson
from optgui.lessons.regression import RegressionLesson
from optgui.lessons.training import TrainingFactory, initial_params

# --- synthetic sequences --------------------------------------------------------------------


def oscillating(n: int = 300) -> np.ndarray:
    """The 2-2-1 network at α = 100: 0.69 at the start, then swinging between 5 and 22."""
    swing = np.where(np.arange(n) % 2 == 0, 5.0, 22.0)
    swing[0] = 0.693
    return swing


def decreasing(n: int = 1000) -> np.ndarray:
    return 0.5 * np.exp(-0.01 * np.arange(n)) + 0.02


def diverging(n: int = 30) -> np.ndarray:
    return 0.48 * 1.8 ** np.arange(n)


def plateau(n: int = 600, level: float = 0.6931) -> np.ndarray:
    """A fall, then a long flat stretch (round-off size wiggles)."""
    cost = np.full(n, level) + 1e-9 * np.sin(np.arange(n))
    cost[:50] = np.linspace(1.2, level, 50)
    return cost


def test_an_oscillating_cost_is_named_with_a_smaller_rate() -> None:
    verdict = progress.judge(oscillating(), learning_rate=100)
    assert verdict is not None and verdict.kind == progress.OSCILLATING and verdict.warning
    assert verdict.text == (
        "The cost has gone up and down for 299 steps, never below its start, 0.693: the "
        "learning rate α = 100 is probably too large; try α = 10."
    )
    assert verdict.note == "⚠ Up and down for 299 steps, never lower: try a smaller α, e.g. 10."


def test_oscillation_names_the_step_of_the_lowest_cost() -> None:
    cost = np.concatenate([decreasing(100), 0.4 + 0.3 * (np.arange(120) % 2)])
    verdict = progress.judge(cost, learning_rate=3.0)
    assert verdict is not None and verdict.kind == progress.OSCILLATING
    lowest = int(np.argmin(cost))
    assert f"for {len(cost) - 1 - lowest} steps" in verdict.text
    assert f"(step {lowest})" in verdict.text and "try α = 0.3." in verdict.text


def test_a_steadily_decreasing_cost_is_fine() -> None:
    cost = decreasing()
    assert all(progress.judge(cost[:n], 0.1) is None for n in (5, 50, 200, 500, 1000))


def test_a_slowly_but_steadily_decreasing_cost_is_fine() -> None:
    assert progress.judge(1.0 - 1e-3 * np.arange(800), 1e-3) is None


def test_a_noisy_but_falling_cost_is_fine() -> None:
    rng = np.random.default_rng(0)
    cost = decreasing(600) * (1 + 0.05 * rng.random(600))  # one example at a time
    assert progress.judge(cost, 0.1) is None


def test_a_diverging_cost_is_rising() -> None:
    cost = diverging()
    assert progress.judge(cost[: progress.RISE_STEPS], 2.5) is None  # too few to say
    verdict = progress.judge(cost, learning_rate=2.5)
    assert verdict is not None and verdict.kind == progress.RISING and verdict.warning
    assert verdict.text == (
        f"The cost has gone up at each of the last 29 steps, from 0.48 to {cost[-1]:.1e}: "
        "the learning rate α = 2.5 is too large; try α = 0.25."
    )


def test_a_plateau_is_stalled() -> None:
    cost = plateau()
    verdict = progress.judge(cost, 1.0, accuracy=0.5)
    assert verdict is not None and verdict.kind == progress.STALLED and verdict.warning
    assert verdict.text == (
        "The cost has hardly changed in the last 200 steps (J ≈ 0.6931): with 50% of the "
        "examples right, the run may be stuck on a flat stretch or in a poor minimum; try "
        "a new start (N) or another α."
    )
    # a cost with one minimum (or every example right): near the lowest, not a warning
    for remark in (progress.judge(cost, 1.0, 0.5, convex=True), progress.judge(cost, 1.0)):
        assert remark is not None and remark.kind == progress.STALLED and not remark.warning
        assert "at or near the lowest cost" in remark.text
    assert progress.judge(cost[:200], 1.0, 0.5) is None  # not yet 200 flat steps


def test_non_finite_costs_are_left_to_the_divergence() -> None:
    cost = diverging()
    cost[-1] = np.inf
    assert progress.judge(cost, 2.5) is None


def test_the_cost_axis_goes_logarithmic_over_four_powers_of_ten() -> None:
    assert progress.log_reason(decreasing()) is None
    assert progress.log_reason(np.array([0.48, 4.5e3])) is None
    assert progress.log_reason(np.array([0.48, 4.5e3, 4.4e7])) == (
        "the cost spans 7 powers of ten"
    )
    assert progress.log_reason(np.array([6.3e8, 1.4e20, 3e31, 6.5e42])) == (
        "the cost spans 34 powers of ten"
    )
    assert progress.log_reason(np.array([0.0, 1.0])) is None  # (one positive value)


def test_the_suggested_rate_is_a_tenth() -> None:
    assert [progress.smaller_rate(a) for a in (100, 0.1, 5e-7, 2.04)] == [
        "10",
        "0.01",
        "5e−08",
        "0.204",
    ]


# --- real runs ------------------------------------------------------------------------------


def run_costs(factory, n: int) -> tuple[np.ndarray, list]:
    steps = list(itertools.islice(factory(None), n))
    return np.array([s.cost for s in steps]), steps


def test_the_network_at_rate_100_is_oscillating() -> None:
    settings = NetworkLesson(learning_rate=100)
    data, model = settings.data(), settings.model()
    factory = TrainingFactory(settings, model, data.X, data.y, initial_params(settings, model))
    cost, steps = run_costs(factory, 300)
    assert steps[-1].accuracy == 0.5 and cost[2:].min() > 2  # stuck, far above 0.69
    verdict = progress.judge(cost, 100, steps[-1].accuracy)
    assert verdict is not None and verdict.kind == progress.OSCILLATING
    assert "try α = 10." in verdict.text


def test_the_network_at_rate_5_learns_without_a_warning() -> None:
    settings = NetworkLesson(learning_rate=5)
    data, model = settings.data(), settings.model()
    factory = TrainingFactory(settings, model, data.X, data.y, initial_params(settings, model))
    cost, steps = run_costs(factory, 1500)
    assert steps[-1].accuracy > 0.95
    assert all(progress.judge(cost[:n], 5, steps[n - 1].accuracy) is None for n in (300, 1500))


# --- the factory: a continued run diverges where the whole run would, and stays ended -----


def raw_houses(rate: float = 0.1):
    data = house_prices(1)
    model = LinearRegression(1)
    settings = RegressionLesson(learning_rate=rate, normalize=False)
    return TrainingFactory(settings, model, data.X, data.y, model.initial_params())


def test_pressing_step_again_and_again_diverges_where_play_does() -> None:
    factory = raw_houses()
    play = factory(None)
    whole = list(play)
    last, presses = None, []
    for _ in range(10):  # → presses: each one a new run from the last step
        run = factory(last)
        step = next(run, None)
        presses.append((step, run.outcome))
        if step is None:
            break
        last = step
    taken = [s for s, _ in presses if s is not None]
    assert [s.k for s in taken] == [s.k for s in whole] == [0, 1, 2, 3]
    assert [o for _, o in presses][:3] == [None, None, None]
    assert presses[3][1] == play.outcome  # said with the step that diverged …
    assert presses[4] == (None, play.outcome)  # … and → adds nothing after it
    assert play.outcome.status == DIVERGED and play.outcome.k == 3


def test_a_diverged_run_continued_with_another_rate_names_the_rate_it_ran_with() -> None:
    steps = list(raw_houses(0.1)(None))
    run = raw_houses(1e-8)(steps[-1])
    assert next(run, None) is None
    assert "α = 0.1 > 2/λ_max = 4.3e−07" in run.outcome.message


def test_a_continued_run_keeps_the_start_as_its_reference() -> None:
    """Continued after step 1 (1.4e+20, far above a million times the start), the run
    still diverges at step 3, as a whole run does: not a million times later."""
    factory = raw_houses()
    first, second = list(itertools.islice(factory(None), 2))
    rest = factory(second)
    steps = list(rest)
    assert [s.k for s in steps] == [2, 3] and rest.outcome.k == 3
