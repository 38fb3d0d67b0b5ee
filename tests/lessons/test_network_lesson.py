"""The 2-2-1 network's lesson without Qt: settings, data, and every text against curriculum §3."""

from __future__ import annotations

import itertools
import json
import math
import re

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.format import fmt, paren
from optgui.core.models import Network
from optgui.core.training import TrainStep
from optgui.lessons import training
from optgui.lessons.network import (
    STUCK_NOTE,
    NetworkLesson,
    axis_labels,
    chain_rule,
    data_summary,
    derivative_tex,
    example_info,
    factor_groups,
    factor_tex,
    forward_rows,
    hidden_unit,
    html_symbol,
    model_status,
    pretty,
    sharers,
    simplified_tex,
    split_partial,
    symmetry_note,
    tex_symbol,
)
from optgui.lessons.settings import SettingsError

NINE = ("w11", "w21", "w12", "w22", "b1", "b2", "w1", "w2", "b")
#: The course assignment's start (curriculum §3): W1, W2 from 0.01·randn with seed 3, zero biases.
W1 = [[0.01788628, 0.0043651], [0.00096497, -0.01863493]]
W2 = [[-0.00277388, -0.00354759]]
#: A network's tab state exactly as the main branch saved it before this lesson existed.
SAVED_BY_MAIN = json.loads(
    '{"speed": 4, "limit": 5000, "steps": 0, "learning_rate": 5.0, "batch": "full", '
    '"init": "course", "seed": 3, "params0": [0.017886284734303187, 0.004365098505119894, '
    "0.0009649746807200863, -0.01863492703364491, -0.0027738820251439907, "
    "-0.0035475897926898676, 0.0, 0.0, 0.0, -0.0008274148148245977, -0.0062700067682384735, "
    '-0.0004381816897592824, 0.0], "selected": 0, "source": "xor", "points": 200, '
    '"noise": 0.3, "data_seed": 0, "hidden": 3, "activation": "tanh", '
    '"added": [[0.5, 0.25, 1.0]], "parameter": "b2"}'
)


def start(settings: NetworkLesson) -> tuple[Network, datasets.Dataset, TrainStep]:
    """The model, the data and step 0 the tab shows for ``settings``."""
    model, data = settings.model(), settings.data()
    params0 = training.initial_params(settings, model)
    record = training.initial_record(settings, model, data.X, data.y, params0)
    assert record is not None
    return model, data, record


def step_at(settings: NetworkLesson, params: np.ndarray) -> tuple[Network, np.ndarray, TrainStep]:
    """Step 0 from ``params`` (a start where every factor is far from 0)."""
    model, data = settings.model(), settings.data()
    record = training.initial_record(settings, model, data.X, data.y, params)
    assert record is not None
    return model, data.X, record


def numbers(text: str) -> list[float]:
    """The numbers in a shown text, in order (typographic minus included)."""
    plain = re.sub(r"<[^>]+>", "", text).replace("−", "-")
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", plain)]


# --- settings ----------------------------------------------------------------------------------


def test_defaults_are_the_tabs_start() -> None:
    s = NetworkLesson()
    assert (s.learning_rate, s.batch, s.init, s.seed) == (5.0, "full", "course", 3)
    assert (s.source, s.points, s.noise, s.data_seed) == ("xor", 200, 0.3, 0)
    assert (s.hidden, s.activation, s.added) == (2, "sigmoid", ())


def test_json_round_trip_with_added_points() -> None:
    s = NetworkLesson(
        learning_rate=0.75,
        batch="single",
        source="moons",
        points=60,
        noise=0.15,
        data_seed=12,
        hidden=3,
        activation="relu",
        added=((0.5, -0.25, 1.0), (1.0, 2.0, 0.0)),
    )
    text = json.dumps(s.to_json())
    again = NetworkLesson.from_json(json.loads(text))
    assert again == s
    assert again.added == ((0.5, -0.25, 1.0), (1.0, 2.0, 0.0))
    assert json.loads(text)["added"] == [[0.5, -0.25, 1.0], [1.0, 2.0, 0.0]]


