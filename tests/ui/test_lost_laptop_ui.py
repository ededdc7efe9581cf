"""Lease, wipe and travel mode as the app shows them, with a real HQ on loopback: the lock
screen says the lease ran out (in both languages) and leads to the recovery key; a wipe order
leaves the first-run screen with HQ's message; travel mode shows its badge until return."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldkit.domain.records import Facility
from fieldkit.hq import orders
from fieldkit.hq.clock import now_ms
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.services.vault import create_vault
from fieldkit.ui.controller import AppController
from fieldkit.ui.travel_flow import TravelDialog
from tests.conftest import fast_kdf
from tests.hq_server import RunningHQ
from tests.ui.test_app_flow import PASSPHRASE, first_run
from tests.ui.test_sync_hq import WAIT, connect_directly, on_db, sync_and_wait

DAY_MS = 24 * 3600 * 1000


def test_a_lease_run_out_is_said_on_the_lock_screen_and_the_recovery_key_opens(
    qtbot,
    controller: AppController,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    vault, recovery_key = create_vault(tmp_path / "vault", PASSPHRASE, kdf=fast_kdf())
    vault.renew_lease(3, at_ms=now_ms() - 4 * DAY_MS)
    vault.lock()
    w = controller.window
    controller.start()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.unlock, timeout=WAIT)
    w.unlock.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "lease" in w.unlock.error.text(), timeout=WAIT)
    assert "recovery key" in w.unlock.forgot.text()
    assert w.unlock.lease_code.isVisibleTo(w)
    set_language(SPANISH)
    controller.ctx.sig_language_changed.emit()
    assert "plazo" in w.unlock.error.text() and "clave de recuperación" in w.unlock.forgot.text()
    set_language(ENGLISH)
    controller.ctx.sig_language_changed.emit()
    qtbot.mouseClick(w.unlock.forgot, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.recover
    w.recover.key.setText(recovery_key)
    w.recover.passphrase.setText(PASSPHRASE + " anew")
    w.recover.confirm.setText(PASSPHRASE + " anew")
    qtbot.mouseClick(w.recover.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=WAIT)
    assert not w.unlock.lease_code.isVisibleTo(w)


def test_a_lease_code_typed_on_the_lock_screen_opens_the_vault(
    qtbot,
    controller: AppController,
    tmp_path: Path,
    hq: RunningHQ,  # type: ignore[no-untyped-def]
) -> None:
    vault, _ = create_vault(tmp_path / "vault", PASSPHRASE, kdf=fast_kdf())
    vault.sync.connect(vault.sync.preview(hq.url), hq.enroll("Ana"))
    vault.renew_lease(3, at_ms=now_ms() - 4 * DAY_MS)
    vault.lock()
    _device, code = orders.lease_code_for(
        hq.storage, "Ana", dt.datetime.now(dt.UTC).date().isoformat()
    )
    w = controller.window
    controller.start()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.unlock, timeout=WAIT)
    w.unlock.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.unlock.lease_code.isVisibleTo(w), timeout=WAIT)
    w.unlock.passphrase.setText(PASSPHRASE)
    w.unlock.lease_code.setText(code)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=WAIT)


def test_travel_mode_shows_its_badge_until_return(
    qtbot, controller: AppController, hq: RunningHQ
) -> None:  # type: ignore[no-untyped-def]
    controller.sync.first_delay_s = 60
    first_run(qtbot, controller)
    w = controller.window
    on_db(qtbot, controller, lambda v: v.records.create(Facility(name="Llantas")))
    connect_directly(qtbot, controller, hq)
    sync_and_wait(qtbot, controller)
    assert not w.travel_badge.isVisibleTo(w)
    w.sig_travel_prepare_requested.emit()
    dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, TravelDialog)]
    assert dialogs and dialogs[-1].isVisible()
    dialogs[-1].accept()
    qtbot.waitUntil(lambda: w.travel_badge.isVisibleTo(w), timeout=WAIT)
    assert "Travel mode" in w.travel_badge.text()
    assert on_db(qtbot, controller, lambda v: v.travel.status().active)
    controller.lock()
    assert not w.travel_badge.isVisibleTo(w)
    w.unlock.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.travel_badge.isVisibleTo(w), timeout=WAIT)
    w.sig_travel_return_requested.emit()
    qtbot.waitUntil(lambda: not w.travel_badge.isVisibleTo(w), timeout=WAIT)
    assert not on_db(qtbot, controller, lambda v: v.travel.status().active)


def test_a_wipe_order_leaves_the_first_run_screen_with_hqs_message(
    qtbot,
    controller: AppController,
    hq: RunningHQ,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    controller.sync.first_delay_s = 60
    first_run(qtbot, controller)
    w = controller.window
    connect_directly(qtbot, controller, hq)
    sync_and_wait(qtbot, controller)
    orders.order_wipe(hq.storage, "Ana", now_ms(), keep_unsent=False, revoke=True)
    w.sig_sync_requested.emit()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.first_run, timeout=WAIT)
    assert "wiped" in w.first_run.error.text()
    assert controller.ctx.vault is None
    assert not (tmp_path / "vault" / "vault.key").exists()
