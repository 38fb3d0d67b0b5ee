"""The Classification tab, driven through the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from optgui.core import datasets
from optgui.core.models import Perceptron
from optgui.core.training import TrainSettings, train
from tests.gui.helpers import TIMEOUT, click, number, open_tab, step_to, table_value


@pytest.fixture
def tab(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    return tab


def test_trains_aliens_and_table_matches_core(window, qtbot, tab):
    tab.controls.limit.setValue(300)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert len(tab.history) == 300
    data = datasets.aack_beep()
    model = Perceptron(2)
    run = train(
        model, data.X, data.y, model.initial_params("course", 3), TrainSettings(learning_rate=0.5)
    )
    expected = [next(run) for _ in range(300)][-1]
    for j, name in enumerate(model.names):
        assert number(table_value(tab, name)) == pytest.approx(expected.params[j], rel=1e-6)
    assert number(table_value(tab, "accuracy")) == 1.0
    assert "step limit" in window.statusBar().currentMessage()


def test_typed_sentence_counts_and_prediction(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    tab.sentence.clear()
    qtbot.keyClicks(tab.sentence, "AACK beep, aack!!")
    text = tab.prediction.text()
    assert "aack: <b>2</b>" in text and "beep: <b>1</b>" in text
    params = tab.history.record(0).params_next
    p = float(Perceptron(2).forward(params, [[2, 1]]).yhat[0])
    assert f"{p:.3f}" in text


def test_adding_a_sentence_adds_a_labelled_example(window, qtbot, tab):
    qtbot.keyClicks(tab.sentence, "Beep beep beep beep")
    click(qtbot, tab.add_sad)
    assert tab.dataset.m == 5
    assert tuple(tab.dataset.X[-1]) == (0, 4) and tab.dataset.y[-1] == 0
    assert len(tab.history) == 0  # the run restarted on the new data


def test_xor_blobs_stall_is_explained(window, qtbot, tab):
    tab.source.setCurrentIndex(tab.source.findData("xor"))
    tab.controls.limit.setValue(3000)
    with qtbot.waitSignal(tab.engine.finished, timeout=60_000):
        click(qtbot, tab.controls.play_button)
    assert tab.note.isVisible()
    assert "straight line" in tab.note.text()
    assert number(table_value(tab, "accuracy")) < 0.8


def test_classes_differ_by_marker_shape(tab):
    symbols = {item.opts["symbol"] for item in tab.class_points}
    assert len(symbols) == 2
