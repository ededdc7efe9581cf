"""The one-row-per-record migration on a database written by the previous schema, on both
databases: each record's field rows become its document at the version most of them share,
the other fields keep versions of their own, and a device pulling afterwards receives every
value at the version it had."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, select, text

from fieldkit.hq.admin import database_url
from fieldkit.hq.pull import pull_page
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import field_versions, records
from tests.hq.migrating import upgrade_to

# (record, kind, owner, private)
RECORDS = [
    ("fac", "facility", "node-a", False),
    ("vis", "visit", "node-a", False),
    ("int", "interview", "node-a", True),
    ("empty", "tip", "node-a", False),  # every field was a default: no field rows
]
# (record, field, kind, value, hlc, node, seq)
FIELDS = [
    ("fac", "created_at", "facility", '"2026-11-03T10:00:00+00:00"', 10, "node-a", 1),
    ("fac", "name", "facility", '"Planta Ñandú"', 10, "node-a", 2),
    ("fac", "sector", "facility", '"auto_parts"', 10, "node-a", 3),
    ("vis", "created_at", "visit", '"2026-11-04T10:00:00+00:00"', 12, "node-a", 4),
    ("vis", "summary", "visit", '"Visita"', 12, "node-a", 5),
    ("fac", "municipality", "facility", '"Silao"', 30, "node-b", 6),  # edited later by B
    ("vis", "attaches", "visit", '["A. Ramírez","J. Smith"]', 12, "node-a", 7),
    ("int", "notes", "interview", '"Palabras"', 14, "node-a", 8),
    ("int", "shared", "interview", "false", 14, "node-a", 9),
    ("vis", "summary2", "visit", '{"nested":[1,2.5,null]}', 40, "node-c", 10),
]


def test_field_rows_become_documents(tmp_path: Path, database: str | None) -> None:
    url = database or database_url(tmp_path, None)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            upgrade_to(conn, "0006")
            for record, kind, owner, private in RECORDS:
                conn.execute(
                    text(
                        "INSERT INTO records (record_id, kind, owner_node, private)"
                        " VALUES (:r, :k, :o, :p)"
                    ),
                    {"r": record, "k": kind, "o": owner, "p": private},
                )
            for record, field, kind, value, hlc, node, seq in FIELDS:
                conn.execute(
                    text(
                        "INSERT INTO fields (record_id, field, kind, value, hlc, node, seq)"
                        " VALUES (:r, :f, :k, :v, :h, :n, :s)"
                    ),
                    {"r": record, "f": field, "k": kind, "v": value, "h": hlc, "n": node, "s": seq},
                )
            conn.execute(text("UPDATE sequence_counter SET value = 10"))
        storage = Storage.open(url)  # migrates to the latest revision
        try:
            with storage.reading() as conn:
                r = records.c  # read through the tables: ids are stored packed (CompactId)
                rows = {
                    row.record_id: row
                    for row in conn.execute(select(r.record_id, r.doc, r.hlc, r.node, r.seq))
                }
                own = {tuple(row) for row in conn.execute(select(*field_versions.c))}
                page = pull_page(conn, "node-z", 0, 2000, by_record=True)
        finally:
            storage.close()
    finally:
        engine.dispose()
    fac = rows["fac"]
    assert bytes(fac.doc)[:1] == b"\x00"  # plain JSON, as the migration writes it
    assert json.loads(bytes(fac.doc)[1:]) == {
        "created_at": "2026-11-03T10:00:00+00:00",
        "name": "Planta Ñandú",
        "sector": "auto_parts",
        "municipality": "Silao",
    }
    assert (fac.hlc, fac.node, fac.seq) == (10, "node-a", 3)  # the last of its fields at 10
    assert (rows["vis"].hlc, rows["vis"].seq) == (12, 7)
    assert bytes(rows["empty"].doc) == b"\x00{}" and rows["empty"].seq == 0
    assert own == {("fac", "municipality", 30, "node-b", 6), ("vis", "summary2", 40, "node-c", 10)}
    # A device of its own pulls every field of the records it may see, at its version.
    pulled = {
        (r["record"], name): (value, r["hlc"], r["node"])
        for r in json.loads(page.changes_json)
        for name, value in r["fields"].items()
    }
    expected = {
        (record, field): (json.loads(value), hlc, node)
        for record, field, _kind, value, hlc, node, _seq in FIELDS
        if record != "int"  # private to node-a
    }
    assert pulled == expected
    assert not page.more and page.cursor == 10
