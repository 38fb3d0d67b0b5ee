"""Typeset formulas: LaTeX math rendered by matplotlib's mathtext into pixmaps.

Only matplotlib's Agg-based mathtext is used (no TeX installation, no pyplot).
Formulas are cached: the same formula is rendered once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import mathtext  # noqa: E402
from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtWidgets import QLabel, QSizePolicy  # noqa: E402

from optgui.gui.style import INK, Look  # noqa: E402
from optgui.gui.tables import fmt  # noqa: E402


@lru_cache(maxsize=512)
def _png(latex: str, points: int, color: str, ratio: float) -> bytes:
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
    """A label that shows one typeset formula; falls back to text if it cannot render."""

    def __init__(self, latex: str = "", points: int | None = None, parent=None):
        super().__init__(parent)
        self._points = points
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_latex(latex)

    def set_latex(self, latex: str) -> None:
        self.latex = latex
        if not latex:
            self.clear()
            return
        try:
            self.setPixmap(pixmap(latex, self._points, INK, self.devicePixelRatioF()))
        except Exception:  # noqa: BLE001 - a formula mathtext cannot parse shows as text
            self.setText(latex)
        self.setToolTip(latex)

    def refresh(self) -> None:
        self.set_latex(self.latex)


def tex_number(value: float, digits: int = 4) -> str:
    """A number for a formula: ``digits`` significant digits, powers of ten as ×10ⁿ."""
    text = fmt(value, digits).replace("−", "-")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def tex_column(entries: Sequence[str]) -> str:
    """A column of a bracketed matrix for matplotlib's mathtext (no matrix environments)."""
    if len(entries) == 1:
        return entries[0]
    return r"\genfrac{}{}{0}{0}{" + entries[0] + "}{" + tex_column(entries[1:]) + "}"


def tex_matrix(rows: Sequence[Sequence[str]]) -> str:
    """A matrix in square brackets, given its entries row by row (LaTeX for mathtext)."""
    columns = list(zip(*rows, strict=True))
    return r"\left[" + r"\quad ".join(tex_column(c) for c in columns) + r"\right]"
