"""The vault's side of headquarters sync: what waits to go, acknowledging what went, and
applying what came back.

Every function here runs inside one `Store.transaction()` per server response, so a sync cut
off at any point leaves the vault as it was before that response or after it, never between.
A pulled field replaces the local one only when its (clock, node) version is newer: the same
last-writer-wins rule HQ applies, so every device converges on the same values.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlite_utils import Database

from fieldkit.domain.fields import FieldSpec
from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.records import KINDS
from fieldkit.domain.search_text import search_text
from fieldkit.domain.sync_rules import CREATED_AT, DELETED
from fieldkit.store import search
from fieldkit.store.rows import column_value, from_row, to_row
from fieldkit.store.schema import TABLES

log = logging.getLogger(__name__)
Version = tuple[int, str]


class Incoming(NamedTuple):
    """A field as HQ holds it, written by another device (a tuple: a page makes 16,000)."""

    kind: str
    record_id: str
    field: str
    value: Any
    hlc: int
    node: str


@dataclass(frozen=True)
class StoredConflict:
    id: str
    kind: str
    record_id: str
    field: str
    kept: dict[str, Any]  # value, hlc, node, device_name
    other: dict[str, Any]
    received_at: str


# --- outgoing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """Unsent journal entries, in order, as the JSON array of the protocol's changes."""

    changes_json: str
    count: int
    last_seq: int | None  # the journal position of the last one


# SQLite writes the JSON itself: reading each value into Python only to write it out again
# was most of what preparing a batch cost. A stored value that is not JSON (none should be)
# goes as null, as json.dumps(float("nan")) read back would.
_OUTGOING = """
SELECT json_group_array(json_object(
           'id', change_id, 'kind', kind, 'record', record_id, 'field', field,
           'value', json(CASE WHEN json_valid(value) THEN value END), 'hlc', hlc,
           'base', json(CASE WHEN base_node IS NOT NULL
                        THEN json_object('hlc', base_hlc, 'node', base_node) END)
       ) ORDER BY seq),
       count(*), max(seq)
FROM (SELECT * FROM journal WHERE sent = 0 AND seq > ? ORDER BY seq LIMIT ?)
"""


def outgoing(db: Database, *, after_seq: int | None = None, limit: int) -> Outgoing:
    """The first `limit` unsent entries (past `after_seq`)."""
    changes, count, last = db.execute(
        _OUTGOING, [-1 if after_seq is None else after_seq, limit]
    ).fetchone()
    return Outgoing(changes, count, last)


