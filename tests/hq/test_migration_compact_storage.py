"""The lean-storage migration on a database written by the previous schema, on both
databases: fields at their default written when their record was made are removed; a field set
back to its default later, and every other value, stays."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from fieldkit.hq.admin import database_url
from tests.hq.migrating import upgrade_to

# (record, field, kind, value, hlc, node): the facility and the visit were made at hlc 10 by A.
ROWS = [
    ("fac", "created_at", "facility", '"2026-11-03T10:00:00+00:00"', 10, "node-a"),
    ("fac", "name", "facility", '"Planta Norte"', 10, "node-a"),
    ("fac", "municipality", "facility", '""', 10, "node-a"),  # default, at creation: goes
    ("fac", "unions", "facility", "[]", 10, "node-a"),  # goes
    ("fac", "priority_sector", "facility", "false", 10, "node-a"),  # goes
    ("fac", "deleted", "facility", "false", 10, "node-a"),  # goes
    ("fac", "employer", "facility", '""', 25, "node-b"),  # set back to default later: stays
    ("fac", "sector", "facility", '"auto_parts"', 10, "node-a"),  # not the default: stays
    ("vis", "created_at", "visit", '"2026-11-04T10:00:00+00:00"', 12, "node-a"),
    ("vis", "status", "visit", '"draft"', 12, "node-a"),  # goes
    ("vis", "summary", "visit", '"Visita"', 12, "node-a"),
    ("old", "name", "facility", '""', 5, "node-a"),  # no created_at held: stays
]


def test_defaults_written_at_creation_are_removed(tmp_path: Path, database: str | None) -> None:
    url = database or database_url(tmp_path, None)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            upgrade_to(conn, "0002")
            for seq, (record, field, kind, value, hlc, node) in enumerate(ROWS, start=1):
                conn.execute(
                    text(
                        "INSERT INTO fields (record_id, field, kind, value, hlc, node, seq)"
                        " VALUES (:r, :f, :k, :v, :h, :n, :s)"
                    ),
                    {"r": record, "f": field, "k": kind, "v": value, "h": hlc, "n": node, "s": seq},
                )
        with engine.begin() as conn:
            upgrade_to(conn, "0003")
            left = {tuple(row) for row in conn.execute(text("SELECT record_id, field FROM fields"))}
    finally:
        engine.dispose()
    assert left == {
        ("fac", "created_at"),
        ("fac", "name"),
        ("fac", "employer"),
        ("fac", "sector"),
        ("vis", "created_at"),
        ("vis", "summary"),
        ("old", "name"),
    }
