"""The run as a script: exported from each tab, run with python, the same numbers.

Each tab's run is taken in the real window (→ presses on the GUI thread, Play in the
worker process, α changed mid-run), exported, and the script run in a subprocess of
its own. What it prints must be the app's history, bit for bit.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from optgui.gui import run_export
from tests.gui.helpers import TIMEOUT, open_tab

ROOT = Path(__file__).resolve().parents[2]


def run_to(qtbot, tab, n: int) -> None:
    """Play at full speed (in the worker) until the tab has ``n`` steps."""
    tab.controls.limit.setValue(n)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.toggle_play()
    qtbot.waitUntil(lambda: len(tab.history) == n and not tab.engine.running, timeout=TIMEOUT)


def press(qtbot, tab, n: int) -> None:
    """n steps as → presses would take them (on the GUI thread)."""
    target = len(tab.history) + n
    for _ in range(n):
        tab.step()
    qtbot.waitUntil(lambda: tab.queued == 0, timeout=TIMEOUT)
    assert len(tab.history) == target


def run_python(path: Path) -> dict[str, float]:
    """Run ``path`` with this Python, the worktree first on the path; name → value."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=path.parent,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    values = {}
    for line in done.stdout.splitlines():
        name, value = line.split(" = ")
        values[name] = float(value)
    return values


