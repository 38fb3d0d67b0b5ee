"""The Classification lesson without Qt: settings, data and every text, against curriculum §2."""

from __future__ import annotations

import itertools
import json
import math
import re

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.format import fmt, paren
from optgui.core.models import Perceptron
from optgui.core.training import TrainSettings, train
from optgui.lessons import classification as lesson
from optgui.lessons.classification import ClassificationLesson
from optgui.lessons.settings import SettingsError
from optgui.lessons.training import TrainingFactory

SIGMA_MINUS_2 = 0.11920292202211755  # the course's Lab 2
SIGMA_3_5 = 0.9706877692486436

#: A Classification tab's state as the previous version saved it (one typed sentence).
SAVED_BEFORE = {
    "speed": 3,
    "limit": 1000,
    "steps": 0,
    "learning_rate": 0.8,
    "batch": "full",
    "init": "course",
    "seed": 3,
    "params0": [0.017886284734303187, 0.004365098505119894, 0.0],
    "selected": 0,
    "source": "aliens",
    "noise": 0.4,
    "data_seed": 0,
    "sentences": [{"aack": 1.0, "beep": 2.0, "label": 0.0, "text": "beep beep aack"}],
}


def aliens_step(params, rate: float = 0.5):
    data = datasets.aack_beep()
    model = Perceptron(2)
    settings = TrainSettings(learning_rate=rate, tol=0.0)
    return data, model, next(train(model, data.X, data.y, np.array(params, float), settings))


# -- settings ------------------------------------------------------------------------------


def test_settings_round_trip_through_json():
    settings = ClassificationLesson(source="xor", noise=0.7, data_seed=12).with_sentence(
        "Aack aack beep!", 1
    )
    state = json.loads(json.dumps(settings.to_json()))
    assert state["sentences"] == [
        {"aack": 2.0, "beep": 1.0, "label": 1.0, "text": "Aack aack beep!"}
    ]
    assert ClassificationLesson.from_json(state) == settings
    assert ClassificationLesson.from_json({}).learning_rate == 0.5  # the tab's default


def test_sessions_of_the_previous_version_are_read():
    settings = ClassificationLesson.from_json(SAVED_BEFORE)
    assert settings.learning_rate == 0.8
    assert settings.sentences == ((1.0, 2.0, 0.0, "beep beep aack"),)
    # the same keys are written again
    assert settings.to_json()["sentences"] == SAVED_BEFORE["sentences"]
    assert ClassificationLesson.from_json(
        {"sentences": [{"aack": 1, "beep": 0, "label": 1}]}
    ).sentences == ((1.0, 0.0, 1.0, ""),)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"sentences": [{"aack": 1, "beep": 0, "label": 2}]}, "sentences", "0 \\(sad\\) or 1"),
        ({"sentences": [{"aack": -1, "beep": 0, "label": 1}]}, "sentences", "whole numbers"),
        ({"sentences": [{"aack": 1.5, "beep": 0, "label": 1}]}, "sentences", "whole numbers"),
        ({"sentences": ["Aack!"]}, "sentences", "a saved sentence is damaged"),
        ({"sentences": [{"aack": 1, "label": 1}]}, "sentences", "a saved sentence is damaged"),
        ({"sentences": [{"aack": "x", "beep": 0, "label": 1}]}, "sentences", "a number"),
        ({"sentences": {"aack": 1}}, "sentences", "should be a list"),
        ({"noise": 4}, "noise", "the noise should be between 0 and 3"),
        ({"source": "moons"}, "source", "the data source should be one of aliens, blobs, xor"),
        ({"batch": "mini"}, "batch", "the batch mode should be one of full, single"),
    ],
)
def test_invalid_settings_say_what_is_wrong(changes, field, words):
    with pytest.raises(SettingsError, match=words) as caught:
        ClassificationLesson.from_json({**ClassificationLesson().to_json(), **changes})
    assert caught.value.field == field


def test_a_typed_sentence_is_counted():
    settings = ClassificationLesson().with_sentence("AACK beep, aack!!", 1)
    assert settings.sentences == ((2.0, 1.0, 1.0, "AACK beep, aack!!"),)
    assert lesson.added_status("AACK beep, aack!!", 1) == (
        "Added “AACK beep, aack!!” (aack 2, beep 1) as happy. Training restarts."
    )
    assert lesson.added_status("Beep!", 0).endswith("(aack 0, beep 1) as sad. Training restarts.")


# -- data ----------------------------------------------------------------------------------