def test_a_state_saved_by_main_reads() -> None:
    s = NetworkLesson.from_json(SAVED_BY_MAIN)  # unknown keys (speed, parameter …) are ignored
    assert (s.hidden, s.activation, s.added) == (3, "tanh", ((0.5, 0.25, 1.0),))
    assert s.data().m == 201 and s.data().y[-1] == 1.0
    assert len(s.params0) == s.model().n_params == 13


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"points": 3}, "points", "the number of points should be between 4 and 2000"),
        ({"noise": 1.5}, "noise", "the noise should be between 0 and 1"),
        ({"data_seed": -1}, "data_seed", "the data seed should be between 0 and 999999"),
        ({"hidden": 9}, "hidden", "the number of hidden units should be between 1 and 8"),
        ({"source": "spiral"}, "source", "the data set should be one of xor, aack, circles"),
        ({"activation": "gelu"}, "activation", "the activation should be one of sigmoid, tanh"),
        ({"added": ((0.0, 0.0, 2.0),)}, "added", "an added point's class should be 0 or 1"),
        ({"added": ((0.0, 0.0),)}, "added", "the added points should hold 3 values"),
        ({"added": "here"}, "added", "the added points should be a list"),
        ({"points": "many"}, "points", "the number of points should be a whole number"),
    ],
)
def test_settings_that_cannot_be_used_say_why(changes, field, message) -> None:
    with pytest.raises(SettingsError) as caught:
        NetworkLesson().replace(**changes)
    assert caught.value.field == field
    assert str(caught.value).startswith(message)
    with pytest.raises(SettingsError):
        NetworkLesson.from_json({**SAVED_BY_MAIN, **changes})


def test_editing_the_data_drops_the_added_points_and_a_new_set_takes_its_noise() -> None:
    s = NetworkLesson().with_point(0.5, 0.5, 1)
    assert s.added == ((0.5, 0.5, 1.0),)
    assert s.replace(source="circles").edited(frozenset({"source"})).noise == 0.1
    assert s.replace(source="circles").edited(frozenset({"source"})).added == ()
    assert s.replace(points=80).edited(frozenset({"points"})).added == ()
    assert s.replace(hidden=3).edited(frozenset({"hidden"})).added == s.added  # same data
    aack = NetworkLesson(source="aack", noise=0.2).with_point(0, 0, 0)
    assert not aack.remakes_data(frozenset({"points"}))  # aack's four sentences stay
    assert aack.replace(points=9).edited(frozenset({"points"})).added == aack.added
    assert aack.replace(source="xor").edited(frozenset({"source"})).noise == 0.3
    assert (
        NetworkLesson(noise=0.2).replace(source="aack").edited(frozenset({"source"})).noise == 0.2
    )


def test_the_data_are_the_data_set_and_the_added_points() -> None:
    s = NetworkLesson(points=40, data_seed=5)
    base = datasets.xor_blobs(40, 0.3, 5)
    assert np.array_equal(s.data().X, base.X)
    more = s.with_point(0.25, -1.5, 0).with_point(2, 2, 1)
    data = more.data()
    assert data.m == 42 and np.array_equal(data.X[-2:], [[0.25, -1.5], [2.0, 2.0]])
    assert list(data.y[-2:]) == [0.0, 1.0]
    aack = NetworkLesson(source="aack").with_point(0, 1, 1).data()
    assert aack.m == 5 and aack.row_labels[-1] == "added point 1"


def test_the_factory_carries_its_settings() -> None:
    s = NetworkLesson(learning_rate=0.5)
    model, data = s.model(), s.data()
    factory = training.TrainingFactory(s, model, data.X, data.y, model.initial_params())
    assert factory.settings is s
    assert next(factory(None)).learning_rate == 0.5


# --- notation ----------------------------------------------------------------------------------