def same_bits(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a.hex() == b.hex()


def assert_matches_history(tab, printed: dict[str, float], names) -> None:
    columns = tab.history_columns()
    last = tab.history.rows[-1]
    assert list(printed) == list(names)
    for name, value in printed.items():
        expected = float(last[columns.index(name)])
        assert same_bits(value, expected), (name, value, expected)


def export_and_run(tab, tmp_path: Path) -> dict[str, float]:
    written = run_export.export_run(tab, tmp_path / "run.py")
    assert written[0] == tmp_path / "run.py"
    assert "PySide6" not in written[0].read_text(encoding="utf-8")
    return run_python(tmp_path / "run.py")


@pytest.mark.parametrize("title", ["Regression", "Classification", "2-2-1 Network"])
def test_a_training_run_with_a_change_of_alpha_runs_again_as_a_script(
    window, qtbot, tmp_path, title
):
    tab = open_tab(window, qtbot, title)
    tab.rate.setValue(0.02)
    press(qtbot, tab, 4)
    run_to(qtbot, tab, 20)  # (in the worker process)
    tab.rate.setValue(0.1)  # α changed mid-run
    press(qtbot, tab, 3)
    run_to(qtbot, tab, 40)
    rates = [s.learning_rate for _, s in tab.history.segments]
    assert rates == [0.02, 0.1], tab.status
    printed = export_and_run(tab, tmp_path)
    assert_matches_history(tab, printed, tab.model.names)
    # a second step count gives other numbers: the comparison is not vacuous
    assert not np.array_equal(tab.history.rows[-1], tab.history.rows[-2])


def test_one_example_at_a_time_runs_again_as_a_script(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Classification")
    tab.batch.setCurrentIndex(tab.batch.findData("single"))
    assert tab.lesson.batch == "single"
    press(qtbot, tab, 7)
    tab.rate.setValue(0.3)
    press(qtbot, tab, 5)
    printed = export_and_run(tab, tmp_path)
    assert_matches_history(tab, printed, tab.model.names)


@pytest.mark.parametrize("title", ["Newton 1-D", "Newton 2-D"])
def test_a_newton_race_with_a_change_of_alpha_runs_again_as_a_script(
    window, qtbot, tmp_path, title
):
    tab = open_tab(window, qtbot, title)
    tab.rate.setValue(0.01)
    press(qtbot, tab, 3)
    tab.rate.setValue(0.02)
    run_to(qtbot, tab, 25)
    assert [s.learning_rate for _, s in tab.history.segments] == [0.01, 0.02]
    printed = export_and_run(tab, tmp_path)
    variables = tab.settings_class.variables
    names = [
        f"{p}_{v}{suffix}" for p in ("newton", "gd") for suffix in ("", "_next") for v in variables
    ]
    assert_matches_history(tab, printed, names)


def test_modified_newton_runs_again_as_a_script(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Newton 2-D")
    press(qtbot, tab, 2)
    tab.modified.setChecked(True)  # τ from step 2 on
    press(qtbot, tab, 3)
    assert [s.damping > 0 for _, s in tab.history.segments] == [False, True]
    printed = export_and_run(tab, tmp_path)
    assert_matches_history(tab, printed, printed.keys())


def test_the_hessian_explorers_walk_runs_again_as_a_script(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Hessian Explorer")
    assert tab.box.set_text("x^4 + y^4 + x*y")
    tab.set_point([1.0, 0.7])
    tab.reset()
    press(qtbot, tab, 6)
    printed = export_and_run(tab, tmp_path)
    assert_matches_history(tab, printed, ["x", "y", "x_next", "y_next"])


def test_large_data_goes_to_a_csv_beside_the_script(window, qtbot, tmp_path):
    from optgui.core.datasets import Dataset
    from optgui.core.models import Perceptron
    from optgui.lessons import run_script

    tab = open_tab(window, qtbot, "Classification")
    rng = np.random.default_rng(5)
    m = run_script.INLINE_MAX + 20
    X = rng.normal(size=(m, 2))
    y = (X[:, 0] + 0.3 * X[:, 1] > 0).astype(float)
    data = Dataset(X, y, ("x1", "x2"), "class", name="many points")
    tab.set_training_data(data, X, y, Perceptron(2))
    press(qtbot, tab, 5)
    written = run_export.export_run(tab, tmp_path / "big.py")
    assert [p.name for p in written] == ["big.py", "big-data.csv"]
    assert len(written[1].read_text(encoding="utf-8").splitlines()) == m + 1
    assert_matches_history(tab, run_python(written[0]), tab.model.names)


def test_the_notebook_has_the_scripts_cells(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    press(qtbot, tab, 3)
    run_export.export_run(tab, tmp_path / "run.ipynb")
    notebook = json.loads((tmp_path / "run.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["nbformat_minor"] >= 4
    assert notebook["metadata"]["kernelspec"]["language"] == "python"
    cells = notebook["cells"]
    assert {c["cell_type"] for c in cells} == {"markdown", "code"}
    for cell in cells:
        assert isinstance(cell["source"], list) and all(isinstance(s, str) for s in cell["source"])
        assert isinstance(cell["metadata"], dict) and isinstance(cell["id"], str)
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    # the code cells, run in order, print the same as the script
    code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    (tmp_path / "cells.py").write_text(code, encoding="utf-8")
    assert_matches_history(tab, run_python(tmp_path / "cells.py"), tab.model.names)


def test_no_steps_no_script(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    tab.reset()
    with pytest.raises(run_export.ScriptError, match="No steps yet"):
        run_export.export_run(tab, tmp_path / "run.py")
    assert not (tmp_path / "run.py").exists()


def file_action(window, text: str):
    menu = window.menuBar().actions()[0].menu()
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_the_file_menu_exports_the_run_as_a_script_and_a_notebook(
    window, qtbot, tmp_path, monkeypatch
):
    from optgui.gui import export

    tab = open_tab(window, qtbot, "Newton 1-D")
    asked = []

    def ask(parent, title, name, filters):
        asked.append((title, name, filters))
        return str(tmp_path / Path(name).stem)  # (typed without an extension)

    monkeypatch.setattr(export, "ask_save_path", ask)
    script = file_action(window, "Export run as Python script…")
    script.trigger()  # no steps yet: says so, asks for no file
    assert not asked and "No steps yet" in window.statusBar().currentMessage()
    press(qtbot, tab, 4)
    script.trigger()
    assert asked[-1][1] == "newton-1-d-run.py" and asked[-1][2].startswith("Python script")
    assert (tmp_path / "newton-1-d-run.py").exists()
    assert "Saved the run of 4 steps" in window.statusBar().currentMessage()
    printed = run_python(tmp_path / "newton-1-d-run.py")
    assert_matches_history(tab, printed, printed.keys())
    file_action(window, "Export run as notebook (.ipynb)…").trigger()
    assert asked[-1][1] == "newton-1-d-run.ipynb"
    notebook = json.loads((tmp_path / "newton-1-d-run.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
