"""The run engine: threads, batching, limits, errors and clean shutdown."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from optgui.core.stepping import CONVERGED, Outcome, Stepper
from optgui.gui.engine import FRAME, RunEngine, live_threads


@dataclass(frozen=True)
class Count:
    k: int

    def as_row(self):
        return (float(self.k),)


def counter(stop_at: int | None = None, fail_at: int | None = None):
    """A factory of trivial steppers: k = 0, 1, 2 …, optionally ending or failing."""

    def factory(last):
        def gen():
            k = 0 if last is None else last.k + 1
            while True:
                if stop_at is not None and k >= stop_at:
                    return Outcome(CONVERGED, f"converged at step {k}", k)
                if fail_at is not None and k == fail_at:
                    raise FloatingPointError("overflow in exp")
                np.exp(np.array([1000.0]))  # a numpy warning must not escape the worker
                yield Count(k)
                k += 1

        return Stepper(gen())

    return factory


@pytest.fixture
def engine(qtbot):
    engine = RunEngine()
    yield engine
    engine.stop()
    assert not live_threads()


def test_full_speed_run_sends_batches_at_display_rate(qtbot, engine):
    engine.set_factory(counter())
    batches = []
    engine.steps_ready.connect(lambda records: batches.append(len(records)))
    engine.play()
    start = time.perf_counter()
    qtbot.waitUntil(lambda: len(engine.history) > 50_000, timeout=30_000)
    engine.pause()
    qtbot.waitUntil(lambda: not engine.running)
    elapsed = time.perf_counter() - start
    # every step is recorded, in order, and arrives in few, large batches
    assert sum(batches) == len(engine.history)
    assert np.array_equal(engine.history.column(0), np.arange(len(engine.history)))
    assert len(batches) <= elapsed / FRAME * 1.5 + 5


def test_worker_waits_while_the_gui_draws_a_batch(qtbot, engine):
    """Worker and GUI take turns: no steps are made while a batch is being shown.

    (Otherwise every Qt or numpy call of the GUI would wait for the GIL behind
    the worker, and a key press could go unanswered for a second.)
    """
    made = []
    base = counter()

    def factory(last):
        stepper = base(last)

        def gen():
            for record in stepper:
                made.append(record.k)
                yield record

        return Stepper(gen())

    engine.set_factory(factory)
    during = []

    def draw(records) -> None:
        before = len(made)
        threading.Event().wait(0.05)  # a slow frame: the worker must not use it to step
        during.append(len(made) - before)

    engine.steps_ready.connect(draw)
    engine.play()
    qtbot.waitUntil(lambda: len(during) >= 5, timeout=30_000)
    engine.pause()
    qtbot.waitUntil(lambda: not engine.running)
    assert during[:5] == [0] * 5
    assert len(engine.history) == len(made)


def test_slow_speed_sends_each_step(qtbot, engine):
    engine.set_factory(counter())
    engine.set_speed(30)  # slower than the display: each step is sent on its own
    sizes = []
    engine.steps_ready.connect(lambda records: sizes.append(len(records)))
    engine.play()
    qtbot.waitUntil(lambda: len(engine.history) >= 6, timeout=10_000)
    engine.pause()
    qtbot.waitUntil(lambda: not engine.running)
    assert set(sizes) == {1}


def test_step_runs_exactly_n_at_once(qtbot, engine):
    """A step needs no thread: the steps are in the history when step() returns."""
    engine.set_factory(counter())
    engine.step(3)
    assert len(engine.history) == 3 and not engine.running and not live_threads()
    engine.step(1)
    engine.step(1)
    assert np.array_equal(engine.history.column(0), np.arange(5))


def test_outcome_and_limit(qtbot, engine):
    engine.set_factory(counter(stop_at=5))
    with qtbot.waitSignal(engine.finished) as blocker:
        engine.play()
    assert blocker.args[0].status == CONVERGED and len(engine.history) == 5
    engine.reset()
    engine.set_factory(counter())
    engine.max_steps = 7
    with qtbot.waitSignal(engine.finished) as blocker:
        engine.play()
    assert "limit" in blocker.args[0].message and len(engine.history) == 7


def test_error_in_worker_becomes_message(qtbot, engine):
    engine.set_factory(counter(fail_at=4))
    with qtbot.waitSignal(engine.failed) as blocker:
        engine.play()
    assert "overflow" in blocker.args[0]
    assert len(engine.history) == 4
    assert not engine.running


def test_new_factory_mid_run_continues_from_last_step(qtbot, engine):
    engine.set_factory(counter())
    engine.set_speed(200)
    engine.play()
    qtbot.waitUntil(lambda: len(engine.history) >= 5, timeout=10_000)
    engine.set_factory(counter(stop_at=30))
    with qtbot.waitSignal(engine.finished, timeout=10_000):
        pass
    assert np.array_equal(engine.history.column(0), np.arange(30))


def test_continue_from_an_earlier_step(qtbot, engine):
    engine.set_factory(counter())
    engine.step(10)
    engine.continue_from(3)
    engine.step(2)
    assert np.array_equal(engine.history.column(0), np.arange(6))
    assert engine.history.branches == [(3, 6)]


def test_switching_tabs_stops_the_run(window, qtbot):
    tab = window.current
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.rate.setValue(1e-6)
    tab.controls.limit.setValue(10_000_000)
    tab.toggle_play()
    qtbot.waitUntil(lambda: len(tab.history) > 10, timeout=10_000)
    window.tabs.setCurrentIndex(1)
    assert not tab.engine.running
    assert not live_threads()


@dataclass(frozen=True)
class Rate:
    """Settings of the toy stepper below: each step adds ``rate`` to x."""

    rate: float


@dataclass(frozen=True)
class Walk:
    k: int
    x: float

    def as_row(self):
        return (float(self.k), self.x)


class Walker:
    """A factory that carries its settings, as every tab's factory does."""

    def __init__(self, rate: float, stop_at: int | None = None):
        self.settings = Rate(rate)
        self.stop_at = stop_at

    def __call__(self, last):
        def gen():
            k, x = (0, 0.0) if last is None else (last.k + 1, last.x)
            while self.stop_at is None or k < self.stop_at:
                x += self.settings.rate
                yield Walk(k, x)
                k += 1
            return Outcome(CONVERGED, "done", k)

        return Stepper(gen())


