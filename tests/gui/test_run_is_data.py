"""A run is data: quick presses, the settings each step ran with, exact replay.

What a teacher does in class: tap → quickly, change α mid-run and scrub back,
save the lesson and open it again. Each must show what really happened.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.gui.helpers import TIMEOUT, fresh_window, open_tab

TITLES = (
    "Regression",
    "Classification",
    "2-2-1 Network",
    "Newton 1-D",
    "Newton 2-D",
    "Hessian Explorer",
)


def activate(window, qtbot) -> None:
    if not window.isActiveWindow():  # keys reach the active window's shortcuts only
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)


def run_to(qtbot, tab, n: int) -> None:
    """Play at full speed until the tab has ``n`` steps (the step limit stops it)."""
    tab.controls.limit.setValue(n)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.toggle_play()
    qtbot.waitUntil(lambda: len(tab.history) == n and not tab.engine.running, timeout=TIMEOUT)


@pytest.mark.parametrize("title", TITLES)
def test_three_quick_presses_give_three_steps(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    if title == "Hessian Explorer":  # (the default quadratic: Newton arrives in one step)
        assert tab.box.set_text("x^4 + y^4")
        tab.set_point([1.0, 1.0])
    tab.reset()
    activate(window, qtbot)
    for _ in range(3):  # no waiting between the presses
        qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    assert len(tab.history) == 3
    assert tab.history.column(0).tolist() == [0.0, 1.0, 2.0]
    assert tab.status.startswith("Paused at step 2")


def test_many_presses_within_one_frame_each_give_a_step(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    for _ in range(7):
        tab.controls.step_button.click()
    assert tab.queued == 7 and tab.controls.step_button.text() == "Step ▸ +6"
    tab.reset()  # a later command acts after the steps asked for before it
    assert len(tab.history) == 0 and tab.queued == 0
    for _ in range(5):
        tab.controls.step_button.click()
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    assert len(tab.history) == 5 and tab.controls.step_button.text() == "Step ▸"


def test_the_step_queue_is_bounded_and_says_so(window, qtbot):
    from optgui.gui.tab import MAX_QUEUED

    tab = open_tab(window, qtbot, "Regression")
    for _ in range(MAX_QUEUED + 3):
        tab.step()
    assert tab.queued == MAX_QUEUED and "not added" in tab.status
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    assert len(tab.history) == MAX_QUEUED


def test_a_press_while_playing_pauses_then_steps(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(1e-4)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.controls.limit.setValue(10_000_000)
    tab.toggle_play()
    qtbot.waitUntil(lambda: len(tab.history) > 20, timeout=TIMEOUT)
    tab.step()
    assert not tab.engine.running
    before = len(tab.history)
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    assert len(tab.history) == before + 1


def test_a_scrubbed_back_step_shows_the_rate_it_ran_with(window, qtbot):
    """12 steps at α = 0.1, then 1,500 at α = 0.01; step 5 is older than the kept
    records, so it is rebuilt, with α = 0.1 (the issue's report: it said 0.01)."""
    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(0.1)
    for _ in range(12):
        tab.step()
    qtbot.waitUntil(lambda: len(tab.history) == 12, timeout=TIMEOUT)
    kept = tab.history.record(5)
    tab.rate.setValue(0.01)
    run_to(qtbot, tab, 1512)
    assert tab.history.settings_at(5).learning_rate == 0.1
    assert tab.history.settings_at(12).learning_rate == 0.01
    tab.controls.timeline.setValue(5)
    rebuilt = tab.history.record(5)
    assert rebuilt is not kept  # rebuilt from its row …
    assert rebuilt.learning_rate == 0.1  # … with the rate it ran with
    assert np.array_equal(rebuilt.params_next, kept.params_next)
    w1 = tab.model.names.index(tab.model.names[0])
    assert np.array_equal(rebuilt.params_next, tab.history.rows[6, 1 : 1 + len(kept.params)])
    text = tab.math.text()
    assert "α = 0.1)" in text and "0.01" not in text.split("Update with")[1]
    assert f"{kept.params_next[w1]:.4g}".replace("-", "−") in text


def test_newton_scrub_back_shows_the_damping_it_ran_with(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    tab.modified.setChecked(True)
    for _ in range(3):
        tab.step()
    qtbot.waitUntil(lambda: len(tab.history) == 3, timeout=TIMEOUT)
    early = tab.history.settings_at(1)
    tab.modified.setChecked(False)
    tab.step()
    qtbot.waitUntil(lambda: len(tab.history) == 4, timeout=TIMEOUT)
    assert tab.history.settings_at(3) != early
    assert tab.history.settings_at(1) == early


def test_a_saved_run_replays_bit_for_bit(window, qtbot, tmp_path):
    """8 steps at α = 0.05, 8 at α = 0.5, back to step 10 and 5 more at α = 0.2:
    the reopened session has the same numbers to the last bit (the issue's report:
    w1 0.98195 against 0.97698)."""
    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(0.05)
    for rate in (0.05, 0.5):
        tab.rate.setValue(rate)
        for _ in range(8):
            tab.step()
        tab.take_queued()
    assert len(tab.history) == 16
    tab.controls.timeline.setValue(10)  # scrub back, then continue from there
    tab.rate.setValue(0.2)
    for _ in range(5):
        tab.step()
    tab.take_queued()
    assert len(tab.history) == 16 and tab.history.branches == [(10, 5)]
    rates = [tab.history.settings_at(i).learning_rate for i in (0, 7, 8, 10, 11, 15)]
    assert rates == [0.05, 0.05, 0.5, 0.5, 0.2, 0.2]
    window.save_session(tmp_path / "lesson.json")

    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "lesson.json") == ""
    again = other.tab("Regression")
    qtbot.waitUntil(lambda: len(again.history) == 16 and not again.engine.running, timeout=TIMEOUT)
    assert np.array_equal(again.history.rows, tab.history.rows)  # to the last bit
    assert again.history.segments == tab.history.segments
    assert again.history.branches == [(10, 5)]
    other.close()


def test_a_version_1_session_still_opens(window, qtbot, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(
        '{"format": "optgui-session", "version": 1, "current": "Regression", "tabs": '
        '{"Regression": {"speed": 3, "limit": 1000, "steps": 4, "learning_rate": 0.3, '
        '"batch": "full", "init": "course", "seed": 3, "params0": [0.01788628, 0.0], '
        '"selected": 0, "source": "house1", "noise": 0.5, "data_seed": 0, '
        '"normalize": true}}}'
    )
    assert window.open_session(path) == ""
    tab = window.tab("Regression")
    qtbot.waitUntil(lambda: len(tab.history) == 4 and not tab.engine.running, timeout=TIMEOUT)
    assert tab.lesson.learning_rate == 0.3
    assert tab.history.settings_at(3).learning_rate == 0.3


def test_the_exported_history_has_the_settings_of_each_step(window, qtbot, tmp_path):
    import csv

    from optgui.gui import export

    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(0.1)
    for _ in range(3):
        tab.step()
    tab.take_queued()
    tab.rate.setValue(0.4)
    tab.batch.setCurrentIndex(tab.batch.findData("single"))
    for _ in range(2):
        tab.step()
    tab.take_queued()
    path = export.export_history_csv(
        tab.history_columns(), tab.history.rows, tmp_path / "h.csv", tab.history.segments
    )
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[:6] == ["k", "w1", "b", "cost", "grad_w1", "grad_b"]
    rate, batch = header.index("learning_rate"), header.index("batch")
    assert [r[rate] for r in rows[1:]] == ["0.1", "0.1", "0.1", "0.4", "0.4"]
    assert [r[batch] for r in rows[1:]] == ["full"] * 3 + ["single"] * 2
    assert np.array_equal(np.array([r[:6] for r in rows[1:]], dtype=float), tab.history.rows)


def test_steps_asked_for_before_a_change_run_with_the_old_settings(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(0.1)
    tab.step()
    tab.step()  # both still waiting …
    tab.rate.setValue(0.3)  # … when α changes in the same moment
    tab.step()
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    rates = [tab.history.settings_at(i).learning_rate for i in range(3)]
    assert rates == [0.1, 0.1, 0.3]


@pytest.mark.parametrize(
    ("run", "words"),
    [
        ('{"segments": [{"from": 3, "settings": {}}]}', "out of order"),
        ('{"segments": [{"from": 0, "settings": {"learning_rate": -2}}]}', "learning rate"),
        ('{"segments": [{"from": 0, "settings": {}}, {"from": 0, "settings": {}}]}', "order"),
        ('{"segments": ["fast"]}', "damaged"),
        ('{"branches": [[1]]}', "2 numbers"),
    ],
)
def test_a_damaged_run_changes_nothing_and_says_why(window, qtbot, tmp_path, run, words):
    tab = open_tab(window, qtbot, "Regression")
    for _ in range(3):
        tab.step()
    tab.take_queued()
    rows = tab.history.rows.copy()
    path = tmp_path / "damaged.json"
    path.write_text(
        '{"format": "optgui-session", "version": 2, "tabs": {"Regression": '
        '{"steps": 5, "learning_rate": 0.2, "run": ' + run + "}}}"
    )
    reason = window.open_session(path)
    assert words in reason
    assert np.array_equal(tab.history.rows, rows) and tab.lesson.learning_rate != 0.2
