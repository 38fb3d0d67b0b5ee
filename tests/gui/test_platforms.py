"""Nothing Linux-only: start-up on each desktop, Qt's standard places, standard keys."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QKeySequence

from optgui.gui import settings as places

LINUX = sys.platform.startswith("linux")


@pytest.fixture
def user_places(tmp_path, monkeypatch):
    """No OPTGUI_SETTINGS_DIR: Qt's own places, moved into tmp_path (Linux: XDG folders;
    elsewhere Qt's test locations), so no real user file is touched."""
    monkeypatch.delenv("OPTGUI_SETTINGS_DIR")
    config, data = tmp_path / "config", tmp_path / "data"
    if LINUX:
        monkeypatch.setenv("XDG_DATA_HOME", str(data))
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
    else:
        QStandardPaths.setTestModeEnabled(True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config))
    yield config, data
    QStandardPaths.setTestModeEnabled(False)
    default = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, default)


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_the_window_starts_on_each_desktop(qtbot, monkeypatch, platform):
    from optgui.app import DESKTOP_ID, application, create_window, join_desktop

    app = application()
    app.setDesktopFileName("")
    monkeypatch.setattr(sys, "platform", platform)
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.tabs.count() == 6
    # the .desktop entry's name only on Linux; Windows sets its AppUserModelID instead
    assert app.desktopFileName() == (DESKTOP_ID if platform == "linux" else "")
    said = join_desktop(app)
    assert {"linux": "desktop file", "win32": "AppUserModelID", "darwin": "nothing"}[
        platform
    ] in said
    window.close()
    assert places.last_session_path().is_file()  # written on closing, on every desktop
    app.setDesktopFileName(DESKTOP_ID)


def test_the_last_session_lives_in_qt_app_data(qapp, user_places):
    config, data = user_places
    expected = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    )
    assert not LINUX or expected.is_relative_to(data)  # (~/.local/share/optgui/optgui)
    assert places.data_folder() == expected
    assert places.last_session_path() == expected / "last-session.json"
    assert Path(places.app_settings().fileName()) == config / "optgui" / "optgui.ini"


def test_an_old_last_session_beside_the_settings_still_opens(qtbot, user_places):
    """Up to 0.1 the last session sat beside the settings file: it reopens, then moves."""
    from optgui.app import create_window

    config, _ = user_places
    window = create_window()
    qtbot.addWidget(window)
    window.remembers_geometry = False
    window.tabs.setCurrentIndex(3)
    old = config / "optgui" / "last-session.json"
    old.parent.mkdir(parents=True)
    window.save_session(old)
    title = window.current.title
    window.tabs.setCurrentIndex(0)
    window.close()
    new = places.last_session_path()
    new.unlink()  # as if the user had only the old file

    again = create_window()
    qtbot.addWidget(again)
    again.remembers_geometry = False
    assert again.current.title == title
    again.close()
    assert json.loads(new.read_text(encoding="utf-8"))["current"] == title


@pytest.mark.skipif(not LINUX, reason="Documents is found through $HOME on Linux only")
def test_file_dialogs_start_in_documents(qapp, user_places, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert places.documents_folder() == str(home)  # no Documents folder yet: home
    (home / "Documents").mkdir()
    assert places.documents_folder() == str(home / "Documents")


def test_session_keys_are_the_desktops_standard_keys(window):
    keys = {action.text(): action.shortcut() for action in window.actions() if action.shortcut()}
    assert keys["&Open session…"] == QKeySequence(QKeySequence.StandardKey.Open)
    assert keys["&Save session…"] == QKeySequence(QKeySequence.StandardKey.Save)
    assert keys["&Quit"] == QKeySequence(QKeySequence.StandardKey.Quit)


def test_the_key_help_reads_keys_as_the_desktop_writes_them(qapp, monkeypatch):
    from optgui.gui.keys_help import key_text

    keys = [QKeySequence(QKeySequence.StandardKey.Save), QKeySequence("Right")]
    assert [key_text(k) for k in keys] == ["Ctrl+S", "→"]
    native = QKeySequence.SequenceFormat.NativeText
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", "darwin")  # ⌘S there, as Qt writes keys natively
        shown = [key_text(k) for k in keys]
    assert shown == [k.toString(native) for k in keys]


def test_a_dark_desktop_keeps_the_window_light(qapp, monkeypatch):
    """Windows 11 and macOS follow a dark desktop; optgui's plots and formulas are light."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStyleHints

    from optgui.app import application

    if not hasattr(QStyleHints, "setColorScheme"):
        pytest.skip("Qt before 6.8 follows no desktop colour scheme")
    asked = []
    monkeypatch.setattr(QStyleHints, "setColorScheme", lambda self, scheme: asked.append(scheme))
    application()
    assert asked == [Qt.ColorScheme.Light]


def test_fonts_need_nothing_a_desktop_may_lack(window):
    """No font is named: Qt's text is the desktop's own font (Segoe UI, SF, DejaVu …),
    and formulas use the fonts matplotlib ships, with or without DejaVu on the system."""
    import matplotlib
    from matplotlib import font_manager, rcParams
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    assert QApplication.font().family() == system.family()
    assert rcParams["mathtext.fontset"] in {"dejavusans", "dejavuserif", "cm", "stix", "stixsans"}
    shipped = Path(matplotlib.get_data_path())
    for family in ("DejaVu Sans", "DejaVu Serif", "cmr10", "STIXGeneral"):
        path = Path(font_manager.findfont(family, fallback_to_default=False))
        assert path.is_relative_to(shipped), path
