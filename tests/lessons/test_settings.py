"""The settings base every lesson uses: validation in words, JSON round trip."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from optgui.lessons.settings import Settings, SettingsError, spec
from optgui.lessons.training import TrainingLesson


@dataclass(frozen=True)
class Toy(Settings):
    rate: float = spec(0.1, low=1e-6, high=100.0, label="the learning rate α")
    mode: str = spec("full", choices=("full", "single"))
    steps: int = spec(3, low=0, high=10)
    on: bool = True
    start: tuple[float, ...] = ()
    points: tuple[tuple[float, float, int], ...] = ()


def test_round_trip_through_json():
    toy = Toy(rate=2, start=(1, 2.5), points=((0.5, 1, 1),))
    assert toy.rate == 2.0 and isinstance(toy.rate, float)  # whole numbers become floats
    assert Toy.from_json(toy.to_json()) == toy
    assert toy.to_json()["points"] == [[0.5, 1.0, 1]]


@pytest.mark.parametrize(
    ("data", "words", "field"),
    [
        ({"rate": -1}, "the learning rate α should be between 1e-06 and 100", "rate"),
        ({"rate": "fast"}, "the learning rate α should be a number", "rate"),
        ({"rate": float("nan")}, "should be a number", "rate"),
        ({"mode": "half"}, "mode should be one of full, single", "mode"),
        ({"steps": 2.5}, "steps should be a whole number", "steps"),
        ({"on": 1}, "on should be yes or no", "on"),
        ({"points": [[1, 2]]}, "points should hold 3 values", "points"),
        ({"start": "1,2"}, "start should be a list", "start"),
    ],
)
def test_bad_values_are_refused_in_words(data, words, field):
    with pytest.raises(SettingsError) as caught:
        Toy.from_json(data)
    assert words in str(caught.value) and caught.value.field == field


def test_unknown_keys_are_ignored_and_missing_ones_take_defaults():
    assert Toy.from_json({"rate": 0.5, "from_a_newer_optgui": 1}) == Toy(rate=0.5)
    with pytest.raises(SettingsError, match="not a table"):
        Toy.from_json([1, 2])


def test_replace_validates_and_settings_are_frozen():
    toy = Toy()
    assert toy.replace(rate=0.2).rate == 0.2
    with pytest.raises(SettingsError):
        toy.replace(mode="nope")
    with pytest.raises(AttributeError):
        toy.rate = 3.0  # type: ignore[misc]


def test_training_lesson_gives_the_core_its_step_settings():
    lesson = TrainingLesson(learning_rate=1.2, batch="single")
    core = lesson.train_settings(tol=0.0)
    assert (core.learning_rate, core.batch, core.tol) == (1.2, "single", 0.0)
    assert TrainingLesson.from_json(lesson.to_json()) == lesson
