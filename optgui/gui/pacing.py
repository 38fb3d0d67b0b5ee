"""How often views are redrawn during a run: one mechanism, superqt's ``qthrottled``.

A run at full speed sends its tab about 31 batches of steps a second; not every
view should follow each. A :class:`Paced` view is drawn at once while its tab is
idle (a step, a timeline move: tests and students read it straight away), and
while the tab is busy through a ``qthrottled`` call: the first call of a burst
draws at once (leading edge), later ones at most once a period, always with the
latest arguments (trailing edge), and :meth:`Paced.flush` draws a waiting call at
once (the run stopped: its last step is on screen).

The period also grows with the view's own drawing time: after a draw of t seconds
the next waits at least ``REST``·t, so a slow view (a wide network's maps) takes
at most 1/(1 + REST) of the GUI thread's time and never holds the run up.

The throttle is made on the first busy call: importing superqt (all its
widgets) costs about 60 ms, which the window's start-up does not need to pay.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject


def preload() -> None:
    """Import superqt now (the window is up and idle), not during the first run's frames."""
    import superqt.utils  # noqa: F401


#: After a paced draw of t seconds the next waits at least REST·t (drawing ≤ 2/3 of the time).
REST = 0.5


class Paced:
    """``draw`` called at once when idle; while ``busy()``, at most every ``period_ms``."""

    def __init__(
        self,
        draw: Callable[..., None],
        period_ms: int,
        busy: Callable[[], bool],
        parent: QObject,
    ):
        self._draw = draw
        self._period = period_ms
        self._busy = busy
        self._parent = parent
        self._throttled: Any = None  # superqt's ThrottledCallable, made when first busy
        self._waiting = False  # a call is held back by the throttle

    def __call__(self, *args) -> None:
        if self._busy():
            if self._throttled is None:
                from superqt.utils import qthrottled

                self._throttled = qthrottled(
                    self._timed, timeout=self._period, leading=True, parent=self._parent
                )
            self._waiting = True  # (until drawn: at once on a leading edge, else later)
            self._throttled(*args)
        else:
            self.cancel()  # (a waiting older call must not overwrite this one)
            self._draw(*args)

    @property
    def waiting(self) -> bool:
        """Whether a call is held back, to be drawn when the period is over."""
        return self._waiting

    def _timed(self, *args) -> None:
        self._waiting = False
        start = time.perf_counter()
        self._draw(*args)
        cost_ms = 1000 * (time.perf_counter() - start)
        self._throttled.setTimeout(max(self._period, round(REST * cost_ms)))

    def flush(self) -> None:
        """Draw the waiting call, if any, now."""
        if self._throttled is not None:
            self._throttled.flush()

    def cancel(self) -> None:
        """Forget the waiting call, if any (the run was reset)."""
        self._waiting = False
        if self._throttled is not None:
            self._throttled.cancel()
