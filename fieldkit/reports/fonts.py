"""The DejaVu fonts every report uses: registered once, embedded as subsets, and located through
`resource_dir()` so a frozen build finds them too."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fieldkit.paths import resource_dir

REGULAR = "FieldKitSans"
BOLD = "FieldKitSans-Bold"
ITALIC = "FieldKitSans-Oblique"
BOLD_ITALIC = "FieldKitSans-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the four faces and their family (for <b> and <i> in paragraphs) once."""
    global _registered  # noqa: PLW0603 - a process-wide registry, like reportlab's own
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = resource_dir() / "fonts"
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
