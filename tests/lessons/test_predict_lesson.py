"""Predict, then reveal: distances, the hit rule, signs, the tally and the texts (no Qt)."""

from __future__ import annotations

import math

import numpy as np

from optgui.lessons import predict


def test_a_point_guess_in_1d_says_guess_truth_and_distance():
    reveal = predict.point_reveal(("x",), [1.2], [1.4167], [0.5], "Newton")
    assert reveal.text.startswith("You guessed x = 1.2, Newton went to x = 1.4167: 0.2167 away")
    assert math.isclose(reveal.distance, 0.2167)
    assert math.isclose(reveal.step_length, 0.9167)
    assert not reveal.hit  # a tenth of the step is 0.09167
    assert "a miss (a hit is within a tenth of the step, 0.0917)" in reveal.text


def test_a_hit_is_within_a_tenth_of_the_step():
    before, truth = np.array([0.0, 0.0]), np.array([3.0, 4.0])  # the step is 5 long
    near = predict.point_reveal(("x", "y"), [3.2, 4.3], truth, before, "Newton")
    assert math.isclose(near.distance, np.linalg.norm([0.2, 0.3]))
    assert near.hit and "a hit" in near.text
    far = predict.point_reveal(("x", "y"), [3.4, 4.4], truth, before, "Newton")
    assert math.isclose(far.distance, np.linalg.norm([0.4, 0.4]))
    assert not far.hit
    assert "(x, y) = (3.4, 4.4)" in far.text and "(x, y) = (3, 4)" in far.text


def test_a_step_shorter_than_a_click_is_a_hit_within_the_click():
    # the step is 0.05 long (a tenth: 0.005); a click can miss by 0.02
    reveal = predict.point_reveal(("w1", "b"), [0.21, 0.01], [0.2, 0.0], [0.15, 0.0], "x", 0.02)
    assert math.isclose(reveal.distance, np.hypot(0.01, 0.01))
    assert reveal.hit
    assert "a hit (within 0.02, a click's width: a tenth of the step is less)" in reveal.text
    far = predict.point_reveal(("w1", "b"), [0.23, 0.0], [0.2, 0.0], [0.15, 0.0], "x", 0.02)
    assert not far.hit
    # a long step: the tenth rules
    long = predict.point_reveal(("x",), [1.3], [1.0], [0.0], "Newton", 0.02)
    assert not long.hit and "a tenth of the step, 0.1" in long.text


def test_a_step_to_infinity_is_no_hit():
    reveal = predict.point_reveal(("x",), [1.0], [math.inf], [0.0], "Newton")
    assert not reveal.hit
    assert "x = ∞" in reveal.text


def test_signs_right_and_wrong():
    names = ("w1", "w2", "b")
    before, after = [0.0, 0.0, 0.0], [0.24, -0.25, -0.0042]
    assert predict.moves(names, before, after) == {"w1": 1, "w2": -1, "b": -1}
    one_wrong = predict.sign_reveal(names, {"w1": 1, "w2": 1}, before, after)
    assert (one_wrong.right, one_wrong.picked, one_wrong.hit) == (1, 2, False)
    assert (
        one_wrong.text
        == "w₁ ↑ ✓ (+0.24), w₂ ↑ ✗ (−0.25): 1 of 2 signs right (1 not guessed), a miss."
    )
    right = predict.sign_reveal(names, {"w1": 1, "w2": -1, "b": -1}, before, after)
    assert (right.right, right.picked, right.hit) == (3, 3, True)
    assert right.text.endswith("3 of 3 signs right, a hit.")


def test_a_change_by_round_off_is_no_move():
    names = ("w1", "b")
    before, after = [0.1, 0.0], [0.2, -2.2e-17]  # b moved by round-off only
    assert predict.moves(names, before, after) == {"w1": 1, "b": 0}
    reveal = predict.sign_reveal(names, {"b": -1}, before, after)
    assert not reveal.hit


def test_no_sign_picked_is_no_hit():
    reveal = predict.sign_reveal(("w1",), {}, [0.0], [1.0])
    assert not reveal.hit and reveal.picked == 0


def test_the_tally_counts_and_resets():
    tally = predict.Tally()
    assert tally.text() == "No guesses yet"
    tally.add(predict.Reveal(True, ""))
    assert tally.text() == "1 guess, 1 hit"
    tally.add(predict.Reveal(False, ""))
    tally.add(predict.Reveal(True, ""))
    assert (tally.guesses, tally.hits) == (3, 2)
    assert tally.text() == "3 guesses, 2 hits"
    tally.reset()
    assert (tally.guesses, tally.hits) == (0, 0)


def test_names_and_prompts_read_as_in_the_slides():
    assert predict.label("w11") == "w₁₁" and predict.label("b") == "b"
    assert predict.point_text(("w1", "b"), [1.5, -0.25]) == "(w₁, b) = (1.5, −0.25)"
    assert "Click the next x" in predict.prompt("point", ("x",), "Newton")
    assert "Click the next (w₁, b)" in predict.prompt("point", ("w1", "b"), "gradient descent")
    assert "↑ or ↓" in predict.prompt("signs", ("w1",), "gradient descent")
    assert predict.guessed_text("signs", ("w1", "b"), {"w1": 1}).startswith("Your guess: w₁ ↑")


def test_the_readme_example_is_newton_1d_step_3():
    from optgui.lessons.newton1d import Newton1DSettings
    from optgui.lessons.race import RaceFactory, parse

    settings = Newton1DSettings()
    stepper = RaceFactory(settings, parse(settings))(None)
    xs = [next(stepper).newton.x_next[0] for _ in range(4)]
    reveal = predict.point_reveal(("x",), [0.45], [xs[3]], [xs[2]], "Newton")
    assert reveal.text.startswith(
        "You guessed x = 0.45, Newton went to x = 0.4773: 0.0273 away, a miss "
    )
