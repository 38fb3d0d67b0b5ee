"""Tables that show what the class is looking at: the Newton tabs' iterates tables keep
Newton's rows in view and sum up gradient descent's tail in one row; no table or matrix
scrolls sideways or cuts a number off, also when presenting at 1024 × 768."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QScrollArea, QStyle, QTableWidget

from optgui.core.history import History
from optgui.gui.iterates_table import IteratesTable
from optgui.gui.matrices import NewtonEquation
from optgui.gui.tables import WrapTable, share_width, text_width, word_width
from optgui.lessons import newton1d, newton2d
from optgui.lessons.race import RaceFactory
from tests.gui.helpers import TIMEOUT, click, open_tab, step_to

TABS = ["Newton 1-D", "Newton 2-D"]
NEWTON_COLUMNS = (1, 2, 3, 4)  # the Newton cells of a row (then gradient descent's)


def present_at(window, qtbot, width: int = 1024, height: int = 768) -> None:
    """Presentation mode in a window of the projector's size (offscreen's full screen
    would keep the window at its 800-pixel screen: it is given the size by hand)."""
    window.set_presentation(True)
    window.showNormal()
    window.setGeometry(0, 0, width, height)
    qtbot.waitUntil(lambda: window.size() == QSize(width, height))


def play_to_end(qtbot, tab) -> None:
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    click(qtbot, tab.controls.play_button)
    qtbot.waitUntil(lambda: tab.engine.state == "finished", timeout=TIMEOUT)


def texts(table: QTableWidget, r: int) -> list[str]:
    return [
        table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())
    ]


def is_newton_row(table: IteratesTable, r: int) -> bool:
    """A row of Newton's step: every Newton cell the table shows has a number."""
    cells = texts(table, r)
    return cells[0] == str(r) and all(
        cells[c] for c in NEWTON_COLUMNS if not table.isColumnHidden(c)
    )


def assert_fits(table: QTableWidget) -> None:
    """No sideways scrolling, and no number is cut off: every word of a cell fits its column."""
    assert table.horizontalScrollBar().maximum() == 0
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    metrics = table.fontMetrics()
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is None or table.isColumnHidden(c):
                continue
            room = table.visualItemRect(item).width() - 2 * (margin + 1)
            assert word_width(metrics, item.text()) <= room, (r, c, item.text())


def check_race_table(tab, presenting: bool) -> None:
    table, n = tab.table, len(tab.history)
    count = table.filled  # Newton's steps and the row saying how it ended
    assert n > count + 20, "gradient descent should run on long after Newton"
    assert table.rowCount() == count + 1  # … and one row for gradient descent's tail
    assert all(is_newton_row(table, r) for r in range(count - 1))
    assert texts(table, count - 1)[1] == "Newton converged to a local minimum"
    tail = texts(table, count)
    assert tail[0] == "…"
    assert tail[1].startswith(f"k = {count} … {n - 1}: gradient descent alone. At k = {n - 1}")
    assert not any(tail[2:])  # (one cell across the row)
    # the last step is shown: the tail row is selected, Newton's last rows above it
    assert table.selected_row() == count
    visible = table.visible_rows()
    assert count in visible
    newton = [r for r in visible if r < count - 1]
    assert all(is_newton_row(table, r) for r in newton)
    assert len(newton) >= (3 if presenting else 5)
    assert table.horizontalScrollBar().maximum() == 0


