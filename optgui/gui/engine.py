"""The run engine: the one place in optgui that knows about threads.

A tab hands the engine a *factory*: a pure function that, given the last step
record (or ``None`` for a fresh start), returns a core :class:`Stepper`; its
``settings`` attribute says what it was made from, and the history records
those settings with every step it takes. Single steps (→) are taken at once on
the GUI thread: a step costs microseconds, so no press waits or is lost. Play
runs the stepper on a :class:`QThread`, records every step in a
:class:`History`, and sends the GUI batches of steps about 31 times a second
(see ROUND), so even tens of thousands of steps per second never flood the
event loop. At slow speeds every step is sent as it happens. Worker and GUI
take turns: the worker steps for most of a round, then waits while the GUI
draws the batch (Python runs one thread at a time, and two threads competing
for the GIL make both slow: a key press once waited two seconds).

Changing a setting mid-run is a new factory: the worker switches to it at the
next step boundary, continuing from the last step, and the batch says at which
step the new settings took over. Replaying a saved run is a *plan*: so many
steps with one factory, then so many with the next. Only signals cross threads.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
import warnings
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from optgui.core.history import History
from optgui.core.stepping import STEP_LIMIT, Outcome, Stepper

Factory = Callable[[Any], Stepper]
#: So many steps (-1: until stopped) with one factory.
Plan = list[tuple[int, Factory]]


def settings_of(factory: Factory | None) -> Any:
    """The settings a factory was made from (recorded with each step it takes)."""
    return getattr(factory, "settings", None)


#: Batches reach the GUI at most this often (seconds between batches): 40 a second
#: keeps plots fluid while leaving the GUI thread time to answer keys and clicks.
FRAME = 1 / 40

#: At full speed one round (the worker steps, then the GUI draws) lasts about this
#: long: the worker steps for what the GUI's turn leaves of it (at least MIN_STEPPING),
#: so a quick GUI gives the worker more time and the display stays at 31 frames a second.
ROUND = 1 / 31
MIN_STEPPING = 0.6 * ROUND

#: Speeds offered by the speed control, in steps per second (0 = as fast as possible).
SPEEDS = (1, 2, 5, 10, 30, 100, 1000, 0)


#: How long (seconds) a busy worker may keep the GIL from a waiting GUI thread.
SWITCH_INTERVAL = 0.001

_threads: weakref.WeakSet[QThread] = weakref.WeakSet()
_running = 0  # workers running now, in all engines
_switch = sys.getswitchinterval()


def worker_started() -> None:
    """No automatic garbage collection while a worker runs.

    Python's cyclic collector runs in whichever thread happens to allocate. In a
    worker it would delete unreachable Qt widgets outside the GUI thread, which
    can deadlock (the deletion takes a Qt lock, then waits for the GIL the GUI
    thread holds). So collection is switched off while workers run and done on
    the GUI thread instead (see :meth:`RunEngine._on_batch`).
    """
    global _running, _switch
    _running += 1
    gc.disable()
    if _running == 1:  # the GUI gets the GIL back within 1 ms instead of 5 (quicker keys)
        _switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)


def worker_stopped() -> None:
    global _running
    _running = max(0, _running - 1)
    if _running == 0:
        gc.enable()  # the automatic collector resumes, on the GUI thread
        sys.setswitchinterval(_switch)


def live_threads() -> list[QThread]:
    """Worker threads that are still running (tests assert none are left)."""
    return [t for t in list(_threads) if t.isRunning()]


def speed_label(speed: float) -> str:
    return "max" if speed == 0 else f"{speed:g}/s"


class _Worker(QObject):
    """Runs a stepper in the worker thread; talks to the engine by signals only."""

    batch_ready = Signal(int, object, object, object)  # (run id, records, rows, settings marks)
    done = Signal(int, object, str)  # (run id, Outcome or None, error text)

    def __init__(self, run_id: int, plan: Plan, last: Any, delay: float, limit: int = 0):
        super().__init__()
        # Signals carry the run id instead of the engine asking sender(): sender()
        # takes a Qt lock while holding the GIL and can deadlock with an emitting worker.
        self.run_id = run_id
        self._limit = limit  # the step limit this run stops at (0 = none)
        self._plan = list(plan)
        self._factory: Factory | None = None
        self._pending: Factory | None = None
        self._last = last
        self._budget = 0  # steps left of the current plan item; -1 = until stopped
        self._marks: list[tuple[int, Any]] = []  # (index in batch, settings) where they change
        self.delay = delay
        self._wake = threading.Event()
        self._taken = threading.Event()  # the GUI has shown the last batch
        self._taken.set()
        self._stop = False
        self._lock = threading.Lock()

    def replace_factory(self, factory: Factory) -> None:
        with self._lock:
            self._pending = factory

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        self._taken.set()

    def taken(self) -> None:
        """The GUI has drawn the last batch: the worker may step again."""
        self._taken.set()

    def set_delay(self, delay: float) -> None:
        self.delay = delay
        self._wake.set()

    @Slot()
    def run(self) -> None:
        outcome, error = None, ""
        records: list[Any] = []
        rows: list[Any] = []  # each record's as_row(), made as it is stepped
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                for i, (budget, factory) in enumerate(self._plan):
                    self._budget = budget
                    final = i == len(self._plan) - 1
                    outcome = self._loop(factory, records, rows, final)
                    if self._stop or (final and outcome is not None):
                        break
                    outcome = None  # a replayed stretch ended: the next one continues
            except Exception as exc:  # noqa: BLE001 - any failure becomes a status message
                error = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            del records[len(rows) :]  # (a record whose row failed is not sent)
        self._emit(records, rows)
        self.done.emit(self.run_id, outcome, error)

    def _use(self, factory: Factory, batch_size: int) -> Stepper:
        """Continue from the last step with ``factory``; its settings apply from here."""
        self._factory = factory
        self._marks.append((batch_size, settings_of(factory)))
        return factory(self._last)

    def _loop(
        self, factory: Factory, records: list[Any], rows: list[Any], final: bool
    ) -> Outcome | None:
        """Step until stopped, finished or out of budget; batches go out as they fill."""
        stepper = self._use(factory, len(records))
        clock = time.perf_counter
        last_emit = clock()
        stepping = FRAME  # how long to step before the next batch (see ROUND)
        while self._budget != 0 and not self._stop:
            if self._pending is not None:  # a new setting: continue from the last step
                with self._lock:
                    pending, self._pending = self._pending, None
                stepper.close()
                stepper = self._use(pending, len(records))
            try:
                record = next(stepper)
            except StopIteration:
                return stepper.outcome
            self._last = record
            records.append(record)
            rows.append(record.as_row())
            if self._budget > 0:
                self._budget -= 1
                if self._budget == 0 and self._limit and final:
                    return Outcome(
                        STEP_LIMIT,
                        f"stopped at step {record.k}: the step limit is {self._limit} steps",
                        record.k,
                    )
            now = clock()
            if self.delay >= FRAME or now - last_emit >= stepping:
                self._emit(records, rows)
                records.clear()
                rows.clear()
                last_emit = clock()  # stepping time does not count the GUI's turn
                turn = last_emit - now
                stepping = min(ROUND, max(MIN_STEPPING, ROUND - turn))
            if self.delay > 0 and self._budget != 0:
                self._wake.wait(self.delay)
                self._wake.clear()
        stepper.close()
        return None

    def _emit(self, records: list[Any], rows: list[Any]) -> None:
        """Send a batch, then wait (without the GIL) until the GUI has drawn it.

        Worker and GUI take turns instead of competing for the GIL: while both
        run Python, every call the GUI makes into Qt or numpy hands the GIL to
        the worker and waits up to a switch interval (5 ms) to get it back, so a
        10 ms frame could take a second and a key press go unanswered that long.
        """
        if records:
            batch = list(records)
            table = np.array(rows, dtype=float)
            # the settings of the batch's first record, then where they changed
            marks = [(max(0, i), s) for i, s in self._marks if i < len(batch)]
            first = [m for m in marks if m[0] == 0]
            marks = [(0, first[-1][1] if first else settings_of(self._factory))] + [
                m for m in marks if m[0] > 0
            ]
            self._marks = [(0, settings_of(self._factory))]
            self._taken.clear()
            self.batch_ready.emit(self.run_id, batch, table, marks)
            while not self._stop and not self._taken.wait(0.5):
                pass


class RunEngine(QObject):
    """Play / pause / step / reset for one tab, with the history of the run.

    Signals:
        steps_ready(list): new step records (already added to :attr:`history`).
        state_changed(str): "playing", "paused" or "finished".
        finished(object): the core's Outcome when a run ends by itself.
        failed(str): an error in the worker, in words.
        reset_done(): the history was cleared.
    """

    steps_ready = Signal(object)
    state_changed = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    reset_done = Signal()

    def __init__(self, parent: QObject | None = None, *, rebuild=None):
        super().__init__(parent)
        self.history = History(rebuild)
        self._factory: Factory | None = None
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._speed: float = 0
        self.max_steps: int = 0  # 0 = no limit besides the core's
        self.outcome = None
        self._state = "paused"
        self._resume_at: int | None = None  # continue from this step index
        self._run_id = 0
        self._batches = 0
        self._retired: list[tuple[_Worker, QThread]] = []  # finished, kept until next start

    # -- settings -----------------------------------------------------------
    def set_factory(self, factory: Factory) -> None:
        """Use a new factory; a running worker switches at the next step."""
        self._factory = factory
        if self._worker is not None:
            self._worker.replace_factory(factory)

    @property
    def factory(self) -> Factory | None:
        """The factory the next Play or Step uses."""
        return self._factory

    def set_speed(self, steps_per_second: float) -> None:
        self._speed = steps_per_second
        if self._worker is not None:
            self._worker.set_delay(self._delay())

    @property
    def speed(self) -> float:
        return self._speed

    def _delay(self) -> float:
        return 0.0 if self._speed <= 0 else 1.0 / self._speed

    @property
    def state(self) -> str:
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None

    # -- controls -----------------------------------------------------------
    def play(self) -> None:
        if self.running or self._factory is None:
            return
        budget = -1
        if self.max_steps:
            budget = max(0, self.max_steps - self._start_index())
            if budget == 0:
                self.finished.emit(
                    Outcome(
                        STEP_LIMIT,
                        f"the step limit of {self.max_steps} steps is reached: "
                        "raise the limit or reset",
                        len(self.history) - 1,
                    )
                )
                return
        self._start([(budget, self._factory)], limit=self.max_steps)

    def step(self, n: int = 1) -> None:
        """Take ``n`` steps now, on the calling (GUI) thread, then pause.

        A step costs microseconds to milliseconds, so it needs no thread: the
        steps are in the history when this returns, and a press is never lost
        to a run still in flight. A running worker is stopped first.
        """
        if self._factory is None:
            return
        self.stop()
        self._truncate_to_resume()
        self.outcome = None
        factory = self._factory
        records: list[Any] = []
        rows: list[np.ndarray] = []
        outcome, error = None, ""
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                stepper = factory(self.history.last())
                for _ in range(n):
                    record = next(stepper, None)
                    if record is None:
                        outcome = stepper.outcome
                        break
                    rows.append(record.as_row())
                    records.append(record)
                stepper.close()
            except Exception as exc:  # noqa: BLE001 - any failure becomes a status message
                error = f"{type(exc).__name__}: {exc}"
                del records[len(rows) :]
        if records:
            self.history.extend(records, np.array(rows, dtype=float), settings_of(factory))
            self.steps_ready.emit(records)
        self._ended(outcome, error)

    def step_in_background(self, n: int = 1) -> None:
        """Take ``n`` steps on the worker thread (a step that takes long, e.g. a search)."""
        if self.running or self._factory is None:
            return
        self._start([(n, self._factory)])

    def replay(self, plan: Plan) -> None:
        """Take so many steps with each factory of ``plan`` at full speed, then pause.

        Opening a session replays its run this way: each stretch with the settings
        it ran with, so every step comes out bit for bit as it was.
        """
        plan = [(n, f) for n, f in plan if n > 0]
        if not plan:
            return
        self.stop()
        self._factory = plan[-1][1]
        self._start(plan, limit=0, delay=0.0)

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.stop()

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.play()

    def reset(self) -> None:
        """Stop, forget the run, and start again from the initial parameters."""
        self.stop()
        self.history.clear()
        self.outcome = None
        self._resume_at = None
        self._set_state("paused")
        self.reset_done.emit()

    def continue_from(self, index: int | None) -> None:
        """Make the next Play/Step continue after step ``index`` (timeline)."""
        self._resume_at = index

    def stop(self) -> None:
        """Stop the worker and wait for its thread to end (safe to call any time)."""
        worker, thread = self._worker, self._thread
        if worker is None or thread is None:
            return
        worker.stop()
        thread.quit()
        thread.wait()
        self._cleanup()
        if self._state == "playing":
            self._set_state("paused")

    # -- internals ----------------------------------------------------------
    def _start_index(self) -> int:
        n = len(self.history)
        if self._resume_at is not None and self._resume_at < n - 1:
            return self._resume_at + 1
        return n

    def _truncate_to_resume(self) -> None:
        if self._resume_at is not None and self._resume_at < len(self.history) - 1:
            self.history.truncate(self._resume_at + 1)
        self._resume_at = None

    def _start(self, plan: Plan, limit: int = 0, delay: float | None = None) -> None:
        self._truncate_to_resume()
        self.outcome = None
        self._retired.clear()
        last = self.history.last()
        self._run_id += 1
        delay = self._delay() if delay is None else delay
        worker = _Worker(self._run_id, plan, last, delay, limit)
        thread = QThread()
        thread.setObjectName("optgui-run")
        _threads.add(thread)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.batch_ready.connect(self._on_batch)
        worker.done.connect(self._on_done)
        worker.done.connect(thread.quit)
        self._worker, self._thread = worker, thread
        worker_started()
        thread.start()
        self._set_state("playing")

    def _current(self, run_id: int) -> bool:
        return self._worker is not None and run_id == self._worker.run_id

    @Slot(int, object, object, object)
    def _on_batch(self, run_id: int, records, rows, marks) -> None:
        if not self._current(run_id):
            return
        try:
            self.history.extend(records, rows, marks[0][1], changes=marks[1:])
            self._batches += 1
            if self._batches % 40 == 0:
                gc.collect(0)  # the young generation, on the GUI thread (see worker_started)
            self.steps_ready.emit(records)
        finally:
            # Let the worker go on once the event loop has drawn this batch (see
            # _Worker._emit), even if showing it failed: a run must never hang.
            QTimer.singleShot(1, self, partial(self._taken, run_id))

    def _taken(self, run_id: int) -> None:
        if self._current(run_id):
            self._worker.taken()

    @Slot(int, object, str)
    def _on_done(self, run_id: int, outcome, error: str) -> None:
        if not self._current(run_id):
            return
        thread = self._thread
        if thread is not None:
            thread.quit()
            thread.wait()
        self._cleanup()
        self._ended(outcome, error)

    def _ended(self, outcome: Outcome | None, error: str) -> None:
        """Steps stopped: by an error, by the run's own end (an outcome), or paused."""
        if error:
            self._set_state("paused")
            self.failed.emit(error)
        elif outcome is not None:
            self.outcome = outcome
            self._set_state("finished")
            self.finished.emit(outcome)
        else:
            self._set_state("paused")

    def _cleanup(self) -> None:
        # The thread has finished; keep Python references until the next start
        # so no queued signal outlives its sender.
        if self._worker is not None and self._thread is not None:
            self._retired.append((self._worker, self._thread))
            worker_stopped()
        self._worker = self._thread = None

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)