def test_the_nine_parameters() -> None:
    model = NetworkLesson().model()
    assert model.names == NINE
    assert [pretty(n) for n in NINE] == ["w₁₁", "w₂₁", "w₁₂", "w₂₂", "b₁", "b₂", "w₁", "w₂", "b"]
    assert [hidden_unit(n) for n in NINE] == [1, 1, 2, 2, 1, 2, None, None, None]
    assert sharers(NINE, 1) == ["w11", "w21", "b1"] and sharers(NINE, 2) == ["w12", "w22", "b2"]
    _, data, record = start(NetworkLesson())
    back = model.backward(record.params, data.X, data.y)
    rule = chain_rule("w11", 0, record, back, "sigmoid")
    assert [row.parameter for row in rule.reuse] == [pretty(n) for n in NINE]
    assert "all 9 gradients" in rule.reuse_note and "these 3 numbers" in rule.reuse_note


def test_symbols() -> None:
    assert tex_symbol("w11") == "w_{11}" and tex_symbol("ŷ") == r"\hat{y}"
    assert tex_symbol("z") == "z"
    assert html_symbol("w11") == "w<sub>11</sub>" and html_symbol("ŷ") == "ŷ"
    assert html_symbol("b") == "b"
    assert split_partial("∂z1/∂w11") == ("z1", "w11") and split_partial("∂L/∂ŷ") == ("L", "ŷ")
    assert derivative_tex("sigmoid", "1") == "a_{1}(1-a_{1})"
    assert derivative_tex("tanh", "2") == "1-a_{2}^{2}"


def test_the_slides_chain_for_w11_in_symbols() -> None:
    """∂L/∂w11 = x1 · a1(1−a1) · w1 · ŷ(1−ŷ) · (−(y−ŷ))/(ŷ(1−ŷ)) = −x1·w1·a1(1−a1)·(y−ŷ)."""
    model, data, record = start(NetworkLesson())
    back = model.backward(record.params, data.X, data.y)
    rule = chain_rule("w11", 0, record, back, "sigmoid")
    assert [f.partial for f in rule.factors] == ["∂z1/∂w11", "∂a1/∂z1", "∂z/∂a1", "∂ŷ/∂z", "∂L/∂ŷ"]
    assert [f.equals_tex for f in rule.factors] == [
        "x_{1}",
        "a_{1}(1-a_{1})",
        "w_{1}",
        r"\hat{y}(1-\hat{y})",
        r"-\dfrac{y-\hat{y}}{\hat{y}(1-\hat{y})}",
    ]
    assert rule.chain_tex == (
        r"\dfrac{\partial L}{\partial w_{11}} = \dfrac{\partial z_{1}}{\partial w_{11}} \cdot "
        r"\dfrac{\partial a_{1}}{\partial z_{1}} \cdot \dfrac{\partial z}{\partial a_{1}} \cdot "
        r"\dfrac{\partial \hat{y}}{\partial z} \cdot \dfrac{\partial L}{\partial \hat{y}}"
    )
    assert rule.simplified_tex.endswith(r"= -x_{1}\,w_{1}\,a_{1}(1-a_{1})\,(y-\hat{y})")
    # the groups: its own factor, hidden unit 1's ∂L/∂z1, the output's ∂L/∂z
    assert [f.group for f in rule.factors] == ["own", 1, 1, None, None]
    assert rule.update_tex == (
        r"w_{11} \leftarrow w_{11} - \alpha\,\dfrac{\partial J}{\partial w_{11}}"
    )