@pytest.mark.parametrize("title", TABS)
def test_newton_rows_stay_in_view_and_the_tail_is_one_row(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    play_to_end(qtbot, tab)  # the slides' example: Newton needs a few steps, GD hundreds
    check_race_table(tab, presenting=False)
    assert_fits(tab.table)


@pytest.mark.parametrize("title", TABS)
def test_presenting_at_1024_the_table_fits_and_shows_newton(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    present_at(window, qtbot)
    play_to_end(qtbot, tab)
    table = tab.table
    assert table.font().pointSize() >= 18  # the presentation size
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    check_race_table(tab, presenting=True)
    assert_fits(table)
    # where the column is too narrow for every digit, all of them are in the tooltip
    item = table.item(1, 1)
    assert len(item.toolTip()) > len(item.text()) if item.toolTip() else "…" not in item.text()


@pytest.mark.parametrize("title", TABS)
def test_while_newton_runs_its_rows_follow_the_steps(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    step_to(qtbot, window, tab, 4)
    table = tab.table
    assert table.rowCount() == 4 and not table.has_tail
    assert all(is_newton_row(table, r) for r in range(4))
    assert table.selected_row() == 3


@pytest.mark.parametrize("title", TABS)
def test_the_timeline_highlights_the_row_of_the_shown_step(window, qtbot, title):
    tab = open_tab(window, qtbot, title)
    play_to_end(qtbot, tab)
    table, n, count = tab.table, len(tab.history), tab.table.filled
    timeline = tab.controls.timeline
    timeline.setValue(2)
    assert table.selected_row() == 2 and 2 in table.visible_rows()
    middle = (count + n) // 2  # a step of gradient descent's tail
    timeline.setValue(middle)
    assert table.selected_row() == count
    assert f"At k = {middle}: " in texts(table, count)[1]
    timeline.setValue(0)
    assert table.selected_row() == 0 and 0 in table.visible_rows()
    timeline.setValue(n - 1)
    assert f"At k = {n - 1}" in texts(table, count)[1]


def race_history(lesson, settings, n: int) -> History:
    history = History()
    records = []
    for record in RaceFactory(settings)(None):
        records.append(record)
        if len(records) == n:
            break
    history.extend(records)
    return history


@pytest.mark.parametrize(
    ("lesson", "settings"),
    [(newton1d, newton1d.Newton1DSettings()), (newton2d, newton2d.Newton2DSettings())],
)
def test_at_any_width_the_columns_share_it(qtbot, lesson, settings):
    """From 330 pixels (a side panel on a projector) to 1100 at presentation size: no
    sideways scrolling and no number cut off; the wider, the more digits and columns."""
    table = IteratesTable(lesson.COLUMNS, lesson.COLUMN_TIPS)
    qtbot.addWidget(table)
    font = QFont(table.font())
    font.setPointSize(18)
    table.setFont(font)
    table.horizontalHeader().setFont(font)
    history = race_history(lesson, settings, 60)
    table.follow(history, lesson.TABLE)
    table.show_row(len(history) - 1)
    table.show()
    qtbot.waitExposed(table)
    shown = []
    for width in (330, 420, 560, 760, 1100):
        table.resize(width, 500)
        qtbot.waitUntil(lambda w=width: table.width() == w)
        assert_fits(table)
        header = table.horizontalHeader()
        assert sum(header.sectionSize(c) for c in range(table.columnCount())) <= (
            table.viewport().width()
        )
        # rows as tall as Qt's own measure of their wrapped texts (counted faster)
        rows = range(table.rowCount())
        assert [table.rowHeight(r) for r in rows] == [table.sizeHintForRow(r) for r in rows]
        hidden = len(table.hidden_columns)
        shown.append((-hidden, -table.digits_level))
        assert table.has_tail and table.selected_row() == table.filled
    assert shown == sorted(shown) and shown[0] < shown[-1]
    assert table.hidden_columns == frozenset() and table.digits_level == 0  # at 1100


def test_a_newton_run_longer_than_the_table_stops_at_its_last_row(qtbot):
    table = IteratesTable(newton2d.COLUMNS)
    qtbot.addWidget(table)
    table.MAX_ROWS = 5  # (2000 in the app)
    history = race_history(newton2d, newton2d.Newton2DSettings(), 40)
    table.follow(history, newton2d.TABLE)
    assert table.rowCount() == 5 and not table.has_tail  # no "gradient descent alone"
    table.show_row(3)
    assert table.selected_row() == 3
    table.show_row(30)
    assert table.selected_row() is None


def test_hessian_tables_wrap_when_presenting_at_1024(window, qtbot):
    tab = open_tab(window, qtbot, "Hessian Explorer")
    present_at(window, qtbot)
    panel = tab.findChild(QScrollArea, "numbers_panel")
    qtbot.waitUntil(lambda: panel.widget().width() <= panel.viewport().width())
    assert panel.widget().minimumSizeHint().width() <= panel.viewport().width()  # no clipping
    for name in ("analysis", "summary_table"):
        table = tab.findChild(WrapTable, name)
        assert table.horizontalScrollBar().maximum() == 0
        assert table.verticalScrollBar().maximum() == 0  # as tall as its rows
        assert table.width() <= panel.viewport().width()
    summary = tab.findChild(WrapTable, "summary_table")
    marked = [r for r in range(3) if summary.item(r, 0).text().startswith("▶")]
    assert marked == [0]  # the default point is the minimum of 2x² + 3y² − xy


def test_newtons_update_wraps_onto_lines(qtbot):
    """x_{k+1} = x_k − H⁻¹ · ∇f on one line where it fits, else on more: never wider."""
    equation = NewtonEquation()
    qtbot.addWidget(equation)
    font = QFont(equation.font())
    font.setPointSize(18)
    equation.setFont(font)
    records = RaceFactory(newton2d.Newton2DSettings())(None)
    step = next(iter(records)).newton
    equation.show_equation(newton2d.equation(step))
    equation.show()
    qtbot.waitExposed(equation)
    assert equation.minimumSizeHint().width() <= 330
    tops = {}
    for width in (330, 1000):
        equation.resize(width, equation.heightForWidth(width))
        qtbot.waitUntil(lambda w=width: equation.width() == w)
        for view in (equation.x_next, equation.h, equation.g):
            box = view.parentWidget() if view.parentWidget() is not equation else view
            rect = box.geometry()
            assert rect.left() >= 0 and rect.right() < width
        tops[width] = equation.g.mapTo(equation, equation.g.rect().topLeft()).y()
    assert tops[330] > tops[1000]  # ∇f moved to a line of its own


def test_share_width():
    # everything fits: the room left goes in proportion to the weights
    assert share_width([10, 20], [5, 5], 60, [0, 1]) == [10, 50]
    assert share_width([10, 30], [5, 5], 80) == [20, 60]
    # not on one line: each its narrowest and the rest to what it lacks
    assert share_width([40, 100], [20, 40], 100) == [30, 70]
    # not even the narrowest: shrunk in proportion (cells then wrap inside words)
    assert share_width([40, 100], [30, 60], 60) == [20, 40]
    assert sum(share_width([13, 17, 19], [3, 4, 5], 45)) == 45
    assert share_width([], [], 100) == []


def test_word_and_text_widths(qtbot):
    table = WrapTable(["a"])
    qtbot.addWidget(table)
    metrics = table.fontMetrics()
    assert text_width(metrics, "12\n123456") == metrics.horizontalAdvance("123456")
    assert word_width(metrics, "curves up in every") == metrics.horizontalAdvance("curves")
    assert np.isclose(word_width(metrics, ""), 0)


def test_wrap_table_columns_follow_their_texts(qtbot):
    table = WrapTable(["quantity", "value"])
    qtbot.addWidget(table)
    table.set_rows([("f", 0.5), ("verdict", "curves up in every direction")])
    table.resize(700, 200)
    table.show()
    qtbot.waitExposed(table)
    assert_fits(table)
    # words to the left, numbers to the right
    align = Qt.AlignmentFlag
    assert table.item(0, 1).textAlignment() & align.AlignRight
    assert table.item(1, 1).textAlignment() & align.AlignLeft
    tall = table.rowHeight(1)
    table.resize(160, 200)
    qtbot.waitUntil(lambda: table.width() == 160)
    assert table.horizontalScrollBar().maximum() == 0
    assert table.rowHeight(1) > tall  # the words wrapped onto more lines


def test_in_a_narrow_table_k_stays_whole(qtbot):
    """Where even the widest words do not fit, the other columns shrink and wrap: k of
    two digits stays on one line (not "1" over "9")."""
    settings = newton2d.Newton2DSettings(
        function="x^4 + 0.8*y^4 - x*y", start=(0.2, 0.1), modified=True, tau=2.0
    )
    table = IteratesTable(newton2d.COLUMNS, newton2d.COLUMN_TIPS)
    qtbot.addWidget(table)
    history = race_history(newton2d, settings, 30)
    table.follow(history, newton2d.TABLE)
    table.show()
    qtbot.waitExposed(table)
    table.resize(190, 500)
    qtbot.waitUntil(lambda: table.width() == 190)
    assert table.item(29, 0).text() == "29"
    k_width = table.fontMetrics().horizontalAdvance("29") + table.cell_pad()
    assert table.horizontalHeader().sectionSize(0) >= k_width
    assert table.rowHeight(29) == table.sizeHintForRow(29)
