"""The vault's outbox for headquarters sync: the unsent journal entries as the protocol's
RecordEdits, acknowledging what went, and what HQ refused or clamped.

Every function here runs inside one `Store.transaction()` per server response (replica.py
says why).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from fieldkit.store import journal


@dataclass(frozen=True)
class Outgoing:
    """Unsent journal entries, in order, as the JSON array of the protocol's RecordEdits."""

    records_json: str
    change_ids_json: str  # their change ids, a JSON array in the same order
    count: int  # the fields they carry (what HQ counts against its limit)
    last_seq: int | None  # the journal position of the last one
    more: bool = False  # whether unsent entries are left after these


# SQLite writes the JSON itself: reading each value into Python only to write it out again
# was most of what preparing a batch cost. A stored value that is not JSON (none should be)
# goes as null, as json.dumps(float("nan")) read back would. The field entries of one record
# written at one clock reading (one save; a new record journaled before record entries) go
# as one protocol RecordEdit: its fields as one object, the bases of those that had one as
# another, no change id per field (the batch id keeps a resent batch harmless; HQ names a
# refused field by record and field). A record entry is such an edit already: its value is
# the fields object (one that is not, which FieldKit never writes, is left out). A batch
# holds whole entries up to `limit` fields (at least one entry, whatever its width).
_OUTGOING = f"""
WITH ahead AS (
    SELECT seq, field_count,
           sum(field_count) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) AS reach
    FROM (SELECT seq, field_count FROM journal WHERE sent = 0 AND seq > :after
          ORDER BY seq LIMIT min(:limit, :entries))
),
batch AS (
    SELECT j.* FROM journal AS j
    WHERE j.seq IN (SELECT seq FROM ahead
                    WHERE reach <= :limit OR seq = (SELECT min(seq) FROM ahead))
),
edits AS (
    SELECT min(seq) AS first, kind, record_id, hlc,
           json_group_object(field, json(CASE WHEN json_valid(value) THEN value END))
               AS fields,
           json_group_object(field, json_object('hlc', base_hlc, 'node', base_node))
               FILTER (WHERE base_node IS NOT NULL) AS bases,
           count(base_node) AS based
    FROM batch WHERE field != '{journal.RECORD}' GROUP BY kind, record_id, hlc
    UNION ALL
    SELECT seq, kind, record_id, hlc, value, NULL, 0
    FROM batch
    WHERE field = '{journal.RECORD}' AND field_count > 0
      AND CASE WHEN json_valid(value) THEN json_type(value) END = 'object'
)
SELECT (SELECT json_group_array(json(CASE WHEN based = 0 THEN edit
                                          ELSE json_set(edit, '$.base', json(bases)) END)
                                 ORDER BY first)
        FROM (SELECT first, based, bases,
                     json_object('kind', kind, 'record', record_id, 'hlc', hlc,
                                 'fields', json(fields)) AS edit
              FROM edits)),
       (SELECT json_group_array(change_id ORDER BY seq) FROM batch),
       (SELECT total(field_count) FROM batch),
       (SELECT max(seq) FROM batch),
       EXISTS (SELECT 1 FROM journal
               WHERE sent = 0 AND seq > (SELECT coalesce(max(seq), :after) FROM batch))
"""


def outgoing(db: Database, *, after_seq: int | None = None, limit: int, entries: int) -> Outgoing:
    """The unsent entries past `after_seq` that carry at most `limit` fields in all (at least
    one entry), and at most `entries` of them (each becomes at most one RecordEdit: the
    protocol caps a request's edits), as protocol RecordEdits."""
    parameters = {"after": -1 if after_seq is None else after_seq, "limit": limit}
    records, ids, count, last, more = db.execute(
        _OUTGOING, {**parameters, "entries": entries}
    ).fetchone()
    return Outgoing(records, ids, int(count), last, bool(more))


