"""The Derivation pages of the Classification and 2-2-1 Network tabs: σ′(z), the log loss and
backpropagation in layers, revealed with → on the real window, with the shown step's numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from optgui.core import datasets
from optgui.gui.derivation_panel import LIT
from optgui.gui.formula_flow import split_relations
from optgui.gui.mathtext import pixmap
from optgui.lessons import classification, training
from optgui.lessons import network_derivations as network_lesson
from optgui.lessons.derivation import Line
from optgui.lessons.network import NetworkLesson, chain_rule
from optgui.lessons.network_derivations import LAYERS_TITLE
from optgui.lessons.sigmoid_derivations import SIGMOID_TITLE, num
from tests.gui.helpers import open_tab, step_to
from tests.lessons.test_sigmoid_derivations import aliens_record, close, last_number


def derivation_page(window, qtbot, title: str):
    """The tab called ``title`` with its Derivation page in front."""
    tab = open_tab(window, qtbot, title)
    if hasattr(tab, "sides"):
        tab.sides.show_second()  # (narrow windows: the chain rule's column is a page)
    pages = next(p for p in tab.findChildren(QTabWidget) if p.objectName() == "math_pages")
    pages.setCurrentWidget(tab.derivation)
    qtbot.waitUntil(tab.derivation.isVisible)
    return tab


def stepped_derivation_page(window, qtbot, title: str, steps: int):
    """The tab after ``steps`` presses of → (taken before the Derivation page shows: then
    → reveals lines), with its Derivation page in front."""
    step_to(qtbot, window, open_tab(window, qtbot, title), steps)
    return derivation_page(window, qtbot, title)


def reveal_in_order(window, qtbot, panel, expected: list[str]) -> None:
    """→ shows one line more each time, in the derivation's order, until all are shown."""
    assert panel.shown_lines() == expected[:1]
    for k in range(2, len(expected) + 1):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        assert panel.shown_lines() == expected[:k]
    assert panel.remaining == 0


def test_classification_reveals_sigma_prime_with_the_shown_example(window, qtbot):
    tab = stepped_derivation_page(window, qtbot, "Classification", 3)
    tab.select_example(2)
    panel = tab.derivation
    panel.choose(SIGMOID_TITLE)
    record = tab.history.record(tab.shown_index)
    expected = classification.derivations(record, tab.dataset, 2)[0]
    reveal_in_order(window, qtbot, panel, expected.plain())
    assert len(tab.history) == 3  # → revealed lines, it did not step
    e = classification.example_math(record, tab.model, tab.dataset.X, tab.dataset.y, 2)
    unit = expected.lines[-2]
    assert "Example 3 (“Aack beep beep beep!”)" in unit.words
    assert close(last_number(unit.latex), e.dyhat_dz)
    shown = {w.accessibleName() for w in panel.findChildren(QWidget) if w.isVisible()}
    assert unit.latex in shown  # the typeset formula carries its source


def test_classification_log_loss_follows_the_selected_example(window, qtbot):
    tab = stepped_derivation_page(window, qtbot, "Classification", 2)
    panel = tab.derivation
    title = classification.LOG_LOSS_TITLE
    panel.choose(title)
    record = tab.history.record(tab.shown_index)
    lines = classification.derivations(record, tab.dataset, 0)[1].plain()
    reveal_in_order(window, qtbot, panel, lines)
    tab.select_example(1)  # another example: the same lines, its numbers
    assert panel.current.title == title and panel.remaining == 0
    assert "Example 2 (“Beep beep!”): y = 0" in panel.shown_lines()[1]
    e = classification.example_math(record, tab.model, tab.dataset.X, tab.dataset.y, 1)
    w1 = next(
        x
        for x in panel.current.lines
        if x.latex.startswith(r"\dfrac{\partial L}{\partial w_{1}} = -")
    )
    assert close(last_number(w1.latex), e.dL_dparams[0])


