"""The Newton tabs' iterates tables as text, without Qt: Newton's rows, gradient descent's
tail in one row, fewer digits where the table is narrow."""

from __future__ import annotations

import numpy as np
import pytest

from optgui.core.format import fmt
from optgui.lessons import newton1d, newton2d
from optgui.lessons.race_table import JOIN, Digits
from tests.lessons.test_race_lesson import rows, run


def test_newton_rows_while_newton_runs_then_up_to_how_it_ended():
    records = run(newton2d.Newton2DSettings(), 40)  # the slides: Newton needs k = 8
    table = newton2d.TABLE
    assert [table.newton_rows(rows(records[:n])) for n in (1, 5, 9)] == [1, 5, 9]
    # steps 0 … 8, then the row saying Newton converged (k = 9); the rest is the tail
    assert table.newton_rows(rows(records)) == 10
    assert table.newton_rows(rows(records[:10])) == 10
    assert table.newton_rows(np.empty((0, 0))) == 0
    texts = table.texts(rows(records[:10]), table.ladder[0])
    assert texts[9][1] == "Newton converged to a local minimum" and texts[8][1] != ""


def test_newton_that_takes_no_step_has_one_row():
    preset = next(p for p in newton2d.PRESETS if "singular" in p.label.lower())
    records = run(preset.apply(newton2d.Newton2DSettings()), 20)
    assert newton2d.TABLE.newton_rows(rows(records)) == 1
    assert newton2d.TABLE.texts(rows(records[:1]), Digits())[0][1] == "Newton singular"


def test_tail_sums_up_gradient_descents_later_steps():
    records = run(newton2d.Newton2DSettings(), 40)
    table, all_rows = newton2d.TABLE, rows(records)
    digits = table.ladder[0]
    k_cell, text = table.tail(all_rows, 10, 39, digits)
    x = records[39].descent.x
    norm = np.linalg.norm(records[39].descent.gradient)
    assert k_cell == "…"
    assert text == (
        f"k = 10 … 39: gradient descent alone. At k = 39: ({fmt(x[0], 4)}, {fmt(x[1], 4)}), "
        f"|{JOIN}∇f{JOIN}| = {fmt(norm, 3)}"
    )
    # the shown step, where it is in the tail; else the last
    assert "At k = 20: " in table.tail(all_rows, 10, 20, digits)[1]
    assert "At k = 39: " in table.tail(all_rows, 10, 3, digits)[1]
    assert table.tail(all_rows[:10], 10, 9, digits) is None


def test_tail_says_when_gradient_descent_has_converged():
    records = run(newton1d.Newton1DSettings())  # both converge: the run ends
    table, all_rows = newton1d.TABLE, rows(records)
    first = table.newton_rows(all_rows)
    last = len(records) - 1
    assert last > first + 10
    text = table.tail(all_rows, first, last, table.ladder[0])[1]
    x = records[-1].descent.x[0]
    assert f"At k = {last}, converged: x = {fmt(x, 4)}, |{JOIN}g′{JOIN}| = " in text
    assert ", converged" not in table.tail(all_rows, first, last - 1, table.ladder[0])[1]


@pytest.mark.parametrize("lesson", [newton1d, newton2d])
def test_the_ladder_goes_from_most_digits_to_the_slides_three(lesson):
    ladder = lesson.TABLE.ladder
    assert ladder[0] == lesson.DIGITS
    for more, fewer in zip(ladder, ladder[1:], strict=False):
        assert (fewer.x, fewer.other, fewer.descent) <= (more.x, more.other, more.descent)
        assert fewer != more
    assert ladder[-1] == Digits(3, 3, 3)
    records = run(
        lesson.Newton2DSettings() if lesson is newton2d else lesson.Newton1DSettings(), 3
    )
    fewest = lesson.TABLE.texts(rows(records), ladder[-1])
    most = lesson.TABLE.texts(rows(records), ladder[0])
    assert most == lesson.TABLE.texts(
        rows(records), lesson.DIGITS
    )  # (the tabs' texts where they fit)
    if lesson is newton2d:
        assert fewest[1][1] == "2.58\n2.62"  # the slides' x1
        assert fewest[0][3] == "198, −2.6\n−2.6, 158"
    else:
        assert fewest[0][4] == "0.0972" and most[0][4] == "0.097247647"
    # optional columns are real columns, never k or the iterate
    assert not {0, 1} & set(lesson.TABLE.optional)
    assert set(lesson.TABLE.optional) <= set(range(len(lesson.TABLE.columns)))
