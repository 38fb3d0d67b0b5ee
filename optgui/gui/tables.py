"""Tables of numbers: the parameter table, a generic read-only table, and a read-only
table whose columns share its width (cells wrap instead of scrolling sideways)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
)

from optgui.core.format import fmt  # noqa: F401 - the app's one formatter

#: Any digit (a table's layout does not depend on which: see WrapTable._layout_key).
DIGIT = re.compile(r"\d")
CHANGED = QColor("#FFF3C4")  # soft yellow: this value changed in the last step
#: A cell of numbers (vectors, matrix rows, 1.5e−08 …), shown to the right.
NUMERIC = re.compile(r"^[\s\d.,:;()\[\]−+\-eE×·/∞]*$")
LEFT, RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight


def parse_number(text: str) -> float:
    """A typed number; accepts the typographic minus sign."""
    value = float(text.strip().replace("−", "-").replace(",", ""))
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def text_width(metrics: QFontMetrics, text: str) -> int:
    """The width of the widest line of ``text``."""
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def word_width(metrics: QFontMetrics, text: str) -> int:
    """The width of the widest word of ``text`` (the narrowest it can wrap to)."""
    return max((metrics.horizontalAdvance(word) for word in text.split()), default=0)


def heading_words(text: str) -> list[str]:
    """The words of a heading; a bracketed group such as "(xₖ, yₖ)" is one."""
    return re.findall(r"\([^()]*\)\S*|\S+", text)


def heading_width(metrics: QFontMetrics, text: str) -> int:
    """The narrowest a heading can wrap to (its widest word)."""
    return max((metrics.horizontalAdvance(w) for w in heading_words(text)), default=0)


def wrap_words(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` with line breaks between its words (see :func:`heading_words`) so that
    each line fits ``width`` if it can."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in heading_words(paragraph):
            wider = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(wider) > width:
                lines.append(line)
                line = word
            else:
                line = wider
        lines.append(line)
    return "\n".join(lines)


def share_width(
    preferred: Sequence[int],
    minimum: Sequence[int],
    available: int,
    grow: Sequence[float] | None = None,
) -> list[int]:
    """Column widths adding up to ``available`` (or less when even the narrowest do not fit).

    Where every column fits on one line (``preferred``), the room left is shared in
    proportion to ``grow`` (default: to the preferred widths). Otherwise each column
    gets its ``minimum`` (its widest word) and a share of the rest in proportion to
    what it lacks, so its cells wrap; where even the minimums do not fit they shrink
    in proportion.
    """
    n = len(preferred)
    if n == 0:
        return []
    available = max(available, n)
    preferred = [max(p, m) for p, m in zip(preferred, minimum, strict=True)]
    if sum(preferred) <= available:
        weights = list(grow) if grow is not None else [float(p) for p in preferred]
        if sum(weights) <= 0:
            weights = [1.0] * n
        base, extra = list(preferred), available - sum(preferred)
    elif sum(minimum) <= available:
        weights = [float(p - m) for p, m in zip(preferred, minimum, strict=True)]
        base, extra = list(minimum), available - sum(minimum)
    else:
        scale = available / sum(minimum)
        return [max(1, int(m * scale)) for m in minimum]
    total = sum(weights)
    widths = [b + int(extra * w / total) for b, w in zip(base, weights, strict=True)]
    last = max(i for i in range(n) if weights[i] > 0 or i == n - 1)
    widths[last] += available - sum(widths)
    return widths


def wrap_option(alignment: Qt.AlignmentFlag) -> QTextOption:
    """Wrap at spaces, and inside a word only where it is wider than the line."""
    option = QTextOption(alignment)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    return option


def wrapped_height(font: QFont, text: str, width: float) -> float:
    """The height of ``text`` wrapped to ``width`` (see :func:`wrap_option`)."""
    layout = QTextLayout(text.replace("\n", "\u2028"), font)
    layout.setTextOption(wrap_option(Qt.AlignmentFlag.AlignLeft))
    height = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width))
        height += line.height()
    layout.endLayout()
    return height


def lines_height(font: QFont, lines: int) -> float:
    """The height of ``lines`` lines of text in ``font`` (as :func:`wrapped_height`)."""
    return lines * wrapped_height(font, "0", 1e6)


class TextDelegate(QStyledItemDelegate):
    """Cells as tall as their text wrapped to the cell's width, drawn by Qt (in C++: where
    no cell wraps, Qt draws the text as :class:`WrapDelegate` would, far faster)."""

    @staticmethod
    def _margin(option: QStyleOptionViewItem) -> int:
        style = option.widget.style() if option.widget else QApplication.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, option.widget) + 1

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = opt.rect.width() - 2 * self._margin(opt)
        if width <= 0 or not opt.text:
            return hint
        height = wrapped_height(opt.font, opt.text, width) + 2 * self._margin(opt)
        return QSize(hint.width(), max(hint.height(), int(height + 0.99)))


class WrapDelegate(TextDelegate):
    """Cells whose text wraps at spaces, and inside a word that is wider than its cell
    (Qt's own wrapping cuts such a word off)."""

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not text:
            return
        margin = self._margin(opt)
        rect = QRectF(opt.rect.adjusted(margin, 0, -margin, 0))
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        height = wrapped_height(opt.font, text, rect.width())
        if height < rect.height():  # centre the lines vertically
            rect.setTop(rect.top() + (rect.height() - height) / 2)
        horizontal = opt.displayAlignment & Qt.AlignmentFlag.AlignHorizontal_Mask
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(role))
        painter.setClipRect(opt.rect)
        painter.drawText(rect, text.replace("\n", "\u2028"), wrap_option(horizontal))
        painter.restore()


