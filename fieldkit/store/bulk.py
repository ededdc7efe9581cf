"""Writing many new records at once (imports): the same rows, journal entries, record
versions and search text as `Store.insert` writes one record at a time, in a few statements
per batch.

Each new record takes one record entry in the journal (all its fields in one JSON object)
and one record-level version, as `Store.insert` writes them (store/journal.py); here each
batch of records takes one statement per table, with the per-row work done in C by
`executemany`. Everything happens inside one transaction: if the records' source fails
part-way (a bad row, a full disk), nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from fieldkit.domain.codec import PLAIN_AS_IS, value_to_plain
from fieldkit.domain.ids import new_ids
from fieldkit.domain.records import KINDS, Record
from fieldkit.domain.search_text import search_text
from fieldkit.store.journal import RECORD, record_value
from fieldkit.store.rows import column_converter
from fieldkit.store.schema import SYSTEM_COLUMNS, TABLES
from fieldkit.store.store import Store

CREATED_AT = "created_at"
Progress = Callable[[int], None]


Fixes = tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, converter)


@dataclass(frozen=True)
class _Layout:
    """How one kind's records become rows, decided once per kind: the fields' values read
    in one call, the few that need converting to their plain form and then to a column, and
    the statement that inserts a row."""

    kind: str
    names: tuple[str, ...]
    values: Callable[[Record], tuple[Any, ...]]
    to_plain: Fixes  # value_to_plain where it is not the value itself
    to_column: Fixes  # rows.column_value where it is not the plain value itself
    insert: str


@functools.cache
def _layout(kind: str) -> _Layout:
    specs = KINDS[kind].specs()
    names = tuple(spec.name for spec in specs)
    columns = ", ".join(f"[{name}]" for name in (*SYSTEM_COLUMNS, *names))
    marks = ", ".join("?" for _ in range(len(SYSTEM_COLUMNS) + len(specs)))
    to_column = ((n, column_converter(spec.type)) for n, spec in enumerate(specs))
    return _Layout(
        kind=kind,
        names=names,
        values=_getter(names),
        to_plain=tuple(
            (n, functools.partial(value_to_plain, spec))
            for n, spec in enumerate(specs)
            if spec.type not in PLAIN_AS_IS
        ),
        to_column=tuple((n, convert) for n, convert in to_column if convert is not None),
        insert=f"INSERT INTO [{TABLES[kind]}] ({columns}) VALUES ({marks})",
    )


def _getter(names: tuple[str, ...]) -> Callable[[Record], tuple[Any, ...]]:
    """The record's values of `names`, as a tuple (one C call)."""
    if len(names) == 1:
        single = operator.attrgetter(names[0])
        return lambda record: (single(record),)
    return operator.attrgetter(*names)


def insert_records(store: Store, batches: Iterable[Sequence[Record]], progress: Progress) -> int:
    """Store every record of `batches` as new, with its journal and search text; `progress`
    gets the running count after each batch. Returns how many were stored.

    One transaction for all of it (nested in the caller's, if any): an exception raised
    while `batches` is being read (a bad row found late) leaves the vault unchanged."""
    stored = 0
    with store._writing() as db:
        next_docid = _next_docid(db)
        for batch in batches:
            if not batch:
                progress(stored)
                continue
            _write_batch(store, db, batch, next_docid)
            next_docid += len(batch)
            stored += len(batch)
            progress(stored)
        store.observe_clock(store.clock.last)  # saves the clock the entries were stamped with
    return stored


def _next_docid(db: Database) -> int:
    # The rowid SQLite would give the next search document (max + 1), as search.index gets.
    row = db.execute("SELECT coalesce(max(docid), 0) FROM search_docs").fetchone()
    return int(row[0]) + 1


def _write_batch(store: Store, db: Database, batch: Sequence[Record], first_docid: int) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    device = store.device_id
    rows: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    versions: list[tuple[Any, ...]] = []
    docs: list[tuple[Any, ...]] = []
    texts: list[tuple[Any, ...]] = []
    layout = _layout(batch[0].KIND)
    kind, names, to_plain, to_column = layout.kind, layout.names, layout.to_plain, layout.to_column
    width = len(names) + 1
    change_ids = new_ids(len(batch))
    for offset, record in enumerate(batch):
        if kind != record.KIND:
            raise ValueError("a batch holds records of one kind")
        plain = list(layout.values(record))
        for n, convert in to_plain:
            plain[n] = convert(plain[n])
        packed = store.clock.now().pack()
        rid = record.id
        fields = dict(zip(names, plain, strict=True))
        fields[CREATED_AT] = now
        for n, convert in to_column:
            plain[n] = convert(plain[n])
        rows.append((rid, now, now, device, 0, *plain))
        entries.append((change_ids[offset], kind, rid, record_value(fields), packed, device, width))
        versions.append((rid, packed, device))
        title, body = search_text(record)
        docid = first_docid + offset
        docs.append((docid, kind, rid))
        texts.append((docid, title, body))
    conn = db.conn
    conn.executemany(layout.insert, rows)
    conn.executemany(
        "INSERT INTO journal (change_id, kind, record_id, field, value, hlc, device, sent, "
        f"field_count) VALUES (?, ?, ?, '{RECORD}', ?, ?, ?, 0, ?)",
        entries,
    )
    conn.executemany(
        "INSERT OR REPLACE INTO field_versions (record_id, field, hlc, node) "
        f"VALUES (?, '{RECORD}', ?, ?)",
        versions,
    )
    conn.executemany("INSERT INTO search_docs (docid, kind, record_id) VALUES (?, ?, ?)", docs)
    conn.executemany("INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)", texts)


def facility_names_and_states(store: Store) -> list[tuple[str, str | None]]:
    """(name, state code) of every facility not deleted: what duplicate checks compare."""
    with store._reading() as db:
        rows = db.execute(
            f"SELECT name, state FROM [{TABLES['facility']}] WHERE deleted = 0"
        ).fetchall()
    return [(str(name or ""), state or None) for name, state in rows]


def existing_ids(store: Store, kind: str, ids: Sequence[str]) -> set[str]:
    """Which of `ids` a record of `kind` (deleted or not) already has."""
    if not ids:
        return set()
    with store._reading() as db:
        rows = db.execute(
            f"SELECT id FROM [{TABLES[kind]}] WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(ids))],
        ).fetchall()
    return {str(row[0]) for row in rows}
