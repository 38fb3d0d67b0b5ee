"""The run engine: play, pause, step and replay for one tab, with the run's history.

A tab hands the engine a *factory*: a pure, picklable callable that, given the
last step record (or ``None`` for a fresh start), returns a core
:class:`Stepper`; its ``settings`` attribute says what it was made from, and the
history records those settings with every step it takes.

Single steps (→) are taken at once on the GUI thread: a step costs microseconds,
so no press waits or is lost. Play runs the stepper in a worker *process*
(:mod:`optgui.gui.workers`, :mod:`optgui.core.runner`), which steps at full speed
on an interpreter of its own while the GUI draws, and sends batches of history
rows about 40 times a second, never more than one ahead of what the GUI has
taken. The GUI adds them to the :class:`History` and rebuilds full records from
rows and recorded settings only when a view asks for an older step. Until the
worker has read the run's factories (the first time, a new interpreter imports
numpy and the lesson's modules: a second or more), the run steps here, in
slices between frames, and the worker takes over from the last step once it
is ready for it: Play answers at once.

Changing a setting mid-run sends a new factory: the worker switches to it at the
next step, continuing from the last, and the batch says at which step the new
settings took over. Replaying a saved run is a *plan*: so many steps with one
factory, then so many with the next.
"""

from __future__ import annotations

import pickle
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from optgui.core.history import History
from optgui.core.runner import FRAME, Run
from optgui.core.stepping import STEP_LIMIT, Outcome, Stepper
from optgui.gui import workers

Factory = Callable[[Any], Stepper]
#: So many steps (-1: until stopped) with one factory.
Plan = list[tuple[int, Factory]]

__all__ = ["FRAME", "SPEEDS", "Factory", "Plan", "RunEngine", "Steps", "speed_label"]

#: Speeds offered by the speed control, in steps per second (0 = as fast as possible).
SPEEDS = (1, 2, 5, 10, 30, 100, 1000, 0)

#: While a run is on, the GUI looks for the worker's batches this often (ms).
POLL_MS = 4

#: While a worker process starts, the run steps here for this long (seconds) per
#: slice, then lets the GUI draw.
SLICE = 0.012

#: A stop waits this long (seconds) for the worker to finish the step in hand,
#: then ends the process (a new one starts with the next run).
STOP_WAIT = 2.0

WORKER_LOST = (
    "the worker process that computes the steps ended unexpectedly{code}. "
    "The steps so far are kept: Space continues the run."
)


def settings_of(factory: Factory | None) -> Any:
    """The settings a factory was made from (recorded with each step it takes)."""
    return getattr(factory, "settings", None)


def speed_label(speed: float) -> str:
    return "max" if speed == 0 else f"{speed:g}/s"


class Steps(Sequence):
    """The steps of one batch, as records: the last one at hand, the others rebuilt
    from the history when asked for (a batch may hold thousands of steps)."""

    def __init__(self, history: History, start: int, count: int, last: Any):
        self._history, self._start, self._count, self._last = history, start, count, last

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i):  # noqa: ANN001 - int or slice, as for a list
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        if i == self._count - 1:
            return self._last
        return self._history.record(self._start + i)


