"""The recovery key on paper: the system's print dialog, and one page with the title, the key
large enough to copy by hand, what it is for and where to keep it, and the date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPaintDevice,
    QPainter,
    QPen,
    QTextOption,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from fieldkit.i18n import _, format_date


def ask_where_to_print(printer: QPrinter, parent: QWidget) -> bool:
    """The system's print dialog (a printer, or a PDF file); False if the person cancels."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print the recovery key"))
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(option.PrintToFile | option.PrintShowPageSize)  # one page: no page range
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    # Unparented, the dialog is deleted on return, while the printer it points to still exists.
    dialog.setParent(None)
    return accepted


# --- the printed page -------------------------------------------------------------------------

_PAGE_INSET_MM = 8.0  # inside the printer's own margins
_KEY_POINT_SIZES = range(24, 7, -1)  # the largest that fits the page's width wins


def print_recovery_key(device: QPagedPaintDevice, key: str, printed_on: dt.date) -> bool:
    """Print one page: the title, the key large enough to copy by hand, what it is for and
    where to keep it, and the date. False if the printer (or PDF file) could not be opened."""
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        _draw_recovery_page(painter, key, printed_on)
    finally:
        painter.end()
    return True


def _draw_recovery_page(painter: QPainter, key: str, printed_on: dt.date) -> None:
    mm = painter.device().logicalDpiY() / 25.4
    inset = _PAGE_INSET_MM * mm
    page = QRectF(painter.window()).adjusted(inset, inset, -inset, -inset)
    title = _print_font(20, QFont.Weight.DemiBold)
    bottom = _draw_paragraph(painter, page, page.top(), title, _("FieldKit recovery key"))
    bottom = _draw_key(painter, page, bottom + 8 * mm, key)
    purpose = _(
        "This key is the only way back into the FieldKit vault if the passphrase is "
        "forgotten: keep this page somewhere safe, apart from the laptop."
    )
    bottom = _draw_paragraph(painter, page, bottom + 8 * mm, _print_font(12), purpose)
    printed = _("Printed on {date}").format(date=format_date(printed_on))
    _draw_paragraph(painter, page, bottom + 5 * mm, _print_font(10), printed)


def _draw_paragraph(painter: QPainter, page: QRectF, top: float, font: QFont, text: str) -> float:
    """Draw word-wrapped text across the page from `top`; returns where it ends."""
    painter.setFont(font)
    area = QRectF(page.left(), top, page.width(), page.bottom() - top)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    painter.drawText(area, text, option)
    return painter.boundingRect(area, text, option).bottom()


def _draw_key(painter: QPainter, page: QRectF, top: float, key: str) -> float:
    """The key on one line, in a box; returns where the box ends."""
    mm = painter.device().logicalDpiY() / 25.4
    padding = 5 * mm
    font = _key_font(key, page.width() - 2 * padding, painter.device())
    height = QFontMetricsF(font, painter.device()).height() + 2 * padding
    box = QRectF(page.left(), top, page.width(), height)
    painter.setPen(QPen(Qt.GlobalColor.black, 0.3 * mm))
    painter.drawRect(box)
    painter.setFont(font)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, key)
    return box.bottom()


def _key_font(key: str, width: float, device: QPaintDevice) -> QFont:
    """The fixed-pitch font in the largest size at which the key fits `width`."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    for points in _KEY_POINT_SIZES:
        font.setPointSize(points)
        if QFontMetricsF(font, device).horizontalAdvance(key) <= width:
            break
    return font


def _print_font(points: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSize(points)
    font.setWeight(weight)
    return font
