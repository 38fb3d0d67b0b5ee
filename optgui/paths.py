"""Where optgui's resources (icons, desktop entry, small data) are."""

from __future__ import annotations

from pathlib import Path


def resource(name: str) -> Path:
    """Path of a file in ``resources/``, installed or in a source checkout."""
    try:
        from importlib.resources import files

        path = Path(str(files("optgui.resources") / name))
        if path.exists():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "resources" / name
