"""The Newton 2-D tab, driven through the real window."""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QTableWidget

from tests.gui.helpers import TIMEOUT, click, number, open_tab, step_to, wait_for_verdict
from tests.gui.test_newton1d import choose_preset

#: Newton's iterates from (4, 4) on the slides' function (curriculum §5).
SLIDES = [
    (2.58273866, 2.62128884),
    (1.59225691, 1.67481611),
    (0.87058917, 1.00182107),
    (0.33519431, 0.49397623),
    (0.04123585, 0.12545903),
    (0.00019466, 0.00301029),
]
COL_X, COL_GRAD, COL_H, COL_S, COL_GD = 1, 2, 3, 4, 5


@pytest.fixture
def tab(window, qtbot):
    return open_tab(window, qtbot, "Newton 2-D")


def table(tab) -> QTableWidget:
    return tab.findChild(QTableWidget, "iterates")


def cell(tab, r: int, c: int) -> str:
    """A cell's text with all its digits (a narrow table shows fewer: its tooltip has them)."""
    item = table(tab).item(r, c)
    return "" if item is None else item.toolTip() or item.text()


def shown(tab, r: int, c: int) -> str:
    """A cell's text as the table shows it."""
    item = table(tab).item(r, c)
    return "" if item is None else item.text()


def numbers(text: str) -> list[float]:
    return [number(t) for t in re.findall(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?", text)]


def summary(tab) -> str:
    """The summary line as the student reads it (the label holds rich text)."""
    return html.unescape(tab.findChild(QLabel, "summary").text())


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    wait_for_verdict(qtbot, edit)


def play_to_end(qtbot, tab) -> None:
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: tab.engine.state == "finished", timeout=TIMEOUT)


def test_slides_preset_reproduces_the_slides_numbers(window, qtbot, tab):
    choose_preset(qtbot, tab, 0)
    assert (tab.findChild(QLineEdit, "x0").text(), tab.findChild(QLineEdit, "y0").text()) == (
        "4",
        "4",
    )
    step_to(qtbot, window, tab, 7)
    assert numbers(cell(tab, 0, COL_X)) == [4, 4]
    assert numbers(cell(tab, 0, COL_GRAD)) == pytest.approx([277.6, 213.6])
    assert numbers(cell(tab, 0, COL_H)) == pytest.approx([198.4, -2.6, -2.6, 157.6])
    for r, expected in enumerate(SLIDES, start=1):
        assert numbers(cell(tab, r, COL_X)) == pytest.approx(expected, abs=6e-8)
    # gradient descent with α = 0.02 beside it: its first step to (−1.552, −0.272)
    assert numbers(cell(tab, 1, COL_GD)) == pytest.approx([-1.552, -0.272], abs=1e-6)
    # the math panel: the update as 2×2 · 2×1 with numbers
    tab.controls.timeline.setValue(0)
    eq = tab.equation
    assert [c for row in eq.h.texts() for c in row] == ["198.4", "−2.6", "−2.6", "157.6"]
    assert [row[0] for row in eq.g.texts()] == ["277.6", "213.6"]
    assert numbers(eq.x_next.texts()[0][0]) == pytest.approx([2.5827], abs=1e-4)
    assert "2×2" in eq.h.caption.text() and "2×1" in eq.g.caption.text()


def test_slides_convergence_at_k8_and_step_counts(window, qtbot, tab):
    play_to_end(qtbot, tab)  # the default is the slides' example from (4, 4)
    text = summary(tab)
    assert "Newton: converged in 8 steps" in text
    assert "gradient descent (α = 0.02): 300 steps, not yet converged" in text
    assert cell(tab, 9, COL_X) == "Newton converged to a local minimum"
    assert max(abs(v) for v in numbers(cell(tab, 8, COL_X))) < 1e-16
    # gradient descent's 290 steps after Newton's are one row, at its last step
    tail = shown(tab, table(tab).rowCount() - 1, 1)
    assert tail.startswith("k = 10 … 299: gradient descent alone.")
    gd = numbers(tail.split("At k = 299:")[1].split("|")[0])
    assert len(gd) == 2 and max(abs(v) for v in gd) < 1e-9
    assert "Newton: converged in 8 steps" in window.statusBar().currentMessage()


def test_clicking_the_map_sets_the_start(window, qtbot, tab):
    cmap = tab.map
    qtbot.mouseClick(cmap.viewport(), Qt.MouseButton.LeftButton, pos=cmap.widget_point(-2.0, 3.0))
    qtbot.waitUntil(lambda: abs(tab.x0[0] + 2.0) < 0.05 and abs(tab.x0[1] - 3.0) < 0.05)
    assert number(tab.findChild(QLineEdit, "x0").text()) == pytest.approx(-2.0, abs=0.05)
    step_to(qtbot, window, tab, 1)
    assert numbers(cell(tab, 0, COL_X)) == pytest.approx(list(tab.x0))


def test_typed_function_and_start(window, qtbot, tab):
    type_into(qtbot, tab.findChild(QLineEdit, "function"), "(x - 1)^2 + 2*(y + 1)^2")
    assert tab.function.text == "(x - 1)^2 + 2*(y + 1)^2"
    type_into(qtbot, tab.findChild(QLineEdit, "x0"), "3")
    type_into(qtbot, tab.findChild(QLineEdit, "y0"), "-2")
    assert tab.x0 == (3.0, -2.0)
    play_to_end(qtbot, tab)
    assert numbers(cell(tab, 0, COL_X)) == [3, -2]
    assert numbers(cell(tab, 1, COL_X)) == pytest.approx([1, -1])  # one step for a quadratic
    assert "Newton: converged in 1 step " in summary(tab) + " "


def test_bad_function_shows_message_and_keeps_the_old_one(window, qtbot, tab):
    type_into(qtbot, tab.findChild(QLineEdit, "function"), "x^2 + z")
    error = tab.findChild(QLabel, "function_error")
    qtbot.waitUntil(error.isVisible)
    assert "unknown name 'z'" in error.text()
    assert tab.function.text.startswith("x^4 + 0.8*y^4")
    step_to(qtbot, window, tab, 1)
    assert numbers(cell(tab, 0, COL_GRAD)) == pytest.approx([277.6, 213.6])


def test_indefinite_hessian_warns_and_modified_newton_compares(window, qtbot, tab):
    choose_preset(qtbot, tab, 1)
    warning = tab.findChild(QLabel, "warning")
    qtbot.waitUntil(warning.isVisible)
    assert "not positive definite" in warning.text()
    step_to(qtbot, window, tab, 1)
    assert warning.isVisible()
    assert tab.history.record(0).newton.damping == 0
    click(qtbot, tab.findChild(QCheckBox, "modified"))
    step_to(qtbot, window, tab, 2)
    step = tab.history.record(1).newton
    assert step.damping == tab.tau.value() > 0
    assert "H + τI" in tab.equation.h.caption.text()
    # a step older than the kept records is rebuilt from its row with the run's τ
    assert tab.rebuild(tab.history.rows[1]).newton.damping == step.damping


def test_quadratic_preset_needs_one_newton_step(window, qtbot, tab):
    choose_preset(qtbot, tab, 2)
    play_to_end(qtbot, tab)
    assert "Newton: converged in 1 step " in summary(tab) + " "
    assert "gradient descent (α = 0.1): converged in" in summary(tab)


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_the_indefinite_preset_ends_at_a_saddle_and_says_so(window, qtbot, tab):
    choose_preset(qtbot, tab, 1)  # x⁴ + 0.8y⁴ − xy from (0.2, 0.1)
    play_to_end(qtbot, tab)
    newton = (
        "Newton: converged in 4 steps to a saddle point at (0, 0) ⚠ not a minimum,"
        " try modified Newton · "
    )
    assert summary(tab).startswith(newton) and status(window).startswith(newton)
    assert "gradient descent (α = 0.1): converged in 137 steps to a local minimum at " in (
        status(window)
    )
    # the ⚠ box stays after the run (gradient descent ran on long after Newton stopped)
    warning = tab.findChild(QLabel, "warning")
    assert warning.isVisible() and warning.text().startswith(
        "⚠ Newton converged to a saddle point at (0, 0), not a minimum"
    )
    assert warning.text().endswith("Tick “modified Newton: H + τI”.")
    assert "It found a saddle point at (0, 0)" in tab.math.text()
    assert cell(tab, 5, COL_X) == "Newton converged to a saddle point"


def test_modified_newton_is_named_in_the_legend_and_the_summary(window, qtbot, tab):
    choose_preset(qtbot, tab, 1)
    legend = tab.legend.getLabel(tab.newton_path.curve)
    assert legend.text == "Newton"
    click(qtbot, tab.findChild(QCheckBox, "modified"))  # τ = 2
    assert legend.text == "modified Newton (τ = 2)"
    start = "Both start at (0.2, 0.1). Modified Newton (τ = 2) uses H + 2·I"
    assert summary(tab).startswith(start)
    play_to_end(qtbot, tab)
    part = "Modified Newton (τ = 2): converged in 39 steps to a local minimum at (0.5141, 0.5436)"
    assert summary(tab).startswith(part) and status(window).startswith(part)
    assert "<b>Modified Newton (τ = 2)</b> converged at step 39" in tab.math.text()
    assert not tab.findChild(QLabel, "warning").isVisible()  # a minimum: no ⚠
    tab.tau.setValue(3.5)
    assert legend.text == "modified Newton (τ = 3.5)"
    click(qtbot, tab.findChild(QCheckBox, "modified"))
    assert legend.text == "Newton"


def test_singular_hessian_stops_newton_with_a_warning_and_a_hint(window, qtbot, tab):
    choose_preset(qtbot, tab, 4)  # x² + y⁴ from (2, 0)
    warning = tab.findChild(QLabel, "warning")
    said = (
        "⚠ Newton cannot take its first step, undecided: H is singular at (2, 0)"
        " (H's eigenvalues 2 and 0), so H·s = ∇f has no single solution."
    )
    qtbot.waitUntil(warning.isVisible)  # before the run
    assert warning.text() == f"{said} Tick “modified Newton: H + τI”."
    play_to_end(qtbot, tab)
    assert warning.isVisible() and warning.text().startswith(said)  # and after it
    newton = (
        "Newton: stopped at step 0, undecided: H is singular at (2, 0) ⚠ try modified Newton · "
    )
    assert summary(tab).startswith(newton) and status(window).startswith(newton)
    # gradient descent ends at (0, 0), where H = [[2, 0], [0, 0]]: the test cannot tell
    assert summary(tab).endswith(
        "converged in 131 steps to (0, 0), undecided: the second-derivative test cannot tell there"
    )
    assert cell(tab, 0, COL_X) == "Newton singular"


def test_leaving_the_domain_stops_with_a_message(window, qtbot, tab):
    type_into(qtbot, tab.findChild(QLineEdit, "function"), "log(x) + y^2")
    type_into(qtbot, tab.findChild(QLineEdit, "x0"), "0.1")
    type_into(qtbot, tab.findChild(QLineEdit, "y0"), "1")
    play_to_end(qtbot, tab)
    assert "left the domain of log at step 0" in summary(tab)
    texts = [cell(tab, r, c) for r in range(table(tab).rowCount()) for c in range(6)]
    assert not any("nan" in t.lower() or "undefined" in t or "∞" in t for t in texts)


def test_new_start_and_rebuilt_records_match(window, qtbot, tab):
    qtbot.keyClick(window, Qt.Key.Key_N)
    (xa, xb), (ya, yb) = tab.map.window
    assert xa <= tab.x0[0] <= xb and ya <= tab.x0[1] <= yb
    assert numbers(tab.findChild(QLineEdit, "x0").text()) == [tab.x0[0]]
    step_to(qtbot, window, tab, 3)
    for i in range(3):
        kept = tab.history.record(i)
        rebuilt = tab.rebuild(tab.history.rows[i])
        assert rebuilt.k == kept.k
        assert rebuilt.newton.x_next.tolist() == kept.newton.x_next.tolist()
        assert rebuilt.descent.x.tolist() == kept.descent.x.tolist()
        assert rebuilt.as_row().tolist() == pytest.approx(kept.as_row().tolist(), nan_ok=True)


def test_a_window_picture_shows_the_typeset_matrices_whole(window, qtbot, tab, tmp_path):
    """The ∇f and H matrices are typeset after the tab shows; an exported picture of the
    window (as --screenshot takes) waits until they are laid out at their full width."""
    from optgui.gui.export import export_widget_png

    choose_preset(qtbot, tab, 1)  # a new f: new formulas to typeset
    export_widget_png(window, tmp_path / "window.png")
    for view in (tab.gradient_view, tab.hessian_view):
        assert view.width() >= view.minimumSizeHint().width()
        for row in view.cells:
            for formula in row:
                assert formula.width() >= formula.pixmap().deviceIndependentSize().width() - 1
