"""The Regression lesson without Qt: settings, data and every text, against curriculum §1."""

from __future__ import annotations

import json

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.format import fmt
from optgui.core.training import TrainSettings, train
from optgui.lessons import regression as lesson
from optgui.lessons.regression import RegressionLesson
from optgui.lessons.settings import SettingsError
from optgui.lessons.training import TrainingFactory, shown_example

#: A Regression tab's state as the sessions of the previous version saved it (a CSV loaded).
SAVED_BEFORE = {
    "speed": 3,
    "limit": 1000,
    "steps": 0,
    "learning_rate": 0.3,
    "batch": "full",
    "init": "course",
    "seed": 3,
    "params0": [0.017886284734303187, 0.0],
    "selected": 0,
    "source": "csv",
    "noise": 0.5,
    "data_seed": 0,
    "normalize": True,
    "csv": {
        "name": "d",
        "inputs": ["a"],
        "target": "b",
        "X": [[1.0], [2.0], [3.0], [4.0]],
        "y": [3.0, 5.5, 6.5, 9.0],
    },
}


def raw_houses() -> lesson.Prepared:
    return lesson.prepare(RegressionLesson(normalize=False), datasets.house_prices(1))


def first_step(prepared: lesson.Prepared, params, rate: float = 1e-7, batch: str = "full"):
    settings = TrainSettings(learning_rate=rate, batch=batch, tol=0.0)
    return next(train(prepared.model, prepared.X, prepared.y, np.array(params), settings))


# -- settings ------------------------------------------------------------------------------


def test_settings_round_trip_through_json():
    settings = RegressionLesson(
        learning_rate=0.3, batch="single", source="line", noise=1.5, data_seed=7, normalize=False
    )
    again = RegressionLesson.from_json(json.loads(json.dumps(settings.to_json())))
    assert again == settings
    assert RegressionLesson.from_json({}) == RegressionLesson()


def test_sessions_of_the_previous_version_are_read():
    settings = RegressionLesson.from_json(SAVED_BEFORE)
    assert (settings.learning_rate, settings.source, settings.normalize) == (0.3, "csv", True)
    data = lesson.csv_from_json(SAVED_BEFORE["csv"])
    assert data.name == "d" and data.feature_names == ("a",) and data.target_name == "b"
    assert data.X[:, 0].tolist() == [1, 2, 3, 4] and data.y.tolist() == [3, 5.5, 6.5, 9]
    assert lesson.csv_to_json(data) == SAVED_BEFORE["csv"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"noise": -1}, "noise", "the noise should be between 0 and 5"),
        ({"noise": 6.0}, "noise", "the noise should be between 0 and 5"),
        ({"data_seed": 1_000_000}, "data_seed", "the data seed should be between 0 and 999999"),
        ({"data_seed": 2.5}, "data_seed", "the data seed should be a whole number"),
        (
            {"source": "moon"},
            "source",
            "the data source should be one of house1, house2, line, plane, csv",
        ),
        ({"normalize": "yes"}, "normalize", "normalise should be yes or no"),
        ({"learning_rate": "fast"}, "learning_rate", "the learning rate α should be a number"),
        ({"learning_rate": 0}, "learning_rate", "the learning rate α should be between"),
    ],
)
def test_invalid_settings_say_what_is_wrong(changes, field, words):
    with pytest.raises(SettingsError, match=words) as caught:
        RegressionLesson.from_json({**RegressionLesson().to_json(), **changes})
    assert caught.value.field == field


def test_choosing_the_slides_houses_switches_normalisation_on():
    raw = RegressionLesson(normalize=False)
    assert raw.choose_source("line") == raw.replace(source="line")
    assert raw.choose_source("house2").normalize
    assert raw.choose_source(lesson.CSV).normalize is False
    assert RegressionLesson(source="plane").generated and not RegressionLesson().generated
    kept = RegressionLesson(source="line", noise=2.0, data_seed=4, normalize=False)
    assert RegressionLesson(learning_rate=0.3).with_data_of(kept) == kept.replace(
        learning_rate=0.3
    )


