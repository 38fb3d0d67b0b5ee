"""The Derivation page: → reveals the slides' lines one at a time, then steps the run."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from optgui.lessons.derivation import Line, Table, derivation
from tests.gui.helpers import open_tab


def three_lines():
    return [
        derivation(
            "A test",
            Line("first", "a = 1"),
            Line("second", "b = a + 1 = 2"),
            Table(["case", "verdict"], [["a > 0", "up"], ["a < 0", "down"]], highlight=0),
            slides="slides 1–3",
            note="The app says it differently here.",
        ),
        derivation("Another", "just words"),
    ]


def show_derivation(window, qtbot, title="Regression"):
    tab = open_tab(window, qtbot, title)
    tab.derivations = three_lines  # (the lesson's builders, replaced)
    tab.derivation.set_source(tab.derivations)
    pages = next(p for p in tab.findChildren(QTabWidget) if p.objectName() == "math_pages")
    pages.setCurrentWidget(tab.derivation)
    qtbot.waitUntil(tab.derivation.isVisible)
    return tab


def test_right_reveals_the_next_line_then_steps_the_run(window, qtbot):
    tab = show_derivation(window, qtbot)
    panel = tab.derivation
    assert panel.shown_lines() == ["first a = 1"]
    assert "line 1 of 3 · slides 1–3" in panel.where.text() and panel.note.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert panel.shown_lines()[1] == "second b = a + 1 = 2" and len(tab.history) == 0
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert panel.remaining == 0 and "a > 0 | up" in panel.shown_lines()[2]
    table = panel.findChild(QWidget, "derivation_table")
    assert table is not None and table.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Right)  # every line is shown: → steps the run
    qtbot.waitUntil(lambda: len(tab.history) >= 1)
    qtbot.keyClick(window, Qt.Key.Key_Left)  # … and ← takes a line back first
    assert panel.revealed == 2


def test_formulas_carry_their_source_and_a_new_choice_starts_at_its_first_line(window, qtbot):
    tab = show_derivation(window, qtbot)
    panel = tab.derivation
    panel.reveal_all()
    sources = [f.accessibleName() for f in panel.findChildren(QWidget) if f.isVisible()]
    assert "b = a + 1 = 2" in sources
    panel.choose("Another")
    assert panel.revealed == 1 and panel.shown_lines() == ["just words"]
    assert not panel.next_button.isEnabled()


def test_the_derivation_is_a_view_of_the_stage(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    window.set_presentation(True)
    names = [view.name for view in tab.stage.views]
    assert names[-1] == "Derivation"
    qtbot.keyClick(window, Qt.Key.Key_1 + len(names) - 1)
    assert tab.stage.isAncestorOf(tab.derivation) and tab.derivation.isVisible()
