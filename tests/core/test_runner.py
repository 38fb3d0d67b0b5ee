"""The stepping of a run in slices (core/runner.py): plans, limits, new settings, hand-over."""

from __future__ import annotations

import math
import threading
from multiprocessing import Pipe

import numpy as np

from optgui.core import runner
from optgui.core.runner import Run
from optgui.core.stepping import CONVERGED, STEP_LIMIT
from tests.gui.steppers import Counter, Walker

FOREVER = math.inf


def rows_of(run: Run) -> tuple[np.ndarray, list]:
    rows, marks, _ = run.take()
    return rows, marks


def test_a_plan_runs_each_stretch_then_ends():
    run = Run([(3, 0, Walker(1.0)), (2, 1, Walker(0.5))], None)
    assert run.advance(FOREVER) and run.outcome is None  # the plan's end: no outcome
    rows, marks = rows_of(run)
    assert rows[:, 1].tolist() == [1.0, 2.0, 3.0, 3.5, 4.0]
    assert marks == [(0, 0), (3, 1)]


@np.errstate(over="ignore")  # (the counter overflows exp() on purpose)
def test_the_step_limit_and_the_steppers_own_end_are_outcomes():
    run = Run([(-1, 0, Counter(stop_at=4))], None)
    assert run.advance(FOREVER) and run.outcome.status == CONVERGED
    assert len(run.take()[0]) == 4
    run = Run([(7, 0, Counter())], None, limit=7)
    assert run.advance(FOREVER) and run.outcome.status == STEP_LIMIT


def test_slices_and_a_hand_over_give_the_steps_of_one_run():
    whole = Run([(-1, 0, Walker(0.25, stop_at=50))], None)
    whole.advance(FOREVER)
    expected = whole.take()[0]
    first = Run([(-1, 0, Walker(0.25, stop_at=50))], None)
    parts = []
    for _ in range(3):
        assert not first.advance(FOREVER, most=4)  # three slices of four steps
        parts.append(first.take()[0])
    second = Run(first.rest(), first.last)  # what a worker process continues with
    first.close()
    assert second.advance(FOREVER)
    parts.append(second.take()[0])
    assert np.array_equal(np.vstack(parts), expected)


def test_new_settings_apply_from_the_next_step_and_are_marked():
    run = Run([(-1, 0, Walker(1.0))], None)
    run.advance(FOREVER, most=3)
    run.replace(1, Walker(0.5, stop_at=6))
    assert run.advance(FOREVER)
    rows, marks = rows_of(run)
    assert rows[:, 1].tolist() == [1.0, 2.0, 3.0, 3.5, 4.0, 4.5]
    assert marks == [(0, 0), (3, 1)]


def test_the_worker_loop_serves_runs_over_a_pipe():
    """serve() as the worker process runs it (here on a thread): ready, batches, done."""
    ours, theirs = Pipe()
    thread = threading.Thread(target=runner.serve, args=(theirs,), daemon=True)
    thread.start()
    assert ours.recv() == ("ready", 0)
    ours.send(("run", 7, [(-1, 0, Counter(stop_at=1000))], None, 0.0, 0))
    rows = []
    while True:
        message = ours.recv()
        if message[0] == "done":
            break
        kind, run_id, batch, marks, last = message
        assert kind == "batch" and run_id == 7 and marks[0] == (0, 0)
        assert last.k == batch[-1, 0]
        rows.append(batch)
        ours.send(("taken",))
    assert message[1] == 7 and message[2].status == CONVERGED and message[3] == ""
    assert np.array_equal(np.vstack(rows)[:, 0], np.arange(1000))
    ours.send(("quit",))
    thread.join(5)
    assert not thread.is_alive()
