"""Test set-up: headless Qt, isolated settings, and no worker left behind."""

from __future__ import annotations

import os

if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Each test gets its own QSettings folder (nothing leaks between tests)."""
    monkeypatch.setenv("OPTGUI_SETTINGS_DIR", str(tmp_path / "settings"))
    yield
    from optgui.gui.style import Look

    Look.font_pt, Look.pen, Look.marker = 12, 2, 10  # zoom and presentation change them


@pytest.fixture
def window(qtbot):
    """The real main window, shown; stopped and checked for leftover threads after."""
    from optgui.app import create_window
    from optgui.gui import background, workers

    win = create_window()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    assert not workers.live_processes(), "a worker process was left running"
    assert background.wait_idle(5.0), f"background work was left running: {background.running()}"
    _delete(win)


def _delete(widget) -> None:
    """Free a closed window now: six tabs of plots hold ~60 MB until deleted."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True, scope="session")
def _no_worker_outlives_the_tests():
    yield
    from optgui.gui import workers

    workers.shutdown()
