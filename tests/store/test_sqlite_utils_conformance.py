"""Every sqlite-utils feature FieldKit uses, run on an encrypted SQLCipher connection
(pitfalls.md: sqlite-utils catches the stdlib's sqlite3 errors, sqlcipher3 raises its own)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
import sqlite_utils
from sqlite_utils.migrations import Migrations

import fieldkit.store  # noqa: F401 - aliases sqlcipher3 before sqlite_utils loads
from fieldkit.store.connection import open_encrypted


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    conn = open_encrypted(tmp_path / "c.db", os.urandom(32))
    yield sqlite_utils.Database(conn)
    conn.close()


def test_sqlite_utils_uses_sqlcipher3_classes() -> None:
    assert sqlite_utils.db.sqlite3 is sqlcipher3
    assert sqlite_utils.utils.OperationalError is sqlcipher3.dbapi2.OperationalError


def test_connection_is_really_sqlcipher(db: sqlite_utils.Database) -> None:
    assert db.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")


def test_create_insert_get_update_upsert(db: sqlite_utils.Database) -> None:
    table = db.table("t")
    table.create({"id": str, "n": int, "b": bytes}, pk="id", not_null={"n"}, defaults={"n": 0})
    table.insert({"id": "a", "n": 1, "b": b"\x00\x01"})
    table.insert_all({"id": f"x{i}", "n": i} for i in range(10))
    table.update("a", {"n": 5})
    table.upsert({"id": "a", "n": 6}, pk="id")
    assert table.get("a")["n"] == 6
    assert table.count_where("n >= ?", [5]) == 6  # "a" and x5..x9
    rows = list(table.rows_where("n < ?", [5], order_by="n DESC", limit=2, offset=1))
    assert [r["id"] for r in rows] == ["x3", "x2"]


def test_indexes_and_foreign_keys(db: sqlite_utils.Database) -> None:
    db.table("parent").create({"id": str}, pk="id")
    db.table("child").create(
        {"pid": str, "n": int}, pk=("pid", "n"), foreign_keys=[("pid", "parent", "id")]
    )
    db.table("child").create_index(["n"], unique=True)
    db.table("parent").insert({"id": "p"})
    db.table("child").insert({"pid": "p", "n": 1})
    with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
        db.table("child").insert({"pid": "missing", "n": 2})


def test_nested_atomic_rolls_back_inner_only(db: sqlite_utils.Database) -> None:
    db.table("t").create({"id": int}, pk="id")
    with db.atomic():
        db.table("t").insert({"id": 1})
        with pytest.raises(RuntimeError), db.atomic():
            db.table("t").insert({"id": 2})
            raise RuntimeError
    assert [r["id"] for r in db.table("t").rows] == [1]


def test_paths_that_break_without_the_alias(db: sqlite_utils.Database) -> None:
    db.table("t").insert({"id": 1, "a": "x"}, pk="id")
    db.table("t").insert({"id": 2, "b": "y"}, alter=True)
    db.table("t").update(1, {"c": "z"}, alter=True)
    db.table("missing").drop(ignore=True)
    db.table("t").create_index(["a"], index_name="i")
    db.table("t").create_index(["b"], index_name="i", find_unique_name=True)
    assert list(db.query("INSERT INTO t (id) VALUES (3) RETURNING id")) == [{"id": 3}]
    assert db.cached_counts() == {}
    assert db.supports_strict in (True, False)


def test_fts5_with_diacritics_removed(db: sqlite_utils.Database) -> None:
    db.execute("CREATE VIRTUAL TABLE s USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO s (body) VALUES ('San Luis Potosí reinstalación')")
    assert db.execute("SELECT count(*) FROM s WHERE s MATCH 'potosi'").fetchone()[0] == 1


def test_migrations(db: sqlite_utils.Database) -> None:
    migrations = Migrations("conformance")

    @migrations()
    def first(d: sqlite_utils.Database) -> None:
        d.table("m").create({"id": int}, pk="id")

    @migrations()
    def second(d: sqlite_utils.Database) -> None:
        d.table("m").insert({"id": 1})

    migrations.apply(db, stop_before="second")
    assert [m.name for m in migrations.pending(db)] == ["second"]
    migrations.apply(db)
    migrations.apply(db)  # idempotent
    assert [m.name for m in migrations.applied(db)] == ["first", "second"]
    assert db.table("m").count == 1
