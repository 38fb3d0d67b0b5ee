"""The Hessian Explorer's derivations in the window: → reveals them line by line with the
current function and point, every formula typesets, and λ1 ≥ λ2 everywhere as on the
slides."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTabWidget, QWidget

from optgui.core.expr import parse_function
from optgui.gui import mathtext
from optgui.gui.derivation_panel import LIT
from optgui.lessons import hessian as lesson
from optgui.lessons import hessian_derivations as hd
from optgui.lessons.derivation import Line
from tests.gui.helpers import number, open_tab
from tests.gui.test_hessian_tab import type_point

TITLE = "Hessian Explorer"


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, TITLE)


def show_derivations(qtbot, tab, title: str):
    pages = next(p for p in tab.findChildren(QTabWidget) if p.objectName() == "math_pages")
    pages.setCurrentWidget(tab.derivation)
    qtbot.waitUntil(tab.derivation.isVisible)
    tab.derivation.choose(title)
    return tab.derivation


def press_right(qtbot, window) -> None:
    if not window.isActiveWindow():  # keys reach the active window's shortcuts only
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Right)


@pytest.mark.parametrize("preset", lesson.PRESETS, ids=[p.label for p in lesson.PRESETS])
def test_every_line_of_every_derivation_typesets(qapp, preset):
    n = 3 if "z" in preset.text else 2
    point = lesson.preset_point(preset, n)
    for at in (point, tuple(v + 0.7 for v in point)):
        f = parse_function(preset.text, lesson.VARIABLES[:n])
        r, problem = lesson.analysis_at(f, at)
        for d in hd.derivations(f, at, r, problem):
            for line in d.lines:
                if isinstance(line, Line) and line.latex:
                    assert not mathtext.pixmap(line.latex).isNull(), (d.title, line.latex)


def test_right_reveals_how_the_hessian_is_built(tab, qtbot, window):
    tab.box.choose_preset(0)  # the slides' 2x² + 3y² − xy at (0, 0)
    panel = show_derivations(qtbot, tab, hd.BUILT)
    expected = hd.derivations(tab.function_full, (0.0, 0.0), tab.result)[0].plain()
    assert panel.shown_lines() == expected[:1]
    for shown in range(2, len(expected) + 1):
        press_right(qtbot, window)
        assert panel.shown_lines() == expected[:shown]
    assert panel.remaining == 0 and len(tab.history) == 0
    assert "f_xy = −1" in panel.shown_lines()[3] and "f_yx = −1" in panel.shown_lines()[3]
    sources = {f.accessibleName() for f in panel.findChildren(QWidget) if f.isVisible()}
    assert any(r"H(0, 0) = \left[" in s for s in sources)


def test_the_derivation_follows_the_point_and_keeps_its_lines(tab, qtbot, window):
    tab.box.choose_preset(0)
    panel = show_derivations(qtbot, tab, hd.EIGEN)
    panel.reveal_all()
    assert r"= (4 - \lambda)(6 - \lambda) - (-1)(-1)" in panel.shown_lines()[2]
    assert "(0, 0) is a minimum!" in panel.shown_lines()[-1]
    tab.box.choose_preset(2)  # the saddle: the slide's product, λ1 = 4 ≥ λ2 = −4
    qtbot.waitUntil(lambda: r"(-4 - \lambda) - 0" in panel.shown_lines()[2])
    assert panel.remaining == 0  # (still every line)
    assert panel.note.isVisible() and "λ₁ = 4, λ₂ = −4" in panel.note.text()
    assert r"\lambda_1 = \frac{0 + 8}{2} = 4" in panel.shown_lines()[5]
    type_point(qtbot, tab, x=1, y=0.5)
    qtbot.waitUntil(lambda: "not a critical point" in panel.shown_lines()[-1])


def test_the_summary_table_lights_the_row_of_the_verdict(tab, qtbot):
    tab.box.choose_preset(1)  # the slides' maximum
    panel = show_derivations(qtbot, tab, hd.SUMMARY)
    panel.reveal_all()
    table = panel.findChild(QTableWidget, "derivation_table")
    assert table is not None and table.isVisible()
    assert table.horizontalHeaderItem(1).text().split() == ["1", "variable", "f(x)"]
    assert table.item(1, 1).text() == "Sad face: f″(x) < 0"
    lit = [r for r in range(table.rowCount()) if table.item(r, 0).background().color().name()
           == LIT.lower()]  # fmt: skip
    assert lit == [1]
    assert panel.note.text() == ""


def test_a_walk_moves_the_derivation_to_its_point(tab, qtbot, window):
    tab.box.choose_preset(3)  # the Newton 2-D function, from (4, 4)
    panel = show_derivations(qtbot, tab, hd.EIGEN)
    assert "(4, 4)" in panel.shown_lines()[0]
    panel.reveal_all()
    qtbot.mouseClick(tab.findChild(QWidget, "step"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tab.history) == 1 and not tab.engine.running)
    qtbot.waitUntil(lambda: "(2.583, 2.621)" in panel.shown_lines()[0])


def test_eigenvalues_are_numbered_as_on_the_slides(tab, qtbot):
    """λ1 is the largest in the table, the formulas, the map's labels and the derivations."""
    for preset, first, second in ((0, "6.414", "3.586"), (1, "−3.586", "−6.414"), (2, "4", "−4")):
        tab.box.choose_preset(preset)
        table = tab.findChild(QTableWidget, "analysis")
        rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
        shown = number(rows["λ₁"]), number(rows["λ₂"])
        assert shown == pytest.approx((number(first), number(second)), abs=1e-3)
        labels = [label.textItem.toPlainText() for label in tab.map.cross.labels]
        assert labels == [f"λ₁ = {first}", f"λ₂ = {second}"]
        _, _, _, values = lesson.numbers_latex(tab.result)
        plain = values.replace("-", "−")
        assert plain == rf"\lambda_1 = {first},\quad \lambda_2 = {second}"
    combo = tab.box.presets
    tip = combo.itemData(combo.findText(lesson.PRESETS[2].label), Qt.ItemDataRole.ToolTipRole)
    assert "eigenvalues 4 and −4" in tip
