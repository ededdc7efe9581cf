"""Rows inserted through one JSON statement are stored exactly as `executemany` stores them:
the same text (odd Unicode, NUL, quotes, text that looks like a number), integers and nulls,
with the same types."""

from __future__ import annotations

import os
from pathlib import Path

from fieldkit.store.json_rows import insert_rows
from fieldkit.store.store import Store

ODD = ["a\x00b", "€😀", "\u2028x", '"q"\\', "1250.50", "", 9007199254740993, -1, 0, None]


def test_rows_through_json_are_stored_as_executemany_stores_them(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "v.db", os.urandom(32))
    with store._writing() as db:
        for table in ("by_json", "by_binding"):
            db.execute(f"CREATE TABLE {table} (n INTEGER, a TEXT, b)")
        rows = [(n, v, v) for n, v in enumerate(ODD)]
        insert_rows(db, "by_json", ("n", "a", "b"), rows)
        db.conn.executemany("INSERT INTO by_binding VALUES (?, ?, ?)", rows)
        read = "SELECT n, a, typeof(a), length(CAST(a AS BLOB)), b, typeof(b) FROM {} ORDER BY n"
        assert list(db.execute(read.format("by_json"))) == list(
            db.execute(read.format("by_binding"))
        )
        assert len(list(db.execute("SELECT * FROM by_json"))) == len(ODD)


def test_replace_keeps_one_row_per_key(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "v.db", os.urandom(32))
    with store._writing() as db:
        db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
        insert_rows(db, "t", ("k", "v"), [("x", 1), ("y", 2)])
        insert_rows(db, "t", ("k", "v"), [("x", 3)], replace=True)
        assert list(db.execute("SELECT k, v FROM t ORDER BY k")) == [("x", 3), ("y", 2)]
