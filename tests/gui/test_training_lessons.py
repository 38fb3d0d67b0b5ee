"""Regression and Classification bound to their lessons: widgets ⇄ settings, sessions."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt

from optgui.core.models import Perceptron
from optgui.gui import session
from optgui.lessons.classification import ClassificationLesson
from optgui.lessons.regression import RegressionLesson
from tests.gui.helpers import TIMEOUT, click, fresh_window, open_tab, step_to
from tests.lessons.test_classification_lesson import SAVED_BEFORE as CLASSIFICATION_BEFORE
from tests.lessons.test_regression_lesson import SAVED_BEFORE as REGRESSION_BEFORE


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def bound_widgets(tab) -> dict:
    widgets = {"learning_rate": tab.rate, "batch": tab.batch, "init": tab.init, "seed": tab.seed}
    widgets.update(source=tab.source, noise=tab.noise, data_seed=tab.data_seed)
    if tab.title == "Regression":
        widgets["normalize"] = tab.normalize
    return widgets


def widget_signals(tab) -> list:
    """Every signal a bound widget sends when its value changes."""
    w = bound_widgets(tab)
    signals = [w["learning_rate"].valueChanged, w["seed"].valueChanged]
    signals += [w["noise"].valueChanged, w["data_seed"].valueChanged]
    signals += [w["batch"].currentIndexChanged, w["init"].currentIndexChanged]
    signals += [w["source"].currentIndexChanged]
    if "normalize" in w:
        signals.append(w["normalize"].toggled)
    return signals


def shown(tab) -> dict:
    """What the bound widgets show, by field."""
    out = {}
    for name, widget in bound_widgets(tab).items():
        if hasattr(widget, "currentData"):
            out[name] = widget.currentData()
        elif hasattr(widget, "isChecked"):
            out[name] = widget.isChecked()
        else:
            out[name] = widget.value()
    return out


@pytest.mark.parametrize("title", ["Regression", "Classification"])
def test_typing_a_learning_rate_reaches_the_lesson(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    type_into(qtbot, tab.rate, "0.3")
    assert tab.lesson.learning_rate == 0.3
    step_to(qtbot, window, tab, 2)
    assert [tab.history.record(k).learning_rate for k in (0, 1)] == [0.3, 0.3]
    factory = tab.make_factory()
    assert factory.settings is tab.lesson


def test_regression_data_widgets_are_bound(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    step_to(qtbot, window, tab, 2)
    click(qtbot, tab.normalize)  # off
    assert tab.lesson.normalize is False and tab.prepared.x_norm is None
    assert len(tab.history) == 0  # new data, new run
    # raw units: the note under Normalise gives the stable α instead of the reason (issue 14)
    assert tab.reason.isVisible() and "stable only for α <" in tab.reason.text()
    tab.source.setFocus()
    qtbot.keyClick(tab.source, Qt.Key.Key_Down)  # the slides' houses with rooms
    assert tab.lesson.source == "house2" and tab.model.names == ("w1", "w2", "b")
    assert tab.lesson.normalize and tab.normalize.isChecked()  # the houses are normalised
    qtbot.keyClick(tab.source, Qt.Key.Key_Down)  # a noisy line
    assert tab.lesson.source == "line" and tab.noise.isEnabled()
    before = tab.dataset.y.copy()
    type_into(qtbot, tab.noise, "1.5")
    assert tab.lesson.noise == 1.5
    assert tab.dataset.name == "Noisy line" and not np.array_equal(tab.dataset.y, before)
    type_into(qtbot, tab.data_seed, "42")
    assert tab.lesson.data_seed == 42


def test_classification_data_widgets_are_bound(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    assert not tab.noise.isEnabled() and tab.sentence.isEnabled()
    tab.source.setFocus()
    qtbot.keyClick(tab.source, Qt.Key.Key_Down)
    assert tab.lesson.source == "blobs" and tab.dataset.m == 100
    assert tab.noise.isEnabled() and not tab.sentence.isEnabled()
    type_into(qtbot, tab.data_seed, "7")
    assert tab.lesson.data_seed == 7
    assert np.array_equal(tab.dataset.X, tab.plane.data.X)


@pytest.mark.parametrize("title", ["Regression", "Classification"])
def test_binding_write_shows_settings_and_sends_nothing(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    step_to(qtbot, window, tab, 3)
    sent = []
    for signal in widget_signals(tab):
        signal.connect(lambda *args: sent.append(args))
    tab.binding.changed.connect(lambda *args: sent.append(args))
    changes = {"learning_rate": 0.25, "batch": "single", "seed": 9, "noise": 1.0, "data_seed": 5}
    if title == "Regression":
        changes.update(source="plane", normalize=False)
    else:
        changes.update(source="blobs")
    settings = tab.lesson.replace(**changes)
    tab.binding.write(settings)
    assert sent == []
    assert tab.lesson == settings
    assert shown(tab) == {name: getattr(settings, name) for name in bound_widgets(tab)}
    assert len(tab.history) == 3  # nothing reacted: the caller decides


@pytest.mark.parametrize("title", ["Regression", "Classification"])
def test_restoring_settings_loads_the_data_once(window, qtbot, monkeypatch, title):
    tab = open_tab(window, qtbot, title)
    step_to(qtbot, window, tab, 3)
    Lesson = RegressionLesson if title == "Regression" else ClassificationLesson
    source = "plane" if title == "Regression" else "xor"
    settings = Lesson(learning_rate=0.2, seed=11, source=source, noise=0.3, data_seed=8)
    state = {**settings.to_json(), "params0": [], "selected": 0}
    resets, sent = [], []
    reset = tab.reset
    monkeypatch.setattr(tab, "reset", lambda: (resets.append(1), reset()))
    for signal in widget_signals(tab):
        signal.connect(lambda *args: sent.append(args))
    tab.binding.changed.connect(lambda *args: sent.append(args))
    tab.read_settings(state)()
    assert resets == [1] and sent == []
    assert tab.lesson == settings
    assert shown(tab) == {name: getattr(settings, name) for name in bound_widgets(tab)}
    assert tab.dataset.m == (40 if title == "Regression" else 200)
    assert len(tab.history) == 0


def test_regression_session_with_a_csv_round_trip(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    csv = tmp_path / "rent.csv"
    csv.write_text("area,rent\n30,500\n45,700\n60,880\n80,1200\n")
    assert tab.load_csv(str(csv), ["area"], "rent")
    assert tab.source.currentText() == "CSV: rent" and tab.lesson.source == "csv"
    type_into(qtbot, tab.rate, "0.2")
    click(qtbot, tab.normalize)
    click(qtbot, tab.normalize)  # off and on again: the CSV stays the data
    step_to(qtbot, window, tab, 6)
    window.save_session(tmp_path / "s.json")
    csv.unlink()
    saved = json.loads((tmp_path / "s.json").read_text())["tabs"]["Regression"]
    assert saved["csv"]["y"] == [500, 700, 880, 1200] and saved["source"] == "csv"

    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "s.json") == ""
    again = other.tab("Regression")
    qtbot.waitUntil(lambda: len(again.history) == 6 and not again.engine.running, timeout=TIMEOUT)
    assert again.lesson == tab.lesson
    assert again.source.currentText() == "CSV: rent"
    assert np.array_equal(again.dataset.X, tab.dataset.X)
    assert np.array_equal(again.history.rows, tab.history.rows)
    other.close()


def test_a_second_csv_file_replaces_the_first(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    for name, rows in (("first", "1,2\n2,4\n3,7\n"), ("second", "1,1\n2,3\n3,4\n4,8\n")):
        (tmp_path / f"{name}.csv").write_text("x,y\n" + rows)
        assert tab.load_csv(str(tmp_path / f"{name}.csv"), ["x"], "y")
    assert tab.source.currentText() == "CSV: second" and tab.dataset.m == 4
    assert [tab.source.itemData(i) for i in range(tab.source.count())].count("csv") == 1
    tab.source.setCurrentIndex(tab.source.findData("line"))
    tab.source.setCurrentIndex(tab.source.findData("csv"))  # back to the loaded file
    assert tab.dataset.name == "second" and tab.lesson.source == "csv"


def test_regression_session_of_the_previous_version_opens(qtbot, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(session.dumps({"Regression": REGRESSION_BEFORE}, "Regression"))
    win = fresh_window(qtbot)
    assert win.open_session(path) == ""
    tab = win.tab("Regression")
    assert tab.lesson.learning_rate == 0.3 and tab.lesson.source == "csv"
    assert tab.dataset.y.tolist() == [3, 5.5, 6.5, 9] and tab.source.currentText() == "CSV: d"
    win.close()


def test_a_damaged_csv_block_changes_nothing(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    damaged = {**REGRESSION_BEFORE, "csv": {**REGRESSION_BEFORE["csv"], "X": [[1], ["x"]]}}
    path = tmp_path / "bad.json"
    path.write_text(session.dumps({"Regression": damaged}, "Regression"))
    before = tab.lesson
    assert "numbers only" in window.open_session(path)
    assert tab.lesson == before and tab.dataset.name == "House prices"


def test_data_that_cannot_be_used_leave_data_widgets_and_run_as_they_were(
    window, qtbot, monkeypatch
):
    from optgui.core.datasets import DataError
    from optgui.lessons import regression

    tab = open_tab(window, qtbot, "Regression")
    step_to(qtbot, window, tab, 2)

    def unusable(settings, data):
        raise DataError("column 'size' has the same value in every row")

    monkeypatch.setattr(regression, "prepare", unusable)
    click(qtbot, tab.normalize)
    assert tab.data_error.isVisible() and "same value" in tab.data_error.text()
    assert tab.normalize.isChecked() and tab.lesson.normalize  # what the data in use has
    assert tab.prepared.x_norm is not None and len(tab.history) == 2


def test_classification_session_with_typed_sentences_round_trip(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Classification")
    for text, button in (("Aack aack beep", tab.add_happy), ("beep BEEP aack", tab.add_sad)):
        tab.sentence.clear()
        qtbot.keyClicks(tab.sentence, text)
        click(qtbot, button)
    assert tab.lesson.sentences == (
        (2.0, 1.0, 1.0, "Aack aack beep"),
        (1.0, 2.0, 0.0, "beep BEEP aack"),
    )
    type_into(qtbot, tab.rate, "0.8")
    step_to(qtbot, window, tab, 6)
    window.save_session(tmp_path / "c.json")
    saved = json.loads((tmp_path / "c.json").read_text())["tabs"]["Classification"]
    assert saved["sentences"][1] == {
        "aack": 1.0,
        "beep": 2.0,
        "label": 0.0,
        "text": "beep BEEP aack",
    }

    other = fresh_window(qtbot)
    assert other.open_session(tmp_path / "c.json") == ""
    again = other.tab("Classification")
    qtbot.waitUntil(lambda: len(again.history) == 6 and not again.engine.running, timeout=TIMEOUT)
    assert again.lesson == tab.lesson
    assert again.dataset.m == 6 and again.dataset.row_labels[-1] == "beep BEEP aack"
    assert np.array_equal(again.history.rows, tab.history.rows)
    other.close()


def test_classification_session_of_the_previous_version_opens(qtbot, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(session.dumps({"Classification": CLASSIFICATION_BEFORE}, "Classification"))
    win = fresh_window(qtbot)
    assert win.open_session(path) == ""
    tab = win.tab("Classification")
    assert tab.lesson.learning_rate == 0.8 and tab.rate.value() == 0.8
    assert tab.dataset.m == 5 and tuple(tab.dataset.X[-1]) == (1, 2) and tab.dataset.y[-1] == 0
    win.close()


def test_the_plane_draws_the_line_where_sigma_is_one_half(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    step_to(qtbot, window, tab, 5)
    params = tab.history.record(4).params
    xs, ys = tab.plane.boundary.getData()
    z = params[0] * xs + params[1] * ys + params[2]
    assert np.abs(z).max() < 1e-9
    image = tab.plane.heat.image
    corner = Perceptron(2).forward(params, tab.plane.grid[:1]).yhat[0]
    assert image[0, 0] == pytest.approx(corner, rel=1e-6)
    assert image.min() >= 0 and image.max() <= 1
