"""The Hessian Explorer tab: the slides' analysis at any point of any typed function."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget

from tests.gui.helpers import TIMEOUT, number, open_tab, step_to, wait_for_verdict

TITLE = "Hessian Explorer"


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, TITLE)


def analysis(tab) -> dict[str, str]:
    table = tab.findChild(QTableWidget, "analysis")
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def eigenvalues(tab) -> list[float]:
    """λ₁, λ₂, … as the table lists them (the slides' order: λ₁ the largest)."""
    rows = analysis(tab)
    return [number(v) for k, v in rows.items() if k.startswith("λ")]


def type_function(qtbot, tab, text: str) -> None:
    edit = tab.findChild(QLineEdit, "function")
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    wait_for_verdict(qtbot, edit)


def type_point(qtbot, tab, **coords: float) -> None:
    for name, value in coords.items():
        edit = tab.findChild(QLineEdit, f"point_{name}")
        edit.selectAll()
        qtbot.keyClicks(edit, str(value))
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def all_table_text(tab, name: str) -> str:
    table = tab.findChild(QTableWidget, name)
    return " ".join(
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c) is not None
    )


@pytest.mark.parametrize(
    ("preset", "poly", "values", "verdict"),
    [
        (0, "λ² − 10λ + 23", (6.4142, 3.5858), "minimum"),
        (1, "λ² + 10λ + 23", (-3.5858, -6.4142), "maximum"),
        (2, "λ² − 16", (4.0, -4.0), "saddle"),
    ],
)
def test_slides_presets_at_origin(tab, qtbot, preset, poly, values, verdict):
    tab.box.choose_preset(preset)
    type_point(qtbot, tab, x=0, y=0)
    rows = analysis(tab)
    assert rows["point (x, y)"] == "(0, 0)"
    assert rows["∇f"] == "(0, 0)"
    assert rows["det(H − λI)"] == poly
    assert eigenvalues(tab) == pytest.approx(values, abs=1e-3)
    assert verdict in rows["verdict"].lower()
    assert "not" not in rows["critical point?"]
    shown = {round(v, 2) for v in eigenvalues(tab)}
    assert shown == {round(v, 2) for v in values}
    assert tab.findChild(QLabel, "errata").isVisible() == (preset == 1)


def test_newton_function_at_origin(tab, qtbot):
    tab.box.choose_preset(3)
    type_point(qtbot, tab, x=0, y=0)
    assert eigenvalues(tab) == pytest.approx([8.2361, 3.7639], abs=1e-4)
    assert "minimum" in analysis(tab)["verdict"].lower()


@pytest.mark.parametrize("preset", [4, 5])
def test_flat_cases_need_more_information(tab, qtbot, preset):
    tab.box.choose_preset(preset)
    type_point(qtbot, tab, x=0, y=0)
    assert eigenvalues(tab) == pytest.approx([0, 0], abs=1e-12)
    assert "more information" in analysis(tab)["verdict"].lower()


def test_click_on_map_moves_point(tab, qtbot):
    tab.box.choose_preset(0)
    before = analysis(tab)
    cmap = tab.map
    qtbot.mouseClick(cmap.viewport(), Qt.MouseButton.LeftButton, pos=cmap.widget_point(1, 1))
    qtbot.waitUntil(lambda: analysis(tab)["point (x, y)"] != before["point (x, y)"])
    x, y = tab.point
    assert x == pytest.approx(1, abs=0.1) and y == pytest.approx(1, abs=0.1)
    rows = analysis(tab)
    gx, gy = (number(v) for v in rows["∇f"].strip("()").split(","))
    assert (gx, gy) == pytest.approx((4 * x - y, 6 * y - x), rel=1e-3)
    assert "not a critical point" in rows["verdict"].lower()
    # the local curvature is still described (H is the same everywhere for a quadratic)
    assert eigenvalues(tab) == pytest.approx((6.4142, 3.5858), abs=1e-3)
    assert "curves up in every direction" in rows["curvature here"]


