"""Runs side by side without Qt: what differs, the figures from a history, the JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from optgui.core.datasets import house_prices
from optgui.core.models import LinearRegression
from optgui.core.race import race_columns
from optgui.core.stepping import CONVERGED, DIVERGED
from optgui.core.training import TrainSettings, divergence_limit, row_columns, train
from optgui.lessons import pinned
from optgui.lessons.network import NetworkLesson
from optgui.lessons.newton2d import Newton2DSettings
from optgui.lessons.pinned import Figures, PinnedRun
from optgui.lessons.race import RaceFactory
from optgui.lessons.regression import RegressionLesson


def regression_run(rate: float, steps: int = 60):
    data = house_prices()  # (normalised by hand, as the tab's "normalise" does)
    X = (data.X - data.X.mean(0)) / data.X.std(0)
    y = (data.y - data.y.mean()) / data.y.std()
    model = LinearRegression(1)
    run = train(model, X, y, np.zeros(2), TrainSettings(learning_rate=rate, tol=0.0))
    records = []
    for record in run:
        records.append(record)
        if len(records) == steps:
            break
    return model, records, run


# -- what differs ----------------------------------------------------------------------------
def test_the_legend_names_only_the_setting_that_differs():
    a = RegressionLesson(learning_rate=0.1).to_json()
    b = RegressionLesson(learning_rate=0.5).to_json()
    assert pinned.differing([a, b]) == ["learning_rate"]
    assert pinned.labels([a, b]) == ["α = 0.1", "α = 0.5"]
    text = pinned.legend_text([a, b])
    assert text.splitlines() == ["run 1: α = 0.1", "now: α = 0.5"]


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        ({"activation": "sigmoid"}, {"activation": "tanh"}, ("activation = sigmoid", "tanh")),
        ({"init": "zeros"}, {"init": "course"}, ("start = zeros", "start = course")),
    ],
)
def test_network_settings_that_differ_are_named(first, second, words):
    a, b = NetworkLesson(**first).to_json(), NetworkLesson(**second).to_json()
    assert pinned.differing([a, b]) == list(first)
    one, two = pinned.labels([a, b])
    assert words[0] == one and words[1] in two


def test_added_points_are_counted():
    a = NetworkLesson().to_json()
    b = NetworkLesson(added=((0.5, 0.5, 1), (1.0, -1.0, 0))).to_json()
    assert pinned.labels([a, b]) == ["added points = 0", "added points = 2"]


def test_newton_against_modified_newton():
    plain = Newton2DSettings().to_json()
    modified = Newton2DSettings(modified=True).to_json()
    assert pinned.labels([plain, modified]) == ["modified Newton = off", "modified Newton = on"]
    # what is only plotted (the map's window) is no difference between runs
    moved = Newton2DSettings(window=(-9.0, 9.0, -9.0, 9.0)).to_json()
    assert pinned.differing([plain, moved]) == []
    assert pinned.labels([plain, moved]) == ["same settings", "same settings"]


def test_a_label_is_kept_short_and_says_a_change_mid_run():
    a = Newton2DSettings(function="x^2 + y^2").to_json()
    b = Newton2DSettings(function="x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y").to_json()
    long = pinned.labels([a, b], [True])
    assert long[0] == "f = x^2 + y^2 (changed mid-run)"
    assert len(long[1]) <= pinned.LABEL_CHARS and long[1].endswith("…")


# -- figures from the history --------------------------------------------------------------------
def test_training_figures_match_the_history():
    model, records, _run = regression_run(0.3)
    rows = np.vstack([r.as_row() for r in records])
    figures = pinned.training_figures(rows, row_columns(model))
    # independently, from the step records: the first k whose gradient is short enough
    lengths = [float(np.linalg.norm(r.gradients)) for r in records]
    first = next(r.k for r, g in zip(records, lengths, strict=True) if g < pinned.TRAIN_TOL)
    assert figures.steps == first
    assert figures.final == records[-1].cost
    assert not figures.diverged
    # a goal in cost instead
    below = pinned.training_figures(rows, row_columns(model), cost_below=0.05)
    assert below.steps == next(r.k for r in records if r.cost < 0.05)


def test_a_diverging_training_run_is_said_to_diverge():
    model, records, run = regression_run(2.5, steps=10_000)
    assert run.outcome.status == DIVERGED
    rows = np.vstack([r.as_row() for r in records])
    figures = pinned.training_figures(rows, row_columns(model))
    assert figures.diverged and figures.steps is None
    assert records[-1].cost > divergence_limit(records[0].cost)
    # a slow run that has not arrived yet
    model, records, _ = regression_run(0.01, steps=5)
    slow = pinned.training_figures(np.vstack([r.as_row() for r in records]), row_columns(model))
    assert slow.steps is None and slow.ended == "no"


def test_one_example_at_a_time_is_not_counted_as_arrived():
    model, records, _ = regression_run(0.3)
    rows = np.vstack([r.as_row() for r in records])
    figures = pinned.training_figures(rows, row_columns(model), np.zeros(len(rows), bool))
    assert figures.steps is None


def race(settings, n=400):
    records = []
    for record in RaceFactory(settings)(None):
        records.append(record)
        if len(records) == n:
            break
    return records


@pytest.mark.parametrize("rate", [0.02, 0.1])
def test_race_figures_match_the_history(rate):
    records = race(Newton2DSettings(learning_rate=rate), 60)
    rows = np.vstack([r.as_row() for r in records])
    figures = pinned.race_figures(rows, 2)
    last = records[-1]
    for name, end, attr in (
        ("Newton", last.newton_end, "newton"),
        ("gradient descent", last.descent_end, "descent"),
    ):
        step = getattr(last, attr)
        f = figures[name]
        assert f.final == step.value  # its last step's f
        if end is not None and end.status == CONVERGED:
            assert f.steps == end.k
        else:
            assert f.steps is None
        assert f.diverged == (end is not None and end.status == DIVERGED)
    assert figures["Newton"].steps is not None  # Newton converges on the course's f
    assert figures["gradient descent"].diverged == (rate == 0.1)
    # the same from the columns by name (the CSV's header)
    columns = race_columns(["x", "y"])
    status = rows[-1, columns.index("gd_status")]
    assert (status == 5) == figures["gradient descent"].diverged


# -- sessions ---------------------------------------------------------------------------
def test_a_pinned_run_survives_json():
    run = PinnedRun(
        {"learning_rate": 0.5},
        {"cost": pinned.curve(np.arange(1000.0), np.r_[np.linspace(1, 0, 999), np.inf])},
        {"gradient descent": Figures(12, 0.25), "other": Figures(None, math.nan, "diverged")},
        1000,
        changed=True,
    )
    assert len(run.curves["cost"][0]) == pinned.KEEP_POINTS
    text = json.dumps(run.to_json(), allow_nan=False)
    again = PinnedRun.from_json(json.loads(text))
    assert again.settings == run.settings and again.steps == 1000 and again.changed
    assert again.figures["gradient descent"] == Figures(12, 0.25, "no")
    assert math.isnan(again.figures["other"].final) and again.figures["other"].diverged
    x, y = again.curves["cost"]
    assert x == run.curves["cost"][0]
    assert math.isnan(y[-1]) and y[:-1] == run.curves["cost"][1][:-1]


@pytest.mark.parametrize(
    "damage",
    [
        [],
        {"settings": {}, "curves": {"cost": [[1, 2], [1]]}, "figures": {}},
        {"settings": {}, "curves": {"cost": [[1], ["a"]]}, "figures": {}},
        {"settings": {}, "curves": {}, "figures": {"x": {"steps": "many"}}},
        {"settings": {}, "curves": {}, "figures": {}, "steps": -1},
    ],
)
def test_a_damaged_pinned_run_is_refused_in_words(damage):
    with pytest.raises(ValueError, match="pinned run|pinned curve"):
        PinnedRun.from_json(damage)


def test_the_table_rows():
    one = {"gradient descent": Figures(12, 0.25)}
    rows = pinned.table_rows([one, {"gradient descent": Figures(None, 1e9, "diverged")}])
    assert rows == [("run 1", "", "12", "0.25", "no"), ("now", "", "—", "1e+09", "diverged")]
    assert pinned.table_headings(1, "J") == ["run", "steps", "final J", "diverged"]
    assert pinned.table_headings(2, "f")[1] == "method"
