"""How this device's sync with headquarters stands: one of a few states, each with the words
people read for it.

The status line, the sync log and the command line show these; each sync error says which
state it leaves the device in (fieldkit/errors.py). The value is what the vault stores.
"""

from __future__ import annotations

from enum import StrEnum

from fieldkit.i18n import N_


class SyncState(StrEnum):
    NOT_CONNECTED = "not_connected"
    CONNECTED = "connected"  # enrolled, no round yet
    OK = "ok"
    OFFLINE = "offline"
    FAILED = "failed"
    DEFERRED = "deferred"  # HQ asked to come back later (busy, or its disk nearly full)
    # States after which the device stops syncing on its own until a person acts.
    REVOKED = "revoked"
    CERTIFICATE_CHANGED = "certificate_changed"
    UNAUTHORIZED = "unauthorized"
    OUTDATED = "outdated"

    @classmethod
    def parse(cls, value: str | None, default: SyncState) -> SyncState:
        """The state stored as `value`; `default` when none is, and FAILED for a value this
        version does not know (as its label always read)."""
        if not value:
            return default
        try:
            return cls(value)
        except ValueError:
            return cls.FAILED

    @property
    def stopped(self) -> bool:
        """True for states only a person can end (sync does not retry on its own)."""
        return self in STOPPED_STATES

    @property
    def label(self) -> str:
        """The untranslated msgid of this state's words (pass it to `_()`)."""
        return STATE_LABELS[self]


STOPPED_STATES = frozenset(
    {
        SyncState.REVOKED,
        SyncState.CERTIFICATE_CHANGED,
        SyncState.UNAUTHORIZED,
        SyncState.OUTDATED,
    }
)
STATE_LABELS: dict[SyncState, str] = {
    SyncState.NOT_CONNECTED: N_("Not connected to headquarters"),
    SyncState.CONNECTED: N_("Connected, not synced yet"),
    SyncState.OK: N_("Synced"),
    SyncState.OFFLINE: N_("Offline"),
    SyncState.FAILED: N_("Last sync failed"),
    SyncState.DEFERRED: N_("Headquarters busy: will retry"),
    SyncState.REVOKED: N_("Device revoked"),
    SyncState.CERTIFICATE_CHANGED: N_("HQ certificate changed"),
    SyncState.UNAUTHORIZED: N_("Not recognised by headquarters"),
    SyncState.OUTDATED: N_("FieldKit update needed"),
}


class RecordSyncState(StrEnum):
    """Where one record stands with headquarters (the marker in its list and its detail)."""

    SENT = "sent"  # every change to it has reached headquarters
    WAITING = "waiting"  # a change to it has not been sent yet
    CONFLICT = "conflict"  # two edits of one of its fields wait for a person to choose

    @property
    def label(self) -> str:
        return _RECORD_LABELS[self]


_RECORD_LABELS = {
    RecordSyncState.SENT: N_("Sent to headquarters"),
    RecordSyncState.WAITING: N_("Waiting to be sent"),
    RecordSyncState.CONFLICT: N_("Conflicting edits to resolve"),
}