def test_drag_on_map_moves_point(tab, qtbot, monkeypatch):
    # pyqtgraph drops mouse moves closer than 10 ms apart; synthetic ones come faster
    monkeypatch.setitem(pg.CONFIG_OPTIONS, "mouseRateLimit", 0)
    tab.box.choose_preset(2)
    cmap = tab.map
    viewport = cmap.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=cmap.widget_point(0.5, 0.5))
    for t in np.linspace(0.5, 1.0, 6):
        qtbot.mouseMove(viewport, pos=cmap.widget_point(t, -t))
    # the point follows the mouse while the button is still down
    assert tab.point == pytest.approx([1.0, -1.0], abs=0.1)
    assert number(analysis(tab)["f"]) == pytest.approx(0.0, abs=0.5)
    for t in np.linspace(1.0, 1.5, 4):
        qtbot.mouseMove(viewport, pos=cmap.widget_point(t, -t))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=cmap.widget_point(1.5, -1.5))
    assert tab.point == pytest.approx([1.5, -1.5], abs=0.1)


def test_critical_points_of_newton_function(tab, qtbot):
    tab.box.choose_preset(3)
    qtbot.waitUntil(lambda: "minimum" in all_table_text(tab, "critical_points"), timeout=TIMEOUT)
    assert "(0, 0)" in all_table_text(tab, "critical_points")
    assert tab.point == pytest.approx([4, 4])
    table = tab.findChild(QTableWidget, "critical_points")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "(0, 0)")
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert analysis(tab)["point (x, y)"] == "(0, 0)"
    assert "minimum" in analysis(tab)["verdict"].lower()


def test_critical_list_follows_the_function(tab, qtbot):
    tab.box.choose_preset(5)  # x^4 + y^4: Newton converges slowly, the search takes a while
    tab.box.choose_preset(2)  # and at once another function
    qtbot.waitUntil(lambda: "saddle" in all_table_text(tab, "critical_points"), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not tab.finder.running, timeout=TIMEOUT)
    assert all_table_text(tab, "critical_points") == "(0, 0) 0 saddle"


def test_timeline_scrubs_the_walk(window, tab, qtbot):
    tab.box.choose_preset(3)  # the Newton 2-D function from (4, 4)
    step_to(qtbot, window, tab, 3)
    assert tab.point == pytest.approx([0.87058917, 1.00182107], abs=1e-7)
    tab.controls.timeline.setValue(0)
    assert tab.point == pytest.approx([2.58273866, 2.62128884], abs=1e-7)
    assert analysis(tab)["point (x, y)"] == "(2.583, 2.621)"


def test_bad_function_shows_parser_message(tab, qtbot):
    tab.box.choose_preset(0)
    before = analysis(tab)
    type_function(qtbot, tab, "2x^2 + y^2")
    error = tab.findChild(QLabel, "function_error")
    assert error.isVisible()
    assert "write 2*x" in error.text()
    assert analysis(tab) == before
    assert tab.function_full.text == "2*x^2 + 3*y^2 - x*y"


def test_outside_the_domain_shows_a_sentence(tab, qtbot):
    type_function(qtbot, tab, "log(x) + y^2")
    type_point(qtbot, tab, x=-1, y=0)
    text = all_table_text(tab, "analysis")
    assert "not defined" in text
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_three_variables(tab, qtbot):
    type_function(qtbot, tab, "x^2 + 2*y^2 - z^2 + x*y")
    type_point(qtbot, tab, x=0, y=0, z=0)
    rows = analysis(tab)
    assert "H row 3" in rows
    assert rows["det(H − λI)"] == "−λ³ + 4λ² + 5λ − 14"  # the slides' det(H − λI), as in 2-D
    assert eigenvalues(tab) == pytest.approx(
        sorted([-2, 3 - math.sqrt(2), 3 + math.sqrt(2)], reverse=True), abs=1e-4
    )
    assert "saddle" in rows["verdict"].lower()
    note = tab.findChild(QLabel, "slice_note")
    assert note.isVisible() and "z = 0" in note.text()


