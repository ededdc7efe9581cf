"""The change journal, written in the same transaction as the change and stamped with a
hybrid logical clock. Sync carries the unsent entries to headquarters.

Two shapes of entry (docs/decisions/0003-record-entries.md):

- a **record entry** (`field` is `RECORD`, '*'): a new record, all its fields in one entry
  whose value is a JSON object, with one record-level version in `field_versions` that
  stands for every field of the record without a version of its own (but `deleted`, which a
  new record does not journal);
- a **field entry**: one field changed by an edit, with the version it started from (its
  base), and that field's own version in `field_versions`.

Only the newest unsent value of a field matters to a last-writer-wins merge, so an unsent
value is replaced when the same field changes again: an edit takes the field out of the
record's unsent record entry, or replaces its unsent field entry. Autosaving interview notes
every few seconds does not pile up old copies of the notes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from fieldkit.domain.hlc import Timestamp
from fieldkit.domain.ids import new_id
from fieldkit.domain.sync_rules import DELETED

RECORD = "*"  # the `field` of a record entry (and of a record-level version)
_record_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    change_id: str
    kind: str
    record_id: str
    field: str  # RECORD for a record entry
    value: Any  # a record entry: {field: value}
    hlc: int
    device: str
    sent: bool
    base: tuple[int, str] | None = None  # the version this edit started from (hlc, node)

    @property
    def changes(self) -> dict[str, Any]:
        """The fields this entry carries, by name."""
        if self.field == RECORD:
            return dict(self.value)
        return {self.field: self.value}


def by_field(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """The entries with each record entry spread into one entry per field it carries (same
    seq, change id and clock; no base): the journal as the fields see it."""
    spread: list[JournalEntry] = []
    for entry in entries:
        if entry.field != RECORD:
            spread.append(entry)
            continue
        spread.extend(replace(entry, field=f, value=v) for f, v in entry.value.items())
    return spread


def record_value(fields: dict[str, Any]) -> str:
    """A record entry's value: its fields (name -> plain value) as one JSON object."""
    return _record_json(fields)


def path_of(field: str) -> str:
    """The JSON path of a field inside a record entry's value."""
    return f'$."{field}"'


def append_record(
    db: Database, kind: str, record_id: str, fields: dict[str, Any], stamp: Timestamp
) -> None:
    """Journal a new record as one record entry, and give it a record-level version; call
    inside a transaction."""
    packed = stamp.pack()
    db.execute(
        "INSERT INTO journal (change_id, kind, record_id, field, value, hlc, device, sent, "
        "field_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
        [
            new_id(),
            kind,
            record_id,
            RECORD,
            record_value(fields),
            packed,
            stamp.device,
            len(fields),
        ],
    )
    db.execute(
        "INSERT OR REPLACE INTO field_versions (record_id, field, hlc, node) VALUES (?, ?, ?, ?)",
        [record_id, RECORD, packed, stamp.device],
    )


def append(
    db: Database, kind: str, record_id: str, changes: dict[str, Any], stamp: Timestamp
) -> None:
    """Journal `changes` (field -> plain value) of one stored record as field entries; call
    inside a transaction.

    Each entry remembers the version its field held before the first unsent edit (its base),
    and `field_versions` moves to the new stamp. A field still waiting in the record's
    unsent record entry leaves it (a new record's field has no base)."""
    packed = stamp.pack()
    unsent_record = _unsent_record_fields(db, kind, record_id)
    for field, value in changes.items():
        if field in unsent_record:
            base: tuple[int | None, str | None] = (None, None)
        else:
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
    leaving = [field for field in changes if field in unsent_record]
    if leaving:
        _drop_unsent_record_fields(db, kind, record_id, leaving)


def _unsent_record_fields(db: Database, kind: str, record_id: str) -> set[str]:
    """The fields of the record's unsent record entry (none when it has none)."""
    row = db.execute(
        "SELECT value FROM journal WHERE kind = ? AND record_id = ? AND field = ? AND sent = 0",
        [kind, record_id, RECORD],
    ).fetchone()
    if row is None:
        return set()
    try:
        fields = json.loads(row[0])
    except ValueError:
        return set()
    return set(fields) if isinstance(fields, dict) else set()


def _drop_unsent_record_fields(db: Database, kind: str, record_id: str, fields: list[str]) -> None:
    """Take fields out of the record's unsent record entry (an emptied entry goes)."""
    where = "kind = ? AND record_id = ? AND field = ? AND sent = 0"
    paths = ", ".join("?" for _ in fields)
    db.execute(
        f"UPDATE journal SET value = json_remove(value, {paths}), "
        f"field_count = field_count - ? WHERE {where}",
        [*(path_of(f) for f in fields), len(fields), kind, record_id, RECORD],
    )
    db.execute(f"DELETE FROM journal WHERE {where} AND field_count <= 0", [kind, record_id, RECORD])


def take_field(db: Database, change_id: str, field: str) -> Any:
    """Take `field` out of the record entry `change_id` (an emptied entry goes): its value
    as JSON text, or None when the entry does not carry it."""
    row = db.execute(
        "SELECT value -> ? FROM journal WHERE change_id = ? AND field = ?",
        [path_of(field), change_id, RECORD],
    ).fetchone()
    if row is None or row[0] is None:
        return None
    db.execute(
        "UPDATE journal SET value = json_remove(value, ?), field_count = field_count - 1 "
        "WHERE change_id = ?",
        [path_of(field), change_id],
    )
    db.execute("DELETE FROM journal WHERE change_id = ? AND field_count <= 0", [change_id])
    return row[0]


def held_version(db: Database, record_id: str, field: str) -> tuple[int, str] | None:
    """The version `field` of a record holds: its own, else the record's (a field written
    when its record was made; never `deleted`, which a new record's entry does not carry),
    else none."""
    whole = RECORD if field != DELETED else field
    row = db.execute(
        "SELECT hlc, node FROM field_versions WHERE record_id = ? AND field IN (?, ?) "
        "ORDER BY field = ? LIMIT 1",
        [record_id, field, whole, RECORD],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


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
    held = held_version(db, record_id, field)
    return held if held else (None, None)


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
    """Fields waiting to be sent: a record entry counts each field it carries."""
    return int(db.execute("SELECT total(field_count) FROM journal WHERE sent = 0").fetchone()[0])
