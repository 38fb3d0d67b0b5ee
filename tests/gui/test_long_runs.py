"""Long runs (``pytest -m slow``): a million steps stay bounded in memory and scrubbable."""

from __future__ import annotations

import gc
import resource

import numpy as np
import pytest

from tests.gui.helpers import open_tab


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.slow
def test_a_million_steps_keep_memory_bounded(window, qtbot, capsys):
    tab = open_tab(window, qtbot, "Regression")
    tab.source.setCurrentIndex(tab.source.findData("line"))
    tab.rate.setValue(1e-6)  # never converges: the run goes on to the limit
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.controls.limit.setValue(1_000_000)
    gc.collect()
    before = rss_mb()
    worker_rss = []  # the worker process's memory at 100,000 steps and at the end

    def sample(_records) -> None:
        if len(tab.history) >= 100_000 * (1 + 9 * len(worker_rss)) and tab.engine._worker:
            worker_rss.append(rss_mb(tab.engine._worker.process.pid))

    tab.engine.steps_ready.connect(sample)
    with qtbot.waitSignal(tab.engine.finished, timeout=900_000):
        tab.toggle_play()
    gc.collect()
    growth = rss_mb() - before
    assert len(tab.history) == 1_000_000
    # the timeline still reaches any step, old ones rebuilt from their rows
    for k in (0, 123_456, 999_999):
        tab.controls.timeline.setValue(k)
        assert tab.shown_index == k
        assert tab.history.record(k).k == k
    assert np.array_equal(tab.history.column(0)[:5], np.arange(5))
    with capsys.disabled():
        print(
            f"\n1,000,000 steps: memory grew {growth:.0f} MB "
            f"(history rows {tab.history.nbytes() / 1e6:.0f} MB); the worker process: "
            + " MB, then ".join(f"{m:.0f}" for m in worker_rss)
            + " MB"
        )
    assert growth < 100
    # the worker keeps no steps: it does not grow from 100,000 steps to the end
    assert len(worker_rss) >= 1 and worker_rss[-1] - worker_rss[0] < 20
