"""The Hessian Explorer's widgets bound to its settings (HessianLesson), both ways."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QLineEdit, QPushButton

from optgui.gui.session import SessionError
from optgui.lessons.hessian import HessianLesson
from tests.gui.helpers import TIMEOUT, open_tab, step_to
from tests.gui.test_hessian_tab import TITLE, analysis, type_function, type_point

NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"
THREE = "x^2 + 2*y^2 - z^2 + x*y"


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, TITLE)


def edit(tab, name: str) -> QLineEdit:
    return tab.findChild(QLineEdit, name)


def test_the_window_size_box_sets_the_half_width(tab, qtbot):
    spin = tab.findChild(QDoubleSpinBox, "window_size")
    with qtbot.waitSignal(tab.binding.changed) as blocker:
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), "5")
        qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    settings, names = blocker.args
    assert names == {"half"} and settings.half == 5.0
    assert tab.binding.settings.half == 5.0
    (x0, x1), (y0, y1) = tab.map.window
    assert min(x1 - x0, y1 - y0) == pytest.approx(10.0)


def test_a_typed_point_is_the_settings_point(tab, qtbot):
    tab.box.choose_preset(0)
    with qtbot.waitSignal(tab.binding.changed):
        type_point(qtbot, tab, x=1, y=-2)
    assert tab.binding.settings.point == (1.0, -2.0)
    assert list(tab.point) == [1.0, -2.0]
    assert analysis(tab)["point (x, y)"] == "(1, −2)"


def test_a_point_that_is_not_a_number_changes_nothing(tab, qtbot):
    before = tab.binding.settings
    with qtbot.assertNotEmitted(tab.binding.changed):
        type_point(qtbot, tab, x="1,5e")
    assert tab.binding.settings == before
    error = tab.findChild(QLabel, "point_error")
    assert error.isVisible() and "is not a number for x" in error.text()


def test_a_typed_function_sets_function_variables_and_point(tab, qtbot):
    type_point(qtbot, tab, x=1, y=2)
    type_function(qtbot, tab, THREE)
    s = tab.binding.settings
    assert (s.function, s.variables, s.point) == (THREE, ("x", "y", "z"), (1.0, 2.0, 0.0))
    assert edit(tab, "point_z").isVisible()
    type_function(qtbot, tab, "x^2 + y^2")
    s = tab.binding.settings
    assert (s.function, s.variables, s.point) == ("x^2 + y^2", ("x", "y"), (1.0, 2.0))
    assert not edit(tab, "point_z").isVisible()


def test_presets_map_clicks_and_centring_set_the_settings(tab, qtbot):
    tab.box.choose_preset(3)
    assert tab.binding.settings == HessianLesson(function=NEWTON_2D, point=(4, 4), half=5)
    tab.map.click_at(1.0, -1.5)
    assert tab.binding.settings.point == (1.0, -1.5)
    qtbot.mouseClick(tab.findChild(QPushButton, "center_map"), Qt.MouseButton.LeftButton)
    assert tab.binding.settings.center == (1.0, -1.5)
    (x0, x1), (y0, y1) = tab.map.window
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx((1.0, -1.5))


def test_writing_settings_shows_them_without_a_signal(tab, qtbot):
    new = HessianLesson(function=NEWTON_2D, point=(1.5, -0.5), center=(1, 1), half=4.5)
    spin = tab.findChild(QDoubleSpinBox, "window_size")
    with (
        qtbot.assertNotEmitted(tab.binding.changed),
        qtbot.assertNotEmitted(tab.box.function_changed),
        qtbot.assertNotEmitted(spin.valueChanged),
        qtbot.assertNotEmitted(tab.point_box.typed),
    ):
        tab.binding.write(new)
    assert tab.binding.settings == new
    assert edit(tab, "function").text() == NEWTON_2D and tab.box.function.text == NEWTON_2D
    assert (edit(tab, "point_x").text(), edit(tab, "point_y").text()) == ("1.5", "−0.5")
    assert spin.value() == 4.5


def test_sessions_save_the_settings_and_read_old_ones(tab, qtbot):
    tab.box.choose_preset(3)
    tab.set_point((1.0, 2.0))
    state = tab.settings_state()
    assert state == {
        "function": NEWTON_2D,
        "variables": ["x", "y"],
        "point": [1.0, 2.0],
        "center": [0.0, 0.0],
        "half": 5.0,
    }
    old = {  # as main saved it before the lesson (and the run's own keys)
        "speed": 2,
        "limit": 50,
        "steps": 0,
        "function": "x^2 + 2*y^2 - z^2 + x*y",
        "variables": ["x", "y", "z"],
        "point": [1, 1, 1],
        "center": [0.5, 0],
        "half": 2,
    }
    tab.read_settings(old)()
    s = tab.binding.settings
    assert s == HessianLesson(
        function=THREE, variables=("x", "y", "z"), point=(1, 1, 1), center=(0.5, 0), half=2
    )
    assert tab.function_full.text == THREE and list(tab.point) == [1.0, 1.0, 1.0]
    assert "z = 1" in tab.findChild(QLabel, "slice_note").text()
    assert tab.findChild(QDoubleSpinBox, "window_size").value() == 2.0
    (x0, x1), _ = tab.map.window
    assert (x0 + x1) / 2 == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"function": "2x"}, "the saved function does not parse"),
        ({"point": [1, 2, 3]}, "the point should have 2 coordinates"),
        ({"half": 1e7}, "the map's half-width should be between"),
        ({"variables": ["x"], "point": [0]}, "the variables should be x, y or x, y, z"),
    ],
)
def test_a_damaged_session_changes_nothing(tab, state, message):
    before = tab.binding.settings
    with pytest.raises(SessionError, match=message):
        tab.read_settings(state)
    assert tab.binding.settings == before


def test_the_factory_carries_its_settings_and_rebuild_uses_given_ones(window, tab, qtbot):
    tab.box.choose_preset(3)  # the Newton 2-D function from (4, 4)
    factory = tab.make_factory()
    assert factory.settings is tab.binding.settings
    step_to(qtbot, window, tab, 2)
    ran_with = tab.binding.settings
    rows = tab.history.rows.copy()
    first = tab.history.record(0)
    type_function(qtbot, tab, THREE)  # three variables now: rows of 2-D steps differ
    assert len(tab.binding.settings.variables) == 3
    back = tab.rebuild(rows[0], ran_with)
    np.testing.assert_array_equal(back.x, [4.0, 4.0])
    np.testing.assert_array_equal(back.x_next, first.x_next)
    np.testing.assert_array_equal(back.hessian, first.hessian)


def test_enter_on_the_start_point_restarts_the_walk(window, tab, qtbot):
    tab.box.choose_preset(3)  # from (4, 4)
    step_to(qtbot, window, tab, 2)
    assert tab.point == pytest.approx([1.59162, 1.67538], abs=1e-3)
    type_point(qtbot, tab, x=4, y=4)  # the settings' point: the binding sees no change
    qtbot.waitUntil(lambda: len(tab.history) == 0, timeout=TIMEOUT)
    assert list(tab.point) == [4.0, 4.0]
    assert analysis(tab)["point (x, y)"] == "(4, 4)"


def test_a_point_without_a_slice_changes_nothing(tab, qtbot):
    type_function(qtbot, tab, "log(z) + x^2 + y^2")  # no slice at z = 0: it starts at z = 1
    assert tab.binding.settings.point == (0.0, 0.0, 1.0)
    before = tab.binding.settings
    with qtbot.assertNotEmitted(tab.binding.changed):
        type_point(qtbot, tab, x=1, y=1, z=-1)
    assert tab.binding.settings == before
    error = tab.findChild(QLabel, "point_error")
    assert error.isVisible() and error.text().startswith("No slice at z = −1: log needs")
    type_point(qtbot, tab, x=1, y=1, z=2)
    assert tab.binding.settings.point == (1.0, 1.0, 2.0) and not error.isVisible()
    assert "z = 2" in tab.findChild(QLabel, "slice_note").text()


def test_recorded_settings_make_their_own_walk(tab, qtbot):
    tab.box.choose_preset(0)
    recorded = tab.settings_from_json(
        {"function": NEWTON_2D, "variables": ["x", "y"], "point": [4, 4], "half": 5}
    )
    walk = tab.factory_for(recorded)
    assert walk.settings is recorded and walk.function.text == NEWTON_2D
    np.testing.assert_allclose(next(iter(walk(None))).x_next, [2.58273866, 2.62128884], atol=1e-8)
    assert tab.binding.settings.function == "2*x^2 + 3*y^2 - x*y"  # the tab is unchanged
    with pytest.raises(SessionError, match="the point should have 2 coordinates"):
        tab.settings_from_json({"point": [1]})
    assert tab.factory_for(recorded.replace(function="2x")) is None
    assert "cannot be used" in tab.status
