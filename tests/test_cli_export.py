"""``optgui --export-script`` and ``--export-history``: after --steps, the run on disk.

The command runs headless (offscreen) in a process of its own; the script it
writes is run with python, and prints the last row of the history it wrote.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optgui.cli import parse_args

ROOT = Path(__file__).resolve().parents[1]


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        OPTGUI_SETTINGS_DIR=str(home / "settings"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
    )
    return env


def optgui(home: Path, *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "optgui", *map(str, args)],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_options_are_read():
    args = parse_args(["--steps", "5", "--export-script", "a.py", "--export-history", "h.csv"])
    assert (args.export_script, args.export_history, args.steps) == ("a.py", "h.csv", 5)
    assert parse_args([]).export_script is None and parse_args([]).export_history is None


@pytest.mark.parametrize("tab", ["Newton 1-D", "Classification"])
def test_steps_then_the_script_and_the_history(tmp_path, tab):
    script, history = tmp_path / "run.py", tmp_path / "history.csv"
    done = optgui(
        tmp_path,
        *("--tab", tab, "--steps", "7"),
        *("--export-script", str(script), "--export-history", str(history)),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with open(history, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, last = rows[0], rows[-1]
    assert len(rows) == 1 + 7 and last[0] == "6.0"
    printed = subprocess.run(
        [sys.executable, str(script)],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert lines
    for line in lines:
        name, value = line.split(" = ")
        assert value == last[header.index(name)], name  # the same repr: the same bits


def test_a_notebook_by_its_extension(tmp_path):
    notebook = tmp_path / "run.ipynb"
    done = optgui(tmp_path, "--tab", "Newton 2-D", "--steps", "3", "--export-script", notebook)
    assert done.returncode == 0, done.stderr[-2000:]
    document = json.loads(notebook.read_text(encoding="utf-8"))
    assert document["nbformat"] == 4 and document["cells"]


def test_without_steps_it_says_so_and_fails(tmp_path):
    done = optgui(tmp_path, "--tab", "Regression", "--export-script", str(tmp_path / "r.py"))
    assert done.returncode == 1
    assert "no steps to export: give --steps N" in done.stderr
    assert not (tmp_path / "r.py").exists()