def test_the_slides_simplified_gradients() -> None:
    assert simplified_tex("w21", "sigmoid") == r"-x_{2}\,w_{1}\,a_{1}(1-a_{1})\,(y-\hat{y})"
    assert simplified_tex("b1", "sigmoid") == r"-w_{1}\,a_{1}(1-a_{1})\,(y-\hat{y})"
    assert simplified_tex("w22", "sigmoid") == r"-x_{2}\,w_{2}\,a_{2}(1-a_{2})\,(y-\hat{y})"
    assert simplified_tex("w1", "sigmoid") == r"-a_{1}\,(y-\hat{y})"
    assert simplified_tex("w2", "sigmoid") == r"-a_{2}\,(y-\hat{y})"
    assert simplified_tex("b", "sigmoid") == r"-(y-\hat{y})"
    assert simplified_tex("w11", "tanh") == r"-x_{1}\,w_{1}\,\left(1-a_{1}^{2}\right)\,(y-\hat{y})"
    assert factor_tex("∂z/∂b", "sigmoid") == "1" and factor_tex("∂z2/∂b2", "tanh") == "1"
    assert factor_tex("∂z/∂w2", "sigmoid") == "a_{2}" and factor_tex("∂z1/∂w21", "relu") == "x_{2}"
    assert factor_groups("b", 3) == ["own", None, None]
    assert factor_groups("w2", 3) == ["own", None, None]
    assert factor_groups("b2", 5) == ["own", 2, 2, None, None]


# --- the chain rule with numbers --------------------------------------------------------------

#: A start with every factor well away from 0 (the course's start makes ∂L/∂w11 ≈ 1e-4).
PARAMS = np.array([1.2, -0.7, -0.9, 1.1, 0.3, -0.2, 1.5, -1.3, 0.1])


def finite_difference(model: Network, params, X, y, i: int, k: int, h: float = 1e-6) -> float:
    """∂L_i/∂params[k] from the model's loss of example i (central differences)."""
    up, down = np.array(params, dtype=float), np.array(params, dtype=float)
    up[k] += h
    down[k] -= h
    Xi, yi = X[i : i + 1], y[i : i + 1]
    return float((model.losses(up, Xi, yi)[0] - model.losses(down, Xi, yi)[0]) / (2 * h))


def test_w11_with_numbers_is_the_slides_product() -> None:
    s = NetworkLesson()
    model, X, record = step_at(s, PARAMS)
    y = s.data().y
    back = model.backward(record.params, X, y)
    i = 3
    rule = chain_rule("w11", i, record, back, "sigmoid")
    fwd = model.forward(PARAMS, X)
    x1, a1, yhat, yi = X[i, 0], fwd.hidden_a[i, 0], fwd.yhat[i], y[i]
    w1 = PARAMS[NINE.index("w1")]
    expected = [x1, a1 * (1 - a1), w1, yhat * (1 - yhat), -(yi - yhat) / (yhat * (1 - yhat))]
    assert [f.value for f in rule.factors] == pytest.approx(expected, rel=1e-12)
    assert [f.value_text for f in rule.factors] == [fmt(v, 6) for v in expected]
    slides = -x1 * w1 * a1 * (1 - a1) * (yi - yhat)
    assert rule.gradient == pytest.approx(slides, rel=1e-12)
    assert rule.gradient == pytest.approx(finite_difference(model, PARAMS, X, y, i, 0), rel=1e-6)
    # the texts: the product of the factors and the simplified form, both with numbers,
    # each factor with the digits it takes for the product as written to give the result
    assert rule.product_html.startswith("Product: ∂L/∂w<sub>11</sub> = ")
    assert rule.product_html.endswith(f" = <b>{fmt(slides, 6)}</b>")
    shown = numbers(rule.product_html.split(" = ", 1)[1])
    assert shown[:5] == pytest.approx(expected, rel=1e-4)
    assert fmt(math.prod(shown[:5]), 6) == fmt(slides, 6)
    parts = (x1, w1, a1 * (1 - a1), yi - yhat)
    assert rule.simplified_html.startswith("= −(") and " · (" in rule.simplified_html
    shown = numbers(rule.simplified_html)
    assert shown[:4] == pytest.approx(parts, rel=1e-4)
    assert fmt(-math.prod(shown[:4]), 6) == fmt(slides, 6) == fmt(shown[4], 6)


