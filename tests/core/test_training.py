"""Training: steps match a hand-written loop, stops, resuming, divergence, XOR."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

from optgui.core.datasets import house_prices, noisy_line, normalize_dataset, xor_blobs
from optgui.core.format import short
from optgui.core.models import LinearRegression, Network, Perceptron
from optgui.core.stepping import CONVERGED, DIVERGED, STEP_LIMIT
from optgui.core.training import TrainSettings, TrainStep, row_columns, train


def _all_finite(step: TrainStep) -> bool:
    arrays = [step.params, step.gradients, step.params_next, *step.forward.arrays().values()]
    scalars = [step.cost, step.gradient_norm, step.accuracy or 0.0]
    return all(np.all(np.isfinite(a)) for a in arrays) and all(map(math.isfinite, scalars))


def test_full_batch_regression_matches_a_course_style_loop() -> None:
    data, _, _ = normalize_dataset(noisy_line(m=40, noise=0.3, seed=1))
    model = LinearRegression(1)
    p0 = model.initial_params("course", seed=3)
    assert p0[0] == pytest.approx(0.01788628, abs=5e-9)
    run = train(model, data.X, data.y, p0, TrainSettings(learning_rate=1.2, max_steps=30, tol=0.0))
    steps = list(run)
    assert run.outcome.status == STEP_LIMIT and len(steps) == 30
    # the course notebook: forward, cost, backward (means), update
    x, y = data.X[:, 0], data.y
    w, b = p0
    for step in steps:
        yhat = w * x + b
        cost = np.mean((yhat - y) ** 2) / 2
        dw = np.mean((yhat - y) * x)
        db = np.mean(yhat - y)
        assert step.params == pytest.approx([w, b], rel=1e-12, abs=1e-15)
        assert step.cost == pytest.approx(cost, rel=1e-12)
        assert step.gradients == pytest.approx([dw, db], rel=1e-10, abs=1e-15)
        w, b = w - 1.2 * dw, b - 1.2 * db
        assert step.params_next == pytest.approx([w, b], rel=1e-12, abs=1e-15)
        assert step.example is None and step.accuracy is None


def test_full_batch_network_matches_a_course_style_loop() -> None:
    data = xor_blobs(m=40, seed=2)
    net = Network()
    p0 = net.initial_params()
    steps = list(train(net, data.X, data.y, p0, TrainSettings(learning_rate=2.0, max_steps=25)))
    X, Y = data.X.T, data.y[None, :]  # the course uses (features, examples) layout
    W1, b1, W2, b2 = net.unpack(p0)
    W1, b1, W2, b2 = W1.copy(), b1[:, None].copy(), W2[None, :].copy(), np.array([[b2]])
    m = X.shape[1]
    for step in steps:
        Z1 = W1 @ X + b1
        A1 = 1 / (1 + np.exp(-Z1))
        Z2 = W2 @ A1 + b2
        A2 = 1 / (1 + np.exp(-Z2))
        cost = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
        dZ2 = A2 - Y
        dW2 = dZ2 @ A1.T / m
        db2 = dZ2.sum(axis=1, keepdims=True) / m
        dZ1 = W2.T @ dZ2 * A1 * (1 - A1)
        dW1 = dZ1 @ X.T / m
        db1 = dZ1.sum(axis=1, keepdims=True) / m
        assert step.cost == pytest.approx(cost, rel=1e-10)
        assert step.gradients == pytest.approx(
            net.pack(dW1, db1, dW2, db2[0, 0]), rel=1e-8, abs=1e-13
        )
        W1, b1, W2, b2 = W1 - 2 * dW1, b1 - 2 * db1, W2 - 2 * dW2, b2 - 2 * db2
        assert step.params_next == pytest.approx(
            net.pack(W1, b1, W2, b2[0, 0]), rel=1e-10, abs=1e-13
        )
        w_in, b_in = net.unpack(step.params)[:2]
        hidden = 1 / (1 + np.exp(-(w_in @ X + b_in[:, None])))
        assert step.forward.hidden_a == pytest.approx(hidden.T)


def test_single_example_mode_cycles_through_the_examples() -> None:
    data = xor_blobs(m=8)
    net = Network()
    settings = TrainSettings(learning_rate=0.5, batch="single", max_steps=20)
    steps = list(train(net, data.X, data.y, net.initial_params(), settings))
    assert [s.example for s in steps] == [k % 8 for k in range(20)]
    for s in steps:
        one = net.per_example_gradients(s.params, data.X, data.y)[s.example]
        assert s.gradients == pytest.approx(one)
        assert s.params_next == pytest.approx(s.params - 0.5 * one)
        assert s.cost == pytest.approx(net.cost(s.params, data.X, data.y))
        assert s.accuracy == net.accuracy(s.params, data.X, data.y)


@pytest.mark.parametrize("batch", ["full", "single"])
def test_resuming_with_k0_continues_the_same_run(batch: str) -> None:
    data = xor_blobs(m=12)
    net = Network()
    p0 = net.initial_params()
    whole = list(train(net, data.X, data.y, p0, TrainSettings(1.0, batch=batch, max_steps=30)))
    first_run = train(net, data.X, data.y, p0, TrainSettings(1.0, batch=batch, max_steps=13))
    first = list(first_run)
    assert first_run.outcome.status == STEP_LIMIT and first_run.outcome.k == 13
    second_run = train(
        net,
        data.X,
        data.y,
        first[-1].params_next,
        TrainSettings(1.0, batch=batch, max_steps=17),
        k0=first[-1].k + 1,
    )
    second = list(second_run)
    assert second_run.outcome.k == 30
    joined = first + second
    assert [s.k for s in joined] == list(range(30))
    assert [s.example for s in joined] == [s.example for s in whole]
    for a, b in zip(joined, whole, strict=True):
        assert np.array_equal(a.params_next, b.params_next)


def test_converges_with_the_student_message() -> None:
    data, _, _ = normalize_dataset(house_prices(2))
    model = LinearRegression(2)
    run = train(
        model, data.X, data.y, model.initial_params(), TrainSettings(0.5, max_steps=10_000)
    )
    steps = list(run)
    assert run.outcome.status == CONVERGED
    k = run.outcome.k
    assert run.outcome.message == f"converged at step {k}: the gradient is below 1e-08"
    assert k == len(steps) and steps[-1].k == k - 1
    assert np.linalg.norm(model.gradients(steps[-1].params_next, data.X, data.y)) < 1e-8


def test_learning_rate_50_on_raw_house_prices_diverges_cleanly() -> None:
    data = house_prices(1)
    model = LinearRegression(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = train(model, data.X, data.y, model.initial_params(), TrainSettings(50.0))
        steps = list(run)
    assert run.outcome.status == DIVERGED
    assert run.outcome.message.startswith(f"diverged at step {run.outcome.k}: the cost grew to ")
    # full-batch regression: the why names the bound α broke (issue 17, item 4)
    assert run.outcome.message.endswith(
        " — the learning rate is too large for this data: α = 50 > 2/λ_max = 4.3e−07"
    )
    assert steps and all(_all_finite(s) for s in steps)
    assert steps[-1].k == run.outcome.k  # the step it names is the last one shown


@pytest.mark.parametrize("model", [LinearRegression(2), Network(2, "relu"), Network(3, "tanh")])
def test_huge_learning_rates_never_yield_inf_or_nan(model) -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(20, 2)) * 1e3
    y = (rng.random(20) > 0.5).astype(float) * (1 if model.is_classifier else 1e5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lr in (1e3, 1e8, 1e300):
            run = train(model, X, y, model.initial_params(), TrainSettings(lr, max_steps=2000))
            steps = list(run)
            assert all(_all_finite(s) for s in steps)
            if not model.is_classifier:
                assert run.outcome.status == DIVERGED


@pytest.mark.parametrize("numpy_version", [np.__version__, "1.26.4"])
def test_quiet_steps_leave_the_callers_error_state_alone(numpy_version, monkeypatch) -> None:
    monkeypatch.setattr(np, "__version__", numpy_version)  # 1.x: the np.errstate fallback
    data = house_prices(1)
    model = LinearRegression(1)
    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = train(model, data.X, data.y, model.initial_params(), TrainSettings(1e300))
        steps = list(run)
        assert np.geterr() == before
        with pytest.raises(RuntimeWarning):
            np.array([1e308]) * 10.0  # overflow still warns outside the steps
    assert run.outcome.status == DIVERGED and all(_all_finite(s) for s in steps)


def test_non_finite_cost_message_says_infinite() -> None:
    model = LinearRegression(1)
    X = np.array([1e200, -1e200])
    y = np.array([0.0, 1.0])
    run = train(model, X, y, [1e200, 0.0], TrainSettings(1.0))
    assert list(run) == []
    assert run.outcome.status == DIVERGED
    assert run.outcome.message == (
        "diverged at step 0: the cost grew to ∞ — "
        "the learning rate α = 1 is too large for this data"
    )


def test_rows_and_columns_match() -> None:
    data = xor_blobs(m=8)
    net = Network()
    step = next(train(net, data.X, data.y, net.initial_params(), TrainSettings(1.0)))
    cols = row_columns(net)
    assert cols[:2] == ("k", "w11") and cols[-2:] == ("grad_b", "accuracy")
    assert len(step.as_row()) == len(cols) == 2 * 9 + 3
    reg = LinearRegression(1)
    rstep = next(train(reg, [1.0, 2.0], [1.0, 3.0], [0.0, 0.0], TrainSettings(0.1)))
    assert row_columns(reg) == ("k", "w1", "b", "cost", "grad_w1", "grad_b")
    assert len(rstep.as_row()) == 6


def test_steps_are_immutable() -> None:
    data = xor_blobs(m=8)
    net = Network()
    step = next(train(net, data.X, data.y, net.initial_params(), TrainSettings(1.0)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.cost = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        step.params[0] = 1.0
    with pytest.raises(ValueError):
        step.forward.yhat[0] = 1.0


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        TrainSettings(0.0)
    with pytest.raises(ValueError):
        TrainSettings(float("nan"))
    with pytest.raises(ValueError):
        TrainSettings(0.1, batch="mini")
    run = train(
        LinearRegression(1), [1.0, 2.0], [1.0, 2.0], [0.0, 0.0], TrainSettings(0.1, max_steps=0)
    )
    assert list(run) == [] and run.outcome.status == STEP_LIMIT


@pytest.mark.parametrize("model", [LinearRegression(2), Perceptron(2)], ids=repr)
def test_single_example_mode_uses_that_examples_gradient(model) -> None:
    data = xor_blobs(m=6, seed=4)
    settings = TrainSettings(learning_rate=0.3, batch="single", max_steps=9)
    steps = list(train(model, data.X, data.y, model.initial_params(), settings))
    assert [s.example for s in steps] == [k % 6 for k in range(9)]
    for s in steps:
        one = model.per_example_gradients(s.params, data.X, data.y)[s.example]
        assert s.gradients == pytest.approx(one, rel=1e-12, abs=1e-15)
        full = model.gradients(s.params, data.X, data.y)
        assert s.gradient_norm == pytest.approx(np.linalg.norm(full), rel=1e-12)


def test_forward_is_computed_on_first_access_and_kept() -> None:
    data = xor_blobs(m=10)
    net = Network(3, "tanh")
    run = train(net, data.X, data.y, net.initial_params(), TrainSettings(1.0, max_steps=3))
    step = list(run)[-1]
    assert "_forward" in vars(step) and callable(vars(step)["_forward"])
    fwd = step.forward
    assert step.forward is fwd  # computed once
    expected = net.forward(step.params, data.X)
    assert fwd.names == expected.names
    for name, a in expected.arrays().items():
        assert np.array_equal(fwd[name], a)
    # the record keeps its fields, and still accepts a ready Forward
    names = [f.name for f in dataclasses.fields(TrainStep)]
    assert names == [
        *("k", "params", "cost", "gradients", "params_next", "example", "forward"),
        *("accuracy", "gradient_norm", "learning_rate"),
    ]
    copy = dataclasses.replace(step, k=99)
    assert copy.forward is fwd and copy.k == 99
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.forward = expected  # type: ignore[misc]


def test_training_copies_the_data() -> None:
    X = np.array([[1.0], [2.0], [3.0]])
    y = np.array([2.0, 4.0, 6.0])
    model = LinearRegression(1)
    run = train(model, X, y, [0.0, 0.0], TrainSettings(0.1, max_steps=5))
    first = next(run)
    X[0, 0], y[0] = 100.0, -100.0  # the caller's arrays stay theirs …
    assert X.flags.writeable and y.flags.writeable
    assert first.forward.yhat.tolist() == [0.0, 0.0, 0.0]
    second = next(run)  # … and the run goes on with the data it was given
    assert second.gradients == pytest.approx(
        model.gradients(first.params_next, [1, 2, 3], [2, 4, 6])
    )
    assert all(type(v) is float for v in second.as_row())


def test_an_overflowing_hidden_layer_diverges_cleanly() -> None:
    # z1 overflows to inf: σ(z1) = 1 keeps the cost finite, the old forward check caught it
    net = Network()
    params = np.array([10.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    X = np.array([[1e308, 0.0], [-1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = train(net, X, [1.0, 0.0], params, TrainSettings(0.1))
        assert list(run) == []
    assert run.outcome.status == DIVERGED
    assert run.outcome.message == (
        "diverged at step 0: the numbers grew too large to compute — "
        "the learning rate α = 0.1 is too large for this data"
    )


# --- a diverging run can be watched (issue 16, item 3) ----------------------------------------


def _raw_house_loop(alpha: float, steps: int) -> list[tuple[float, float, float]]:
    """(w, b, cost) of plain gradient descent on the slides' raw houses, by hand."""
    x, y = np.array([1000.0, 2000.0, 3000.0]), np.array([20000.0, 30000.0, 50000.0])
    w, b = LinearRegression(1).initial_params()
    out = []
    for _ in range(steps):
        error = w * x + b - y
        out.append((w, b, float(np.mean(error**2) / 2)))
        w, b = w - alpha * np.mean(error * x), b - alpha * np.mean(error)
    return out


