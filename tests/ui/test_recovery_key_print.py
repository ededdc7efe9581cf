"""Printing the recovery key: one page with the title, the key (fitting the page's width), what
it is for and the date, in English and Spanish; the "Print…" button beside "Save to a file…",
which does nothing when the print dialog is cancelled. No real dialog ever opens here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from fieldkit.i18n import SPANISH, _, set_language
from fieldkit.ui import lock_views
from fieldkit.ui.lock_views import RecoveryKeyView
from fieldkit.ui.recovery_print import print_recovery_key
from tests.reports.pdfcheck import flat, reader

KEY = "7K2QM-XW9HD-0ABC4-RSTV8-NPQ45-ZZ0Y1-GHJKM-W3E5T"
PRINTED_ON = dt.date(2026, 3, 4)


def pdf_printer(path: Path, page: QPageSize.PageSizeId = QPageSize.PageSizeId.A4) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(page))
    printer.setOutputFileName(str(path))
    return printer


def printed(path: Path, page: QPageSize.PageSizeId = QPageSize.PageSizeId.A4) -> bytes:
    assert print_recovery_key(pdf_printer(path, page), KEY, PRINTED_ON)
    return path.read_bytes()


def left_edges(pdf: bytes) -> dict[str, tuple[float, float]]:
    """Each text run's first 20 characters: (left edge, font size), in points."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            found[" ".join(text.split())[:20]] = (tm[4] * cm[0] + cm[4], size * cm[0])

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_page_holds_the_title_the_key_its_purpose_and_the_date(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = printed(tmp_path / "key.pdf")
    text = flat(pdf)
    assert len(reader(pdf).pages) == 1
    assert text.startswith("FieldKit recovery key")
    assert KEY in text.split()  # on one line, unbroken
    assert "only way back into the FieldKit vault" in text and "apart from the laptop" in text
    assert "Printed on Mar 4, 2026" in text


def test_the_page_in_spanish(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    set_language(SPANISH)
    text = flat(printed(tmp_path / "clave.pdf"))
    assert text.startswith("Clave de recuperación de FieldKit")
    assert "FieldKit recovery key" not in text
    assert KEY in text.split()
    assert "4 mar 2026" in text  # the date in the Spanish form
    printed_line = _("Printed on {date}").format(date="4 mar 2026")
    assert " ".join(printed_line.split()) in text  # whatever the catalog says, it is printed


@pytest.mark.parametrize("page", [QPageSize.PageSizeId.A4, QPageSize.PageSizeId.Letter])
def test_the_key_is_large_and_fits_the_page_width(qapp, tmp_path: Path, page) -> None:  # type: ignore[no-untyped-def]
    edges = left_edges(printed(tmp_path / "key.pdf", page))
    title_left, _title_size = edges["FieldKit recovery ke"]
    key_left, key_size = edges[KEY[:20]]
    # The key is centred in a box as wide as the title's column: starting inside it, it ends
    # inside it too.
    assert key_left > title_left
    assert key_size >= 14


@pytest.fixture
def view(qtbot) -> RecoveryKeyView:  # type: ignore[no-untyped-def]
    shown = RecoveryKeyView(keyring_available=False)
    qtbot.addWidget(shown)
    shown.show_key(KEY)
    return shown


def fake_print_dialog(monkeypatch: pytest.MonkeyPatch, choose: Any) -> list[QPrinter]:
    """QPrintDialog.exec without a window: `choose(printer)` plays the person's choice."""
    asked: list[QPrinter] = []

    def exec_(dialog: QPrintDialog) -> int:
        asked.append(dialog.printer())
        return choose(dialog.printer())

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return asked


def test_print_button_sits_beside_save_with_an_accessible_name(view: RecoveryKeyView) -> None:
    assert view.print_button.text() == "Print…"
    assert view.print_button.accessibleName() == "Print the recovery key"
    assert view.print_button.isEnabled()
    assert view.print_button.parentWidget() is view.save_button.parentWidget()


def test_a_cancelled_print_dialog_does_nothing(
    qtbot, view: RecoveryKeyView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    asked = fake_print_dialog(monkeypatch, lambda _printer: QDialog.DialogCode.Rejected)
    drawn: list[str] = []
    monkeypatch.setattr(lock_views, "print_recovery_key", lambda *args: drawn.append("page"))
    view.print_button.click()
    assert len(asked) == 1 and drawn == []
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere
    assert view.error.isHidden() and view.key.text() == KEY


def test_printing_to_a_pdf_file_chosen_in_the_dialog(
    qtbot, view: RecoveryKeyView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "recovery.pdf"

    def print_to_file(printer: QPrinter) -> QDialog.DialogCode:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    fake_print_dialog(monkeypatch, print_to_file)
    view.print_button.click()
    pdf = target.read_bytes()
    assert KEY in flat(pdf).split() and "Printed on" in flat(pdf)
    assert reader(pdf).metadata.title == "FieldKit recovery key"  # the key is never metadata
    assert view.error.isHidden()


def test_a_printer_that_cannot_start_is_explained(
    qtbot, view: RecoveryKeyView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    def unwritable_file(printer: QPrinter) -> QDialog.DialogCode:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "missing" / "folder" / "key.pdf"))
        return QDialog.DialogCode.Accepted

    fake_print_dialog(monkeypatch, unwritable_file)
    view.print_button.click()
    assert not view.error.isHidden()
    assert "could not be printed" in view.error.text()
    assert not (tmp_path / "missing").exists()
