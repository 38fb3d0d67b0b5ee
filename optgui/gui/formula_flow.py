"""A typeset formula that wraps like text: long chains break before '=' and after '\\quad'.

A formula wider than its column is split at its top-level relations
(``a = b = c`` gives ``a``, ``= b``, ``= c``) and the pieces flow onto as many
lines as the column needs, so on a projector nothing is cut off and nothing
scrolls sideways. Pieces are vertically centred on one another.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLayout, QSizePolicy, QWidget

from optgui.gui.flow import FlowLayout
from optgui.gui.mathtext import Formula

#: Commands a line may break before (relations), and after (spaces between formulas).
BREAK_BEFORE = frozenset({"leftarrow", "approx", "le", "ge", "Rightarrow", "to", "mapsto"})
BREAK_AFTER = frozenset({"quad", "qquad"})


def split_relations(latex: str) -> list[str]:
    """The pieces of ``latex`` between its top-level relations (never inside braces
    or ``\\left … \\right``); joined again they give ``latex`` back, bar spaces."""
    pieces: list[str] = []
    start, depth, i = 0, 0, 0

    def cut(at: int) -> None:
        nonlocal start
        piece = latex[start:at].strip()
        if piece:
            pieces.append(piece)
        start = at

    while i < len(latex):
        c = latex[i]
        if c == "\\":
            j = i + 1
            while j < len(latex) and latex[j].isalpha():
                j += 1
            name = latex[i + 1 : j] if j > i + 1 else latex[i + 1 : i + 2]
            j = max(j, i + 2)
            if name == "left":
                depth += 1
            elif name == "right":
                depth -= 1
            elif depth == 0 and name in BREAK_BEFORE and i > start:
                cut(i)
            elif depth == 0 and name in BREAK_AFTER:
                cut(j)
            i = j
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "=" and depth == 0 and i > start:
            cut(i)
        i += 1
    cut(len(latex))
    return pieces or [latex]


class _Piece(Formula):
    """One piece of a wrapped formula: shrunk to the column if even alone it is wider;
    tells the flow when its picture changes."""

    natural: QPixmap | None = None  # the picture as typeset
    room = 0  # the column's width (0: not known yet)

    def setPixmap(self, pixmap: QPixmap) -> None:  # noqa: N802 - Qt API
        self.natural = pixmap
        self._fit()
        parent = self.parentWidget()
        if isinstance(parent, FormulaFlow):
            parent.updateGeometry()

    def fit(self, room: int) -> None:
        if room != self.room:
            self.room = room
            self._fit()

    def _fit(self) -> None:
        pm = self.natural
        if pm is None:
            return
        if self.room and pm.deviceIndependentSize().width() > self.room:
            ratio = pm.devicePixelRatio()
            pm = pm.scaledToWidth(
                int(self.room * ratio), Qt.TransformationMode.SmoothTransformation
            )
            pm.setDevicePixelRatio(ratio)
        super().setPixmap(pm)


class FormulaFlow(QWidget):
    """A formula in pieces that wrap to the width of the column (see the module)."""

    def __init__(self, latex: str = "", points: int | None = None, parent=None):
        super().__init__(parent)
        self._points = points
        self.latex = ""
        self.pieces: list[_Piece] = []
        layout = FlowLayout(self, spacing=4)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_latex(latex)

    def set_latex(self, latex: str) -> None:
        if latex == self.latex:
            return
        self.latex = latex
        self.setToolTip(latex)
        self.setAccessibleName(latex)
        layout = self.layout()
        for piece in self.pieces:
            layout.removeWidget(piece)
            piece.hide()  # (gone now, not only when the event loop deletes it)
            piece.deleteLater()
        self.pieces = [_Piece(tex, self._points, self) for tex in split_relations(latex)]
        for piece in self.pieces:
            piece.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(piece)
        self.updateGeometry()

    def refresh(self) -> None:
        for piece in self.pieces:
            piece.refresh()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self.layout().heightForWidth(width)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(60, self.heightForWidth(max(self.width(), 60)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        for piece in self.pieces:
            piece.fit(self.width())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        layout: QLayout = self.layout()
        width = sum(item.sizeHint().width() + 4 for item in self._items(layout))
        return QSize(width, layout.heightForWidth(max(width, 1)))

    @staticmethod
    def _items(layout: QLayout):
        return [layout.itemAt(i) for i in range(layout.count())]