def test_a_diverging_run_yields_every_finite_step_and_ends_with_the_last() -> None:
    data = house_prices(1)  # raw ft² and $: α = 0.1 is far too large
    model = LinearRegression(1)
    run = train(model, data.X, data.y, model.initial_params(), TrainSettings(0.1))
    steps = list(run)
    reference = _raw_house_loop(0.1, 4)
    assert [s.k for s in steps] == [0, 1, 2, 3]
    for step, (w, b, cost) in zip(steps, reference, strict=True):
        assert step.params == pytest.approx([w, b], rel=1e-12)
        assert step.cost == pytest.approx(cost, rel=1e-12)
    # the cost explodes (ten billion-fold a step) and the line swings
    costs = [s.cost for s in steps]
    assert all(b > 1e10 * a for a, b in zip(costs, costs[1:], strict=False))
    assert [np.sign(s.params[0]) for s in steps[1:]] == [1, -1, 1]
    assert run.outcome.status == DIVERGED and run.outcome.k == steps[-1].k == 3
    assert run.outcome.message == (
        f"diverged at step 3: the cost grew to {reference[3][2]:.1e} — the learning rate "
        "is too large for this data: α = 0.1 > 2/λ_max = 4.3e−07"
    )
    assert run.outcome.message.startswith("diverged at step 3: the cost grew to 6.5e+42 — ")


