"""Where optgui remembers things between runs (zoom, folders, the last session).

Every place comes from Qt, which knows each desktop's conventions:

- settings: QSettings' INI file for this user (Linux and macOS:
  ~/.config/optgui/optgui.ini; Windows: %APPDATA%\\optgui\\optgui.ini);
- the last session: QStandardPaths' AppDataLocation (~/.local/share/optgui/optgui,
  %APPDATA%\\optgui\\optgui, ~/Library/Application Support/optgui/optgui);
- the first folder of the file dialogs: the user's Documents.

``OPTGUI_SETTINGS_DIR`` puts the settings and the last session in one folder
(tests, screenshots).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

#: The file the window's tabs are saved to on closing and read from on the next start.
LAST_SESSION = "last-session.json"


def _override() -> str:
    return os.environ.get("OPTGUI_SETTINGS_DIR", "")


def app_settings() -> QSettings:
    """The user's settings; ``OPTGUI_SETTINGS_DIR`` puts them elsewhere (tests)."""
    folder = _override()
    if folder:
        return QSettings(os.path.join(folder, "optgui.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "optgui", "optgui")


def data_folder() -> Path:
    """The folder for optgui's own files (the last session): Qt's AppDataLocation."""
    folder = _override()
    if folder:
        return Path(folder)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def last_session_path() -> Path:
    """Where the last session is written on closing."""
    return data_folder() / LAST_SESSION


def last_session_to_read() -> Path | None:
    """The last session to reopen: the current place, or where optgui kept it before.

    Up to 0.1 it sat beside the settings file; the next closing writes it to
    :func:`last_session_path`, which is read from then on.
    """
    for path in (last_session_path(), Path(app_settings().fileName()).parent / LAST_SESSION):
        if path.is_file():
            return path
    return None


def documents_folder() -> str:
    """The folder file dialogs open in first: the user's Documents (else home)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found if found and Path(found).is_dir() else str(Path.home())
