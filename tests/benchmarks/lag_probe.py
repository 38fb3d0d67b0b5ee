"""How long the GUI thread takes to answer an event posted from another thread.

Used by the benchmarks: while a run streams, a thread posts an event every 20 ms
(as a key press would arrive) and the GUI records how late it handled each one.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import QObject, Signal


class LagProbe(QObject):
    """``with LagProbe() as probe: …`` then ``probe.percentiles()``, ``probe.max()`` in ms."""

    ping = Signal(float)

    def __init__(self, interval: float = 0.02):
        super().__init__()
        self.interval = interval
        self.lags: list[float] = []
        self.ping.connect(lambda sent: self.lags.append((time.perf_counter() - sent) * 1000))
        self._stop = threading.Event()
        self._poster = threading.Thread(target=self._post)

    def _post(self) -> None:
        while not self._stop.wait(self.interval):
            self.ping.emit(time.perf_counter())

    def __enter__(self) -> LagProbe:
        self._poster.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._poster.join()

    def percentiles(self, *qs: float) -> list[float]:
        lag = np.array(self.lags or [0.0])
        return [float(np.percentile(lag, q)) for q in qs]

    def max(self) -> float:
        """The worst lag of the run."""
        return max(self.lags, default=0.0)
