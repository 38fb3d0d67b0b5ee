"""Work off the GUI thread: a lane runs its jobs one at a time on a short-lived worker.

The GUI thread submits a job (a function of the :class:`Job`) and a callback; a
worker thread runs the job and the callback gets it back on the GUI thread, by a
queued signal (only signals cross threads). ``job.cancel()`` drops a result
nobody waits for any more, and a job that checks ``job.cancelled`` stops early.
A lane's thread exits as soon as its queue is empty, so nothing is left running
once the work is done; :func:`wait_idle` waits for that (before the application
quits, and in tests)::

    job = lane("parse").submit(lambda job: parse_function(text, xy), show_verdict, owner=box)

Like the run engine's workers, jobs run with Python's cyclic garbage collector
off (see :mod:`optgui.gui.engine`): run in a worker, a collection could delete
a Qt widget outside the GUI thread. The GUI thread collects the young objects
instead, every :data:`COLLECT_MS` while a lane works: typesetting one long
formula leaves some 400,000 objects in cycles, and collecting them all at once
would take the GUI thread half a second.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

#: How long (seconds) a busy worker thread may keep the GIL from a waiting GUI thread.
SWITCH_INTERVAL = 0.001

_running = 0  # lanes working now
_switch = sys.getswitchinterval()


def worker_started() -> None:
    """No automatic garbage collection while a worker thread runs.

    Python's cyclic collector runs in whichever thread happens to allocate. In a
    worker it would delete unreachable Qt widgets outside the GUI thread, which
    can deadlock (the deletion takes a Qt lock, then waits for the GIL the GUI
    thread holds). So collection is switched off while workers run and done on
    the GUI thread instead (every COLLECT_MS).
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


#: While a lane works, the GUI thread collects the young garbage this often (ms).
COLLECT_MS = 20
#: A tick this late (ms) means the GUI thread is busy: a polite lane waits (seconds at most).
CALM_MS = 8
CALM_WAIT = 0.5