def test_newton_walk_steps_and_plays(tab, qtbot):
    tab.box.choose_preset(3)  # starts at (4, 4)
    step = tab.findChild(QPushButton, "step")
    qtbot.mouseClick(step, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tab.history) == 1 and not tab.engine.running, timeout=TIMEOUT)
    assert tab.point == pytest.approx([2.58273866, 2.62128884], abs=1e-7)
    tab.engine.set_speed(0)
    qtbot.mouseClick(tab.findChild(QPushButton, "play"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.engine.state == "finished", timeout=TIMEOUT)
    assert np.abs(tab.point).max() < 1e-8
    assert "minimum" in analysis(tab)["verdict"].lower()


def test_tab_works_without_3d(qtbot, monkeypatch):
    from optgui.app import application
    from optgui.gui import surface3d
    from optgui.tabs.hessian import HessianTab

    application()
    monkeypatch.setattr(surface3d, "gl_unavailable_reason", lambda: "no OpenGL (test)")
    tab = HessianTab()
    qtbot.addWidget(tab)
    tab.show()
    off = tab.findChild(QLabel, "surface3d_off")
    assert off is not None and "3D view is off" in off.text()
    tab.box.choose_preset(0)
    assert "minimum" in analysis(tab)["verdict"].lower()
    tab.stop()


def test_gl_view_that_fails_to_build_falls_back(qtbot, monkeypatch):
    from optgui.app import application
    from optgui.gui import surface3d

    application()
    monkeypatch.setattr(surface3d, "gl_unavailable_reason", lambda: None)

    def broken(self, layout, legend):
        raise RuntimeError("no context")

    monkeypatch.setattr(surface3d.Surface3D, "_build", broken)
    view = surface3d.Surface3D("f")
    qtbot.addWidget(view)
    assert not view.available
    assert "3D view is off" in view.findChild(QLabel, "surface3d_off").text()
    view.show_surface(np.zeros(3), np.zeros(3), np.zeros((3, 3)))  # a no-op, no crash


def test_no_gl_switch(monkeypatch):
    from optgui.gui import surface3d

    monkeypatch.setenv("OPTGUI_NO_GL", "1")
    assert "OPTGUI_NO_GL" in surface3d.gl_unavailable_reason()


def test_search_pauses_away_from_the_tab_and_resumes(window, tab, qtbot):
    tab.box.choose_preset(5)  # x^4 + y^4: a search that takes a while
    qtbot.waitUntil(lambda: tab.finder.running, timeout=TIMEOUT)
    open_tab(window, qtbot, "Newton 2-D")  # leaving the tab stops its threads
    assert not tab.finder.running
    open_tab(window, qtbot, TITLE)
    qtbot.waitUntil(
        lambda: "need more info" in all_table_text(tab, "critical_points"), timeout=TIMEOUT
    )


def test_newton_walk_in_three_variables_moves_the_slice(tab, qtbot):
    tab.box.choose_preset(6)  # x² + 2y² − z² + xy: a quadratic, one Newton step to (0, 0, 0)
    type_point(qtbot, tab, x=1, y=1, z=1)
    assert "z = 1" in tab.findChild(QLabel, "slice_note").text()
    qtbot.mouseClick(tab.findChild(QPushButton, "step"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tab.history) == 1 and not tab.engine.running, timeout=TIMEOUT)
    assert tab.point == pytest.approx([0, 0, 0], abs=1e-12)
    assert "z = 0" in tab.findChild(QLabel, "slice_note").text()
    assert "saddle" in analysis(tab)["verdict"]


# ---------------------------------------------------------------- issue 16, item 6


def press_tab_in(qtbot, tab, name: str, text: str) -> QLineEdit:
    """Type ``text`` into the point's box ``name`` and leave it with Tab (no Enter)."""
    edit = tab.findChild(QLineEdit, f"point_{name}")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    return edit


def test_leaving_a_point_box_applies_it_as_enter_does(window, tab, qtbot):
    tab.box.choose_preset(0)  # 2x² + 3y² − xy at (0, 0): a minimum
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    edit = press_tab_in(qtbot, tab, "x", "5")
    qtbot.waitUntil(lambda: not edit.hasFocus())  # (Tab moved on)
    assert tab.binding.settings.point == (5.0, 0.0)
    rows = analysis(tab)
    assert rows["point (x, y)"] == "(5, 0)"
    assert rows["∇f"] == "(20, −5)"  # ∇f = (4x − y, 6y − x), by hand
    assert "not" in rows["verdict"].lower()  # no longer the minimum at (0, 0)
    # tabbing through a box without typing changes nothing (the walk is not restarted)
    step_to(qtbot, window, tab, 1)
    tab.findChild(QLineEdit, "point_y").setFocus()
    qtbot.keyClick(tab.findChild(QLineEdit, "point_y"), Qt.Key.Key_Tab)
    assert len(tab.history) == 1
    # a box left holding no number gets the point back and says why
    edit = press_tab_in(qtbot, tab, "y", "abc")
    qtbot.waitUntil(lambda: not edit.hasFocus())
    error = tab.findChild(QLabel, "point_error")
    assert error.isVisible() and "'abc' is not a number for y" in error.text()
    assert edit.text() == "0" and tab.binding.settings.point == (5.0, 0.0)


def test_a_point_typed_off_the_map_recentres_the_map(tab, qtbot):
    tab.box.choose_preset(0)  # the map shows (0, 0) ± 3
    type_point(qtbot, tab, x=40, y=-25)
    assert tab.binding.settings.point == (40.0, -25.0)
    (x0, x1), (y0, y1) = tab.map.window
    assert x0 < 40 < x1 and y0 < -25 < y1  # on screen now
    assert tab.binding.settings.center == (40.0, -25.0)
    assert "centred on the point" in tab.status
    # a point on the map leaves the map where it is
    type_point(qtbot, tab, x=41, y=-24)
    assert tab.binding.settings.center == (40.0, -25.0)


def test_three_variables_say_on_the_views_which_slice_they_show(tab, qtbot):
    tab.box.choose_preset(6)  # x² + 2y² − z² + xy at (0, 0, 0): a saddle in 3-D
    assert "saddle" in analysis(tab)["verdict"].lower()
    # the map and the 3D view show the slice z = 0, a bowl: they say so themselves
    assert tab.map.slice_label == "slice z = 0: a bowl in x, y — a saddle in x, y, z"
    assert tab.surface.title.text() == (
        "<b>The slice z = 0: f(x, y, 0) and its Taylor paraboloid (a bowl in x, y — a saddle"
        " in x, y, z)</b>"
    )
    tab.box.choose_preset(0)  # two variables: no slice
    assert tab.map.slice_label == ""
    assert tab.surface.title.text() == "<b>f and its Taylor paraboloid near the point</b>"


def hue(color: str) -> float:
    from PySide6.QtGui import QColor

    return QColor(color).hsvHueF() * 360


def test_the_taylor_mesh_is_the_colour_its_caption_names(tab):
    from optgui.gui.hessian_map import COLOR_NAMES, TAYLOR_COLOR

    # hue ranges of the colour words the app uses (degrees)
    words = {"purple": (270, 345), "red": (0, 30), "orange": (30, 50), "blue": (190, 220)}
    assert tab.surface.mesh_color == TAYLOR_COLOR
    name = COLOR_NAMES[tab.surface.mesh_color]
    low, high = words[name]
    assert low <= hue(tab.surface.mesh_color) <= high
    assert tab.surface.legend_text.startswith(f"Coloured surface: f.  {name.capitalize()} mesh:")
    # the map draws the same paraboloid in the same colour
    assert tab.map.taylor_lines.opts["pen"].color().name().upper() == TAYLOR_COLOR.upper()


def test_the_3d_view_names_its_axes_on_screen(qtbot):
    """Needs OpenGL (a display, e.g. xvfb-run with QT_QPA_PLATFORM=xcb); skipped without."""
    from optgui.gui import surface3d

    if surface3d.gl_unavailable_reason() is not None:
        pytest.skip(f"no 3D view here: {surface3d.gl_unavailable_reason()}")
    view = surface3d.Surface3D("f")
    qtbot.addWidget(view)
    view.resize(500, 400)
    xs = np.linspace(-1, 1, 21)
    X, Y = np.meshgrid(xs, xs)
    view.show_surface(xs, xs, X**2 + Y**2, X**2 + Y**2, (0.0, 0.0, 0.0))
    view.show()
    qtbot.waitExposed(view)
    view.set_axis_names("x", "y", "f(x, y, 1)")
    names = {key: label for key, label in view.view.names.items()}
    assert [names[k].text() for k in ("x", "y", "f")] == ["x", "y", "f(x, y, 1)"]
    inside = view.view.rect()
    for label in names.values():  # shown over the view, whole
        assert label.isVisible() and inside.contains(label.geometry())
    # a grab (screenshots, exports) shows them: dark pixels where the "x" label is
    image = view.view.grab().toImage()
    box = names["x"].geometry()
    dark = sum(
        1
        for px in range(box.left(), box.right())
        for py in range(box.top(), box.bottom())
        if image.pixelColor(px, py).lightness() < 100
    )
    assert dark > 3
    # turning the view moves them with it
    before = names["x"].pos()
    view.view.orbit(60, 0)
    qtbot.waitUntil(lambda: names["x"].pos() != before)
