"""What every screen shares: the unlocked vault (or none), the task runner, preferences, and the
signals that tell screens the vault was locked, unlocked or changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from fieldkit.errors import VaultLocked
from fieldkit.services.reviewing import ReviewerView
from fieldkit.services.vault import Vault
from fieldkit.ui.preferences import Preferences
from fieldkit.ui.tasks import Failed, TaskRunner

T = TypeVar("T")


class AppContext(QObject):
    sig_unlocked = Signal()
    sig_locked = Signal()
    sig_records_changed = Signal(str)  # a record kind such as "visit"
    sig_language_changed = Signal()
    sig_sync_states_changed = Signal()  # a sync round may have sent records or brought conflicts
    sig_reviewer_changed = Signal()  # reviewer mode began, ended, or its directory changed

    def __init__(
        self,
        vault_root: Path,
        preferences: Preferences,
        tasks: TaskRunner,
        summaries: TaskRunner | None = None,
    ) -> None:
        super().__init__()
        self.vault_root = vault_root
        self.preferences = preferences
        self.tasks = tasks
        # Slow read-only summaries (Today) run here, on the vault's read-only connection, so
        # a list opened meanwhile does not wait behind them on the database worker.
        self.summaries = summaries or tasks
        self.vault: Vault | None = None
        self.reviewer = ReviewerView()  # reviewer mode: refreshed at unlock and after syncs
        self.sig_unlocked.connect(self.refresh_reviewer)
        self.sig_locked.connect(self._on_self_locked)

    def call(
        self,
        work: Callable[[Vault], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Failed | None = None,
        receiver: QObject | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        """Run `work(vault)` on the database worker (or on `runner`, such as the sync
        worker); `on_done(result)` on the GUI thread."""
        vault = self.vault

        def job() -> T:
            if vault is None:
                raise VaultLocked()
            return work(vault)

        (runner or self.tasks).run(job, on_done, on_error, receiver)

    def set_vault(self, vault: Vault | None) -> None:
        self.vault = vault
        (self.sig_unlocked if vault is not None else self.sig_locked).emit()

    def notify_changed(self, kind: str) -> None:
        self.sig_records_changed.emit(kind)

    def refresh_reviewer(self) -> None:
        """Read whether HQ made this device a reviewer (and who wrote what) on the worker."""

        def done(view: ReviewerView) -> None:
            if view != self.reviewer:
                self.reviewer = view
                self.sig_reviewer_changed.emit()

        self.call(lambda vault: vault.sync.reviewer_view(), done, lambda _error: None, self)

    def _on_self_locked(self) -> None:
        if self.reviewer.reviewer:
            self.reviewer = ReviewerView()
            self.sig_reviewer_changed.emit()