def test_network_reveals_the_layers_with_the_chain_rules_numbers(window, qtbot):
    tab = stepped_derivation_page(window, qtbot, "2-2-1 Network", 2)
    tab.select_parameter("b2")
    tab.select_example(3)
    panel = tab.derivation
    panel.choose(LAYERS_TITLE)
    record = tab.history.record(tab.shown_index)
    found = network_lesson.derivations(tab.model, record, tab.dataset, 3, "b2")
    reveal_in_order(window, qtbot, panel, found[0].plain())
    newest = panel._views[len(found[0].lines) - 1]  # scrolled into view as it came
    qtbot.waitUntil(lambda: panel.verticalScrollBar().value() > 0)
    qtbot.waitUntil(lambda: not newest.visibleRegion().isEmpty())
    back = tab.model.backward(record.params, tab.X, tab.y)
    rule = chain_rule("b2", 3, record, back, "sigmoid")
    last = found[0].lines[-1]
    assert "b<sub>2</sub>" in last.words and close(last_number(last.latex), rule.gradient)
    table = panel.findChild(QWidget, "derivation_table")
    assert table is not None and table.isVisible()
    assert table.item(2, 0).background().color().name().upper() == LIT  # δ[2]₂: b₂'s
    tab.select_parameter("w1")  # the output's weight: δ[3] lights up
    assert table.item(0, 0).background().color().name().upper() == LIT
    assert "w<sub>1</sub>" in panel.current.lines[-1].words


def test_network_sigma_prime_names_each_unit(window, qtbot):
    tab = stepped_derivation_page(window, qtbot, "2-2-1 Network", 1)
    panel = tab.derivation
    panel.choose(SIGMOID_TITLE)
    panel.reveal_all()
    record = tab.history.record(0)
    a = record.forward.hidden_a[tab.selected]
    yhat = record.forward.yhat[tab.selected]
    lines = panel.shown_lines()
    assert any(line.startswith("Hidden unit 1") and num(a[0]) in line for line in lines)
    assert any(line.startswith("Hidden unit 2") and num(a[1]) in line for line in lines)
    assert any(line.startswith("The output unit") and num(yhat) in line for line in lines)


def test_the_network_derivation_is_the_stages_last_view(window, qtbot):
    tab = open_tab(window, qtbot, "2-2-1 Network")
    window.set_presentation(True)
    assert tab.show_stage_view(len(tab.stage.views) - 1)
    qtbot.waitUntil(tab.derivation.isVisible)
    assert tab.derivation.current.title == LAYERS_TITLE  # before any step: the start's numbers


# --- every formula typesets ------------------------------------------------------------------


def all_derivations():
    data, _model, record = aliens_record(3)
    yield from classification.derivations(record, data, 0)
    yield from classification.derivations(record, data, 1)
    for settings in (
        NetworkLesson(source="aack"),
        NetworkLesson(),
        NetworkLesson(activation="tanh", hidden=3),
        NetworkLesson(activation="relu", hidden=1),
        NetworkLesson(hidden=8, source="moons"),
    ):
        model, data = settings.model(), settings.data()
        params = training.initial_params(settings, model)
        record = training.initial_record(settings, model, data.X, data.y, params)
        for selected in ("w11", "b2" if settings.hidden > 1 else "b1", "w1", "b"):
            yield from network_lesson.derivations(model, record, data, 1, selected)


def test_every_line_of_every_derivation_typesets(qapp):
    formulas = {
        line.latex
        for d in all_derivations()
        for line in d.lines
        if isinstance(line, Line) and line.latex
    }
    assert len(formulas) > 100
    for latex in sorted(formulas):
        for piece in {latex, *split_relations(latex)}:  # (the page typesets the pieces)
            assert not pixmap(piece).isNull(), piece


def test_the_aliens_are_the_slides_sentences():
    """(The GUI tests above name the examples by the slides' sentences.)"""
    assert datasets.aack_beep().row_labels[:3] == (
        "Aack aack aack!",
        "Beep beep!",
        "Aack beep beep beep!",
    )
