"""What the Hessian Explorer draws at its point: the eigenvector cross and the gradient arrow.

Each is one pyqtgraph item (like pyqtgraph's ``ArrowItem``): it paints its own
lines over a white halo, owns its labels, reports ``dataBounds`` and takes its
look from :meth:`setStyle`. Lines are drawn in data coordinates with cosmetic
pens, so they keep their width whatever the zoom; widths default to the app's
current pen (presentation mode thickens them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt

from optgui.gui import style

_LABEL_FILL = (255, 255, 255, 200)


def _label(text: str = "", anchor=(0, 0.5)) -> pg.TextItem:
    item = pg.TextItem(text, color=style.INK, anchor=anchor, fill=pg.mkBrush(*_LABEL_FILL))
    item.setFont(style.Look.axis_font())
    return item


class _Lines(pg.GraphicsObject):
    """Straight segments over a white halo, painted by the item itself."""

    def __init__(self, **opts):
        super().__init__()
        self.opts = {"width": None, "extra": 1.0, "halo": 3.0}
        self.opts.update(opts)
        self._segments: list[tuple[QLineF, pg.QtGui.QPen]] = []

    def setStyle(self, **opts) -> None:  # noqa: N802 - pyqtgraph's name
        """``width`` of the lines in pixels (None: the app's pen + ``extra``) and ``halo``,
        how many pixels wider the white line under each is."""
        self.opts.update(opts)
        self.update()

    def _width(self) -> float:
        width = self.opts["width"]
        return float(style.Look.pen + self.opts["extra"] if width is None else width)

    def _set_segments(self, segments: list[tuple[QLineF, pg.QtGui.QPen]]) -> None:
        self.prepareGeometryChange()
        self._segments = segments
        self.informViewBoundsChanged()
        self.update()

    def _extent(self) -> QRectF:
        rect = QRectF()
        for line, _ in self._segments:
            rect = rect.united(QRectF(line.p1(), line.p2()).normalized())
        return rect

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        rect = self._extent()
        if rect.isNull() and not self._segments:
            return QRectF()
        px, py = self.pixelSize() if self.getViewBox() is not None else (0.0, 0.0)
        pad = self._width() + self.opts["halo"] + 2
        return rect.adjusted(-pad * px, -pad * py, pad * px, pad * py)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802
        if not self._segments:
            return (None, None)
        rect = self._extent()
        return (rect.left(), rect.right()) if ax == 0 else (rect.top(), rect.bottom())

    def paint(self, p, *args) -> None:
        if not self._segments:
            return
        p.setRenderHint(p.RenderHint.Antialiasing, True)
        width = self._width()
        halo = pg.mkPen("w", width=width + self.opts["halo"])
        for line, _ in self._segments:
            p.setPen(halo)
            p.drawLine(line)
        for line, pen in self._segments:
            pen = pg.mkPen(pen)
            pen.setWidthF(width)
            p.setPen(pen)
            p.drawLine(line)


@dataclass(frozen=True)
class Arm:
    """One eigenvector's line: ``direction`` (unit) drawn ``length`` either side of the
    point, its colour and dash (from the sign of λ), and its label, ``label_at`` from the
    point along the direction."""

    direction: tuple[float, float]
    length: float
    color: str
    dash: Qt.PenStyle
    label: str
    label_at: float


class EigenCross(_Lines):
    """The Hessian's eigenvector directions through the point, labelled with their λ."""

    def __init__(self, arms: int = 2, **opts):
        super().__init__(**{"extra": 1.5, "halo": 2.5, **opts})
        self.setZValue(12)
        self._point = np.zeros(2)
        self._arms: tuple[Arm, ...] = ()
        self.labels = [_label() for _ in range(arms)]
        for label in self.labels:
            label.setParentItem(self)
            label.setZValue(30)

    def set_cross(self, point: Sequence[float], arms: Sequence[Arm]) -> None:
        """Draw ``arms`` through ``point``; no arms hides the cross."""
        self._point = np.asarray(point[:2], dtype=float)
        self._arms = tuple(arms)[: len(self.labels)]
        segments = []
        for arm in self._arms:
            v = np.asarray(arm.direction, dtype=float)
            a, b = self._point - arm.length * v, self._point + arm.length * v
            segments.append((QLineF(QPointF(*a), QPointF(*b)), style.pen(arm.color, 1, arm.dash)))
        self._set_segments(segments)
        for i, label in enumerate(self.labels):
            if i < len(self._arms):
                arm = self._arms[i]
                label.setText(arm.label)
                label.setColor(pg.mkColor(arm.color))
                label.setFont(style.Look.axis_font())  # (the size of now: presenting is larger)
            label.setVisible(i < len(self._arms))
        self._place_labels()

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph API
        super().viewTransformChanged()
        self._place_labels()

    def _place_labels(self) -> None:
        """Each label just past its line's end, written away from the line unless the
        text would leave the map."""
        vb = self.getViewBox()
        for arm, label in zip(self._arms, self.labels, strict=False):
            v = np.asarray(arm.direction, dtype=float)
            at = self._point + arm.label_at * v
            label.setPos(*at)
            right = v[0] >= 0
            if vb is not None:
                (x0, x1), _ = vb.viewRange()
                width = label.boundingRect().width() * vb.viewPixelSize()[0]
                if right and at[0] + width > x1:
                    right = False
                elif not right and at[0] - width < x0:
                    right = True
            label.setAnchor((0, 0.5) if right else (1, 0.5))


class GradientArrow(_Lines):
    """∇f at the point: a shaft, an arrowhead at its tip and the label ∇f beyond it."""

    def __init__(self, **opts):
        super().__init__(**opts)
        self.setZValue(14)
        self.head = pg.ArrowItem(
            headLen=18, tipAngle=36, tailLen=0, brush=style.INK, pen=pg.mkPen("w", width=1.5)
        )
        self.head.setParentItem(self)
        self.head.setZValue(15)
        self.label = _label("∇f", anchor=(0.5, 0.5))
        self.label.setParentItem(self)
        self.label.setZValue(30)
        self._tip = (0.0, 0.0)
        self._base = (0.0, 0.0)

    def set_arrow(self, base: Sequence[float], tip: Sequence[float], label_at: Sequence[float]):
        """Draw the arrow from ``base`` to ``tip`` with its label at ``label_at``."""
        self._base = (float(base[0]), float(base[1]))
        self._tip = (float(tip[0]), float(tip[1]))
        line = QLineF(QPointF(*self._base), QPointF(*self._tip))
        self._set_segments([(line, style.pen(style.INK, 1))])
        self.head.setPos(*self._tip)
        self.label.setPos(float(label_at[0]), float(label_at[1]))
        self._turn_head()
        self.setVisible(True)

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph API
        super().viewTransformChanged()
        self._turn_head()

    def _turn_head(self) -> None:
        """The head is drawn in pixels: point it along the shaft as the screen shows it."""
        vb = self.getViewBox()
        if vb is None or not self._segments:
            return
        a = vb.mapViewToScene(QPointF(*self._base))
        b = vb.mapViewToScene(QPointF(*self._tip))
        self.head.setStyle(angle=180 + math.degrees(math.atan2(b.y() - a.y(), b.x() - a.x())))