# -- data ----------------------------------------------------------------------------------


def test_the_slides_houses():
    one = lesson.dataset(RegressionLesson())
    assert one.X[:, 0].tolist() == [1000, 2000, 3000]
    assert one.y.tolist() == [20_000, 30_000, 50_000]
    two = lesson.dataset(RegressionLesson(source="house2"))
    assert two.X.tolist() == [[1000, 2], [2000, 4], [3000, 7]]


def test_generated_data_follow_noise_and_seed():
    settings = RegressionLesson(source="line", noise=0.8, data_seed=4)
    a, b = lesson.dataset(settings), lesson.dataset(settings)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y) and a.m == 30
    assert not np.array_equal(a.y, lesson.dataset(settings.replace(data_seed=5)).y)
    assert lesson.dataset(settings.replace(source="plane")).n_inputs == 2
    assert lesson.dataset(RegressionLesson(source="csv")) is None


def test_normalising_uses_the_population_std():
    prepared = lesson.prepare(RegressionLesson(), datasets.house_prices(1))
    assert prepared.X.mean() == pytest.approx(0, abs=1e-12)
    assert prepared.X.std(ddof=0) == pytest.approx(1)
    assert prepared.X[0, 0] == pytest.approx(-1000 / np.std([1000, 2000, 3000]))
    raw = raw_houses()
    assert raw.x_norm is None and np.array_equal(raw.X, raw.data.X)
    # parameters learnt on normalised data read in dollars again
    fitted = np.array([0.98, 0.0])
    dollars = prepared.raw_predictions(prepared.model.forward(fitted, prepared.X).yhat)
    own = raw.model.forward(prepared.raw_params(fitted), raw.X).yhat
    assert dollars == pytest.approx(own)


def test_a_constant_column_cannot_be_normalised():
    flat = datasets.Dataset(np.array([[1.0], [1.0]]), np.array([1.0, 2.0]), ("x",), "y")
    with pytest.raises(datasets.DataError, match="same value in every row"):
        lesson.prepare(RegressionLesson(), flat)


@pytest.mark.parametrize(
    ("block", "words"),
    [
        (None, "missing or damaged"),
        ({"inputs": ["a"], "target": "b", "y": [1, 2]}, "no inputs"),
        ({"inputs": "a", "target": "b", "X": [], "y": []}, "no column names"),
        ({"inputs": ["a"], "target": "b", "X": [[1], ["x"]], "y": [1, 2]}, "numbers only"),
        ({"inputs": ["a"], "target": "b", "X": [[1], [True]], "y": [1, 2]}, "numbers only"),
        ({"inputs": ["a"], "target": "b", "X": [[1], [2, 3]], "y": [1, 2]}, "hold 1 inputs"),
        ({"inputs": ["a"], "target": "b", "X": [[1], [2]], "y": [1]}, "damaged"),
        ({"inputs": ["a"], "target": "b", "X": [[1]], "y": [1]}, "too small"),
        ({"inputs": ["a"], "target": "b", "X": [[1], [1]], "y": [1, 2]}, "'a' has the same"),
        ({"inputs": ["a"], "target": "b", "X": [[1], [2]], "y": [3, 3]}, "'b' has the same"),
        (
            {"inputs": ["a", "b", "c"], "target": "d", "X": [[1, 2, 3]] * 3, "y": [1, 2, 3]},
            "too small",
        ),
    ],
)
def test_a_damaged_csv_block_says_why(block, words):
    with pytest.raises(SettingsError, match=words):
        lesson.csv_from_json(block)


# -- texts ---------------------------------------------------------------------------------


