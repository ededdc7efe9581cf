"""The flows around the vault: first run, unlock, recovery, lock (by hand, on idle, on
suspend), and the dialogs the menu opens. Vault work runs on the database worker;
headquarters sync on its own worker (ui/sync_worker.py), which also feeds the status bar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.domain.records import KINDS
from fieldkit.errors import (
    DeviceNotRemembered,
    KeyringUnreachable,
    LeaseExpired,
    UnlockThrottled,
    UserFacingError,
)
from fieldkit.services.sync import RoundReport
from fieldkit.services.vault import (
    Vault,
    VaultFiles,
    create_vault,
    os_keyring,
    recover_vault,
    unlock_vault,
    unlock_with_device,
)
from fieldkit.ui.clipboard_guard import ClipboardGuard
from fieldkit.ui.conflicts_dialog import ConflictsDialog
from fieldkit.ui.connect_dialog import ConnectDialog
from fieldkit.ui.context import AppContext
from fieldkit.ui.error_reporter import ErrorReporter
from fieldkit.ui.idle import IdleWatcher
from fieldkit.ui.import_dialog import ImportDialog
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.preferences import IDLE_MINUTES, Preferences
from fieldkit.ui.rekey_dialog import AFTER_INTERRUPTED_REKEY, AFTER_RECOVERY, RekeyDialog
from fieldkit.ui.report_export import export_pdf
from fieldkit.ui.screen_lock import ScreenLockWatcher
from fieldkit.ui.search_dialog import SearchDialog
from fieldkit.ui.settings_dialog import SettingsDialog
from fieldkit.ui.sync_log_dialog import SyncLogDialog
from fieldkit.ui.sync_worker import SyncWorker
from fieldkit.ui.tasks import TaskRunner
from fieldkit.ui.travel_flow import TravelFlow

log = logging.getLogger(__name__)
D = TypeVar("D", ConflictsDialog, SyncLogDialog)


class AppController(QObject):
    def __init__(self, vault_root: Path, preferences: Preferences) -> None:
        super().__init__()
        self.reporter = ErrorReporter()
        self.tasks = TaskRunner(self.reporter)
        self.summaries = TaskRunner(self.reporter, self, thread_name="fieldkit-summaries")
        self.ctx = AppContext(vault_root, preferences, self.tasks, self.summaries)
        self.window = MainWindow(self.ctx)
        self.reporter.parent = self.window
        self.idle = IdleWatcher(preferences.get(IDLE_MINUTES), self)
        QApplication.instance().installEventFilter(self.idle)  # type: ignore[union-attr]
        self.clipboard_guard = ClipboardGuard(self.ctx, self)
        self.screen_lock = ScreenLockWatcher(self.window, self)
        self.sync = SyncWorker(self.ctx, parent=self)
        self.travel = TravelFlow(self.ctx, self.sync.run_network, self.window)
        self._connect()

    def _connect_lock_views(self) -> None:
        w = self.window
        w.first_run.sig_create_requested.connect(self._on_first_run_create_requested)
        w.recovery_key.sig_done.connect(self._on_recovery_key_done)
        w.unlock.sig_unlock_requested.connect(self._on_unlock_requested)
        w.unlock.sig_forgot_requested.connect(lambda: w.show_page(w.recover))
        w.recover.sig_recover_requested.connect(self._on_recover_requested)
        w.recover.sig_cancelled.connect(lambda: w.show_page(w.unlock))

    def _connect(self) -> None:
        w = self.window
        self._connect_lock_views()
        w.sig_lock_views_rebuilt.connect(self._connect_lock_views)
        w.sig_lock_requested.connect(self.lock)
        w.sig_search_requested.connect(self.open_search)
        w.sig_settings_requested.connect(self.open_settings)
        w.sig_import_requested.connect(self.open_import)
        w.sig_period_report_requested.connect(
            lambda: export_pdf(self.ctx, self.window, "period", None)
        )
        w.sig_quarterly_report_requested.connect(
            lambda: export_pdf(self.ctx, self.window, "quarterly", None)
        )
        self.idle.sig_idle_elapsed.connect(self.lock)
        self.screen_lock.sig_screen_locked.connect(self.lock)
        self.ctx.sig_records_changed.connect(lambda _kind: self.refresh_sync_state())
        self.ctx.sig_language_changed.connect(self.refresh_sync_state)
        self._connect_sync()
        QGuiApplication.instance().applicationStateChanged.connect(  # type: ignore[union-attr]
            self._on_application_state_changed
        )

    def _connect_sync(self) -> None:
        w, sync = self.window, self.sync
        w.sig_sync_requested.connect(sync.sync_now)
        w.sig_connect_requested.connect(self.open_connect)
        w.sig_conflicts_requested.connect(self.open_conflicts)
        w.sig_sync_log_requested.connect(self.open_sync_log)
        sync.sig_view_changed.connect(w.sync_bar.show_view)
        sync.sig_notice_posted.connect(lambda text: w.statusBar().showMessage(text, 15_000))
        sync.sig_round_finished.connect(self._on_sync_round_finished)
        self.ctx.sig_unlocked.connect(sync.start)
        self.ctx.sig_locked.connect(sync.stop)
        sync.sig_device_wiped.connect(self._on_device_wiped)
        w.sig_travel_prepare_requested.connect(self.travel.prepare)
        w.sig_travel_return_requested.connect(self.travel.return_from_travel)
        self.travel.sig_travel_changed.connect(w.show_travel)
        self.ctx.sig_unlocked.connect(self.travel.refresh)
        self.ctx.sig_locked.connect(lambda: w.show_travel(False))

    # --- start ----------------------------------------------------------------------------

    def start(self) -> None:
        """Show first run for a new vault, else try this device's keyring, else ask."""
        w = self.window
        if not VaultFiles(self.ctx.vault_root).exists():
            w.show_page(w.first_run)
        else:
            w.show_page(w.unlock)
            store = os_keyring()  # tried even when unavailable: a remembered vault says so
            self.tasks.run(
                lambda: unlock_with_device(self.ctx.vault_root, store),
                self._opened,
                self._on_device_unlock_failed,
            )
        w.show_placed()

    def _on_device_unlock_failed(self, error: BaseException) -> None:
        if isinstance(error, LeaseExpired):
            self.window.unlock.show_lease_expired(error.message)
        elif isinstance(error, KeyringUnreachable):
            self.window.unlock.show_error(error.message)  # instead of asking silently
        elif not isinstance(error, DeviceNotRemembered):
            self.reporter(error)

    # --- first run ------------------------------------------------------------------------

    def _on_first_run_create_requested(self, passphrase: str) -> None:
        root = self.ctx.vault_root
        self.tasks.run(
            lambda: create_vault(root, passphrase),
            self._on_vault_created,
            lambda error: self._show_error(self.window.first_run, error),
        )

    def _on_vault_created(self, created: tuple[Vault, str]) -> None:
        vault, recovery_key = created
        self.window.first_run.wipe()
        self._pending_vault = vault
        self.window.recovery_key.show_key(recovery_key)
        self.window.show_page(self.window.recovery_key)

    def _on_recovery_key_done(self, remember: bool) -> None:
        vault = self._pending_vault
        del self._pending_vault
        self.window.recovery_key.wipe()
        if remember:
            store = os_keyring()
            self.tasks.run(lambda: vault.remember_on_device(store))
        self._opened(vault)

    # --- unlock and recovery --------------------------------------------------------------

    def _on_unlock_requested(self, passphrase: str) -> None:
        root = self.ctx.vault_root
        code = self.window.unlock.lease_code.text().strip() or None  # past the lease only
        self.tasks.run(
            lambda: unlock_vault(root, passphrase, lease_code=code),
            self._opened,
            lambda error: self._show_error(self.window.unlock, error),
        )

    def _on_recover_requested(self, key: str, passphrase: str) -> None:
        root = self.ctx.vault_root
        self.tasks.run(
            lambda: recover_vault(root, key, passphrase),
            self._opened_after_recovery,
            lambda error: self._show_error(self.window.recover, error),
        )

    def _opened_after_recovery(self, vault: Vault) -> None:
        self._opened(vault, offer_rekey=AFTER_RECOVERY)

    def _show_error(self, view: object, error: BaseException) -> None:
        if isinstance(error, LeaseExpired) and view is self.window.unlock:
            self.window.unlock.show_lease_expired(error.message)
        elif isinstance(error, UnlockThrottled) and view is self.window.unlock:
            self.window.unlock.show_wait(int(str(error.params.get("seconds", 0))))
        elif isinstance(error, UserFacingError):
            view.show_error(error.message)  # type: ignore[attr-defined]
        else:
            self.reporter(error)

    def _opened(self, vault: Vault, offer_rekey: str | None = None) -> None:
        w = self.window
        w.unlock.reset()
        w.recover.wipe()
        self.ctx.set_vault(vault)
        for page in w.workspace.kind_pages.values():
            page.restore_after_unlock()
        w.workspace.today.refresh()
        w.show_page(w.workspace)
        self.refresh_sync_state()
        self.idle.start()
        if vault.finished_interrupted_rekey:
            offer_rekey = AFTER_INTERRUPTED_REKEY  # its recovery key was never shown
        if offer_rekey is not None:
            self.open_rekey(reason=offer_rekey)

    # --- lock -----------------------------------------------------------------------------

    def lock(self) -> None:
        """No record data on screen, the vault closed, its key wiped; open editors kept."""
        vault = self.ctx.vault
        if vault is None:
            return
        self.idle.stop()
        w = self.window
        w.show_page(w.unlock)
        w.unlock.reset()
        w.workspace.today.clear_for_lock()
        for page in w.workspace.kind_pages.values():
            page.clear_for_lock()
        w.statusBar().clearMessage()
        self.ctx.set_vault(None)
        self.tasks.run(vault.lock)

    def _on_device_wiped(self, message: str) -> None:
        """HQ's wipe order was carried out: nothing is left to show or to lock."""
        self.idle.stop()
        w = self.window
        w.workspace.today.clear_for_lock()
        for page in w.workspace.kind_pages.values():
            page.clear_for_lock()
        self.ctx.set_vault(None)
        w.show_page(w.first_run)
        w.first_run.show_error(message)

    def _on_application_state_changed(self, state: object) -> None:
        # Qt reports suspension where the platform tells it; lock rather than risk it.
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.lock()

    # --- status and search ----------------------------------------------------------------

    def refresh_sync_state(self) -> None:
        self.sync.refresh_status()

    def open_search(self) -> None:
        if self.ctx.vault is None:
            return
        dialog = SearchDialog(self.ctx, self.window)
        dialog.sig_record_chosen.connect(self.window.workspace.show_record)
        dialog.open()

    def open_import(self) -> ImportDialog | None:
        if self.ctx.vault is None:
            return None
        dialog = ImportDialog(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_settings(self) -> None:
        if self.ctx.vault is None:
            return
        dialog = SettingsDialog(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_idle_minutes_changed.connect(self.idle.set_minutes)
        dialog.sig_connect_requested.connect(lambda: self.open_connect(dialog))
        dialog.sig_rekey_requested.connect(lambda: self.open_rekey(dialog))
        dialog.open()

    def open_rekey(
        self, parent: QWidget | None = None, *, reason: str | None = None
    ) -> RekeyDialog | None:
        """Change the data key (from Settings, or offered with `reason` after an unlock)."""
        if self.ctx.vault is None:
            return None
        dialog = RekeyDialog(self.ctx, parent or self.window, reason=reason)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- headquarters -----------------------------------------------------------------------

    def open_connect(self, parent: SettingsDialog | None = None) -> ConnectDialog | None:
        if self.ctx.vault is None:
            return None
        dialog = ConnectDialog(self.ctx, self.sync.run_network, parent or self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_connected.connect(lambda _connection: self.sync.start(first_delay_s=0))
        if parent is not None:
            dialog.sig_connected.connect(lambda _connection: parent.reload_connection())
        dialog.open()
        return dialog

    def open_conflicts(self) -> ConflictsDialog | None:
        if self.ctx.vault is None:
            return None
        return self._open_once(ConflictsDialog)

    def open_sync_log(self) -> SyncLogDialog | None:
        if self.ctx.vault is None:
            return None
        dialog = self._open_once(SyncLogDialog)
        if not getattr(dialog, "wired", False):
            dialog.wired = True  # type: ignore[attr-defined]
            dialog.sig_sync_requested.connect(self.sync.sync_now)
            self.sync.sig_round_finished.connect(dialog.reload)
            self.sync.sig_round_failed.connect(dialog.reload)
        return dialog

    def _open_once(self, kind: type[D]) -> D:
        """The dialog of this kind already open (raised and read again), else a new one."""
        for shown in self.window.findChildren(kind):
            if shown.isVisible():
                shown.raise_()
                shown.activateWindow()
                shown.reload()
                return shown
        dialog = kind(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_sync_round_finished(self, report: RoundReport) -> None:
        self.ctx.refresh_reviewer()  # HQ may have changed this device's role
        if report.pulled or report.conflicts:  # others' changes arrived: lists show them
            for kind in KINDS:
                self.ctx.notify_changed(kind)
        self.ctx.sig_sync_states_changed.emit()  # what was sent is marked sent

    def shutdown(self) -> None:
        self.sync.stop()
        vault = self.ctx.vault
        if vault is not None:
            self.ctx.set_vault(None)
            self.tasks.run(vault.lock)
        self.sync.shutdown()
        self.tasks.shutdown()
        self.summaries.shutdown()
