"""Headquarters sync in the background: a round every few minutes while the vault is unlocked
and connected, one on demand (F5), a growing wait after failures, and none at all in the
states only a person can end (device revoked, certificate changed, token refused, update
needed) until they reconnect.

Rounds run on their own worker thread ("fieldkit-sync", a TaskRunner like the database
worker), because a round waits on the network; the engine's short vault transactions take
the store's lock, so they interleave safely with the database worker's. Status reads and
conflict resolution stay on the database worker. Offline is a status here, never a dialog.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from fieldkit.domain.sync_state import SyncState
from fieldkit.errors import DeviceWiped, NotConnected, SyncError, VaultLocked
from fieldkit.i18n import N_, _
from fieldkit.services.sync import Progress, RoundReport, SyncStatus
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.sync_schedule import FIRST_DELAY_S, INTERVAL_S, next_delay
from fieldkit.ui.sync_status import SyncView
from fieldkit.ui.tasks import Failed, TaskRunner

log = logging.getLogger(__name__)
T = TypeVar("T")

NO_ANSWER = N_(
    "Headquarters did not answer. Your changes are kept on this device and will be sent when "
    "the connection is back."
)
ALREADY_SYNCING = N_("A sync round is already running.")
_JITTER_SOURCE = random.SystemRandom()  # spreads retries; nothing secret depends on it


class RoundCancelled(Exception):
    """Raised inside a round (from its progress callback) when the vault locked meanwhile."""


class SyncWorker(QObject):
    """Schedules sync rounds and reports how sync stands; one per window."""

    sig_view_changed = Signal(object)  # SyncView: what the status bar shows
    sig_round_finished = Signal(object)  # RoundReport, after a round that reached HQ
    sig_round_failed = Signal(object)  # SyncError (offline ones included)
    sig_notice_posted = Signal(str)  # a passing message for the status bar
    sig_device_wiped = Signal(str)  # HQ ordered a wipe and it was done: the message to show
    _sig_progressed = Signal(int, object)  # generation, Progress (from the sync thread)

    def __init__(
        self,
        ctx: AppContext,
        *,
        interval_s: float = INTERVAL_S,
        first_delay_s: float = FIRST_DELAY_S,
        spread: Callable[[], float] = _JITTER_SOURCE.random,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.interval_s = interval_s
        self.first_delay_s = first_delay_s
        self._spread = spread
        self._runner = TaskRunner(ctx.tasks.report_error, self, thread_name="fieldkit-sync")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._sig_progressed.connect(self._on_progressed)
        self._generation = 0  # bumped on lock and unlock: late answers of old rounds are dropped
        self._cancel = threading.Event()
        self._running = False
        self._failures = 0
        self._bug_reported = False
        self.view = SyncView()
        self.last_error: SyncError | None = None
        self.next_delay_s: float | None = None  # the delay of the round scheduled last

    # --- lifecycle ------------------------------------------------------------------------

    def start(self, first_delay_s: float | None = None) -> None:
        """The vault was unlocked (or reconnected): read the status, then schedule a round."""
        self._reset()
        delay = self.first_delay_s if first_delay_s is None else first_delay_s
        self.refresh_status(schedule_in=delay)

    def stop(self) -> None:
        """The vault locked: no rounds until `start`; a round under way stops at its next step."""
        self._reset()
        self._emit_view()

    def shutdown(self) -> None:
        """Stop scheduling and wait for a round under way to end (it stops at its next step;
        a request already on the wire ends at the transport's timeout at the latest)."""
        self.stop()
        self._runner.shutdown()

    def _reset(self) -> None:
        self._generation += 1
        self._cancel.set()
        self._cancel = threading.Event()
        self.timer.stop()
        self.next_delay_s = None
        self._running = False
        self._failures = 0
        self.last_error = None
        self._bug_reported = False
        self.view = SyncView()

    @property
    def running(self) -> bool:
        """A round of the current unlock is under way."""
        return self._running

    @property
    def busy(self) -> bool:
        """The sync worker has anything queued or running (a dropped round included)."""
        return self._runner.busy

    # --- status ---------------------------------------------------------------------------

    def refresh_status(self, schedule_in: float | None = None) -> None:
        """Read the vault's sync status on the summaries worker (not the database worker, which
        the lists use); optionally schedule a round."""
        if self._ctx.vault is None:
            return
        generation = self._generation
        self._ctx.call(
            lambda v: v.sync.status(),
            lambda status: self._on_status_loaded(generation, status, schedule_in),
            lambda error: self._on_status_failed(generation, error),
            receiver=self,
            runner=self._ctx.summaries,
        )

    def _on_status_loaded(
        self, generation: int, status: SyncStatus, schedule_in: float | None
    ) -> None:
        if generation != self._generation:
            return
        self.view = dataclasses.replace(self.view, status=status)
        self._emit_view()
        if schedule_in is not None and not self._running:
            self._schedule(schedule_in)

    def _on_status_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation and not isinstance(error, VaultLocked):
            self._ctx.tasks.report_error(error)

    def _emit_view(self) -> None:
        self.sig_view_changed.emit(self.view)

    # --- scheduling -----------------------------------------------------------------------

    def _may_sync_on_its_own(self) -> bool:
        status = self.view.status
        return (
            self._ctx.vault is not None
            and status is not None
            and status.state is not SyncState.NOT_CONNECTED
            and not status.state.stopped
        )

    def _schedule(self, delay_s: float) -> None:
        if not self._may_sync_on_its_own():
            self.timer.stop()
            self.next_delay_s = None
            return
        self.next_delay_s = delay_s
        self.timer.start(max(0, round(delay_s * 1000)))

    def _schedule_next(self) -> None:
        self._schedule(next_delay(self._failures, self._spread(), self.interval_s))

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._begin(manual=False)

    # --- a round --------------------------------------------------------------------------

    def sync_now(self) -> None:
        """A round now, because the person asked (F5, the menu, the status bar)."""
        self._begin(manual=True)

    def _begin(self, *, manual: bool) -> None:
        vault = self._ctx.vault
        if vault is None:
            return
        if self._running:
            if manual:
                self.sig_notice_posted.emit(_(ALREADY_SYNCING))
            return
        status = self.view.status
        if status is None or status.state is SyncState.NOT_CONNECTED:
            if manual:
                self.sig_notice_posted.emit(NotConnected().message)
            return
        self.timer.stop()
        self._running = True
        self.view = dataclasses.replace(self.view, syncing=True, sent=0, received=0)
        self._emit_view()
        generation, cancel = self._generation, self._cancel

        def on_progress(progress: Progress) -> None:  # on the sync thread
            if cancel.is_set():
                raise RoundCancelled()
            self._sig_progressed.emit(generation, progress)

        def round_() -> RoundReport | None:
            if not vault.sync.online():  # a login page or a dead network: offline, no round
                return None
            return vault.sync.sync_now(on_progress)

        self._runner.run(
            round_,
            lambda report: self._on_round_done(generation, manual, report),
            lambda error: self._on_round_failed(generation, manual, error),
            receiver=self,
        )

    @Slot(int, object)
    def _on_progressed(self, generation: int, progress: Progress) -> None:
        if generation != self._generation or not self._running:
            return
        if progress.phase == "push":
            self.view = dataclasses.replace(self.view, sent=progress.done)
        elif progress.phase == "pull":
            self.view = dataclasses.replace(self.view, received=progress.done)
        self._emit_view()

    def _on_round_done(self, generation: int, manual: bool, report: RoundReport | None) -> None:
        if generation != self._generation:
            return
        self._running = False
        if report is None:
            self._failures += 1
            self.view = dataclasses.replace(self.view, syncing=False, reachable=False)
            if manual:
                self.sig_notice_posted.emit(_(NO_ANSWER))
        else:
            self._failures = 0
            self.last_error = None
            self.view = dataclasses.replace(self.view, syncing=False, reachable=True)
            self.sig_round_finished.emit(report)
        self._emit_view()
        self._schedule_next()
        self.refresh_status()

    def _on_round_failed(self, generation: int, manual: bool, error: BaseException) -> None:
        if generation != self._generation or isinstance(error, RoundCancelled):
            return
        self._running = False
        if isinstance(error, DeviceWiped):  # the vault is gone: nothing more to schedule
            self.timer.stop()
            self.sig_device_wiped.emit(error.message)
            return
        self._failures += 1
        reachable: bool | None = None
        if isinstance(error, SyncError):
            self.last_error = error
            reachable = error.state is not SyncState.OFFLINE
            log.info("sync round failed: %s", type(error).__name__)
            self.sig_round_failed.emit(error)
            if manual or error.state.stopped:
                self.sig_notice_posted.emit(error.message)
        else:
            log.error("sync round hit a bug: %s", type(error).__name__, exc_info=error)
            if not self._bug_reported:  # once per unlock, not every few minutes
                self._bug_reported = True
                self._ctx.tasks.report_error(error)
        self.view = dataclasses.replace(self.view, syncing=False, reachable=reachable)
        self._emit_view()
        if not (isinstance(error, SyncError) and error.state.stopped):
            self._schedule_next()
        else:
            self.timer.stop()
            self.next_delay_s = None
        self.refresh_status()  # the round logged its outcome; the status says it now

    # --- other network work (connecting) --------------------------------------------------

    def run_network(
        self,
        work: Callable[[Vault], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Failed | None = None,
        receiver: QObject | None = None,
    ) -> None:
        """Run `work(vault)` on the sync worker (it waits on the network), results on the GUI
        thread; it queues behind a round under way."""
        self._ctx.call(work, on_done, on_error, receiver, runner=self._runner)
