"""When views are drawn: at once when idle, paced during a run, the last step when it stops."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject

from optgui.gui.pacing import Paced
from optgui.gui.tab import TEXT_PERIOD
from optgui.lessons import regression
from optgui.lessons.training import shown_example
from tests.gui.helpers import TIMEOUT, open_tab

#: On g′ = x³ − 2x + 2 Newton cycles 0 → 1 → 0 for ever: a run that streams until stopped.
CYCLE = "x^4/4 - x^2 + 2*x"


class Spy:
    """Counts the calls of a view's drawing method (and passes them on)."""

    def __init__(self, owner, name: str):
        self.calls = 0
        self._method = getattr(owner, name)
        setattr(owner, name, self)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self._method(*args, **kwargs)


def streaming(tab) -> None:
    """Settings under which the tab's run goes on until stopped, at full speed."""
    tab.controls.limit.setValue(tab.controls.limit.maximum())
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    if tab.title == "Regression":
        tab.rate.setValue(1e-5)
    elif tab.title == "2-2-1 Network":
        tab.rate.setValue(1e-3)
    elif tab.title == "Newton 2-D":
        tab.function_box.set_text(CYCLE + " + y^2")
        tab.set_start((0.0, 0.0))
    elif tab.title == "Hessian Explorer":
        assert tab.box.set_text(CYCLE + " + y^2")
        tab.set_point((0.0, 0.0))
    assert tab.engine.speed == 0


def text_view(tab) -> tuple[object, str]:
    """The text view a tab redraws for every shown step: (owner, method name)."""
    if tab.title == "2-2-1 Network":
        return tab.chain, "show_chain"
    if tab.title == "Hessian Explorer":
        return tab.numbers, "show_analysis"
    return tab.math, "set_lines"


@pytest.mark.parametrize(
    "title", ("Regression", "2-2-1 Network", "Newton 2-D", "Hessian Explorer")
)
def test_text_views_follow_a_full_speed_run_ten_times_a_second(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    streaming(tab)
    texts = Spy(*text_view(tab))
    batches: list[float] = []
    tab.engine.steps_ready.connect(lambda _records: batches.append(time.perf_counter()))
    tab.toggle_play()
    qtbot.waitUntil(lambda: len(batches) >= 40, timeout=TIMEOUT)  # about 1.3 s of batches
    tab.stop()
    elapsed = time.perf_counter() - batches[0]
    assert not tab.engine.running and len(tab.history) > 40
    # the first batch at once, then at most one every TEXT_PERIOD ms, the last when it stops
    assert 2 <= texts.calls <= elapsed * 1000 / TEXT_PERIOD + 2
    assert texts.calls < len(batches)


def test_after_a_full_speed_run_stops_the_math_shows_its_last_step(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    streaming(tab)

    def shown(record) -> str:
        i = shown_example(record, tab.selected)
        return "<br>".join(regression.step_lines(record, tab.prepared, i))

    stopped: list[int] = []

    def stop_when_behind(_records) -> None:
        last = tab.history.last()
        behind = shown(last) not in tab.math.numbers.text()
        if not stopped and tab.shown_index == last.k and behind:
            stopped.append(last.k)  # the plots show this step, the math an earlier one: stop
            tab.stop()

    tab.engine.steps_ready.connect(stop_when_behind)  # (after the tab has drawn the batch)
    tab.toggle_play()
    qtbot.waitUntil(lambda: bool(stopped) and not tab.engine.running, timeout=TIMEOUT)
    last = tab.history.last()  # (the stop also took the steps the worker had made since)
    assert last.k >= stopped[0] and tab.shown_index == last.k == len(tab.history) - 1
    assert shown(last) in tab.math.numbers.text()
    # nothing is held back any more, so no older step can come back later
    assert not any(p.waiting for p in (tab._frames, tab._texts, tab._whole))


def test_a_single_step_and_the_timeline_show_their_text_at_once(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    tab.controls.speed.setValue(tab.controls.speed.maximum())  # (but not running)
    for _ in range(3):
        tab.step()
        tab.take_queued()
        assert f"step {len(tab.history) - 1}" in tab.math.text()
    tab.controls.timeline.setValue(0)
    assert tab.shown_index == 0 and "step 0" in tab.math.text() and "step 2" not in tab.math.text()


class Owner(QObject):
    busy = False


def test_paced_draws_at_once_when_idle_and_the_latest_when_busy(qtbot):
    owner = Owner()
    drawn: list[int] = []
    paced = Paced(drawn.append, 10_000, lambda: owner.busy, owner)
    paced(1)
    paced(2)
    assert drawn == [1, 2]  # idle: every call draws at once
    owner.busy = True
    for i in range(3, 8):
        paced(i)
    assert drawn == [1, 2, 3]  # busy: the first at once (leading edge), the rest wait
    paced.flush()
    assert drawn == [1, 2, 3, 7]  # the latest, and only it
    paced.flush()
    assert drawn == [1, 2, 3, 7]  # nothing waits
    paced(8)
    owner.busy = False
    paced(9)
    paced.flush()
    assert drawn == [1, 2, 3, 7, 9]  # an idle call drops the waiting one: it is older
    owner.busy = True
    paced(10)
    paced.cancel()
    paced.flush()
    assert drawn == [1, 2, 3, 7, 9]  # cancelled (a reset)
