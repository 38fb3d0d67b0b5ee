"""Where optgui remembers things between runs (zoom, folders, the last session)."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings


def app_settings() -> QSettings:
    """The user's settings; ``OPTGUI_SETTINGS_DIR`` puts them elsewhere (tests)."""
    folder = os.environ.get("OPTGUI_SETTINGS_DIR")
    if folder:
        return QSettings(os.path.join(folder, "optgui.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "optgui", "optgui")
