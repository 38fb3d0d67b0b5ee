"""The first-start banner: where to begin, in two sentences; dismissed for good."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from optgui.gui.settings import app_settings

TEXT = (
    "<b>Welcome to optgui.</b> Start with <b>Regression</b>: press <b>Space</b> to watch "
    "gradient descent fit the slides' house prices, <b>→</b> to take one step at a time, "
    "<b>R</b> to start again. Each tab's “What am I looking at?” explains it; "
    "Help → Keyboard shortcuts lists the keys, and F5 is presentation mode."
)
SEEN = "welcome/seen"


class Welcome(QFrame):
    """A banner shown until the user closes it once."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#welcome { background: #E8F2FA; border: 1px solid #0072B2; }")
        self.label = QLabel(TEXT)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        close = QPushButton("Got it")
        close.setObjectName("welcome_close")
        close.setToolTip("Hide this message; it will not come back")
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setVisible(not self.dismissed)

    @property
    def dismissed(self) -> bool:
        """Has the user closed the banner (for good)?"""
        return app_settings().value(SEEN, False, type=bool)

    def text(self) -> str:
        return self.label.text()

    def dismiss(self) -> None:
        app_settings().setValue(SEEN, True)
        self.hide()
