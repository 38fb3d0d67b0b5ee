"""The README's promises: its Python example prints what it says, and its test
command is the one CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_prints_what_the_readme_says():
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    expected = re.search(r"prints\n\n```\n(.*?)```", README, re.S).group(1)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"TEST_COMMAND='(.*)'", ci).group(1)
    assert f"\n{command}\n" in README