@pytest.mark.parametrize("name", NINE)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_every_chain_multiplies_to_the_finite_difference(name, activation) -> None:
    s = NetworkLesson(activation=activation)
    model, X, record = step_at(s, PARAMS)
    y = s.data().y
    back = model.backward(record.params, X, y)
    k = NINE.index(name)
    for i in (0, 1, 6):
        rule = chain_rule(name, i, record, back, activation)
        fd = finite_difference(model, PARAMS, X, y, i, k)
        assert math.prod(f.value for f in rule.factors) == pytest.approx(fd, rel=1e-6, abs=1e-10)
        assert rule.gradient == pytest.approx(fd, rel=1e-6, abs=1e-10)
        assert numbers(rule.product_html)[-1] == pytest.approx(fd, rel=1e-5, abs=1e-10)
        reuse = rule.reuse[k]
        assert reuse.selected and reuse.gradient == rule.gradient


def test_shared_values_and_the_update_line() -> None:
    s = NetworkLesson()
    model, X, record = step_at(s, PARAMS)
    y = s.data().y
    back = model.backward(record.params, X, y)
    rule = chain_rule("w21", 2, record, back, "sigmoid")
    fwd = model.forward(PARAMS, X)
    dz = -(y[2] - fwd.yhat[2])
    output, hidden = rule.shared
    assert output[0] is None and f"= −(y − ŷ) = <b>{fmt(dz, 6)}</b>" in output[1]
    assert "shared by all 9 parameters" in output[1]
    a1 = fwd.hidden_a[2, 0]
    dz1 = PARAMS[NINE.index("w1")] * dz * a1 * (1 - a1)
    assert hidden[0] == 1 and f"<b>{fmt(dz1, 6)}</b>" in hidden[1]
    assert hidden[1].endswith("shared by w<sub>11</sub>, w<sub>21</sub>, b<sub>1</sub>")
    g = record.gradients[1]
    assert rule.update_html == (
        f"w<sub>21</sub> ← {fmt(PARAMS[1], 6)} − 5 × {paren(g, 6)} = "
        f"<b>{fmt(PARAMS[1] - 5 * g, 6)}</b>"
    )
    assert record.params_next[1] == PARAMS[1] - 5 * g
    assert rule.batch_html.startswith("Full batch: the step uses the mean over all 200 examples")
    assert f"<b>{fmt(g, 6)}</b>" in rule.batch_html
    row = rule.reuse[1]
    assert row.local == f"x₂ = {fmt(X[2, 1], 4)}" and row.shared == f"∂L/∂z₁ = {fmt(dz1, 4)}"
    assert rule.reuse[NINE.index("w2")].local == f"a₂ = {fmt(fwd.hidden_a[2, 1], 4)}"
    assert rule.reuse[NINE.index("b")].shared == f"∂L/∂z = {fmt(dz, 4)}"


def test_one_example_at_a_time_says_which_example() -> None:
    s = NetworkLesson(batch="single")
    model, X, record = step_at(s, PARAMS)
    back = model.backward(record.params, X, s.data().y)
    rule = chain_rule("b", 0, record, back, "sigmoid")
    # examples are counted from 1, as in the math panels and the chain rule's box
    assert rule.batch_html.startswith("One example at a time: step 0 uses example 1's own")
    assert [f.partial for f in rule.factors] == ["∂z/∂b", "∂ŷ/∂z", "∂L/∂ŷ"]


# --- the start, the forward pass, the notes --------------------------------------------------


def test_the_assignments_start_costs_ln_2() -> None:
    """Curriculum §3: with the assignment's W1, W2 and zero biases the cost is about 0.6931."""
    model, data, record = start(NetworkLesson())
    assert np.allclose(record.params, model.pack(W1, [0, 0], W2, 0), atol=5e-9)
    assert record.cost == pytest.approx(math.log(2), abs=1e-4)
    assert fmt(record.cost, 4) == "0.6931"  # the parameter table's cost J
    typed = NetworkLesson(init="typed", params0=tuple(model.pack(W1, [0, 0], W2, 0)))
    assert fmt(start(typed)[2].cost, 4) == "0.6931"
    loss = forward_rows(model, record, data.X, data.y, 0)[-1]
    assert loss[0] == "L" and fmt(loss[2], 2) == "0.69"  # one example: ŷ ≈ 0.5