def mark_sent(db: Database, change_ids: Iterable[str]) -> None:
    db.execute(
        "UPDATE journal SET sent = 1 WHERE change_id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(change_ids))],
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


QUARANTINE_COLUMNS = ("change_id", "kind", "record_id", "field", "code", "message", "at")


def quarantined(db: Database) -> list[dict[str, Any]]:
    """Changes HQ refused, newest first, with its reason."""
    rows = db.execute(
        f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM sync_quarantine ORDER BY at DESC"
    ).fetchall()
    return [dict(zip(QUARANTINE_COLUMNS, row, strict=True)) for row in rows]


def adopt_clamped(db: Database, change_id: str, hlc: int) -> None:
    """HQ pulled a too-far-future clock back: hold the same version HQ holds."""
    row = db.execute(
        "SELECT record_id, field, hlc, device FROM journal WHERE change_id = ?", [change_id]
    ).fetchone()
    if row is None:
        return
    record_id, field, old, node = row
    db.execute("UPDATE journal SET hlc = ? WHERE change_id = ?", [hlc, change_id])
    db.execute(
        "UPDATE field_versions SET hlc = ? WHERE record_id = ? AND field = ? AND hlc = ? "
        "AND node = ?",
        [hlc, record_id, field, old, node],
    )


# --- incoming -------------------------------------------------------------------------------


def apply(db: Database, changes: Sequence[Incoming]) -> int:
    """Apply pulled fields that are newer than the vault's; how many fields changed."""
    by_record: dict[tuple[str, str], list[Incoming]] = defaultdict(list)
    for change in changes:
        by_record[(change.kind, change.record_id)].append(change)
    held = _held_versions(db, [record_id for _, record_id in by_record])
    rows = _rows(db, by_record)
    return sum(
        _apply_record(db, kind, rid, group, held=held[rid], found=rows.get(rid))
        for (kind, rid), group in by_record.items()
    )


def _held_versions(db: Database, record_ids: list[str]) -> dict[str, dict[str, Version]]:
    """The version of every field the vault holds for these records, by record."""
    held: dict[str, dict[str, Version]] = defaultdict(dict)
    for record_id, field, hlc, node in db.execute(
        "SELECT record_id, field, hlc, node FROM field_versions "
        "WHERE record_id IN (SELECT value FROM json_each(?))",
        [json.dumps(record_ids)],
    ):
        held[record_id][field] = (hlc, node)
    return held


def _rows(db: Database, records: Iterable[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """The stored rows of these (kind, id) records, by id (absent: not stored yet)."""
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, record_id in records:
        ids_by_kind[kind].append(record_id)
    found: dict[str, dict[str, Any]] = {}
    for kind, ids in ids_by_kind.items():
        cursor = db.execute(
            f"SELECT * FROM [{TABLES[kind]}] WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)],
        )
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            found[row["id"]] = row
    return found


def _apply_record(
    db: Database,
    kind: str,
    record_id: str,
    changes: list[Incoming],
    *,
    held: dict[str, Version],
    found: dict[str, Any] | None,
) -> int:
    winners: dict[str, Incoming] = {}
    for change in changes:
        version = (change.hlc, change.node)
        if change.field not in held or version > held[change.field]:
            held[change.field] = version
            winners[change.field] = change
    if not winners:
        return 0
    table = TABLES[kind]
    specs = _specs(kind)
    columns: dict[str, Any] = {}
    for field, change in winners.items():
        if field == CREATED_AT:
            columns["created_at"] = change.value
        elif field == DELETED:
            columns["deleted"] = int(bool(change.value))
        else:
            columns[field] = column_value(specs[field].type, change.value)
    latest = max(c.hlc for c in winners.values()) >> COUNTER_BITS
    columns["updated_at"] = dt.datetime.fromtimestamp(latest / 1000, dt.UTC).isoformat()
    if found is None:
        row = {**_blank_row(kind), "id": record_id}
        creator = winners.get(CREATED_AT) or next(iter(winners.values()))
        row["author_device"] = creator.node
        row["created_at"] = columns["updated_at"]
        row.update(columns)
        names = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" for _ in row)
        db.execute(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", list(row.values()))
    else:
        row = {**found, **columns}
        assignments = ", ".join(f"[{name}] = ?" for name in columns)
        db.execute(
            f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*columns.values(), record_id]
        )
    db.conn.executemany(
        "INSERT OR REPLACE INTO field_versions (record_id, field, hlc, node) VALUES (?, ?, ?, ?)",
        [[record_id, c.field, c.hlc, c.node] for c in winners.values()],
    )
    _reindex(db, kind, row, new=found is None)
    return len(winners)


@functools.cache
def _specs(kind: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in KINDS[kind].specs()}


@functools.cache
def _blank_row(kind: str) -> dict[str, Any]:
    """The row of a record of `kind` with every field at its default."""
    return to_row(KINDS[kind]())


def _reindex(db: Database, kind: str, row: dict[str, Any], *, new: bool) -> None:
    if row["deleted"]:
        search.remove(db, row["id"])
        return
    record = from_row(KINDS[kind], row)
    title, body = search_text(record)
    search.index(db, kind, record.id, title, body, new=new)


# --- conflicts ------------------------------------------------------------------------------


def save_conflict(db: Database, conflict: StoredConflict) -> None:
    db.execute(
        "INSERT OR REPLACE INTO sync_conflicts "
        "(id, kind, record_id, field, kept, other, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            conflict.id,
            conflict.kind,
            conflict.record_id,
            conflict.field,
            json.dumps(conflict.kept, ensure_ascii=False),
            json.dumps(conflict.other, ensure_ascii=False),
            conflict.received_at,
        ],
    )


def drop_conflict(db: Database, conflict_id: str) -> None:
    db.execute("DELETE FROM sync_conflicts WHERE id = ?", [conflict_id])


def conflicts(db: Database, record_id: str | None = None) -> list[StoredConflict]:
    where, params = ("WHERE record_id = ?", [record_id]) if record_id else ("", [])
    rows = db.execute(
        "SELECT id, kind, record_id, field, kept, other, received_at FROM sync_conflicts "
        f"{where} ORDER BY received_at",
        params,
    ).fetchall()
    return [
        StoredConflict(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), r[6])
        for r in rows
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
