"""A vault made by schema version 1 (before search existed) upgrades on open, and its old
records become searchable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path

import pytest
import sqlite_utils

from fieldkit.domain.ids import new_id
from fieldkit.domain.query import Sort
from fieldkit.domain.records import KINDS, Facility, Interview
from fieldkit.store import journal, outbox
from fieldkit.store.connection import open_encrypted
from fieldkit.store.rows import to_row
from fieldkit.store.schema import (
    LATEST_VERSION,
    LIST_ORDERS,
    SEARCH_BACKFILL,
    SYSTEM_COLUMNS,
    TABLES,
    V1_COLUMNS,
    migrations,
    schema_version,
)
from fieldkit.store.store import Store
from tests.store.old_journal import journal_the_old_way


def test_latest_version_matches_the_migrations() -> None:
    assert len(migrations._migrations) == LATEST_VERSION


def test_version_1_vault_upgrades_and_is_reindexed(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "old.db"
    conn = open_encrypted(path, key)
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="0002_search_index")
    assert schema_version(db) == 1
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    old = Facility(name="Planta de Potosí", created_at=now, updated_at=now, author_device="old")
    v1 = {**SYSTEM_COLUMNS, **V1_COLUMNS["facility"]}
    db.table("facilities").insert({k: v for k, v in to_row(old).items() if k in v1})
    conn.close()

    store = Store.open(path, key)
    assert store.schema_version() == LATEST_VERSION
    assert store.get(Facility, old.id) == old
    assert [h.record_id for h in store.search("potosi")] == [old.id]
    assert store.get_meta("search_backfill") is None  # done once, not on every open
    store.close()


def test_counts_read_indexes_not_tables(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "v.db", os.urandom(32))
    queries = [
        "SELECT count(*) FROM visits WHERE deleted = 0",
        "SELECT total(field_count) FROM journal WHERE sent = 0",
    ]
    for sql in queries:
        plan = " ".join(str(row[3]) for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "COVERING INDEX" in plan, (sql, plan)
    assert store.get_meta("search_backfill") is None  # a new vault has nothing to backfill
    store.close()


@pytest.mark.parametrize("table", sorted(LIST_ORDERS))
def test_lists_open_without_sorting_the_table(tmp_path: Path, table: str) -> None:
    store = Store.open(tmp_path / "v.db", os.urandom(32))
    order = LIST_ORDERS[table]
    for direction in ("ASC", "DESC"):
        sql = (
            f"SELECT * FROM {table} WHERE deleted = 0 "
            f"ORDER BY {order} {direction}, id {direction} LIMIT 200"
        )
        plan = " ".join(str(row[3]) for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "TEMP B-TREE" not in plan, (sql, plan)
    store.close()


def test_interviews_gain_an_empty_summary_for_sharing(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "v5.db"
    conn = open_encrypted(path, key)
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="0006_interview_sharing_summary")
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    old = Interview(
        facility_id=new_id(), held_on=now.date(), pseudonym="W-1", created_at=now, updated_at=now
    )
    row = to_row(old)
    del row["sharing_summary"]  # the column this version does not have yet
    db.table("interviews").insert(row)
    conn.close()

    store = Store.open(path, key)
    assert store.get(Interview, old.id) == old and old.sharing_summary == ""
    summary = dataclasses.replace(old, sharing_summary="Overtime announced the same day.")
    store.update(old, summary)
    store.close()
    reopened = Store.open(path, key)
    assert reopened.get(Interview, old.id).sharing_summary == summary.sharing_summary  # type: ignore[union-attr]
    reopened.close()


@pytest.mark.parametrize("table", sorted(LIST_ORDERS))
def test_the_stores_list_query_walks_the_list_index(tmp_path: Path, table: str) -> None:
    """The SQL the store builds for a list column's sort is the one the index serves."""
    store = Store.open(tmp_path / "v.db", os.urandom(32))
    cls = KINDS[next(kind for kind, name in TABLES.items() if name == table)]
    column = LIST_ORDERS[table].split()[0]
    for descending in (False, True):
        sort = (Sort(column, descending), Sort("id", descending))
        plan = store.list_plan(cls, sort=sort, limit=200)
        assert "TEMP B-TREE" not in plan and f"{table}_list_{column}" in plan, plan
    store.close()


