"""Where the main window opens: inside the screen it opens on, as last time if that fits."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize

#: The window's size when the screen has room for it (and for its frame).
COMFORTABLE = QSize(1440, 900)
#: Room kept for a window manager's borders (width) and borders plus title bar (height).
FRAME = QSize(16, 48)


@dataclass(frozen=True)
class Saved:
    """The window as it was closed: its frame when not maximised, and whether it was."""

    frame: QRect
    maximized: bool


@dataclass(frozen=True)
class Placement:
    """Where the window goes: ``geometry`` (the saved frame when ``restore``) and its state."""

    geometry: QRect
    maximized: bool
    restore: bool = False  # restore the saved geometry as it was saved


def fit(available: QRect, size: QSize = COMFORTABLE) -> Placement:
    """``size`` centred in ``available`` when it fits with its frame, else all of it, maximised."""
    if (
        size.width() + FRAME.width() <= available.width()
        and size.height() + FRAME.height() <= available.height()
    ):
        x = available.left() + (available.width() - size.width()) // 2
        # centre the frame, title bar included: the client area sits FRAME's height lower
        y = available.top() + (available.height() - size.height() + FRAME.height()) // 2
        return Placement(QRect(QPoint(x, y), size), maximized=False)
    return Placement(QRect(available), maximized=True)


def choose(available: QRect, saved: Saved | None) -> Placement:
    """The saved geometry when its frame lies inside ``available``, else :func:`fit`."""
    if saved is not None and saved.frame.isValid() and available.contains(saved.frame):
        return Placement(QRect(saved.frame), saved.maximized, restore=True)
    return fit(available)


def requested(available: QRect, size: QSize) -> QRect:
    """A size asked for (``--size``), kept as asked: centred when it fits, else top-left."""
    x = available.left() + max(0, (available.width() - size.width()) // 2)
    y = available.top() + max(0, (available.height() - size.height()) // 2)
    return QRect(QPoint(x, y), size)


def parse_size(text: str) -> QSize:
    """``"1024x768"`` → QSize(1024, 768); ValueError for anything else."""
    width, height = (int(v) for v in text.lower().split("x"))
    if width <= 0 or height <= 0:
        raise ValueError(text)
    return QSize(width, height)


def rect_list(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def report(window, placed: Placement) -> dict:
    """The screen, the window's frame and the current tab's controls, in global pixels;
    ``placed``: how the window was placed (``"restored"``: as at the last start)."""
    screen = window.screen()
    controls = window.current.controls
    widgets = {}
    for name, widget in (
        ("play", controls.play_button),
        ("step", controls.step_button),
        ("timeline", controls.timeline),
    ):
        widgets[name] = {
            "rect": rect_list(QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())),
            "visible": widget.isVisible(),
        }
    return {
        "screen": rect_list(screen.geometry()),
        "available": rect_list(screen.availableGeometry()),
        "frame": rect_list(window.frameGeometry()),
        "geometry": rect_list(window.geometry()),
        "maximized": window.isMaximized(),
        "full_screen": window.isFullScreen(),
        "restored": placed.restore,
        "widgets": widgets,
    }
