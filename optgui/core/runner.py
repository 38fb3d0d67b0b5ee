"""The stepping of a run, in slices, and the loop of the worker process (no Qt here).

A :class:`Run` follows a *plan* of ``(steps, token, factory)`` stretches
(``steps`` -1: until stopped) from the record it continues after. Each call
of :meth:`Run.advance` steps until a deadline and keeps the new steps' history
rows, where their settings changed (as the tokens the caller gave each
factory) and the last record: :meth:`Run.take` hands them over as one batch.
The run engine (:mod:`optgui.gui.engine`) advances a run on the GUI thread for
the moments a new worker process needs to start, then hands what is left of
it (:meth:`Run.rest`) to the process.

The worker process calls :func:`serve` with one end of a pipe. It says it is
ready, then takes runs and sends back batches: the rows as one numpy array, the
marks and the last record. It never has more than one batch in flight: it steps
on while the GUI draws, and sends the next batch once the GUI has taken the
last and a frame's time has passed.

Messages to the process::

    ("load", run_id, factories)                 read a run's factories (the first time,
                                                that imports their modules): answered
                                                with ("loaded", run_id)
    ("run", run_id, plan, last, delay, limit)   start a run (when idle)
    ("factory", token, factory)                 continue with new settings
    ("delay", seconds)                          the speed changed
    ("taken",)                                  the GUI has drawn the last batch
    ("stop",)                                   stop after the step in hand
    ("quit",)                                   end the process

and from it::

    ("ready", 0)                                the process has started
    ("loaded", run_id)                          the factories are read: send the run
    ("batch", run_id, rows, marks, last)        marks: [(index in batch, token)]
    ("done", run_id, outcome, error)            the run ended (outcome or None);
                                                run_id -1: a run that could not start

A pipe that closes (the app ended or crashed) ends the process too.
"""

from __future__ import annotations

import contextlib
import signal
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from optgui.core.stepping import STEP_LIMIT, Outcome, Stepper

Factory = Callable[[Any], Stepper]

#: Batches reach the GUI at most this often (seconds between batches).
FRAME = 1 / 40

#: The process looks for messages at least this often while it steps (seconds).
LISTEN = 0.002

#: While the GUI has not taken a batch, at most this many new rows wait; then stepping
#: pauses until it has (a GUI that stopped drawing must not fill the memory).
MAX_WAITING_ROWS = 200_000


class Run:
    """A run's stepping, a slice at a time: the plan, the stepper, the steps not yet taken."""

    def __init__(self, plan: list[tuple[int, int, Factory]], last: Any, limit: int = 0):
        self.plan = list(plan)
        self.last = last  # the record the next step continues after
        self.limit = limit  # the step limit the run stops at (0: none)
        self.outcome: Outcome | None = None
        self.ended = False  # by itself (outcome), by its plan's end, or by an error
        self.pending: tuple[int, Factory] | None = None  # new settings, from the next step
        self.token = -1  # the settings of the current stepper
        self.rows: list[Any] = []
        self.marks: list[tuple[int, int]] = []  # (index in batch, token) where settings change
        self._stepper: Stepper | None = None
        self._budget = 0
        self._final = False

    def replace(self, token: int, factory: Factory) -> None:
        """Continue with ``factory`` from the next step on."""
        self.pending = (token, factory)

    def rest(self) -> list[tuple[int, int, Factory]]:
        """What is left of the plan, starting with the stretch in hand (and new settings)."""
        if self._stepper is None:
            return list(self.plan)
        token, factory = self.pending or (self.token, self._factory)
        return [(self._budget, token, factory), *self.plan]

    def close(self) -> None:
        if self._stepper is not None:
            self._stepper.close()
            self._stepper = None

    def _use(self, token: int, factory: Factory) -> None:
        """Continue from the last step with ``factory``; its settings apply from here."""
        self.close()
        self.token, self._factory = token, factory
        self.marks.append((len(self.rows), token))
        self._stepper = factory(self.last)

    def advance(self, deadline: float, most: int = -1) -> bool:
        """Step until ``perf_counter()`` passes ``deadline`` (at least one step) or
        ``most`` steps are taken; True when the run has ended."""
        clock = time.perf_counter
        while not self.ended and most != 0:
            if self._stepper is None or self._budget == 0:
                if not self.plan:
                    self.ended = True
                    break
                budget, token, factory = self.plan.pop(0)
                self._budget, self._final = budget, not self.plan
                self._use(token, factory)
            if self.pending is not None:
                self._use(*self.pending)
                self.pending = None
            try:
                record = next(self._stepper)
            except StopIteration:
                if self._final:
                    self.outcome, self.ended = self._stepper.outcome, True
                else:
                    self._budget = 0  # a replayed stretch ended: the next one continues
                continue
            self.rows.append(record.as_row())
            self.last = record
            most -= 1
            if self._budget > 0:
                self._budget -= 1
                if self._budget == 0 and self._final:
                    self.ended = True
                    if self.limit:
                        self.outcome = Outcome(
                            STEP_LIMIT,
                            f"stopped at step {record.k}: the step limit is {self.limit} steps",
                            record.k,
                        )
            if clock() >= deadline:
                break
        if self.ended:
            self.close()
        return self.ended

    def take(self) -> tuple[np.ndarray, list[tuple[int, int]], Any] | None:
        """The new steps as one batch: (rows, marks from index 0, last record), or None."""
        if not self.rows:
            return None
        first = [token for i, token in self.marks if i == 0]
        marks = [(0, first[-1] if first else self.token)] + [m for m in self.marks if m[0] > 0]
        rows = np.array(self.rows, dtype=float)
        self.rows, self.marks = [], [(0, self.token)]
        return rows, marks, self.last


