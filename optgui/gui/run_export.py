"""A tab's run written as a Python script or a notebook (File → Export run as Python script…).

:func:`run_script` reads the run as data from a tab (its history's settings per
stretch of steps, the data, the number of steps) and has
:mod:`optgui.lessons.run_script` write it; :func:`export_run` writes the script
(``.py``) or the notebook (``.ipynb``), and the data's CSV file beside it when
the data is too large to inline, each through a temporary file and a rename.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from optgui.gui import files
from optgui.lessons import run_script as lesson
from optgui.lessons.run_script import RunScript, ScriptError

__all__ = ["ScriptError", "export_run", "is_notebook", "run_script"]


def is_notebook(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".ipynb"


def default_name(tab: Any, notebook: bool = False) -> str:
    """regression-run.py, newton-2-d-run.ipynb …"""
    stem = "".join(c if c.isalnum() else "-" for c in tab.title.lower()).strip("-")
    return f"{stem}-run" + (".ipynb" if notebook else ".py")


def run_script(tab: Any, data_name: str = "run-data.csv") -> RunScript:
    """The tab's run as a :class:`RunScript` (ScriptError, in words, when there is none)."""
    from optgui.gui.race_tab import RaceTab
    from optgui.gui.training_tab import TrainingTab

    history = tab.history
    steps = len(history)
    segments = history.segments
    if isinstance(tab, TrainingTab):
        if not steps:
            raise ScriptError(lesson.NO_STEPS)
        if tab.model is None:
            raise ScriptError("There is no data to learn from: choose a data set first.")
        return lesson.training_script(
            tab.title,
            tab.model,
            tab.X,
            tab.y,
            tab.params0,
            segments,
            steps,
            data_note=_data_note(tab),
            data_name=data_name,
        )
    if isinstance(tab, RaceTab):
        if not steps:
            raise ScriptError(lesson.NO_STEPS)
        return lesson.race_script(tab.title, segments, steps)
    if hasattr(tab, "function_full") and segments:  # the Hessian Explorer's Newton walk
        return lesson.walk_script(tab.title, segments, steps)
    if not steps and hasattr(tab, "function_full"):
        raise ScriptError(lesson.NO_STEPS)
    raise ScriptError(lesson.NO_RUN.format(tab=tab.title))


def _data_note(tab: Any) -> str:
    parts = []
    dataset = getattr(tab, "dataset", None)
    if dataset is not None and getattr(dataset, "name", ""):
        parts.append(f"The data set: {dataset.name}.")
    prepared = getattr(tab, "prepared", None)
    if prepared is not None and getattr(prepared, "x_norm", None) is not None:
        parts.append("Inputs and target normalised, (value − mean) / std, as with Normalise on.")
    return " ".join(parts)


def export_run(tab: Any, path: str | Path) -> list[Path]:
    """Write the tab's run as a script (or, for ``.ipynb``, a notebook) at ``path``, with
    its data's CSV file beside it if needed; returns the files written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ScriptError(f"the folder {folder} does not exist")
    exported = run_script(tab, data_name=f"{path.stem}-data.csv")
    text = exported.notebook() if is_notebook(path) else exported.script()
    written = [path]
    if exported.data_csv:
        data_path = path.with_name(exported.data_name)
        _write(data_path, exported.data_csv)
        written.append(data_path)
    _write(path, text)
    return written


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".optgui-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        files.commit(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
