"""Changing the data key from the desktop: in Settings, and offered right after a recovery."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fieldkit.crypto.header import read_header, unwrap_with_recovery
from fieldkit.errors import WrongRecoveryKey
from fieldkit.services import rekey
from fieldkit.services.vault import create_vault
from fieldkit.ui.controller import AppController
from fieldkit.ui.rekey_dialog import RekeyDialog
from tests.conftest import fast_kdf
from tests.ui.test_app_flow import PASSPHRASE, first_run, unlock
from tests.ui.test_settings_dialog import open_settings


def shown_rekey_dialog(ctrl: AppController) -> RekeyDialog:
    shown = [d for d in ctrl.window.findChildren(RekeyDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def change_key(qtbot, dialog: RekeyDialog, passphrase: str) -> None:  # type: ignore[no-untyped-def]
    dialog.passphrase.setText(passphrase)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)


def test_settings_change_the_data_key_and_show_the_new_recovery_key(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    old_recovery = first_run(qtbot, controller)
    settings = open_settings(qtbot, controller)
    qtbot.mouseClick(settings.rekey_button, Qt.MouseButton.LeftButton)
    dialog = shown_rekey_dialog(controller)

    change_key(qtbot, dialog, "not my passphrase at all")
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "passphrase" in dialog.error.text().lower()

    change_key(qtbot, dialog, PASSPHRASE)
    qtbot.waitUntil(lambda: bool(dialog.key.text()), timeout=20_000)
    new_recovery = dialog.key.text()
    assert new_recovery != old_recovery and not dialog.close_button.isEnabled()
    dialog.reject()  # Escape does not lose a key shown once
    assert dialog.isVisible()
    dialog.stored.setChecked(True)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    header = read_header(controller.ctx.vault_root / "vault.key")
    with pytest.raises(WrongRecoveryKey):
        unwrap_with_recovery(header, old_recovery)
    unwrap_with_recovery(header, new_recovery)
    controller.lock()
    unlock(qtbot, controller)  # the same passphrase opens the re-encrypted vault


def test_the_data_key_change_is_offered_after_a_recovery(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    key = first_run(qtbot, controller)
    w = controller.window
    controller.lock()
    qtbot.mouseClick(w.unlock.forgot, Qt.MouseButton.LeftButton)
    w.recover.key.setText(key)
    w.recover.passphrase.setText("a brand new passphrase")
    w.recover.confirm.setText("a brand new passphrase")
    qtbot.mouseClick(w.recover.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)
    dialog = shown_rekey_dialog(controller)
    change_key(qtbot, dialog, "a brand new passphrase")
    qtbot.waitUntil(lambda: bool(dialog.key.text()), timeout=20_000)
    controller.lock()  # locking closes it and takes the key off the screen
    assert not dialog.isVisible()


def test_an_unlock_that_finished_an_interrupted_rekey_offers_a_new_one(
    qtbot,  # type: ignore[no-untyped-def]
    controller,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault, _recovery = create_vault(controller.ctx.vault_root, PASSPHRASE, kdf=fast_kdf())
    with monkeypatch.context() as patch:
        patch.setattr(rekey, "commit", lambda _root, _header: None)  # stops after the swap
        vault.rekey(PASSPHRASE)
    vault.lock()
    controller.start()
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: bool(controller.window.findChildren(RekeyDialog)), timeout=5_000)
    dialog = shown_rekey_dialog(controller)
    assert any("was interrupted" in label.text() for label in dialog.findChildren(QLabel))
