"""The desktop integration and packaging files: entry, icons, installer, spec."""

from __future__ import annotations

import ast
import configparser
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
DESKTOP_ID = "io.github.optgui.optgui"
DESKTOP = RESOURCES / f"{DESKTOP_ID}.desktop"


def entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_matches_the_app():
    from optgui.app import APP_NAME
    from optgui.app import DESKTOP_ID as app_id

    e = entry()
    assert app_id == DESKTOP_ID  # Wayland matches the window to the entry by this name
    assert e["Type"] == "Application"
    assert e["Name"] == "optgui"
    assert e["Exec"] == "optgui"
    assert e["Icon"] == DESKTOP_ID
    assert e["Terminal"] == "false"
    assert e["StartupWMClass"] == APP_NAME  # X11: the WM_CLASS class of the window
    assert set(e["Categories"].rstrip(";").split(";")) >= {"Education", "Science", "Math"}
    assert e["GenericName"] and e["Comment"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_entry_is_valid():
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    errors = [line for line in result.stdout.splitlines() if "error:" in line]
    assert result.returncode == 0 and not errors, result.stdout + result.stderr


def test_icons_are_rendered_from_the_svg_at_their_sizes(qapp):
    from PySide6.QtGui import QImage

    from optgui.paths import resource

    for size in (48, 256):
        path = resource(f"icons/optgui-{size}.png")
        image = QImage(str(path))
        assert not image.isNull(), path
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    assert resource(f"{DESKTOP_ID}.desktop").exists()


def fake_bundle(folder: Path) -> Path:
    """A folder laid out like the PyInstaller bundle (program + resources)."""
    bundle = folder / "optgui bundle"  # a space, to check the Exec quoting
    res = bundle / "_internal" / "optgui" / "resources"
    shutil.copytree(RESOURCES, res)
    program = bundle / "optgui"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    shutil.copy2(PACKAGING / "install.sh", bundle / "install.sh")
    return bundle


LINUX_ONLY = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the Linux menu installer (install.sh)"
)


@LINUX_ONLY
def test_install_sh_adds_and_removes_the_menu_entry(tmp_path):
    bundle = fake_bundle(tmp_path)
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)}
    subprocess.run(["bash", str(bundle / "install.sh")], env=env, check=True, capture_output=True)

    installed = data / "applications" / f"{DESKTOP_ID}.desktop"
    text = installed.read_text()
    assert f'Exec="{bundle}/optgui"' in text
    assert f"TryExec={bundle}/optgui" in text
    icons = data / "icons" / "hicolor"
    for path in (
        icons / "48x48" / "apps" / f"{DESKTOP_ID}.png",
        icons / "256x256" / "apps" / f"{DESKTOP_ID}.png",
        icons / "scalable" / "apps" / f"{DESKTOP_ID}.svg",
    ):
        assert path.exists(), path

    subprocess.run(
        ["bash", str(bundle / "install.sh"), "--uninstall"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert not installed.exists()
    assert not (icons / "48x48" / "apps" / f"{DESKTOP_ID}.png").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="`bash` may be WSL's there")
def test_shell_scripts_parse():
    for script in ("build.sh", "install.sh", "time_start.sh"):
        subprocess.run(["bash", "-n", str(PACKAGING / script)], check=True)


def test_spec_bundles_the_resources_and_the_launcher():
    source = (PACKAGING / "optgui.spec").read_text()
    ast.parse(source)
    assert '"optgui/resources"' in source
    assert "launch.py" in source
    assert (PACKAGING / "launch.py").exists()


def test_launcher_detects_whether_the_app_knows_a_flag(monkeypatch):
    monkeypatch.syspath_prepend(str(PACKAGING))
    sys.modules.pop("launch", None)
    import launch

    assert launch.app_knows("--tab=Regression")
    assert not launch.app_knows("--no-such-flag")