def test_a_change_mid_run_is_recorded_at_the_step_it_took_over(qtbot, engine):
    engine.set_factory(Walker(1.0))
    engine.set_speed(300)
    engine.play()
    qtbot.waitUntil(lambda: len(engine.history) >= 5, timeout=10_000)
    engine.set_factory(Walker(0.5, stop_at=40))
    with qtbot.waitSignal(engine.finished, timeout=10_000):
        pass
    (s0, a), (j, b) = engine.history.segments
    assert s0 == 0 and a == Rate(1.0) and b == Rate(0.5) and 5 <= j < 40
    x = engine.history.column(1)
    steps = np.diff(np.concatenate([[0.0], x]))  # what each step really added
    assert np.all(steps[:j] == 1.0) and np.all(steps[j:] == 0.5)
    assert [engine.history.settings_at(i).rate for i in (0, j - 1, j, 39)] == [1, 1, 0.5, 0.5]


def test_single_steps_record_their_settings_too(engine):
    engine.set_factory(Walker(1.0))
    engine.step(3)
    engine.set_factory(Walker(0.25))
    engine.step(2)
    assert engine.history.segments == [(0, Rate(1.0)), (3, Rate(0.25))]
    assert engine.history.column(1).tolist() == [1.0, 2.0, 3.0, 3.25, 3.5]


def test_a_replay_plan_runs_each_stretch_with_its_settings(qtbot, engine):
    engine.set_factory(Walker(1.0))
    engine.step(4)
    engine.set_factory(Walker(0.1))
    engine.step(3)
    engine.set_factory(Walker(2.0))
    engine.step(2)
    recorded = engine.history.rows.copy()
    plan = [(n, Walker(s.rate)) for n, s in ((4, Rate(1.0)), (3, Rate(0.1)), (2, Rate(2.0)))]
    engine.reset()
    with qtbot.waitSignal(engine.state_changed, check_params_cb=lambda s: s == "paused"):
        engine.replay(plan)
    assert np.array_equal(engine.history.rows, recorded)  # bit for bit
    assert [s for _, s in engine.history.segments] == [Rate(1.0), Rate(0.1), Rate(2.0)]
