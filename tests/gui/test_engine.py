"""The run engine: the worker process, batching, limits, errors and clean shutdown."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from optgui.core.stepping import CONVERGED
from optgui.gui import workers
from optgui.gui.engine import FRAME, RunEngine
from tests.gui.steppers import Counter, Rate, Walker, counter


@pytest.fixture
def engine(qtbot):
    engine = RunEngine()
    yield engine
    engine.stop()
    assert not engine.running


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


def test_the_worker_steps_while_the_gui_draws_with_one_batch_in_flight(qtbot, engine):
    """The worker process steps on while the GUI draws a batch, but sends the next
    only once the GUI has taken this one: a slow frame gets one big batch next,
    never a queue of batches."""
    engine.set_factory(counter())
    sizes, waiting = [], []

    def draw(records) -> None:
        waiting.append(engine._worker.conn.poll())  # another batch already sent?
        sizes.append(len(records))
        threading.Event().wait(0.05)  # a slow frame

    engine.steps_ready.connect(draw)
    engine.play()
    qtbot.waitUntil(lambda: len(sizes) >= 6, timeout=30_000)
    engine.steps_ready.disconnect(draw)
    engine.stop()
    assert not any(waiting[:6])
    # in each 50 ms frame the worker took hundreds of the counter's microsecond steps
    assert min(sizes[1:6]) > 200
    assert np.array_equal(engine.history.column(0), np.arange(len(engine.history)))


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
    """A step needs no worker: the steps are in the history when step() returns."""
    engine.set_factory(counter())
    engine.step(3)
    assert len(engine.history) == 3 and not engine.running
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


def test_a_killed_worker_is_reported_and_the_history_kept(qtbot, engine):
    engine.set_factory(counter())
    engine.set_speed(100)
    engine.play()
    qtbot.waitUntil(lambda: len(engine.history) >= 5, timeout=10_000)
    with qtbot.waitSignal(engine.failed, timeout=10_000) as blocker:
        engine._worker.process.kill()
    kept = len(engine.history)
    assert "ended unexpectedly" in blocker.args[0] and "kept" in blocker.args[0]
    assert not engine.running and engine.state == "paused" and kept >= 5
    # Play goes on from the last kept step, in a new worker
    engine.set_speed(0)
    engine.set_factory(counter(stop_at=kept + 50))
    with qtbot.waitSignal(engine.finished, timeout=10_000):
        engine.play()
    assert np.array_equal(engine.history.column(0), np.arange(kept + 50))


def test_stop_waits_for_a_slow_step_and_keeps_it(qtbot, engine):
    engine.set_factory(Counter(seconds=0.2))
    engine.play()
    qtbot.waitUntil(lambda: len(engine.history) >= 1, timeout=10_000)
    engine.stop()  # returns once the step in hand is done and received
    assert not engine.running and engine.state == "paused"
    n = len(engine.history)
    assert np.array_equal(engine.history.column(0), np.arange(n))
    engine.step(1)  # continues right after it
    assert engine.history.column(0)[-1] == n


def test_a_factory_that_cannot_be_sent_is_a_message(qtbot, engine):
    engine.set_factory(lambda last: counter()(last))  # (a lambda does not pickle)
    with qtbot.waitSignal(engine.failed) as blocker:
        engine.play()
    assert "cannot be sent" in blocker.args[0] and not engine.running
    engine.step(2)  # single steps need no worker
    assert len(engine.history) == 2


def test_play_answers_at_once_while_a_new_worker_starts(qtbot, engine):
    """The first Play steps here until its new worker process is ready, which then
    continues from the last step: no step lost or repeated."""
    workers.shutdown()  # the next run needs a new process
    engine.set_factory(Counter(seconds=0.001))
    ready_at_first_batch = []
    engine.steps_ready.connect(
        lambda _: ready_at_first_batch.append(engine._worker.ready) if engine._worker else None
    )
    engine.play()
    qtbot.waitUntil(lambda: engine._worker is not None and engine._worker.ready, timeout=60_000)
    n = len(engine.history)
    qtbot.waitUntil(lambda: len(engine.history) > n + 100, timeout=30_000)
    engine.stop()
    assert ready_at_first_batch[0] is False  # the first steps came before the worker was up
    assert np.array_equal(engine.history.column(0), np.arange(len(engine.history)))
