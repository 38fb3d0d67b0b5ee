"""Newton's method and gradient descent from the same start, step by step side by side.

:func:`race` zips a Newton stepper and a gradient-descent stepper into
:class:`RaceStep` records (step k of both); :func:`race_factory` is the run
engine's factory for it. A method that has finished keeps its last step in
every later record, with how it ended::

    run = race_factory(RaceSettings(f, (0.05,), learning_rate=0.1, tol=1e-12))(None)
    records = list(run)
    records[-1].newton_end.status, records[-1].descent_end.status
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optgui.core.descent import gradient_descent
from optgui.core.expr import Function
from optgui.core.iterates import Step
from optgui.core.newton import newton
from optgui.core.stepping import (
    CONVERGED,
    DIVERGED,
    DOMAIN,
    SINGULAR,
    STEP_LIMIT,
    Outcome,
    Stepper,
)

#: Outcome statuses as numbers, for history rows (0 = still running).
STATUS_CODES = {CONVERGED: 1, STEP_LIMIT: 2, SINGULAR: 3, DOMAIN: 4, DIVERGED: 5}
CODE_STATUS = {v: k for k, v in STATUS_CODES.items()}

#: Each method runs at most this many steps inside one engine run (the engine's limit rules).
UNLIMITED = 10**9

#: Pictures show at most this many of a run's latest iterates (a run of thousands
#: of steps would otherwise redraw them all 30 times a second).
PATH_POINTS = 400


class StepColumns:
    """Where each quantity of a :meth:`Step.as_row` row sits, from column ``start`` on."""

    def __init__(self, n: int, *, hessian: bool = True, start: int = 0):
        h = n * n if hessian else 0
        self.n = n
        self.k = start
        self.x = slice(start + 1, start + 1 + n)
        self.value = start + 1 + n
        self.gradient = slice(start + 2 + n, start + 2 + 2 * n)
        self.hessian = slice(start + 2 + 2 * n, start + 2 + 2 * n + h) if hessian else None
        self.s = slice(start + 2 + 2 * n + h, start + 2 + 3 * n + h)
        self.x_next = slice(start + 2 + 3 * n + h, start + 2 + 4 * n + h)
        self.end = start + 2 + 4 * n + h

    @property
    def width(self) -> int:
        return self.end - self.k

    def step(
        self, row: np.ndarray, learning_rate: float | None = None, damping: float = 0.0
    ) -> Step | None:
        """The step stored in ``row`` (None where its k is NaN: no step).

        With Hessian columns it is a Newton step (eigenvalues recomputed; τ is not
        in the row: ``damping`` gives it); without, a gradient-descent step with
        ``learning_rate``.
        """
        if math.isnan(row[self.k]):
            return None
        parts = (row[self.x], row[self.value], row[self.gradient])
        if self.hessian is None:
            return Step(
                int(row[self.k]),
                *parts,
                None,
                row[self.s],
                row[self.x_next],
                learning_rate=learning_rate,
                method="gradient descent",
            )
        hessian = row[self.hessian].reshape(self.n, self.n)
        eigenvalues = np.linalg.eigvalsh(hessian)
        return Step(
            int(row[self.k]), *parts, hessian, row[self.s], row[self.x_next], eigenvalues, damping
        )


class RowLayout:
    """Where each quantity sits in a :meth:`RaceStep.as_row` row, for ``n`` variables.

    Column ``k``; Newton's status code and end k, then ``newton`` (its step's
    columns); the same for gradient descent (``descent``, no Hessian).
    """

    def __init__(self, n: int):
        self.n = n
        self.k = 0
        self.newton_code, self.newton_end_k = 1, 2
        self.newton = StepColumns(n, start=3)
        self.descent_code, self.descent_end_k = self.newton.end, self.newton.end + 1
        self.descent = StepColumns(n, hessian=False, start=self.newton.end + 2)
        self.width = self.descent.end


@dataclass(frozen=True, eq=False)
class RaceStep:
    """Step k of Newton's method and of gradient descent from the same start.

    ``newton`` is Newton's step k while Newton runs; once it has finished it is
    its last step (``newton_end`` says how it ended), or None if it took none.
    The same holds for ``descent``.
    """

    k: int
    n: int
    newton: Step | None
    descent: Step | None
    newton_end: Outcome | None = None
    descent_end: Outcome | None = None

    @property
    def newton_here(self) -> bool:
        """Newton took a step at this k."""
        return self.newton is not None and self.newton.k == self.k

    @property
    def descent_here(self) -> bool:
        """Gradient descent took a step at this k."""
        return self.descent is not None and self.descent.k == self.k

    @property
    def finished(self) -> bool:
        """Both methods have ended."""
        return self.newton_end is not None and self.descent_end is not None

    def as_row(self) -> np.ndarray:
        """k, Newton's status code, end k and step row, then the same for gradient descent."""
        L = RowLayout(self.n)
        parts: list[Any] = [[float(self.k)]]
        for step, end, columns in (
            (self.newton, self.newton_end, L.newton),
            (self.descent, self.descent_end, L.descent),
        ):
            code = 0.0 if end is None else float(STATUS_CODES.get(end.status, 9))
            parts.append([code, math.nan if end is None else float(end.k)])
            parts.append(np.full(columns.width, math.nan) if step is None else step.as_row())
        return np.concatenate([np.asarray(p, dtype=float) for p in parts])


