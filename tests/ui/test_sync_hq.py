"""Sync in the real window against a REAL headquarters on loopback (tests/hq_server.py):
connecting through the dialog (over TLS, comparing the fingerprint), a conflict made by two
devices and merged in the conflicts dialog, a revoked device, HQ going away and coming back,
and changes HQ refuses, shown in the sync log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.hq import certs
from fieldkit.services.vault import Vault, create_vault
from fieldkit.ui.conflicts_dialog import ConflictsDialog
from fieldkit.ui.controller import AppController
from fieldkit.ui.sync_log_dialog import SyncLogDialog
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ, running_hq
from tests.ui.test_app_flow import first_run, unlock
from tests.ui.test_sync_worker import press_f5

WAIT = 10_000


@pytest.fixture
def app(qtbot, controller: AppController) -> AppController:  # type: ignore[no-untyped-def]
    controller.sync.first_delay_s = 60  # rounds only when a test asks
    first_run(qtbot, controller)
    return controller


@pytest.fixture
def luis(tmp_path: Path, hq: RunningHQ) -> Iterator[Vault]:
    """A second attaché's vault, connected through the service (no window)."""
    vault, _key = create_vault(tmp_path / "luis", PASSPHRASE, kdf=fast_kdf())
    vault.sync.connect(vault.sync.preview(hq.url), hq.enroll("Luis"))
    yield vault
    vault.lock()


def on_db(qtbot, ctrl: AppController, work: Any) -> Any:  # type: ignore[no-untyped-def]
    """Run `work(vault)` on the database worker and wait for its result."""
    got: list[Any] = []
    ctrl.ctx.call(work, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT)
    return got[0]


def connect_directly(qtbot, ctrl: AppController, hq: RunningHQ, name: str = "Ana") -> None:  # type: ignore[no-untyped-def]
    code = hq.enroll(name)
    on_db(qtbot, ctrl, lambda v: v.sync.connect(v.sync.preview(hq.url), code))
    ctrl.sync.start()
    qtbot.waitUntil(lambda: "Connected" in ctrl.window.sync_state.text(), timeout=WAIT)


def sync_and_wait(qtbot, ctrl: AppController) -> str:  # type: ignore[no-untyped-def]
    """Press F5; the status bar's sentence once the round is over."""
    rounds = on_db(qtbot, ctrl, lambda v: len(v.sync.log()))
    press_f5(qtbot, ctrl)
    qtbot.waitUntil(lambda: on_db(qtbot, ctrl, lambda v: len(v.sync.log())) > rounds, timeout=WAIT)
    qtbot.waitUntil(lambda: not ctrl.sync.running, timeout=WAIT)
    qtbot.waitUntil(lambda: "Syncing" not in ctrl.window.sync_state.text(), timeout=WAIT)
    qtbot.wait(20)  # the status read after the round
    return ctrl.window.sync_state.text()


def no_modal_dialogs() -> bool:
    shown = QApplication.topLevelWidgets()
    return not [w for w in shown if isinstance(w, QDialog) and w.isVisible()]


# --- connecting -------------------------------------------------------------------------------


def test_connect_dialog_over_tls_compares_the_fingerprint(qtbot, app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cert, key = certs.make_self_signed(tmp_path / "tls", ["127.0.0.1"])
    with running_hq(tmp_path / "hq-tls", tls=(cert, key)) as hq:
        dialog = app.open_connect()
        assert dialog.windowTitle() == "Connect to headquarters"
        qtbot.keyClicks(dialog.address, hq.url)
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        assert "enrolment code" in dialog.address_problem.text()  # no code yet: said in place
        qtbot.keyClicks(dialog.code, "WRONG-CODE-0000")
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=WAIT)

        expected = certs.fingerprint(cert)
        shown = dialog.fingerprint.text()
        assert shown.replace("\n", ":") == expected and shown.count("\n") == 3
        assert dialog.fingerprint.font().fixedPitch()  # monospace, grouped in lines of 8 pairs
        assert not dialog.connect_button.isEnabled()  # until the person says it matches
        dialog.given.setText("AA:" + expected[3:])
        assert "differ" in dialog.given_result.text()
        dialog.confirm.setChecked(True)
        assert not dialog.connect_button.isEnabled()  # a pasted fingerprint that differs wins
        dialog.given.setText(expected.replace(":", " ").lower())
        assert dialog.given_result.text() == "The fingerprints are the same."
        assert dialog.connect_button.isEnabled()

        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)  # a wrong code
        qtbot.waitUntil(dialog.address_problem.isVisible, timeout=WAIT)
        assert dialog.pages.currentIndex() == 0
        assert "refused the enrolment code" in dialog.address_problem.text()

        dialog.code.setText(hq.enroll("Ana Pérez"))
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=WAIT)
        dialog.confirm.setChecked(True)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=WAIT)
        assert "as “Ana Pérez”" in dialog.outcome.text()
        assert "inside the encrypted vault" in dialog.token_place.text()  # no keyring here
        assert dialog.code.text() == ""
        # Connected: the first round runs at once, on the sync worker.
        state = app.window.sync_state
        qtbot.waitUntil(lambda: state.text().startswith("Synced at"), timeout=WAIT)
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        assert app.errors == []


