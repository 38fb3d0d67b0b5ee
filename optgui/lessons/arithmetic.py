"""Arithmetic a student can check: the shown terms give the shown result.

A line such as "−(1 − 1) × 3 = −7.11e−05" is true to the computer and false to the
reader: ŷ = 0.99997629 was rounded to 1. The functions here choose how many digits
each number is written with, so that the terms of a line, computed as written, give
its result as written: "−(1 − 0.9999763) × 3 = −7.11e−05". Exact numbers stay short
("1", "3") however many digits they are allowed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from optgui.core.format import fmt

#: The most significant digits a number is ever written with (a double holds 15 to 17:
#: ŷ = 0.9999999997 needs them for 1 − ŷ to keep its own).
MOST_DIGITS = 15


#: How a number is written with some significant digits (the app's :func:`fmt` by default).
Writer = Callable[[float, int], str]


def value_of(text: str) -> float:
    """The number a written text stands for ("−7.11e−05" → -7.11e-05, "4,908,581" too)."""
    return float(text.replace("−", "-").replace(",", ""))


@dataclass(frozen=True)
class Line:
    """One line of arithmetic over numbered values: ``combine`` of the values ``terms``
    gives value ``result`` (written with the digits chosen for it) or, when ``result`` is
    None, ``combine`` of the exact terms written with ``result_digits``."""

    terms: tuple[int, ...]
    combine: Callable[..., float]
    result: int | None = None
    result_digits: int = 4


def _holds(
    values: Sequence[float], digits: Sequence[int], line: Line, write: Writer = fmt
) -> bool:
    terms = [values[i] for i in line.terms]
    if line.result is None:
        want, shown = float(line.combine(*terms)), line.result_digits
    else:
        want, shown = values[line.result], digits[line.result]
    if not all(math.isfinite(t) for t in terms) or not math.isfinite(want):
        return True  # nothing to check by hand
    result = write(want, shown)
    written = [value_of(write(values[i], digits[i])) for i in line.terms]
    try:
        with np.errstate(all="ignore"):
            with_written = float(line.combine(*written))
    except (ZeroDivisionError, OverflowError, ValueError):
        return False  # (1 − ŷ written as 0: more digits)
    return math.isfinite(with_written) and write(with_written, shown) == result


def digits_for(
    values: Sequence[float],
    lines: Sequence[Line],
    digits: int | Sequence[int] = 4,
    write: Writer = fmt,
) -> list[int]:
    """Significant digits for each of ``values`` (at least ``digits``, one number for all
    or one per value; at most :data:`MOST_DIGITS`) such that every line's terms as
    written by ``write`` give its result as written; each value as few as that allows."""
    least = [digits] * len(values) if isinstance(digits, int) else list(digits)
    chosen = list(least)
    for _ in range(MOST_DIGITS - min(least, default=MOST_DIGITS) + 1):
        failing = [line for line in lines if not _holds(values, chosen, line, write)]
        if not failing:
            break
        for line in failing:
            for i in line.terms:
                chosen[i] = min(MOST_DIGITS, chosen[i] + 1)
    else:
        return chosen  # (a result on a rounding boundary: as close as it gets)
    shrunk = True
    while shrunk:  # a digit less where the lines allow, a value at a time, round and round
        shrunk = False
        for i in range(len(values)):
            if chosen[i] > least[i]:
                fewer = [*chosen[:i], chosen[i] - 1, *chosen[i + 1 :]]
                if all(_holds(values, fewer, line, write) for line in lines):
                    chosen, shrunk = fewer, True
    return chosen


def written(
    values: Sequence[float], lines: Sequence[Line], digits: int | Sequence[int] = 4
) -> list[str]:
    """``values`` written with :func:`digits_for` digits."""
    return [fmt(v, d) for v, d in zip(values, digits_for(values, lines, digits), strict=True)]


def shown_terms(
    terms: Sequence[float],
    combine: Callable[..., float],
    digits: int = 4,
    result_digits: int | None = None,
) -> tuple[list[str], str]:
    """The texts of ``terms`` and of ``combine(*terms)`` (with ``result_digits``, default
    ``digits``), the terms written so that combining them as written gives the result."""
    result_digits = digits if result_digits is None else result_digits
    line = Line(tuple(range(len(terms))), combine, None, result_digits)
    return written(terms, [line], digits), fmt(combine(*terms), result_digits)