def test_the_outcome_is_known_as_the_last_step_is_taken() -> None:
    data = house_prices(1)
    model = LinearRegression(1)
    run = train(model, data.X, data.y, model.initial_params(), TrainSettings(0.1))
    for _ in range(3):
        next(run)
        assert run.outcome is None
    last = next(run)
    assert run.outcome is not None and run.outcome.k == last.k == 3  # no step more is asked
    assert next(run, None) is None


def test_a_run_continued_step_by_step_diverges_where_the_whole_run_does() -> None:
    data = house_prices(1)
    model = LinearRegression(1)
    whole = train(model, data.X, data.y, model.initial_params(), TrainSettings(0.1))
    steps = list(whole)
    start = model.cost(model.initial_params(), data.X, data.y)
    one = train(model, data.X, data.y, model.initial_params(), TrainSettings(0.1, max_steps=1))
    pieces = [next(one)]
    while True:  # as → does: a new run from the last step, one step at a time
        last = pieces[-1]
        run = train(
            model,
            data.X,
            data.y,
            last.params_next,
            TrainSettings(0.1, max_steps=1),
            k0=last.k + 1,
            start_cost=start,
        )
        step = next(run, None)
        if step is None:
            break
        pieces.append(step)
        if run.outcome is not None and run.outcome.status == DIVERGED:
            break
    assert [s.k for s in pieces] == [s.k for s in steps]
    assert run.outcome == whole.outcome


