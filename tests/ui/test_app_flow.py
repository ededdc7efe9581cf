"""The application's flows through the real window, offscreen: first run, recovery key,
lock by hand and on idle, wrong and right passphrase, recovery, language."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from fieldkit.domain.records import Facility
from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui.controller import AppController
from fieldkit.ui.preferences import Preferences
from fieldkit.ui.search_dialog import SearchDialog
from tests.ui.screen_text import visible_texts

PASSPHRASE = "correct horse battery staple"


def first_run(qtbot, ctrl: AppController) -> str:  # type: ignore[no-untyped-def]
    """Create the vault through the first-run screens; returns the recovery key shown."""
    w = ctrl.window
    ctrl.start()
    assert w.stack.currentWidget() is w.first_run
    w.first_run.passphrase.setText(PASSPHRASE)
    w.first_run.confirm.setText(PASSPHRASE)
    qtbot.mouseClick(w.first_run.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.recovery_key, timeout=10_000)
    key = w.recovery_key.key.text()
    assert not w.recovery_key.proceed_button.isEnabled()
    w.recovery_key.stored.setChecked(True)
    qtbot.mouseClick(w.recovery_key.proceed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)
    return key


def test_first_run_shows_the_recovery_key_once_and_opens(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    key = first_run(qtbot, controller)
    assert re.fullmatch(r"([0-9A-Z]{5}-){7}[0-9A-Z]{5}", key)
    assert controller.ctx.vault is not None
    assert controller.window.recovery_key.key.text() == ""  # gone once confirmed
    assert not controller.window.recovery_key.remember.isEnabled()  # no keyring here
    assert controller.window.windowTitle() == "FieldKit"


def test_short_or_mismatched_passphrase_is_explained(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    w = controller.window
    controller.start()
    w.first_run.passphrase.setText("short")
    w.first_run.confirm.setText("short")
    qtbot.mouseClick(w.first_run.create_button, Qt.MouseButton.LeftButton)
    assert "too short" in w.first_run.error.text()
    w.first_run.passphrase.setText(PASSPHRASE)
    w.first_run.confirm.setText(PASSPHRASE + "x")
    qtbot.mouseClick(w.first_run.create_button, Qt.MouseButton.LeftButton)
    assert "do not match" in w.first_run.error.text()
    assert w.stack.currentWidget() is w.first_run


def test_lock_hides_everything_and_wrong_then_right_passphrase(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    controller.ctx.call(lambda v: v.records.create(Facility(name="Planta Secreta Silao")))
    controller.ctx.notify_changed("facility")
    w.workspace.go_to(1)
    qtbot.waitUntil(lambda: "Planta Secreta Silao" in visible_texts([w]), timeout=10_000)

    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.unlock)
    assert controller.ctx.vault is None
    assert "Planta Secreta Silao" not in visible_texts([w])
    assert w.windowTitle() == "FieldKit"

    w.unlock.passphrase.setText("not the passphrase")
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.unlock.error.isVisible, timeout=10_000)
    assert "passphrase is wrong" in w.unlock.error.text()

    w.unlock.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)
    qtbot.waitUntil(lambda: "Planta Secreta Silao" in visible_texts([w]), timeout=10_000)
    assert controller.errors == []


def test_idle_lock_fires(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    controller.idle.set_interval_ms(200)
    controller.idle.start()
    qtbot.waitUntil(
        lambda: controller.window.stack.currentWidget() is controller.window.unlock, timeout=5_000
    )
    assert controller.ctx.vault is None


def test_recovery_with_the_recovery_key(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    key = first_run(qtbot, controller)
    w = controller.window
    controller.lock()
    qtbot.mouseClick(w.unlock.forgot, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.recover
    w.recover.key.setText(key.lower())
    w.recover.passphrase.setText("a brand new passphrase")
    w.recover.confirm.setText("a brand new passphrase")
    qtbot.mouseClick(w.recover.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)


def test_status_bar_before_connecting(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    state = controller.window.sync_state
    qtbot.waitUntil(lambda: state.text() == "Not connected to headquarters")
    controller.ctx.call(
        lambda v: v.records.create(Facility(name="Nueva")),
        lambda _r: controller.ctx.notify_changed("facility"),
    )
    status = lambda: controller.sync.view.status  # noqa: E731
    qtbot.waitUntil(lambda: status() is not None and status().unsent > 0, timeout=5_000)
    assert state.text() == "Not connected to headquarters"  # the states with counts: test_sync_*


def test_spanish_interface(qtbot, qapp, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    set_language(SPANISH)
    ctrl = AppController(tmp_path / "vault", Preferences(settings))
    try:
        ctrl.start()
        shown = visible_texts([ctrl.window])
        assert "frase de contraseña" in shown.lower() and "Welcome" not in shown
    finally:
        ctrl.shutdown()
        ctrl.window.close()


def unlock(qtbot, ctrl: AppController) -> None:  # type: ignore[no-untyped-def]
    w = ctrl.window
    w.unlock.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)


def test_lock_and_unlock_keep_an_unsaved_edit(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    page = w.workspace.kind_pages["facility"]
    w.workspace.go_to(1)
    page.open_editor(None)
    name = page.editor.fields["name"]
    qtbot.keyClicks(name.edit, "Planta a medio escribir")  # typed, never saved
    controller.lock()
    assert "Planta a medio escribir" not in visible_texts([w])
    unlock(qtbot, controller)
    assert page.currentWidget() is page.editor
    assert page.editor.fields["name"].plain() == "Planta a medio escribir"
    assert page.editor.is_dirty()


def test_global_search_opens_the_record(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    saved = []
    controller.ctx.call(
        lambda v: v.records.create(Facility(name="Llantas del Potosí")), saved.append
    )
    qtbot.waitUntil(lambda: bool(saved), timeout=5_000)
    controller.open_search()
    dialog = controller.window.findChild(SearchDialog)
    dialog.query.setText("potosi")
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1, timeout=5_000)
    assert dialog.results.currentItem().text(0).startswith("Llantas del Potosí")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    page = controller.window.workspace.kind_pages["facility"]
    assert controller.window.workspace.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.records.selected_record() is not None, timeout=5_000)
    assert page.records.selected_record().id == saved[0].id
