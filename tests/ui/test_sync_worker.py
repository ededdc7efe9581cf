"""The background sync worker through the real window, with the network part of SyncService
replaced by a stand-in (the rounds against a real headquarters: test_sync_hq.py): F5 and the
status bar start a round, progress shows while it runs, offline backs off without a dialog,
stopped states stop automatic rounds, and locking stops everything until unlock."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
)

from fieldkit.domain.sync_state import SyncState
from fieldkit.errors import DeviceRevoked, HqUnreachable
from fieldkit.services.sync import Progress, RoundReport, SyncService, SyncStatus
from fieldkit.ui.controller import AppController
from tests.ui.test_app_flow import first_run, unlock

WAIT = 5_000


class StandInHq:
    """Replaces the network half of one vault's SyncService; counts the rounds asked for."""

    def __init__(self) -> None:
        self.state = SyncState.CONNECTED
        self.answers = True
        self.fail_with: Exception | None = None
        self.rounds = 0
        self.gate: threading.Event | None = None  # when set, a round waits for it
        self.last_synced: dt.datetime | None = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """On the class, so the vault opened again after a lock has it too."""
        monkeypatch.setattr(SyncService, "online", lambda _service: self.answers)
        monkeypatch.setattr(SyncService, "sync_now", lambda _service, cb=None: self.sync_now(cb))
        monkeypatch.setattr(SyncService, "status", lambda _service: self.status())

    def status(self) -> SyncStatus:
        return SyncStatus(self.state, 2, 0, 0, self.last_synced)

    def sync_now(self, on_progress: Callable[[Progress], None] | None) -> RoundReport:
        self.rounds += 1
        assert on_progress is not None
        on_progress(Progress("push", 2))
        if self.gate is not None:
            self.gate.wait(5)
        on_progress(Progress("pull", 7))
        if self.fail_with is not None:
            self.state = type(self.fail_with).state
            raise self.fail_with
        self.state = SyncState.OK
        self.last_synced = dt.datetime.now(dt.UTC)
        return RoundReport(pushed=2, pulled=7, requests=1)


@pytest.fixture
def hq(qtbot, controller, monkeypatch) -> StandInHq:  # type: ignore[no-untyped-def]
    controller.sync.first_delay_s = 60  # no automatic round unless a test asks for one
    first_run(qtbot, controller)
    stand_in = StandInHq()
    stand_in.install(monkeypatch)
    controller.sync.start()
    qtbot.waitUntil(lambda: controller.sync.view.status is not None, timeout=WAIT)
    return stand_in


def press_f5(qtbot, ctrl: AppController) -> None:  # type: ignore[no-untyped-def]
    ctrl.window.activateWindow()  # shortcuts need an active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is ctrl.window)
    qtbot.keyClick(ctrl.window, Qt.Key.Key_F5)


