"""The Newton tabs' Derivation pages: every formula typesets, → reveals the lines in order,
and the slides' errata appear at their steps of the slides' presets."""

from __future__ import annotations

from itertools import islice

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from optgui.gui import mathtext
from optgui.lessons import newton1d, newton2d
from optgui.lessons import newton_derivations as nd
from optgui.lessons.derivation import Line
from optgui.lessons.newton1d import Newton1DSettings
from optgui.lessons.newton2d import Newton2DSettings
from optgui.lessons.race import parse, preview
from tests.gui.helpers import open_tab, step_to
from tests.gui.test_newton1d import choose_preset


def every_derivation():
    """The derivations of each preset of both tabs: before a start, the preview and the first
    steps (modified Newton too)."""
    for preset in newton1d.PRESETS:
        settings = preset.apply(Newton1DSettings())
        function = parse(settings)
        yield from nd.newton1d_derivations(settings, None, function)
        records = [preview(settings, function), *islice(newton1d.factory(settings)(None), 7)]
        for record in records:
            at = nd.at_record(record, settings, function)
            yield from nd.newton1d_derivations(settings, at, function)
    for preset in newton2d.PRESETS:
        for modified in (False, True):
            settings = preset.apply(Newton2DSettings(modified=modified))
            function = parse(settings)
            yield from nd.newton2d_derivations(settings, None)
            records = [preview(settings, function), *islice(newton2d.factory(settings)(None), 4)]
            for record in records:
                yield from nd.newton2d_derivations(
                    settings, nd.at_record(record, settings, function)
                )


def test_every_line_of_every_newton_derivation_typesets(qapp):
    formulas = {
        line.latex
        for d in every_derivation()
        for line in d.lines
        if isinstance(line, Line) and line.latex
    }
    assert len(formulas) > 100
    for latex in sorted(formulas):
        mathtext.pixmap(latex)  # raises ValueError where mathtext cannot read it


# ============================================================== in the window


def show_derivation(qtbot, tab, title: str):
    """The tab's Derivation page on screen, showing ``title`` from its first line."""
    columns = tab.columns
    if columns.narrow:  # (the table and the math share the side column as tabs)
        columns.tabs.setCurrentWidget(columns.math_panel)
    pages = columns.math_panel
    pages.setCurrentWidget(tab.derivation)
    qtbot.waitUntil(tab.derivation.isVisible)
    tab.derivation.choose(title)
    return tab.derivation


def press_right(qtbot, window) -> None:
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Right)


@pytest.mark.parametrize(
    ("title", "lines"),
    [(nd.ROOT_FINDING, 10), (nd.SECOND_DERIVATIVE, 7), (nd.BRIDGE, 6)],
)
def test_right_reveals_newton_1d_lines_in_order_then_steps(window, qtbot, title, lines):
    tab = open_tab(window, qtbot, "Newton 1-D")
    choose_preset(qtbot, tab, 0)
    panel = show_derivation(qtbot, tab, title)
    expected = panel.current.plain()
    assert len(expected) == lines and panel.shown_lines() == expected[:1]
    for n in range(2, lines + 1):
        press_right(qtbot, window)
        assert panel.shown_lines() == expected[:n]
    assert len(tab.history) == 0  # → revealed lines: no step was taken
    press_right(qtbot, window)  # every line shown: → takes Newton's first step
    qtbot.waitUntil(lambda: len(tab.history) == 1 and not tab.engine.running)
    press_right(qtbot, window)
    qtbot.waitUntil(lambda: len(tab.history) == 2 and not tab.engine.running)
    qtbot.waitUntil(lambda: "0.097247647" in panel.current.text())  # step 1, from x₁
    assert panel.shown_lines() == panel.current.plain()  # (still every line)


def test_newton_2d_matrix_step_revealed_in_order_with_the_steps_numbers(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    choose_preset(qtbot, tab, 0)
    panel = show_derivation(qtbot, tab, nd.MATRIX_STEP)
    expected = panel.current.plain()
    for n in range(2, len(expected) + 1):
        press_right(qtbot, window)
        assert panel.shown_lines() == expected[:n]
    text = "\n".join(panel.shown_lines())
    assert "{277.6}{213.6}" in text and "{2.5827387}{2.6212888}" in text
    assert not panel.note.isVisible()


def test_the_x3_and_0447_errata_appear_at_their_steps_of_the_slides_preset(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 1-D")
    choose_preset(qtbot, tab, 0)
    step_to(qtbot, window, tab, 5)  # (→ steps: the derivation is not on screen yet)
    panel = show_derivation(qtbot, tab, nd.ROOT_FINDING)
    math = tab.findChild(QLabel, "math_numbers")
    for k, said in ((2, "rounds to 0.321"), (3, "x₃ = 0.320"), (4, "0.447")):
        tab.controls.timeline.setValue(k)
        qtbot.waitUntil(lambda s=said: s in panel.note.text())
        assert panel.note.isVisible() and said in math.text()
    for k in (0, 1):
        tab.controls.timeline.setValue(k)
        qtbot.waitUntil(lambda: not panel.note.isVisible())
        assert "0.320" not in math.text()


def test_the_second_step_erratum_appears_on_the_slides_preset_of_newton_2d(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    choose_preset(qtbot, tab, 0)
    step_to(qtbot, window, tab, 3)
    panel = show_derivation(qtbot, tab, nd.MATRIX_STEP)
    tab.controls.timeline.setValue(1)
    qtbot.waitUntil(panel.note.isVisible)
    assert "[84.25, 63.4]" in panel.note.text() and "[84.2456, 64.2044]" in panel.note.text()
    assert "84.25" in tab.math.text()
    tab.controls.timeline.setValue(2)
    qtbot.waitUntil(lambda: not panel.note.isVisible())
    assert "84.25" not in tab.math.text()
