"""Tabs are built when first shown: the window appears fast and nothing is lost."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.helpers import TIMEOUT, open_tab
from tests.gui.test_session import fresh_window


class _WindowsShown(QObject):
    """Counts widgets other than the main window shown as windows of their own."""

    def __init__(self):
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if (
            event.type() == QEvent.Type.Show
            and isinstance(obj, QWidget)
            and obj.isWindow()
            and obj.objectName() != "main_window"
        ):
            self.shown.append(type(obj).__name__)
        return False


def test_only_the_tab_in_front_is_built_at_start(window):
    assert [tab.title for tab in window.built_tabs()] == ["Regression"]
    assert window.current.title == "Regression"


def test_building_a_tab_opens_no_stray_window_and_keys_keep_working(window, qtbot):
    probe = _WindowsShown()
    QApplication.instance().installEventFilter(probe)
    try:
        for i in range(window.tabs.count()):
            tab = open_tab(window, qtbot, window.tabs.tabText(i))
            before = len(tab.history)
            qtbot.keyClick(window, Qt.Key.Key_Right)
            qtbot.waitUntil(
                lambda tab=tab, b=before: len(tab.history) == b + 1 and not tab.engine.running,
                timeout=TIMEOUT,
            )
            qtbot.keyClick(window, Qt.Key.Key_Right)  # the window still has the keyboard
            qtbot.waitUntil(
                lambda tab=tab, b=before: len(tab.history) == b + 2 and not tab.engine.running,
                timeout=TIMEOUT,
            )
            assert window.isActiveWindow(), tab.title
    finally:
        QApplication.instance().removeEventFilter(probe)
    assert probe.shown == []  # (a widget shown before it has a parent flashes up as a window)


def test_a_tab_not_yet_shown_keeps_its_saved_state(window, qtbot, tmp_path):
    window.tab("Newton 1-D").set_start(1.6)
    window.save_session(tmp_path / "a.json")
    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "a.json") == ""
    assert "Newton 1-D" not in [tab.title for tab in other.built_tabs()]
    other.save_session(tmp_path / "b.json")  # saved again without ever being shown
    saved = json.loads((tmp_path / "b.json").read_text())["tabs"]["Newton 1-D"]
    assert saved == json.loads((tmp_path / "a.json").read_text())["tabs"]["Newton 1-D"]
    assert open_tab(other, qtbot, "Newton 1-D").x0 == 1.6
    other.close()


def test_a_damaged_state_of_a_tab_not_yet_shown_gives_a_message(window, qtbot, tmp_path):
    path = tmp_path / "s.json"
    window.save_session(path)
    document = json.loads(path.read_text())
    document["tabs"]["Newton 1-D"] = {"x0": "far away"}
    path.write_text(json.dumps(document))
    assert window.open_session(path) == ""
    tab = open_tab(window, qtbot, "Newton 1-D")
    assert tab.x0 == 0.05  # the slides' start, untouched
    assert "not restored" in window.statusBar().currentMessage()


def test_a_new_step_number_does_not_lay_out_the_window_again(window, qtbot):
    """The timeline label changes every frame; it must not ask the whole window to
    lay out again (that cost a few milliseconds per frame)."""

    class Layouts(QObject):
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.LayoutRequest and obj in (window, window.tabs):
                Layouts.count += 1
            return False

    tab = window.current
    numbers = (9, 10, 99, 100, 12_345, 1_000_000)
    for n in (1, 2, 3, *numbers):  # (the first steps enable the timeline; what the
        tab.controls.set_history_length(n)  # window still had to lay out is done)
        QApplication.processEvents()
    probe = Layouts()
    QApplication.instance().installEventFilter(probe)
    try:
        for n in numbers:
            tab.controls.set_history_length(n + 1)
            QApplication.processEvents()
    finally:
        QApplication.instance().removeEventFilter(probe)
    assert tab.controls.timeline_label.text() == "step 1000000 of 1000000"
    assert Layouts.count == 0