def test_the_mse_slide_predictions_and_errors():
    """w = 15 $/ft², b = 0 predicts 15,000 / 30,000 / 45,000: errors 5,000 / 0 / 5,000."""
    prepared = raw_houses()
    record = first_step(prepared, [15.0, 0.0])
    assert record.forward.yhat.tolist() == [15_000, 30_000, 45_000]
    maths = [
        lesson.example_math(record, prepared.model, prepared.X, prepared.y, i) for i in range(3)
    ]
    assert [e.residual for e in maths] == [5_000, 0, 5_000]
    assert [e.dL_dyhat for e in maths] == [-5_000, 0, -5_000]  # ∂L/∂ŷ = −(y − ŷ)
    assert [e.dyhat_dparams for e in maths] == [(1000, 1), (2000, 1), (3000, 1)]  # x and 1
    assert [e.dL_dparams for e in maths] == [(-5e6, -5e3), (0, 0), (-15e6, -5e3)]
    assert record.cost == pytest.approx((5_000**2 + 5_000**2) / 2 / 3)


def test_step_lines_show_the_numbers_of_the_chosen_house():
    prepared = raw_houses()
    record = first_step(prepared, [15.0, 0.0])
    lines = lesson.step_lines(record, prepared, 0)
    assert lines[0] == "<b>Example 1</b> (size = 1,000 ft², price = $20,000):"
    y, yhat = fmt(20_000, 4), fmt(15_000, 4)
    assert lines[1] == (f"&nbsp;&nbsp;x<sub>1</sub> = 1000, y = {y}, ŷ = {yhat}, y − ŷ = 5000")
    assert lines[2] == f"&nbsp;&nbsp;∂L/∂w1 = −({y} − {yhat}) × 1000 = <b>{fmt(-5e6, 4)}</b>"
    assert lines[3] == f"&nbsp;&nbsp;∂L/∂b = −({y} − {yhat}) = <b>−5000</b>"
    # the batch mean: ∂J/∂w = −(5,000·1000 + 0 + 5,000·3000)/3, ∂J/∂b = −10,000/3
    assert record.gradients.tolist() == pytest.approx([-20e6 / 3, -10_000 / 3])
    alpha = fmt(1e-7, 4)
    assert lines[4] == f"<b>Update with the batch mean ∂J</b> (α = {alpha}):"
    assert lines[5] == (f"&nbsp;&nbsp;w1 ← 15 − {alpha} × ({fmt(-20e6 / 3, 4)}) = <b>15.67</b>")
    assert lines[6] == f"&nbsp;&nbsp;b ← 0 − {alpha} × (−3333) = <b>0.0003333</b>"
    assert lines[7] == f"Cost J = {fmt(record.cost, 5)}"


def test_step_lines_say_when_the_data_are_normalised():
    prepared = lesson.prepare(RegressionLesson(), datasets.house_prices(2))
    record = first_step(prepared, [0.1, 0.2, 0.0], rate=0.1)
    lines = lesson.step_lines(record, prepared, 2)
    assert lines[0] == (
        "<b>Example 3</b> (size = 3,000 ft², 7 rooms, price = $50,000) — normalised:"
    )
    assert "x<sub>2</sub> = " in lines[1]
    assert lines[3].startswith("&nbsp;&nbsp;∂L/∂w2 = −(")
    assert [line.split(" ←")[0] for line in lines[6:9]] == [
        "&nbsp;&nbsp;w1",
        "&nbsp;&nbsp;w2",
        "&nbsp;&nbsp;b",
    ]


def test_one_example_at_a_time_uses_that_examples_gradient():
    prepared = raw_houses()
    run = train(
        prepared.model,
        prepared.X,
        prepared.y,
        np.array([15.0, 0.0]),
        TrainSettings(learning_rate=1e-7, batch="single", tol=0.0),
    )
    next(run)
    second = next(run)
    assert second.example == 1 and shown_example(second, selected=0) == 1
    lines = lesson.step_lines(second, prepared, shown_example(second, 0))
    assert lines[0].startswith("<b>Example 2</b>")
    assert lines[4].startswith("<b>Update with this example's gradient</b>")
    # its own gradient at w = 15.5, b = 0.0005: −(30,000 − ŷ)·2000 and −(30,000 − ŷ)
    yhat = 15.5 * 2000 + 0.0005
    assert second.gradients.tolist() == pytest.approx([(yhat - 30_000) * 2000, yhat - 30_000])


