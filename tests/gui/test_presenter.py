"""The teacher's tools (pointer, pen, step counter, next-step caption), driven by real
key presses and mouse events on the real window."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLineEdit

from optgui.gui.presenter import KEYS
from tests.gui.helpers import open_tab, step_to

L, D, C, K, W = (getattr(Qt.Key, f"Key_{k}") for k in "LDCKW")


@pytest.fixture
def active(window, qtbot):
    """The window, active (the window's letter keys act in the active window only)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def overlay(window):
    return window.presenter.overlay


def at(window, widget, point: QPoint) -> QPoint:
    """``point`` of ``widget`` in the overlay's coordinates."""
    return widget.mapTo(window.centralWidget(), point)


def click_through_window(qtbot, window, widget, point: QPoint) -> None:
    """A click where ``point`` of ``widget`` is on screen, delivered to whatever is on top
    there (as a real mouse's: ``qtbot.mouseClick(widget)`` would go to ``widget`` itself)."""
    where = widget.mapTo(window, point)
    qtbot.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )


def drag(qtbot, widget, points: list[QPoint]) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(widget, p)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=points[-1])


def test_the_keys_are_in_the_help(window):
    from optgui.gui.keys_help import rows

    keys = dict(rows(window))
    for key, text in KEYS:
        assert keys[key] == text
    assert [k.split()[0] for k, _ in KEYS] == ["L", "D", "C", "K", "W"]


def test_holding_l_shows_the_pointer_at_the_mouse_and_releasing_hides_it(active, qtbot):
    window, layer = active, overlay(active)
    plot = window.current.cost_plot
    qtbot.mouseMove(plot, QPoint(60, 50))
    assert not layer.isVisible()
    qtbot.keyPress(window, L)
    assert layer.isVisible() and layer.pointer is not None
    assert layer.pointer.toPoint() == at(window, plot, QPoint(60, 50))
    assert layer.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    # the highlight is painted: a red ring around the mouse, large enough for the back row
    radius = layer.pointer_radius
    assert 60 <= 2 * radius <= 200
    ring = layer.grab().toImage().pixelColor(layer.pointer.toPoint() + QPoint(int(radius), 0))
    assert ring.red() > 180 and ring.green() < 120 and ring.blue() < 120
    qtbot.mouseMove(plot, QPoint(120, 80))  # it follows the mouse
    qtbot.waitUntil(lambda: layer.pointer.toPoint() == at(window, plot, QPoint(120, 80)))
    # the key's auto-repeat (a release and a press while held) changes nothing
    for kind in (QEvent.Type.KeyRelease, QEvent.Type.KeyPress):
        repeat = QKeyEvent(kind, L, Qt.KeyboardModifier.NoModifier, "l", True)
        QApplication.sendEvent(window, repeat)
    assert layer.pointer is not None
    qtbot.keyRelease(window, L)
    assert layer.pointer is None and not layer.isVisible()


def test_pen_draws_strokes_that_belong_to_the_screen_not_the_run(active, qtbot, tmp_path):
    window, layer = active, overlay(active)
    tab = window.current
    step_to(qtbot, window, tab, 2)
    window.save_session(tmp_path / "before.json")
    qtbot.keyClick(window, D)
    assert layer.drawing and layer.isVisible()
    assert not layer.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    drag(qtbot, layer, [QPoint(100, 200), QPoint(140, 220), QPoint(180, 260), QPoint(220, 250)])
    assert len(layer.strokes) == 1 and len(layer.strokes[0]) == 4
    drag(qtbot, layer, [QPoint(300, 200), QPoint(320, 240)])
    assert [len(s) for s in layer.strokes] == [4, 2]
    stroke = layer.grab().toImage().pixelColor(QPoint(140, 220))
    assert (stroke.red(), stroke.green(), stroke.blue()) == (0xE6, 0x00, 0x7E)
    # not in the session: saved with the drawing, the file is the same as without
    window.save_session(tmp_path / "after.json")
    before = json.loads((tmp_path / "before.json").read_text(encoding="utf-8"))
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    assert after == before
    qtbot.keyClick(window, D)  # the pen away: the drawing stays, clicks go through again
    assert not layer.drawing and len(layer.strokes) == 2
    assert layer.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    qtbot.keyClick(window, C)
    assert layer.strokes == [] and not layer.isVisible()
    qtbot.keyClick(window, D)
    drag(qtbot, layer, [QPoint(100, 100), QPoint(150, 150)])
    assert len(layer.strokes) == 1
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # another tab
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 1)
    assert layer.strokes == []
    assert layer.drawing  # (the pen stays in the hand)


