"""The append-only audit log of local actions (a trigger refuses updates and deletes).

Entries name the action, the record and the fields touched, never a field's contents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlite_utils import Database


class AuditAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    DELETED = "deleted"
    RESTORED = "restored"
    LINKED = "linked"
    EXPORTED = "exported"
    IMPORTED = "imported"
    UNLOCKED = "unlocked"
    UNLOCK_FAILED = "unlock_failed"
    PASSPHRASE_CHANGED = "passphrase_changed"
    RECOVERED = "recovered"
    REKEYED = "rekeyed"
    DEVICE_REMEMBERED = "device_remembered"
    DEVICE_FORGOTTEN = "device_forgotten"
    ATTACHED = "attached"
    HQ_CONNECTED = "hq_connected"
    CONFLICT_RESOLVED = "conflict_resolved"
    HQ_ORDERS_IGNORED = "hq_orders_ignored"
    TRAVEL_PREPARED = "travel_prepared"
    TRAVEL_RETURNED = "travel_returned"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    action: AuditAction
    kind: str | None
    record_id: str | None
    device: str | None
    detail: str | None


def record(
    db: Database,
    action: AuditAction,
    device: str,
    *,
    kind: str | None = None,
    record_id: str | None = None,
    detail: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    db.execute(
        "INSERT INTO audit (at, action, kind, record_id, device, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (at or dt.datetime.now(dt.UTC)).isoformat(),
            action.value,
            kind,
            record_id,
            device,
            detail,
        ],
    )


def recent(db: Database, limit: int = 100) -> list[AuditEntry]:
    rows = db.execute(
        "SELECT seq, at, action, kind, record_id, device, detail FROM audit "
        "ORDER BY seq DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [
        AuditEntry(r[0], dt.datetime.fromisoformat(r[1]), AuditAction(r[2]), r[3], r[4], r[5], r[6])
        for r in rows
    ]
