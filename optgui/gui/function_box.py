"""A box where a student types a function, with its parser message and examples.

Typed text goes only through :func:`optgui.core.expr.parse_function`. A bad
entry shows the parser's message in red under the box and the previous
function stays in use.

A typed function is checked off the GUI thread (see :mod:`optgui.gui.background`),
so the window never waits for sympy. Most verdicts take a few milliseconds and
are in use before the box returns (it waits up to :data:`QUICK_WAIT`); a slow one
arrives later by signal, with "working…" in the box after :data:`HINT_DELAY_MS`,
and the previous function stays in use until then. Every verdict comes within a
second (:data:`TIME_LIMIT`, then "too complicated"). A newer text makes an older
one's verdict stale: it is dropped. ``set_text`` (sessions, code) and the presets
apply at once::

    box = FunctionBox(("x", "y"), "x^2 + y^2")
    box.add_preset("The slides' example", "x^4 + 0.8*y^4", data=(4.0, 4.0))
    box.function_changed.connect(tab.use_function)
    box.preset_chosen.connect(tab.use_preset_data)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from optgui.core.expr import FUNCTION_NAMES, ExpressionError, Function, parse_function
from optgui.gui.background import Job, lane
from optgui.gui.style import GREY, VERMILION, relative_font

#: First entry of the presets list; choosing it does nothing.
PRESET_PROMPT = "Examples: choose one…"
#: A typed function's verdict is waited for this long (seconds) before the box returns.
QUICK_WAIT = 0.03
#: "working…" shows under the box when a verdict takes longer than this (milliseconds).
HINT_DELAY_MS = 150
HINT_TEXT = "working…"
#: Seconds of parsing before the verdict is "too complicated" (each step of the
#: parser takes at most ~0.2 s, so the verdict comes within a second).
TIME_LIMIT = 0.7


def _parse(
    text: str,
    variables: tuple[str, ...],
    prepare: Callable[[Function], object] | None,
    job: Job,
) -> Function:
    function = parse_function(text, variables, time_limit=TIME_LIMIT, stop=lambda: job.cancelled)
    if prepare is not None and not job.cancelled:
        prepare(function)
    return function


class FunctionBox(QWidget):
    """A line edit for a formula, a red message under it, and optional presets.

    ``prepare(function)``, if given, runs off the GUI thread after a typed text
    parsed, before the verdict: the place to warm a cache the owner then reads
    (e.g. the same function of fewer variables).

    Signals:
        function_changed(Function): a new formula was parsed successfully.
        preset_chosen(object): a preset was applied (its ``data``, e.g. a start
            point); emitted after the preset's function is in use.
        error_shown(str): the typed text was rejected (the parser's message).
        checked(): a typed text got its verdict (after one of the two above, if any).
    """

    function_changed = Signal(object)
    preset_chosen = Signal(object)
    error_shown = Signal(str)
    checked = Signal()

    def __init__(
        self,
        variables: Sequence[str],
        text: str,
        *,
        name: str = "f",
        presets: bool = True,
        prepare: Callable[[Function], object] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.variables = tuple(variables)
        self._prepare = prepare
        self._function: Function = parse_function(text, self.variables)
        self._presets: list[tuple[str, Function, Any]] = []
        self._job: Job | None = None  # the check of the typed text ``_job_text``
        self._job_text = ""
        self._resume: str | None = None  # a check stopped when the window closed

        self.label = QLabel(f"{name}({', '.join(self.variables)}) =")
        relative_font(self.label, +1)
        self.edit = QLineEdit(self._function.text)
        self.edit.setObjectName("function")
        self.edit.setCursorPosition(0)
        relative_font(self.edit, +1)
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(
            "Type a formula in " + ", ".join(self.variables) + " and press Enter.\n"
            "Use + − * / ^ and parentheses; functions: "
            + ", ".join(FUNCTION_NAMES)
            + "; constants pi and e.\n"
            "Write 2*x, not 2x. A formula that cannot be used leaves the old one running."
        )
        self.error = QLabel()
        self.error.setObjectName("function_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {VERMILION}; font-weight: bold;")
        self.error.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.error.setVisible(False)
        # inside the box, at its right end: showing it moves nothing (no new layout)
        self.hint = QLabel(HINT_TEXT, self.edit)
        self.hint.setObjectName("function_hint")
        self.hint.setStyleSheet(f"color: {GREY}; background: palette(base); padding: 0 4px;")
        self.hint.setToolTip("Checking the function and its derivatives")
        self.hint.setVisible(False)
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.setInterval(HINT_DELAY_MS)
        self._hint_timer.timeout.connect(self._show_hint)

        self.presets = QComboBox()
        self.presets.setObjectName("presets")
        self.presets.addItem(PRESET_PROMPT)
        self.presets.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.presets.setMinimumContentsLength(16)
        self.presets.setToolTip("Load an example: its function and its starting point")
        if not presets:  # (showing a widget before it has a parent opens it as a window)
            self.presets.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.presets)
        layout.addLayout(row)
        layout.addWidget(self.error)

        self.edit.editingFinished.connect(self._edited)
        self.presets.activated.connect(self._preset_activated)

    # -- the function ---------------------------------------------------------
    @property
    def function(self) -> Function:
        """The function in use (the last one that parsed)."""
        return self._function

    @property
    def message(self) -> str:
        """The parser's message shown under the box ('' when none)."""
        return self.error.text() if self.error.isVisibleTo(self) else ""

    @property
    def busy(self) -> bool:
        """Whether a typed text is being checked (its verdict has not come yet)."""
        return self._job is not None

    def set_text(self, text: str) -> bool:
        """Put ``text`` in the box and apply it at once, on this thread; True if it parsed."""
        self._drop_check()
        self.edit.setText(text)
        self.edit.setCursorPosition(0)
        try:
            function = parse_function(text, self.variables)
        except ExpressionError as err:
            self._reject(str(err))
            return False
        self._use(function)
        return True

    def _edited(self) -> None:
        text = self.edit.text()
        if self._job is not None and text == self._job_text:
            return  # (Return, then the focus leaving: one check)
        if text.strip() == self._function.text and not self.message:
            self._drop_check()
            return
        self._check(text)

    def _check(self, text: str) -> None:
        """Check ``text`` off the GUI thread; a quick verdict is applied before returning."""
        self._drop_check()
        parser = lane("parse")
        work = partial(_parse, text, self.variables, self._prepare)
        job = parser.submit(work, self._verdict, owner=self)
        self._job, self._job_text = job, text
        self._hint_timer.start()
        if job.wait(QUICK_WAIT):
            parser.deliver_now(job)

    def _drop_check(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self._hint_timer.stop()
        self.hint.setVisible(False)

    def _show_hint(self) -> None:
        if self._job is not None:
            self._place_hint()
            self.hint.setVisible(True)

    def _place_hint(self) -> None:
        size = self.hint.sizeHint()
        room = self.edit.rect()
        right = room.right() - room.height()  # (left of the clear button)
        self.hint.setGeometry(right - size.width(), 1, size.width(), room.height() - 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.hint.isVisible():
            self._place_hint()

    def _verdict(self, job: Job) -> None:
        if job is not self._job:
            return  # stale: a newer text is being checked
        text = self._job_text
        self._drop_check()
        if isinstance(job.error, ExpressionError):
            self._reject(str(job.error))
        elif job.error is not None:  # a bug: say so rather than lose the verdict
            self._reject(f"this function could not be checked ({type(job.error).__name__})")
        else:
            edited = self.edit.text() == text  # (else the student is typing the next one)
            self._use(job.result, show=edited)
            if edited:
                self.presets.setCurrentIndex(0)
        self.checked.emit()

    def _reject(self, message: str) -> None:
        self.show_error(f"⚠ {message} — still using {self._function.text}")
        self.error_shown.emit(message)

    def _use(self, function: Function, show: bool = True) -> None:
        """Make ``function`` the one in use (``show``: put its tidied text in the box).
        The presets list names an example only while its function is the one in use."""
        self.clear_error()
        shown = self.presets.currentIndex()
        if 0 < shown <= len(self._presets) and self._presets[shown - 1][1].text != function.text:
            self.presets.setCurrentIndex(0)
        if function.text != self._function.text:
            self._function = function
            if show:
                self.edit.setText(function.text)
                self.edit.setCursorPosition(0)
            self.function_changed.emit(function)

    # -- the window closing mid-check -------------------------------------------
    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        if self._job is not None and not self.window().isVisible():
            self._resume = self._job_text
            self._drop_check()
            lane("parse").wait_idle(1.0)  # the check stops at its next step

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._resume is not None:
            text, self._resume = self._resume, None
            if self.edit.text() == text:
                self._check(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)

    # -- presets --------------------------------------------------------------
    def add_preset(self, label: str, text: str, data: Any = None, tooltip: str = "") -> None:
        """Offer an example: choosing it types ``text`` and emits ``preset_chosen(data)``."""
        function = parse_function(text, self.variables)  # a preset must parse (programming error)
        self._presets.append((label, function, data))
        self.presets.addItem(label)
        if tooltip:
            self.presets.setItemData(
                self.presets.count() - 1, tooltip, Qt.ItemDataRole.ToolTipRole
            )

    def preset_labels(self) -> list[str]:
        return [label for label, _, _ in self._presets]

    def choose_preset(self, which: int | str) -> None:
        """Apply a preset by position (0 = first preset) or label, as if chosen."""
        index = self.preset_labels().index(which) if isinstance(which, str) else int(which)
        self.presets.setCurrentIndex(index + 1)
        self._preset_activated(index + 1)

    def _preset_activated(self, combo_index: int) -> None:
        if combo_index <= 0 or combo_index > len(self._presets):
            return
        _, function, data = self._presets[combo_index - 1]
        self._drop_check()
        self.edit.setText(function.text)
        self.edit.setCursorPosition(0)
        self._use(function)
        self.preset_chosen.emit(data)
