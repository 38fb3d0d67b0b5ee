"""Time budgets that follow the machine's load (the machines are shared and noisy).

A few tests guard against work that never ends (a formula whose parse blows up,
a window that stops answering). Their budgets are the product's (a verdict
within a second) on an idle machine, scaled by how much slower the interpreter
runs right now than there: a fixed pure-Python workload is timed just before.
The speed itself is measured by the benchmarks, not here.
"""

from __future__ import annotations

import statistics
import time

#: Seconds the reference workload takes on an idle development machine.
REFERENCE_SECONDS = 0.03

#: The load changes between the reference and the work it scales: room for that.
GRACE = 3.0


def slowness() -> float:
    """How many times slower than idle this machine runs now (at least 1)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        sum(i * i for i in range(300_000))
        times.append(time.perf_counter() - start)
    return max(1.0, statistics.median(times) / REFERENCE_SECONDS)


def budget(seconds: float) -> float:
    """``seconds`` on an idle machine, in today's seconds (with room for the load to rise)."""
    return seconds * slowness() * GRACE
