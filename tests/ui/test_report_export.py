"""Export PDF from the app: a selected visit's report is written (shareable by default) and
recorded in the audit log; the period summary comes from the menu."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from fieldkit.domain.records import Facility, Visit
from fieldkit.ui import report_export
from tests.ui.test_app_flow import first_run


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    target = tmp_path / "out" / "informe.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(
        report_export.ReportOptionsDialog, "exec", lambda self: QDialog.DialogCode.Accepted
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), ""))
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    return target


def test_export_a_visit_from_its_page(qtbot, controller, no_dialogs: Path) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    made = []
    controller.ctx.call(
        lambda v: v.records.create(
            Visit(
                facility_id=v.records.create(Facility(name="Planta Norte")).id,
                start_date=dt.date(2026, 5, 4),
                findings="Todo en orden",
            )
        ),
        made.append,
    )
    qtbot.waitUntil(lambda: bool(made), timeout=5_000)
    controller.ctx.notify_changed("visit")
    page = controller.window.workspace.kind_pages["visit"]
    controller.window.workspace.go_to(2)
    qtbot.waitUntil(lambda: page.records.model.rowCount() == 1, timeout=5_000)
    assert not page.export_button.isEnabled()
    page.records.table.selectRow(0)
    assert page.export_button.isEnabled()
    page.export_button.click()
    qtbot.waitUntil(no_dialogs.exists, timeout=10_000)
    text = PdfReader(no_dialogs).pages[0].extract_text()
    assert "Planta Norte" in text and "Shareable" in text
    audited = []
    controller.ctx.call(lambda v: v.store.recent_audit()[0], audited.append)
    qtbot.waitUntil(lambda: bool(audited), timeout=5_000)
    assert audited[0].detail.startswith("report=VisitReport,profile=shareable")


def test_period_summary_from_the_menu(qtbot, controller, no_dialogs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    told: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: told.append(self) or 0)
    controller.window.sig_period_report_requested.emit()
    # Wait for the "written" message, not only the file: the window must outlive the export.
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert PdfReader(no_dialogs).metadata.title


def test_quarterly_report_from_the_menu(qtbot, controller, no_dialogs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    told: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: told.append(self) or 0)
    controller.window.sig_quarterly_report_requested.emit()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)  # the export finished and said so
    text = PdfReader(no_dialogs).pages[0].extract_text()
    assert "Quarterly report to the Interagency Labor Committee" in " ".join(text.split())
