"""The 2-2-1 Network tab, driven through the real window."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableWidget

from optgui.core import datasets
from optgui.core.models import Network
from optgui.core.training import TrainSettings, train
from tests.gui.helpers import TIMEOUT, click, number, open_tab, step_to, table_value

TITLE = "2-2-1 Network"


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, TITLE)


def run_to_limit(window, qtbot, tab, limit: int) -> None:
    """Play at full speed until the step limit ``limit`` stops the run."""
    qtbot.keyClick(tab.controls.speed, Qt.Key.Key_End)
    assert tab.engine.speed == 0
    tab.controls.limit.setValue(limit)
    with qtbot.waitSignal(tab.engine.finished, timeout=60_000):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert len(tab.history) == limit


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def factor_values(tab) -> list[float]:
    """The chain-rule factors as shown (labels factor_value_0 …)."""
    labels = [tab.chain.findChild(QLabel, f"factor_value_{r}") for r in range(5)]
    return [number(plain(label.text())) for label in labels if label is not None]


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_title_and_defaults(tab):
    assert tab.title == TITLE
    assert tab.chain.parameter.currentData() == "w11"  # keyboard-friendly defaults
    assert tab.chain.example.value() == 1  # (examples are counted from 1)
    assert tab.diagram.edge_names() == ["w11", "w21", "w12", "w22", "w1", "w2"]
    assert tab.diagram.bias_names() == ["b1", "b2", "b"]
    assert tab.guide.text()
    assert tab.findChild(QTableWidget, "parameters") is tab.table


def test_training_solves_xor_blobs_and_matches_the_core(window, qtbot, tab):
    assert tab.source.currentData() == "xor" and tab.rate.value() == 5.0
    run_to_limit(window, qtbot, tab, 1000)
    assert number(table_value(tab, "accuracy")) >= 0.95
    data = datasets.xor_blobs(200, 0.3, 0)
    net = Network(2)
    run = train(
        net, data.X, data.y, net.initial_params("course", 3), TrainSettings(5.0, max_steps=1000)
    )
    steps = list(run)
    last = steps[-1]
    assert last.accuracy >= 0.95
    for j, name in enumerate(net.names):
        assert number(table_value(tab, name)) == pytest.approx(last.params[j], rel=1e-5, abs=1e-9)
        assert number(table_value(tab, name, 2)) == pytest.approx(
            last.gradients[j], rel=1e-5, abs=1e-12
        )
    # the probability map shows the trained network, drawn from the core's forward pass
    p = tab.plane.image.image
    assert p.shape == (200, 200) and p.dtype == np.float32
    assert 0.0 <= float(p.min()) < 0.1 and 0.9 < float(p.max()) <= 1.0


def test_chain_rule_for_w11_multiplies_to_the_core_gradient(window, qtbot, tab):
    step_to(qtbot, window, tab, 3)
    record = tab.history.record(2)
    assert tab.chain.parameter.currentData() == "w11" and tab.selected == 0
    net = Network(2)
    per_example = net.per_example_gradients(record.params, tab.X, tab.y)
    factors = factor_values(tab)
    assert len(factors) == 5
    assert factors[0] == pytest.approx(tab.X[0, 0], rel=1e-5)  # ∂z1/∂w11 = x1
    assert math.prod(factors) == pytest.approx(per_example[0, 0], rel=1e-4)
    product = tab.chain.product.text()
    assert product.endswith(f"<b>{number_text(per_example[0, 0])}</b>")
    # the update line: w11 ← w11 − α·∂J/∂w11 with the batch mean
    update = tab.chain.update_line.text()
    assert number_text(record.params_next[0]) in update
    shared_w11 = tab.chain.shared_hidden.text()

    # a real click on the edge w21 selects it; the shared backward value is the same
    diagram = tab.diagram
    qtbot.mouseClick(diagram, Qt.MouseButton.LeftButton, pos=diagram.point_of("w21"))
    qtbot.waitUntil(lambda: tab.chain.parameter.currentData() == "w21", timeout=TIMEOUT)
    factors = factor_values(tab)
    assert factors[0] == pytest.approx(tab.X[0, 1], rel=1e-5)  # ∂z1/∂w21 = x2
    assert math.prod(factors) == pytest.approx(per_example[0, 1], rel=1e-4)
    assert tab.chain.shared_hidden.text() == shared_w11
    assert "w<sub>11</sub>, w<sub>21</sub>, b<sub>1</sub>" in shared_w11

    # the output bias: ∂z/∂b · ∂ŷ/∂z · ∂L/∂ŷ
    qtbot.mouseClick(diagram, Qt.MouseButton.LeftButton, pos=diagram.point_of("b"))
    qtbot.waitUntil(lambda: tab.chain.parameter.currentData() == "b", timeout=TIMEOUT)
    factors = factor_values(tab)
    assert len(factors) == 3 and factors[0] == 1.0
    assert math.prod(factors) == pytest.approx(per_example[0, -1], rel=1e-4)


def number_text(value: float) -> str:
    from optgui.gui.tables import fmt

    return fmt(value, 6)


def test_clicking_a_point_selects_its_example(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    i = 7
    pos = tab.plane.widget_pos(*tab.X[i])
    qtbot.mouseClick(tab.plane.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: tab.chain.example_index == i, timeout=TIMEOUT)
    assert tab.chain.example.value() == i + 1  # the box counts from 1
    assert tab.selected == i
    forward = tab.forward_table
    assert number(forward.text(0, 2)) == pytest.approx(tab.X[i, 0], rel=1e-5)
    record = tab.history.record(0)
    assert number(forward.text(4, 2)) == pytest.approx(record.forward.values(i)["a1"], rel=1e-5)


def test_clicking_adds_a_point_of_the_chosen_class(window, qtbot, tab):
    tab.click_mode.setCurrentIndex(tab.click_mode.findData("add1"))
    pos = tab.plane.widget_pos(0.0, 0.0)
    qtbot.mouseClick(tab.plane.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: len(tab.y) == 201, timeout=TIMEOUT)
    assert tab.y[-1] == 1.0
    assert np.allclose(tab.X[-1], [0.0, 0.0], atol=0.1)
    assert "added" in tab.data_info.text()


def test_raising_the_width_redraws_the_diagram(window, qtbot, tab):
    type_into(qtbot, tab.width_box, "3")
    qtbot.waitUntil(lambda: tab.diagram.hidden == 3, timeout=TIMEOUT)
    assert len(tab.diagram.edge_names()) == 2 * 3 + 3
    assert tab.diagram.bias_names() == ["b1", "b2", "b3", "b"]
    assert tab.table.names == Network(3).names
    assert tab.chain.parameter.count() == 13
    assert tab.title == TITLE
    type_into(qtbot, tab.width_box, "8")
    qtbot.waitUntil(lambda: tab.diagram.hidden == 8, timeout=TIMEOUT)
    assert len(tab.diagram.edge_names()) == 24
    step_to(qtbot, window, tab, 2)
    assert len(tab.history.record(1).params) == 33


def test_zero_start_on_balanced_data_cannot_move(window, qtbot, tab):
    tab.init.setCurrentIndex(tab.init.findData("zeros"))
    assert tab.symmetry.isVisible()
    assert "identical" in tab.symmetry.text() and "exactly 0" in tab.symmetry.text()
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    message = window.statusBar().currentMessage()
    assert "step 0" in message and "identical" in message


def test_zero_start_keeps_the_hidden_units_equal(window, qtbot, tab):
    type_into(qtbot, tab.points, "201")  # unbalanced classes: the gradient is not 0
    qtbot.waitUntil(lambda: len(tab.y) == 201, timeout=TIMEOUT)
    tab.init.setCurrentIndex(tab.init.findData("zeros"))
    run_to_limit(window, qtbot, tab, 300)
    record = tab.history.record(-1)
    assert np.any(record.params != 0)  # it learnt something …
    a = record.forward.hidden_a
    assert np.array_equal(a[:, 0], a[:, 1])  # … with twin hidden units
    assert tab.forward_table.text(4, 2) == tab.forward_table.text(6, 2)  # a1 == a2 on screen
    assert tab.forward_table.text(4, 0) == "a₁" and tab.forward_table.text(6, 0) == "a₂"
    assert tab.symmetry.isVisible() and "a₁ = a₂" in tab.symmetry.text()
    assert number(table_value(tab, "accuracy")) < 0.8


def test_small_random_start_has_no_symmetry_note(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    assert not tab.symmetry.isVisible()


@pytest.mark.parametrize("key", ["aack", "circles", "moons"])
def test_other_data_sets_train(window, qtbot, tab, key):
    tab.source.setCurrentIndex(tab.source.findData(key))
    assert len(tab.history) == 0
    if key == "aack":
        assert len(tab.y) == 4 and not tab.noise.isEnabled()
    step_to(qtbot, window, tab, 3)
    assert np.isfinite(tab.history.record(2).cost)


def test_activation_choice_changes_the_chain(window, qtbot, tab):
    tab.activation.setCurrentIndex(tab.activation.findData("tanh"))
    step_to(qtbot, window, tab, 2)
    record = tab.history.record(1)
    net = Network(2, "tanh")
    grad = net.per_example_gradients(record.params, tab.X, tab.y)[0, 0]
    assert math.prod(factor_values(tab)) == pytest.approx(grad, rel=1e-4)
    a1 = record.forward.values(0)["a1"]
    assert factor_values(tab)[1] == pytest.approx(1 - a1 * a1, rel=1e-5)


def test_table_row_click_selects_the_parameter(window, qtbot, tab):
    step_to(qtbot, window, tab, 1)
    row = tab.table.names.index("b2")
    rect = tab.table.visualItemRect(tab.table.item(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: tab.chain.parameter.currentData() == "b2", timeout=TIMEOUT)
    assert tab.diagram.selected == "b2"


def test_values_typed_in_the_table_are_the_start(window, qtbot, tab):
    row = tab.table.names.index("w11")
    item = tab.table.item(row, 1)
    rect = tab.table.visualItemRect(item)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: tab.table.findChild(QLineEdit) is not None, timeout=TIMEOUT)
    editor = tab.table.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "0.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.init.currentData() == "typed", timeout=TIMEOUT)
    assert tab.params0[0] == 0.5
    step_to(qtbot, window, tab, 1)
    assert tab.history.record(0).params[0] == 0.5


def test_one_example_at_a_time_follows_the_example_used(window, qtbot, tab):
    tab.batch.setCurrentIndex(tab.batch.findData("single"))
    step_to(qtbot, window, tab, 3)
    record = tab.history.record(2)
    assert record.example == 2
    assert tab.chain.example.value() == 3 and tab.chain.example_index == 2
    assert "One example at a time" in tab.chain.batch.text()
    net = Network(2)
    grad = net.per_example_gradients(record.params, tab.X, tab.y)[2, 0]
    assert record.gradients[0] == pytest.approx(grad)
    assert math.prod(factor_values(tab)) == pytest.approx(grad, rel=1e-4)


def test_timeline_shows_an_earlier_step(window, qtbot, tab):
    step_to(qtbot, window, tab, 4)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: tab.shown_index == 2, timeout=TIMEOUT)
    record = tab.history.record(2)
    assert number(table_value(tab, "w11")) == pytest.approx(record.params[0], rel=1e-5)


def test_narrow_window_uses_pages(window, qtbot, tab):
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: tab._narrow is True, timeout=TIMEOUT)
    step_to(qtbot, window, tab, 1)
    diagram = tab.diagram
    qtbot.mouseClick(diagram, Qt.MouseButton.LeftButton, pos=diagram.point_of("w22"))
    qtbot.waitUntil(lambda: tab._pages.currentWidget() is tab.chain_pages, timeout=TIMEOUT)
    assert tab.chain_pages.currentWidget() is tab.chain
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: tab._narrow is False, timeout=TIMEOUT)
    # both views side by side again (the page the tabs had hidden used to stay hidden)
    qtbot.waitUntil(lambda: tab.diagram.isVisible() and tab.chain.isVisible(), timeout=TIMEOUT)
    click(qtbot, tab.controls.reset_button)
    assert len(tab.history) == 0
