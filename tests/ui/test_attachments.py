"""Attachments from the app: a file goes into the vault; opening it makes an owner-only
temporary copy that is gone once the vault locks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from fieldkit.domain.records import Facility
from fieldkit.ui.attachments_dialog import AttachmentsDialog
from tests.ui.test_app_flow import first_run


def test_attach_open_and_clean_up(
    qtbot, controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    made = []
    controller.ctx.call(lambda v: v.records.create(Facility(name="Planta con acta")), made.append)
    qtbot.waitUntil(lambda: bool(made), timeout=5_000)
    controller.ctx.notify_changed("facility")
    page = controller.window.workspace.kind_pages["facility"]
    controller.window.workspace.go_to(1)
    qtbot.waitUntil(lambda: page.records.model.rowCount() == 1, timeout=5_000)
    page.records.table.selectRow(0)

    source = tmp_path / "acta de la reunión.txt"
    source.write_bytes("Minuta: acuerdos de la reunión\n".encode())
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(source), ""))
    )
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(url.toLocalFile()) or True),
    )

    page.attachments_button.click()
    dialog = page.findChild(AttachmentsDialog)
    assert dialog is not None
    dialog.attach_button.click()
    qtbot.waitUntil(lambda: dialog.files.count() == 1, timeout=5_000)
    assert "acta de la reunión.txt" in dialog.files.item(0).text()

    dialog.open_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=5_000)
    copy = Path(opened[0])
    assert copy.read_bytes() == source.read_bytes()
    assert copy.stat().st_mode & 0o077 == 0

    controller.lock()
    assert not copy.exists()
    assert not dialog.isVisible()
