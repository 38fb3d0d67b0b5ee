"""In-app guidance: every tab explains itself and every control has a tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractSlider)


def test_every_tab_has_a_guide(window):
    for tab in window.all_tabs():
        guide = tab.findChild(QWidget, "guide")
        assert guide is not None, tab.title
        text = guide.text() if hasattr(guide, "text") else ""
        sentences = [s for s in text.replace("!", ".").split(".") if len(s.strip()) > 10]
        assert 3 <= len(sentences) <= 8, (tab.title, len(sentences))


def test_every_control_has_a_tooltip(window):
    missing = []
    for tab in window.all_tabs():
        for widget in (w for kind in CONTROLS for w in tab.findChildren(kind)):
            if widget.parent() is not None and type(widget.parent()).__name__ in (
                "QScrollBar",
                "QTabBar",
                "QAbstractSpinBox",
            ):
                continue
            if type(widget).__name__ == "QScrollBar" or widget.objectName().startswith("qt_"):
                continue  # Qt's own parts (a spin box's editor, a table's corner)
            if type(widget).__name__ == "QToolButton" and not widget.text():
                continue
            if not widget.toolTip().strip():
                name = widget.objectName() or getattr(widget, "text", lambda: "")()
                missing.append(f"{tab.title}: {type(widget).__name__} {name!r}")
    assert not missing, "\n".join(missing)


def test_first_start_shows_where_to_begin(window, qtbot):
    banner = window.findChild(QWidget, "welcome")
    assert banner is not None and banner.isVisible()
    assert "Space" in banner.text()
    banner.dismiss()
    assert not banner.isVisible()
    from optgui.app import create_window

    again = create_window()
    qtbot.addWidget(again)
    again.show()
    assert not again.findChild(QWidget, "welcome").isVisible()
    again.close()
