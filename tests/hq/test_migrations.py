"""The migrations build exactly the schema the code queries, on both databases, and opening
an existing database again (another process, a restart) changes nothing."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert

from fieldkit.hq.admin import database_url
from fieldkit.hq.storage import WAL_SIZE_LIMIT, Storage
from fieldkit.hq.tables import metadata, server_settings


def test_migrated_schema_matches_the_tables(tmp_path: Path, database: str | None) -> None:
    url = database or database_url(tmp_path, None)
    storage = Storage.open(url)
    try:
        with storage.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        assert differences == []
        first_id = storage.server_id()
    finally:
        storage.close()
    again = Storage.open(url)
    try:
        assert again.server_id() == first_id
    finally:
        again.close()


def test_the_wal_is_bounded_and_folded_in_when_hq_stops(tmp_path: Path) -> None:
    url = database_url(tmp_path, None)
    storage = Storage.open(url)
    database = Path(storage.engine.url.database or "")
    wal = database.with_name(database.name + "-wal")
    try:
        with storage.engine.connect() as conn:
            limit = conn.exec_driver_sql("PRAGMA journal_size_limit").scalar_one()
        assert limit == WAL_SIZE_LIMIT
        with storage.writing() as conn:  # a burst of writes grows the WAL past the limit
            for n in range(3000):
                conn.execute(insert(server_settings).values(name=f"bench-{n}", value="x" * 2000))
        assert wal.stat().st_size > WAL_SIZE_LIMIT
        with storage.engine.connect() as conn:  # an automatic checkpoint, as while serving
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        with storage.writing() as conn:  # the next write starts the WAL over, truncated
            conn.execute(insert(server_settings).values(name="after", value="y"))
        assert wal.stat().st_size <= WAL_SIZE_LIMIT
    finally:
        storage.close()
    assert not wal.exists() or wal.stat().st_size == 0
