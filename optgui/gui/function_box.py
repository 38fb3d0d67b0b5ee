"""A box where a student types a function, with its parser message and examples.

Typed text goes only through :func:`optgui.core.expr.parse_function`. A bad
entry shows the parser's message in red under the box and the previous
function stays in use::

    box = FunctionBox(("x", "y"), "x^2 + y^2")
    box.add_preset("The slides' example", "x^4 + 0.8*y^4", data=(4.0, 4.0))
    box.function_changed.connect(tab.use_function)
    box.preset_chosen.connect(tab.use_preset_data)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from optgui.gui.style import VERMILION, relative_font

#: First entry of the presets list; choosing it does nothing.
PRESET_PROMPT = "Examples: choose one…"


class FunctionBox(QWidget):
    """A line edit for a formula, a red message under it, and optional presets.

    Signals:
        function_changed(Function): a new formula was parsed successfully.
        preset_chosen(object): a preset was applied (its ``data``, e.g. a start
            point); emitted after the preset's function is in use.
        error_shown(str): the typed text was rejected (the parser's message).
    """

    function_changed = Signal(object)
    preset_chosen = Signal(object)
    error_shown = Signal(str)

    def __init__(
        self,
        variables: Sequence[str],
        text: str,
        *,
        name: str = "f",
        presets: bool = True,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.variables = tuple(variables)
        self._function: Function = parse_function(text, self.variables)
        self._presets: list[tuple[str, str, Any]] = []

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

    def set_text(self, text: str) -> bool:
        """Put ``text`` in the box and apply it as if typed; True if it parsed."""
        self.edit.setText(text)
        self.edit.setCursorPosition(0)
        return self._apply(text)

    def _edited(self) -> None:
        text = self.edit.text()
        if text.strip() == self._function.text and not self.message:
            return
        if self._apply(text):
            self.presets.setCurrentIndex(0)

    def _apply(self, text: str) -> bool:
        try:
            function = parse_function(text, self.variables)
        except ExpressionError as err:
            self.show_error(f"⚠ {err} — still using {self._function.text}")
            self.error_shown.emit(str(err))
            return False
        self.clear_error()
        if function.text != self._function.text:
            self._function = function
            self.edit.setText(function.text)
            self.edit.setCursorPosition(0)
            self.function_changed.emit(function)
        return True

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)

    # -- presets --------------------------------------------------------------
    def add_preset(self, label: str, text: str, data: Any = None, tooltip: str = "") -> None:
        """Offer an example: choosing it types ``text`` and emits ``preset_chosen(data)``."""
        parse_function(text, self.variables)  # a preset must parse (programming error)
        self._presets.append((label, text, data))
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
        _, text, data = self._presets[combo_index - 1]
        self.edit.setText(text)
        self.edit.setCursorPosition(0)
        if self._apply(text):
            self.preset_chosen.emit(data)
