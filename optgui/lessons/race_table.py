"""The Newton tabs' iterates table as text: Newton's rows, then one row for gradient
descent's tail.

Newton needs a handful of steps where gradient descent needs hundreds. One row per
step would fill the table with gradient descent's tail (rows of empty Newton cells)
and push the slides' rows out of view. So the table has a row per step while Newton
runs and the row that says how it ended; gradient descent's later steps are summed
up in one last row::

    rows = history.rows                   # one race history row per step
    n = TABLE.newton_rows(rows)           # rows 0 … n−1 get a row each
    TABLE.texts(rows[:n], TABLE.ladder[0])
    TABLE.tail(rows, n, shown=len(rows) - 1, digits=TABLE.ladder[0])

A narrow table leaves out the columns it can best do without
(:attr:`RaceTable.optional`, in that order), then shows fewer digits
(:attr:`RaceTable.ladder`, from the most significant digits to the fewest).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from optgui.core.format import fmt
from optgui.core.race import CODE_STATUS, RowLayout
from optgui.lessons.race import race_table_rows


@dataclass(frozen=True)
class Digits:
    """Significant digits in the table: Newton's iterates, its derivatives and step,
    gradient descent's point."""

    x: int = 8
    other: int = 8
    descent: int = 8


#: The word joiner: no line break here.
JOIN = "\u2060"

#: Newton's cells of a history row (see :func:`~optgui.lessons.race.race_table_rows`).
NewtonCells = Callable[[np.ndarray, RowLayout, Digits], list[str]]
#: Gradient descent's cell of a history row.
DescentCell = Callable[[np.ndarray, RowLayout, Digits], str]


def point_text(x: np.ndarray, digits: int) -> str:
    """x = 0.5671 (one variable) or (0.0041, −0.12)."""
    if len(x) == 1:
        return f"x = {fmt(x[0], digits)}"
    return "(" + ", ".join(fmt(v, digits) for v in x) + ")"


@dataclass(frozen=True)
class RaceTable:
    """One Newton tab's iterates table: headings, cells and how many digits fit."""

    columns: Sequence[str]
    tips: Sequence[str]
    n: int  # the function's number of variables
    newton_cells: NewtonCells
    descent_cell: DescentCell
    #: From the most digits to the fewest; a table shows the first its width allows.
    ladder: Sequence[Digits]
    #: Columns a narrow table leaves out, the first first (the text says it elsewhere).
    optional: Sequence[int] = ()
    gradient_name: str = "∇f"

    @property
    def layout(self) -> RowLayout:
        return RowLayout(self.n)

    def texts(self, rows: np.ndarray, digits: Digits) -> list[list[str]]:
        """The table's rows for history ``rows`` (which :meth:`newton_rows` counts)."""
        return race_table_rows(
            rows,
            self.layout,
            lambda row, L: self.newton_cells(row, L, digits),
            lambda row, L: self.descent_cell(row, L, digits),
        )

    def newton_rows(self, rows: np.ndarray) -> int:
        """How many of the history ``rows`` get a row each: all while Newton runs; once
        it has finished, those up to the row that says how it ended."""
        m = len(rows)
        if m == 0:
            return 0
        L = self.layout
        last = rows[-1]
        code = last[L.newton_code]
        if math.isnan(code) or code == 0:
            return m
        k = last[L.newton.k]  # Newton's last step (NaN: it took none)
        end_row = 0 if math.isnan(k) else int(k) + 1
        return min(m, end_row + 1)

    def tail(
        self, rows: np.ndarray, first: int, shown: int, digits: Digits
    ) -> tuple[str, str] | None:
        """The row for gradient descent's steps ``first`` … the last, as (k cell, text),
        with its point at step ``shown`` (the last if ``shown`` is before ``first``);
        None when there are no such steps."""
        last = len(rows) - 1
        if first > last:
            return None
        k = shown if first <= shown <= last else last
        L = self.layout
        row = rows[k]
        head = f"k = {first} … {last}: gradient descent alone."
        if math.isnan(row[L.descent.k]):
            return "…", head
        x = row[L.descent.x]
        gradient = float(np.linalg.norm(row[L.descent.gradient]))
        code = row[L.descent_code]
        ended = k == last and not math.isnan(code) and code != 0
        status = f", {CODE_STATUS.get(int(code), 'stopped')}" if ended else ""
        where = f"At k = {k}{status}: {point_text(x, min(digits.descent, 4))}"
        norm = f"|{JOIN}{self.gradient_name}{JOIN}|"  # (a line never breaks inside |∇f|)
        return "…", f"{head} {where}, {norm} = {fmt(gradient, 3)}"


def ladder(*levels: tuple[int, int, int]) -> tuple[Digits, ...]:
    """Digits from (x, other, descent) triples."""
    return tuple(Digits(*level) for level in levels)
