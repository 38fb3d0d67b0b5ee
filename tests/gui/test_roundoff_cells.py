"""A gradient that is zero but for round-off reads 0; its tooltip has the exact value."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from optgui.core.format import exact
from tests.gui.helpers import step_to


def cell(tab, name: str, column: int):
    table = tab.findChild(QTableWidget, "parameters")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)
    return table.item(row, column)


def test_the_regression_b_gradient_reads_zero(window, qtbot):
    tab = window.current  # Regression: normalised data, so ∂J/∂b is 0 up to round-off
    step_to(qtbot, window, tab, 2)
    columns = tab.history_columns()
    row = tab.history.rows[-1]
    grad_w, grad_b = row[columns.index("grad_w1")], row[columns.index("grad_b")]
    assert grad_b != 0 and abs(grad_b) < 1e-12 * abs(grad_w)  # (what the history holds)
    item = cell(tab, "b", 2)
    assert item.text() == "0"
    assert item.toolTip().startswith(exact(grad_b))
    w = cell(tab, "w1", 2)  # a gradient of its own size is shown as it is
    assert w.text().startswith("−0.") and w.toolTip() == ""