def mark_sent(db: Database, change_ids: Iterable[str] | str) -> None:
    """Mark these entries sent (`change_ids` may be a JSON array already)."""
    ids = change_ids if isinstance(change_ids, str) else json.dumps(list(change_ids))
    db.execute(
        "UPDATE journal SET sent = 1 WHERE change_id IN (SELECT value FROM json_each(?))", [ids]
    )


def quarantine(db: Database, change_id: str, code: str, message: str) -> None:
    """Move a change HQ refused out of the queue, keeping it (and why) for the user."""
    row = db.execute(
        "SELECT kind, record_id, field, value, hlc FROM journal WHERE change_id = ?", [change_id]
    ).fetchone()
    if row is None:
        return
    db.execute(
        "INSERT OR REPLACE INTO sync_quarantine "
        "(change_id, kind, record_id, field, value, hlc, code, message, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [change_id, *row, code, message, _now()],
    )
    db.execute("DELETE FROM journal WHERE change_id = ?", [change_id])


def quarantine_field(
    db: Database, change_ids: str, record_id: str, field: str, *, code: str, message: str
) -> None:
    """Quarantine the field of a record that HQ refused, among the batch's entries
    (`change_ids`, a JSON array): its field entry, or the field taken out of its record
    entry. An entry replaced by a newer edit since is left alone."""
    found = db.execute(
        "SELECT change_id, field FROM journal WHERE change_id IN (SELECT value FROM json_each(?)) "
        "AND record_id = ? AND (field = ? OR (field = ? AND "
        "CASE WHEN json_valid(value) THEN json_type(value, ?) END IS NOT NULL)) "
        "ORDER BY field = ? LIMIT 1",
        [change_ids, record_id, field, journal.RECORD, journal.path_of(field), journal.RECORD],
    ).fetchone()
    if found is None:
        return
    change_id, entry_field = found
    if entry_field != journal.RECORD:
        quarantine(db, change_id, code, message)
        return
    row = db.execute("SELECT kind, hlc FROM journal WHERE change_id = ?", [change_id]).fetchone()
    value = journal.take_field(db, change_id, field)
    db.execute(
        "INSERT OR REPLACE INTO sync_quarantine "
        "(change_id, kind, record_id, field, value, hlc, code, message, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [f"{change_id}:{field}", row[0], record_id, field, value, row[1], code, message, _now()],
    )


def adopt_clamped_record(
    db: Database, change_ids: str, record_id: str, sent: int, hlc: int
) -> None:
    """HQ pulled a record edit's too-far-future clock back: every field of it sent with
    `sent` (among the batch's entries) holds the clamped version, as at HQ."""
    rows = db.execute(
        "SELECT change_id FROM journal WHERE change_id IN (SELECT value FROM json_each(?)) "
        "AND record_id = ? AND hlc = ?",
        [change_ids, record_id, sent],
    ).fetchall()
    for (change_id,) in rows:
        adopt_clamped(db, change_id, hlc)


QUARANTINE_COLUMNS = ("change_id", "kind", "record_id", "field", "code", "message", "at")


def quarantined(db: Database) -> list[dict[str, Any]]:
    """Changes HQ refused, newest first, with its reason."""
    rows = db.execute(
        f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM sync_quarantine ORDER BY at DESC"
    ).fetchall()
    return [dict(zip(QUARANTINE_COLUMNS, row, strict=True)) for row in rows]


def adopt_clamped(db: Database, change_id: str, hlc: int) -> None:
    """HQ pulled a too-far-future clock back: hold the same version HQ holds (for a record
    entry, every field that still holds the version it was sent with)."""
    row = db.execute(
        "SELECT record_id, field, hlc, device FROM journal WHERE change_id = ?", [change_id]
    ).fetchone()
    if row is None:
        return
    record_id, field, old, node = row
    db.execute("UPDATE journal SET hlc = ? WHERE change_id = ?", [hlc, change_id])
    which = "" if field == journal.RECORD else " AND field = ?"
    db.execute(
        f"UPDATE field_versions SET hlc = ? WHERE record_id = ?{which} AND hlc = ? AND node = ?",
        [hlc, record_id, *([] if field == journal.RECORD else [field]), old, node],
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