def test_while_drawing_a_click_on_the_map_does_not_move_the_start(active, qtbot):
    window, layer = active, overlay(active)
    tab = open_tab(window, qtbot, "Newton 2-D")
    start = tab.binding.settings.start
    qtbot.keyClick(window, D)
    click_through_window(qtbot, window, tab.map.viewport(), tab.map.widget_point(-2.0, 3.0))
    assert tab.binding.settings.start == start
    assert len(layer.strokes) == 1  # the click made a dot of ink instead
    qtbot.keyClick(window, D)  # pen away: the same click now sets the start
    click_through_window(qtbot, window, tab.map.viewport(), tab.map.widget_point(-2.0, 3.0))
    qtbot.waitUntil(lambda: tab.binding.settings.start != start)
    x, y = tab.binding.settings.start
    assert x == pytest.approx(-2.0, abs=0.05) and y == pytest.approx(3.0, abs=0.05)


def test_k_shows_a_counter_that_follows_the_steps(active, qtbot):
    window, layer = active, overlay(active)
    tab = window.current
    qtbot.keyClick(window, K)
    assert layer.isVisible() and layer.counter == "start"
    step_to(qtbot, window, tab, 4)
    qtbot.waitUntil(lambda: layer.counter == "step 3")
    qtbot.keyClick(window, Qt.Key.Key_Left)  # the timeline back one: the counter follows
    qtbot.waitUntil(lambda: layer.counter == "step 2")
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: layer.counter == "start")
    qtbot.keyClick(window, K)
    assert layer.counter == "" and not layer.isVisible()


def test_w_shows_what_the_next_step_will_do_with_the_current_rate(active, qtbot):
    window, layer = active, overlay(active)
    tab = window.current  # Regression
    qtbot.keyClick(window, W)
    assert layer.caption.startswith("Next, step 0: w₁ and b each move")
    assert "α = 0.1 " in layer.caption and "mean squared error" in layer.caption
    step_to(qtbot, window, tab, 3)
    qtbot.waitUntil(lambda: layer.caption.startswith("Next, step 3:"))
    rate = tab.findChild(QDoubleSpinBox, "learning_rate")
    rate.setValue(0.25)  # (as the student's edit: the binding reports it)
    qtbot.waitUntil(lambda: "α = 0.25 " in layer.caption)
    # the caption sits above the run controls, across the window
    box = layer._caption_rect
    assert box.bottom() < at(window, tab.controls, QPoint(0, 0)).y()
    assert box.width() > 0.9 * layer.width()
    qtbot.keyClick(window, W)
    assert layer.caption == "" and not layer.isVisible()


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Classification", "log loss"),
        ("2-2-1 Network", "chain rule"),
        ("Newton 1-D", "tangent of g′ at x₂"),
        ("Newton 2-D", "H·s = ∇f"),
        ("Hessian Explorer", "Newton's walk"),
    ],
)
def test_every_tab_has_a_caption(active, qtbot, title, words):
    window, layer = active, overlay(active)
    tab = open_tab(window, qtbot, title)
    qtbot.keyClick(window, W)
    step_to(qtbot, window, tab, 2)
    qtbot.waitUntil(lambda: layer.caption.startswith("Next, step 2:"))
    assert words in layer.caption


def play_to_the_end(qtbot, window, tab) -> None:
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tab.engine.state == "finished", timeout=20_000)


def test_caption_says_when_the_run_is_over(active, qtbot):
    window, layer = active, overlay(active)
    tab = open_tab(window, qtbot, "Newton 1-D")  # both methods converge (step 47)
    qtbot.keyClick(window, W)
    play_to_the_end(qtbot, window, tab)
    qtbot.waitUntil(lambda: layer.caption.startswith("Both methods have converged"))
    assert layer.caption.endswith("→ does nothing more; R starts again.")
    before = len(tab.history)
    qtbot.keyClick(window, Qt.Key.Key_Right)  # (as the caption says)
    assert len(tab.history) == before


def test_caption_after_the_step_limit_still_describes_the_next_step(active, qtbot):
    window, layer = active, overlay(active)
    tab = open_tab(window, qtbot, "Newton 2-D")  # the limit (300) stops gradient descent
    qtbot.keyClick(window, W)
    play_to_the_end(qtbot, window, tab)
    qtbot.waitUntil(lambda: layer.caption.startswith("Next, step 300: Newton has converged"))
    assert "gradient descent steps α·∇f downhill" in layer.caption
    qtbot.keyClick(window, Qt.Key.Key_Right)  # (→ does take it)
    qtbot.waitUntil(lambda: len(tab.history) == 301)


def test_letters_typed_into_a_text_box_are_typed_and_switch_nothing(active, qtbot):
    window, layer = active, overlay(active)
    tab = open_tab(window, qtbot, "Newton 2-D")
    edit = tab.findChild(QLineEdit, "function")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.end(False)
    before = edit.text()
    qtbot.keyClicks(edit, "ldkwcLDKWC")
    qtbot.keyPress(edit, L)
    assert layer.pointer is None
    qtbot.keyRelease(edit, L)
    assert edit.text() == before + "ldkwcLDKWCl"
    assert not layer.isVisible()
    assert (layer.drawing, layer.counter, layer.caption) == (False, "", "")
    tab.controls.play_button.setFocus()  # out of the text box, the same key acts
    qtbot.waitUntil(tab.controls.play_button.hasFocus)
    qtbot.keyClick(tab.controls.play_button, K)
    assert layer.counter == "start"
