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


@pytest.mark.parametrize("size", ["1024x768", "1920x1080"])
def test_every_tab_presents_on_an_x_screen_of_this_size(size, tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb)")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", OPTGUI_SETTINGS_DIR=str(tmp_path / "s"))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [
        "xvfb-run", "-a", "-s", f"-screen 0 {size}x24",
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/gui/test_stage.py", "-k", f"fits_a_projector and {size}",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    report = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert "6 passed" in done.stdout, report  # every tab, on the xcb platform
