"""The worker processes that step runs, so the stepping never competes with the GUI.

Python runs one thread at a time, so a stepper on a thread of the GUI's process
takes its time from the frames and the frames take theirs from the stepping.
A worker *process* (:func:`optgui.core.runner.serve`) has an interpreter of its
own: it steps at full speed while the GUI draws.

Processes are started with the ``spawn`` method (a fresh interpreter, as on
Windows and macOS: forking a process that runs Qt is unsafe), when a run first
needs one, not at start-up, and are kept for the next run. :func:`shutdown`
ends them all (the main window calls it on close); they are daemons, and a
worker whose app is gone sees its pipe close and ends by itself.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import sys
import types
from collections.abc import Iterator
from typing import Any

from optgui.core import runner

_context = multiprocessing.get_context("spawn")
_idle: list[Worker] = []
_all: list[Worker] = []
_at_exit = False


class Worker:
    """One worker process and the GUI's end of its pipe."""

    def __init__(self) -> None:
        self.ready = False  # the process has started and said so
        self.conn, child = _context.Pipe()
        self.process = _context.Process(
            target=runner.serve, args=(child,), name="optgui-stepper", daemon=True
        )
        with _without_main():
            self.process.start()
        child.close()  # (the child has its own copy: ours would keep the pipe open)

    def check_ready(self) -> bool:
        """Whether the process has started (it says so once, before its first run)."""
        if not self.ready and self.conn.poll():
            self.ready = self.conn.recv()[0] == "ready"
        return self.ready

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def send(self, message: tuple[Any, ...]) -> None:
        self.conn.send(message)

    def close(self, timeout: float = 1.0) -> None:
        """End the process: ask, then wait at most ``timeout`` seconds, then kill it."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(("quit",))
        self.process.join(timeout)
        self.kill()

    def kill(self) -> None:
        """End the process now (a stop that takes too long, or a broken worker)."""
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2.0)
        self.conn.close()
        if self in _all:
            _all.remove(self)
        if self in _idle:
            _idle.remove(self)


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    """Start a worker without the app's main script: ``spawn`` would run it again in
    the worker, and a script without an ``if __name__ == "__main__":`` guard (a
    notebook's, a student's) would open a second window. The worker needs none of
    it: its loop and every factory are importable by module name."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def acquire() -> Worker:
    """An idle worker process, started now if there is none."""
    while _idle:
        worker = _idle.pop()
        if worker.alive:
            return worker
        worker.kill()
    global _at_exit
    if not _at_exit:  # (a window that was never closed: the app exits)
        _at_exit = bool(atexit.register(shutdown))
    worker = Worker()
    _all.append(worker)
    return worker


def release(worker: Worker) -> None:
    """A worker whose run has ended, kept for the next run."""
    if worker.alive and worker in _all and worker not in _idle:
        _idle.append(worker)
    elif worker.alive is False:
        worker.kill()


def shutdown(timeout: float = 1.0) -> None:
    """End every worker process (the app is closing)."""
    for worker in list(_all):
        worker.close(timeout)


def live_processes() -> list[Any]:
    """Worker processes still running (tests assert none are left after a close)."""
    return [w.process for w in _all if w.process.is_alive()]
