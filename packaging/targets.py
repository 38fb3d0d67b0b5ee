"""What the double-click app is on each desktop: plugins, icon, version data, names.

Plain Python (no PyInstaller): ``packaging/optgui.spec`` reads it when it builds,
``packaging/archive.py`` when it packs the bundle, and the tests check each
desktop's choices on any machine.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
APP_ID = "io.github.optgui.optgui"
VERSION = re.search(
    r'__version__ = "([^"]+)"', (ROOT / "optgui" / "__init__.py").read_text(encoding="utf-8")
).group(1)

#: Qt's platform plugins each desktop needs; ``offscreen`` everywhere (the smoke
#: test), ``minimal`` for scripts. Every other platform plugin is left out.
PLATFORM_PLUGINS = {
    "linux": ("xcb", "wayland", "offscreen", "minimal"),
    "windows": ("windows", "offscreen", "minimal"),
    "macos": ("cocoa", "offscreen", "minimal"),
}

#: Files left out of every bundle (paths inside it, "/" separated, as regular
#: expressions). Qt's plugins live in PySide6/Qt/plugins (Linux, macOS) or
#: PySide6/plugins (Windows).
_PLUGINS = r"PySide6/(?:Qt/)?plugins/"
_LIB = r"(?:lib)?"
_EXT = r"\.(?:so|dll|dylib)$"
DROP = [
    # Qt's translations (optgui's text is English)
    r"PySide6/(?:Qt/)?translations/",
    # (platform plugins: only the desktop's own, see PLATFORM_PLUGINS and Target.drops)
    # networking, SQL, QML, Designer, printing, touch input, Wayland compositors …
    _PLUGINS + r"(?:egldeviceintegrations|generic|networkinformation|tls|sqldrivers"
    r"|qmltooling|qmllint|designer|printsupport|wayland-graphics-integration-server"
    r"|accessiblebridge|vectorimageformats)/",
    # the virtual keyboard (it needs QtQuick)
    _PLUGINS + r"platforminputcontexts/" + _LIB + r"qtvirtualkeyboardplugin" + _EXT,
    # the GTK theme (it would bring a private copy of GTK's libraries)
    _PLUGINS + r"platformthemes/" + _LIB + r"qgtk3" + _EXT,
    # image formats: optgui reads and writes PNG (built into QtGui) and SVG only
    _PLUGINS + r"imageformats/" + _LIB + r"q(?!svg\.|svg$)[a-z0-9]+" + _EXT,
    # the .ico and .icns: PyInstaller puts them into the .exe and the .app itself
    r"optgui/resources/icons/optgui\.(?:ico|icns)$",
    # matplotlib: sample data, toolbar images, and the AFM font metrics of the
    # PS/PDF backends (mathtext on Agg uses the TrueType fonts in fonts/ttf:
    # DejaVu, Computer Modern cm*, STIX, all kept: no system font is needed)
    r"matplotlib/mpl-data/sample_data/",
    r"matplotlib/mpl-data/fonts/(?:afm|pdfcorefonts)/",
    r"matplotlib/mpl-data/images/",
    r"matplotlib/mpl-data/plot_directive/",
]
_drop = re.compile("|".join(f"(?:{p})" for p in DROP))
_LINUX_MENU = re.compile(r"optgui/resources/(?:[^/]+\.desktop|icons/optgui-\d+\.png)$")


def dropped(dest: str) -> bool:
    """Whether every bundle leaves out the file at ``dest`` (a path inside the bundle)."""
    return bool(_drop.search(dest.replace("\\", "/")))


def platform_plugin(dest: str) -> str:
    """The name of the Qt platform plugin at ``dest`` (``xcb``, ``windows`` …), or ''."""
    parts = dest.replace("\\", "/").split("/")
    if parts[-3:-1] != ["plugins", "platforms"]:
        return ""
    stem = parts[-1].split(".")[0]
    return stem[4:] if stem.startswith("libq") else stem[1:]


def desktop(platform: str | None = None) -> str:
    """``linux``, ``windows`` or ``macos`` for a ``sys.platform`` value (default: this one)."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return "windows"
    if platform == "darwin":
        return "macos"
    return "linux"


@dataclass(frozen=True)
class Target:
    """One desktop's bundle."""

    desktop: str
    console: bool  # Linux: stdout reaches the terminal; elsewhere no console window
    icon: Path | None  # the program's icon (.ico, .icns); Linux: the menu entry has it
    platform_plugins: tuple[str, ...]

    def drops(self, dest: str) -> bool:
        """Whether this bundle leaves out the file at ``dest`` (a path inside it)."""
        if dropped(dest):
            return True
        plugin = platform_plugin(dest)
        if plugin:
            return plugin not in self.platform_plugins
        # the menu entry and its PNG icons are Linux's (install.sh)
        return self.desktop != "linux" and bool(_LINUX_MENU.search(dest.replace("\\", "/")))


def target(platform: str | None = None) -> Target:
    """The bundle for the desktop ``platform`` (a ``sys.platform`` value)."""
    name = desktop(platform)
    icon = {"windows": ICONS / "optgui.ico", "macos": ICONS / "optgui.icns"}.get(name)
    return Target(name, name == "linux", icon, PLATFORM_PLUGINS[name])


def info_plist(version: str = VERSION) -> dict:
    """The macOS app's Info.plist entries (PyInstaller's BUNDLE adds the rest)."""
    return {
        "CFBundleName": "optgui",
        "CFBundleDisplayName": "optgui",
        "CFBundleIdentifier": APP_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundlePackageType": "APPL",
        "LSApplicationCategoryType": "public.app-category.education",
        "LSMinimumSystemVersion": "13.0",  # PySide6's wheels need macOS 13
        "NSHighResolutionCapable": True,  # sharp text on Retina screens
        "NSPrincipalClass": "NSApplication",
        "NSHumanReadableCopyright": "MIT licence",
    }


def version_numbers(version: str = VERSION) -> tuple[int, int, int, int]:
    """``0.1.0`` as Windows' four numbers (0, 1, 0, 0)."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def version_file(version: str = VERSION) -> str:
    """The Windows version resource, in PyInstaller's version-file language.

    Explorer shows it under Properties → Details; SmartScreen names the program by it.
    """
    numbers = version_numbers(version)
    strings = {
        "CompanyName": "optgui",
        "FileDescription": "optgui: live experiments for optimisation and Newton's method",
        "FileVersion": version,
        "InternalName": "optgui",
        "LegalCopyright": "MIT licence",
        "OriginalFilename": "optgui.exe",
        "ProductName": "optgui",
        "ProductVersion": version,
    }
    string_structs = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""# UTF-8 (written by packaging/targets.py)
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def archive_name(platform: str | None = None, machine: str = "", version: str = VERSION) -> str:
    """The release file's name: ``optgui-0.1.0-windows-x64.zip`` and the like."""
    name = desktop(platform)
    arch = {"amd64": "x64", "x86_64": "x64", "aarch64": "arm64"}.get(
        machine.lower(), machine.lower() or "x64"
    )
    suffix = ".tar.gz" if name == "linux" else ".zip"
    return f"optgui-{version}-{name}-{arch}{suffix}"
