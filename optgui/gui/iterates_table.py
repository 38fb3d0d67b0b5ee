"""The Newton tabs' iterates table: Newton's rows, then one row for gradient descent's tail.

A row per step while Newton runs and the row that says how it ended; gradient
descent's later steps are summed up in one last row (see
:mod:`optgui.lessons.race_table`), so the slides' rows stay in view. The columns
share the table's width and show as many digits as fit (every cell's tooltip has
them all); cells wrap rather than scroll sideways.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidgetItem

from optgui.core.history import History
from optgui.gui import style
from optgui.gui.tables import (
    WrapTable,
    heading_width,
    lines_height,
    share_width,
    text_width,
    wrapped_height,
)
from optgui.lessons.race_table import RaceTable

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TAIL_TIP = (
    "Gradient descent's steps after Newton finished, in one row: drag the timeline to "
    "see any of them"
)


def spans(cells: Sequence[str]) -> bool:
    """A row whose first Newton cell says how Newton ended and spans its columns."""
    return bool(cells[1]) and not any(cells[2:-1])


class IteratesTable(WrapTable):
    """Newton's rows and gradient descent's tail (:meth:`follow`); the row of the shown
    step is selected (:meth:`show_row`)."""

    #: At most this many rows of Newton's steps.
    MAX_ROWS = 2000

    def __init__(self, columns: list[str], tooltips: list[str] | None = None, parent=None):
        super().__init__(columns, parent)
        self.table: RaceTable | None = None
        self._cells: list[list[list[str]]] = []  # per digits level: the rows' cells
        self._preferred: list[list[int]] = []  # per level: each column's one-line width
        self._narrowest: list[list[int]] = []  # per level: each column's widest word
        self._level = 0
        self._count = 0  # history rows shown one per row
        self._seen = 0  # history rows seen
        self._branches = 0  # the history's branches seen (a cut run starts over)
        self._history: History | None = None
        self._shown = -1
        self._widths: list[int] = []
        self._hidden: frozenset[int] = frozenset()
        self._lines: list[list[int]] = []  # lines of the cells of each of Newton's rows
        self._newton_done = False  # Newton has finished: later steps are the tail
        self._one_line = True  # every cell's lines fit their columns (nothing wraps)
        self._lazy = False  # (see follow)
        self._deferred = False  # some of Newton's rows have no cells yet (see follow)
        self._unformatted = False  # some rows' texts are not made yet (see follow)
        self._wants_changed = True  # a column's texts want more room than when last fitted
        self._fitted_width = -1  # the available width when last fitted
        self._fitting = True  # (what :meth:`_choose` found, for :meth:`_apply`)
        self.setObjectName("iterates")
        # (queued: the cells are not given while the view is in the middle of scrolling)
        self.verticalScrollBar().valueChanged.connect(
            self._render_visible, Qt.ConnectionType.QueuedConnection
        )
        style.relative_font(self)
        style.relative_font(self.horizontalHeader())
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        if tooltips:
            for c, tip in enumerate(tooltips):
                self.horizontalHeaderItem(c).setToolTip(tip)
        self.setToolTip("One row per step k of Newton's method; the shown step is highlighted")
        #: Kept for the tabs that set it: columns always share the width now.
        self.fit_contents = False

    # -- filling ----------------------------------------------------------------------
    def reset(self) -> None:
        self.clearSpans()
        self.setRowCount(0)
        self._cells = [[] for _ in self._cells]
        self._lines = []
        self._preferred = [[0] * self.columnCount() for _ in self._preferred]
        self._narrowest = [[0] * self.columnCount() for _ in self._narrowest]
        self._wants_changed = True
        self._count = self._seen = 0
        self._newton_done = False
        self._history = None
        self._shown = -1
        self._deferred = self._unformatted = False

    @property
    def filled(self) -> int:
        """How many history rows have a row each (Newton's)."""
        return self._count

    @property
    def has_tail(self) -> bool:
        """The last row sums up gradient descent's steps after Newton's."""
        return self.rowCount() > self._count

    @property
    def digits_level(self) -> int:
        """Which digits of the table's ladder are shown (0: the most)."""
        return self._level

    def follow(self, history: History, table: RaceTable, lazy: bool = False) -> None:
        """Show ``history``: rows of Newton's steps not shown yet, the tail row.

        ``lazy`` (a run at full speed, hundreds of new rows a second): where nothing
        wraps, only the rows that come into view are given their cells; the next
        call without it gives every row its cells.
        """
        self._lazy = lazy and self._one_line
        if table is not self.table:
            self.table = table
            self.updateGeometry()  # (its minimum height counts a vector's lines)
            levels = len(table.ladder)
            self._cells = [[] for _ in range(levels)]
            self._preferred = [[0] * self.columnCount() for _ in range(levels)]
            self._narrowest = [[0] * self.columnCount() for _ in range(levels)]
            self.reset()
        n = len(history)
        if n < self._seen or len(history.branches) != self._branches:
            self.reset()  # a new run, or one continued from an earlier step
        self._branches = len(history.branches)
        self._history, self._seen = history, n
        rows = history.rows
        newton = table.newton_rows(rows)
        # the tail row once Newton has finished (not after MAX_ROWS of its steps)
        self._newton_done = newton < n and newton <= self.MAX_ROWS
        count = min(newton, self.MAX_ROWS)
        level = self._level
        formatted = not self._lazy and self._format_missing()
        if count > self._count:
            self._add(rows[self._count : count], table, self.LAZY_ROWS if self._lazy else None)
        start, self._count = self._count, count
        self._show_tail()
        # the columns' wants change only with new rows (a resize refits by itself)
        refitted = (count > start or formatted) and self._refit_if_needed()
        if self._lazy:
            self._deferred = self._deferred or count > start
            if self.rowCount() < count:
                self.setRowCount(count)
            if not refitted:
                self._fit_rows(range(start, count))
        elif not refitted and level == self._level:
            self._render_missing()
            for r in range(start, count):  # (a refit renders every row)
                self._render(r)
            self._fit_rows(range(start, count))
        if self._shown >= start:  # the shown step's row may have come only now
            self.show_row(self._shown)
        else:
            self._render_visible()

    def _render_missing(self) -> None:
        """Give every row its cells (rows left without them by a lazy :meth:`follow`)."""
        if self._deferred:
            self._deferred = False
            missing = [r for r in range(self._count) if self.item(r, 0) is None]
            for r in missing:
                self._render(r)
            self._fit_rows(missing)

    def _render_visible(self, *_args) -> None:
        """Give the rows in view their cells (after a lazy :meth:`follow`)."""
        if not self._deferred or not self._count:
            return
        top = self.rowAt(0)
        bottom = self.rowAt(self.viewport().height() - 1)
        top = 0 if top < 0 else top
        bottom = self._count - 1 if bottom < 0 else min(bottom, self._count - 1)
        missing = [r for r in range(top, bottom + 1) if self.item(r, 0) is None]
        for r in missing:
            self._render(r)
        self._fit_rows(missing)

    #: A lazy :meth:`follow` formats at most this many of the new rows, the last ones
    #: (those brought into view); the others when they come into view or the run stops.
    LAZY_ROWS = 60

    def _add(self, rows, table: RaceTable, keep: int | None = None) -> None:
        """Format ``rows`` with the most digits and widen the columns' wants (other digits
        are formatted when a narrow table needs them: :meth:`_ensure`); ``keep``: only
        the last so many of them now (see :meth:`_format_missing`)."""
        skip = 0 if keep is None else max(0, len(rows) - keep)
        if skip:
            self._cells[0].extend([None] * skip)
            self._lines.extend([[table.n] * self.columnCount() for _ in range(skip)])
            self._unformatted = True
        texts = table.texts(rows[skip:], table.ladder[0])
        self._cells[0].extend(texts)
        self._measure(0, texts)
        self._lines.extend([t.count("\n") + 1 for t in cells] for cells in texts)

    def _format(self, rows: list[int], level: int = 0) -> None:
        """Format rows ``rows`` at digits ``level`` (left unformatted by a lazy :meth:`follow`)."""
        if not rows or self._history is None or self.table is None:
            return
        texts = self.table.texts(self._history.rows[rows], self.table.ladder[level])
        cells = self._cells[level]
        for r, row in zip(rows, texts, strict=True):
            cells[r] = row
            if level == 0:
                self._lines[r] = [t.count("\n") + 1 for t in row]
        self._measure(level, texts)

    def _format_missing(self) -> bool:
        """Format every row a lazy :meth:`follow` left unformatted; True if there were any."""
        if not self._unformatted:
            return False
        self._unformatted = False
        found = False
        for level, cells in enumerate(self._cells):
            missing = [r for r, row in enumerate(cells) if row is None]
            self._format(missing, level)
            found = found or bool(missing)
        return found

    def _ensure(self, level: int) -> None:
        """The texts of every row at digits ``level``, measured (during a lazy
        :meth:`follow`: of the rows formatted at the most digits, the others later)."""
        done = len(self._cells[level])
        if done < self._count and self._history is not None and self.table is not None:
            cells = self._cells[level]
            cells.extend([None] * (self._count - done))
            rows = range(done, self._count)
            if self._lazy:
                rows = [r for r in rows if self._cells[0][r] is not None]
                self._unformatted = self._unformatted or len(rows) < self._count - done
            self._format(list(rows), level)

    def _measure(self, level: int, texts: list[list[str]]) -> None:
        """Widen the columns' wants at ``level`` to ``texts`` (each different line and
        word measured once)."""
        metrics, pad = self.fontMetrics(), self.cell_pad()
        preferred, narrowest = self._preferred[level], self._narrowest[level]
        joined = [spans(cells) for cells in texts]
        for c in range(self.columnCount()):
            lines = {
                line
                for cells, span in zip(texts, joined, strict=True)
                if cells[c] and not (span and c == 1)
                for line in cells[c].split("\n")
            }
            if not lines:
                continue
            words = {word for line in lines for word in line.split()}
            width = metrics.horizontalAdvance
            wider = max(preferred[c], max(map(width, lines)) + pad)
            widest_word = max(narrowest[c], max(map(width, words), default=0) + pad)
            if (wider, widest_word) != (preferred[c], narrowest[c]):
                preferred[c], narrowest[c] = wider, widest_word
                self._wants_changed = True

    def _render(self, r: int) -> None:
        """Row ``r`` at the digits shown, its full digits in the tooltips."""
        if self._cells[0][r] is None:
            self._format([r])
        if len(self._cells[self._level]) <= r:
            self._ensure(self._level)  # (fewer digits: new rows are formatted here)
        if self._cells[self._level][r] is None:
            self._format([r], self._level)
        cells = self._cells[self._level][r]
        full = self._cells[0][r]
        if self.rowCount() <= r:
            self.setRowCount(r + 1)
        joined = spans(cells)
        new = self.item(r, 0) is None
        for c, text in enumerate(cells):
            left = c == 0 or (joined and c == 1)
            tip = full[c] if full[c] != text else ""
            if new:  # (fewer calls than setting each property of an empty item)
                item = QTableWidgetItem(text)
                item.setTextAlignment(LEFT if left else RIGHT)
                if tip:
                    item.setToolTip(tip)
                self.setItem(r, c, item)
                continue
            item = self.item(r, c)
            item.setText(text)
            item.setTextAlignment(LEFT if left else RIGHT)
            item.setToolTip(tip)
        if joined and self.columnSpan(r, 1) == 1:
            self.setSpan(r, 1, 1, self.columnCount() - 2)

    def _show_tail(self) -> None:
        """The last row: gradient descent's steps after Newton's (at the shown step)."""
        history, table = self._history, self.table
        tail = None
        if history is not None and table is not None and self._newton_done:
            digits = table.ladder[self._level]
            tail = table.tail(history.rows, self._count, self._shown, digits)
        r = self._count
        if tail is None:
            if self.rowCount() > r:
                self.setRowCount(r)
            return
        if self.rowCount() <= r:
            self.setRowCount(r + 1)
        for c, text in enumerate(tail):
            item = self.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                item.setTextAlignment(LEFT)
                item.setToolTip(TAIL_TIP)
                self.setItem(r, c, item)
            if item.text() != text:
                item.setText(text)
        if self.columnSpan(r, 1) == 1:
            self.setSpan(r, 1, 1, self.columnCount() - 1)
        self._fit_rows([r])

    def show_row(self, k: int) -> None:
        """Select the row of step ``k`` (the tail row for gradient descent's later steps;
        a step not followed yet is selected when :meth:`follow` brings it)."""
        self._shown = k
        if 0 <= k < self._count:
            r = k
        elif self.has_tail and k < self._seen:
            self._show_tail()
            r = self._count
        else:
            self.clearSelection()
            return
        if self.selected_row() != r:
            self.selectRow(r)
        self.scrollTo(self.model().index(r, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        self._render_visible()

    def selected_row(self) -> int | None:
        """The highlighted row (None: none)."""
        model = self.selectionModel()
        rows = {index.row() for index in model.selectedIndexes()} if model else set()
        return min(rows) if rows else None

    def visible_rows(self) -> list[int]:
        """The rows the viewport shows (wholly or in part)."""
        height = self.viewport().height()
        return [
            r
            for r in range(self.rowCount())
            if self.rowViewportPosition(r) < height
            and self.rowViewportPosition(r) + self.rowHeight(r) > 0
        ]

    def set_compact(self, compact: bool) -> None:
        """Narrow layouts: the columns follow the width anyway (fewer digits, wrapped
        cells); kept for the layouts that say when they are narrow."""
        self.refit()

    # -- fitting the width --------------------------------------------------------------
    def available_width(self) -> int:
        """The table's inner width, less room for the vertical scroll bar (always kept, so
        the columns do not jump when it comes)."""
        bar = self.verticalScrollBar().sizeHint().width()
        return self.width() - 2 * self.frameWidth() - bar

    def _wants(self, level: int) -> tuple[list[int], list[int]]:
        """Each column's one-line and narrowest width at digits ``level``, headings included."""
        if self._preferred:
            self._ensure(level)
        heads, hpad = self.horizontalHeader().fontMetrics(), self.header_pad()
        preferred, narrowest = [], []
        for c, label in enumerate(self._labels):
            head = heading_width(heads, label) + hpad
            if c == 0:  # (and the tail row's "…")
                head = max(head, self.fontMetrics().horizontalAdvance("…") + self.cell_pad())
            if self._preferred:
                preferred.append(max(head, self._preferred[level][c]))
                narrowest.append(max(head, self._narrowest[level][c]))
            else:
                preferred.append(max(head, text_width(heads, label) + hpad))
                narrowest.append(head)
        return preferred, narrowest

    def _choose(self) -> tuple[frozenset[int], int, list[int]]:
        """The columns left out, the digits level and the columns' widths: every column
        if some digits fit on one line each, else without the optional columns one by
        one; where nothing fits, the fewest digits and cells wrapped."""
        available = self.available_width()
        levels = max(1, len(self._preferred))
        optional = list(self.table.optional) if self.table is not None else []
        drops = [frozenset(optional[:i]) for i in range(len(optional) + 1)]
        for hidden in drops:
            for level in range(levels):
                preferred, narrowest = self._wants(level)
                shown = [c for c in range(len(preferred)) if c not in hidden]
                if sum(preferred[c] for c in shown) <= available:
                    self._fitting = True
                    return hidden, level, self._share(hidden, preferred, narrowest)
        preferred, narrowest = self._wants(levels - 1)
        self._fitting = False
        return drops[-1], levels - 1, self._share(drops[-1], preferred, narrowest)

    def _share(self, hidden: frozenset[int], preferred: list[int], narrowest: list[int]):
        """Widths of all columns (0 for the hidden ones) sharing the available width."""
        available = self.available_width()
        shown = [c for c in range(len(preferred)) if c not in hidden]
        one_line = self.heading_lines(preferred)
        if sum(one_line[c] for c in shown) <= available:  # headings wrap only if they must
            preferred = one_line
        grow = [0.0 if c == 0 else float(preferred[c]) for c in shown]  # k keeps its width
        if sum(narrowest[c] for c in shown) > available and shown and shown[0] == 0:
            # too narrow even for the widest words: k stays whole ("19", not "1" over
            # "9"), the other columns shrink
            rest = shown[1:]
            shared = [narrowest[0]] + share_width(
                [preferred[c] for c in rest], [narrowest[c] for c in rest],
                available - narrowest[0], grow[1:],
            )  # fmt: skip
        else:
            shared = share_width(
                [preferred[c] for c in shown], [narrowest[c] for c in shown], available, grow
            )
        widths = [0] * len(preferred)
        for c, width in zip(shown, shared, strict=True):
            widths[c] = width
        return widths

    def _refit_if_needed(self) -> bool:
        """Refit when the columns, the digits or the widths change; True if it did."""
        if not self._wants_changed and self._fitted_width == self.available_width():
            return False  # (no column wants more room, and the room is the same)
        self._wants_changed, self._fitted_width = False, self.available_width()
        hidden, level, widths = self._choose()
        if level == self._level and widths == self._widths and hidden == self._hidden:
            return False
        self._apply(hidden, level, widths)
        return True

    def refit(self) -> None:
        if not hasattr(self, "_cells"):
            return  # (still being built)
        self._apply(*self._choose())

    def _apply(self, hidden: frozenset[int], level: int, widths: list[int]) -> None:
        self._one_line = self._fitting
        # Where Newton's cells all fit their columns, Qt's own delegate draws them as the
        # wrapping one would (the rows that span columns wrap at spaces alike), in C++:
        # a repaint of the table then costs a fraction of a millisecond per cell less.
        self.set_wrapping(not self._one_line)
        changed = level != self._level
        self._level, self._widths = level, widths
        if hidden != self._hidden:
            self._hidden = hidden
            for c in range(self.columnCount()):
                self.setColumnHidden(c, c in hidden)
        if changed:
            for r in range(self._count):
                if not self._lazy or self.item(r, 0) is not None:
                    self._render(r)
            self._deferred = self._lazy and self._count > 0
            self._show_tail()
        elif not self._lazy:
            for r in range(self._count):
                if self.item(r, 0) is None:
                    self._render(r)
            self._deferred = False
        self.apply_widths(widths)
        self.updateGeometry()  # (the headings may take another number of lines)
        if self._shown >= 0:  # (rows changed height: the shown one stays in view)
            self.show_row(self._shown)

    @property
    def hidden_columns(self) -> frozenset[int]:
        """The optional columns left out (the table is too narrow for them)."""
        return self._hidden

    #: The table is at least this many rows of Newton's steps tall, beside the tail row.
    MIN_ROWS = 3

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Tall enough for the headings, three of Newton's rows, the row saying how it
        ended and the tail row (a layout that squeezes it still shows the slides' rows)."""
        hint = super().minimumSizeHint()
        margin = (self.cell_pad() - 2) // 2
        line = lines_height(self.font(), 1)
        lines = self.table.n if self.table is not None else 1  # (a vector: a line each)
        row = int(lines * line + 2 * margin + 0.99) + 1
        end = int(line + 2 * margin + 0.99) + 1  # "Newton converged"
        tail = int(2 * line + 2 * margin + 0.99) + 1
        if self.rowCount():  # (a narrow table wraps the tail onto more lines)
            tail = max(tail, self.rowHeight(self.rowCount() - 1))
        header = self.horizontalHeader().sizeHint().height()
        height = header + self.MIN_ROWS * row + end + tail + 2 * self.frameWidth()
        return QSize(hint.width(), max(hint.height(), height))

    def fit_rows_to_texts(self) -> None:
        self._fit_rows(range(self.rowCount()))

    def _fit_rows(self, rows) -> None:
        """Rows as tall as their cells' lines (wrapped where a line is wider than its
        column): counted here, as the delegate would (thousands of rows in milliseconds)."""
        font, metrics = self.font(), self.fontMetrics()
        margin = (self.cell_pad() - 2) // 2  # (see WrapDelegate)
        grid = 1 if self.showGrid() else 0
        line = lines_height(font, 1)
        header = self.horizontalHeader()
        widths = [
            0 if self.isColumnHidden(c) else header.sectionSize(c)
            for c in range(self.columnCount())
        ]
        for r in rows:
            if self._one_line and r < self._count and self.columnSpan(r, 1) == 1:
                # nothing wraps: count the lines
                lines = max(n for c, n in enumerate(self._lines[r]) if widths[c])
                size = int(lines * line + 2 * margin + 0.99) + grid
                if self.rowHeight(r) != size:
                    self.setRowHeight(r, size)
                continue
            height = line
            c = 0
            while c < self.columnCount():
                span = max(1, self.columnSpan(r, c))
                item = self.item(r, c)
                spanned = [w for w in widths[c : c + span] if w]
                room = sum(spanned) - grid * len(spanned) - 2 * margin  # (as Qt measures)
                c += span
                if item is None or room <= 0 or not item.text():
                    continue
                text = item.text()
                if text_width(metrics, text) + 1 <= room:
                    height = max(height, line * (text.count("\n") + 1))
                else:
                    height = max(height, wrapped_height(font, text, room))
            size = int(height + 2 * margin + 0.99) + grid
            if self.rowHeight(r) != size:
                self.setRowHeight(r, size)

    def _remeasure(self) -> None:
        """Measure every cell again (the font changed)."""
        self._wants_changed = True
        for level, rows in enumerate(self._cells):
            self._preferred[level] = [0] * self.columnCount()
            self._narrowest[level] = [0] * self.columnCount()
            self._measure(level, [cells for cells in rows if cells is not None])

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_cells"):
            self._remeasure()
            self.updateGeometry()
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refit()

    def eventFilter(self, watched: QObject, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            return False  # (the table's own resize refits; the viewport's follows the bar)
        return super().eventFilter(watched, event)
