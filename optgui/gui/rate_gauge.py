"""The learning rate against its bound 2/λ_max: a coloured box and a gauge with a mark.

:class:`RateGauge` draws a band on a log scale: green up to 1/λ_max, amber up to
2/λ_max (the mark), red above, and a triangle at α. :func:`colour_box` tints the
learning-rate box in the same colours. The numbers and words come from
:mod:`optgui.lessons.rate_bound`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QLineEdit, QSizePolicy, QWidget

from optgui.core.stability import DIVERGES, FALLS, ZIGZAGS
from optgui.gui import style
from optgui.lessons.rate_bound import RateCheck

#: Each zone's colour (the band and the box's border) and the box's tint.
ZONE_COLOURS = {FALLS: style.GREEN, ZIGZAGS: style.ORANGE, DIVERGES: style.VERMILION}
ZONE_TINTS = {FALLS: "#CDEDE1", ZIGZAGS: "#FBE6B5", DIVERGES: "#F8D2BD"}
#: The gauge spans 2/λ_max ÷ LOW to 2/λ_max × HIGH (a log scale).
LOW, HIGH = 20.0, 5.0


def colour_box(box: QWidget, zone: str | None) -> None:
    """Tint the box's field for ``zone`` (None: as the style draws it), through its
    palette (a style sheet would take the box's arrows away). Its ``zone`` property says
    which (tests and screenshots read it)."""
    box.setProperty("zone", zone or "")
    palette = QApplication.palette(box)
    if zone is not None:
        palette.setColor(QPalette.ColorRole.Base, QColor(ZONE_TINTS[zone]))
        palette.setColor(QPalette.ColorRole.Text, QColor(style.INK))
    box.setPalette(palette)
    line = box.findChild(QLineEdit)
    if line is not None:
        line.setPalette(palette)


class RateGauge(QWidget):
    """α's place on a log scale around 2/λ_max, with the bound marked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rate_gauge")
        self.check: RateCheck | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_check(self, check: RateCheck | None) -> None:
        self.check = check
        self.setToolTip(check.tooltip if check is not None else "")
        self.setVisible(check is not None)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(200, self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(120, round(2.6 * self.fontMetrics().height()))

    def position(self, value: float) -> float:
        """Where ``value`` sits across the band, from 0 (left end) to 1 (right end)."""
        assert self.check is not None
        lo = self.check.limit / LOW
        t = math.log(max(value, 1e-300) / lo) / math.log(LOW * HIGH)
        return min(1.0, max(0.0, t))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        check = self.check
        if check is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        pad = 6.0
        left, width = pad, self.width() - 2 * pad
        top = line + 2  # the words above, the band below
        band = max(6.0, line * 0.55)

        def x(value: float) -> float:
            return left + width * self.position(value)

        half, limit = x(check.limit / 2), x(check.limit)
        for zone, (a, b) in {
            FALLS: (left, half),
            ZIGZAGS: (half, limit),
            DIVERGES: (limit, left + width),
        }.items():
            painter.fillRect(QRectF(a, top, b - a, band), QColor(ZONE_COLOURS[zone]))
        ink = QColor(style.INK)
        painter.setPen(QPen(ink, 2))
        painter.drawLine(QPointF(limit, top - 3), QPointF(limit, top + band + 3))
        # "2/λ" and a smaller, lowered "max"
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.72))
        head_w = metrics.horizontalAdvance("2/λ")
        sub_w = QFontMetricsF(small).horizontalAdvance("max")
        x0 = min(limit - (head_w + sub_w) / 2, self.width() - head_w - sub_w - 1)
        painter.drawText(QPointF(x0, line - 4), "2/λ")
        painter.setFont(small)
        painter.drawText(QPointF(x0 + head_w, line), "max")
        painter.setFont(self.font())
        # α: a triangle under the band, pointing up at it
        a = x(check.learning_rate)
        tip = top + band + 1
        triangle = QPolygonF(
            [
                QPointF(a, tip),
                QPointF(a - line * 0.45, tip + line),
                QPointF(a + line * 0.45, tip + line),
            ]
        )
        painter.setPen(QPen(ink, 1))
        painter.setBrush(ink)
        painter.drawPolygon(triangle)
        label = "α"
        side = (
            a + line * 0.6
            if a < self.width() / 2
            else a - line * 0.6 - metrics.horizontalAdvance(label)
        )
        painter.drawText(QPointF(side, tip + line - 1), label)
        painter.end()
