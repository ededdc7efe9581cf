"""Make the application icon's PNG, ICO and ICNS files from resources/icons/fieldkit.svg.

    .venv/bin/python build/make_icons.py

Qt's SVG renderer draws the PNGs (Qt is a dependency already); Pillow, which reportlab
brings, packs them into the Windows .ico and the macOS .icns. The results are committed, so a
build machine needs neither step; run this again after changing the SVG. The app itself loads
only the PNGs, so the bundle needs no SVG image plug-in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "fieldkit.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"fieldkit-{size}.png"


def render_pngs() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt  # noqa: PLC0415 - after QT_QPA_PLATFORM is set
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"cannot write {png_path(size)}")


def pack(target: Path, sizes: tuple[int, ...], image_format: str) -> None:
    largest = Image.open(png_path(max(sizes)))
    extra = [Image.open(png_path(size)) for size in sizes if size != max(sizes)]
    if image_format == "ICO":
        largest.save(target, format="ICO", sizes=[(s, s) for s in sizes], append_images=extra)
    else:
        largest.save(target, format="ICNS", append_images=extra)


def main() -> None:
    render_pngs()
    pack(ICONS / "fieldkit.ico", ICO_SIZES, "ICO")
    pack(ICONS / "fieldkit.icns", ICNS_SIZES, "ICNS")
    for path in sorted(ICONS.iterdir()):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
