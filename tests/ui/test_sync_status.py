"""The status bar's sentences for every sync state, in English and Spanish, and the reasons
headquarters gives for refusing a change."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit import errors
from fieldkit.domain.sync_state import STATE_LABELS, STOPPED_STATES, SyncState
from fieldkit.i18n import SPANISH, _, set_language
from fieldkit.services.sync import SyncStatus
from fieldkit.ui.sync_status import (
    REFUSALS,
    SyncView,
    conflicts_text,
    moment_of,
    refusal_text,
    state_label,
    status_text,
)

NOW = dt.datetime(2026, 3, 4, 20, 30, tzinfo=dt.UTC)
TODAY = NOW.astimezone().replace(hour=14, minute=2, second=5)


def view(state: str, unsent: int = 0, **kwargs: object) -> SyncView:
    last = kwargs.pop("last_synced", None)
    status = SyncStatus(SyncState(state), unsent, 0, 0, last)  # type: ignore[arg-type]
    return SyncView(status=status, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("shown", "text"),
    [
        (SyncView(), ""),  # locked
        (view("not_connected", 4), "Not connected to headquarters"),
        (view("connected", 0, reachable=False), "Offline · 0 changes waiting"),
        (view("ok", 1, reachable=False, last_synced=TODAY), "Offline · 1 change waiting"),
        (view("offline", 12), "Offline · 12 changes waiting"),
        (view("ok", 0, syncing=True, sent=3, received=250), "Syncing… (sent 3, received 250)"),
        (view("ok", 0, last_synced=TODAY), "Synced at 14:02"),
        (view("ok", 2, last_synced=TODAY), "Synced at 14:02 · 2 changes waiting"),
        (view("connected", 0), "Connected, not synced yet"),
        (view("failed", 5, reachable=True), "Last sync failed · 5 changes waiting"),
        (view("revoked", 5), "Device revoked"),
        (view("revoked", 5, reachable=False), "Device revoked"),
        (view("certificate_changed", 0), "HQ certificate changed"),
        (view("unauthorized", 0), "Not recognised by headquarters"),
        (view("outdated", 0), "FieldKit update needed"),
    ],
)
def test_status_bar_sentences(shown: SyncView, text: str) -> None:
    assert status_text(shown, now=NOW) == text


def test_another_day_names_the_date() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    text = status_text(view("ok", 0, last_synced=yesterday), now=NOW)
    assert text.startswith("Synced on ") and text.endswith(" at 14:02")
    assert "2026" in text


def test_spanish_sentences() -> None:
    set_language(SPANISH)
    assert status_text(view("offline", 3), now=NOW) == "Sin conexión · 3 cambios en espera"
    assert status_text(view("ok", 0, last_synced=TODAY), now=NOW) == "Sincronizado a las 14:02"
    assert status_text(view("ok", 0, syncing=True, sent=1, received=2)) == (
        "Sincronizando… (enviados 1, recibidos 2)"
    )
    assert status_text(view("revoked")) == "Dispositivo revocado"
    assert conflicts_text(1) == "1 conflicto" and conflicts_text(4) == "4 conflictos"
    assert "sede central" in refusal_text("invalid_value")


def test_counts_read_naturally() -> None:
    assert conflicts_text(1) == "1 conflict"
    assert conflicts_text(3) == "3 conflicts"


def test_every_refusal_code_has_its_own_sentence() -> None:
    codes = ("unknown_kind", "unknown_field", "invalid_value", "value_too_large", "not_permitted")
    assert set(REFUSALS) == set(codes)
    sentences = {refusal_text(code) for code in codes}
    assert len(sentences) == len(codes)
    assert refusal_text("something_new") == "Headquarters refused this change."


def test_every_state_has_a_label() -> None:
    assert set(STATE_LABELS) == set(SyncState)
    for state, label in STATE_LABELS.items():
        assert state_label(state) == _(label)
    assert len({state_label(s) for s in SyncState}) == len(SyncState)
    # A state stored by a later version reads as a failure, as its label always did.
    assert SyncState.parse("no_such_state", SyncState.OK) is SyncState.FAILED
    assert SyncState.parse(None, SyncState.NOT_CONNECTED) is SyncState.NOT_CONNECTED
    assert SyncState.parse("revoked", SyncState.OK) is SyncState.REVOKED


def test_every_sync_error_leaves_a_known_state() -> None:
    """The states the errors name are the enum's (as stored), and the ones that stop sync
    are exactly the four only a person can end."""
    leaves = {
        cls.state
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.SyncError)
    }
    assert all(isinstance(state, SyncState) for state in leaves)
    assert leaves >= STOPPED_STATES
    assert {s.value for s in STOPPED_STATES} == {
        "revoked",
        "certificate_changed",
        "unauthorized",
        "outdated",
    }


def test_conflict_times_come_from_the_clock() -> None:
    millis = int(NOW.timestamp() * 1000)
    assert moment_of(millis << 16 | 7) == NOW