def test_plain_http_to_another_computer_is_refused_inline(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    dialog = app.open_connect()
    qtbot.keyClicks(dialog.address, "http://hq.example.org")
    qtbot.keyClicks(dialog.code, "ABCD")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.address_problem.text().startswith(
        "The headquarters address must start with https://"
    )
    assert dialog.pages.currentIndex() == 0
    qtbot.keyClicks(dialog.address, "x")  # typing again takes the message away
    assert not dialog.address_problem.isVisible()
    app.lock()  # the dialog never stays over the lock screen
    assert not dialog.isVisible()


# --- conflicts --------------------------------------------------------------------------------


def test_a_conflict_is_merged_in_the_dialog_and_reaches_the_other_device(  # type: ignore[no-untyped-def]
    qtbot, app, hq, luis
) -> None:
    connect_directly(qtbot, app, hq)

    def make_visit(vault: Vault) -> str:
        plant = vault.records.create(Facility(name="Planta Norte"))
        visit = Visit(facility_id=plant.id, start_date=dt.date(2026, 3, 2), findings="Base")
        return vault.records.create(visit).id

    visit_id = on_db(qtbot, app, make_visit)
    assert sync_and_wait(qtbot, app).startswith("Synced at")
    luis.sync.sync_now()  # Luis receives the visit
    on_db(qtbot, app, lambda v: v.records.update_from("visit", visit_id, {"findings": "ANA-TEXT"}))
    assert sync_and_wait(qtbot, app).startswith("Synced at")
    luis.records.update_from("visit", visit_id, {"findings": "LUIS-TEXT"})  # same base: concurrent
    luis.sync.sync_now()

    sync_and_wait(qtbot, app)  # Ana pulls Luis's later text and the conflict
    bar = app.window.sync_bar
    qtbot.waitUntil(bar.conflicts.isVisible, timeout=WAIT)
    assert bar.conflicts.text() == "1 conflict"
    assert "resolve" in bar.conflicts.accessibleName()

    qtbot.mouseClick(bar.conflicts, Qt.MouseButton.LeftButton)
    dialog = app.window.findChild(ConflictsDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT)
    assert dialog.conflicts.count() == 1
    row = dialog.conflicts.item(0).text()
    assert "Visit" in row and "Findings" in row and "Luis" in row and "Ana" in row
    pane = dialog.pane
    assert pane.kept_text.toPlainText() == "LUIS-TEXT"  # the later writer holds the field
    assert pane.other_text.toPlainText() == "ANA-TEXT"
    assert pane.kept_text.isReadOnly() and pane.other_text.isReadOnly()
    assert "Luis" in pane.kept_label.text() and "Ana" in pane.other_label.text()
    assert dialog.windowTitle() == "Conflicting edits"  # never the text

    app.lock()  # the dialog closes and takes the texts with it
    assert not dialog.isVisible()
    assert pane.kept_text.toPlainText() == "" and pane.other_text.toPlainText() == ""
    unlock(qtbot, app)
    dialog = app.open_conflicts()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.conflicts.count() == 1, timeout=WAIT)

    qtbot.mouseClick(dialog.pane.merge_button, Qt.MouseButton.LeftButton)
    draft = dialog.pane.merge_text.toPlainText()
    assert draft.index("LUIS-TEXT") < draft.index("ANA-TEXT")
    assert draft.count("=====") == 6  # three marker lines, each opened and closed
    assert not dialog.pane.save_merge.isEnabled()  # markers left in
    dialog.pane.merge_text.setPlainText("ANA-TEXT\nLUIS-TEXT")
    assert dialog.pane.save_merge.isEnabled()
    qtbot.mouseClick(dialog.pane.save_merge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 0, timeout=WAIT)
    assert "No conflicting edits" in dialog.intro.text()
    qtbot.waitUntil(lambda: not bar.conflicts.isVisible(), timeout=WAIT)
    stored = on_db(qtbot, app, lambda v: v.records.get(Visit, visit_id).findings)
    assert stored == "ANA-TEXT\nLUIS-TEXT"
    dialog.reject()

    assert sync_and_wait(qtbot, app).startswith("Synced at")  # the merge and "resolved" go out
    luis.sync.sync_now()
    assert luis.records.get(Visit, visit_id).findings == "ANA-TEXT\nLUIS-TEXT"
    assert luis.sync.conflicts() == []
    assert app.errors == []


