"""The 2-h-1 network's guide counts its own parameters, and the equal start shows the
symmetry (issue 16, item 8): twin hidden units that move, and stay exactly equal."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from optgui.core.models import Network
from optgui.core.training import TrainSettings, train
from optgui.lessons import network as lesson
from optgui.lessons.network import NetworkLesson, symmetry_note


@pytest.mark.parametrize("hidden", range(1, 9))
def test_the_guide_follows_the_width(hidden):
    text = lesson.guide(hidden)
    n = Network(hidden).n_params
    assert f"all {lesson.count_words(n)} parameters" in text and n == 4 * hidden + 1
    if hidden != 2:
        assert "nine" not in text and "two hidden units" not in text
    units = "one hidden unit" if hidden == 1 else f"{lesson.count_words(hidden)} hidden units"
    assert units in text
    assert ("equal start" in text) == (hidden > 1)


def test_the_slides_guide_is_unchanged_in_substance():
    assert lesson.guide(2) == lesson.GUIDE
    assert "two hidden units a₁, a₂" in lesson.GUIDE and "all nine parameters" in lesson.GUIDE


def twins(model: Network, params) -> bool:
    w_in, b_in, w_out, _ = model.unpack(params)
    return all(np.all(v == v[0]) for v in (w_in, b_in, w_out))


@pytest.mark.parametrize("hidden", [2, 3, 5, 8])
@pytest.mark.parametrize("source", ["xor", "moons"])
@pytest.mark.parametrize("batch", ["full", "single"])
def test_the_equal_start_gives_twins_that_move_and_stay_equal(hidden, source, batch):
    settings = NetworkLesson(init="equal", hidden=hidden, source=source, batch=batch)
    model, data = settings.model(), settings.data()
    start = lesson.initial_params(settings, model)
    assert start.tolist() == [lesson.EQUAL_START] * model.n_params
    run = train(model, data.X, data.y, start, TrainSettings(1.0, batch=batch, tol=0.0))
    records = list(itertools.islice(run, 300))
    for record in records:
        assert twins(model, record.params_next)  # exactly, bit for bit
        a = record.forward.hidden_a
        assert np.all(a == a[:, :1])  # every unit has the same value for every input
        assert symmetry_note(model, record) != ""
    assert not np.array_equal(records[-1].params_next, start)  # they move …
    costs = [r.cost for r in records]
    assert costs[-1] < costs[0]  # … and the cost falls


def test_the_equal_start_is_a_choice_of_the_network_only():
    assert "equal" in dict(lesson.NETWORK_INIT_CHOICES)
    saved = NetworkLesson(init="equal").to_json()
    assert NetworkLesson.from_json(saved).init == "equal"
    from optgui.lessons.settings import SettingsError
    from optgui.lessons.training import TrainingLesson

    with pytest.raises(SettingsError):
        TrainingLesson(init="equal")


def test_the_zeros_start_points_to_the_equal_start():
    settings = NetworkLesson(init="zeros", source="aack")
    model, data = settings.model(), settings.data()
    record = next(
        train(model, data.X, data.y, np.zeros(model.n_params), TrainSettings(5.0, tol=0.0))
    )
    note = re.sub(r"<[^>]+>", "", symmetry_note(model, record))
    assert "does not move at all" in note and "equal start" in note
