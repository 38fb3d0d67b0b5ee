"""The run as a script, without Qt: runs stepped as the app's engine steps them
(:class:`optgui.core.runner.Run`, stretch by stretch), written as a script, run with
python in a process of its own; it prints the last step's parameters, bit for bit."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from optgui.core.models import Network
from optgui.core.runner import Run
from optgui.core.training import row_columns
from optgui.lessons import run_script
from optgui.lessons.newton1d import Newton1DSettings
from optgui.lessons.race import RaceFactory
from optgui.lessons.training import TrainingFactory, TrainingLesson, initial_params

ROOT = Path(__file__).resolve().parents[2]

#: Runs the script, then checks it used optgui.core only (no Qt, no lessons).
ONLY_CORE = (
    "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__'); "
    "no = ('PySide6', 'optgui.gui', 'optgui.lessons'); "
    "used = [m for m in sys.modules if m.startswith(no)]; "
    "assert not used, used"
)


def stepped(plan) -> np.ndarray:
    """The history rows of ``plan`` [(steps, factory)], stepped as the app's worker does."""
    run = Run([(n, i, f) for i, (n, f) in enumerate(plan)], None)
    while not run.advance(math.inf):
        pass
    return np.array(run.rows, dtype=float)


def printed(exported: run_script.RunScript, folder: Path) -> dict[str, str]:
    path = folder / "run.py"
    path.write_text(exported.script(), encoding="utf-8")
    if exported.data_csv:
        (folder / exported.data_name).write_text(exported.data_csv, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", ONLY_CORE, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split(" = ") for line in done.stdout.splitlines())


def xor(m: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(m, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float)


@pytest.mark.parametrize("m", [8, run_script.INLINE_MAX + 1])
def test_a_tanh_network_with_a_change_of_alpha(tmp_path, m):
    model = Network(3, "tanh")
    X, y = xor(m)
    first = TrainingLesson(learning_rate=0.5)
    second = first.replace(learning_rate=2.0, batch="single")
    params0 = initial_params(first, model)
    factories = [TrainingFactory(s, model, X, y, params0) for s in (first, second)]
    rows = stepped([(10, factories[0]), (15, factories[1])])
    exported = run_script.training_script(
        "2-2-1 Network", model, X, y, params0, [(0, first), (10, second)], 25
    )
    assert bool(exported.data_csv) == (m > run_script.INLINE_MAX)
    values = printed(exported, tmp_path)
    columns = row_columns(model)
    assert list(values) == list(model.names)
    for name, value in values.items():
        assert value == repr(float(rows[-1][columns.index(name)])), name
    # the change of α matters: one α throughout ends elsewhere
    same = stepped([(25, factories[0])])
    assert not np.array_equal(same[-1], rows[-1])


def test_a_newton_race_with_two_stretches(tmp_path):
    first = Newton1DSettings(x0=1.6, learning_rate=0.05)
    second = first.replace(learning_rate=0.2)
    rows = stepped([(3, RaceFactory(first)), (9, RaceFactory(second))])
    exported = run_script.race_script("Newton 1-D", [(0, first), (3, second)], 12)
    values = printed(exported, tmp_path)
    from optgui.core.race import race_columns

    columns = race_columns(("x",))
    assert list(values) == ["newton_x", "newton_x_next", "gd_x", "gd_x_next"]
    for name, value in values.items():
        assert value == repr(float(rows[-1][columns.index(name)])), name


def test_stretches_with_the_same_settings_are_one():
    first = TrainingLesson(learning_rate=0.5)
    seed = first.replace(seed=9)  # (not a setting of the steps: one stretch)
    other = first.replace(learning_rate=0.25)
    exported = run_script.training_script(
        "Classification",
        Network(2),
        *xor(4),
        np.zeros(9),
        [(0, first), (4, seed), (6, other)],
        8,
    )
    code = exported.script()
    assert "(6, TrainSettings(learning_rate=0.5," in code and "# steps 0 to 5" in code
    assert "(2, TrainSettings(learning_rate=0.25," in code and "# steps 6 to 7" in code


def test_numbers_are_written_to_be_read_back_exactly():
    assert run_script.number(0.1 + 0.2) == "0.30000000000000004"
    assert run_script.number(-0.0) == "-0.0"
    assert run_script.point([0.05]) == "(0.05,)"
    assert run_script.whole(10**12) == "10**12" and run_script.whole(1000) == "1000"


def test_the_notebook_is_nbformat_4_with_the_scripts_cells():
    exported = run_script.race_script("Newton 1-D", [(0, Newton1DSettings())], 5)
    notebook = json.loads(exported.notebook())
    assert set(notebook) == {"cells", "metadata", "nbformat", "nbformat_minor"}
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    cells = notebook["cells"]
    assert [c["cell_type"] for c in cells] == [c.kind for c in exported.cells]
    for cell, source in zip(cells, exported.cells, strict=True):
        assert "".join(cell["source"]) == source.text
        assert len({c["id"] for c in cells}) == len(cells)
        keys = {"cell_type", "id", "metadata", "source"}
        if cell["cell_type"] == "code":
            keys |= {"execution_count", "outputs"}
        assert set(cell) == keys


def test_no_steps_or_a_changed_function_is_said_in_words():
    with pytest.raises(run_script.ScriptError, match="No steps yet"):
        run_script.race_script("Newton 1-D", [(0, Newton1DSettings())], 0)
    first = Newton1DSettings()
    changed = first.replace(function="x^2")
    with pytest.raises(run_script.ScriptError, match="function changed"):
        run_script.race_script("Newton 1-D", [(0, first), (2, changed)], 4)


def test_a_walk_pressed_on_after_it_converged(tmp_path):
    """Each → starts the walk again after its last step, also once it has converged:
    the script does the same, and takes as many steps."""
    from optgui.lessons.hessian import HessianLesson, parse, walk_factory

    settings = HessianLesson(function="x^2 + y^2 + x*y", point=(1.0, -0.5))
    walk = walk_factory(settings, parse(settings))
    rows, last = [], None
    for _ in range(5):  # five presses of →
        run = Run([(1, 0, walk)], last)
        run.advance(math.inf)
        rows += run.rows
        last = run.last
    assert len(rows) == 5
    continuous = list(walk(None))
    assert len(continuous) < 5  # (one run alone ends sooner)
    values = printed(run_script.walk_script("Hessian Explorer", [(0, settings)], 5), tmp_path)
    from optgui.core.iterates import row_columns as step_columns

    columns = step_columns(("x", "y"))
    assert list(values) == ["x", "y", "x_next", "y_next"]
    for name, value in values.items():
        assert value == repr(float(rows[-1][columns.index(name)])), name
