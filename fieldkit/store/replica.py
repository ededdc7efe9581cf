"""The vault's side of headquarters sync: applying what came back, and conflicts (what waits
to go and acknowledging what went are in `outbox`).

Every function here runs inside one `Store.transaction()` per server response, so a sync cut
off at any point leaves the vault as it was before that response or after it, never between.
A pulled field replaces the local one only when its (clock, node) version is newer: the same
last-writer-wins rule HQ applies, so every device converges on the same values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlite_utils import Database

from fieldkit.domain.fields import FieldType
from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.records import KINDS, Record
from fieldkit.domain.search_text import search_text
from fieldkit.domain.sync_rules import CREATED_AT, DELETED, check_fields
from fieldkit.store import journal, search
from fieldkit.store.json_rows import insert_rows
from fieldkit.store.rows import column_converter, from_row, to_row
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


# --- incoming -------------------------------------------------------------------------------


class Applied(NamedTuple):
    changed: int  # fields that replaced the vault's
    skipped: int  # pulled fields this version of FieldKit cannot store (logged)
    latest: int  # the newest clock among the fields stored (0: none)


class RecordPlan(NamedTuple):
    """What one pulled record writes: its row (whole when new to the vault, else the changed
    columns; None when every newer field was refused), its versions and search text."""

    kind: str
    record_id: str
    row: dict[str, Any] | None
    new: bool
    versions: list[tuple[str, str, int, str]]
    text: tuple[str, str] | None  # (title, body); None for a deleted record
    changed: int
    latest: int
    refusals: tuple[str, ...]  # the codes of the fields the domain refused


@dataclass(frozen=True)
class Pulled:
    """A page of pulled fields grouped by record. A record that arrived with its creation
    is also planned as new to the vault: that plan reads nothing from the vault, so it is
    made while the page before is still being written, and used when the vault indeed holds
    nothing of the record."""

    groups: dict[tuple[str, str], list[Incoming]]
    unknown_kinds: int
    as_new: dict[str, RecordPlan | None]


@dataclass
class _Writes:
    """What a page of pulled fields writes, gathered first and written in bulk."""

    inserts: defaultdict[str, list[dict[str, Any]]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )
    updates: list[tuple[str, dict[str, Any], str]] = dataclasses.field(default_factory=list)
    versions: list[tuple[str, str, int, str]] = dataclasses.field(default_factory=list)
    changed: int = 0  # fields stored
    latest: int = 0  # the newest clock among them
    indexed: list[tuple[str, str, str, str]] = dataclasses.field(default_factory=list)
    # Records already stored: their search entries are replaced.
    unindexed: list[str] = dataclasses.field(default_factory=list)
    skipped: int = 0

    def add(self, plan: RecordPlan) -> None:
        for code in plan.refusals:
            log.warning("skipping a pulled change HQ sent: %s", code)
        self.skipped += len(plan.refusals)
        if plan.row is None:
            return
        if plan.new:
            self.inserts[plan.kind].append(plan.row)
        else:
            self.updates.append((TABLES[plan.kind], plan.row, plan.record_id))
            self.unindexed.append(plan.record_id)
        self.versions.extend(plan.versions)
        self.changed += plan.changed
        self.latest = max(self.latest, plan.latest)
        if plan.text is not None:
            self.indexed.append((plan.kind, plan.record_id, *plan.text))


def prepare(changes: Sequence[Incoming]) -> Pulled:
    """Group a page by record and plan the records that arrived with their creation as new
    to the vault (the domain's check, row and search text; no database)."""
    groups: dict[tuple[str, str], list[Incoming]] = defaultdict(list)
    unknown = 0
    for change in changes:
        if change.kind in KINDS:
            groups[(change.kind, change.record_id)].append(change)
        else:
            unknown += 1
    as_new = {
        rid: _plan_record(kind, rid, group, held={}, found=None)
        for (kind, rid), group in groups.items()
        if any(c.field == CREATED_AT for c in group)
    }
    return Pulled(groups, unknown, as_new)


def apply(db: Database, changes: Sequence[Incoming] | Pulled) -> Applied:
    """Apply pulled fields that are newer than the vault's. Each record's newer fields are
    checked by the domain layer at once (a hostile server must not store what it refuses);
    rows, versions and search text are then written in bulk."""
    page = changes if isinstance(changes, Pulled) else prepare(changes)
    for _ in range(page.unknown_kinds):
        log.warning("skipping a pulled change HQ sent: unknown_kind")
    writes = _Writes(skipped=page.unknown_kinds)
    held = _held_versions(db, [record_id for _, record_id in page.groups])
    rows = _rows(db, page.groups)
    for (kind, rid), group in page.groups.items():
        found, versions = rows.get(rid), held.get(rid, {})
        if found is None and not versions and rid in page.as_new:
            plan = page.as_new[rid]
        else:
            plan = _plan_record(kind, rid, group, held=versions, found=found)
        if plan is not None:
            writes.add(plan)
    _write(db, writes)
    return Applied(writes.changed, writes.skipped, writes.latest)


def _held_versions(db: Database, record_ids: list[str]) -> dict[str, dict[str, Version]]:
    """The version of every field the vault holds for these records, by record."""
    held: dict[str, dict[str, Version]] = defaultdict(dict)
    for record_id, field_name, hlc, node in db.execute(
        "SELECT record_id, field, hlc, node FROM field_versions "
        "WHERE record_id IN (SELECT value FROM json_each(?))",
        [json.dumps(record_ids)],
    ):
        held[record_id][field_name] = (hlc, node)
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


def _newer(changes: list[Incoming], held: dict[str, Version]) -> dict[str, Incoming]:
    """The changes newer than the version their field holds: its own, else the record's
    (journal.held_version's rule)."""
    winners: dict[str, Incoming] = {}
    whole = held.get(journal.RECORD)
    for change in changes:
        version = (change.hlc, change.node)
        current = held.get(change.field, whole if change.field != DELETED else None)
        if current is None or version > current:
            held[change.field] = version
            winners[change.field] = change
    return winners


def _plan_record(
    kind: str,
    record_id: str,
    changes: list[Incoming],
    *,
    held: dict[str, Version],
    found: dict[str, Any] | None,
) -> RecordPlan | None:
    """What the record's changes newer than `held` write over `found` (its stored row, None
    when it is not stored); None when none is newer."""
    winners = _newer(changes, held)
    if not winners:
        return None
    values, refused = check_fields(kind, {name: c.value for name, c in winners.items()})
    for name in refused:
        del winners[name]
    refusals = tuple(refusal.code for refusal in refused.values())
    if not winners:
        return RecordPlan(kind, record_id, None, False, [], None, 0, 0, refusals)
    columns = _columns(kind, winners)
    if found is None:
        row = {**_blank_row(kind), "id": record_id}
        creator = winners.get(CREATED_AT) or next(iter(winners.values()))
        row["author_device"] = creator.node
        row["created_at"] = columns["updated_at"]
        row.update(columns)
        record = _new_record(kind, row, values)
    else:
        row = {**found, **columns}
        record = from_row(KINDS[kind], row)
    return RecordPlan(
        kind,
        record_id,
        row if found is None else columns,
        found is None,
        _versions(record_id, winners, new=found is None),
        None if row["deleted"] else search_text(record),
        len(winners),
        max(c.hlc for c in winners.values()),
        refusals,
    )


def _versions(
    record_id: str, winners: dict[str, Incoming], *, new: bool
) -> list[tuple[str, str, int, str]]:
    """The field versions to store: a record new to the vault takes its creation's version
    as its record-level version (journal.RECORD) and keeps versions of their own only for
    the fields written at another (and for `deleted`, which never falls back): a pulled
    visit is one row instead of fifteen. Otherwise, one per field."""
    made = winners.get(CREATED_AT) if new else None
    if made is None:
        return [(record_id, c.field, c.hlc, c.node) for c in winners.values()]
    versions = [(record_id, journal.RECORD, made.hlc, made.node)]
    versions.extend(
        (record_id, c.field, c.hlc, c.node)
        for c in winners.values()
        if c.field == DELETED or (c.hlc, c.node) != (made.hlc, made.node)
    )
    return versions


def _columns(kind: str, winners: dict[str, Incoming]) -> dict[str, Any]:
    converters = _converters(kind)
    columns: dict[str, Any] = {}
    for name, change in winners.items():
        convert = converters[name]
        columns[name] = change.value if convert is None else convert(change.value)
    latest = max(c.hlc for c in winners.values()) >> COUNTER_BITS
    columns["updated_at"] = dt.datetime.fromtimestamp(latest / 1000, dt.UTC).isoformat()
    return columns


@functools.cache
def _converters(kind: str) -> dict[str, Callable[[Any], Any] | None]:
    """How each field that may be pulled becomes its column (rows.column_value), by name."""
    converters = {spec.name: column_converter(spec.type) for spec in KINDS[kind].specs()}
    converters[CREATED_AT] = None
    converters[DELETED] = column_converter(FieldType.BOOL)
    return converters


def _new_record(kind: str, row: dict[str, Any], values: dict[str, Any]) -> Record:
    """A record new to the vault from its already parsed values (the rest at defaults)."""
    return KINDS[kind](
        id=row["id"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        author_device=row["author_device"],
        deleted=bool(row["deleted"]),
        **values,
    )


def _write(db: Database, writes: _Writes) -> None:
    for kind, new_rows in writes.inserts.items():
        names = list(new_rows[0])
        insert_rows(db, TABLES[kind], names, [[row[n] for n in names] for row in new_rows])
    for table, columns, record_id in writes.updates:
        assignments = ", ".join(f"[{name}] = ?" for name in columns)
        db.execute(
            f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*columns.values(), record_id]
        )
    insert_rows(
        db, "field_versions", ("record_id", "field", "hlc", "node"), writes.versions, replace=True
    )
    search.index_many(db, writes.indexed, replaced=writes.unindexed)


@functools.cache
def _blank_row(kind: str) -> dict[str, Any]:
    """The row of a record of `kind` with every field at its default."""
    return to_row(KINDS[kind]())


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


class Unsettled(NamedTuple):
    """Of some records: those with unsent journal entries, and those with stored conflicts."""

    waiting: frozenset[str]
    conflicted: frozenset[str]


def unsettled(db: Database, kind: str, record_ids: Sequence[str]) -> Unsettled:
    ids = json.dumps(list(record_ids))
    waiting = db.execute(
        "SELECT DISTINCT record_id FROM journal WHERE kind = ? AND sent = 0 "
        "AND record_id IN (SELECT value FROM json_each(?))",
        [kind, ids],
    ).fetchall()
    conflicted = db.execute(
        "SELECT DISTINCT record_id FROM sync_conflicts "
        "WHERE record_id IN (SELECT value FROM json_each(?))",
        [ids],
    ).fetchall()
    return Unsettled(frozenset(r[0] for r in waiting), frozenset(r[0] for r in conflicted))
