"""How often views are redrawn during a run: one throttle for every paced view.

A run at full speed sends its tab about 31 batches of steps a second; not every
view should follow each. A :class:`Paced` view is drawn at once while its tab is
idle (a step, a timeline move: tests and students read it straight away), and
while the tab is busy at most once a period, always with the latest arguments:
a call after the period draws at once (leading edge), calls within it wait, and
the latest waiting one is drawn by the next call after the period, or by a timer
if none comes (trailing edge). :meth:`Paced.flush` draws a waiting call at once
(the run stopped: its last step is on screen).

A waiting call is drawn by the next frame's call rather than by a timer of its
own when a frame comes soon enough (``align_ms``): the texts, the table and the
rings then change in the same event as the plots, and the window is painted
once for both, not twice.

The period also grows with the view's own drawing time: after a draw of t seconds
the next waits at least ``REST``·t, so a slow view (a wide network's maps) takes
at most 1/(1 + REST) of the GUI thread's time and never holds the run up.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def preload() -> None:
    """Import superqt now (the window is up and idle), not during a tab's first build:
    the Hessian Explorer debounces with it, and importing it costs about 60 ms."""
    import superqt.utils  # noqa: F401


#: After a paced draw of t seconds the next waits at least REST·t (drawing ≤ 2/3 of the time).
REST = 0.5


class Paced:
    """``draw`` called at once when idle; while ``busy()``, at most every ``period_ms``.

    ``align_ms``: how much longer than the period a waiting call may wait for the
    next call (the next frame) to be drawn with it, before its own timer draws it.
    """

    def __init__(
        self,
        draw: Callable[..., None],
        period_ms: int,
        busy: Callable[[], bool],
        parent: QObject,
        *,
        align_ms: int = 0,
    ):
        self._draw = draw
        self._period = period_ms / 1000
        self._align = align_ms
        self._busy = busy
        self._args: tuple | None = None  # the waiting call's arguments
        self._next = 0.0  # (perf_counter) a busy call from then on draws at once
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def __call__(self, *args) -> None:
        if not self._busy():
            self.cancel()  # (a waiting older call must not overwrite this one)
            self._draw(*args)
        elif time.perf_counter() >= self._next:
            self.cancel()
            self._timed(args)
        else:
            self._args = args
            if not self._timer.isActive():
                wait = (self._next - time.perf_counter()) * 1000 + self._align
                self._timer.start(max(0, round(wait)))

    @property
    def waiting(self) -> bool:
        """Whether a call is held back, to be drawn when the period is over."""
        return self._args is not None

    def _timed(self, args: tuple) -> None:
        start = time.perf_counter()
        self._draw(*args)
        end = time.perf_counter()
        self._next = max(start + self._period, end + REST * (end - start))

    def flush(self) -> None:
        """Draw the waiting call, if any, now."""
        self._timer.stop()
        args, self._args = self._args, None
        if args is not None:
            self._timed(args)

    def cancel(self) -> None:
        """Forget the waiting call, if any (the run was reset)."""
        self._timer.stop()
        self._args = None
