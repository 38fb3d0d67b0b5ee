"""Sessions: save, reopen to the same run, and refuse damaged files without changes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtWidgets import QLineEdit

from optgui.gui import session
from tests.gui.helpers import TIMEOUT, fresh_window, open_tab, step_to


def test_saved_session_reopens_to_the_same_run(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Classification")
    tab.source.setCurrentIndex(tab.source.findData("aliens"))
    qtbot.keyClicks(tab.sentence, "beep beep aack")
    tab.add_sad.click()
    tab.rate.setValue(0.8)
    tab.seed.setValue(11)
    step_to(qtbot, window, tab, 7)
    expected_params = np.array(tab.history.last().params_next)
    path = tmp_path / "lesson.json"
    window.save_session(path)

    other = fresh_window(qtbot)
    assert other.open_session(path) == ""
    again = other.tab("Classification")
    assert other.current is again
    qtbot.waitUntil(lambda: len(again.history) == 7 and not again.engine.running, timeout=TIMEOUT)
    assert again.dataset.m == 5 and again.rate.value() == pytest.approx(0.8)
    assert np.allclose(again.history.last().params_next, expected_params, rtol=0, atol=1e-15)
    # the same next step in both
    step_to(qtbot, window, tab, 8)
    step_to(qtbot, other, again, 8)
    assert np.array_equal(tab.history.last().params_next, again.history.last().params_next)
    other.close()


def test_regression_csv_data_is_saved_in_the_session(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    csv = tmp_path / "d.csv"
    csv.write_text("a,b\n1,3\n2,5.5\n3,6.5\n4,9\n")
    assert tab.load_csv(str(csv), ["a"], "b")
    window.save_session(tmp_path / "s.json")
    csv.unlink()  # the session does not depend on the file any more
    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "s.json") == ""
    assert list(other.tab("Regression").dataset.y) == [3, 5.5, 6.5, 9]
    other.close()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid JSON"),
        (None, "not valid JSON"),  # truncated
        (b'{"format": "optgui-session", "version": 99, "tabs": {}}', "newer"),
        (b'{"format": "something else", "version": 1, "tabs": {}}', "not an optgui session"),
        (b"\xff\xfe\x00binary", "not text"),
        (
            b'{"format": "optgui-session", "version": 1, "tabs": {"Regression": '
            b'{"learning_rate": "fast"}}}',
            "learning_rate",
        ),
        (
            b'{"format": "optgui-session", "version": 1, "tabs": {"Regression": '
            b'{"learning_rate": NaN}}}',
            "NaN",
        ),
    ],
)
def test_damaged_session_changes_nothing(window, qtbot, tmp_path, content, words):
    tab = open_tab(window, qtbot, "Regression")
    step_to(qtbot, window, tab, 3)
    before = (
        tab.rate.value(),
        tab.dataset.name,
        len(tab.history),
        tuple(tab.history.last().params_next),
    )
    path = tmp_path / "bad.json"
    if content is None:
        window.save_session(path)
        content = path.read_bytes()[: len(path.read_bytes()) // 2]
    path.write_bytes(content)
    reason = window.open_session(path)
    assert words in reason
    assert "Nothing changed" in window.statusBar().currentMessage()
    after = (
        tab.rate.value(),
        tab.dataset.name,
        len(tab.history),
        tuple(tab.history.last().params_next),
    )
    assert after == before


def test_failed_save_leaves_the_old_file(window, tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    window.save_session(path)
    good = path.read_text()
    tab = window.current
    monkeypatch.setattr(tab, "session_state", lambda: {"bad": float("nan")})
    with pytest.raises(session.SessionError):
        window.save_session(path)
    assert path.read_text() == good
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
    json.loads(good)


def test_last_session_comes_back_on_start(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.rate.setValue(0.25)
    window.close()
    other = fresh_window(qtbot)
    assert other.tab("Regression").rate.value() == pytest.approx(0.25)
    assert other.current.title == "Regression"
    other.close()


def test_network_session_keeps_width_activation_and_added_points(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "2-2-1 Network")
    tab.width_box.setValue(3)
    tab.activation.setCurrentIndex(tab.activation.findData("tanh"))
    tab.add_point(0.5, 0.25, 1)
    step_to(qtbot, window, tab, 4)
    window.save_session(tmp_path / "n.json")
    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "n.json") == ""
    again = other.tab("2-2-1 Network")
    qtbot.waitUntil(lambda: len(again.history) == 4 and not again.engine.running, timeout=TIMEOUT)
    assert again.model.hidden == 3 and again.model.activation == "tanh"
    assert again.dataset.m == tab.dataset.m
    assert np.array_equal(again.history.last().params_next, tab.history.last().params_next)
    other.close()


def test_newton_and_hessian_sessions(window, qtbot, tmp_path):
    n2 = open_tab(window, qtbot, "Newton 2-D")
    assert n2.function_box.set_text("x^2 + 3*y^2 + x*y")
    n2.set_start((1.5, -2.0))
    n2.modified.setChecked(True)
    step_to(qtbot, window, n2, 2)
    hess = window.tab("Hessian Explorer")
    assert hess.box.set_text("x^3 - 3*x*y^2")
    hess.set_point([0.5, 0.25])
    n1 = window.tab("Newton 1-D")
    n1.set_start(1.6)
    window.save_session(tmp_path / "m.json")
    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "m.json") == ""
    o2 = other.tab("Newton 2-D")
    qtbot.waitUntil(lambda: len(o2.history) == 2 and not o2.engine.running, timeout=TIMEOUT)
    assert o2.function.text == n2.function.text and o2.x0 == (1.5, -2.0)
    assert o2.modified.isChecked()
    assert np.array_equal(o2.history.rows, n2.history.rows, equal_nan=True)
    assert other.tab("Hessian Explorer").function_full.text == hess.function_full.text
    assert list(other.tab("Hessian Explorer").start) == [0.5, 0.25]
    assert other.tab("Newton 1-D").x0 == 1.6
    other.close()


def test_after_opening_a_session_the_presets_box_names_no_preset_it_does_not_show(
    window, qtbot, tmp_path
):
    from PySide6.QtWidgets import QComboBox

    from optgui.gui.function_box import PRESET_PROMPT

    hess = open_tab(window, qtbot, "Hessian Explorer")
    assert hess.box.set_text("x^2 + y^3")  # a function of no preset
    n1 = window.tab("Newton 1-D")
    assert n1.function_box.set_text("x^4 - x")
    window.save_session(tmp_path / "own.json")

    other = fresh_window(qtbot)
    o_hess, o_n1 = other.tab("Hessian Explorer"), other.tab("Newton 1-D")
    o_hess.box.choose_preset(2)  # the saddle 2x² − 2y², named in the box
    o_n1.function_box.choose_preset(2)  # x⁴ − 4x², named in the box
    assert other.open_session(tmp_path / "own.json") == ""
    for tab, text in ((o_hess, "x^2 + y^3"), (o_n1, "x^4 - x")):
        presets = tab.findChild(QComboBox, "presets")
        assert tab.findChild(QLineEdit, "function").text() == text
        assert presets.currentIndex() == 0 and presets.currentText() == PRESET_PROMPT
    # a session whose function is the preset's shown keeps naming it
    o_n1.function_box.choose_preset(2)
    other.save_session(tmp_path / "preset.json")
    assert other.open_session(tmp_path / "preset.json") == ""
    presets = o_n1.findChild(QComboBox, "presets")
    assert presets.currentIndex() == 3  # (0 is the prompt)
    other.close()
