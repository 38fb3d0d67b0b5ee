"""Render resources/optgui.svg to every desktop's icon files, and commit them.

- ``icons/optgui-48.png``, ``icons/optgui-256.png``: the Linux menu (install.sh);
- ``icons/optgui.ico``: Windows (the .exe and its window), 16 to 256 px;
- ``icons/optgui.icns``: macOS (the .app), 16 to 1024 px.

Qt draws the SVG at each size (small sizes drawn, not shrunk, stay sharp);
Pillow packs the PNGs into the .ico and the .icns. Run from the repository root
after changing the SVG::

    python packaging/make_icons.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "optgui.svg"
#: The Linux menu's PNGs.
PNG_SIZES = (48, 256)
#: The sizes Windows picks from (Explorer's views, the taskbar, the title bar).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: The sizes of a macOS icon set (16 … 512 and their @2x, 1024 being 512@2x).
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(svg: Path, size: int) -> QImage:
    """Draw ``svg`` into a transparent ``size``×``size`` image (aspect kept, centred)."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    box = renderer.viewBoxF()
    scale = size / max(box.width(), box.height())
    w, h = box.width() * scale, box.height() * scale
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF((size - w) / 2, (size - h) / 2, w, h))
    painter.end()
    return image


def to_pillow(image: QImage) -> Image.Image:
    """The Qt image as a Pillow RGBA image (through PNG: no channel-order surprises)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("cannot encode a PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def icon_file(images: dict[int, Image.Image], sizes, out: Path, fmt: str) -> None:
    """Pack the images of ``sizes`` into one .ico or .icns (each size drawn, not scaled)."""
    largest = images[max(sizes)]
    others = [images[s] for s in sorted(sizes) if s != max(sizes)]
    extra = {"sizes": [(s, s) for s in sizes]} if fmt == "ICO" else {}
    largest.save(out, format=fmt, append_images=others, **extra)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    folder = Path(args[0]) if args else ROOT / "resources" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {size: render(SOURCE, size) for size in sizes}
    written = []
    for size in PNG_SIZES:
        out = folder / f"optgui-{size}.png"
        if not images[size].save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        written.append(out)
    pillow = {size: to_pillow(image) for size, image in images.items()}
    icon_file(pillow, ICO_SIZES, folder / "optgui.ico", "ICO")
    icon_file(pillow, ICNS_SIZES, folder / "optgui.icns", "ICNS")
    written += [folder / "optgui.ico", folder / "optgui.icns"]
    for out in written:
        print(f"{out}: {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