@pytest.mark.parametrize("source", ["house1", "house2", "line", "plane"])
@pytest.mark.parametrize("normalize", [True, False])
def test_gradients_are_finite_differences_of_the_cost(source, normalize):
    settings = RegressionLesson(source=source, normalize=normalize)
    prepared = lesson.prepare(settings, lesson.dataset(settings))
    model, X, y = prepared.model, prepared.X, prepared.y
    params = np.linspace(0.3, -0.2, model.n_params) * (1 if normalize else 1e-3)
    record = first_step(prepared, params)
    for i in (0, len(y) - 1):
        e = lesson.example_math(record, model, X, y, i)
        for j in range(model.n_params):
            h = 1e-6 * max(1.0, abs(params[j]))
            up, down = params.copy(), params.copy()
            up[j] += h
            down[j] -= h
            numeric = (model.losses(up, X, y)[i] - model.losses(down, X, y)[i]) / (2 * h)
            assert e.dL_dparams[j] == pytest.approx(numeric, rel=1e-5, abs=1e-6)
            assert e.dL_dparams[j] == pytest.approx(e.dL_dyhat * e.dyhat_dparams[j])
    for j in range(model.n_params):
        h = 1e-6 * max(1.0, abs(params[j]))
        up, down = params.copy(), params.copy()
        up[j] += h
        down[j] -= h
        numeric = (model.cost(up, X, y) - model.cost(down, X, y)) / (2 * h)
        assert record.gradients[j] == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_money_and_the_units_column():
    assert lesson.money(20_000, "$") == "$20,000"
    assert lesson.money(-1_250, "$") == "−$1,250"
    assert lesson.money(1000, "ft²") == "1,000 ft²"
    houses = datasets.house_prices(2)
    assert lesson.units_texts(np.array([14.31, -250.0, 2000.0]), houses) == [
        "$14.31/ft²",
        "−$250 per room",
        "$2,000",
    ]
    line = datasets.noisy_line(5)
    assert lesson.units_texts(np.array([2.0, -0.5]), line) == ["2", "−0.5"]


def test_formulas_guide_and_status():
    one, two = lesson.formulas(1), lesson.formulas(2)
    assert one[0] == r"\hat{y} = w_1 x_1 + b" and len(one) == 6
    assert two[0] == r"\hat{y} = w_1 x_1 + w_2 x_2 + b" and len(two) == 8
    assert any(r"-(y-\hat{y})\,x_2" in f for f in two)
    assert "ŷ = w·x + b" in lesson.GUIDE and "½(y − ŷ)²" in lesson.GUIDE
    assert "(x − mean)/std" in lesson.NORMALISE_REASON
    prepared = lesson.prepare(RegressionLesson(), datasets.house_prices(1))
    assert lesson.loaded_status(prepared) == (
        "House prices: 3 examples, normalised. Press Space to play."
    )
    assert lesson.loaded_status(raw_houses()).endswith(
        "3 examples, raw values. Press Space to play."
    )
    assert (
        lesson.data_error("no rows")
        == "Could not use this data: no rows. The previous data stays."
    )


def test_the_factory_runs_the_lessons_settings():
    settings = RegressionLesson(learning_rate=0.05)
    prepared = lesson.prepare(settings, lesson.dataset(settings))
    params0 = prepared.model.initial_params("course", seed=3)
    factory = TrainingFactory(settings, prepared.model, prepared.X, prepared.y, params0)
    assert factory.settings is settings
    first = next(factory(None))
    assert first.learning_rate == 0.05 and first.params[0] == pytest.approx(0.01788628, abs=1e-8)