@pytest.mark.parametrize("alpha", [1e100, 1e150, 1e300])
def test_an_overflowing_run_names_its_last_finite_step(alpha) -> None:
    data = house_prices(1)
    model = LinearRegression(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = train(model, data.X, data.y, model.initial_params(), TrainSettings(alpha))
        steps = list(run)
    assert steps and all(_all_finite(s) for s in steps)
    assert run.outcome.status == DIVERGED and run.outcome.k == steps[-1].k
    k = steps[-1].k
    assert run.outcome.message.startswith(f"diverged at step {k}: at step {k + 1} the ")
    why = f"is too large for this data: α = {short(alpha)} > 2/λ_max = 4.3e−07"
    assert run.outcome.message.endswith(why)


# --- XOR: what a hidden layer buys, and what symmetry costs ----------------------------------


def test_network_learns_xor_blobs() -> None:
    data = xor_blobs(m=200, noise=0.3, seed=0)
    net = Network()
    run = train(
        net,
        data.X,
        data.y,
        net.initial_params("course", seed=3),
        TrainSettings(5.0, max_steps=3000),
    )
    accuracy = [s.accuracy for s in run]
    assert accuracy[0] == pytest.approx(0.5, abs=0.1)
    assert max(accuracy) >= 0.95
    assert accuracy[-1] >= 0.95


def test_perceptron_cannot_learn_xor_blobs() -> None:
    data = xor_blobs(m=200, noise=0.3, seed=0)
    p = Perceptron()
    steps = list(train(p, data.X, data.y, p.initial_params(), TrainSettings(1.0, max_steps=3000)))
    assert steps[-1].accuracy < 0.8


def test_zero_initialisation_keeps_the_hidden_units_identical() -> None:
    # 201 points: the classes are slightly unbalanced, so the gradient is not exactly zero
    data = xor_blobs(m=201, noise=0.3, seed=0)
    net = Network()
    run = train(
        net, data.X, data.y, net.initial_params("zeros"), TrainSettings(5.0, max_steps=2000)
    )
    steps = list(run)
    assert len(steps) == 2000
    last = steps[-1]
    assert np.any(last.params != 0)  # it did learn something …
    assert np.array_equal(
        last.forward.hidden_a[:, 0], last.forward.hidden_a[:, 1]
    )  # … symmetrically
    W1, b1, W2, _ = net.unpack(last.params_next)
    assert np.array_equal(W1[0], W1[1]) and b1[0] == b1[1] and W2[0] == W2[1]
    assert last.accuracy < 0.8


def test_zero_initialisation_on_balanced_xor_is_stuck_at_once() -> None:
    # balanced classes: all-zero parameters are a stationary point, the gradient is exactly 0
    data = xor_blobs(m=200, seed=0)
    net = Network()
    run = train(net, data.X, data.y, net.initial_params("zeros"), TrainSettings(5.0))
    assert list(run) == [] and run.outcome.status == CONVERGED and run.outcome.k == 0
