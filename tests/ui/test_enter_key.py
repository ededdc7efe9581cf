"""Enter means the primary action: Next and Connect in the connect dialog (never Cancel),
create and Continue on first run, Set the new passphrase in recovery."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldkit.hq import certs
from fieldkit.ui.controller import AppController
from tests.hq_server import running_hq
from tests.ui.test_app_flow import PASSPHRASE, first_run

WAIT = 10_000


def activate(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def test_enter_goes_on_in_the_connect_dialog_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
    qtbot, controller: AppController, tmp_path
) -> None:
    controller.sync.first_delay_s = 60
    first_run(qtbot, controller)
    cert, key = certs.make_self_signed(tmp_path / "tls", ["127.0.0.1"])
    with running_hq(tmp_path / "hq-tls", tls=(cert, key)) as hq:
        dialog = controller.open_connect()
        assert dialog is not None
        activate(qtbot, dialog)
        bare = hq.url.removeprefix("https://")  # no scheme: https is meant
        qtbot.keyClicks(dialog.address, bare)
        qtbot.keyClick(dialog.address, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code)
        qtbot.keyClicks(dialog.code, hq.enroll("Ana"))
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=WAIT)
        assert dialog.isVisible() and dialog.address.text() == bare
        assert "https://" in dialog.presented.text()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.confirm)
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Space)
        assert dialog.confirm.isChecked()
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter: Connect
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=WAIT)
        assert "as “Ana”" in dialog.outcome.text()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter: Close
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert dialog.result() == dialog.DialogCode.Accepted


def test_enter_after_tabbing_past_cancel_still_goes_on(qtbot, controller: AppController) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = controller.open_connect()
    assert dialog is not None
    activate(qtbot, dialog)
    dialog.address.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.address)
    for _step in range(4):  # round the form and its buttons, Cancel included
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    dialog.code.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code)
    assert dialog.next_button.isDefault() and not dialog.cancel_button.isDefault()
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # nothing typed: said in place, not closed
    assert dialog.isVisible()
    assert dialog.address_problem.text() == "Enter the headquarters address."


def test_enter_creates_the_vault_continues_and_recovers(qtbot, controller: AppController) -> None:  # type: ignore[no-untyped-def]
    w = controller.window
    controller.start()
    activate(qtbot, w)
    view = w.first_run
    qtbot.keyClicks(view.passphrase, PASSPHRASE)
    qtbot.keyClick(view.passphrase, Qt.Key.Key_Return)  # on to the second field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.confirm)
    assert not view.error.isVisible()
    qtbot.keyClicks(view.confirm, PASSPHRASE)
    qtbot.keyClick(view.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.recovery_key, timeout=WAIT)
    key = w.recovery_key.key.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    w.recovery_key.stored.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.recovery_key.stored)
    qtbot.keyClick(w.recovery_key.stored, Qt.Key.Key_Space)
    qtbot.keyClick(w.recovery_key.stored, Qt.Key.Key_Return)  # Continue
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=WAIT)

    controller.lock()
    w.recover.key.setText(key)
    w.show_page(w.recover)
    w.recover.passphrase.setText("a brand new passphrase")
    w.recover.confirm.setText("a brand new passphrase")
    w.recover.confirm.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.recover.confirm)
    qtbot.keyClick(w.recover.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=WAIT)