def test_the_slides_aliens_and_typed_sentences():
    settings = ClassificationLesson()
    data = lesson.dataset(settings)
    assert data.X.tolist() == [[3, 0], [0, 2], [1, 3], [2, 1]]
    assert data.y.tolist() == [1, 0, 0, 1]
    more = lesson.dataset(settings.with_sentence("Beep beep beep beep", 0))
    assert more.m == 5 and more.X[-1].tolist() == [0, 4] and more.y[-1] == 0
    assert more.row_labels[-1] == "Beep beep beep beep"
    assert lesson.class_labels(data) == ("sad (0)", "happy (1)")
    blobs = lesson.dataset(settings.replace(source="blobs", data_seed=3))
    assert blobs.m == 100 and lesson.class_labels(blobs) == ("class 0", "class 1")
    # sentences belong to the aliens: generated data ignore them
    assert lesson.dataset(settings.replace(source="xor").with_sentence("Aack", 1)).m == 200
    assert lesson.loaded_status(data) == "Alien sentences: 4 examples. Press Space to play."


# -- texts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("b", "expected"), [(-2.0, SIGMA_MINUS_2), (3.5, SIGMA_3_5)])
def test_sigma_of_the_course(b, expected):
    """With w = 0 every example has z = b: ŷ = σ(−2) or σ(3.5), the Lab 2 values."""
    data, model, record = aliens_step([0.0, 0.0, b])
    assert record.forward.z.tolist() == [b] * 4
    assert record.forward.yhat.tolist() == pytest.approx([expected] * 4, rel=1e-15)
    e = lesson.example_math(record, model, data.X, data.y, 0)
    assert e.yhat == pytest.approx(expected, rel=1e-15)
    assert e.dyhat_dz == pytest.approx(expected * (1 - expected))  # σ' = σ(1 − σ)
    lines = lesson.step_lines(record, data, model, 0)
    shown = re.search(r"ŷ = σ\(z\) = <b>([^<]+)</b>", lines[1]).group(1)
    assert float(shown) == pytest.approx(expected, rel=1e-4)  # (digits: as many as needed)
    assert lines[1].startswith(f"&nbsp;&nbsp;z = 0×3 + 0×0 + {paren(b, 4)} = {fmt(b, 4)}")


def test_log_loss_and_the_chain_rule_with_numbers():
    data, model, record = aliens_step([0.0, 0.0, -2.0])
    s = SIGMA_MINUS_2
    # L = −y ln ŷ − (1 − y) ln(1 − ŷ): two happy and two sad examples
    assert record.cost == pytest.approx((-2 * math.log(s) - 2 * math.log(1 - s)) / 4)
    e = lesson.example_math(record, model, data.X, data.y, 0)  # "Aack aack aack!", happy
    assert e.dL_dyhat == pytest.approx(-(1 - s) / (s * (1 - s)))
    # ŷ(1 − ŷ) cancels: ∂L/∂w1 = −(y − ŷ)·x1, ∂L/∂w2 = −(y − ŷ)·x2, ∂L/∂b = −(y − ŷ)
    assert e.dL_dparams == pytest.approx((-(1 - s) * 3, 0.0, -(1 - s)))
    assert e.dL_dparams[0] == pytest.approx(e.dL_dyhat * e.dyhat_dz * 3)
    lines = lesson.step_lines(record, data, model, 0)
    assert lines[0] == (
        "<b>Example 1</b> “Aack aack aack!”: x<sub>1</sub> = 3, x<sub>2</sub> = 0, y = 1"
    )
    assert lines[2] == (
        f"&nbsp;&nbsp;∂L/∂w<sub>1</sub> = −(1 − 0.1192) × 3 = <b>{fmt(-(1 - s) * 3, 4)}</b>"
    )
    assert lines[4] == f"&nbsp;&nbsp;∂L/∂b = −(1 − 0.1192) = <b>{fmt(-(1 - s), 4)}</b>"
    assert lines[5] == "<b>Update with the batch mean ∂J</b> (α = 0.5):"
    g = record.gradients
    # 0.5 × 1.071 would be 0.5355: the gradient is shown with the digit the result needs
    assert fmt(g[0], 4) == "−1.071" and fmt(-0.5 * g[0], 4) == "0.5356"
    assert lines[6] == "&nbsp;&nbsp;w1 ← 0 − 0.5 × (−1.0712) = <b>0.5356</b>"
    assert lines[-1] == f"Cost J = {fmt(record.cost, 5)}, accuracy = 50%"