# --- stopped and offline ----------------------------------------------------------------------


def test_a_revoked_device_says_so_and_stops_syncing(qtbot, app, hq) -> None:  # type: ignore[no-untyped-def]
    connect_directly(qtbot, app, hq)
    assert sync_and_wait(qtbot, app).startswith("Synced at")
    assert app.sync.timer.isActive()
    hq.revoke("Ana")
    assert sync_and_wait(qtbot, app) == "Device revoked"
    assert not app.sync.timer.isActive()  # no automatic rounds until reconnected
    assert "revoked by headquarters" in app.window.statusBar().currentMessage()
    assert no_modal_dialogs() and app.errors == []

    log = app.open_sync_log()
    qtbot.waitUntil(lambda: log.loaded and log.rounds.topLevelItemCount() == 2, timeout=WAIT)
    latest = log.rounds.topLevelItem(0)
    assert latest.text(1) == "Device revoked"
    assert "revoked by headquarters" in latest.text(4)
    assert "revoked by headquarters" in log.details.text()  # the whole message, wrapped
    assert log.rounds.topLevelItem(1).text(1) == "Synced"
    assert "Connected to" in log.connection.text()


def test_hq_away_is_offline_and_back_is_synced(qtbot, app, hq) -> None:  # type: ignore[no-untyped-def]
    connect_directly(qtbot, app, hq)
    on_db(qtbot, app, lambda v: v.records.create(Facility(name="Planta Sur")))
    hq.stop()
    text = sync_and_wait_offline(qtbot, app)
    assert text.startswith("Offline · ") and "changes waiting" in text
    assert 24 <= app.sync.next_delay_s <= 36
    assert no_modal_dialogs() and app.errors == []
    hq.start()
    assert sync_and_wait(qtbot, app).startswith("Synced at")
    assert app.sync.next_delay_s == 300


def sync_and_wait_offline(qtbot, ctrl: AppController) -> str:  # type: ignore[no-untyped-def]
    """Press F5 while HQ is away: no round is logged, the status says offline."""
    press_f5(qtbot, ctrl)
    qtbot.waitUntil(lambda: ctrl.window.sync_state.text().startswith("Offline"), timeout=WAIT)
    return ctrl.window.sync_state.text()


# --- refused changes --------------------------------------------------------------------------


def test_changes_hq_refuses_are_listed_with_their_reason(qtbot, app, hq, luis) -> None:  # type: ignore[no-untyped-def]
    connect_directly(qtbot, app, hq)
    plant = luis.records.create(Facility(name="Planta Oriente"))
    private = luis.records.create(
        Interview(
            facility_id=plant.id,
            held_on=dt.date(2026, 3, 3),
            pseudonym="Mezquite",
            consent=Consent.GIVEN,
        )
    )
    luis.sync.sync_now()  # HQ holds Luis's interview, not shared with anyone

    def write_into_it(vault: Vault) -> None:  # Ana's vault writes to a record it may not see
        mine = vault.records.create(Facility(name="Planta Poniente"))
        vault.records.create(
            Interview(
                id=private.id, facility_id=mine.id, held_on=dt.date(2026, 3, 4), pseudonym="X"
            )
        )

    on_db(qtbot, app, write_into_it)
    sync_and_wait(qtbot, app)
    bar = app.window.sync_bar
    qtbot.waitUntil(bar.refused.isVisible, timeout=WAIT)
    assert bar.refused.text().endswith("changes refused")

    qtbot.mouseClick(bar.refused, Qt.MouseButton.LeftButton)
    log = app.window.findChild(SyncLogDialog)
    qtbot.waitUntil(lambda: log.loaded, timeout=WAIT)
    log.tabs.setCurrentIndex(1)
    assert log.refused.topLevelItemCount() >= 2
    first = log.refused.topLevelItem(0)
    assert first.text(1).startswith("Interview")
    assert "may not change this record" in first.text(3)
    assert "may not change this record" in log.details.text()
    assert app.errors == []
