"""Regression with two inputs and data other than the slides' (issue 16, items 5 and 9):
the slice J(w1, w2) at the current b, the guide, the update of every parameter, units in
words, and notes only for the data they are about."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.datasets import Dataset
from optgui.core.training import TrainSettings, train
from optgui.lessons import regression as lesson
from optgui.lessons.regression import RegressionLesson


def prepared(source: str, normalize: bool = True) -> lesson.Prepared:
    settings = RegressionLesson(source=source, normalize=normalize)
    return lesson.prepare(settings, lesson.dataset(settings))


def tv_like() -> Dataset:
    """The course lab's TV budgets (0.7 to 296.4) against sales, without units."""
    rng = np.random.default_rng(1)
    tv = rng.uniform(0.7, 296.4, 200)
    return Dataset(tv[:, None], 7 + 0.0475 * tv + rng.normal(0, 3, 200), ("TV",), "Sales")


# -- the slice ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "normalize"),
    [("house2", True), ("house2", False), ("plane", True), ("plane", False)],
)
def test_the_slice_is_the_cost_held_at_b(source, normalize):
    """J(w1, w2) at b from the quadratic form equals the model's own cost (an independent
    reference: the mean of ½(y − ŷ)² over the examples)."""
    p = prepared(source, normalize)
    start = p.model.initial_params("course", seed=3)
    cut = lesson.cost_slice(p, start)
    assert cut is not None
    best = np.linalg.lstsq(np.column_stack([p.X, np.ones(len(p.X))]), p.y, rcond=None)[0]
    assert cut.best == pytest.approx(best)
    for b in (float(best[2]), float(best[2]) + 0.7 * max(1.0, abs(best[2])), -0.3):
        u, v, J = cut.grid(b, size=7)
        for r, c in itertools.product(range(7), range(7)):
            params = np.array([u[c], v[r], b])  # rows follow w2
            assert J[r, c] == pytest.approx(p.model.cost(params, p.X, p.y), rel=1e-7, abs=1e-9)
        # the bottom of the slice: J at this b is higher a little way off in any direction
        w = cut.centre(b)
        low = p.model.cost(np.array([*w, b]), p.X, p.y)
        spans = [hi - lo for lo, hi in cut.ranges]
        for angle in np.linspace(0, 2 * np.pi, 12, endpoint=False):
            off = 1e-3 * np.array([np.cos(angle) * spans[0], np.sin(angle) * spans[1]])
            assert p.model.cost(np.array([*(w + off), b]), p.X, p.y) > low


def test_one_input_has_no_slice():
    assert lesson.cost_slice(prepared("house1"), np.zeros(2)) is None


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.9])
def test_the_window_holds_the_path_of_stable_descent(rate):
    """The path of gradient descent, projected onto (w1, w2), stays in the slice's window."""
    p = prepared("house2")
    start = p.model.initial_params("course", seed=3)
    cut = lesson.cost_slice(p, start)
    (u0, u1), (v0, v1) = cut.ranges
    run = train(p.model, p.X, p.y, start, TrainSettings(rate, tol=0.0))
    for record in itertools.islice(run, 500):
        w1, w2, _ = record.params
        assert u0 <= w1 <= u1 and v0 <= w2 <= v1


def test_the_slice_says_it_is_a_slice():
    cut = lesson.cost_slice(prepared("house2"), np.zeros(3))
    assert cut.title(0.1234) == "J(w₁, w₂) at b = 0.123 (a slice)"
    assert cut.title(-8.9e-17) == "J(w₁, w₂) at b = 0 (a slice)"  # round-off reads 0
    assert cut.title(-0.012) == "J(w₁, w₂) at b = −0.012 (a slice)"
    raw = lesson.cost_slice(prepared("house2", normalize=False), np.zeros(3))
    assert raw.title(3333.4) == "J(w₁, w₂) at b = 3333 (a slice)"


# -- the texts ------------------------------------------------------------------------------


def test_the_guide_follows_the_data():
    houses = datasets.house_prices(1)
    assert lesson.guide(houses) == lesson.GUIDE
    two = lesson.guide(datasets.house_prices(2))
    assert "path on the cost surface" not in two and "slide down the cost surface" not in two
    assert "a slice" in two and "J(w₁, w₂)" in two and "w₂" in two
    tv = lesson.guide(tv_like())
    assert "house" not in tv and "ft²" not in tv and "TV" in tv and "Sales" in tv


def test_the_update_lists_every_parameter():
    for n, names in ((1, ["w_1", "b"]), (2, ["w_1", "w_2", "b"])):
        updates = [f for f in lesson.formulas(n) if r"\leftarrow" in f]
        assert [f.split(r" \leftarrow")[0] for f in updates] == names


def test_units_read_as_words():
    houses = datasets.house_prices(2)
    assert lesson.units_texts(np.array([14.97, 26.5, 2000.0]), houses) == [
        "$14.97/ft²",
        "$26.5 per room",
        "$2,000",
    ]
    assert lesson.money(2, "rooms") == "2 rooms" and lesson.money(1, "rooms") == "1 room"
    assert lesson.quantity("rooms", 2, "rooms") == "2 rooms"
    assert lesson.quantity("size", 1000, "ft²") == "size = 1,000 ft²"
    words = Dataset(np.ones((2, 1)), np.arange(2.0), ("aack",), "y", ("words",), target_unit="s")
    assert lesson.units_texts(np.array([3.0, 1.0]), words) == ["3 s per word", "1 s"]


def test_the_normalise_note_is_about_the_data_shown():
    """ "Sizes near 1000–3000" is about the slides' houses; the TV data get their own."""
    assert lesson.normalise_reason(datasets.house_prices(1)) == lesson.NORMALISE_REASON
    assert "Sizes near 1000–3000" in lesson.normalise_reason(datasets.house_prices(2))
    tv = lesson.normalise_reason(tv_like())
    assert "Sizes" not in tv and "1000–3000" not in tv
    assert tv.startswith("Values of TV from ") and "(x − mean)/std" in tv
    plane = lesson.normalise_reason(lesson.dataset(RegressionLesson(source="plane")))
    assert "Sizes" not in plane and "already of order 1" in plane
    note = lesson.units_note(RegressionLesson(source="csv"), tv_like())
    assert note == tv