class RunEngine(QObject):
    """Play / pause / step / reset for one tab, with the history of the run.

    Signals:
        steps_ready(Sequence): new step records (already added to :attr:`history`).
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
        self._worker: workers.Worker | None = None
        self._speed: float = 0
        self.max_steps: int = 0  # 0 = no limit besides the core's
        self.outcome = None
        self._state = "paused"
        self._resume_at: int | None = None  # continue from this step index
        self._run_id = 0
        self._settings: dict[int, Any] = {}  # token → settings, for this run's factories
        self._poll = QTimer(self)
        self._poll.setTimerType(Qt.TimerType.PreciseTimer)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._receive)
        self._run_delay = 0.0  # the delay between steps of the run on
        self._limit = 0  # the step limit of the run on
        self._local: Run | None = None  # a run stepped here while its worker starts
        self._slices = QTimer(self)
        self._slices.timeout.connect(self._slice)

    # -- settings -----------------------------------------------------------
    def set_factory(self, factory: Factory) -> None:
        """Use a new factory; a running worker switches at the next step."""
        self._factory = factory
        if self._local is not None:
            self._local.replace(self._token(factory), factory)
        elif self._worker is not None:
            self._send(("factory", self._token(factory), factory))

    @property
    def factory(self) -> Factory | None:
        """The factory the next Play or Step uses."""
        return self._factory

    def set_speed(self, steps_per_second: float) -> None:
        self._speed = steps_per_second
        if self._worker is not None:
            self._run_delay = self._delay()
            self._slices.setInterval(self._slice_ms())
            if self._local is None:
                self._send(("delay", self._run_delay))

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
        return self._worker is not None

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

        A step costs microseconds to milliseconds, so it needs no worker: the
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
        """Take ``n`` steps in the worker (a step that takes long, e.g. a search: it
        never steps here, not even while a new worker starts)."""
        if self.running or self._factory is None:
            return
        self._start([(n, self._factory)], here=False)

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
        """Stop the run after the step in hand (the state changes when it has)."""
        if self._local is not None:
            self._end_local(None, "")
        elif self._worker is not None:
            self._send(("stop",))

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
        """Stop the run now: its last steps are added to the history (safe any time)."""
        if self._local is not None:
            self._end_local(None, "")
        worker = self._worker
        if worker is None:
            return
        self._send(("stop",))
        deadline = time.perf_counter() + STOP_WAIT
        while self._worker is worker:
            try:
                ready = worker.conn.poll(max(0.0, deadline - time.perf_counter()))
                if not ready:  # a step that takes too long: end the process
                    worker.kill()
                    self._finish(None, "")
                    break
                self._handle(worker.conn.recv())
            except (EOFError, OSError):
                self._lost()
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

    def _token(self, factory: Factory) -> int:
        """A number for ``factory``'s settings: the worker's batches say where they apply."""
        token = len(self._settings)
        self._settings[token] = settings_of(factory)
        return token

    def _start(
        self, plan: Plan, limit: int = 0, delay: float | None = None, here: bool = True
    ) -> None:
        """Start a run in a worker; with ``here``, step here until a new worker is ready."""
        self._truncate_to_resume()
        self.outcome = None
        self._run_id += 1
        self._settings = {}
        steps = [(n, self._token(f), f) for n, f in plan]
        try:
            pickle.dumps(steps, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a factory that cannot be sent
            self.failed.emit(f"the run cannot be sent to the worker process: {exc}")
            return
        try:
            worker = workers.acquire()
            ready = worker.check_ready()
        except (OSError, EOFError) as exc:
            self.failed.emit(f"the worker process could not be started: {exc}")
            return
        self._worker = worker
        self._run_delay = self._delay() if delay is None else delay
        self._limit = limit
        self._local = Run(steps, self.history.last(), limit)
        self._poll.start()
        self._set_state("playing")
        if here:  # step here until the worker is ready for the run
            self._slices.start(self._slice_ms())
        if ready:
            self._load()

    def _load(self) -> None:
        """Let the worker read the run's factories; it takes over once it has."""
        if self._local is not None:
            factories = [f for _, _, f in self._local.rest()]
            self._send(("load", self._run_id, factories))

    def _slice_ms(self) -> int:
        """Between two slices of stepping here: time to draw, or the delay of a slow run."""
        return max(int(SLICE * 1000), int(self._run_delay * 1000))

    def _slice(self) -> None:
        """Step here for a moment (the worker process is starting)."""
        run = self._local
        if run is None:
            return
        slow = self._run_delay > 0
        error = ""
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                ended = run.advance(time.perf_counter() + SLICE, most=1 if slow else -1)
            except Exception as exc:  # noqa: BLE001 - any failure becomes a status message
                ended, error = True, f"{type(exc).__name__}: {exc}"
        self._deliver(run.take())
        if ended and self._local is run:
            self._end_local(run.outcome, error)

    def _end_local(self, outcome: Outcome | None, error: str) -> None:
        """The run stepped here has ended (or was paused) before its worker was ready."""
        run, self._local = self._local, None
        self._slices.stop()
        if run is not None:
            run.close()
            self._deliver(run.take())
        self._finish(outcome, error)

    def _hand_over(self) -> None:
        """The worker is ready: it continues the run from the last step taken here."""
        run, self._local = self._local, None
        self._slices.stop()
        if run is None:
            return
        self._deliver(run.take())
        if run.ended:
            self._finish(run.outcome, "")
            return
        rest = run.rest()
        run.close()
        self._send(("run", self._run_id, rest, run.last, self._run_delay, self._limit))

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self._worker.send(message)
        except (OSError, ValueError):
            self._lost()

    def _receive(self) -> None:
        """What the worker sent since the last look (the poll timer's tick)."""
        worker = self._worker
        try:
            while self._worker is worker and worker is not None and worker.conn.poll():
                self._handle(worker.conn.recv())
        except (EOFError, OSError):
            self._lost()
            return
        if self._worker is worker and worker is not None and not worker.alive:
            self._lost()

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind, run_id = message[0], message[1]
        if kind == "ready":
            self._worker.ready = True
            self._load()
        elif run_id not in (self._run_id, -1):
            return  # (from a run that was stopped: cannot happen, runs end with "done")
        elif kind == "batch":
            QTimer.singleShot(0, self, partial(self._taken, self._run_id))
            self._deliver(message[2:])
        elif kind == "loaded":
            self._hand_over()
        elif kind == "done":
            self._finish(message[2], message[3])

    def _deliver(self, batch: tuple[np.ndarray, list, Any] | None) -> None:
        """Add a batch (rows, settings marks by token, last record) to the history; show it."""
        if batch is None:
            return
        rows, marks, last = batch
        start = len(self.history)
        settings = [(i, self._settings.get(token)) for i, token in marks]
        try:
            self.history.extend_rows(rows, last, settings[0][1], changes=settings[1:])
        except Exception:  # noqa: BLE001 - never expected; the run must not hang on it
            traceback.print_exc()
            return
        self.steps_ready.emit(Steps(self.history, start, len(rows), last))

    def _taken(self, run_id: int) -> None:
        """The event loop has drawn the batch: the worker may send the next."""
        if self._worker is not None and run_id == self._run_id:
            self._send(("taken",))

    def _finish(self, outcome: Outcome | None, error: str) -> None:
        worker, self._worker = self._worker, None
        self._poll.stop()
        if worker is not None:
            workers.release(worker)
        self._ended(outcome, error)

    def _lost(self) -> None:
        """The worker process died: keep the history, say so, be ready to play again."""
        if self._local is not None:
            run, self._local = self._local, None
            self._slices.stop()
            run.close()
            self._deliver(run.take())
        worker, self._worker = self._worker, None
        self._poll.stop()
        if worker is None:
            return
        code = worker.process.exitcode
        worker.kill()
        self._ended(None, WORKER_LOST.format(code=f" (exit code {code})" if code else ""))

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

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)
