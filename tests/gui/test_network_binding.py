"""The 2-2-1 Network tab's widgets bound to its lesson's settings, and sessions through them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt

from optgui.lessons.network import NetworkLesson
from tests.gui.helpers import TIMEOUT, fresh_window, open_tab, step_to
from tests.lessons.test_network_lesson import SAVED_BY_MAIN

TITLE = "2-2-1 Network"


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, TITLE)


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def choose(qtbot, combo, key: str) -> None:
    """Pick the item with data ``key`` with the arrow keys, as a student would."""
    combo.setFocus()
    arrow = Qt.Key.Key_Down if combo.findData(key) > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentData() != key:
        qtbot.keyClick(combo, arrow)


def click_plane(qtbot, tab, x: float, y: float) -> None:
    qtbot.mouseClick(
        tab.plane.viewport(), Qt.MouseButton.LeftButton, pos=tab.plane.widget_pos(x, y)
    )


def test_the_widgets_write_the_settings(window, qtbot, tab):
    assert tab.lesson == NetworkLesson()
    type_into(qtbot, tab.points, "120")
    qtbot.waitUntil(lambda: len(tab.y) == 120, timeout=TIMEOUT)
    assert tab.lesson.points == 120
    type_into(qtbot, tab.data_seed, "7")
    assert tab.lesson.data_seed == 7 and np.array_equal(tab.X, tab.lesson.data().X)
    choose(qtbot, tab.source, "circles")
    assert tab.lesson.source == "circles"
    assert tab.lesson.noise == 0.1 and tab.noise.value() == pytest.approx(0.1)  # its own noise
    assert tab.dataset.name == "Circles" and tab.noise.isEnabled()
    choose(qtbot, tab.source, "aack")
    assert tab.lesson.source == "aack" and len(tab.y) == 4 and not tab.points.isEnabled()
    type_into(qtbot, tab.width_box, "3")
    qtbot.waitUntil(lambda: tab.model.hidden == 3, timeout=TIMEOUT)
    assert tab.lesson.hidden == 3
    choose(qtbot, tab.activation, "tanh")
    assert tab.lesson.activation == "tanh" and tab.model.activation == "tanh"
    assert "2-3-1 with tanh hidden units" in window.statusBar().currentMessage()
    type_into(qtbot, tab.rate, "0.5")
    assert tab.lesson.learning_rate == 0.5
    factory = tab.make_factory()
    assert factory.settings is tab.lesson  # the run is made from the settings alone
    step_to(qtbot, window, tab, 2)
    assert tab.history.record(1).learning_rate == 0.5


def test_added_points_are_settings(window, qtbot, tab):
    choose(qtbot, tab.click_mode, "add1")
    click_plane(qtbot, tab, 0.0, 0.0)
    qtbot.waitUntil(lambda: len(tab.y) == 201, timeout=TIMEOUT)
    choose(qtbot, tab.click_mode, "add0")
    click_plane(qtbot, tab, 1.0, -1.0)
    qtbot.waitUntil(lambda: len(tab.y) == 202, timeout=TIMEOUT)
    added = tab.lesson.added
    assert [c for _, _, c in added] == [1.0, 0.0]
    assert np.allclose([p[:2] for p in added], [[0, 0], [1, -1]], atol=0.1)
    assert np.array_equal(tab.X[-2:], [p[:2] for p in added])
    assert "(+2 added by clicking)" in tab.data_info.text()
    # a wider network keeps the points; new data drops them
    type_into(qtbot, tab.width_box, "4")
    qtbot.waitUntil(lambda: tab.model.hidden == 4, timeout=TIMEOUT)
    assert tab.lesson.added == added and len(tab.y) == 202
    type_into(qtbot, tab.data_seed, "4")
    qtbot.waitUntil(lambda: len(tab.y) == 200, timeout=TIMEOUT)
    assert tab.lesson.added == () and "added" not in tab.data_info.text()


def test_a_session_round_trip_keeps_the_added_points(window, qtbot, tab, tmp_path):
    choose(qtbot, tab.click_mode, "add1")
    click_plane(qtbot, tab, 0.5, 0.25)
    click_plane(qtbot, tab, -0.5, 1.5)
    qtbot.waitUntil(lambda: len(tab.lesson.added) == 2, timeout=TIMEOUT)
    type_into(qtbot, tab.width_box, "3")
    choose(qtbot, tab.activation, "relu")
    choose(qtbot, tab.batch, "single")
    tab.chain.parameter.setCurrentIndex(tab.chain.parameter.findData("b2"))
    step_to(qtbot, window, tab, 3)
    path = tmp_path / "network.json"
    window.save_session(path)
    saved = json.loads(path.read_text())["tabs"][TITLE]
    assert saved["added"] == [list(p) for p in tab.lesson.added] and saved["parameter"] == "b2"

    other = fresh_window(qtbot)
    assert other.open_session(path) == ""
    again = other.tab(TITLE)
    qtbot.waitUntil(lambda: len(again.history) == 3 and not again.engine.running, timeout=TIMEOUT)
    # the same settings (the base saves the start it drew as params0) and the same start
    assert again.lesson.replace(params0=()) == tab.lesson
    assert np.array_equal(again.params0, tab.params0)
    assert again.width_box.value() == 3 and again.activation.currentData() == "relu"
    assert again.batch.currentData() == "single" and again.source.currentData() == "xor"
    assert np.array_equal(again.X, tab.X) and np.array_equal(again.y, tab.y)
    assert again.chain.parameter.currentData() == "b2" and again.diagram.selected == "b2"
    assert np.array_equal(again.history.rows, tab.history.rows)
    other.close()


def test_a_session_saved_by_main_opens(window, qtbot, tmp_path):
    path = tmp_path / "main.json"
    state = {**SAVED_BY_MAIN, "steps": 2}
    document = {"format": "optgui-session", "version": 1, "current": TITLE, "tabs": {TITLE: state}}
    path.write_text(json.dumps(document))
    assert window.open_session(path) == ""
    tab = window.tab(TITLE)
    qtbot.waitUntil(lambda: len(tab.history) == 2 and not tab.engine.running, timeout=TIMEOUT)
    assert tab.lesson.added == ((0.5, 0.25, 1.0),) and tab.lesson.hidden == 3
    assert tab.width_box.value() == 3 and tab.activation.currentData() == "tanh"
    assert tab.dataset.m == 201 and tab.param_name == "b2"
    assert np.array_equal(tab.history.record(0).params, SAVED_BY_MAIN["params0"])


def test_a_damaged_network_session_changes_nothing(window, qtbot, tab, tmp_path):
    before = tab.lesson
    path = tmp_path / "bad.json"
    state = {**SAVED_BY_MAIN, "added": [[0.5, 0.25, 2.0]]}
    document = {"format": "optgui-session", "version": 1, "current": TITLE, "tabs": {TITLE: state}}
    path.write_text(json.dumps(document))
    message = window.open_session(path)
    assert "class should be 0 or 1" in message
    assert tab.lesson == before and tab.width_box.value() == 2 and len(tab.y) == 200
