"""Export PDF from the app: a selected visit's report is written (shareable by default) and
recorded in the audit log; the period summary comes from the menu."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from fieldkit.domain.records import Facility, Visit
from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui import report_export
from tests.ui.test_app_flow import first_run


class Exported(NamedTuple):
    path: Path
    boxes: list[QMessageBox]  # the "Report written" messages shown

    def done(self) -> bool:
        """The export finished and said so (the file alone can exist a moment before)."""
        return bool(self.boxes) and self.path.exists()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Exported:
    target = tmp_path / "out" / "informe.pdf"
    target.parent.mkdir()
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(
        report_export.ReportOptionsDialog, "exec", lambda self: QDialog.DialogCode.Accepted
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), ""))
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda self: boxes.append(self) or 0)
    return Exported(target, boxes)


def test_export_a_visit_from_its_page(qtbot, controller, no_dialogs: Exported) -> None:  # type: ignore[no-untyped-def]
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
    qtbot.waitUntil(no_dialogs.done, timeout=10_000)
    text = PdfReader(no_dialogs.path).pages[0].extract_text()
    assert "Planta Norte" in text and "Shareable" in text
    audited = []
    controller.ctx.call(lambda v: v.store.recent_audit()[0], audited.append)
    qtbot.waitUntil(lambda: bool(audited), timeout=5_000)
    assert audited[0].detail.startswith("report=VisitReport,profile=shareable")


def test_period_summary_from_the_menu(qtbot, controller, no_dialogs: Exported) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    controller.window.sig_period_report_requested.emit()
    qtbot.waitUntil(no_dialogs.done, timeout=10_000)
    assert PdfReader(no_dialogs.path).metadata.title


def test_the_dialog_says_what_each_profile_includes(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    dialog = report_export.ReportOptionsDialog(controller.ctx, period=False)
    qtbot.addWidget(dialog)
    shareable = dialog.profile_contents.text()
    assert "only as a count by role group" in shareable and "no pseudonyms" in shareable
    dialog.profile.setCurrentIndex(dialog.profile.findData("internal"))
    internal = dialog.profile_contents.text()
    assert internal.startswith("For HQ only.") and '"Given, no quotes"' in internal
    assert dialog.profile.accessibleDescription() == internal
    set_language(SPANISH)
    spanish = report_export.ReportOptionsDialog(controller.ctx, period=False)
    qtbot.addWidget(spanish)
    assert spanish.profile_contents.text().startswith("Para lectores fuera de la sede central.")


def test_quarterly_report_from_the_menu(qtbot, controller, no_dialogs: Exported) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    controller.window.sig_quarterly_report_requested.emit()
    qtbot.waitUntil(no_dialogs.done, timeout=10_000)
    text = PdfReader(no_dialogs.path).pages[0].extract_text()
    assert "Quarterly report to the Interagency Labor Committee" in " ".join(text.split())
