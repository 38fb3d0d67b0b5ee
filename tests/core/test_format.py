"""The one number formatter: what a student reads."""

from __future__ import annotations

import pytest

from optgui.core.format import fmt, paren


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (20_000, 4, "20000"),
        (15_000.4, 4, "15000"),
        (123_456, 4, "123500"),
        (0.5671432904097838, 8, "0.56714329"),
        (-2.5, 6, "−2.5"),
        (1e-7, 4, "1.00e−07"),
        (4.16e-17, 3, "4.2e−17"),
        (2.5e9, 4, "2.50e+09"),
        (0.0, 6, "0"),
        (-0.0, 6, "0"),
        (float("nan"), 6, "undefined"),
        (float("-inf"), 6, "−∞"),
        (None, 6, ""),
    ],
)
def test_fmt(value, digits, text):
    assert fmt(value, digits) == text


def test_paren_wraps_negative_numbers_inside_formulas():
    assert paren(-0.25) == "(−0.25)" and paren(0.25) == "0.25"


def test_roundoff_picks_values_far_below_the_largest():
    from optgui.core.format import exact, roundoff, roundoff_note, short

    assert roundoff([-0.9640942, 2.220446049250313e-16]) == [False, True]
    assert roundoff([3e-9, 2.2e-16]) == [False, False]  # small, but not against 3e−09
    assert roundoff([2.2e-16]) == [False]  # alone: nothing to be small against
    assert roundoff([0.0, 1.0, None, float("nan"), -1e-13]) == [False] * 4 + [True]
    assert roundoff([]) == []
    assert exact(2.220446049250313e-16) == "2.220446049250313e−16"
    assert float(exact(0.1).replace("−", "-")) == 0.1  # every digit: the float itself
    assert roundoff_note(-4.4e-17).startswith("−4.4")
    assert "round-off" in roundoff_note(1e-17)
    assert short(2.5e9) == "2.5e+09"
