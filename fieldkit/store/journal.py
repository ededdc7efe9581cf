"""The change journal: field-level entries, each stamped with a hybrid logical clock, written
in the same transaction as the change. Sync carries the unsent entries to headquarters.

Only the newest unsent value of a field matters to a last-writer-wins merge, so an unsent
entry is replaced when the same field changes again: autosaving interview notes every few
seconds does not pile up old copies of the notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from fieldkit.domain.hlc import Timestamp
from fieldkit.domain.ids import new_id


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    change_id: str
    kind: str
    record_id: str
    field: str
    value: Any
    hlc: int
    device: str
    sent: bool
    base: tuple[int, str] | None = None  # the version this edit started from (hlc, node)


def append(
    db: Database,
    kind: str,
    record_id: str,
    changes: dict[str, Any],
    stamp: Timestamp,
    *,
    new_record: bool = False,
) -> None:
    """Journal `changes` (field → plain value) of one record; call inside a transaction.

    Each entry remembers the version its field held before the first unsent edit (its base),
    and `field_versions` moves to the new stamp."""
    packed = stamp.pack()
    for field, value in changes.items():
        base: tuple[int | None, str | None] = (None, None)
        if not new_record:
            base = _base_of(db, kind, record_id, field)
            db.execute(
                "DELETE FROM journal WHERE kind = ? AND record_id = ? AND field = ? AND sent = 0",
                [kind, record_id, field],
            )
        db.execute(
            "INSERT INTO journal (change_id, kind, record_id, field, value, hlc, device, sent, "
            "base_hlc, base_node) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [
                new_id(),
                kind,
                record_id,
                field,
                json.dumps(value, ensure_ascii=False),
                packed,
                stamp.device,
                *base,
            ],
        )
        db.execute(
            "INSERT OR REPLACE INTO field_versions (record_id, field, hlc, node) "
            "VALUES (?, ?, ?, ?)",
            [record_id, field, packed, stamp.device],
        )


def _base_of(db: Database, kind: str, record_id: str, field: str) -> tuple[int | None, str | None]:
    """The version an edit of `field` starts from: an unsent edit's own base, else the
    version the field holds now."""
    unsent = db.execute(
        "SELECT base_hlc, base_node FROM journal "
        "WHERE kind = ? AND record_id = ? AND field = ? AND sent = 0",
        [kind, record_id, field],
    ).fetchone()
    if unsent is not None:
        return unsent[0], unsent[1]
    held = db.execute(
        "SELECT hlc, node FROM field_versions WHERE record_id = ? AND field = ?",
        [record_id, field],
    ).fetchone()
    return (held[0], held[1]) if held else (None, None)


def entries(
    db: Database, *, record_id: str | None = None, unsent_only: bool = False, limit: int = 1000
) -> list[JournalEntry]:
    """Journal entries in order, optionally for one record or only those not yet sent."""
    clauses, params = [], []
    if record_id is not None:
        clauses.append("record_id = ?")
        params.append(record_id)
    if unsent_only:
        clauses.append("sent = 0")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        "SELECT seq, change_id, kind, record_id, field, value, hlc, device, sent, base_hlc, "
        f"base_node FROM journal {where} ORDER BY seq LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [
        JournalEntry(
            seq=r[0],
            change_id=r[1],
            kind=r[2],
            record_id=r[3],
            field=r[4],
            value=json.loads(r[5]),
            hlc=r[6],
            device=r[7],
            sent=bool(r[8]),
            base=(r[9], r[10]) if r[10] else None,
        )
        for r in rows
    ]


def count_unsent(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM journal WHERE sent = 0").fetchone()[0])
