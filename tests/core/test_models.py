"""Models: names, course initialisation, forward values, gradients and the chain rule."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from optgui.core.datasets import xor_blobs
from optgui.core.models import LinearRegression, Network, Perceptron, log_loss

FLOATS = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


def _model_cases() -> list:
    cases = [LinearRegression(1), LinearRegression(2), Perceptron(2)]
    cases += [Network(h, act) for h in (1, 2, 3) for act in ("sigmoid", "tanh", "relu")]
    return cases


MODELS = _model_cases()


def _data(model, seed: int, m: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, model.n_inputs))
    # classifiers get hard and soft labels
    y = rng.uniform(0, 1, size=m).round(1) if model.is_classifier else rng.normal(size=m) * 3
    params = rng.normal(size=model.n_params)
    return params, X, y


def _numeric_gradient(model, params, X, y, h: float = 1e-6) -> np.ndarray:
    g = np.empty_like(params)
    for k in range(params.size):
        e = np.zeros_like(params)
        e[k] = h
        g[k] = (model.cost(params + e, X, y) - model.cost(params - e, X, y)) / (2 * h)
    return g


# --- names and layout --------------------------------------------------------------------


def test_names_in_the_slides_notation() -> None:
    assert LinearRegression(1).names == ("w1", "b")
    assert LinearRegression(2).names == ("w1", "w2", "b")
    assert Perceptron().names == ("w1", "w2", "b")
    net = Network()
    assert net.names == ("w11", "w21", "w12", "w22", "b1", "b2", "w1", "w2", "b")
    assert net.n_params == 9
    assert Network(3).names == (
        *("w11", "w21", "w12", "w22", "w13", "w23"),
        *("b1", "b2", "b3", "w1", "w2", "w3", "b"),
    )
    assert Network(8).n_params == 33


def test_course_initialisation_fixtures() -> None:
    reg = LinearRegression(1).initial_params(seed=3)
    assert reg[0] == pytest.approx(0.01788628, abs=5e-9)
    assert reg[1] == 0.0
    net = Network()
    p = net.initial_params("course", seed=3)
    w_in, b1, w_out, b = net.unpack(p)
    assert w_in == pytest.approx(
        np.array([[0.01788628, 0.0043651], [0.00096497, -0.01863493]]), abs=5e-9
    )
    assert w_out == pytest.approx(np.array([-0.00277388, -0.00354759]), abs=5e-9)
    assert np.all(b1 == 0) and b == 0
    named = dict(zip(net.names, p, strict=True))
    assert named["w11"] == pytest.approx(0.01788628, abs=5e-9)
    assert named["w21"] == pytest.approx(0.0043651, abs=5e-9)
    assert named["w12"] == pytest.approx(0.00096497, abs=5e-9)
    assert named["w22"] == pytest.approx(-0.01863493, abs=5e-9)
    for model in MODELS:
        assert np.all(model.initial_params("zeros") == 0)
        assert model.initial_params().shape == (model.n_params,)


def test_pack_and_unpack_are_inverse() -> None:
    net = Network(3)
    p = np.arange(net.n_params, dtype=float)
    assert np.array_equal(net.pack(*net.unpack(p)), p)
    W1, b1, W2, b = net.unpack(p)
    assert W1.shape == (3, 2) and b1.shape == (3,) and W2.shape == (3,)


def test_wrong_parameter_count_is_refused() -> None:
    with pytest.raises(ValueError, match="expected 9 parameters"):
        Network().forward(np.zeros(3), np.zeros((1, 2)))
    with pytest.raises(ValueError):
        Network(hidden=9)
    with pytest.raises(ValueError):
        Network(activation="softplus")


# --- forward -----------------------------------------------------------------------------


def test_network_forward_follows_the_slides() -> None:
    net = Network()
    p = np.array([0.1, -0.2, 0.3, 0.4, 0.05, -0.05, 1.5, -2.0, 0.25])
    X = np.array([[1.0, 2.0], [-0.5, 0.3]])
    f = net.forward(p, X)
    w11, w21, w12, w22, b1, b2, w1, w2, b = p
    x1, x2 = X[0]
    z1 = x1 * w11 + x2 * w21 + b1
    z2 = x1 * w12 + x2 * w22 + b2
    a1, a2 = 1 / (1 + math.exp(-z1)), 1 / (1 + math.exp(-z2))
    z = a1 * w1 + a2 * w2 + b
    values = f.values(0)
    assert list(values) == ["z1", "a1", "z2", "a2", "z", "ŷ"]
    expected = [z1, a1, z2, a2, z, 1 / (1 + math.exp(-z))]
    assert list(values.values()) == pytest.approx(expected, rel=1e-14)
    assert f.hidden_z.shape == (2, 2) and f.hidden_a.shape == (2, 2)
    assert np.array_equal(f["a2"], f.hidden_a[:, 1])
    assert np.array_equal(f["yhat"], f.yhat)


def test_regression_and_perceptron_forward() -> None:
    X = np.array([[1000.0, 2.0], [2000.0, 4.0]])
    f = LinearRegression(2).forward([10.0, 100.0, 5.0], X)
    assert f.yhat.tolist() == [10205.0, 20405.0]
    assert f.z is None and f.values(1) == {"ŷ": 20405.0}
    f = Perceptron().forward([1.0, -1.0, 0.5], np.array([[3.0, 0.0]]))
    assert f.values(0) == pytest.approx({"z": 3.5, "ŷ": 0.9706877692486436})
    # one input may be given as a 1-D array
    assert LinearRegression(1).forward([2.0, 1.0], np.array([1.0, 2.0])).yhat.tolist() == [
        3.0,
        5.0,
    ]


def test_costs() -> None:
    reg = LinearRegression(1)
    X = np.array([1.0, 2.0, 3.0])
    y = np.array([1.0, 2.0, 5.0])
    assert reg.cost([1.0, 0.0], X, y) == pytest.approx(0.5 * 4 / 3)
    p = Perceptron(1)
    z = np.array([-1.0, 0.5, 2.0])
    yhat = 1 / (1 + np.exp(-z))
    labels = np.array([0.0, 1.0, 0.3])
    assert p.cost([1.0, 0.0], z, labels) == pytest.approx(log_loss(yhat, labels), rel=1e-12)


def test_network_course_init_starts_near_ln2() -> None:
    data = xor_blobs()
    net = Network()
    assert net.cost(net.initial_params(), data.X, data.y) == pytest.approx(math.log(2), abs=1e-3)


def test_predict_and_accuracy() -> None:
    p = Perceptron()
    X = np.array([[3.0, 0.0], [0.0, 2.0], [1.0, 3.0], [2.0, 1.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    params = np.array([1.0, -1.0, 0.0])
    assert p.predict(params, X).tolist() == [1, 0, 0, 1]
    assert p.accuracy(params, X, y) == 1.0
    assert p.accuracy(-params, X, y) == 0.0
    with pytest.raises(TypeError):
        LinearRegression(2).accuracy([0.0, 0.0, 0.0], X, y)


# --- gradients -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=repr)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 6))
@settings(max_examples=15, deadline=None)
def test_gradients_match_central_differences(model, seed: int, m: int) -> None:
    params, X, y = _data(model, seed, m)
    if getattr(model, "activation", None) == "relu":  # stay away from the kinks
        assume(np.min(np.abs(model.forward(params, X).hidden_z)) > 1e-3)
    analytic = model.gradients(params, X, y)
    numeric = _numeric_gradient(model, params, X, y)
    assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-7)
    rows = model.per_example_gradients(params, X, y)
    assert rows.shape == (m, model.n_params)
    assert rows.mean(axis=0) == pytest.approx(analytic, rel=1e-12, abs=1e-15)
    for i in range(m):  # one example's gradient is the gradient of its own loss
        one = _numeric_gradient(model, params, X[i : i + 1], y[i : i + 1])
        assert rows[i] == pytest.approx(one, rel=1e-5, abs=1e-7)


@given(
    params=hnp.arrays(float, 9, elements=FLOATS),
    X=hnp.arrays(float, (4, 2), elements=FLOATS),
    y=hnp.arrays(float, 4, elements=st.sampled_from([0.0, 1.0])),
)
@settings(max_examples=30, deadline=None)
def test_network_gradients_are_the_slides_formulas(params, X, y) -> None:
    net = Network()
    f = net.forward(params, X)
    rows = net.per_example_gradients(params, X, y)
    w1, w2 = params[6], params[7]
    a1, a2 = f.hidden_a[:, 0], f.hidden_a[:, 1]
    r = y - f.yhat
    col = {n: rows[:, k] for k, n in enumerate(net.names)}
    assert col["w11"] == pytest.approx(-X[:, 0] * w1 * a1 * (1 - a1) * r, abs=1e-12)
    assert col["w21"] == pytest.approx(-X[:, 1] * w1 * a1 * (1 - a1) * r, abs=1e-12)
    assert col["b1"] == pytest.approx(-w1 * a1 * (1 - a1) * r, abs=1e-12)
    assert col["w12"] == pytest.approx(-X[:, 0] * w2 * a2 * (1 - a2) * r, abs=1e-12)
    assert col["w22"] == pytest.approx(-X[:, 1] * w2 * a2 * (1 - a2) * r, abs=1e-12)
    assert col["b2"] == pytest.approx(-w2 * a2 * (1 - a2) * r, abs=1e-12)
    assert col["w1"] == pytest.approx(-a1 * r, abs=1e-12)
    assert col["w2"] == pytest.approx(-a2 * r, abs=1e-12)
    assert col["b"] == pytest.approx(-r, abs=1e-12)


def test_perceptron_and_regression_gradients_are_the_slides_formulas() -> None:
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = np.array([1.0, 0.0])
    p = np.array([0.3, -0.2, 0.1])
    for model in (LinearRegression(2), Perceptron(2)):
        r = y - model.forward(p, X).yhat
        expected = np.column_stack([-r * X[:, 0], -r * X[:, 1], -r])
        assert model.per_example_gradients(p, X, y) == pytest.approx(expected, rel=1e-14)


# --- the training fast path ----------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=repr)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 6))
@settings(max_examples=15, deadline=None)
def test_cost_and_gradient_match_the_per_example_path(model, seed: int, m: int) -> None:
    params, X, y = _data(model, seed, m)
    cost, gradient, accuracy = model.cost_and_gradient(params, model.examples(X, y))
    assert cost == pytest.approx(model.cost(params, X, y), rel=1e-12, abs=1e-15)
    assert gradient == pytest.approx(model.gradients(params, X, y), rel=1e-10, abs=1e-12)
    if model.is_classifier:
        assert accuracy == model.accuracy(params, X, y)
    else:
        assert accuracy is None


@pytest.mark.parametrize("model", [Perceptron(2), Network(2), Network(3, "tanh")], ids=repr)
def test_cost_and_gradient_keep_their_digits_when_saturated(model) -> None:
    rng = np.random.default_rng(7)
    X = rng.normal(size=(8, 2))
    y = np.array([0.0, 1.0, 1.0, 0.0, 0.3, 1.0, 0.0, 0.9])
    params = rng.normal(size=model.n_params) * 300  # |z| in the hundreds: ŷ rounds to 0 or 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, gradient, accuracy = model.cost_and_gradient(params, model.examples(X, y))
        assert cost == pytest.approx(model.cost(params, X, y), rel=1e-12)
        assert gradient == pytest.approx(model.gradients(params, X, y), rel=1e-9, abs=1e-300)
        assert accuracy == model.accuracy(params, X, y)


def test_an_overflowed_hidden_layer_gives_a_nan_gradient() -> None:
    net = Network()
    params = np.array([1e300, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    X = np.array([[1e10, 0.0], [-1.0, 2.0]])  # z1 = 1e310 for the first example: inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, gradient, _ = net.cost_and_gradient(params, net.examples(X, np.array([1.0, 0.0])))
    assert math.isfinite(cost)  # the sigmoid hides the overflow from the cost …
    assert np.all(np.isnan(gradient))  # … not from the gradient


def test_examples_are_read_only_copies() -> None:
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = np.array([0.0, 1.0, 0.6])
    ex = Perceptron().examples(X, y)
    X[0, 0] = 99.0
    assert ex.X[0, 0] == 1.0 and X.flags.writeable
    assert ex.X1.tolist() == [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]]
    assert ex.m == 3 and ex.label.tolist() == [False, True, True]
    with pytest.raises(ValueError):
        ex.y[0] = 1.0
    one = ex.example(2)
    assert one.m == 1 and one.X1[:, 0].tolist() == [5.0, 6.0, 1.0] and one.y.tolist() == [0.6]
    with pytest.raises(ValueError, match="2 targets"):
        Perceptron().examples(X, y[:2])


def test_zero_weights_predict_class_1_everywhere() -> None:
    # z = 0 exactly: ŷ = 0.5 counts as class 1, in predict and in the fast path alike
    p = Perceptron()
    X = np.array([[1.0, -2.0], [-3.0, 0.5]])
    y = np.array([1.0, 0.0])
    assert p.predict(np.zeros(3), X).tolist() == [1, 1]
    assert p.cost_and_gradient(np.zeros(3), p.examples(X, y))[2] == 0.5


# --- backward and the chain rule -----------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=repr)
@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=10, deadline=None)
def test_chain_products_equal_per_example_gradients(model, seed: int) -> None:
    params, X, y = _data(model, seed, 3)
    back = model.backward(params, X, y)
    rows = model.per_example_gradients(params, X, y)
    assert back.per_example_gradients == pytest.approx(rows)
    assert back.gradients == pytest.approx(rows.mean(axis=0))
    for i in range(3):
        for k, name in enumerate(model.names):
            product = math.prod(value for _, value in back.chain(name, i))
            assert product == pytest.approx(rows[i, k], rel=1e-10, abs=1e-14)


def test_chain_labels_follow_the_slides() -> None:
    net = Network()
    params = np.linspace(-1, 1, 9)
    X = np.array([[0.5, -1.5]])
    y = np.array([1.0])
    back = net.backward(params, X, y)
    f = back.forward.values(0)
    a1, yhat = f["a1"], f["ŷ"]
    chain = back.chain("w11", 0)
    assert [label for label, _ in chain] == ["∂z1/∂w11", "∂a1/∂z1", "∂z/∂a1", "∂ŷ/∂z", "∂L/∂ŷ"]
    assert [v for _, v in chain] == pytest.approx(
        [0.5, a1 * (1 - a1), params[6], yhat * (1 - yhat), -(1 - yhat) / (yhat * (1 - yhat))]
    )
    assert [label for label, _ in back.chain("w22", 0)][:3] == ["∂z2/∂w22", "∂a2/∂z2", "∂z/∂a2"]
    assert back.chain("b2", 0)[0] == ("∂z2/∂b2", 1.0)
    assert back.chain("w1", 0)[0] == ("∂z/∂w1", pytest.approx(a1))
    assert [label for label, _ in back.chain("b", 0)] == ["∂z/∂b", "∂ŷ/∂z", "∂L/∂ŷ"]
    assert back.dz_da[0].tolist() == [params[6], params[7]]
    assert back.dz_dw[0].tolist() == [0.5, -1.5]
    assert back.dL_dz[0] == pytest.approx(-(1 - yhat))
    reg = LinearRegression(1).backward([2.0, 1.0], np.array([[3.0]]), np.array([10.0]))
    assert reg.chain("w1", 0) == [("∂ŷ/∂w1", 3.0), ("∂L/∂ŷ", -3.0)]
    assert reg.chain("b", 0) == [("∂ŷ/∂b", 1.0), ("∂L/∂ŷ", -3.0)]
    assert reg.dyhat_dz is None
    with pytest.raises(KeyError):
        back.chain("w33", 0)


def test_saturated_outputs_stay_finite_without_warnings() -> None:
    net = Network()
    params = np.array([500.0, 500.0, -500.0, 500.0, 0.0, 0.0, 800.0, 800.0, 0.0])
    X = np.array([[2.0, 2.0], [-2.0, -2.0]])
    y = np.array([0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost = net.cost(params, X, y)
        back = net.backward(params, X, y)
        grads = net.gradients(params, X, y)
    assert math.isfinite(cost) and cost > 100
    assert np.all(np.isfinite(grads))
    for name in ("dL_dyhat", "dyhat_dz", "dL_dz", "da_dz", "dL_da", "dL_dhidden_z"):
        assert np.all(np.isfinite(getattr(back, name))), name
    p = Perceptron()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert p.cost([1000.0, 0.0, 0.0], np.array([[1.0, 0.0]]), np.array([0.0])) == 1000.0
        assert p.gradients([1000.0, 0.0, 0.0], np.array([[1.0, 0.0]]), np.array([1.0]))[0] == 0.0


def test_core_modules_do_not_import_qt() -> None:
    code = (
        "import sys\n"
        "import optgui.core.models, optgui.core.training, optgui.core.datasets\n"
        "import optgui.core.activations\n"
        "qt = ('PySide6', 'shiboken6', 'pyqtgraph')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
