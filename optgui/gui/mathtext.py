"""Typeset formulas: LaTeX math rendered by matplotlib's mathtext into pixmaps.

Only matplotlib's Agg-based mathtext is used (no TeX installation, no pyplot).
Formulas are cached: the same formula is rendered once.
"""

from __future__ import annotations

import io
from functools import lru_cache

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy

from optgui.gui.style import INK, Look
from optgui.lessons.notation import tex_column, tex_matrix, tex_number  # noqa: F401 - here before


@lru_cache(maxsize=512)
def _png(latex: str, points: int, color: str, ratio: float) -> bytes:
    import matplotlib  # (imported on first use: it adds a fifth to the start-up time)

    matplotlib.use("Agg")
    from matplotlib import mathtext

    buffer = io.BytesIO()
    dpi = 96 * ratio * points / 10  # mathtext renders at 10 pt by default
    mathtext.math_to_image(f"${latex}$", buffer, dpi=dpi, format="png", color=color)
    return buffer.getvalue()


def pixmap(latex: str, points: int | None = None, color: str = INK, ratio: float = 1.0) -> QPixmap:
    """The formula as a pixmap (``latex`` without surrounding dollars)."""
    points = points or Look.font_pt + 6
    pm = QPixmap()
    pm.loadFromData(_png(latex, points, color, round(ratio * 4) / 4))
    pm.setDevicePixelRatio(ratio)
    return pm


class Formula(QLabel):
    """A label that shows one typeset formula; falls back to text if it cannot render.

    A formula not on screen yet is typeset shortly after it first shows, so a
    window appears before its formulas (typesetting takes 10–30 ms each, and
    loading matplotlib for the first one a quarter of a second).
    """

    def __init__(self, latex: str = "", points: int | None = None, parent=None):
        super().__init__(parent)
        self._points = points
        self._due = False  # latex changed while not shown: typeset when shown
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_latex(latex)

    def set_latex(self, latex: str) -> None:
        self.latex = latex
        self.setToolTip(latex)
        if not latex:
            self._due = False
            self.clear()
        elif self.isVisible():
            self._typeset()
        else:
            self._due = True

    def _typeset(self) -> None:
        self._due = False
        _waiting.discard(self)
        try:
            self.setPixmap(pixmap(self.latex, self._points, INK, self.devicePixelRatioF()))
        except Exception:  # noqa: BLE001 - a formula mathtext cannot parse shows as text
            self.setText(self.latex)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._due:
            _typeset_soon(self)

    def pixmap(self) -> QPixmap:
        if self._due:  # asked for before it was shown (tests, export): typeset now
            self._typeset()
        return super().pixmap()

    def refresh(self) -> None:
        self.set_latex(self.latex)


_waiting: set[Formula] = set()
_timer: QTimer | None = None


def _typeset_soon(formula: Formula) -> None:
    global _timer
    _waiting.add(formula)
    if _timer is None or not shiboken6.isValid(_timer):  # (gone with an old QApplication)
        _timer = QTimer()
        _timer.setSingleShot(True)
        _timer.timeout.connect(typeset_waiting)
    if not _timer.isActive():
        _timer.start(TYPESET_DELAY_MS)


#: Formulas that have just appeared are typeset this long after, once the window is drawn.
TYPESET_DELAY_MS = 40


def typeset_waiting() -> None:
    """Typeset every formula that is shown but not typeset yet (before a screenshot)."""
    for formula in list(_waiting):
        try:
            if formula._due:
                formula._typeset()
        except RuntimeError:  # its widget was deleted meanwhile
            pass
    _waiting.clear()
