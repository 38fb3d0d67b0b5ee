"""Presentation mode on a real X server (Xvfb, Qt's xcb platform) at projector sizes.

The stage's checks (:mod:`tests.gui.test_stage`) run in a pytest of their own
under ``xvfb-run`` with a screen of each size, so the window really is given the
whole screen and the text is as large as presenting makes it there (twice the
usual size at 1920 pixels, 1.5 times at 1024).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


#: What runs at each size: the stage's checks, and at 1024 × 768 the Newton tables'
#: (Newton's rows in view, gradient descent's tail in one row) and the Hessian's.
CHECKS = {
    "1024x768": (
        ["tests/gui/test_stage.py", "tests/gui/test_iterates_table.py"],
        "fits_a_projector and 1024x768 or presenting_at_1024",
        9,
    ),
    "1920x1080": (["tests/gui/test_stage.py"], "fits_a_projector and 1920x1080", 6),
}


@pytest.mark.parametrize("size", list(CHECKS))
def test_every_tab_presents_on_an_x_screen_of_this_size(size, tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb)")
    files, chosen, count = CHECKS[size]
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", OPTGUI_SETTINGS_DIR=str(tmp_path / "s"))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [
        "xvfb-run", "-a", "-s", f"-screen 0 {size}x24",
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files, "-k", chosen,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    report = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert f"{count} passed" in done.stdout, report  # every tab, on the xcb platform
