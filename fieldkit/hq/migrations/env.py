"""Alembic's entry point for HQ's schema. `fieldkit.hq.migrate` hands it an open connection;
nothing here reads alembic.ini or configures logging (the server owns both)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from fieldkit.hq.tables import metadata


def run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


run_migrations(context.config.attributes["connection"])