@pytest.mark.parametrize("source", ["aliens", "blobs", "xor"])
def test_gradients_are_finite_differences_of_the_cost(source):
    data = lesson.dataset(ClassificationLesson(source=source))
    model = Perceptron(2)
    params = np.array([0.4, -0.3, 0.2])
    record = next(train(model, data.X, data.y, params, TrainSettings(0.5, tol=0.0)))
    h = 1e-6
    for i in (0, data.m - 1):
        e = lesson.example_math(record, model, data.X, data.y, i)
        for j in range(3):
            up, down = params.copy(), params.copy()
            up[j] += h
            down[j] -= h
            numeric = model.losses(up, data.X, data.y)[i] - model.losses(down, data.X, data.y)[i]
            assert e.dL_dparams[j] == pytest.approx(numeric / (2 * h), rel=1e-6, abs=1e-9)
    for j in range(3):
        up, down = params.copy(), params.copy()
        up[j] += h
        down[j] -= h
        numeric = (model.cost(up, data.X, data.y) - model.cost(down, data.X, data.y)) / (2 * h)
        assert record.gradients[j] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_the_prediction_for_a_typed_sentence():
    model = Perceptron(2)
    assert lesson.prediction("  ", model, np.zeros(3)) == lesson.PROMPT
    sad = lesson.prediction("AACK beep, aack!!", model, np.array([0.0, 0.0, -2.0]))
    assert sad == "aack: <b>2</b>, beep: <b>1</b> → P(happy) = <b>0.119</b>: sad 🙁"
    happy = lesson.prediction("Beep!", model, np.array([0.0, 0.0, 3.5]))
    assert happy == "aack: <b>0</b>, beep: <b>1</b> → P(happy) = <b>0.971</b>: happy 🙂"
    # z = 1·2 − 1·1 + 0 = 1: σ(1)
    p = lesson.prediction("aack beep aack", model, np.array([1.0, -1.0, 0.0]))
    assert f"P(happy) = <b>{1 / (1 + math.exp(-1)):.3f}</b>" in p


def test_one_line_cannot_separate_the_xor_blobs():
    settings = ClassificationLesson(source="xor")
    data = lesson.dataset(settings)
    model = Perceptron(2)
    factory = TrainingFactory(settings, model, data.X, data.y, model.initial_params("course", 3))
    run = factory(None)
    steps = list(itertools.islice(run, 3000))
    assert run.outcome.status == "converged"  # at a cost far above 0: the best one line can do
    cost = np.array([s.cost for s in steps])
    assert steps[-1].accuracy < 0.8 and cost[-1] > 0.6
    assert lesson.stalled(cost, steps[-1].accuracy, ended=True)
    note = lesson.stall_note(cost[-1], steps[-1].accuracy)
    assert note.startswith(f"The loss has stalled at {cost[-1]:.3f} with ")
    assert "no straight line separates these classes" in note and "2-2-1 Network" in note
    assert lesson.stall_status("stopped at step 1500: reached the limit of 1500 steps") == (
        "Stopped at step 1500: reached the limit of 1500 steps — but one straight line "
        "cannot separate these classes."
    )


def test_separable_data_do_not_stall():
    aliens = ClassificationLesson()
    data = lesson.dataset(aliens)
    model = Perceptron(2)
    factory = TrainingFactory(aliens, model, data.X, data.y, model.initial_params("course", 3))
    run = factory(None)
    steps = [next(run) for _ in range(300)]
    assert steps[-1].accuracy == 1.0
    assert not lesson.stalled(np.array([s.cost for s in steps]), 1.0, ended=True)


@pytest.mark.parametrize(
    ("cost", "accuracy", "ended", "stalled"),
    [
        (np.full(250, 0.69), 0.5, False, True),  # flat for 200 steps, half wrong
        (np.linspace(0.7, 0.3, 250), 0.5, False, False),  # still falling
        (np.full(250, 0.2), 0.95, False, False),  # nearly all right
        (np.full(50, 0.69), 0.5, False, False),  # too early to tell
        (np.full(50, 0.69), 0.5, True, True),  # the run ended there
        (np.zeros(0), 0.0, True, False),
    ],
)
def test_when_a_run_counts_as_stalled(cost, accuracy, ended, stalled):
    assert lesson.stalled(cost, accuracy, ended) is stalled


def test_formulas_and_guide():
    assert lesson.FORMULAS[0].startswith(r"z = w_1 x_1 + w_2 x_2 + b")
    assert r"-y\ln\hat{y} - (1-y)\ln(1-\hat{y})" in lesson.FORMULAS[1]
    assert lesson.FORMULAS[2].endswith(r"= -(y-\hat{y})\,x_1")
    assert "ŷ = σ(z)" in lesson.GUIDE and "one straight line cannot separate" in lesson.GUIDE
