"""The migrations build exactly the schema the code queries, on both databases, and opening
an existing database again (another process, a restart) changes nothing."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fieldkit.hq.admin import database_url
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import metadata


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