class Job:
    """One piece of work: ``result`` or ``error`` once done, ``cancelled`` if dropped."""

    def __init__(
        self, work: Callable[[Job], Any], deliver: Callable[[Job], None], owner: QObject | None
    ):
        self.work = work
        self.deliver = deliver
        self.owner = owner
        self.cancelled = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.delivered = False
        self._done = threading.Event()

    def cancel(self) -> None:
        """Drop the result (the job stops early if it checks ``cancelled``)."""
        self.cancelled = True

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the worker to finish this job; True if it has."""
        return self._done.wait(seconds)


class Lane(QObject):
    """Jobs run in the order given, one at a time, on a worker thread that exits when idle.

    A ``polite`` lane starts each job only once the GUI thread is calm: its
    :data:`COLLECT_MS` ticks arrive on time (Python runs one thread at a time, so
    a worker computing while the GUI thread draws makes the drawing two or three
    times slower). Its jobs should be short: a job, once started, runs to the end.
    """

    _finished = Signal(object)  # a Job, from the worker to the GUI thread
    _idle = Signal(object)  # the worker thread that has just ended

    def __init__(self, name: str, polite: bool = False):
        super().__init__()
        self.name = name
        self.polite = polite
        self._calm = threading.Event()  # the GUI thread answered its last tick on time
        self._draining = False  # the GUI thread waits for the lane: no need to be polite
        self._tick_due = 0.0
        self._queue: deque[Job] = deque()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None  # the worker taking jobs, if any
        self._threads: set[threading.Thread] = set()  # started, not yet seen ending
        self._finished.connect(self._deliver)
        self._idle.connect(self._ended)
        self._collector = QTimer(self)
        self._collector.setInterval(COLLECT_MS)
        self._collector.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if now - self._tick_due < CALM_MS / 1000:
            self._calm.set()
        else:
            self._calm.clear()  # late: the GUI thread has been busy
        gc.collect(0)
        self._tick_due = time.perf_counter() + COLLECT_MS / 1000

    def submit(
        self,
        work: Callable[[Job], Any],
        deliver: Callable[[Job], None],
        owner: QObject | None = None,
    ) -> Job:
        """Run ``work(job)`` on the worker; then ``deliver(job)`` on the GUI thread.

        Not delivered if the job was cancelled or ``owner`` (a widget) is deleted.
        """
        job = Job(work, deliver, owner)
        self._calm.clear()  # (the GUI thread is busy now: it is asking for work)
        with self._lock:
            self._queue.append(job)
            if self._thread is not None:
                return job
            self._thread = thread = threading.Thread(
                target=self._run, name=f"optgui-{self.name}", daemon=True
            )
            self._threads.add(thread)
        worker_started()
        self._tick_due = time.perf_counter() + COLLECT_MS / 1000
        self._collector.start()
        thread.start()
        return job

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._thread = None  # (a job submitted from now on starts a new thread)
                    break
                job = self._queue.popleft()
            if self.polite and not job.cancelled:
                self._wait_for_calm()
            if not job.cancelled:
                try:
                    job.result = job.work(job)
                except Exception as err:  # noqa: BLE001 - handed to the GUI thread
                    job.error = err
            job._done.set()
            self._calm.clear()  # (the GUI thread is about to show the result)
            self._finished.emit(job)
        self._idle.emit(threading.current_thread())

    def _wait_for_calm(self) -> None:
        end = time.monotonic() + CALM_WAIT
        while not self._draining and time.monotonic() < end and not self._calm.wait(0.01):
            pass

    @Slot(object)
    def _deliver(self, job: Job) -> None:
        self.deliver_now(job)

    def deliver_now(self, job: Job) -> None:
        """Hand a finished job to its callback now (once), unless it is cancelled or orphaned."""
        if job.delivered or job.cancelled:
            return
        job.delivered = True
        if job.owner is not None and not shiboken6.isValid(job.owner):
            return
        job.deliver(job)

    @Slot(object)
    def _ended(self, thread: threading.Thread) -> None:
        thread.join()
        if thread in self._threads:
            self._threads.discard(thread)
            if not self._threads:
                self._collector.stop()
                gc.collect(0)  # (the last young garbage, here rather than in a worker)
            worker_stopped()

    @property
    def running(self) -> bool:
        """Whether a worker thread of this lane is alive."""
        return any(t.is_alive() for t in list(self._threads))

    def wait_idle(self, seconds: float) -> bool:
        """Wait for the queue to empty and the worker to end; True if it has.

        Results that arrived meanwhile are delivered before this returns.
        """
        end = time.monotonic() + seconds
        self._draining = True
        try:
            for thread in list(self._threads):
                thread.join(max(0.0, end - time.monotonic()))
        finally:
            self._draining = False
        QCoreApplication.sendPostedEvents(self, 0)  # results, and the ended worker
        return not self.running

    def cancel_all(self) -> None:
        with self._lock:
            for job in self._queue:
                job.cancel()


_lanes: dict[str, Lane] = {}


def lane(name: str, polite: bool = False) -> Lane:
    """The lane called ``name`` (made on first use, on the GUI thread; see :class:`Lane`)."""
    found = _lanes.get(name)
    if found is None or not shiboken6.isValid(found):
        found = _lanes[name] = Lane(name, polite)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(found.cancel_all)
            app.aboutToQuit.connect(lambda: found.wait_idle(2.0))
    return found


def running() -> list[str]:
    """Names of the lanes with a worker thread alive (tests assert none are left)."""
    return [name for name, ln in _lanes.items() if shiboken6.isValid(ln) and ln.running]


def wait_idle(seconds: float = 2.0) -> bool:
    """Wait for every lane to finish its work; True if all have."""
    end = time.monotonic() + seconds
    return all(
        ln.wait_idle(max(0.0, end - time.monotonic()))
        for ln in list(_lanes.values())
        if shiboken6.isValid(ln)
    )