def test_the_forward_pass_node_by_node() -> None:
    s = NetworkLesson()
    model, X, record = step_at(s, PARAMS)
    y = s.data().y
    rows = forward_rows(model, record, X, y, 5)
    assert [r[0] for r in rows] == ["x₁", "x₂", "y", "z₁", "a₁", "z₂", "a₂", "z", "ŷ", "L"]
    assert rows[3][1] == "x₁·w₁₁ + x₂·w₂₁ + b₁" and rows[4][1] == "σ(z₁)"
    assert rows[7][1] == "a₁·w₁ + a₂·w₂ + b"
    z1 = X[5, 0] * PARAMS[0] + X[5, 1] * PARAMS[1] + PARAMS[4]
    assert rows[3][2] == pytest.approx(z1, rel=1e-12)
    a = [rows[4][2], rows[6][2]]
    z = a[0] * PARAMS[6] + a[1] * PARAMS[7] + PARAMS[8]
    yhat = 1 / (1 + math.exp(-z))
    assert rows[8][2] == pytest.approx(yhat, rel=1e-12)
    loss = -y[5] * math.log(yhat) - (1 - y[5]) * math.log(1 - yhat)
    assert rows[9][2] == pytest.approx(loss, rel=1e-12)
    wide = NetworkLesson(hidden=5, activation="relu")
    model, X, record = step_at(wide, wide.model().initial_params())
    rows = forward_rows(model, record, X, wide.data().y, 0)
    assert rows[4][1] == "max(0, z₁)" and rows[-3][1] == "Σ aⱼ·wⱼ + b"


def test_a_zero_start_shows_the_symmetry_note() -> None:
    model, data, record = start(NetworkLesson(init="zeros"))
    note = symmetry_note(model, record)
    assert note.startswith("<b>Symmetry:</b> the hidden units are identical — a₁ = a₂")
    assert note.endswith(STUCK_NOTE)  # the XOR blobs balance: every gradient is exactly 0
    uneven = NetworkLesson(init="zeros", points=201)
    model, data, first = start(uneven)
    assert first.gradient_norm > 0
    steps = training.TrainingFactory(uneven, model, data.X, data.y, first.params)(None)
    *_, later = itertools.islice(steps, 50)
    assert np.any(later.params != 0)
    note = symmetry_note(model, later)
    assert "a₁ = a₂" in note and STUCK_NOTE not in note  # it moves, with twin hidden units
    assert symmetry_note(*start(NetworkLesson())[::2]) == ""  # the course's random start
    assert symmetry_note(*start(NetworkLesson(init="zeros", hidden=1))[::2]) == ""


def test_example_data_and_model_texts() -> None:
    s = NetworkLesson()
    model, data, record = start(s)
    info = example_info(data, 0, record)
    assert info == (
        f"Example 1: x<sub>1</sub> = {fmt(data.X[0, 0], 4)}, x<sub>2</sub> = "
        f"{fmt(data.X[0, 1], 4)}, y = 0, ŷ = {fmt(record.forward.yhat[0], 4)} · step 0"
    )
    aack = NetworkLesson(source="aack")
    _, adata, arecord = start(aack)
    assert f"— “{adata.row_labels[1]}” · step 0" in example_info(adata, 1, arecord)
    assert data_summary(data) == "200 points: 100 of class 0, 100 of class 1."
    more = s.with_point(0, 0, 1).with_point(1, 1, 1).data()
    assert (
        data_summary(more, 2)
        == "202 points: 100 of class 0, 102 of class 1 (+2 added by clicking)."
    )
    assert axis_labels(data) == ("x₁", "x₂")
    assert axis_labels(adata) == tuple(
        f"x{'₁₂'[k]} ({n})" for k, n in enumerate(adata.feature_names)
    )
    assert model_status(NetworkLesson(hidden=3, activation="tanh")) == (
        "The network is now 2-3-1 with tanh hidden units: the run starts again."
    )