def test_f5_syncs_and_the_status_bar_says_when(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    state = controller.window.sync_state
    assert state.text() == "Connected, not synced yet · 2 changes waiting"
    press_f5(qtbot, controller)
    qtbot.waitUntil(lambda: hq.rounds == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: state.text().startswith("Synced at "), timeout=WAIT)
    assert controller.sync.next_delay_s == controller.sync.interval_s == 300
    assert controller.sync.timer.isActive()
    assert "Synced at" in state.accessibleName()
    assert controller.errors == []


def test_progress_shows_while_a_round_runs(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    hq.gate = threading.Event()
    bar = controller.window.sync_bar
    qtbot.mouseClick(bar.sync_now, Qt.MouseButton.LeftButton)  # the status bar's Sync now
    qtbot.waitUntil(lambda: bar.text() == "Syncing… (sent 2, received 0)", timeout=WAIT)
    assert not bar.sync_now.isEnabled()
    controller.sync.sync_now()  # a second request while one runs starts nothing
    hq.gate.set()
    qtbot.waitUntil(lambda: bar.text().startswith("Synced at"), timeout=WAIT)
    assert hq.rounds == 1
    assert bar.sync_now.isEnabled()


def test_offline_is_a_status_with_backoff_not_a_dialog(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    hq.answers = False
    controller.sync.sync_now()
    qtbot.waitUntil(lambda: "Offline" in controller.window.sync_state.text(), timeout=WAIT)
    assert controller.window.sync_state.text() == "Offline · 2 changes waiting"
    assert hq.rounds == 0  # the health probe failed: no round, nothing logged
    assert 24 <= controller.sync.next_delay_s <= 36
    assert "did not answer" in controller.window.statusBar().currentMessage()
    assert not [d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog)]
    controller.sync.timer.timeout.emit()  # the retry: still offline, the wait doubles
    qtbot.waitUntil(lambda: controller.sync.next_delay_s >= 48, timeout=WAIT)
    assert controller.sync.next_delay_s <= 72
    hq.fail_with, hq.answers = HqUnreachable(reason="timed out"), True  # dropped mid-round
    controller.sync.timer.timeout.emit()
    qtbot.waitUntil(lambda: controller.sync.next_delay_s >= 96, timeout=WAIT)
    assert controller.errors == []


def test_a_revoked_device_stops_syncing_on_its_own(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    hq.fail_with = DeviceRevoked()
    controller.sync.timer.timeout.emit()  # an automatic round
    qtbot.waitUntil(lambda: controller.window.sync_state.text() == "Device revoked", timeout=WAIT)
    assert not controller.sync.timer.isActive()
    assert "revoked by headquarters" in controller.window.statusBar().currentMessage()
    assert controller.errors == []
    controller.sync.start(first_delay_s=0)  # unlocking again does not restart it either
    qtbot.waitUntil(lambda: controller.sync.view.status is not None, timeout=WAIT)
    assert not controller.sync.timer.isActive() and hq.rounds == 1


def test_locking_stops_sync_and_unlocking_starts_it_again(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    controller.sync.sync_now()
    qtbot.waitUntil(controller.sync.timer.isActive, timeout=WAIT)
    controller.lock()
    assert not controller.sync.timer.isActive()
    assert controller.window.sync_state.text() == ""
    assert not controller.window.sync_bar.sync_now.isVisible()
    controller.sync.sync_now()  # locked: nothing happens
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.sync.view.status is not None, timeout=WAIT)
    assert controller.sync.timer.isActive()  # first round scheduled after unlocking
    assert controller.sync.next_delay_s == controller.sync.first_delay_s
    assert controller.errors == []


def test_a_round_under_way_when_the_vault_locks_is_dropped(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    hq.gate = threading.Event()
    controller.sync.sync_now()
    qtbot.waitUntil(lambda: controller.sync.running, timeout=WAIT)
    controller.lock()
    hq.gate.set()  # the round goes on to its next step, finds the vault locked and stops
    qtbot.waitUntil(lambda: not controller.sync.busy, timeout=WAIT)
    assert controller.window.sync_state.text() == ""
    assert controller.errors == []


def test_menu_offers_sync_and_is_off_while_locked(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    w = controller.window
    texts = {act.text(): act for menu in w.menuBar().actions() for act in menu.menu().actions()}
    for text in ("Sync now", "Connect to headquarters…", "Conflicting edits…", "Sync log…"):
        assert texts[text].isEnabled()
    assert texts["Sync now"].shortcut().toString() == "F5"
    controller.lock()
    texts = {act.text(): act for menu in w.menuBar().actions() for act in menu.menu().actions()}
    for text in ("Sync now", "Connect to headquarters…", "Conflicting edits…", "Sync log…"):
        assert not texts[text].isEnabled()


def test_status_bar_buttons_have_accessible_names(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    bar = controller.window.sync_bar
    for button in (bar.state, bar.conflicts, bar.refused, bar.sync_now):
        assert button.accessibleName()
    assert bar.sync_now.isVisible() and not bar.conflicts.isVisible()


def test_every_input_of_the_sync_dialogs_has_an_accessible_name(qtbot, controller, hq) -> None:  # type: ignore[no-untyped-def]
    kinds = (QAbstractButton, QLineEdit, QAbstractItemView, QPlainTextEdit)
    for dialog in (
        controller.open_connect(),
        controller.open_conflicts(),
        controller.open_sync_log(),
    ):
        inputs = [
            widget
            for kind in kinds
            for widget in dialog.findChildren(kind)
            if not isinstance(widget, QHeaderView)
            and not isinstance(widget.parentWidget(), QTabBar)
            and widget.objectName() != "qt_scrollarea_viewport"
        ]
        assert len(inputs) >= 3
        assert all(widget.accessibleName() for widget in inputs), [
            (
                type(dialog).__name__,
                type(widget).__name__,
                widget.text() if hasattr(widget, "text") else "",
            )
            for widget in inputs
            if not widget.accessibleName()
        ]
        dialog.reject()
