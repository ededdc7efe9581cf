"""The application icon, from the PNGs in resources/icons (made by build/make_icons.py).

PNG needs no image-format plug-in, so the frozen bundle can leave Qt's plug-ins for SVG and
other formats out."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from fieldkit.paths import resource_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """FieldKit's icon in every size it ships (a null icon if the files are missing)."""
    icon = QIcon()
    folder = resource_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"fieldkit-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon
