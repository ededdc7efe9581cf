"""Change the passphrase and export records from the menus, against the real vault."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldkit.domain.records import Facility
from fieldkit.ui.controller import AppController
from tests.ui.test_app_flow import PASSPHRASE, first_run

NEW = "a different long passphrase"


def menu_texts(ctrl: AppController) -> list[str]:
    return [a.text() for m in ctrl.window.menuBar().actions() for a in m.menu().actions()]


def test_change_the_passphrase_from_the_menu(qtbot, controller: AppController) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    assert "Change the passphrase…" in menu_texts(controller)
    w = controller.window
    dialog = w.open_change_passphrase()
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.current.setText("not it at all")
    dialog.new.setText(NEW)
    dialog.confirm.setText(NEW)
    dialog.confirm.setFocus()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter is OK
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10_000)
    assert "passphrase is wrong" in dialog.problem.text()
    dialog.current.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.sig_changed, timeout=10_000):
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert w.statusBar().currentMessage() == "The passphrase was changed."

    controller.lock()
    w.unlock.passphrase.setText(NEW)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)


def test_export_records_from_the_menu(qtbot, controller: AppController, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    assert "Export records (JSON, CSV)…" in menu_texts(controller)
    controller.ctx.call(lambda v: v.records.create(Facility(name="Planta Silao")))
    w = controller.window
    w.workspace.go_to(1)
    dialog = w.open_export_records()
    assert dialog is not None and dialog.kind.currentData() == "facility"
    target = tmp_path / "facilities.json"
    with qtbot.waitSignal(dialog.sig_exported, timeout=10_000) as exported:
        dialog.export_to(target)
    assert exported.args == [str(target), 1]
    assert json.loads(target.read_text("utf-8"))[0]["name"] == "Planta Silao"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert w.statusBar().currentMessage() == f"1 record exported to {target}."