def test_a_version_10_vault_keeps_its_unsent_field_entries_beside_record_entries(
    tmp_path: Path,
) -> None:
    """Entries journaled field by field before 0011 stay as they are, count as before and go
    out as the same record edits; new records beside them take one entry each."""
    key = os.urandom(32)
    path = tmp_path / "v10.db"
    store = store_before(path, key, "0011_record_entries")
    old = journal_the_old_way(store, Facility(name="Planta vieja", unions=("A",)))
    with store.transaction():
        edited = store.update(old, dataclasses.replace(old, municipality="Silao"))
    with store._reading() as db:
        before = replica_v10_edits(db)
    fields = len(Facility.specs()) + 1
    assert store.schema_version() == 10 and sum(len(e["fields"]) for e in before) == fields
    store.close()

    store = Store.open(path, key)
    assert store.schema_version() == LATEST_VERSION
    with store._reading() as db:
        after = json.loads(outbox.outgoing(db, limit=2000, entries=2000).records_json)
    assert after == before and store.count_unsent() == fields
    with store.transaction():
        new = store.insert(dataclasses.replace(old, id=new_id(), name="Planta nueva"))
        store.update(edited, dataclasses.replace(edited, municipality="León"))
    with store._reading() as db:
        shapes = [(e.record_id, e.field) for e in journal.entries(db, unsent_only=True)]
        (made, made_now, moved) = json.loads(
            outbox.outgoing(db, limit=2000, entries=2000).records_json
        )
    assert shapes.count((old.id, "name")) == 1 and (new.id, journal.RECORD) in shapes
    assert made["fields"] == before[0]["fields"] and "municipality" not in made["fields"]
    assert (made_now["record"], moved["fields"]) == (new.id, {"municipality": "León"})
    assert "base" not in moved and "base" not in before[1]  # edited before it was ever sent
    assert store.count_unsent() == 2 * fields
    store.close()


def store_before(path: Path, key: bytes, migration: str) -> Store:
    """A writable store of a new vault at `path` whose schema stops before `migration` (it
    is opened without migrating further, as an older FieldKit left it)."""
    conn = open_encrypted(path, key)
    migrations.apply(sqlite_utils.Database(conn), stop_before=migration)
    store = Store(path, conn, read_only=True)  # no migration on open
    store.read_only = False
    return store


def replica_v10_edits(db: sqlite_utils.Database) -> list[dict[str, object]]:
    """What FieldKit before 0011 pushed for the unsent journal: one RecordEdit per record and
    clock reading, fields as stored (its own query, kept here as the reference)."""
    rows = db.execute(
        "SELECT kind, record_id, hlc, field, value, base_hlc, base_node FROM journal "
        "WHERE sent = 0 ORDER BY seq"
    ).fetchall()
    edits: dict[tuple[str, str, int], dict[str, object]] = {}
    for kind, record_id, hlc, field, value, base_hlc, base_node in rows:
        edit = edits.setdefault(
            (kind, record_id, hlc), {"kind": kind, "record": record_id, "hlc": hlc, "fields": {}}
        )
        edit["fields"][field] = json.loads(value)  # type: ignore[index]
        if base_node is not None:
            edit.setdefault("base", {})[field] = {"hlc": base_hlc, "node": base_node}  # type: ignore[union-attr]
    return list(edits.values())


def test_a_version_11_vault_keeps_its_search_results_without_prefix_indexes(
    tmp_path: Path,
) -> None:
    """0012 rebuilds the full-text index without prefix indexes: every record is still found,
    by whole words and by their first letters, in the same order (newest save first)."""
    key = os.urandom(32)
    path = tmp_path / "v11.db"
    store = store_before(path, key, "0012_search_without_prefix_indexes")
    store.delete_meta(SEARCH_BACKFILL)  # an empty vault's first open has nothing to index
    with store.transaction():
        tula = store.insert(Facility(name="Textiles de Tula", municipality="Tula"))
        store.insert(Facility(name="Autopartes del Norte", municipality="Saltillo"))
        store.insert(Facility(name="Textilera Potosina", municipality="San Luis Potosí"))
        store.update(tula, dataclasses.replace(tula, unions=("Sindicato Textil",)))
    queries = ("te", "tex", "textiles", "potosi", "sa", "sindicato", "zz")
    before = {q: [h.record_id for h in store.search(q)] for q in queries}
    with store._reading() as db:
        assert "prefix" in fts_definition(db)
    assert store.schema_version() == 11 and before["te"][0] == tula.id
    store.close()

    store = Store.open(path, key)
    assert store.schema_version() == LATEST_VERSION
    assert {q: [h.record_id for h in store.search(q)] for q in queries} == before
    with store._reading() as db:
        assert "prefix" not in fts_definition(db)
        db.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
        tables = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master")}
    assert not {t for t in tables if t.startswith("search_index_rebuilt")}
    store.close()


def fts_definition(db: sqlite_utils.Database) -> str:
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'search_index'").fetchone()
    return str(row[0])
