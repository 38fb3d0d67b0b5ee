"""Pack the built bundle into the file a release offers for this desktop.

    python packaging/archive.py [DIST_FOLDER] [OUT_FOLDER]

- Linux: ``optgui-VERSION-linux-x64.tar.gz`` of the folder ``optgui/``;
- Windows: ``optgui-VERSION-windows-x64.zip`` of the folder ``optgui/``;
- macOS: ``optgui-VERSION-macos-arm64.zip`` of ``optgui.app`` (made by ``ditto``,
  which keeps the app's symbolic links and permissions as Finder does).

Prints the archive's path (the release workflow uploads it).
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import archive_name, desktop  # noqa: E402


def pack(dist: Path, out: Path, system: str | None = None, machine: str = "") -> Path:
    """Archive the bundle in ``dist`` into ``out``; returns the archive's path."""
    name = archive_name(system, machine or platform.machine())
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    kind = desktop(system)
    if kind == "macos":
        app = dist / "optgui.app"
        subprocess.run(
            ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), str(path)],
            check=True,
        )
    elif kind == "windows":
        base = str(path)[: -len(".zip")]
        shutil.make_archive(base, "zip", root_dir=dist, base_dir="optgui")
    else:
        with tarfile.open(path, "w:gz") as tar:
            tar.add(dist / "optgui", arcname="optgui")
    return path


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    dist = Path(argv[0]) if argv else root / "build" / "dist"
    out = Path(argv[1]) if len(argv) > 1 else root / "build"
    print(pack(dist, out).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