def race_columns(variables: Sequence[str]) -> list[str]:
    """Column names for :meth:`RaceStep.as_row` (the CSV header of a race's history).

    Status codes: 0 running, then :data:`STATUS_CODES` (1 converged, 2 step
    limit, 3 singular, 4 left the domain, 5 diverged).
    """
    columns = ["k"]
    for prefix, hessian in (("newton", True), ("gd", False)):
        columns += [f"{prefix}_status", f"{prefix}_end_k"]
        columns += [f"{prefix}_{c}" for c in Step.row_columns(variables, hessian=hessian)]
    return columns


def _end_from_row(code: float, k: float, method: str) -> Outcome | None:
    if code == 0 or math.isnan(code):
        return None
    status = CODE_STATUS.get(int(code), "stopped")
    return Outcome(status, f"{method}: {status} at step {int(k)}", int(k))


def rebuild_race(row: np.ndarray, n: int, rate: float, damping: float = 0.0) -> RaceStep:
    """A :class:`RaceStep` from its history row (exact numbers; messages are short).

    ``rate`` and ``damping`` (τ) are the run's settings, which the row does not hold.
    """
    L = RowLayout(n)
    row = np.asarray(row, dtype=float)
    return RaceStep(
        int(row[L.k]),
        n,
        L.newton.step(row, damping=damping),
        L.descent.step(row, learning_rate=rate),
        _end_from_row(row[L.newton_code], row[L.newton_end_k], "Newton"),
        _end_from_row(row[L.descent_code], row[L.descent_end_k], "gradient descent"),
    )


