"""Every sentence the app uses to say how sync stands, in one place: the status bar, the sync
log's outcome labels, and the reasons headquarters gives for refusing a change.

No Qt here, so the wording is tested without a window (tests/ui/test_sync_status.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.sync_state import SyncState
from fieldkit.i18n import N_, _, format_date
from fieldkit.services.sync import SyncStatus

WAITING_ONE = N_("1 change waiting")
WAITING_MANY = N_("{count} changes waiting")
CONFLICTS_ONE = N_("1 conflict")
CONFLICTS_MANY = N_("{count} conflicts")
REFUSED_ONE = N_("1 change refused")
REFUSED_MANY = N_("{count} changes refused")
SYNCING = N_("Syncing… (sent {sent}, received {received})")
OFFLINE = N_("Offline")
SYNCED_AT = N_("Synced at {time}")
SYNCED_ON = N_("Synced on {date} at {time}")

# What headquarters' refusal codes (protocol RejectCode) mean, in plain words.
REFUSALS: dict[str, str] = {
    "unknown_kind": N_(
        "Headquarters does not know this kind of record. It may run an older version of "
        "FieldKit; tell headquarters."
    ),
    "unknown_field": N_(
        "Headquarters does not know this field. It may run an older version of FieldKit; "
        "tell headquarters."
    ),
    "invalid_value": N_(
        "Headquarters found the value invalid, so it was not sent. Correct it in the record."
    ),
    "value_too_large": N_(
        "The value is larger than headquarters accepts (1 MB). Shorten it or split it."
    ),
    "not_permitted": N_(
        "This device may not change this record, because it cannot see it (for example an "
        "interview its author has not shared)."
    ),
}
REFUSED_OTHER = N_("Headquarters refused this change.")

TOKEN_PLACES = {
    "keyring": N_("The device token is kept in this computer's keyring."),
    "vault": N_(
        "The device token is kept inside the encrypted vault (this computer has no secure keyring)."
    ),
}


@dataclass(frozen=True)
class SyncView:
    """What the status bar knows: the vault's sync status and what the worker is doing."""

    status: SyncStatus | None = None  # None while locked or not loaded yet
    syncing: bool = False
    sent: int = 0
    received: int = 0
    reachable: bool | None = None  # the last health probe; None before the first one


def counted(count: int, one: str, many: str) -> str:
    """`one` or `many` (msgids) in the active language, with the count filled in."""
    return _(one) if count == 1 else _(many).format(count=count)


def waiting_text(count: int) -> str:
    return counted(count, WAITING_ONE, WAITING_MANY)


def conflicts_text(count: int) -> str:
    return counted(count, CONFLICTS_ONE, CONFLICTS_MANY)


def refused_text(count: int) -> str:
    return counted(count, REFUSED_ONE, REFUSED_MANY)


def state_label(state: SyncState) -> str:
    """A status or a logged round's outcome, in words."""
    return _(state.label)


def refusal_text(code: str) -> str:
    return _(REFUSALS.get(code, REFUSED_OTHER))


def synced_when(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """'Synced at 14:02' today, 'Synced on Mar 4, 2026 at 14:02' on another day (local time)."""
    local = moment.astimezone()
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    time = local.strftime("%H:%M")
    if local.date() == today:
        return _(SYNCED_AT).format(time=time)
    return _(SYNCED_ON).format(date=format_date(local.date()), time=time)


def status_text(view: SyncView, now: dt.datetime | None = None) -> str:
    """The status bar's sentence for `view` (empty while locked)."""
    status = view.status
    if status is None:
        return ""
    if status.state is SyncState.NOT_CONNECTED:
        return state_label(status.state)
    if view.syncing:
        return _(SYNCING).format(sent=view.sent, received=view.received)
    if status.stopped:
        return state_label(status.state)
    if view.reachable is False or status.state is SyncState.OFFLINE:
        head = _(OFFLINE)
    elif status.state is SyncState.OK and status.last_synced is not None:
        head = synced_when(status.last_synced, now)
    else:  # connected but never synced, or the last round failed
        head = state_label(status.state)
    if status.unsent or head == _(OFFLINE):
        return f"{head} · {waiting_text(status.unsent)}"
    return head


def moment_of(hlc: int) -> dt.datetime:
    """When a conflicting edit was made, from its hybrid logical clock (UTC)."""
    return dt.datetime.fromtimestamp((hlc >> COUNTER_BITS) / 1000, dt.UTC)