class Stopped(Exception):
    """The pipe closed: the app is gone."""


class Remote:
    """A run in the worker process, steered by messages from the GUI."""

    def __init__(self, conn: Any, run_id: int, run: Run, delay: float):
        self.conn = conn
        self.run_id = run_id
        self.run = run
        self.delay = delay
        self.stop = self.quit = False
        self.in_flight = False
        self.sent_at = 0.0

    def listen(self, timeout: float = 0.0) -> None:
        """Read what waits in the pipe; with ``timeout``, wait that long for a message
        that changes the run (a stop, new settings or a new speed)."""
        deadline = time.perf_counter() + timeout
        while True:
            wait = max(0.0, deadline - time.perf_counter())
            try:
                if not self.conn.poll(wait):
                    return
                message = self.conn.recv()
            except (EOFError, OSError):
                raise Stopped from None
            kind = message[0]
            if kind == "taken":
                self.in_flight = False
                continue  # (does not end a wait: the speed stays as set)
            if kind == "stop":
                self.stop = True
            elif kind == "quit":
                self.stop = self.quit = True
            elif kind == "factory":
                self.run.replace(message[1], message[2])
            elif kind == "delay":
                self.delay = float(message[1])
            deadline = 0.0  # something changed: take it into account now

    def send(self) -> None:
        batch = self.run.take()
        if batch is not None:
            self.conn.send(("batch", self.run_id, *batch))
            self.in_flight = True
            self.sent_at = time.perf_counter()

    def follow(self) -> None:
        """Step until stopped or ended; batches go out as they fill."""
        clock = time.perf_counter
        while not self.stop:
            slow = self.delay > 0
            if self.run.advance(clock() + LISTEN, most=1 if slow else -1):
                return
            self.listen()
            if not self.in_flight and (self.delay >= FRAME or clock() - self.sent_at >= FRAME):
                self.send()
            while self.in_flight and len(self.run.rows) >= MAX_WAITING_ROWS and not self.stop:
                self.listen(0.5)
            if slow:
                self.listen(self.delay)


def run(conn: Any, run_id: int, plan: list, last: Any, delay: float, limit: int) -> bool:
    """Carry out one run; False when the app has gone (the process should end)."""
    job = Remote(conn, run_id, Run(plan, last, limit), delay)
    error = ""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            job.follow()
        except Stopped:
            return False
        except Exception as exc:  # noqa: BLE001 - any failure becomes a status message
            error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        finally:
            job.run.close()
    try:
        job.send()
        conn.send(("done", run_id, job.run.outcome, error))
    except (OSError, EOFError):
        return False
    return not job.quit


def serve(conn: Any) -> None:
    """The worker process: take runs from ``conn`` until told to quit or the pipe closes."""
    with contextlib.suppress(ValueError):  # (ValueError: not the main thread, as in tests)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the app's to handle
    conn.send(("ready", 0))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a plan that cannot be read here
            traceback.print_exc()
            conn.send(("done", -1, None, f"the run could not be started: {exc}"))
            continue
        if message[0] == "quit":
            return
        if message[0] == "load":  # (reading the message did the work)
            conn.send(("loaded", message[1]))
        if message[0] == "run" and not run(conn, *message[1:]):
            return
        # ("taken", "stop", "factory", "delay" after a run ended: nothing to do)
