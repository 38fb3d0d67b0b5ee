"""Typeset formulas that fit their column: a sideways-scrolling strip and a shrinking label."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from optgui.gui import style
from optgui.gui.layout import SideScroll
from optgui.gui.mathtext import TOO_LONG, Formula, pixmap_soon


class FormulaStrip(SideScroll):
    """Typeset formulas stacked in a box that scrolls sideways (long ones do not widen it)."""

    def __init__(self, count: int, parent: QWidget | None = None):
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        self.labels = [Formula() for _ in range(count)]
        for formula in self.labels:
            layout.addWidget(formula)
        super().__init__(body, parent)
        self.setToolTip("The derivatives, computed symbolically from the typed function")

    def set_latex(self, texts: list[str]) -> None:
        for formula, tex in zip(self.labels, texts, strict=True):
            formula.set_latex(tex)
        self.updateGeometry()


class FitFormula(QLabel):
    """A typeset formula that takes a smaller size when the column is too narrow for it."""

    #: The sizes tried, largest first, as points above (or below) the app's text size.
    STEPS = (+3, +1, -1)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.latex = ""
        self._shown: tuple[str, int] = ("", 0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)

    def set_latex(self, latex: str) -> None:
        self.latex = latex
        self.setAccessibleName(latex)  # (screen readers and tests read the source)
        self._render()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._render()

    @classmethod
    def sizes(cls) -> list[int]:
        """The sizes to try (they follow zoom and presentation mode), the smallest 8 pt."""
        return [max(8, style.Look.font_pt + step) for step in cls.STEPS] + [8]

    def refresh(self) -> None:
        """Typeset again at the app's present text size (zoom, presentation mode)."""
        self._render()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.latex and self._shown[0] != self.latex:  # typeset while it was hidden
            self._render()

    def _ready(self) -> None:
        """Typeset in the background: show it, unless the window has closed meanwhile."""
        if self.isVisible():
            self._render()

    def _render(self) -> None:
        if not self.latex:
            self._shown = ("", 0)
            self.clear()
            return
        ratio = self.devicePixelRatioF()
        width = max(self.width(), 60)
        try:  # the largest size that fits (rendered pictures are cached)
            for points in self.sizes():
                pm = pixmap_soon(
                    self.latex, points, style.INK, ratio, owner=self, then=self._ready
                )
                if pm is None:
                    return  # being typeset in the background: back here when it is ready
                if pm.width() / ratio <= width:
                    break
        except Exception as err:  # noqa: BLE001 - a formula mathtext cannot parse shows as text
            self._shown = ("", 0)
            self.setText(TOO_LONG if str(err) == TOO_LONG else self.latex)
            return
        if (self.latex, points) != self._shown:
            self._shown = (self.latex, points)
            self.setPixmap(pm)
