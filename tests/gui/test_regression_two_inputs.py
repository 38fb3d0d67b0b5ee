"""The Regression tab with two inputs and with other data (issue 16, items 5 and 9): a
slice of the cost the class can read, a guide and an update for three parameters, units
in words that fit their column, notes only for the data they are about."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from optgui.core.format import fmt
from optgui.core.training import row_columns
from tests.gui.helpers import number, open_tab, step_to, table_value


@pytest.fixture
def tab(window, qtbot):
    tab = open_tab(window, qtbot, "Regression")
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    return tab


def choose(qtbot, tab, source: str) -> None:
    tab.source.setCurrentIndex(tab.source.findData(source))
    qtbot.waitUntil(lambda: tab.prepared is not None and tab.prepared_with.source == source)


def slice_b(title: str) -> float:
    """The b a slice's title names: "J(w₁, w₂) at b = 0.12 (a slice)" → 0.12."""
    assert title.startswith("J(w₁, w₂) at b = ") and title.endswith(" (a slice)"), title
    return number(title.removeprefix("J(w₁, w₂) at b = ").removesuffix(" (a slice)"))


@pytest.mark.parametrize("source", ["house2", "plane"])
def test_two_inputs_show_a_slice_with_the_path(window, qtbot, tab, source):
    choose(qtbot, tab, source)
    plot = tab.surface_plot
    assert plot.isVisible()  # (the quarter was blank)
    assert slice_b(plot.title) == pytest.approx(tab.params0[2], abs=1e-12)
    assert plot.image.image is not None and np.isfinite(plot.image.image).all()
    step_to(qtbot, window, tab, 12)
    record = tab.history.record(len(tab.history) - 1)
    b = float(record.params[2])
    assert slice_b(plot.title) == pytest.approx(b, rel=1e-2, abs=1e-9)
    assert plot.getPlotItem().getAxis("bottom").labelText == "w₁"
    assert plot.getPlotItem().getAxis("left").labelText == "w₂"
    # the path is (w1, w2) of every step, projected onto the slice; the head is now
    cols = row_columns(tab.model)
    w1, w2 = plot.path.getData()
    assert w1.tolist() == tab.history.rows[:, cols.index("w1")].tolist()
    assert w2.tolist() == tab.history.rows[:, cols.index("w2")].tolist()
    head = plot.head.data[0]
    assert (head["x"], head["y"]) == pytest.approx((record.params[0], record.params[1]))
    # the star is the least-squares (w1, w2), in the window with the whole path
    star = plot.optimum.data[0]
    (u0, u1), (v0, v1) = plot.slice.ranges
    assert u0 < star["x"] < u1 and v0 < star["y"] < v1
    assert (u0 <= w1).all() and (w1 <= u1).all() and (v0 <= w2).all() and (w2 <= v1).all()


def test_raw_units_redraw_the_slice_as_b_moves(window, qtbot, tab):
    """Raw inputs are not centred: the bottom of the slice moves with b, and the picture
    with it (normalised, only the title changes)."""
    choose(qtbot, tab, "plane")
    tab.normalize.click()
    qtbot.waitUntil(lambda: tab.prepared_with is not None and not tab.prepared_with.normalize)
    plot = tab.surface_plot
    before = np.array(plot.image.image)
    step_to(qtbot, window, tab, 30)
    b = float(tab.history.record(29).params[2])
    assert slice_b(plot.title) == pytest.approx(b, rel=1e-2)
    assert not np.array_equal(before, plot.image.image)


def test_the_texts_follow_two_inputs(window, qtbot, tab):
    assert "slide down the cost surface" in tab.guide.text()  # one input: the surface
    choose(qtbot, tab, "house2")
    guide = tab.guide.text()
    assert "path on the cost surface" not in guide and "slide down the cost surface" not in guide
    assert "a slice" in guide
    updates = [tex for tex in tab.math._latex if r"\leftarrow" in tex]
    assert [tex.split(r" \leftarrow")[0] for tex in updates] == ["w_1", "w_2", "b"]
    step_to(qtbot, window, tab, 1)
    numbers = tab.math.text()
    assert "rooms = " not in numbers and ", 2 rooms," in numbers  # the first house
    assert all(f"&nbsp;&nbsp;{p} ← " in numbers for p in ("w1", "w2", "b"))


def test_units_read_as_words_and_fit_their_column(window, qtbot, tab):
    choose(qtbot, tab, "house2")
    step_to(qtbot, window, tab, 3)
    text = table_value(tab, "w2", 3)
    assert text.endswith(" per room") and "/rooms" not in text
    try:
        for points in (12, 14, 16, 18):  # normal, then Ctrl+Plus three times
            if points > 12:
                qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda p=points: tab.table.font().pointSize() == p)
            metrics = tab.table.fontMetrics()
            for name in tab.table.names:
                shown = table_value(tab, name, 3)
                width = metrics.horizontalAdvance(shown)
                assert tab.table.columnWidth(3) >= width, (points, shown)
    finally:
        qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_notes_are_about_the_data_shown(window, qtbot, tab, tmp_path):
    note = tab.findChild(QLabel, "units_note")
    assert "Sizes near 1000–3000" in note.text()  # the slides' houses
    rng = np.random.default_rng(0)
    tv = rng.uniform(0.7, 296.4, 50)
    path = tmp_path / "advertising.csv"
    rows = "".join(f"{a:.1f},{7 + 0.05 * a:.2f}\n" for a in tv)
    path.write_text("TV,Sales\n" + rows, encoding="utf-8")
    assert tab.load_csv(str(path), ["TV"], "Sales")
    tv = tab.prepared.data.X[:, 0]  # (as read back from the file)
    for text in (note.text(), tab.normalize.toolTip()):
        assert "Sizes" not in text and "1000–3000" not in text
        assert text.startswith(f"Values of TV from {fmt(tv.min(), 3)} to {fmt(tv.max(), 3)}")
    assert "house" not in tab.guide.text() and "TV" in tab.guide.text()
    choose(qtbot, tab, "plane")
    assert "Sizes" not in note.text() and "already of order 1" in note.text()
