"""A tab's short "what you are looking at, what to try" text, collapsible."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from optgui.gui.style import GREY


class Guide(QWidget):
    """Three to six sentences in a student's words; the header folds it away."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guide")
        self.toggle = QToolButton()
        self.toggle.setText("▾ What am I looking at?")
        self.toggle.setAutoRaise(True)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolTip("Show or hide this tab's short guide")
        self.body = QLabel(text)
        self.body.setWordWrap(True)
        self.body.setStyleSheet(f"color: {GREY};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._toggled)

    def _toggled(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.toggle.setText(("▾ " if shown else "▸ ") + "What am I looking at?")

    def text(self) -> str:
        return self.body.text()

    def set_text(self, text: str) -> None:
        """Another guide (the tab's data changed what there is to look at)."""
        if text != self.body.text():
            self.body.setText(text)