def race_points(rows: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """From history rows: Newton's iterates (m × n) and values, then gradient descent's.

    Only rows where the method took its step k are used (a finished method's
    repeated last step is left out).
    """
    L = RowLayout(n)
    rows = np.asarray(rows, dtype=float).reshape(-1, L.width)
    k = rows[:, L.k]
    newton_rows = rows[rows[:, L.newton.k] == k]
    descent_rows = rows[rows[:, L.descent.k] == k]
    return (
        newton_rows[:, L.newton.x],
        newton_rows[:, L.newton.value],
        descent_rows[:, L.descent.x],
        descent_rows[:, L.descent.value],
    )


def _advance(run: Stepper[Step] | None) -> tuple[Step | None, Outcome | None]:
    if run is None:
        return None, None
    try:
        return next(run), None
    except StopIteration:
        return None, run.outcome


def race(
    newton_run: Stepper[Step] | None,
    descent_run: Stepper[Step] | None,
    n: int,
    k0: int = 0,
    previous: RaceStep | None = None,
) -> Generator[RaceStep, None, Outcome]:
    """Zip a Newton and a gradient-descent stepper into :class:`RaceStep` records.

    Each stepper is read one step ahead, so the record of a method's last step
    already carries how it ended. A stepper that is None has already finished
    (its end is taken from ``previous``). Ends when both have finished.
    """
    last_n = previous.newton if previous else None
    last_d = previous.descent if previous else None
    end_n = previous.newton_end if previous else None
    end_d = previous.descent_end if previous else None
    cur_n, e = _advance(newton_run) if end_n is None else (None, None)
    end_n = end_n or e
    cur_d, e = _advance(descent_run) if end_d is None else (None, None)
    end_d = end_d or e
    k = k0
    while cur_n is not None or cur_d is not None:
        nxt_n, nxt_d = None, None
        if cur_n is not None:
            nxt_n, e = _advance(newton_run)
            end_n = end_n or e
        if cur_d is not None:
            nxt_d, e = _advance(descent_run)
            end_d = end_d or e
        last_n = cur_n or last_n
        last_d = cur_d or last_d
        yield RaceStep(k, n, last_n, last_d, end_n, end_d)
        cur_n, cur_d = nxt_n, nxt_d
        k += 1
    return race_outcome(end_n, end_d, max(k - 1, k0))


def race_outcome(end_n: Outcome | None, end_d: Outcome | None, k: int) -> Outcome:
    """One Outcome for the pair: converged only if both converged."""
    parts = []
    if end_n is not None:
        parts.append(f"Newton {end_n.message}")
    if end_d is not None:
        parts.append(f"gradient descent {end_d.message}")
    both = end_n is not None and end_d is not None
    status = CONVERGED if both and end_n.status == end_d.status == CONVERGED else "finished"
    return Outcome(status, " · ".join(parts) or "nothing to do", k)


def stopped_by_limit(outcome: Outcome, last: RaceStep | None) -> bool:
    """The engine's step limit ended the run before both methods had finished."""
    return outcome.status == STEP_LIMIT and not (last is not None and last.finished)


@dataclass(frozen=True)
class RaceSettings:
    """What a race run needs; read from the widgets once, on the GUI thread."""

    function: Function
    x0: tuple[float, ...]
    learning_rate: float
    tol: float
    damping: float = 0.0


def race_preview(settings: RaceSettings) -> RaceStep | None:
    """Newton's step 0 before it is taken (what the views show after a reset).

    Its ``newton_end`` is set when Newton cannot even take it (singular H …);
    None when the start itself is unusable.
    """
    try:
        run = newton(
            settings.function,
            settings.x0,
            max_steps=1,
            tol=settings.tol,
            damping=settings.damping,
        )
        step = next(run, None)
    except ValueError:
        return None
    return RaceStep(0, settings.function.n, step, None, None if step else run.outcome, None)


def race_factory(settings: RaceSettings) -> Callable[[RaceStep | None], Stepper[RaceStep]]:
    """The engine's factory: a fresh race, or one resumed after ``last``."""
    f, n = settings.function, settings.function.n

    def start_newton(x: Any, k0: int) -> Stepper[Step]:
        return newton(f, x, max_steps=UNLIMITED, tol=settings.tol, k0=k0, damping=settings.damping)

    def start_descent(x: Any, k0: int) -> Stepper[Step]:
        return gradient_descent(
            f,
            x,
            learning_rate=settings.learning_rate,
            max_steps=UNLIMITED,
            tol=settings.tol,
            k0=k0,
        )

    def factory(last: RaceStep | None) -> Stepper[RaceStep]:
        if last is None:
            x0 = np.array(settings.x0, dtype=float)
            return Stepper(race(start_newton(x0, 0), start_descent(x0, 0), n))
        k0 = last.k + 1
        nr = None
        if last.newton_end is None and last.newton is not None:
            nr = start_newton(last.newton.x_next, k0)
        dr = None
        if last.descent_end is None and last.descent is not None:
            dr = start_descent(last.descent.x_next, k0)
        return Stepper(race(nr, dr, n, k0, last))

    return factory
