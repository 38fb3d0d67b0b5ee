"""The window fits the screen it opens on, and reopens as it was when that still fits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRect, QSize, Qt

import optgui
from optgui.app import FRAME_KEY, GEOMETRY_KEY, MAXIMIZED_KEY, saved_geometry
from optgui.cli import parse_args
from optgui.gui import placement
from optgui.gui.placement import COMFORTABLE, Placement, Saved, choose, fit, requested
from optgui.gui.settings import app_settings

LAPTOPS = [QRect(0, 0, 1366, 768), QRect(0, 0, 1280, 800), QRect(0, 0, 1440, 870)]


# -- the rule, as a pure function ------------------------------------------------
def test_a_large_screen_gets_the_comfortable_size_centred_below_its_title_bar():
    available = QRect(0, 27, 1920, 1053)  # a 1920×1080 monitor with a top panel
    chosen = fit(available)
    assert not chosen.maximized and not chosen.restore
    assert chosen.geometry.size() == COMFORTABLE
    assert available.contains(chosen.geometry)
    left = chosen.geometry.left() - available.left()
    assert left == available.right() - chosen.geometry.right()  # centred across
    title_room = chosen.geometry.top() - available.top()
    assert title_room >= placement.FRAME.height()  # room for the title bar above
    assert available.contains(chosen.geometry.adjusted(0, -placement.FRAME.height(), 0, 0))


@pytest.mark.parametrize("available", LAPTOPS, ids=lambda r: f"{r.width()}x{r.height()}")
def test_a_laptop_screen_is_filled_maximised(available):
    assert fit(available) == Placement(available, maximized=True)


def test_a_window_saved_on_a_large_monitor_fits_the_laptop_it_reopens_on():
    on_monitor = fit(QRect(0, 0, 1920, 1080)).geometry  # 1440×900 at (240, 114)
    saved = Saved(on_monitor, maximized=False)
    assert choose(QRect(0, 0, 1920, 1080), saved) == Placement(on_monitor, False, restore=True)
    for laptop in LAPTOPS:
        assert choose(laptop, saved) == Placement(laptop, maximized=True)
    # maximised on the monitor: its normal frame does not fit the laptop either
    assert choose(LAPTOPS[0], Saved(on_monitor, maximized=True)) == fit(LAPTOPS[0])


def test_a_geometry_that_fits_is_restored_maximised_or_not():
    laptop = QRect(0, 0, 1366, 768)
    frame = QRect(100, 50, 1000, 600)
    assert choose(laptop, Saved(frame, False)) == Placement(frame, False, restore=True)
    assert choose(laptop, Saved(frame, True)) == Placement(frame, True, restore=True)
    # partly off the screen (a monitor to the right was unplugged), or no frame
    assert choose(laptop, Saved(QRect(1000, 50, 1000, 600), False)) == fit(laptop)
    assert choose(laptop, Saved(QRect(), True)) == fit(laptop)
    assert choose(laptop, None) == fit(laptop)


def test_a_size_asked_for_is_kept_and_its_corner_stays_on_the_screen():
    laptop = QRect(0, 0, 1366, 768)
    assert requested(laptop, QSize(1024, 768)) == QRect(171, 0, 1024, 768)
    assert requested(laptop, QSize(1920, 1080)) == QRect(0, 0, 1920, 1080)
    assert requested(QRect(1366, 0, 1920, 1080), QSize(800, 600)) == QRect(1926, 240, 800, 600)


def test_size_is_only_applied_when_given():
    assert parse_args([]).size is None
    assert placement.parse_size("1024X768") == QSize(1024, 768)
    for bad in ("1024", "0x768", "axb", "1x2x3"):
        with pytest.raises(ValueError):
            placement.parse_size(bad)


# -- the window (offscreen Qt: one 800×800 screen) -------------------------------
def test_the_window_reopens_where_it_was_closed(qtbot):
    from optgui.app import create_window

    window = create_window()  # (not shown: the offscreen screen is smaller than a tab)
    qtbot.addWidget(window)
    window.setGeometry(60, 50, 600, 400)
    window.close()
    assert saved_geometry()[1] == Saved(QRect(60, 50, 600, 400), maximized=False)
    again = create_window()
    qtbot.addWidget(again)
    assert again.place() == Placement(QRect(60, 50, 600, 400), False, restore=True)
    assert again.geometry() == QRect(60, 50, 600, 400)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    again.setWindowState(Qt.WindowState.WindowMaximized)  # closed maximised: reopens so
    again.close()
    assert saved_geometry()[1].maximized
    third = create_window()
    qtbot.addWidget(third)
    placed = third.place()
    assert placed.maximized and placed.restore
    assert placed.geometry.contains(QRect(60, 50, 600, 400))  # (with the frame's margins)
    assert third.windowState() & Qt.WindowState.WindowMaximized


def test_a_geometry_from_a_larger_monitor_falls_back_to_fitting(qtbot):
    from optgui.app import create_window

    big = create_window()
    qtbot.addWidget(big)
    big.setGeometry(fit(QRect(0, 0, 1920, 1080)).geometry)  # as placed on a 1920×1080 monitor
    settings = app_settings()
    settings.setValue(GEOMETRY_KEY, big.saveGeometry())
    settings.setValue(FRAME_KEY, big.geometry())
    settings.setValue(MAXIMIZED_KEY, False)
    big.remembers_geometry = False
    big.close()
    window = create_window()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()  # 800×800
    assert window.place() == Placement(available, maximized=True)
    assert window.geometry() == available  # (what X without a window manager shows)
    assert window.windowState() & Qt.WindowState.WindowMaximized


def test_damaged_settings_fall_back_to_fitting(qtbot):
    settings = app_settings()
    settings.setValue(GEOMETRY_KEY, "not a geometry")
    settings.setValue(FRAME_KEY, "1 2 3")
    assert saved_geometry() == (QByteArray(), None)
    settings.setValue(GEOMETRY_KEY, QByteArray(b"garbage"))
    settings.setValue(FRAME_KEY, QRect(0, 0, 300, 200))
    from optgui.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    assert window.place() == Placement(window.screen().availableGeometry(), maximized=True)
    window.remembers_geometry = False
    window.close()


def test_presenting_saves_the_geometry_it_had_before(window, qtbot):
    window.showNormal()
    window.setGeometry(60, 40, 500, 400)
    before = window.frameGeometry()
    window.set_presentation(True)
    window.close()
    assert app_settings().value(FRAME_KEY) == before
    assert saved_geometry()[1] == Saved(before, maximized=False)
    window.set_presentation(False)


def test_a_size_asked_for_is_not_remembered(qtbot):
    from optgui.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.remembers_geometry = False  # what main() sets for --size, --screenshot, --smoke-test
    window.place(QSize(700, 500))
    assert window.size() == QSize(700, 500)
    window.close()
    assert app_settings().value(FRAME_KEY) is None


# -- the installed command on a real X server ------------------------------------
def optgui_command() -> list[str]:
    """The ``optgui`` console script next to this Python, else ``python -m optgui``."""
    script = Path(sys.executable).with_name("optgui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "optgui"]


def start_on_x(screen: str, home: Path, *args: str) -> dict:
    """Start optgui on a fresh Xvfb screen ``WxH``; what it reported about its geometry."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt: xvfb xauth)")
    report = home / "geometry.json"
    report.unlink(missing_ok=True)
    source = str(Path(optgui.__file__).resolve().parent.parent)  # the optgui under test
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="xcb",
        OPTGUI_SETTINGS_DIR=str(home / "settings"),
        XDG_CONFIG_HOME=str(home / "config"),
        PYTHONPATH=os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p),
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", *optgui_command()]
    result = subprocess.run(
        [*command, "--report-geometry", str(report), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert report.exists(), f"optgui reported nothing: {result.stderr[-2000:]}"
    return json.loads(report.read_text(encoding="utf-8"))


def inside(outer: list[int], inner: list[int]) -> bool:
    return QRect(*outer).contains(QRect(*inner)) and inner[2] > 0 and inner[3] > 0


def assert_on_screen(report: dict, screen: str) -> None:
    width, height = (int(v) for v in screen.split("x"))
    assert report["screen"] == [0, 0, width, height]
    available = report["available"]
    assert inside(available, report["frame"]), report
    for name in ("play", "step", "timeline"):
        widget = report["widgets"][name]
        assert widget["visible"], name
        assert inside(available, widget["rect"]), (name, report)
        assert inside(report["frame"], widget["rect"]), (name, report)


@pytest.mark.parametrize("screen", ["1366x768", "1280x800"])
def test_the_command_opens_inside_a_laptop_screen_and_reopens_there(screen, tmp_path):
    first = start_on_x(screen, tmp_path)
    assert_on_screen(first, screen)
    assert first["maximized"] and not first["restored"]  # 1440×900 does not fit
    again = start_on_x(screen, tmp_path)  # the geometry it was closed with
    assert_on_screen(again, screen)
    assert again["maximized"] and again["restored"]


def test_a_window_from_a_large_monitor_reopens_inside_a_laptop(tmp_path):
    on_monitor = start_on_x("1920x1080", tmp_path)
    assert_on_screen(on_monitor, "1920x1080")
    assert on_monitor["frame"][2:] == [COMFORTABLE.width(), COMFORTABLE.height()]
    assert not on_monitor["maximized"]
    on_laptop = start_on_x("1366x768", tmp_path)
    assert_on_screen(on_laptop, "1366x768")
    assert on_laptop["maximized"] and not on_laptop["restored"]  # fitted again
    assert on_laptop["frame"] == on_laptop["available"]


def test_the_command_honours_size(tmp_path):
    report = start_on_x("1366x768", tmp_path, "--size", "1024x700")
    assert report["geometry"][2:] == [1024, 700]
    assert_on_screen(report, "1366x768")
    ini = tmp_path / "settings" / "optgui.ini"
    assert not ini.exists() or "frame=" not in ini.read_text(encoding="utf-8")
