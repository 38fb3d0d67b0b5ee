"""Every lesson module (and the core) imports without Qt: they run in a notebook."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import optgui.core
import optgui.lessons


def test_every_lesson_and_core_module_imports_without_qt() -> None:
    modules = [
        f"{package.__name__}.{info.name}"
        for package in (optgui.core, optgui.lessons)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    assert any(m.startswith("optgui.lessons.") for m in modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = ('PySide6', 'shiboken6', 'pyqtgraph', 'superqt', 'qtpy')\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in qt})\n"
        "assert not bad, f'Qt was imported: {bad}'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