class NumberTable(QTableWidget):
    """A read-only table of labelled numbers, with changed cells highlighted."""

    def __init__(self, columns: Sequence[str], parent=None):
        super().__init__(0, len(columns), parent)
        self.setHorizontalHeaderLabels(list(columns))
        self.verticalHeader().setVisible(False)
        # every column as wide as its widest number (never cut to "…"); the last one
        # takes what is left; a scroll bar if the numbers are wider than the panel
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)

    #: Significant digits shown for numbers.
    digits = 7

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        """Fill the table: numbers are formatted, strings shown as they are."""
        if self.rowCount() != len(rows):
            self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = value if isinstance(value, str) else fmt(value, self.digits)
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignVCenter
                        | (Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight)
                    )
                    self.setItem(r, c, item)
                item.setText(text)

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return "" if item is None else item.text()

    def fit_height(self, most: int | None = 600) -> None:
        """Size the table to its rows (no inner scrollbar for short tables; at most
        ``most`` pixels tall unless it may grow, None: as tall as its rows)."""
        header = self.horizontalHeader()
        height = max(header.height(), header.sizeHint().height()) + 2 * self.frameWidth() + 2
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setMinimumHeight(height if most is None else min(height, most))
        self.setMaximumHeight(height)


class WrapTable(NumberTable):
    """A read-only table whose columns share its width: cells wrap at spaces, so it
    never scrolls sideways however narrow it is (down to its widest word).

    Columns as wide as their texts where they all fit (the room left shared out),
    else each at least its widest word and the cells wrapped; headers wrap too.
    ``fit_rows``: the table is as tall as its rows (inside a panel that scrolls).
    """

    def __init__(self, columns: Sequence[str], parent=None, *, fit_rows: bool = False):
        super().__init__(columns, parent)
        self._labels = list(columns)
        self.fit_rows = fit_rows
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._fitted: tuple | None = None  # (see refit)
        self._rows_fitted: tuple | None = None  # (see fit_rows_to_texts)
        self._wrapping = WrapDelegate(self)
        self._plain = TextDelegate(self)  # (where nothing wraps: drawn by Qt, in C++)
        self.setItemDelegate(self._wrapping)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(8)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.installEventFilter(self)
        self.viewport().installEventFilter(self)

    def set_labels(self, labels: Sequence[str]) -> None:
        """New column headings (wrapped to the columns' widths)."""
        self._labels = list(labels)
        self.refit()

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        """Fill the table: numbers to the right, words (which may wrap) to the left."""
        super().set_rows(rows)
        for r in range(self.rowCount()):
            for c in range(1, self.columnCount()):
                item = self.item(r, c)
                if item is not None:
                    side = RIGHT if NUMERIC.match(item.text()) else LEFT
                    item.setTextAlignment(side | Qt.AlignmentFlag.AlignVCenter)
        self.refit()

    def cell_pad(self) -> int:
        """Room a cell needs beside its text (margins and the grid line)."""
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        return 2 * (margin + 1) + 2  # (+ the grid line, + a pixel for the text's fractions)

    def header_pad(self) -> int:
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        return 2 * margin + 6

    def column_texts(self, column: int) -> list[tuple[str, QFontMetrics]]:
        """The texts that set a column's width, with their fonts' metrics (spanning
        cells are left out)."""
        texts = []
        metrics = self.fontMetrics()
        for r in range(self.rowCount()):
            item = self.item(r, column)
            if item is None or self.columnSpan(r, column) != 1:
                continue
            font = item.data(Qt.ItemDataRole.FontRole)  # (None: the table's)
            if font is not None:
                font = QFont(font)
                font.setPointSize(self.font().pointSize())
            texts.append((item.text(), metrics if font is None else QFontMetrics(font)))
        return texts

    def available_width(self) -> int:
        return self.viewport().width()

    def widths_wanted(self) -> tuple[list[int], list[int]]:
        """Each column's width on one line and its narrowest (widest word), headers included."""
        heads = self.horizontalHeader().fontMetrics()
        pad, hpad = self.cell_pad(), self.header_pad()
        preferred, minimum = [], []
        for c in range(self.columnCount()):
            texts = self.column_texts(c)
            label = self._labels[c] if c < len(self._labels) else ""
            head = heading_width(heads, label) + hpad
            preferred.append(max([head] + [text_width(m, t) + pad for t, m in texts]))
            minimum.append(max([head] + [word_width(m, t) + pad for t, m in texts]))
        return preferred, minimum

    def heading_lines(self, preferred: Sequence[int]) -> list[int]:
        """``preferred`` widened so that every heading fits on one line."""
        heads, hpad = self.horizontalHeader().fontMetrics(), self.header_pad()
        labels = [*self._labels, *[""] * len(preferred)]
        return [max(p, text_width(heads, labels[c]) + hpad) for c, p in enumerate(preferred)]

    #: Columns whose cells never wrap ("$14.97/ft²"): as wide as their texts, the others
    #: give way.
    whole_columns: tuple[int, ...] = ()

    def _layout_key(self) -> tuple:
        """What the columns' widths and the rows' heights depend on: the cells' texts with
        every digit as 0 (digits are equally wide and tall: a table whose numbers change
        keeps its layout), their fonts, the headings and the room."""
        shapes = []
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is None:
                    shapes.append(None)
                    continue
                font = item.data(Qt.ItemDataRole.FontRole)
                shapes.append((DIGIT.sub("0", item.text()), font, self.columnSpan(r, c)))
        hidden = tuple(self.isColumnHidden(c) for c in range(self.columnCount()))
        return (tuple(shapes), tuple(self._labels), hidden, self.available_width(),
                self.font().key(), self.horizontalHeader().font().key())  # fmt: skip

    def refit(self) -> None:
        """Share the width among the columns, wrap the headings, size the rows (not again
        for the same layout: see :meth:`_layout_key`)."""
        key = self._layout_key()
        if key == getattr(self, "_fitted", None):
            return
        self._fitted = key
        preferred, minimum = self.widths_wanted()
        available = self.available_width()
        one_line = self.heading_lines(preferred)
        if sum(one_line) <= available:  # (headings wrap only where the numbers need it)
            preferred = one_line
        whole = [c for c in self.whole_columns if c < len(preferred)]
        for c in whole:
            minimum[c] = preferred[c]
        if whole and sum(minimum) > available:  # the other columns shrink, not these
            rest = [c for c in range(len(preferred)) if c not in whole]
            room = available - sum(preferred[c] for c in whole)
            shares = share_width([preferred[c] for c in rest], [minimum[c] for c in rest], room)
            widths = list(preferred)
            for c, width in zip(rest, shares, strict=True):
                widths[c] = width
        else:
            widths = share_width(preferred, minimum, available)
        fits = all(w >= p for w, p in zip(widths, preferred, strict=True))
        self.set_wrapping(not fits)
        self.apply_widths(widths)

    def set_wrapping(self, wrapping: bool) -> None:
        """Draw the cells with :class:`WrapDelegate` (some cell wraps) or, where every
        text fits its column on its lines, with Qt's own drawing (the same, far faster)."""
        delegate = self._wrapping if wrapping else self._plain
        if self.itemDelegate() is not delegate:
            self.setItemDelegate(delegate)

    def apply_widths(self, widths: Sequence[int]) -> None:
        header = self.horizontalHeader()
        heads, hpad = header.fontMetrics(), self.header_pad()
        for c, width in enumerate(widths):
            if self.isColumnHidden(c):
                continue
            if header.sectionSize(c) != width:
                header.resizeSection(c, width)
            label = self._labels[c] if c < len(self._labels) else ""
            wrapped = wrap_words(heads, label, width - hpad)
            item = self.horizontalHeaderItem(c)
            if item is None:
                self.setHorizontalHeaderItem(c, QTableWidgetItem(wrapped))
            elif item.text() != wrapped:
                item.setText(wrapped)
        self.fit_rows_to_texts()
        if self.fit_rows:
            self.fit_height(None)

    def fit_rows_to_texts(self) -> None:
        """Each row as tall as its wrapped texts (where nothing wraps, not again while the
        cells keep their number of lines, fonts and columns)."""
        if self.itemDelegate() is self._plain:
            header = self.horizontalHeader()
            key = (
                tuple(header.sectionSize(c) for c in range(self.columnCount())),
                self.font().key(),
                tuple(
                    None if (item := self.item(r, c)) is None
                    else (item.text().count("\n"), item.data(Qt.ItemDataRole.FontRole),
                          self.columnSpan(r, c))
                    for r in range(self.rowCount())
                    for c in range(self.columnCount())
                ),
            )  # fmt: skip
            if key == self._rows_fitted:
                return
            self._rows_fitted = key
        else:
            self._rows_fitted = None
        self.resizeRowsToContents()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.viewport() and kind == QEvent.Type.Resize:
            if event.size().width() != event.oldSize().width():
                self.refit()
        elif watched is self.horizontalHeader() and kind == QEvent.Type.FontChange:
            self.refit()
        return super().eventFilter(watched, event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.refit()


class ParameterTable(WrapTable):
    """Parameters with their values and gradients; values editable before a run.

    Row labels are the slides' names (w1, w2, b …); below them the cost (and
    accuracy for classifiers). Cells that changed in the last step are tinted.
    """

    initial_edited = Signal(str, float)
    edit_rejected = Signal(str)

    def __init__(self, parent=None, *, units: bool = False):
        columns = ["parameter", "value", "∂J/∂·"]
        if units:
            columns.append("in units")
            self.whole_columns = (3,)  # ("$14.97/ft²" cut in two reads as two numbers)
        super().__init__(columns, parent)
        self.setObjectName("parameters")
        self._names: tuple[str, ...] = ()
        self._editable = False
        self._previous: dict[tuple[int, int], str] = {}
        self.itemChanged.connect(self._item_changed)
        self._filling = False

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def show_values(
        self,
        names: Sequence[str],
        values: Sequence[float],
        gradients: Sequence[float] | None,
        extra: Sequence[tuple[str, float | None]] = (),
        units: Sequence[str] | None = None,
        *,
        editable: bool = False,
    ) -> None:
        """Show one step: parameter values, gradients, and extra rows (cost …)."""
        self._filling = True
        self._names = tuple(names)
        rows: list[list[object]] = []
        for i, name in enumerate(names):
            row: list[object] = [name, values[i], "" if gradients is None else gradients[i]]
            if self.columnCount() > 3:
                row.append(units[i] if units else "")
            rows.append(row)
        for label, value in extra:
            row = [label, value, ""]
            if self.columnCount() > 3:
                row.append("")
            rows.append(row)
        self.set_rows(rows)
        for r in range(self.rowCount()):
            for c in range(1, self.columnCount()):
                item = self.item(r, c)
                old = self._previous.get((r, c))
                changed = old is not None and old != item.text() and not editable
                item.setBackground(QBrush(CHANGED) if changed else QBrush())
                self._previous[(r, c)] = item.text()
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if editable and c == 1 and r < len(names):
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
        self._editable = editable
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable else Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
            if editable
            else QAbstractItemView.SelectionMode.NoSelection
        )
        self._filling = False

    def forget_changes(self) -> None:
        self._previous.clear()

    def value(self, name: str) -> str:
        return self.text(self._names.index(name), 1)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or not self._editable or item.column() != 1:
            return
        if item.row() >= len(self._names):
            return
        name = self._names[item.row()]
        try:
            value = parse_number(item.text())
        except ValueError:
            self.edit_rejected.emit(f"'{item.text()}' is not a number; {name} keeps its value.")
            return
        self.initial_edited.emit(name, value)
