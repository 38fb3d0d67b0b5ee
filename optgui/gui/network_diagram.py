"""The network diagram: inputs, hidden units and output, every parameter on screen.

Each weight is an edge (blue positive, vermilion negative, thicker when larger)
labelled with its value; each bias sits in a box under its node; each hidden
unit and the output show a small picture of their activation over the input
plane. With the selected example's x1, x2 written at the inputs, a student can
compute any node by hand from what is drawn. Clicking an edge, its label, a
bias or a node selects that parameter (``parameter_clicked``).

The widget only draws: the values and activation maps come from the tab, which
gets them from the core model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from optgui.core.format import fmt
from optgui.gui import style
from optgui.lessons.network import pretty

_LUT = pg.colormap.get(style.COLORMAP, source="matplotlib").getLookupTable(nPts=256, alpha=False)
HIGHLIGHT = style.YELLOW
LEGEND = (
    "Weights on the edges: blue = positive, vermilion = negative, thicker = larger; "
    "biases in the boxes at the nodes. "
    "Each square shows that node's value over the whole input plane "
    "(x₁ to the right, x₂ up; dark = low, yellow = high). "
    "Click an edge or a bias box to see its chain rule."
)


def edge_width(value: float) -> float:
    """Pen width in pixels for a weight: 1 px near 0, growing to about 10 px for large |w|."""
    a = abs(value) if math.isfinite(value) else 1e9
    return 1.0 + 9.0 * a / (a + 2.0)


def edge_color(value: float) -> str:
    return style.BLUE if value >= 0 else style.VERMILION


def map_image(values: np.ndarray, levels: tuple[float, float]) -> QImage:
    """A heatmap as an RGB image (row 0 of ``values`` is the bottom of the picture)."""
    lo, hi = levels
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    v = np.nan_to_num(np.asarray(values, dtype=np.float32), nan=lo)
    index = np.clip((v - lo) * scale, 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(_LUT[index[::-1]])
    h, w = index.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


@dataclass
class _Edge:
    name: str  # w11 … (input → hidden) or w1 … (hidden → output)
    src: str  # x1, x2, a1 …
    dst: str  # a1 …, ŷ
    t_label: float  # where along the edge its label sits (0 = source, 1 = target)


@dataclass
class _Shape:
    """Pixel geometry for one widget size and width of the hidden layer."""

    nodes: dict[str, QRectF]  # hidden units and output: the picture's square
    inputs: dict[str, tuple[QPointF, float]]  # centre and radius
    lines: dict[str, QLineF]  # edge name → segment
    font: QFont
    small: QFont
    title: QRectF
    legend: QRectF
    bias_boxes: dict[str, QRectF]  # fixed boxes right of crowded hidden units
    weight_boxes: dict[str, QRectF]  # crowded: w1j, w2j left of unit j, wj right of its bias
    boxes: QFont  # the labels' and boxes' font (smaller in a crowded diagram if need be)


class NetworkDiagram(QWidget):
    """A 2-h-1 network drawn with its parameters, node values and activation maps."""

    parameter_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("network_diagram")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("")
        self._hidden = 2
        self._edges: list[_Edge] = []
        self._params: dict[str, float] = {}
        self._values: dict[str, float] = {}
        self._images: dict[str, QImage] = {}
        self._selected: str | None = "w11"
        self._caption = ""
        self._shape: _Shape | None = None
        self._shape_key: tuple[int, int, int, int] | None = None
        self._label_rects: dict[str, QRectF] = {}
        self._bias_rects: dict[str, QRectF] = {}
        self.set_shape(2)

    # -- content --------------------------------------------------------------
    @property
    def hidden(self) -> int:
        return self._hidden

    @property
    def crowded(self) -> bool:
        """More than three hidden units: each unit's two input weights in a row of boxes
        just left of it and its bias just right (edges into a crowded column are too close
        for labels on them), with two digits."""
        return self._hidden > 3

    def set_shape(self, hidden: int) -> None:
        """Draw a 2-``hidden``-1 network."""
        self._hidden = hidden
        # few units: labels near the inputs, where the edges fan out; many units: near the
        # hidden units, where the two edges into each unit arrive side by side
        t_in = 0.3 if hidden <= 3 else 0.84
        self._edges = [
            _Edge(f"w{i}{j}", f"x{i}", f"a{j}", t_in) for j in range(1, hidden + 1) for i in (1, 2)
        ]
        t_out = 0.58 if hidden <= 3 else 0.3  # (clear of the bias boxes under the squares)
        self._edges += [_Edge(f"w{j}", f"a{j}", "ŷ", t_out) for j in range(1, hidden + 1)]
        self._params = {}
        self._values = {}
        self._images = {}
        self._shape = None
        self.update()

    def edge_names(self) -> list[str]:
        """The weights drawn as edges, in the core's order (w11, w21, w12, …, w1, w2 …)."""
        return [e.name for e in self._edges]

    def bias_names(self) -> list[str]:
        return [f"b{j}" for j in range(1, self._hidden + 1)] + ["b"]

    def set_parameters(self, params: Mapping[str, float]) -> None:
        """Parameter name → value (all weights and biases)."""
        self._params = dict(params)
        self.update()

    def set_values(self, values: Mapping[str, float], caption: str = "") -> None:
        """Node values of the selected example: x1, x2, z1, a1, …, z, ŷ."""
        self._values = dict(values)
        self._caption = caption
        self.update()

    def set_maps(
        self, maps: Mapping[str, np.ndarray], levels: Mapping[str, tuple[float, float]]
    ) -> None:
        """Activation over the input plane for each node ("a1" …, "ŷ"), with colour levels."""
        self._images = {name: map_image(v, levels[name]) for name, v in maps.items()}
        self.update()

    def select(self, name: str | None) -> None:
        self._selected = name
        self.update()

    @property
    def selected(self) -> str | None:
        return self._selected

    def point_of(self, name: str) -> QPoint:
        """A pixel that selects parameter ``name`` when clicked (for tests and tours)."""
        shape = self._geometry()
        if name in shape.lines:
            return shape.lines[name].pointAt(0.3).toPoint()
        self._text_rects(shape)
        return self._bias_rects[name].center().toPoint()

    # -- geometry -------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, 420)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(300, 220)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._shape = None
        super().resizeEvent(event)

    def _fonts(self) -> tuple[QFont, QFont]:
        w, h = self.width(), self.height()
        pt = style.Look.font_pt
        if self.crowded or h < 380 or w < 520:
            pt -= 2
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, pt))
        small = QFont(font)
        small.setPointSizeF(max(7.0, pt - 1))
        return font, small

    def _geometry(self) -> _Shape:
        key = (self.width(), self.height(), style.Look.font_pt, self._hidden)
        if self._shape is not None and self._shape_key == key:
            return self._shape
        self._shape_key = key
        font, small = self._fonts()
        fm = QFontMetricsF(font)
        line = fm.height()
        w, h = float(self.width()), float(self.height())
        title = QRectF(8, 4, w - 16, line * 1.4)
        small_fm = QFontMetricsF(small)
        legend_h = small_fm.boundingRect(
            QRectF(0, 0, w - 16, 10 * line), Qt.TextFlag.TextWordWrap, LEGEND
        ).height()
        if legend_h > 0.15 * h:  # big text on a small diagram: the legend becomes a tooltip
            legend_h = 0.0
        legend = QRectF(8, h - legend_h - 4, w - 16, legend_h + 2)
        top = title.bottom() + 4
        bottom = legend.top() - 4
        area = max(40.0, bottom - top)
        n = self._hidden
        many = self.crowded
        x_in, x_hid, x_out = 0.09 * w, 0.5 * w, 0.84 * w
        slot = area / n
        radius = max(14.0, min(0.05 * w, 0.09 * area, 36.0))
        labels = 2 * line + 8  # value line above, bias box below
        if many:  # the bias box goes right of its square, the value into the forward table
            side = max(14.0, min(slot - 6, 0.09 * w, 70.0))
        else:
            side = max(16.0, min(slot - labels, 0.17 * w, 150.0))
        out_side = max(side, min(area - labels - 8, (0.12 if many else 0.17) * w, 150.0))
        nodes = {}
        bias_boxes: dict[str, QRectF] = {}
        weight_boxes: dict[str, QRectF] = {}
        box_font = small
        if many:
            box_font, x_in, x_hid, x_out, boxes = self._rows(small, w, fm, radius, side, out_side)
        box_h = QFontMetricsF(box_font).height() + 2
        for j in range(1, n + 1):
            y = top + (j - 0.5) * slot
            shift = 0 if many else 2
            node = QRectF(x_hid - side / 2, y - side / 2 + shift, side, side)
            nodes[f"a{j}"] = node
            if many:  # a row: [w1j][w2j] aj [+ bj][wj], each box as wide as its widest text
                in_w, bias_w, out_w = boxes
                row = QRectF(0, y - box_h / 2, 0, box_h)
                weight_boxes[f"w2{j}"] = row.adjusted(
                    node.left() - 3 - in_w, 0, node.left() - 3, 0
                )
                weight_boxes[f"w1{j}"] = weight_boxes[f"w2{j}"].translated(-in_w - 2, 0)
                bias = row.adjusted(node.right() + 3, 0, node.right() + 3 + bias_w, 0)
                bias_boxes[f"b{j}"] = bias
                weight_boxes[f"w{j}"] = row.adjusted(
                    bias.right() + 3, 0, bias.right() + 3 + out_w, 0
                )
        y_out = top + area / 2
        nodes["ŷ"] = QRectF(x_out - out_side / 2, y_out - out_side / 2 + 2, out_side, out_side)
        inputs = {
            "x1": (QPointF(x_in, top + 0.3 * area), radius),
            "x2": (QPointF(x_in, top + 0.7 * area), radius),
        }
        lines = {}
        for e in self._edges:
            if e.src in inputs:
                centre, r = inputs[e.src]
                start = QPointF(centre.x() + r, centre.y())
                end_rect = nodes[e.dst]
                # (crowded: the edges of a unit meet at its row of weight boxes)
                left = weight_boxes.get(f"w1{e.dst[1:]}", end_rect).left()
                end = QPointF(left, end_rect.center().y())
            else:  # (crowded: from the unit's output weight box, else from its bias box)
                src = weight_boxes.get(e.name, bias_boxes.get(f"b{e.src[1:]}", nodes[e.src]))
                start = QPointF(src.right(), nodes[e.src].center().y())
                end = QPointF(nodes["ŷ"].left(), nodes["ŷ"].center().y())
            lines[e.name] = QLineF(start, end)
        self._shape = _Shape(
            nodes, inputs, lines, font, small, title, legend, bias_boxes, weight_boxes, box_font
        )
        return self._shape

    def _rows(
        self, small: QFont, w: float, fm: QFontMetricsF, radius: float, side: float, out: float
    ) -> tuple[QFont, float, float, float, tuple[float, float, float]]:
        """A crowded layout's font for the boxes (smaller until the rows fit with room for
        the edges to fan out), the x of the inputs, the hidden units and the output, and
        the widths of the input weight, bias and output weight boxes."""
        x_in = 0.07 * w
        half_label = fm.horizontalAdvance("z = −0.000 → ŷ = 0.000") / 2
        x_out = min(0.86 * w, w - 8 - max(out / 2, half_label))
        font = QFont(small)
        while True:
            sfm = QFontMetricsF(font)
            boxes = (
                sfm.horizontalAdvance("w₂₈ = −0.0088") + 8,
                sfm.horizontalAdvance("+ b₈ = −0.0088") + 8,
                sfm.horizontalAdvance("w₈ = −0.0088") + 8,
            )
            in_w, bias_w, out_w = boxes
            block = 2 * in_w + 2 + 3 + side + 3 + bias_w + 3 + out_w
            room = (x_out - out / 2) - (x_in + radius) - block
            if room >= 0.1 * w or font.pointSizeF() <= 7.0:
                break
            font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        x_hid = x_in + radius + max(0.0, 0.45 * room) + 2 * in_w + 2 + 3 + side / 2
        return font, x_in, x_hid, x_out, boxes

    def _text_rects(self, shape: _Shape) -> None:
        """Where the edge labels and bias boxes go (their text changes every step)."""
        fm = QFontMetricsF(shape.boxes)
        pad = 3.0
        self._label_rects = {}
        for e in self._edges:
            if e.name in shape.weight_boxes:
                self._label_rects[e.name] = shape.weight_boxes[e.name]
                continue
            text = self._edge_text(e.name)
            tw, th = fm.horizontalAdvance(text) + 2 * pad, fm.height() + 2
            at = shape.lines[e.name].pointAt(e.t_label)
            self._label_rects[e.name] = QRectF(at.x() - tw / 2, at.y() - th / 2, tw, th)
        self._bias_rects = {}
        for j, bias in enumerate(self.bias_names(), start=1):
            if bias in shape.bias_boxes:
                self._bias_rects[bias] = shape.bias_boxes[bias]
                continue
            node = shape.nodes[f"a{j}" if bias != "b" else "ŷ"]
            text = self._bias_text(bias)
            tw, th = fm.horizontalAdvance(text) + 2 * pad, fm.height() + 2
            self._bias_rects[bias] = QRectF(node.center().x() - tw / 2, node.bottom() + 2, tw, th)

    def _edge_text(self, name: str) -> str:
        value = self._params.get(name)
        if value is None:
            return pretty(name)
        if self.crowded:  # two digits in the crowded rows (all of them in the tooltip)
            return f"{pretty(name)} = {fmt(value, 2)}"
        return f"{pretty(name)} = {fmt(value, 3)}"

    def _bias_text(self, name: str) -> str:
        value = self._params.get(name)
        if value is None:
            return f"+ {pretty(name)}"
        return f"+ {pretty(name)} = {fmt(value, 2 if self.crowded else 3)}"

    # -- painting -------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        shape = self._geometry()
        self._text_rects(shape)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), QColor("white"))
        self._paint_title(p, shape)
        self._paint_edges(p, shape)
        self._paint_nodes(p, shape)
        self._paint_labels(p, shape)
        self._paint_legend(p, shape)
        p.end()

    def _paint_title(self, p: QPainter, shape: _Shape) -> None:
        font = QFont(shape.font)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(style.INK))
        n = self._hidden
        title = f"The 2-{n}-1 network"
        long = f"{title} with the {self._caption}" if self._caption else title
        if QFontMetricsF(font).horizontalAdvance(long) <= shape.title.width():
            title = long  # (on a narrow stage the chain rule's heading names the example)
        p.drawText(shape.title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

    def _paint_edges(self, p: QPainter, shape: _Shape) -> None:
        for e in self._edges:
            line = shape.lines[e.name]
            value = self._params.get(e.name, 0.0)
            width = edge_width(value)
            if e.name == self._selected:
                halo = QPen(QColor(HIGHLIGHT), width + 10)
                halo.setCapStyle(Qt.PenCapStyle.RoundCap)
                p.setPen(halo)
                p.drawLine(line)
            pen = QPen(QColor(edge_color(value)), width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawLine(line)

    def _paint_nodes(self, p: QPainter, shape: _Shape) -> None:
        fm = QFontMetricsF(shape.font)
        # inputs: a circle with the name, the example's value above
        for name, (centre, r) in shape.inputs.items():
            p.setPen(QPen(QColor(style.INK), 2))
            p.setBrush(QBrush(QColor("#EDEDED")))
            p.drawEllipse(centre, r, r)
            p.setFont(shape.font)
            p.drawText(
                QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r),
                Qt.AlignmentFlag.AlignCenter,
                pretty(name),
            )
            if name in self._values:
                text = f"{pretty(name)} = {fmt(self._values[name], 3)}"
                tw = fm.horizontalAdvance(text)
                left = max(2.0, centre.x() - tw / 2)
                rect = QRectF(left, centre.y() - r - fm.height() - 2, tw + 2, fm.height())
                p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        # hidden units and output: the activation picture, the values above
        for name, rect in shape.nodes.items():
            image = self._images.get(name)
            if image is not None:
                p.drawImage(rect, image)
            else:
                p.fillRect(rect, QColor("#DDDDDD"))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(QColor(style.INK), 2))
            p.drawRect(rect)
            if self.crowded and name != "ŷ":
                self._paint_name_inside(p, shape, name, rect)
                continue
            p.setFont(shape.font)
            p.drawText(
                QRectF(
                    rect.left() - 60, rect.top() - fm.height() - 2, rect.width() + 120, fm.height()
                ),
                Qt.AlignmentFlag.AlignCenter,
                self._node_text(name, fm, rect.width() + 120),
            )

    @staticmethod
    def _paint_name_inside(p: QPainter, shape: _Shape, name: str, rect: QRectF) -> None:
        p.setFont(shape.small)
        fm = QFontMetricsF(shape.small)
        box = QRectF(
            rect.left() + 1, rect.top() + 1, fm.horizontalAdvance(pretty(name)) + 4, fm.height()
        )
        p.fillRect(box, style.qcolor("#FFFFFF", 200))
        p.setPen(QColor(style.INK))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, pretty(name))

    def _node_text(self, name: str, fm: QFontMetricsF, room: float) -> str:
        z_name = "z" if name == "ŷ" else f"z{name[1:]}"
        if name not in self._values:
            return pretty(name)
        a = f"{pretty(name)} = {fmt(self._values[name], 3)}"
        full = f"{pretty(z_name)} = {fmt(self._values.get(z_name, math.nan), 3)} → {a}"
        return full if fm.horizontalAdvance(full) <= room else a

    def _paint_labels(self, p: QPainter, shape: _Shape) -> None:
        p.setFont(shape.boxes)
        for e in self._edges:
            value = self._params.get(e.name, 0.0)
            self._paint_box(
                p,
                self._label_rects[e.name],
                self._edge_text(e.name),
                edge_color(value),
                e.name == self._selected,
            )
        for bias in self.bias_names():
            value = self._params.get(bias, 0.0)
            self._paint_box(
                p,
                self._bias_rects[bias],
                self._bias_text(bias),
                edge_color(value),
                bias == self._selected,
            )

    @staticmethod
    def _paint_box(p: QPainter, rect: QRectF, text: str, color: str, selected: bool) -> None:
        fill = QColor(HIGHLIGHT) if selected else style.qcolor("#FFFFFF", 235)
        p.setPen(QPen(QColor(color), 2.5 if selected else 1.5))
        p.setBrush(QBrush(fill))
        p.drawRoundedRect(rect, 4, 4)
        p.setPen(QColor(style.INK))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_legend(self, p: QPainter, shape: _Shape) -> None:
        if shape.legend.height() < 4:
            return
        p.setFont(shape.small)
        p.setPen(QColor(style.GREY))
        p.drawText(shape.legend, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, LEGEND)

    # -- interaction ----------------------------------------------------------
    def parameter_at(self, pos: QPointF) -> str | None:
        """The parameter drawn at ``pos`` (label, bias box, node, or near an edge)."""
        shape = self._geometry()
        if not self._label_rects:
            self._text_rects(shape)
        for name, rect in self._bias_rects.items():
            if rect.contains(pos):
                return name
        for name, rect in self._label_rects.items():
            if rect.contains(pos):
                return name
        for j, bias in enumerate(self.bias_names(), start=1):
            if shape.nodes[f"a{j}" if bias != "b" else "ŷ"].contains(pos):
                return bias
        best, best_d = None, math.inf
        for e in self._edges:
            line = shape.lines[e.name]
            d = _distance(pos, line)
            reach = max(7.0, edge_width(self._params.get(e.name, 0.0)) / 2 + 4)
            if d <= reach and d < best_d:
                best, best_d = e.name, d
        return best

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        name = self.parameter_at(event.position())
        if name is not None:
            self.select(name)
            self.parameter_clicked.emit(name)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        name = self.parameter_at(event.position())
        cursor = Qt.CursorShape.PointingHandCursor if name else Qt.CursorShape.ArrowCursor
        self.setCursor(cursor)
        super().mouseMoveEvent(event)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            name = self.parameter_at(QPointF(event.pos()))
            text = self._describe(name) if name else LEGEND
            QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)

    def _describe(self, name: str) -> str:
        value = self._params.get(name)
        v = "" if value is None else f" = {fmt(value, 6)}"
        if name == "b":
            what = "bias of the output: z = Σ aⱼ·wⱼ + b"
        elif name.startswith("b"):
            j = name[1:]
            what = f"bias of hidden unit {j}: z{j} = x1·w1{j} + x2·w2{j} + b{j}"
        elif len(name) == 2:
            what = f"weight from a{name[1:]} to the output"
        else:
            what = f"weight from input x{name[1]} to hidden unit a{name[2:]}"
        return f"{pretty(name)}{v}: {what}. Click to see its chain rule."


def _distance(pos: QPointF, line: QLineF) -> float:
    """Distance in pixels from ``pos`` to the segment ``line``."""
    ax, ay, bx, by = line.x1(), line.y1(), line.x2(), line.y2()
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((pos.x() - ax) * dx + (pos.y() - ay) * dy) / length2
    t = min(1.0, max(0.0, t))
    return math.hypot(pos.x() - (ax + t * dx), pos.y() - (ay + t * dy))
