"""Every tab's run in the worker process: the same steps, bit for bit, as stepped here.

The worker sends rows and the last record of each batch; the GUI rebuilds the
records in between. Both must agree with the tab's stepper run in this process.
Slow steps (a network of width 8, the Hessian walk) included.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
import pytest
from PySide6.QtCore import Qt

from optgui.gui import workers
from tests.gui.helpers import child_processes, open_tab
from tests.gui.test_network_tab import type_into

TABS = ("Regression", "Classification", "2-2-1 Network", "Newton 1-D", "Newton 2-D",
        "Hessian Explorer")  # fmt: skip


def warm(qtbot) -> None:
    """A started worker process waits in the pool (a run goes to it at once)."""
    worker = workers.acquire()
    qtbot.waitUntil(worker.check_ready, timeout=60_000)
    workers.release(worker)


@pytest.mark.parametrize("title", TABS)
def test_every_tab_plays_in_the_worker_bit_for_bit(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    warm(qtbot)
    if title == "2-2-1 Network":
        type_into(qtbot, tab.width_box, "8")  # slower steps: 8 hidden units
    if title == "Hessian Explorer":  # Newton's walk cycles 0 → 1 → 0 … on this one
        tab.box.set_text("x^4/4 - x^2 + 2*x + y^2")
        tab.set_point((0.0, 0.0))
    qtbot.keyClick(tab.controls.speed, Qt.Key.Key_End)
    tab.controls.limit.setValue(60)
    tab.toggle_play()
    qtbot.waitUntil(lambda: tab.engine.state != "playing", timeout=30_000)
    rows = tab.history.rows.copy()
    assert len(rows) >= 3, tab.status
    factory = tab.make_factory()
    here = list(islice(factory(None), len(rows)))
    assert np.array_equal(rows, np.array([r.as_row() for r in here]), equal_nan=True)
    # the last record came from the worker; older ones are rebuilt from their rows
    for i in (0, len(rows) // 2, len(rows) - 1):
        assert np.array_equal(tab.history.record(i).as_row(), here[i].as_row(), equal_nan=True)


def stream(window, qtbot):
    """The front tab (Regression) playing at full speed, far from converging."""
    tab = window.current
    tab.rate.setValue(1e-6)
    tab.controls.limit.setValue(10_000_000)
    qtbot.keyClick(tab.controls.speed, Qt.Key.Key_End)
    tab.toggle_play()
    qtbot.waitUntil(lambda: len(tab.history) > 100, timeout=30_000)
    return tab


def test_the_worker_starts_at_the_first_play_and_ends_with_the_window(window, qtbot):
    assert not workers.live_processes()  # not at start-up
    stream(window, qtbot)
    assert len(workers.live_processes()) == 1 and len(child_processes()) >= 1
    window.close()
    assert not workers.live_processes() and not child_processes()


def test_a_killed_worker_leaves_the_tab_usable(window, qtbot):
    tab = stream(window, qtbot)
    workers.live_processes()[0].kill()
    qtbot.waitUntil(lambda: not tab.engine.running, timeout=10_000)
    kept = len(tab.history)
    assert "ended unexpectedly" in tab.status and "kept" in tab.status
    assert tab.controls.timeline.maximum() == kept - 1  # the steps so far are shown
    tab.step()  # a single step continues from the last kept one
    qtbot.waitUntil(lambda: len(tab.history) == kept + 1, timeout=10_000)
    assert tab.history.column(0)[-1] == tab.history.column(0)[-2] + 1
