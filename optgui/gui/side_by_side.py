"""Two views side by side on a wide screen, or as two pages on a narrow one."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QWidget


class SideBySide(QStackedWidget):
    """``first`` and ``second`` in a splitter, or as two tabbed pages (see :meth:`arrange`)."""

    def __init__(
        self,
        first: QWidget,
        second: QWidget,
        titles: tuple[str, str],
        sizes: tuple[int, int],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.first, self.second = first, second
        self._titles, self._sizes = titles, sizes
        self.wide = QSplitter()
        self.pages = QTabWidget()
        self.addWidget(self.wide)
        self.addWidget(self.pages)
        #: Whether the views are pages (None until first arranged).
        self.narrow: bool | None = None

    def arrange(self, narrow: bool) -> None:
        """Side by side, or as two pages (narrow windows such as 1024×768)."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        while self.pages.count():
            self.pages.removeTab(0)
        if narrow:
            self.pages.addTab(self.first, self._titles[0])
            self.pages.addTab(self.second, self._titles[1])
            self.setCurrentWidget(self.pages)
        else:
            self.wide.addWidget(self.first)
            self.wide.addWidget(self.second)
            self.first.show()  # (a page the tabs had hidden would stay hidden in the splitter)
            self.second.show()
            self.wide.setSizes(list(self._sizes))
            self.setCurrentWidget(self.wide)

    def show_second(self) -> None:
        """Bring the second view to the front (on pages; side by side it is in view)."""
        if self.narrow:
            self.pages.setCurrentWidget(self.second)
