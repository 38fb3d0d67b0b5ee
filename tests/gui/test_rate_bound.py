"""Issue 17, item 4 in the real window: the learning-rate box shows 2/λ_max (its colour,
the gauge's mark, the words), a diverging run names the bound, and Newton 2-D gives
gradient descent's local bound at x_k."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from optgui.core.stepping import DIVERGED
from optgui.gui.rate_gauge import ZONE_TINTS
from tests.gui.helpers import TIMEOUT, click, number, open_tab, step_to
from tests.gui.test_training_progress import play_to_the_end, status, type_into


def plain(text: str) -> str:
    """Rich text's words as read: entities decoded, no word joiners (U+2060, which keep
    "2/λmax" on one line)."""
    return html.unescape(text).replace("\u2060", "")


def regression(window, qtbot):
    return open_tab(window, qtbot, "Regression")


def tint(box) -> str:
    return box.lineEdit().palette().color(QPalette.ColorRole.Base).name().upper()


def note(tab) -> str:
    """The words under the box as a student reads them (in rich text "max" is a
    subscript: the plain text reads λmax)."""
    return plain(re.sub(r"<[^>]+>", "", tab.findChild(QLabel, "rate_bound").text()))


def test_the_box_turns_red_above_the_bound_and_green_below(window, qtbot):
    tab = regression(window, qtbot)  # the slides' houses, normalised: H = I, 2/λ_max = 2
    assert tab.rate.property("zone") == "falls"
    assert tint(tab.rate) == QColor(ZONE_TINTS["falls"]).name().upper()
    assert note(tab) == "α = 0.1 < 2/λmax = 2: the cost falls."
    assert tab.rate_gauge.isVisibleTo(tab) and tab.rate_gauge.check.limit == pytest.approx(2)

    type_into(qtbot, tab.rate, "2.1")
    assert tab.lesson.learning_rate == 2.1
    assert tab.rate.property("zone") == "diverges"
    assert tint(tab.rate) == QColor(ZONE_TINTS["diverges"]).name().upper()
    assert note(tab).startswith("α = 2.1 > 2/λmax = 2: the cost will grow.")
    assert "α must stay below 2/λ_max = 2 for the cost to fall" in tab.rate.toolTip()
    # the mark: α sits right of the bound on the gauge
    gauge = tab.rate_gauge
    assert gauge.position(2.1) > gauge.position(gauge.check.limit)

    # while typing (before Return) the colour already answers
    tab.rate.setFocus()
    tab.rate.selectAll()
    qtbot.keyClicks(tab.rate, "1.5")
    assert tab.rate.property("zone") == "zigzags"
    assert tint(tab.rate) == QColor(ZONE_TINTS["zigzags"]).name().upper()
    qtbot.keyClick(tab.rate, Qt.Key.Key_Return)
    assert tab.lesson.learning_rate == 1.5 and "zigzag" in note(tab)

    type_into(qtbot, tab.rate, "0.5")
    assert tab.rate.property("zone") == "falls"


def test_raw_units_move_the_bound(window, qtbot):
    tab = regression(window, qtbot)
    box = tab.normalize
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not tab.lesson.normalize
    # switching to raw ft² set a stable α (half the bound, rounded down)
    assert tab.rate.property("zone") == "falls"
    X = np.column_stack([[1000.0, 2000.0, 3000.0], np.ones(3)])
    limit = 2 / np.linalg.eigvalsh(X.T @ X / 3).max()
    assert tab.rate_gauge.check.limit == pytest.approx(limit)
    assert "2/λmax = 4.3e−07" in note(tab)


def test_a_diverging_run_names_the_bound(window, qtbot):
    tab = regression(window, qtbot)
    type_into(qtbot, tab.rate, "2.1")
    qtbot.keyClick(tab.controls.speed, Qt.Key.Key_End)
    outcome = play_to_the_end(qtbot, tab)
    assert outcome.status == DIVERGED
    assert status(window).startswith(f"Diverged at step {outcome.k}: the cost grew to ")
    assert status(window).endswith(
        "— the learning rate is too large for this data: α = 2.1 > 2/λ_max = 2"
    )
    # (under the plot "max" is a subscript: the plain text reads λmax)
    assert f"⚠ Diverged at step {outcome.k}: α = 2.1 > 2/λmax = 2." in plain(tab.cost_note.text)


def local_bound_numbers(tab) -> tuple[list[float], float]:
    text = tab.math.text()
    line = next(part for part in text.split("<br>") if "Gradient descent at x" in part)
    words = plain(re.sub(r"<[^>]+>", "", line))
    eig = re.search(r"eigenvalues (\S+) and (\S+?),", words)
    bound = re.search(r"2/λmax = 2/\S+ = (\S+) ", words)
    return [number(eig.group(1)), number(eig.group(2))], number(bound.group(1))


def test_newton_2d_shows_the_local_bound_at_x_k(window, qtbot):
    tab = open_tab(window, qtbot, "Newton 2-D")
    seen = []
    for n in (1, 2, 3):  # steps 0, 1, 2: at x_0, x_1, x_2
        step_to(qtbot, window, tab, n)
        qtbot.waitUntil(lambda: "Gradient descent at x" in tab.math.text(), timeout=TIMEOUT)
        # x_k as the panel gives it ("f(4, 4) = 528, …"), then H(x_k) from f's own derivatives
        words = plain(re.sub(r"<[^>]+>", "", tab.math.text()))
        x = [number(v) for v in re.search(r"f\((\S+), (\S+)\) = ", words).groups()]
        seen.append(tuple(x))
        lam = np.linalg.eigvalsh(tab.function.hessian(np.array(x)))
        shown, bound = local_bound_numbers(tab)
        assert shown == pytest.approx(lam, rel=1e-3)
        assert bound == pytest.approx(2 / lam[-1], rel=5e-3)
    assert len(set(seen)) == 3  # three different points: the bound follows x_k
    assert seen[0] == (4.0, 4.0)
    click(qtbot, tab.controls.reset_button)
    qtbot.waitUntil(lambda: "2/198.6 = " in tab.math.text(), timeout=TIMEOUT)
