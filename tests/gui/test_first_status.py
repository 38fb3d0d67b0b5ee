"""A tab opens saying what it is, not "Reset"; R says "Reset" once there was a run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from optgui.lessons.openings import opening
from optgui.tabs import TABS
from tests.gui.helpers import open_tab, step_to


@pytest.mark.parametrize("title", [t for t, _ in TABS])
def test_a_tab_opens_with_what_it_is(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    first = window.statusBar().currentMessage()
    assert first == tab.status and first
    assert "Reset" not in first
    qtbot.keyClick(window, Qt.Key.Key_R)  # nothing to reset yet: the same words
    assert window.statusBar().currentMessage() == first
    step_to(qtbot, window, tab, 2)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.statusBar().currentMessage().startswith("Reset: back to the starting values")
    assert len(tab.history) == 0


def test_the_newton_and_network_tabs_say_what_they_show(window, qtbot):
    for title in ("2-2-1 Network", "Newton 1-D", "Newton 2-D"):
        tab = open_tab(window, qtbot, title)
        assert tab.status == opening(title)
        assert tab.status.startswith(f"{title}: ") and "Space plays" in tab.status
